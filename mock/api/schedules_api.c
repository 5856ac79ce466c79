/* schedules_api.c: the routes of scheduled triggers (/api/v1/workflow/public/scheduled): cron or interval runs of a
 * workflow for a linked account, fired by the virtual clock through executions.c. */
#include "engine/schedules.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "engine/workflow_defs.h"
#include "handlers.h"

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

static int not_found(req *r)
{
    return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Scheduled Job Not Found", "no schedule %s for linked account %s", r->param[0], r->la);
}

/* The answer of a write that kept (or failed to keep) *doc. */
static int answer(req *r, int rc, cJSON *doc)
{
    if (rc == 1)
        return not_found(r);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the schedule");
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

    cJSON *doc = schedules_new(r->m, r->t, r->la, wf_id, config_id);
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
    if (schedules_register(r->m, r->t, doc) != 0) {
        cJSON_Delete(doc);
        return answer(r, -1, NULL);
    }
    return answer(r, 0, doc);
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
    cJSON *docs = schedules_list(r->m, r->t, r->la[0] ? r->la : NULL, (int)((page - 1) * limit), (int)limit, &total), *d;
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
    char err[256];
    cJSON *doc = NULL;
    int rc = schedules_update(r->m, r->t, r->param[0], r->la, r->body, err, sizeof err, &doc);
    if (rc == 2)
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    return answer(r, rc, doc);
}

/* route: DELETE /api/v1/workflow/public/scheduled/{schedule_id} (param[0] schedule_id) */
int h_delete_schedule(req *r)
{
    int rc = schedules_delete(r->m, r->t, r->param[0], r->la);
    if (rc == 1)
        return not_found(r);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the schedule");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Scheduled Job Deleted Successfully");
    return http_json(r, 200, out);
}

static int set_running(req *r, int running)
{
    cJSON *doc = NULL;
    int rc = schedules_set_running(r->m, r->t, r->param[0], r->la, running, &doc);
    return answer(r, rc, doc);
}

/* route: PUT /api/v1/workflow/public/scheduled/{schedule_id}/pause (param[0] schedule_id) */
int h_pause_schedule(req *r) { return set_running(r, 0); }
/* route: PUT /api/v1/workflow/public/scheduled/{schedule_id}/resume (param[0] schedule_id) */
int h_resume_schedule(req *r) { return set_running(r, 1); }
