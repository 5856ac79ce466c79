/* configs.c: configs (a linked account's installation of an app): field values, enabled
 * workflows, labels; get-or-create, update, get, delete, toggle, list. */
#include "api/configs.h"
#include "json.h"
#include "clock.h"
#include "fixtures.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "workflow_defs.h"
#include "handlers.h"
#include "linked_accounts.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stored document, kind "config", id "<la>/<slug>/<config_id>", parent la:
 * {"_id","slug","config_id","linked_account_id","values":{field_id: value},
 *  "workflows":{workflow_id: {"enabled": bool, "values": {field_id: value}}},
 *  "labels": [] | {}, "map_labels": {field_id: [labels]}, "createdAt","updatedAt"} */

static void doc_id(char *out, size_t n, const char *la, const char *slug, const char *config_id)
{
    snprintf(out, n, "%s/%s/%s", la, slug, config_id && *config_id ? config_id : la);
}

cJSON *configs_load(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *config_id)
{
    char id[3 * MOCK_ID_LEN + 8];
    doc_id(id, sizeof id, la, slug, config_id);
    return store_get(m->store, t->id, CONFIG_KIND, id);
}

int configs_save(struct mock *m, const struct tenant *t, const char *la, const cJSON *cfg)
{
    char id[3 * MOCK_ID_LEN + 8];
    doc_id(id, sizeof id, la, json_str(cfg, "slug"), json_str(cfg, "config_id"));
    return store_put(m->store, t->id, CONFIG_KIND, id, la, cfg);
}

static const cJSON *app_config(const cJSON *app, const char *what)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "config"), what);
}

cJSON *configs_workflow_defs(struct mock *m, const struct tenant *t, const char *la, const cJSON *app)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *fw;
    cJSON_ArrayForEach(fw, app_config(app, "workflows")) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "id", json_str(fw, "id"));
        cJSON_AddStringToObject(d, "name", json_str(fw, "name"));
        cJSON_AddStringToObject(d, "description", json_str(fw, "description") ? json_str(fw, "description") : "");
        cJSON_AddStringToObject(d, "icon", json_str(fw, "icon") ? json_str(fw, "icon") : "");
        cJSON_AddBoolToObject(d, "enabled", json_bool(fw, "enabled", 0));
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(fw, "fields");
        cJSON_AddItemToObject(d, "fields", f ? cJSON_Duplicate(f, 1) : cJSON_CreateArray());
        cJSON_AddItemToArray(out, d);
    }
    /* The linked account's own published workflows for this app are on by default. */
    cJSON *priv = store_list(m->store, t->id, WF_KIND, la, "slug", json_str(app, "slug"), 0, 0, NULL), *p;
    cJSON_ArrayForEach(p, priv) {
        if (!json_bool(p, "published", 0) || json_bool(p, "is_draft", 0))
            continue;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "id", json_str(p, "_id"));
        cJSON_AddStringToObject(d, "name", json_str(p, "name") ? json_str(p, "name") : "");
        cJSON_AddStringToObject(d, "description", json_str(p, "description") ? json_str(p, "description") : "");
        cJSON_AddStringToObject(d, "icon", json_str(p, "icon") ? json_str(p, "icon") : "");
        cJSON_AddBoolToObject(d, "enabled", 1);
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(p, "data_slots");
        cJSON_AddItemToObject(d, "fields", cJSON_IsArray(f) ? cJSON_Duplicate(f, 1) : cJSON_CreateArray());
        cJSON_AddItemToArray(out, d);
    }
    cJSON_Delete(priv);
    return out;
}

static const cJSON *find_by_id(const cJSON *arr, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        const char *eid = json_str(e, "id");
        if (eid && !strcmp(eid, id))
            return e;
    }
    return NULL;
}

static cJSON *wf_state(const cJSON *cfg, const char *wid)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "workflows"), wid);
}

int configs_workflow_enabled(const cJSON *cfg, const cJSON *def)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(wf_state(cfg, json_str(def, "id")), "enabled");
    return cJSON_IsBool(e) ? cJSON_IsTrue(e) : json_bool(def, "enabled", 0);
}

