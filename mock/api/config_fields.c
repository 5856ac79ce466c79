/* config_fields.c: one config field at a time (app-level or a workflow's): read with its
 * options, set, clear; all fields of a config; rule-engine column options. */
#include "engine/configs.h"
#include "engine/fixtures.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The slug header names the app on these routes. */
static const cJSON *header_app(req *r)
{
    const char *slug = http_header(r, "slug");
    if (!slug || !*slug) {
        http_error(r, 400, "BAD_REQUEST", "the slug header is required (the app whose config this is)");
        return NULL;
    }
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app)
        http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", slug, r->t->org_id);
    return app;
}

/* Query value or NULL (empty counts as absent). */
static const char *query(req *r, const char *name, char *buf, size_t n)
{
    return http_query(r, name, buf, n) && *buf ? buf : NULL;
}

static int options_disabled(req *r)
{
    const char *h = http_header(r, "disable_field_options");
    return h && !strcmp(h, "true");
}

static void strip_options(cJSON *field) { cJSON_DeleteItemFromObjectCaseSensitive(field, "options"); }

/* route: POST /api/v2/public/config/field */
int h_get_config_fields(req *r)
{
    const cJSON *app = header_app(r);
    if (!app)
        return r->status;
    char cid[MOCK_ID_LEN];
    const char *config_id = query(r, "config_id", cid, sizeof cid);
    cJSON *cfg = configs_load(r->m, r->t, r->la, json_str(app, "slug"), config_id);
    /* Without an installed config the skeleton shows the defaults a new one would get. */
    cJSON *out = configs_view(r->m, r->t, r->la, app, cfg, config_id);
    cJSON_Delete(cfg);
    if (options_disabled(r)) {
        cJSON *f, *w;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(out, "fields"))
            strip_options(f);
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(out, "workflows"))
            cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(w, "fields"))
                strip_options(f);
    }
    return http_json(r, 200, out);
}

/* The answer when a field route's config or field is missing (0 when neither is). */
static int target_missing(req *r, enum configs_outcome rc, const char *wid, const char *cid)
{
    if (rc == CONFIGS_NO_CONFIG)
        return http_error(r, 404, "SERVER_ERROR", "Config with config id %s not found", cid);
    if (rc == CONFIGS_NO_FIELD && *wid)
        return http_error(r, 400, "SERVER_ERROR", "Field with id %s not found in workflow %s", r->param[0], wid);
    if (rc == CONFIGS_NO_FIELD)
        return http_error(r, 400, "SERVER_ERROR", "Field with id %s not found", r->param[0]);
    return 0;
}

/* app, config id and workflow id of a field route (the slug header, the query); 0, or the
 * status it answered. */
static int field_ids(req *r, const cJSON **app, char *wid, char *cid)
{
    *app = header_app(r);
    if (!*app)
        return r->status;
    if (!query(r, "config_id", cid, MOCK_ID_LEN))
        util_copy(cid, MOCK_ID_LEN, r->la);
    if (!query(r, "workflow_id", wid, MOCK_ID_LEN))
        wid[0] = 0;
    return 0;
}

/* Resolves app, config (may be required), workflow and field of a field route. 0, or the
 * status it answered. *cfg and *def are new values the caller deletes. */
static int field_target(req *r, int need_config, const cJSON **app, cJSON **cfg, cJSON **def, char *wid, char *cid)
{
    *cfg = *def = NULL;
    if (field_ids(r, app, wid, cid))
        return r->status;
    return target_missing(r, configs_field_target(r->m, r->t, r->la, *app, cid, wid, r->param[0], need_config, cfg, def), wid, cid);
}

static int send_field(req *r, const cJSON *def, const cJSON *cfg, const char *wid)
{
    cJSON *out = configs_field_view(def, cfg, wid);
    if (options_disabled(r))
        strip_options(out);
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/config/field/{fieldId} (param[0] fieldId) */
int h_get_config_field(req *r)
{
    const cJSON *app;
    cJSON *cfg, *def;
    char wid[MOCK_ID_LEN], cid[MOCK_ID_LEN];
    if (r->body && !cJSON_IsObject(r->body))
        return http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object ({\"value\": ...})");
    if (field_target(r, 0, &app, &cfg, &def, wid, cid))
        return r->status;
    int rc = send_field(r, def, cfg, wid);
    cJSON_Delete(cfg);
    cJSON_Delete(def);
    return rc;
}

/* Sets (value non-NULL) or clears a field value and answers the field. */
static int write_field(req *r, const cJSON *value)
{
    const cJSON *app;
    cJSON *cfg, *def;
    char wid[MOCK_ID_LEN], cid[MOCK_ID_LEN], why[400];
    if (field_ids(r, &app, wid, cid))
        return r->status;
    enum configs_outcome rc = configs_write_field(r->m, r->t, r->la, app, cid, wid, r->param[0], value, &cfg, &def, why, sizeof why);
    if (rc == CONFIGS_BAD_INPUT)
        return http_error(r, 400, "BAD_REQUEST", "%s", why);
    if (rc == CONFIGS_STORE_ERROR)
        return http_error(r, 500, "SERVER_ERROR", "could not store the config");
    if (rc != CONFIGS_OK)
        return target_missing(r, rc, wid, cid);
    int sent = send_field(r, def, cfg, wid);
    cJSON_Delete(cfg);
    cJSON_Delete(def);
    return sent;
}

/* route: PUT /api/v2/public/config/field/{fieldId} (param[0] fieldId) */
int h_update_config_field(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, "value");
    if (!v)
        return http_error(r, 400, "BAD_REQUEST", "value is required");
    return write_field(r, cJSON_IsNull(v) ? NULL : v);
}

/* route: DELETE /api/v2/public/config/field/{fieldId} (param[0] fieldId) */
int h_delete_config_field(req *r) { return write_field(r, NULL); }

/* The operators a rule may apply to a column of this type. */
static cJSON *operators(const char *type)
{
    static const char *const text[] = {"Equals", "equals", "Not equals", "not_equals", "Contains", "contains", NULL};
    static const char *const number[] = {"Equals", "equals", "Not equals", "not_equals", "Greater than", "greater_than",
                                         "Less than", "less_than", NULL};
    static const char *const select[] = {"Is", "equals", "Is not", "not_equals", NULL};
    const char *const *ops = !strcmp(type, "number") ? number : !strcmp(type, "select") ? select : text;
    cJSON *out = cJSON_CreateArray();
    for (int i = 0; ops[i]; i += 2) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", ops[i]);
        cJSON_AddStringToObject(o, "value", ops[i + 1]);
        cJSON_AddItemToArray(out, o);
    }
    return out;
}

