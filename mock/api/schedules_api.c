/* schedules_api.c: the routes of scheduled triggers (/api/v1/workflow/public/scheduled): cron or interval runs of a
 * workflow for a linked account, fired by the virtual clock through executions.c. */
#include "schedules.h"
#include "json.h"
#include "clock.h"
#include "cron.h"
#include "executions.h"
#include "fixtures.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "workflow_defs.h"
#include "handlers.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the API ---- */

/* Schedules belong to a linked account: registering one names it. The other routes take the
 * key alone too (the v2 reference's examples send no linked_account_id): then any of the
 * environment's schedules, by id; with a linked account, only its own. */
static int need_la(req *r)
{
    if (r->la[0])
        return 1;
    http_error(r, 400, "BAD_REQUEST", "linked_account_id header is required: schedules belong to a linked account");
    return 0;
}

static cJSON *load(req *r)
{
    cJSON *doc = store_get(r->m->store, r->t->id, SCHEDULE_KIND, r->param[0]);
    const char *owner = doc ? json_str(doc, "linked_account_id") : NULL;
    if (doc && owner && (!r->la[0] || !strcmp(owner, r->la)))
        return doc;
    cJSON_Delete(doc);
    http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Scheduled Job Not Found", "no schedule %s for linked account %s", r->param[0], r->la);
    return NULL;
}

/* A transaction with the path's schedule loaded, or NULL after the 400/404 (nothing open). */
static cJSON *begin_and_load(req *r)
{
    store_begin(r->m->store);
    cJSON *doc = load(r);
    if (!doc)
        store_rollback(r->m->store);
    return doc;
}


static int save_and_answer(req *r, cJSON *doc)
{
    char at[32];
    util_iso8601(clock_now_ms(r->m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = schedules_arm(r->m, r->t, doc, clock_now_ms(r->m));
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not store the schedule");
    }
    return http_json(r, 200, doc);
}

/* route: POST /api/v1/workflow/public/scheduled */
int h_register_schedule(req *r)
{
    if (!need_la(r) || !http_need_object(r))
        return r->status;
    const char *wf_id = http_header(r, "workflow_id_alias");
    const char *slug = http_header(r, "slug");
    const char *config_id = http_header(r, "config_id");
    if (!wf_id || !*wf_id)
        return http_error(r, 400, "BAD_REQUEST", "workflow_id_alias header is required: the workflow to run");
    if (strlen(wf_id) >= MOCK_ID_LEN || (config_id && strlen(config_id) >= MOCK_ID_LEN))
        return http_error(r, 400, "BAD_REQUEST", "workflow_id_alias and config_id are at most %d characters", MOCK_ID_LEN - 1);
    if (slug && *slug && !fixtures_app(r->m->fx, slug))
        return http_error(r, 404, "NOT_FOUND", "Application %s not found", slug);
    struct wf w;
    if (workflow_defs_find(r->m, r->t, wf_id, &w))
        return http_error(r, 404, "NOT_FOUND", "Workflow %s not found", wf_id);
    const char *wslug = workflow_defs_slug(w.doc);
    int wrong_app = slug && *slug && wslug && strcmp(slug, wslug);
    int foreign = w.is_private && json_str(w.doc, "linked_account_id") && strcmp(json_str(w.doc, "linked_account_id"), r->la);
    char app_of[64];
    snprintf(app_of, sizeof app_of, "%s", wslug ? wslug : "");
    workflow_defs_free(&w);
    if (foreign)
        return http_error(r, 404, "NOT_FOUND", "Workflow %s not found for linked account %s", wf_id, r->la);
    if (wrong_app)
        return http_error(r, 400, "BAD_REQUEST", "workflow %s belongs to %s, not %s", wf_id, app_of, slug);

    char id[25], event_id[25], at[32];
    util_new_id(id);
    util_new_id(event_id);
    util_iso8601(clock_now_ms(r->m), at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "event_id", event_id);
    cJSON_AddStringToObject(doc, "workflow", wf_id);
    cJSON_AddStringToObject(doc, "config_id", config_id && *config_id ? config_id : r->la);
    cJSON_AddStringToObject(doc, "linked_account_id", r->la);
    cJSON_AddStringToObject(doc, "environment", r->t->environment);
    cJSON_AddStringToObject(doc, "org_id", r->t->org_id);
    cJSON_AddItemToObject(doc, "trigger_interval", cJSON_CreateArray());
    cJSON_AddStringToObject(doc, "status", "running");
    cJSON_AddBoolToObject(doc, "inactive", 0);
    cJSON_AddBoolToObject(doc, "registered_by_api", 1);
    cJSON *opts = cJSON_AddObjectToObject(doc, "options");
    cJSON_AddStringToObject(opts, "tz", "UTC");
    cJSON_AddItemToObject(doc, "payload", cJSON_CreateObject());
    cJSON_AddNumberToObject(doc, "run_count", 0);
    cJSON_AddStringToObject(doc, "createdAt", at);
    char err[256];
    /* required on register, and checked first: schedule/register-schedule.mdx, ```json 400 */
    if (!cJSON_GetObjectItemCaseSensitive(r->body, "trigger_type")) {
        cJSON_Delete(doc);
        return http_error(r, 400, "SERVER_ERROR", "trigger_type is required");
    }
    if (schedules_apply_trigger(doc, r->body, err, sizeof err)) {
        cJSON_Delete(doc);
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    }
    store_begin(r->m->store);
    return save_and_answer(r, doc);
}

/* The workflow as the listing shows it: {_id, name, associated_application}, or the bare id
 * when it no longer resolves. */
static cJSON *expanded_workflow(req *r, const char *wf_id)
{
    struct wf w;
    if (!wf_id || workflow_defs_find(r->m, r->t, wf_id, &w))
        return cJSON_CreateString(wf_id ? wf_id : "");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "_id", wf_id);
    cJSON_AddStringToObject(o, "name", json_str(w.doc, "name") ? json_str(w.doc, "name") : "");
    cJSON *app = workflow_defs_app_summary(r->t, w.app);
    cJSON *summary = cJSON_CreateObject();
    cJSON_AddStringToObject(summary, "_id", json_str(app, "_id") ? json_str(app, "_id") : "");
    cJSON_AddStringToObject(summary, "name", json_str(app, "name") ? json_str(app, "name") : "");
    cJSON_Delete(app);
    cJSON_AddItemToObject(o, "associated_application", summary);
    workflow_defs_free(&w);
    return o;
}