cJSON *configs_field_def(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                        const char *workflow_id, const char *field_id)
{
    if (!workflow_id || !*workflow_id) {
        const cJSON *f = find_by_id(app_config(app, "fields"), field_id);
        return f ? cJSON_Duplicate(f, 1) : NULL;
    }
    cJSON *defs = configs_workflow_defs(m, t, la, app);
    const cJSON *f = find_by_id(cJSON_GetObjectItemCaseSensitive(find_by_id(defs, workflow_id), "fields"), field_id);
    cJSON *out = f ? cJSON_Duplicate(f, 1) : NULL;
    cJSON_Delete(defs);
    return out;
}

static cJSON *values_of(const cJSON *cfg, const char *workflow_id)
{
    if (workflow_id && *workflow_id)
        return cJSON_GetObjectItemCaseSensitive(wf_state(cfg, workflow_id), "values");
    return cJSON_GetObjectItemCaseSensitive(cfg, "values");
}

cJSON *configs_field_view(const cJSON *def, const cJSON *cfg, const char *workflow_id)
{
    cJSON *o = cJSON_Duplicate(def, 1);
    const char *id = json_str(def, "id");
    const cJSON *v = id ? cJSON_GetObjectItemCaseSensitive(values_of(cfg, workflow_id), id) : NULL;
    if (v)
        json_set(o, "value", cJSON_Duplicate(v, 1));
    const char *type = json_str(def, "field_type");
    if (type && !strcmp(type, "map")) {
        /* Labels given at install time replace the fixture's: per field, or for every map field. */
        const cJSON *per = id ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "map_labels"), id) : NULL;
        const cJSON *all = cJSON_GetObjectItemCaseSensitive(cfg, "labels");
        if (cJSON_IsArray(per))
            json_set(o, "labels", cJSON_Duplicate(per, 1));
        else if (cJSON_IsArray(all) && cJSON_GetArraySize(all))
            json_set(o, "labels", cJSON_Duplicate(all, 1));
    }
    /* A field's labels are a list of {name, value}, as the pages' config examples show (the spec's
     * object is overridden: tests/contract/overrides.json) and as the React SDK maps over them;
     * labels sent as an object ({value: name}) are answered in that form. */
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(o, "labels");
    if (cJSON_IsObject(labels)) {
        cJSON *list = cJSON_CreateArray();
        const cJSON *l;
        cJSON_ArrayForEach(l, labels) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "name", cJSON_IsString(l) ? l->valuestring : l->string);
            cJSON_AddStringToObject(e, "value", l->string);
            cJSON_AddItemToArray(list, e);
        }
        json_set(o, "labels", list);
    }
    return o;
}

static int blank(const cJSON *v)
{
    return !v || cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring) || (cJSON_IsArray(v) && !cJSON_GetArraySize(v));
}

static void add_errors(cJSON *errors, const cJSON *fields, const char *workflow_id)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, fields) {
        if (!json_bool(f, "required", 0) || !blank(cJSON_GetObjectItemCaseSensitive(f, "value")) ||
            !blank(cJSON_GetObjectItemCaseSensitive(f, "defaultValue")))
            continue;
        cJSON *e = cJSON_CreateObject();
        char msg[256];
        snprintf(msg, sizeof msg, "%s is required", json_str(f, "name") ? json_str(f, "name") : "field");
        cJSON_AddStringToObject(e, "field_id", json_str(f, "id") ? json_str(f, "id") : "");
        cJSON_AddStringToObject(e, "field_name", json_str(f, "name") ? json_str(f, "name") : "");
        if (workflow_id)
            cJSON_AddStringToObject(e, "workflow_id", workflow_id);
        cJSON_AddStringToObject(e, "message", msg);
        cJSON_AddItemToArray(errors, e);
    }
}