/* What refold-js's getFieldOptions reads (its RuleOptions): the right-hand side of a rule on
 * column col (a select with its options, or free text) and the operators between them. */
static cJSON *rule_column(const cJSON *col, const char *name)
{
    const char *ft = json_str(col, "field_type") ? json_str(col, "field_type") : "text";
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(col, "options");
    int is_select = !strcmp(ft, "select") && cJSON_IsArray(opts);
    cJSON *rc = cJSON_CreateObject(), *rhs = cJSON_CreateObject(), *op = cJSON_CreateObject();
    cJSON_AddStringToObject(rhs, "name", name);
    cJSON_AddStringToObject(rhs, "type", is_select ? "select" : "text");
    if (is_select)
        cJSON_AddItemToObject(rhs, "options", cJSON_Duplicate(opts, 1));
    cJSON_AddStringToObject(op, "name", "operator");
    cJSON_AddStringToObject(op, "type", "select");
    cJSON_AddItemToObject(op, "options", operators(is_select ? "select" : ft));
    cJSON_AddItemToObject(rc, "rhs", rhs);
    cJSON_AddItemToObject(rc, "operator", op);
    return rc;
}

/* route: POST /api/v2/public/config/rule-engine/{fieldId} (param[0] fieldId) */
int h_get_rule_engine_options(req *r)
{
    /* cobalt-js 8.5's getRuleFieldOptions sends no body at all: it asks for the columns. */
    const cJSON *col = NULL;
    if (r->raw_len) {
        if (!http_need_object(r))
            return r->status;
        col = cJSON_GetObjectItemCaseSensitive(r->body, "rule_column");
        if (!cJSON_IsObject(col))
            return http_error(r, 400, "BAD_REQUEST", col ? "rule_column must be an object" : "rule_column is required");
    }
    const cJSON *app;
    cJSON *cfg, *def;
    char wid[MOCK_ID_LEN], cid[MOCK_ID_LEN];
    if (field_target(r, 0, &app, &cfg, &def, wid, cid))
        return r->status;
    cJSON_Delete(cfg);
    const char *type = json_str(def, "field_type");
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(def, "rule_columns");
    if (!type || strcmp(type, "rule_engine") || !cJSON_IsArray(cols) || !cJSON_GetArraySize(cols)) {
        cJSON_Delete(def);
        return http_error(r, 400, "SERVER_ERROR", "Field with id %s is not of type rule engine or has undefined columns", r->param[0]);
    }
    const char *name = json_str(col, "name");
    const char *lhs = json_str(col, "lhs");
    const cJSON *opts = NULL, *c, *found_col = NULL;
    if (!name && lhs) /* refold-js getFieldOptions: the lhs is the column's option value (or its name) */
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(def, "options"))
            if (json_str(c, "value") && !strcmp(json_str(c, "value"), lhs))
                name = json_str(c, "name");
    if (!name && lhs)
        name = lhs;
    if (!name) {
        opts = cJSON_GetObjectItemCaseSensitive(def, "options"); /* no column named: the columns themselves */
    } else {
        const cJSON *found = NULL;
        cJSON_ArrayForEach(c, cols)
            if (json_str(c, "name") && !strcasecmp(json_str(c, "name"), name))
                found = c;
        found_col = found;
        if (!found) {
            int rc = http_error(r, 400, "BAD_REQUEST", "Rule column %s not found in field %s", name, r->param[0]);
            cJSON_Delete(def);
            return rc;
        }
        opts = cJSON_GetObjectItemCaseSensitive(found, "options");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "options", cJSON_IsArray(opts) ? cJSON_Duplicate(opts, 1) : cJSON_CreateArray());
    if (lhs && found_col)
        cJSON_AddItemToObject(out, "rule_column", rule_column(found_col, name));
    cJSON_Delete(def);
    return http_json(r, 200, out);
}
