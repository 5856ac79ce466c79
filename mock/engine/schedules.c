/* schedules.c: the schedule engine: when a scheduled trigger runs, firing due runs on the virtual
 * clock through executions.c, and checking trigger fields. The routes are in api/schedules_api.c. */
#include "engine/schedules.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/cron.h"
#include "engine/executions.h"
#include "engine/fixtures.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SCHEDULE_KIND "schedule" /* parent: the linked account; due time: the next run */

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
int schedules_arm(struct mock *m, const struct tenant *t, cJSON *doc, long long after)
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

long long schedules_count_due(struct mock *m, const struct tenant *t, long long from, long long to, long long cap)
{
    long long n = 0;
    cJSON *all = store_list(m->store, t->id, SCHEDULE_KIND, NULL, "status", "running", 0, 0, NULL), *doc;
    cJSON_ArrayForEach(doc, all) {
        const char *armed = json_str(doc, "next_run_at");
        /* from the armed time on (one at or before `from` not fired yet runs at the first step) */
        long long at = armed ? util_parse_iso8601(armed) : 0;
        (void)from;
        for (; at > 0 && at <= to && n <= cap; at = next_run(doc, at))
            n++;
        if (n > cap)
            break;
    }
    cJSON_Delete(all);
    return n;
}

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
        if (schedules_arm(m, t, doc, due) != 0) {
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
        const struct tenant *t = tenants_by_id(m, json_str(row, "tenant"));
        if (t)
            run_one(m, t, json_str(row, "id"), (long long)json_num(row, "due_ms", 0));
        else
            store_set_due(m->store, json_str(row, "tenant"), SCHEDULE_KIND, json_str(row, "id"), 0);
    }
    cJSON_Delete(due);
}

static int is_whole(const cJSON *v) { return cJSON_IsNumber(v) && floor(v->valuedouble) == v->valuedouble; }

/* Applies the trigger fields of body to doc (register: every field; update: those present),
 * checking them. 0, or -1 with the reason in err (a 400 for the caller). */
int schedules_apply_trigger(cJSON *doc, const cJSON *body, char *err, size_t n)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(body, "trigger_type");
    const cJSON *regex = cJSON_GetObjectItemCaseSensitive(body, "regex");
    const cJSON *dates = cJSON_GetObjectItemCaseSensitive(body, "interval_dates");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(body, "payload");
    static const char *const strs[] = {"regex", "startDate", "endDate", "tz"};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, strs[i]);
        if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
            return snprintf(err, n, "%s must be a string", strs[i]), -1;
    }
    if (type && (!cJSON_IsString(type) || (strcmp(type->valuestring, "cron") && strcmp(type->valuestring, "interval"))))
        return snprintf(err, n, "trigger_type must be cron or interval"), -1;
    if (payload && !cJSON_IsObject(payload))
        return snprintf(err, n, "payload must be an object"), -1;
    if (dates && !cJSON_IsArray(dates))
        return snprintf(err, n, "interval_dates must be an array of {day, month, year, hour, minute}"), -1;

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
        return snprintf(err, n, "tz %s is not a known time zone (use UTC, an offset like +05:30, or an IANA name)", tz), -1;
    int y, mo, d;
    const char *sd = json_str(opts, "startDate"), *ed = json_str(opts, "endDate");
    if (sd && cron_parse_date(sd, &y, &mo, &d))
        return snprintf(err, n, "startDate must be a date YYYY-MM-DD"), -1;
    if (ed && cron_parse_date(ed, &y, &mo, &d))
        return snprintf(err, n, "endDate must be a date YYYY-MM-DD"), -1;
    if (sd && ed && strncmp(sd, ed, 10) > 0)
        return snprintf(err, n, "endDate is before startDate"), -1;
    const char *tt = json_str(doc, "trigger_type");
    if (!tt)
        return snprintf(err, n, "trigger_type is required"), -1;
    if (!strcmp(tt, "cron")) {
        struct cron c;
        char why[200];
        const char *pattern = json_str(doc, "cron_patten");
        if (!pattern || !*pattern)
            return snprintf(err, n, "regex (the cron expression) is required for a cron trigger"), -1;
        if (cron_parse(pattern, &c, why, sizeof why))
            return snprintf(err, n, "regex is not a valid cron expression: %s", why), -1;
    } else {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "trigger_interval"), *e;
        int count = cJSON_GetArraySize(list), i = 0;
        if (count == 0)
            return snprintf(err, n, "interval_dates is required for an interval trigger: [{day, month, year, hour, minute}]"), -1;
        if (count > MAX_INTERVAL_DATES)
            return snprintf(err, n, "at most %d interval_dates", MAX_INTERVAL_DATES), -1;
        cJSON_ArrayForEach(e, list) {
            static const char *const parts[] = {"day", "month", "year", "hour", "minute"};
            if (!cJSON_IsObject(e))
                return snprintf(err, n, "interval_dates[%d] must be an object", i), -1;
            for (int k = 0; k < 5; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, parts[k]);
                if ((k < 3 && !v) || (v && !is_whole(v)))
                    return snprintf(err, n, "interval_dates[%d].%s must be a whole number", i, parts[k]), -1;
            }
            if (interval_ms(e, tz) < 0)
                return snprintf(err, n, "interval_dates[%d] is not a valid date and time", i), -1;
            i++;
        }
    }
    return 0;
}