cJSON *configs_view(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, const cJSON *cfg,
                   const char *config_id)
{
    cJSON *o = cJSON_CreateObject(), *errors = cJSON_CreateArray(), *fields = cJSON_CreateArray(), *wfs = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "slug", json_str(app, "slug"));
    cJSON_AddStringToObject(o, "config_id", cfg ? json_str(cfg, "config_id") : (config_id && *config_id ? config_id : la));
    const cJSON *f;
    cJSON_ArrayForEach(f, app_config(app, "fields"))
        cJSON_AddItemToArray(fields, configs_field_view(f, cfg, NULL));
    add_errors(errors, fields, NULL);
    cJSON *defs = configs_workflow_defs(m, t, la, app), *d;
    cJSON_ArrayForEach(d, defs) {
        cJSON *w = cJSON_CreateObject(), *wf_fields = cJSON_CreateArray();
        int enabled = configs_workflow_enabled(cfg, d);
        cJSON_AddStringToObject(w, "id", json_str(d, "id"));
        cJSON_AddStringToObject(w, "name", json_str(d, "name"));
        cJSON_AddStringToObject(w, "description", json_str(d, "description"));
        cJSON_AddStringToObject(w, "icon", json_str(d, "icon"));
        cJSON_AddBoolToObject(w, "enabled", enabled);
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "fields"))
            cJSON_AddItemToArray(wf_fields, configs_field_view(f, cfg, json_str(d, "id")));
        if (enabled) /* a disabled workflow's fields need no values yet */
            add_errors(errors, wf_fields, json_str(d, "id"));
        cJSON_AddItemToObject(w, "fields", wf_fields);
        cJSON_AddItemToArray(wfs, w);
    }
    cJSON_Delete(defs);
    cJSON_AddItemToObject(o, "field_errors", errors);
    cJSON_AddItemToObject(o, "fields", fields);
    cJSON_AddItemToObject(o, "workflows", wfs);
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(cfg, "labels");
    if (labels && cJSON_GetArraySize(labels))
        cJSON_AddItemToObject(o, "labels", cJSON_Duplicate(labels, 1));
    return o;
}

/* ---- values ---- */

static int option_ok(const cJSON *def, const cJSON *v, const char *list)
{
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(def, list), *o;
    if (!cJSON_IsArray(opts) || !cJSON_GetArraySize(opts))
        return 1; /* options resolved elsewhere (a datasource): anything goes */
    cJSON_ArrayForEach(o, opts)
        if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(o, "value"), v, 1))
            return 1;
    return 0;
}

static void shown(const cJSON *v, char *out, size_t n)
{
    char *s = json_print(v);
    snprintf(out, n, "%s", s ? s : "value");
    free(s);
}

const cJSON *configs_coerce(const cJSON *def, const cJSON *v, cJSON **owned)
{
    *owned = NULL;
    const char *type = json_str(def, "field_type");
    if (!type || strcmp(type, "number") || !cJSON_IsString(v))
        return v;
    const char *s = v->valuestring;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return *owned = cJSON_CreateNull();
    char *end;
    double d = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || !isfinite(d) || !strpbrk(s, "0123456789"))
        return v; /* not a number: configs_check_value says so */
    return *owned = cJSON_CreateNumber(d);
}

int configs_check_value(const cJSON *def, const cJSON *v, char *err, size_t n)
{
    const char *name = json_str(def, "name") ? json_str(def, "name") : json_str(def, "id");
    const char *type = json_str(def, "field_type") ? json_str(def, "field_type") : "text";
    char s[128];
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!strcmp(type, "text") || !strcmp(type, "textarea") || !strcmp(type, "email") || !strcmp(type, "password")) {
        if (!cJSON_IsString(v))
            return snprintf(err, n, "Field %s (%s) takes a string", name, type), -1;
    } else if (!strcmp(type, "number")) {
        if (!cJSON_IsNumber(v))
            return snprintf(err, n, "Field %s (number) takes a number", name), -1;
    } else if (!strcmp(type, "boolean")) {
        if (!cJSON_IsBool(v))
            return snprintf(err, n, "Field %s (boolean) takes true or false", name), -1;
    } else if (!strcmp(type, "select")) {
        if (json_bool(def, "multiple", 0)) {
            const cJSON *e;
            if (!cJSON_IsArray(v))
                return snprintf(err, n, "Field %s (multiple select) takes an array of option values", name), -1;
            cJSON_ArrayForEach(e, v) if (!option_ok(def, e, "options"))
                return shown(e, s, sizeof s), snprintf(err, n, "Field %s: %s is not one of its options", name, s), -1;
        } else if (cJSON_IsArray(v) || cJSON_IsObject(v) || !option_ok(def, v, "options")) {
            return shown(v, s, sizeof s), snprintf(err, n, "Field %s: %s is not one of its options", name, s), -1;
        }
    } else if (!strcmp(type, "map")) {
        const cJSON *e;
        if (!cJSON_IsObject(v))
            return snprintf(err, n, "Field %s (map) takes an object of label value -> option value", name), -1;
        cJSON_ArrayForEach(e, v) if (!cJSON_IsNull(e) && !option_ok(def, e, "options"))
            return shown(e, s, sizeof s), snprintf(err, n, "Field %s: %s (for %s) is not one of its options", name, s, e->string), -1;
    } else if (!strcmp(type, "rule_engine")) {
        if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
            return snprintf(err, n, "Field %s (rule_engine) takes an object or an array of rules", name), -1;
    }
    return 0;
}

