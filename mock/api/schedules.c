/* schedules.c: scheduled triggers (/api/v1/workflow/public/scheduled): cron or interval runs of a
 * workflow for a linked account, fired by the virtual clock through executions.c. */
#include "schedules.h"
#include "../cron.h"
#include "../executions.h"
#include "../fixtures.h"
#include "../http.h"
#include "../store.h"
#include "../util.h"
#include "../workflow_defs.h"
#include "handlers.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_INTERVAL_DATES 1000

/* ---- when a schedule runs ---- */

/* The window of startDate/endDate in the schedule's zone: [from, until) in ms. */
static void window(const cJSON *opts, const char *tz, long long *from, long long *until)
{
    int y, mo, d;
    *from = LLONG_MIN;
    *until = LLONG_MAX;
    if (cron_parse_date(json_str(opts, "startDate"), &y, &mo, &d) == 0)
        *from = cron_local_ms(tz, y, mo, d, 0, 0);
    if (cron_parse_date(json_str(opts, "endDate"), &y, &mo, &d) == 0)
        *until = cron_local_ms(tz, y, mo, d, 23, 59) + 60000; /* the whole end day runs */
}

static long long interval_ms(const cJSON *e, const char *tz)
{
    return cron_local_ms(tz, (int)json_num(e, "year", 0), (int)json_num(e, "month", 0), (int)json_num(e, "day", 0),
                         (int)json_num(e, "hour", 0), (int)json_num(e, "minute", 0));
}

/* The first run strictly after `after`, or 0 when there is none. */
static long long next_run(const cJSON *doc, long long after)
{
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(doc, "options");
    const char *tz = json_str(opts, "tz") ? json_str(opts, "tz") : "UTC";
    long long from, until, next = -1;
    window(opts, tz, &from, &until);
    if (from != LLONG_MIN && after < from - 1)
        after = from - 1;
    if (!strcmp(json_str(doc, "trigger_type"), "cron")) {
        struct cron c;
        char err[128];
        if (cron_parse(json_str(doc, "cron_patten"), &c, err, sizeof err) == 0)
            next = cron_next(&c, tz, after);
    } else {
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "trigger_interval")) {
            long long at = interval_ms(e, tz);
            if (at > after && (next < 0 || at < next))
                next = at;
        }
    }
    return next > 0 && next < until ? next : 0;
}

/* Arms (or disarms) the schedule's timer and records next_run_at. Inside a transaction. */
static int arm(struct mock *m, const struct tenant *t, cJSON *doc, long long after)
{
    long long next = !strcmp(json_str(doc, "status"), "running") ? next_run(doc, after) : 0;
    char at[32];
    if (next) {
        util_iso8601(next, at);
        json_set(doc, "next_run_at", cJSON_CreateString(at));
    } else {
        json_set(doc, "next_run_at", cJSON_CreateNull());
    }
    const char *id = json_str(doc, "_id");
    if (store_put(m->store, t->id, SCHEDULE_KIND, id, json_str(doc, "linked_account_id"), doc) != 0)
        return -1;
    return store_set_due(m->store, t->id, SCHEDULE_KIND, id, next);
}

long long schedules_next_due(struct mock *m) { return store_next_due(m->store, SCHEDULE_KIND); }

/* One run: start the execution, then count it and arm the next due time after this one (not
 * after now), so a clock that jumps past several due times still runs each of them once. */
static void run_one(struct mock *m, const struct tenant *t, const char *id, long long due)
{
    cJSON *doc = store_get(m->store, t->id, SCHEDULE_KIND, id);
    if (!doc)
        return;
    /* The execution starts in its own transaction: a run that cannot start must not undo the
     * bookkeeping below, or the same due time would fire again and again. */
    char exec_id[25] = "", at[32];
    int rc = EXEC_FAILED;
    if (!strcmp(json_str(doc, "status"), "running")) {
        struct exec_start s = {
            .la = json_str(doc, "linked_account_id"),
            .workflow_id = json_str(doc, "workflow"),
            .config_id = json_str(doc, "config_id"),
            .input = cJSON_GetObjectItemCaseSensitive(doc, "payload"),
            .source = EXEC_SOURCE_SCHEDULE,
            .event_id = json_str(doc, "event_id"),
        };
        rc = executions_run(m, t, &s, exec_id);
    }
    store_begin(m->store);
    if (rc == EXEC_NO_LINKED_ACCOUNT) {
        /* the linked account is gone, and its schedules with it */
        store_del(m->store, t->id, SCHEDULE_KIND, id);
    } else {
        util_iso8601(due, at);
        json_set(doc, "last_run_at", cJSON_CreateString(at));
        json_set(doc, "run_count", cJSON_CreateNumber(json_num(doc, "run_count", 0) + 1));
        if (rc == EXEC_OK) {
            json_set(doc, "last_execution_id", cJSON_CreateString(exec_id));
            cJSON_DeleteItemFromObjectCaseSensitive(doc, "last_run_error");
        } else {
            json_set(doc, "last_run_error", cJSON_CreateString(rc == EXEC_NO_WORKFLOW ? "the workflow no longer exists"
                                                               : rc == EXEC_NOT_PUBLISHED ? "the workflow is not published"
                                                                                          : "the execution could not start"));
        }
        if (arm(m, t, doc, due) != 0) {
            store_rollback(m->store);
            store_set_due(m->store, t->id, SCHEDULE_KIND, id, 0); /* never fire the same due time twice */
            cJSON_Delete(doc);
            return;
        }
    }
    cJSON_Delete(doc);
    if (store_commit(m->store) != 0)
        store_set_due(m->store, t->id, SCHEDULE_KIND, id, 0);
}

