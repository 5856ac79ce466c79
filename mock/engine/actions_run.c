/* actions_run.c: runs an app fixture's action (its parameters, connection, override, records). */
#define _GNU_SOURCE /* strcasestr */
#include "engine/actions_run.h"
#include "base/json.h"
#include "engine/app_gate.h"
#include "engine/clock.h"
#include "engine/overrides.h"
#include "base/store.h"
#include "engine/templates.h"
#include "base/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Records live as documents {"key": "<slug>/<collection>", "record_id", "record"} under the
 * linked account, id "<la>/<slug>/<collection>/<record id>". */
#define REC_KIND "action_record"

static int fail(struct actions_run_result *res, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct actions_run_result *res, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
    util_copy(res->error_code, sizeof res->error_code, code);
    res->body = NULL;
    return res->status = status;
}

static int ok(struct actions_run_result *res, int status, cJSON *body)
{
    res->body = body;
    return res->status = status;
}

const cJSON *actions_run_find(const cJSON *app, const char *id)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(app, "actions")) {
        const char *aid = json_str(a, "action_id");
        if (aid && id && !strcmp(aid, id))
            return a;
    }
    return NULL;
}

/* ---- parameter checks ---- */

static int is_blank(const cJSON *v) { return !v || cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring); }

/* Numbers may come as JSON numbers or numeric strings (the docs send "limit": "1"). */
static int as_number(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v))
        return *out = v->valuedouble, 1;
    if (cJSON_IsString(v) && *v->valuestring) {
        char *end;
        double d = strtod(v->valuestring, &end);
        if (!*end && isfinite(d))
            return *out = d, 1;
    }
    return 0;
}

static int option_allowed(const cJSON *param, const cJSON *v)
{
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(param, "options"), *o;
    if (!cJSON_IsArray(opts) || !cJSON_GetArraySize(opts))
        return 1;
    cJSON_ArrayForEach(o, opts) {
        const cJSON *ov = cJSON_GetObjectItemCaseSensitive(o, "value");
        if (cJSON_Compare(ov, v, 1))
            return 1;
    }
    return 0;
}

/* 0, or the status of the 400 it set. */
static int check_params(struct actions_run_result *res, const cJSON *action, const cJSON *body)
{
    char missing[512] = "";
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(action, "parameters")) {
        const char *name = json_str(p, "name");
        if (!name)
            continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
        if (is_blank(v)) {
            if (json_bool(p, "required", 0)) {
                size_t used = strlen(missing);
                snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "", name);
            }
            continue;
        }
        const char *type = json_str(p, "type") ? json_str(p, "type") : "text";
        double d;
        if (!strcmp(type, "number") && !as_number(v, &d))
            return fail(res, 400, "BAD_REQUEST", "Parameter %s must be a number", name);
        if (!strcmp(type, "boolean") && !cJSON_IsBool(v) &&
            !(cJSON_IsString(v) && (!strcmp(v->valuestring, "true") || !strcmp(v->valuestring, "false"))))
            return fail(res, 400, "BAD_REQUEST", "Parameter %s must be true or false", name);
        if (!strcmp(type, "select") && !option_allowed(p, v)) {
            char *shown = json_print(v);
            fail(res, 400, "BAD_REQUEST", "Parameter %s: %s is not one of its options", name, shown ? shown : "value");
            free(shown);
            return res->status;
        }
    }
    if (*missing)
        return fail(res, 400, "BAD_REQUEST", "Missing required parameters: %s", missing);
    return 0;
}

/* ---- records ---- */

static void rec_doc_id(char *out, size_t n, const char *la, const char *key, const char *rid)
{
    snprintf(out, n, "%s/%s/%s", la, key, rid);
}

/* The id a get/update/delete names: its id_param, as a string. */
static int record_id(const cJSON *body, const char *param, char *out, size_t n)
{
    const cJSON *v = param ? cJSON_GetObjectItemCaseSensitive(body, param) : NULL;
    if (cJSON_IsString(v) && *v->valuestring)
        return util_copy(out, n, v->valuestring);
    if (cJSON_IsNumber(v))
        return snprintf(out, n, "%.0f", v->valuedouble) > 0;
    return 0;
}