/* cfg.workflows[wid], created when missing. */
static cJSON *wf_state_make(cJSON *cfg, const char *wid)
{
    cJSON *wfs = cJSON_GetObjectItemCaseSensitive(cfg, "workflows");
    if (!cJSON_IsObject(wfs)) {
        wfs = cJSON_CreateObject();
        json_set(cfg, "workflows", wfs);
    }
    cJSON *st = cJSON_GetObjectItemCaseSensitive(wfs, wid);
    if (!st) {
        st = cJSON_CreateObject();
        cJSON_AddItemToObject(wfs, wid, st);
    }
    return st;
}

void configs_set_value(cJSON *cfg, const char *workflow_id, const char *field_id, const cJSON *value)
{
    cJSON *holder = workflow_id && *workflow_id ? wf_state_make(cfg, workflow_id) : cfg;
    cJSON *vals = cJSON_GetObjectItemCaseSensitive(holder, "values");
    if (!cJSON_IsObject(vals)) {
        vals = cJSON_CreateObject();
        json_set(holder, "values", vals);
    }
    if (value && !cJSON_IsNull(value))
        json_set(vals, field_id, cJSON_Duplicate(value, 1));
    else
        cJSON_DeleteItemFromObjectCaseSensitive(vals, field_id);
}

/* ---- applying a body ---- */

struct fail {
    int status;
    char code[40];
    char msg[512];
};

static int failf(struct fail *f, int status, const char *code, const char *msg)
{
    f->status = status;
    snprintf(f->code, sizeof f->code, "%s", code);
    snprintf(f->msg, sizeof f->msg, "%s", msg);
    return -1;
}

/* fields: {"id": value} (the SDK) or [{"id", "value"}] (the spec's IFieldInConfig). */
static int apply_fields(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, cJSON *cfg,
                        const char *workflow_id, const cJSON *fields, struct fail *f)
{
    char err[400];
    const cJSON *e;
    if (!fields)
        return 0;
    if (!cJSON_IsObject(fields) && !cJSON_IsArray(fields))
        return failf(f, 400, "BAD_REQUEST", "fields must be an object of field id -> value, or an array of {id, value}");
    cJSON_ArrayForEach(e, fields) {
        const char *id = cJSON_IsObject(fields) ? e->string : json_str(e, "id");
        const cJSON *v = cJSON_IsObject(fields) ? e : cJSON_GetObjectItemCaseSensitive(e, "value");
        if (!id)
            return failf(f, 400, "BAD_REQUEST", "every entry of fields needs an id");
        if (cJSON_IsArray(fields) && !v)
            continue; /* a field sent back without a value changes nothing */
        cJSON *def = configs_field_def(m, t, la, app, workflow_id, id);
        if (!def) {
            snprintf(err, sizeof err, "Field with id %s not found", id);
            return failf(f, 400, "BAD_REQUEST", err);
        }
        cJSON *owned;
        v = configs_coerce(def, v, &owned);
        int bad = configs_check_value(def, v, err, sizeof err);
        cJSON_Delete(def);
        if (bad) {
            cJSON_Delete(owned);
            return failf(f, 400, "BAD_REQUEST", err);
        }
        configs_set_value(cfg, workflow_id, id, v);
        cJSON_Delete(owned);
    }
    return 0;
}