void schedules_fire(struct mock *m, long long now)
{
    cJSON *due = store_due(m->store, SCHEDULE_KIND, now), *row;
    cJSON_ArrayForEach(row, due) {
        const struct tenant *t = fixtures_tenant_by_id(m->fx, json_str(row, "tenant"));
        if (t)
            run_one(m, t, json_str(row, "id"), (long long)json_num(row, "due_ms", 0));
        else
            store_set_due(m->store, json_str(row, "tenant"), SCHEDULE_KIND, json_str(row, "id"), 0);
    }
    cJSON_Delete(due);
}

/* ---- the API ---- */

/* Schedules belong to a linked account: every route names it. */
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
    if (doc && owner && !strcmp(owner, r->la))
        return doc;
    cJSON_Delete(doc);
    http_error(r, 404, "RESOURCE_NOT_FOUND", "Scheduled Job Not Found: %s for linked account %s", r->param[0], r->la);
    return NULL;
}

static int is_whole(const cJSON *v) { return cJSON_IsNumber(v) && floor(v->valuedouble) == v->valuedouble; }

/* Applies the trigger fields of body to doc (register: every field; update: those present),
 * checking them. 0, or the 400 was sent. */
static int apply_trigger(req *r, cJSON *doc, const cJSON *body)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(body, "trigger_type");
    const cJSON *regex = cJSON_GetObjectItemCaseSensitive(body, "regex");
    const cJSON *dates = cJSON_GetObjectItemCaseSensitive(body, "interval_dates");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(body, "payload");
    static const char *const strs[] = {"regex", "startDate", "endDate", "tz"};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, strs[i]);
        if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
            return http_error(r, 400, "BAD_REQUEST", "%s must be a string", strs[i]);
    }
    if (type && (!cJSON_IsString(type) || (strcmp(type->valuestring, "cron") && strcmp(type->valuestring, "interval"))))
        return http_error(r, 400, "BAD_REQUEST", "trigger_type must be cron or interval");
    if (payload && !cJSON_IsObject(payload))
        return http_error(r, 400, "BAD_REQUEST", "payload must be an object");
    if (dates && !cJSON_IsArray(dates))
        return http_error(r, 400, "BAD_REQUEST", "interval_dates must be an array of {day, month, year, hour, minute}");

    cJSON *opts = cJSON_GetObjectItemCaseSensitive(doc, "options");
    if (type) {
        json_set(doc, "trigger_type", cJSON_CreateString(type->valuestring));
        json_set(opts, "trigger_type", cJSON_CreateString(type->valuestring));
    }
    if (cJSON_IsString(regex))
        json_set(doc, "cron_patten", cJSON_CreateString(regex->valuestring));
    if (dates)
        json_set(doc, "trigger_interval", cJSON_Duplicate(dates, 1));
    static const char *const optional[] = {"startDate", "endDate", "tz"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, optional[i]);
        if (cJSON_IsString(v) && *v->valuestring)
            json_set(opts, optional[i], cJSON_CreateString(v->valuestring));
        else if (v) /* null or "" clears it */
            cJSON_DeleteItemFromObjectCaseSensitive(opts, optional[i]);
    }
    if (payload)
        json_set(doc, "payload", cJSON_Duplicate(payload, 1));

    /* the result must make sense as a whole */
    const char *tz = json_str(opts, "tz") ? json_str(opts, "tz") : "UTC";
    if (cron_tz_valid(tz) != 0)
        return http_error(r, 400, "BAD_REQUEST", "tz %s is not a known time zone (use UTC, an offset like +05:30, or an IANA name)", tz);
    int y, mo, d;
    const char *sd = json_str(opts, "startDate"), *ed = json_str(opts, "endDate");
    if (sd && cron_parse_date(sd, &y, &mo, &d))
        return http_error(r, 400, "BAD_REQUEST", "startDate must be a date YYYY-MM-DD");
    if (ed && cron_parse_date(ed, &y, &mo, &d))
        return http_error(r, 400, "BAD_REQUEST", "endDate must be a date YYYY-MM-DD");
    if (sd && ed && strncmp(sd, ed, 10) > 0)
        return http_error(r, 400, "BAD_REQUEST", "endDate is before startDate");
    const char *tt = json_str(doc, "trigger_type");
    if (!tt)
        return http_error(r, 400, "BAD_REQUEST", "trigger_type is required");
    if (!strcmp(tt, "cron")) {
        struct cron c;
        char err[200];
        const char *pattern = json_str(doc, "cron_patten");
        if (!pattern || !*pattern)
            return http_error(r, 400, "BAD_REQUEST", "regex (the cron expression) is required for a cron trigger");
        if (cron_parse(pattern, &c, err, sizeof err))
            return http_error(r, 400, "BAD_REQUEST", "regex is not a valid cron expression: %s", err);
    } else {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "trigger_interval"), *e;
        int n = cJSON_GetArraySize(list), i = 0;
        if (n == 0)
            return http_error(r, 400, "BAD_REQUEST", "interval_dates is required for an interval trigger: [{day, month, year, hour, minute}]");
        if (n > MAX_INTERVAL_DATES)
            return http_error(r, 400, "BAD_REQUEST", "at most %d interval_dates", MAX_INTERVAL_DATES);
        cJSON_ArrayForEach(e, list) {
            static const char *const parts[] = {"day", "month", "year", "hour", "minute"};
            if (!cJSON_IsObject(e))
                return http_error(r, 400, "BAD_REQUEST", "interval_dates[%d] must be an object", i);
            for (int k = 0; k < 5; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, parts[k]);
                if ((k < 3 && !v) || (v && !is_whole(v)))
                    return http_error(r, 400, "BAD_REQUEST", "interval_dates[%d].%s must be a whole number", i, parts[k]);
            }
            if (interval_ms(e, tz) < 0)
                return http_error(r, 400, "BAD_REQUEST", "interval_dates[%d] is not a valid date and time", i);
            i++;
        }
    }
    return 0;
}