static const cJSON *at_path(const cJSON *v, const cJSON *path)
{
    const cJSON *seg;
    cJSON_ArrayForEach(seg, path) {
        if (!cJSON_IsString(seg) || !cJSON_IsObject(v))
            return NULL;
        v = cJSON_GetObjectItemCaseSensitive(v, seg->valuestring);
    }
    return v;
}

static void as_text(const cJSON *v, char *out, size_t n)
{
    if (cJSON_IsString(v))
        snprintf(out, n, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(out, n, "%g", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(out, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else
        out[0] = 0;
}

/* A list action's optional "filter": {"path": [...], "value": V, "operator": OP} (rendered with
 * the parameters first). Operators: EQ (default), NEQ, CONTAINS_TOKEN, HAS_PROPERTY, GT, LT. */
static int record_matches(const cJSON *rec, const cJSON *filter)
{
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(filter, "path");
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(filter, "value");
    const char *op = json_str(filter, "operator") ? json_str(filter, "operator") : "EQ";
    if (!cJSON_IsArray(path))
        return 1;
    const cJSON *got = at_path(rec, path);
    if (!strcasecmp(op, "HAS_PROPERTY"))
        return got && !cJSON_IsNull(got);
    if (!want)
        return 1;
    char a[512], b[512];
    as_text(got, a, sizeof a);
    as_text(want, b, sizeof b);
    if (!strcasecmp(op, "NEQ"))
        return strcmp(a, b) != 0;
    if (!strcasecmp(op, "CONTAINS_TOKEN"))
        return *b && strcasestr(a, b) != NULL;
    if (!strcasecmp(op, "GT") || !strcasecmp(op, "LT")) {
        char *e1, *e2;
        double x = strtod(a, &e1), y = strtod(b, &e2);
        if (!*a || *e1 || !*b || *e2)
            return 0;
        return !strcasecmp(op, "GT") ? x > y : x < y;
    }
    return !strcmp(a, b);
}

static cJSON *list_records(struct mock *m, const struct tenant *t, const char *la, const char *key, const cJSON *action,
                           const struct tpl_ctx *ctx)
{
    cJSON *docs = store_list(m->store, t->id, REC_KIND, la, "key", key, 0, 0, NULL), *d;
    const cJSON *recs = cJSON_GetObjectItemCaseSensitive(action, "records");
    cJSON *filter = cJSON_GetObjectItemCaseSensitive(recs, "filter") ? templates_render(cJSON_GetObjectItemCaseSensitive(recs, "filter"), ctx) : NULL;
    double limit = 0;
    as_number(cJSON_GetObjectItemCaseSensitive(ctx->params, "limit"), &limit);
    cJSON *out = cJSON_CreateArray();
    cJSON_ArrayForEach(d, docs) {
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(d, "record");
        if (limit >= 1 && cJSON_GetArraySize(out) >= (int)limit)
            break;
        if (rec && (!filter || record_matches(rec, filter)))
            cJSON_AddItemToArray(out, cJSON_Duplicate(rec, 1));
    }
    cJSON_Delete(filter);
    cJSON_Delete(docs);
    return out;
}

/* Runs the action's record operation into res; inside one transaction. The failures before a
 * write end it with a commit (nothing written), not a rollback: a rollback would also undo the
 * transaction of a workflow run this action is a step of. */
static int run_records(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, const cJSON *action,
                       const cJSON *params, struct actions_run_result *res)
{
    const char *slug = json_str(app, "slug");
    const cJSON *recs = cJSON_GetObjectItemCaseSensitive(action, "records");
    const char *op = json_str(recs, "op") ? json_str(recs, "op") : "none";
    const char *collection = json_str(recs, "collection") ? json_str(recs, "collection") : json_str(action, "action_id");
    const cJSON *rec_tpl = cJSON_GetObjectItemCaseSensitive(action, "record");
    const char *result = "result";
    char key[256], now[32], fresh[25], rid[MOCK_ID_LEN], did[3 * MOCK_ID_LEN + 300];
    /* A read without its id pages through the collection (applications/execute-action.mdx reads
     * get_contact with {"limit": "1"} and gets data.results[] and paging). */
    if (!strcmp(op, "get") && json_bool(recs, "list_without_id", 0) && !record_id(params, json_str(recs, "id_param"), rid, sizeof rid))
        op = "list", result = "list_result";
    snprintf(key, sizeof key, "%s/%s", slug, collection);
    util_iso8601(clock_now_ms(m), now);
    util_new_id(fresh);
    struct tpl_ctx ctx = {.params = params, .now = now, .id = fresh};
    cJSON *record = NULL, *records = NULL;

    store_begin(m->store);
    if (!strcmp(op, "create")) {
        record = templates_render(rec_tpl, &ctx);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "key", key);
        cJSON_AddStringToObject(d, "record_id", fresh);
        cJSON_AddItemToObject(d, "record", cJSON_Duplicate(record, 1));
        rec_doc_id(did, sizeof did, la, key, fresh);
        store_put(m->store, t->id, REC_KIND, did, la, d);
        cJSON_Delete(d);
    } else if (!strcmp(op, "get") || !strcmp(op, "update") || !strcmp(op, "delete")) {
        if (!record_id(params, json_str(recs, "id_param"), rid, sizeof rid)) {
            store_commit(m->store);
            return fail(res, 400, "BAD_REQUEST", "Missing required parameters: %s",
                        json_str(recs, "id_param") ? json_str(recs, "id_param") : "id");
        }
        rec_doc_id(did, sizeof did, la, key, rid);
        cJSON *d = store_get(m->store, t->id, REC_KIND, did);
        if (!d) {
            store_commit(m->store);
            return fail(res, 404, "RESOURCE_NOT_FOUND", "%s has no %s record with id %s for linked account %s",
                        slug, collection, rid, la);
        }
        record = cJSON_DetachItemFromObjectCaseSensitive(d, "record");
        if (!strcmp(op, "update")) {
            cJSON *patch = templates_render(rec_tpl, &ctx);
            templates_merge(record, patch);
            cJSON_Delete(patch);
            cJSON_AddItemToObject(d, "record", cJSON_Duplicate(record, 1));
            store_put(m->store, t->id, REC_KIND, did, la, d);
        } else if (!strcmp(op, "delete")) {
            store_del(m->store, t->id, REC_KIND, did);
        }
        cJSON_Delete(d);
    } else if (!strcmp(op, "list")) {
        records = list_records(m, t, la, key, action, &ctx);
    }
    if (store_commit(m->store) != 0) {
        cJSON_Delete(record);
        cJSON_Delete(records);
        return fail(res, 500, "SERVER_ERROR", "could not store the %s record", collection);
    }
    ctx.record = record;
    ctx.records = records;
    cJSON *out = templates_render(cJSON_GetObjectItemCaseSensitive(action, result), &ctx);
    cJSON_Delete(record);
    cJSON_Delete(records);
    return ok(res, 200, out);
}

/* A scenario's result for this call: status < 400 answers body (a default success body when
 * NULL); otherwise an error with body's error_code/message when given. Takes body. */
static int overridden(struct actions_run_result *res, int status, cJSON *body)
{
    if (status < 400) {
        if (!body) {
            body = cJSON_CreateObject();
            cJSON_AddStringToObject(body, "node_status", "Success");
            cJSON_AddItemToObject(body, "data", cJSON_CreateObject());
        }
        return ok(res, status, body);
    }
    const char *code = json_str(body, "error_code") ? json_str(body, "error_code") : "ACTION_FAILED";
    if (json_str(body, "message"))
        fail(res, status, code, "%s", json_str(body, "message"));
    else
        fail(res, status, code, "%s (result set by the loaded scenario)", util_status_reason(status));
    cJSON_Delete(body);
    return res->status;
}

int actions_run(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, const cJSON *action,
                const cJSON *params, struct actions_run_result *res)
{
    memset(res, 0, sizeof *res);
    const char *slug = json_str(app, "slug");
    if (check_params(res, action, params))
        return res->status;
    char reason[32], msg[512 + MOCK_ID_LEN];
    enum app_gate_state g = app_gate_state(m, t, la, slug, reason, sizeof reason);
    if (g != GATE_OK) {
        const char *code;
        int status = app_gate_status(g, &code);
        app_gate_message(g, la, slug, reason, msg, sizeof msg);
        return fail(res, status, code, "%s", msg);
    }
    int status;
    cJSON *body = NULL;
    if (overrides_take_action_result(m, t, slug, json_str(action, "action_id"), &status, &body))
        return overridden(res, status, body);
    return run_records(m, t, la, app, action, params, res);
}

void actions_run_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, REC_KIND, la);
}