static int apply_body(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, cJSON *cfg,
                      const cJSON *body, struct fail *f)
{
    char err[300];
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(body, "fields");
    if (!fields)
        fields = cJSON_GetObjectItemCaseSensitive(body, "application_data_slots");
    if (apply_fields(m, t, la, app, cfg, NULL, fields, f))
        return -1;
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(body, "workflows"), *w;
    if (wfs && !cJSON_IsArray(wfs))
        return failf(f, 400, "BAD_REQUEST", "workflows must be an array of {id, enabled, fields}");
    cJSON *defs = wfs ? configs_workflow_defs(m, t, la, app) : NULL;
    cJSON_ArrayForEach(w, wfs) {
        const char *id = json_str(w, "id");
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(w, "enabled");
        if (!id) {
            cJSON_Delete(defs);
            return failf(f, 400, "BAD_REQUEST", "every entry of workflows needs an id");
        }
        if (!find_by_id(defs, id)) {
            snprintf(err, sizeof err, "Workflow with id %s not found in application %s", id, json_str(app, "slug"));
            cJSON_Delete(defs);
            return failf(f, 400, "BAD_REQUEST", err);
        }
        if (en && !cJSON_IsBool(en)) {
            cJSON_Delete(defs);
            return failf(f, 400, "BAD_REQUEST", "workflows[].enabled must be true or false");
        }
        const cJSON *wf_fields = cJSON_GetObjectItemCaseSensitive(w, "fields");
        if (!wf_fields)
            wf_fields = cJSON_GetObjectItemCaseSensitive(w, "data_slots");
        if (apply_fields(m, t, la, app, cfg, id, wf_fields, f)) {
            cJSON_Delete(defs);
            return -1;
        }
        if (en)
            json_set(wf_state_make(cfg, id), "enabled", cJSON_CreateBool(cJSON_IsTrue(en)));
    }
    cJSON_Delete(defs);
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(body, "labels");
    if (labels) {
        if (!cJSON_IsArray(labels) && !cJSON_IsObject(labels))
            return failf(f, 400, "BAD_REQUEST", "labels must be an array of {name, value} or an object");
        json_set(cfg, "labels", cJSON_Duplicate(labels, 1));
    }
    const cJSON *mfo = cJSON_GetObjectItemCaseSensitive(body, "map_fields_object"), *e;
    if (mfo) {
        if (!cJSON_IsObject(mfo))
            return failf(f, 400, "BAD_REQUEST", "map_fields_object must be an object of field id -> labels");
        cJSON *ml = cJSON_GetObjectItemCaseSensitive(cfg, "map_labels");
        if (!cJSON_IsObject(ml)) {
            ml = cJSON_CreateObject();
            json_set(cfg, "map_labels", ml);
        }
        cJSON_ArrayForEach(e, mfo) {
            if (!cJSON_IsArray(e))
                return failf(f, 400, "BAD_REQUEST", "map_fields_object values must be arrays of {name, value}");
            json_set(ml, e->string, cJSON_Duplicate(e, 1));
        }
    }
    return 0;
}

/* ---- request level ---- */

/* Sends a config view; the disable_field_options header leaves option lists out. */
static int send_view(req *r, cJSON *view)
{
    const char *h = http_header(r, "disable_field_options");
    if (h && !strcmp(h, "true")) {
        cJSON *f, *w;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(view, "fields"))
            cJSON_DeleteItemFromObjectCaseSensitive(f, "options");
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(view, "workflows"))
            cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(w, "fields"))
                cJSON_DeleteItemFromObjectCaseSensitive(f, "options");
    }
    return http_json(r, 200, view);
}

/* slug, app and config_id of a body; 0, or the status it answered. */
static int body_target(req *r, const cJSON *body, const cJSON **app, const char **config_id)
{
    if (!cJSON_IsObject(body))
        return http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(body, "slug");
    if (!cJSON_IsString(s) || !*s->valuestring)
        return http_error(r, 400, "BAD_REQUEST", s ? "slug must be a non-empty string" : "slug is required");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "config_id");
    if (c && !cJSON_IsNull(c) && (!cJSON_IsString(c) || (*c->valuestring && !linked_accounts_valid_id(c->valuestring))))
        return http_error(r, 400, "BAD_REQUEST", "config_id must be a string of 1-%d characters without '/'", MOCK_ID_LEN - 1);
    *config_id = cJSON_IsString(c) && *c->valuestring ? c->valuestring : r->la;
    *app = fixtures_app(r->m->fx, s->valuestring);
    if (!*app)
        return http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", s->valuestring, r->t->org_id);
    return 0;
}

static int config_missing(req *r, const char *config_id)
{
    return http_error(r, 404, "SERVER_ERROR", "Config with config id %s not found", config_id && *config_id ? config_id : r->la);
}