/* route: GET /api/v1/workflow/public/scheduled */
int h_list_schedules(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    int total = 0; /* the key alone: the whole environment's */
    cJSON *docs = store_list(r->m->store, r->t->id, SCHEDULE_KIND, r->la[0] ? r->la : NULL, NULL, NULL, (int)((page - 1) * limit),
                             (int)limit, &total), *d;
    cJSON_ArrayForEach(d, docs)
        json_set(d, "workflow", expanded_workflow(r, json_str(d, "workflow")));
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: PUT /api/v1/workflow/public/scheduled/{schedule_id} (param[0] schedule_id) */
int h_update_schedule(req *r)
{
    if (r->body && !cJSON_IsObject(r->body))
        return http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object");
    store_begin(r->m->store);
    cJSON *doc = load(r);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    /* switching kinds drops the other kind's settings */
    const char *type = json_str(r->body, "trigger_type");
    if (type && !strcmp(type, "cron") && !cJSON_GetObjectItemCaseSensitive(r->body, "interval_dates"))
        json_set(doc, "trigger_interval", cJSON_CreateArray());
    if (type && !strcmp(type, "interval"))
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "cron_patten");
    char err[256];
    if (r->body && schedules_apply_trigger(doc, r->body, err, sizeof err)) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    }
    return save_and_answer(r, doc);
}

/* route: DELETE /api/v1/workflow/public/scheduled/{schedule_id} (param[0] schedule_id) */
int h_delete_schedule(req *r)
{
    cJSON *doc = begin_and_load(r);
    if (!doc)
        return r->status;
    cJSON_Delete(doc);
    store_del(r->m->store, r->t->id, SCHEDULE_KIND, r->param[0]);
    if (store_commit(r->m->store) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the schedule");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Scheduled Job Deleted Successfully");
    return http_json(r, 200, out);
}

static int set_running(req *r, int running)
{
    cJSON *doc = begin_and_load(r);
    if (!doc)
        return r->status;
    /* A resumed schedule picks up from now: runs missed while paused do not fire. */
    json_set(doc, "status", cJSON_CreateString(running ? "running" : "paused"));
    json_set(doc, "inactive", cJSON_CreateBool(!running));
    return save_and_answer(r, doc);
}

/* route: PUT /api/v1/workflow/public/scheduled/{schedule_id}/pause (param[0] schedule_id) */
int h_pause_schedule(req *r) { return set_running(r, 0); }
/* route: PUT /api/v1/workflow/public/scheduled/{schedule_id}/resume (param[0] schedule_id) */
int h_resume_schedule(req *r) { return set_running(r, 1); }