/* ---- the model the routes use ---- */

cJSON *schedules_new(struct mock *m, const struct tenant *t, const char *la, const char *wf_id, const char *config_id)
{
    char id[25], event_id[25], at[32];
    util_new_id(id);
    util_new_id(event_id);
    util_iso8601(clock_now_ms(m), at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "event_id", event_id);
    cJSON_AddStringToObject(doc, "workflow", wf_id);
    cJSON_AddStringToObject(doc, "config_id", config_id && *config_id ? config_id : la);
    cJSON_AddStringToObject(doc, "linked_account_id", la);
    cJSON_AddStringToObject(doc, "environment", t->environment);
    cJSON_AddStringToObject(doc, "org_id", t->org_id);
    cJSON_AddItemToObject(doc, "trigger_interval", cJSON_CreateArray());
    cJSON_AddStringToObject(doc, "status", "running");
    cJSON_AddBoolToObject(doc, "inactive", 0);
    cJSON_AddBoolToObject(doc, "registered_by_api", 1);
    cJSON *opts = cJSON_AddObjectToObject(doc, "options");
    cJSON_AddStringToObject(opts, "tz", "UTC");
    cJSON_AddItemToObject(doc, "payload", cJSON_CreateObject());
    cJSON_AddNumberToObject(doc, "run_count", 0);
    cJSON_AddStringToObject(doc, "createdAt", at);
    return doc;
}

/* Stamps, arms and commits the transaction the caller began (rolled back on failure). */
static int save(struct mock *m, const struct tenant *t, cJSON *doc)
{
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = schedules_arm(m, t, doc, clock_now_ms(m));
    if (rc != 0)
        store_rollback(m->store);
    return rc != 0 || store_commit(m->store) != 0 ? -1 : 0;
}

int schedules_register(struct mock *m, const struct tenant *t, cJSON *doc)
{
    store_begin(m->store);
    return save(m, t, doc);
}

cJSON *schedules_get(struct mock *m, const struct tenant *t, const char *id, const char *la)
{
    cJSON *doc = store_get(m->store, t->id, SCHEDULE_KIND, id);
    const char *owner = doc ? json_str(doc, "linked_account_id") : NULL;
    if (doc && owner && (!la || !la[0] || !strcmp(owner, la)))
        return doc;
    cJSON_Delete(doc);
    return NULL;
}

cJSON *schedules_list(struct mock *m, const struct tenant *t, const char *la, int offset, int limit, int *total)
{
    return store_list(m->store, t->id, SCHEDULE_KIND, la, NULL, NULL, offset, limit, total);
}

int schedules_update(struct mock *m, const struct tenant *t, const char *id, const char *la, const cJSON *body,
                     char *err, size_t n, cJSON **out)
{
    *out = NULL;
    store_begin(m->store);
    cJSON *doc = schedules_get(m, t, id, la);
    if (!doc) {
        store_rollback(m->store);
        return 1;
    }
    /* switching kinds drops the other kind's settings */
    const char *type = json_str(body, "trigger_type");
    if (type && !strcmp(type, "cron") && !cJSON_GetObjectItemCaseSensitive(body, "interval_dates"))
        json_set(doc, "trigger_interval", cJSON_CreateArray());
    if (type && !strcmp(type, "interval"))
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "cron_patten");
    if (body && schedules_apply_trigger(doc, body, err, n)) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return 2;
    }
    if (save(m, t, doc) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

int schedules_set_running(struct mock *m, const struct tenant *t, const char *id, const char *la, int running, cJSON **out)
{
    *out = NULL;
    store_begin(m->store);
    cJSON *doc = schedules_get(m, t, id, la);
    if (!doc) {
        store_rollback(m->store);
        return 1;
    }
    json_set(doc, "status", cJSON_CreateString(running ? "running" : "paused"));
    json_set(doc, "inactive", cJSON_CreateBool(!running));
    if (save(m, t, doc) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

int schedules_delete(struct mock *m, const struct tenant *t, const char *id, const char *la)
{
    store_begin(m->store);
    cJSON *doc = schedules_get(m, t, id, la);
    if (!doc) {
        store_rollback(m->store);
        return 1;
    }
    cJSON_Delete(doc);
    store_del(m->store, t->id, SCHEDULE_KIND, id);
    return store_commit(m->store) != 0 ? -1 : 0;
}

void schedules_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, SCHEDULE_KIND, la);
}