static int save_and_answer(req *r, cJSON *doc)
{
    char at[32];
    util_iso8601(clock_now_ms(r->m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = arm(r->m, r->t, doc, clock_now_ms(r->m));
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not store the schedule");
    }
    return http_json(r, 200, doc);
}

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
    if (wf_find(r->m, r->t, wf_id, &w))
        return http_error(r, 404, "NOT_FOUND", "Workflow %s not found", wf_id);
    const char *wslug = wf_slug(w.doc);
    int wrong_app = slug && *slug && wslug && strcmp(slug, wslug);
    int foreign = w.is_private && json_str(w.doc, "linked_account_id") && strcmp(json_str(w.doc, "linked_account_id"), r->la);
    char app_of[64];
    snprintf(app_of, sizeof app_of, "%s", wslug ? wslug : "");
    wf_free(&w);
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
    if (apply_trigger(r, doc, r->body)) {
        cJSON_Delete(doc);
        return r->status;
    }
    if (!cJSON_GetObjectItemCaseSensitive(r->body, "trigger_type")) { /* required on register */
        cJSON_Delete(doc);
        return http_error(r, 400, "BAD_REQUEST", "trigger_type is required");
    }
    store_begin(r->m->store);
    return save_and_answer(r, doc);
}

/* The workflow as the listing shows it: {_id, name, associated_application}, or the bare id
 * when it no longer resolves. */
static cJSON *expanded_workflow(req *r, const char *wf_id)
{
    struct wf w;
    if (!wf_id || wf_find(r->m, r->t, wf_id, &w))
        return cJSON_CreateString(wf_id ? wf_id : "");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "_id", wf_id);
    cJSON_AddStringToObject(o, "name", json_str(w.doc, "name") ? json_str(w.doc, "name") : "");
    cJSON *app = wf_app_summary(r->t, w.app);
    cJSON *summary = cJSON_CreateObject();
    cJSON_AddStringToObject(summary, "_id", json_str(app, "_id") ? json_str(app, "_id") : "");
    cJSON_AddStringToObject(summary, "name", json_str(app, "name") ? json_str(app, "name") : "");
    cJSON_Delete(app);
    cJSON_AddItemToObject(o, "associated_application", summary);
    wf_free(&w);
    return o;
}

int h_list_schedules(req *r)
{
    long page, limit;
    if (!need_la(r) || http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    int total = 0;
    cJSON *docs = store_list(r->m->store, r->t->id, SCHEDULE_KIND, r->la, NULL, NULL, (int)((page - 1) * limit),
                             (int)limit, &total), *d;
    cJSON_ArrayForEach(d, docs)
        json_set(d, "workflow", expanded_workflow(r, json_str(d, "workflow")));
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

int h_update_schedule(req *r)
{
    if (!need_la(r))
        return r->status;
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
    if (r->body && apply_trigger(r, doc, r->body)) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        return r->status;
    }
    return save_and_answer(r, doc);
}

int h_delete_schedule(req *r)
{
    if (!need_la(r))
        return r->status;
    store_begin(r->m->store);
    cJSON *doc = load(r);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
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
    if (!need_la(r))
        return r->status;
    store_begin(r->m->store);
    cJSON *doc = load(r);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    /* A resumed schedule picks up from now: runs missed while paused do not fire. */
    json_set(doc, "status", cJSON_CreateString(running ? "running" : "paused"));
    json_set(doc, "inactive", cJSON_CreateBool(!running));
    return save_and_answer(r, doc);
}

int h_pause_schedule(req *r) { return set_running(r, 0); }
int h_resume_schedule(req *r) { return set_running(r, 1); }