int configs_reply_get_or_create(req *r, const cJSON *body)
{
    const cJSON *app;
    const char *config_id;
    if (body_target(r, body, &app, &config_id))
        return r->status;
    const char *slug = json_str(app, "slug");
    store_begin(r->m->store);
    cJSON *cfg = configs_load(r->m, r->t, r->la, slug, config_id);
    if (!cfg) {
        char oid[25], at[32];
        struct fail f;
        util_new_id(oid);
        util_iso8601(clock_now_ms(r->m), at);
        cfg = cJSON_CreateObject();
        cJSON_AddStringToObject(cfg, "_id", oid);
        cJSON_AddStringToObject(cfg, "slug", slug);
        cJSON_AddStringToObject(cfg, "config_id", config_id);
        cJSON_AddStringToObject(cfg, "linked_account_id", r->la);
        cJSON_AddItemToObject(cfg, "values", cJSON_CreateObject());
        cJSON_AddItemToObject(cfg, "workflows", cJSON_CreateObject());
        cJSON_AddStringToObject(cfg, "createdAt", at);
        cJSON_AddStringToObject(cfg, "updatedAt", at);
        if (apply_body(r->m, r->t, r->la, app, cfg, body, &f)) {
            cJSON_Delete(cfg);
            store_rollback(r->m->store);
            return http_error(r, f.status, f.code, "%s", f.msg);
        }
        if (configs_save(r->m, r->t, r->la, cfg)) {
            cJSON_Delete(cfg);
            store_rollback(r->m->store);
            return http_error(r, 500, "SERVER_ERROR", "could not store the config");
        }
    }
    if (store_commit(r->m->store)) {
        cJSON_Delete(cfg);
        return http_error(r, 500, "SERVER_ERROR", "could not store the config");
    }
    cJSON *out = configs_view(r->m, r->t, r->la, app, cfg, config_id);
    cJSON_Delete(cfg);
    return send_view(r, out);
}

int configs_reply_update(req *r, const cJSON *body)
{
    const cJSON *app;
    const char *config_id;
    if (body_target(r, body, &app, &config_id))
        return r->status;
    store_begin(r->m->store);
    cJSON *cfg = configs_load(r->m, r->t, r->la, json_str(app, "slug"), config_id);
    if (!cfg) {
        store_rollback(r->m->store);
        return config_missing(r, config_id);
    }
    struct fail f;
    if (apply_body(r->m, r->t, r->la, app, cfg, body, &f)) {
        cJSON_Delete(cfg);
        store_rollback(r->m->store);
        return http_error(r, f.status, f.code, "%s", f.msg);
    }
    char at[32];
    util_iso8601(clock_now_ms(r->m), at);
    json_set(cfg, "updatedAt", cJSON_CreateString(at));
    if (configs_save(r->m, r->t, r->la, cfg) || store_commit(r->m->store)) {
        cJSON_Delete(cfg);
        return http_error(r, 500, "SERVER_ERROR", "could not store the config");
    }
    cJSON *out = configs_view(r->m, r->t, r->la, app, cfg, config_id);
    cJSON_Delete(cfg);
    return send_view(r, out);
}

static const cJSON *path_app(req *r, const char *slug)
{
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app)
        http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", slug, r->t->org_id);
    return app;
}

int configs_reply_get(req *r, const char *slug, const char *config_id)
{
    const cJSON *app = path_app(r, slug);
    if (!app)
        return r->status;
    cJSON *cfg = configs_load(r->m, r->t, r->la, slug, config_id);
    if (!cfg)
        return config_missing(r, config_id);
    cJSON *out = configs_view(r->m, r->t, r->la, app, cfg, config_id);
    cJSON_Delete(cfg);
    return send_view(r, out);
}

int configs_reply_delete(req *r, const char *slug, const char *config_id)
{
    if (!path_app(r, slug))
        return r->status;
    char id[3 * MOCK_ID_LEN + 8];
    doc_id(id, sizeof id, r->la, slug, config_id);
    store_begin(r->m->store);
    int found = store_del(r->m->store, r->t->id, CONFIG_KIND, id);
    if (store_commit(r->m->store))
        return http_error(r, 500, "SERVER_ERROR", "could not delete the config");
    if (!found)
        return config_missing(r, config_id);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Installation Deleted Success");
    return http_json(r, 200, out);
}

/* ---- handlers ---- */

/* route: POST /api/v2/public/config */
int h_get_or_create_config(req *r) { return configs_reply_get_or_create(r, r->body); }
/* route: PUT /api/v2/public/config */
int h_update_config(req *r) { return configs_reply_update(r, r->body); }
/* route: GET /api/v2/public/slug/{slug}/config (param[0] slug) */
int h_get_config_default(req *r) { return configs_reply_get(r, r->param[0], NULL); }
/* route: GET /api/v2/public/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
int h_get_config(req *r) { return configs_reply_get(r, r->param[0], r->param[1]); }
/* route: DELETE /api/v2/public/slug/{slug}/config (param[0] slug) */
int h_delete_config_default(req *r) { return configs_reply_delete(r, r->param[0], NULL); }
/* route: DELETE /api/v2/public/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
int h_delete_config(req *r) { return configs_reply_delete(r, r->param[0], r->param[1]); }

/* route: PATCH /api/v2/public/slug/{slug}/config/{configId}/workflows/{workflowId} (param[0] slug; param[1] configId; param[2] workflowId) */
int h_toggle_config_workflow(req *r)
{
    const char *slug = r->param[0], *config_id = r->param[1], *wid = r->param[2];
    const cJSON *app = path_app(r, slug);
    if (!app)
        return r->status;
    if (!http_need_object(r))
        return r->status;
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(r->body, "enabled");
    if (!cJSON_IsBool(en))
        return http_error(r, 400, "BAD_REQUEST", en ? "enabled must be true or false" : "enabled is required");
    store_begin(r->m->store);
    cJSON *cfg = configs_load(r->m, r->t, r->la, slug, config_id);
    if (!cfg) {
        store_rollback(r->m->store);
        return config_missing(r, config_id);
    }
    cJSON *defs = configs_workflow_defs(r->m, r->t, r->la, app);
    if (!find_by_id(defs, wid)) {
        cJSON_Delete(defs);
        cJSON_Delete(cfg);
        store_rollback(r->m->store);
        return http_error(r, 404, "SERVER_ERROR", "Workflow with id %s not found in config %s", wid, config_id);
    }
    json_set(wf_state_make(cfg, wid), "enabled", cJSON_CreateBool(cJSON_IsTrue(en)));
    char at[32];
    util_iso8601(clock_now_ms(r->m), at);
    json_set(cfg, "updatedAt", cJSON_CreateString(at));
    if (configs_save(r->m, r->t, r->la, cfg) || store_commit(r->m->store)) {
        cJSON_Delete(defs);
        cJSON_Delete(cfg);
        return http_error(r, 500, "SERVER_ERROR", "could not store the config");
    }
    cJSON *out = cJSON_CreateObject(), *list = cJSON_CreateArray(), *d, *f;
    cJSON_ArrayForEach(d, defs) {
        cJSON *w = cJSON_CreateObject(), *slots = cJSON_CreateArray();
        cJSON_AddStringToObject(w, "id", json_str(d, "id"));
        cJSON_AddStringToObject(w, "name", json_str(d, "name"));
        cJSON_AddStringToObject(w, "description", json_str(d, "description"));
        cJSON_AddBoolToObject(w, "enabled", configs_workflow_enabled(cfg, d));
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "fields"))
            cJSON_AddItemToArray(slots, configs_field_view(f, cfg, json_str(d, "id")));
        cJSON_AddItemToObject(w, "data_slots", slots);
        cJSON_AddItemToArray(list, w);
    }
    cJSON_AddItemToObject(out, "workflows", list);
    cJSON_Delete(defs);
    cJSON_Delete(cfg);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/slug/{slug}/configs (param[0] slug) */
int h_list_configs(req *r)
{
    if (!path_app(r, r->param[0]))
        return r->status;
    cJSON *docs = store_list(r->m->store, r->t->id, CONFIG_KIND, r->la, "slug", r->param[0], 0, 0, NULL), *d;
    cJSON *out = cJSON_CreateArray();
    cJSON_ArrayForEach(d, docs) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "_id", json_str(d, "_id"));
        cJSON_AddStringToObject(o, "config_id", json_str(d, "config_id"));
        cJSON_AddItemToArray(out, o);
    }
    cJSON_Delete(docs);
    return http_json(r, 200, out);
}
