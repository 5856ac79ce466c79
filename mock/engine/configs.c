/* configs.c: the config model (a linked account's installation of an app): its documents,
 * field values, enabled workflows and labels; get-or-create, update, toggle, delete, list, one
 * field at a time, and what a deleted linked account takes with it. No HTTP: the handlers
 * (api/configs_api.c, api/config_fields.c) answer. */
#include "engine/configs.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/store.h"
#include "base/util.h"
#include "engine/workflow_defs.h"
#include "engine/workflows.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The only spelling of the document kind (grep for it: nothing else names it). */
#define CONFIG_KIND "config"

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

/* Writes it (inside the caller's transaction when there is one). 0 on success. */
static int configs_save(struct mock *m, const struct tenant *t, const char *la, const cJSON *cfg)
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
    cJSON *priv = workflows_list(m, t, la, json_str(app, "slug")), *p;
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

/* A field definition: app-level (workflow_id NULL) or of that workflow; new value or NULL. */
static cJSON *configs_field_def(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
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

/* Sets (value non-NULL) or clears a value in cfg (not stored). */
static void configs_set_value(cJSON *cfg, const char *workflow_id, const char *field_id, const cJSON *value)
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

/* A refusal: its reason in why (the handler answers 400 BAD_REQUEST with it). */
static int refuse(char *why, size_t n, const char *msg)
{
    snprintf(why, n, "%s", msg);
    return -1;
}

/* fields: {"id": value} (the SDK) or [{"id", "value"}] (the spec's IFieldInConfig). */
static int apply_fields(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, cJSON *cfg,
                        const char *workflow_id, const cJSON *fields, char *why, size_t n)
{
    char err[400];
    const cJSON *e;
    if (!fields)
        return 0;
    if (!cJSON_IsObject(fields) && !cJSON_IsArray(fields))
        return refuse(why, n, "fields must be an object of field id -> value, or an array of {id, value}");
    cJSON_ArrayForEach(e, fields) {
        const char *id = cJSON_IsObject(fields) ? e->string : json_str(e, "id");
        const cJSON *v = cJSON_IsObject(fields) ? e : cJSON_GetObjectItemCaseSensitive(e, "value");
        if (!id)
            return refuse(why, n, "every entry of fields needs an id");
        if (cJSON_IsArray(fields) && !v)
            continue; /* a field sent back without a value changes nothing */
        cJSON *def = configs_field_def(m, t, la, app, workflow_id, id);
        if (!def) {
            snprintf(err, sizeof err, "Field with id %s not found", id);
            return refuse(why, n, err);
        }
        cJSON *owned;
        v = configs_coerce(def, v, &owned);
        int bad = configs_check_value(def, v, err, sizeof err);
        cJSON_Delete(def);
        if (bad) {
            cJSON_Delete(owned);
            return refuse(why, n, err);
        }
        configs_set_value(cfg, workflow_id, id, v);
        cJSON_Delete(owned);
    }
    return 0;
}

static int apply_body(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, cJSON *cfg,
                      const cJSON *body, char *why, size_t n)
{
    char err[300];
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(body, "fields");
    if (!fields)
        fields = cJSON_GetObjectItemCaseSensitive(body, "application_data_slots");
    if (apply_fields(m, t, la, app, cfg, NULL, fields, why, n))
        return -1;
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(body, "workflows"), *w;
    if (wfs && !cJSON_IsArray(wfs))
        return refuse(why, n, "workflows must be an array of {id, enabled, fields}");
    cJSON *defs = wfs ? configs_workflow_defs(m, t, la, app) : NULL;
    cJSON_ArrayForEach(w, wfs) {
        const char *id = json_str(w, "id");
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(w, "enabled");
        if (!id) {
            cJSON_Delete(defs);
            return refuse(why, n, "every entry of workflows needs an id");
        }
        if (!find_by_id(defs, id)) {
            snprintf(err, sizeof err, "Workflow with id %s not found in application %s", id, json_str(app, "slug"));
            cJSON_Delete(defs);
            return refuse(why, n, err);
        }
        if (en && !cJSON_IsBool(en)) {
            cJSON_Delete(defs);
            return refuse(why, n, "workflows[].enabled must be true or false");
        }
        const cJSON *wf_fields = cJSON_GetObjectItemCaseSensitive(w, "fields");
        if (!wf_fields)
            wf_fields = cJSON_GetObjectItemCaseSensitive(w, "data_slots");
        if (apply_fields(m, t, la, app, cfg, id, wf_fields, why, n)) {
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
            return refuse(why, n, "labels must be an array of {name, value} or an object");
        json_set(cfg, "labels", cJSON_Duplicate(labels, 1));
    }
    const cJSON *mfo = cJSON_GetObjectItemCaseSensitive(body, "map_fields_object"), *e;
    if (mfo) {
        if (!cJSON_IsObject(mfo))
            return refuse(why, n, "map_fields_object must be an object of field id -> labels");
        cJSON *ml = cJSON_GetObjectItemCaseSensitive(cfg, "map_labels");
        if (!cJSON_IsObject(ml)) {
            ml = cJSON_CreateObject();
            json_set(cfg, "map_labels", ml);
        }
        cJSON_ArrayForEach(e, mfo) {
            if (!cJSON_IsArray(e))
                return refuse(why, n, "map_fields_object values must be arrays of {name, value}");
            json_set(ml, e->string, cJSON_Duplicate(e, 1));
        }
    }
    return 0;
}


/* ---- operations: each one store transaction ---- */

static void stamp(struct mock *m, cJSON *cfg)
{
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    json_set(cfg, "updatedAt", cJSON_CreateString(at));
}

/* Saves cfg and commits; rolls back on a failed save (the transaction is never left open). */
static enum configs_outcome save_commit(struct mock *m, const struct tenant *t, const char *la, const cJSON *cfg)
{
    if (configs_save(m, t, la, cfg)) {
        store_rollback(m->store);
        return CONFIGS_STORE_ERROR;
    }
    return store_commit(m->store) ? CONFIGS_STORE_ERROR : CONFIGS_OK;
}

enum configs_outcome configs_get_or_create(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                           const char *config_id, const cJSON *body, cJSON **cfg, char *why, size_t n)
{
    const char *slug = json_str(app, "slug");
    store_begin(m->store);
    *cfg = configs_load(m, t, la, slug, config_id);
    if (!*cfg) {
        char oid[25], at[32];
        util_new_id(oid);
        util_iso8601(clock_now_ms(m), at);
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "_id", oid);
        cJSON_AddStringToObject(c, "slug", slug);
        cJSON_AddStringToObject(c, "config_id", config_id && *config_id ? config_id : la);
        cJSON_AddStringToObject(c, "linked_account_id", la);
        cJSON_AddItemToObject(c, "values", cJSON_CreateObject());
        cJSON_AddItemToObject(c, "workflows", cJSON_CreateObject());
        cJSON_AddStringToObject(c, "createdAt", at);
        cJSON_AddStringToObject(c, "updatedAt", at);
        enum configs_outcome rc = apply_body(m, t, la, app, c, body, why, n) ? CONFIGS_BAD_INPUT : save_commit(m, t, la, c);
        if (rc == CONFIGS_BAD_INPUT)
            store_rollback(m->store);
        if (rc != CONFIGS_OK) {
            cJSON_Delete(c);
            return rc;
        }
        *cfg = c;
        return CONFIGS_OK;
    }
    if (store_commit(m->store)) {
        cJSON_Delete(*cfg);
        *cfg = NULL;
        return CONFIGS_STORE_ERROR;
    }
    return CONFIGS_OK;
}

enum configs_outcome configs_update(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                    const char *config_id, const cJSON *body, cJSON **cfg, char *why, size_t n)
{
    store_begin(m->store);
    *cfg = configs_load(m, t, la, json_str(app, "slug"), config_id);
    if (!*cfg) {
        store_rollback(m->store);
        return CONFIGS_NO_CONFIG;
    }
    enum configs_outcome rc = CONFIGS_BAD_INPUT;
    if (apply_body(m, t, la, app, *cfg, body, why, n)) {
        store_rollback(m->store);
    } else {
        stamp(m, *cfg);
        rc = save_commit(m, t, la, *cfg);
    }
    if (rc != CONFIGS_OK) {
        cJSON_Delete(*cfg);
        *cfg = NULL;
    }
    return rc;
}

enum configs_outcome configs_toggle_workflow(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                             const char *config_id, const char *workflow_id, int enabled,
                                             cJSON **cfg, cJSON **defs)
{
    *defs = NULL;
    store_begin(m->store);
    *cfg = configs_load(m, t, la, json_str(app, "slug"), config_id);
    if (!*cfg) {
        store_rollback(m->store);
        return CONFIGS_NO_CONFIG;
    }
    *defs = configs_workflow_defs(m, t, la, app);
    enum configs_outcome rc = CONFIGS_NO_WORKFLOW;
    if (!find_by_id(*defs, workflow_id)) {
        store_rollback(m->store);
    } else {
        json_set(wf_state_make(*cfg, workflow_id), "enabled", cJSON_CreateBool(enabled));
        stamp(m, *cfg);
        rc = save_commit(m, t, la, *cfg);
    }
    if (rc != CONFIGS_OK) {
        cJSON_Delete(*cfg);
        cJSON_Delete(*defs);
        *cfg = *defs = NULL;
    }
    return rc;
}

int configs_delete(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *config_id)
{
    char id[3 * MOCK_ID_LEN + 8];
    doc_id(id, sizeof id, la, slug, config_id);
    store_begin(m->store);
    int found = store_del(m->store, t->id, CONFIG_KIND, id);
    if (store_commit(m->store))
        return -1;
    return found ? 0 : 1;
}

cJSON *configs_list(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    return store_list(m->store, t->id, CONFIG_KIND, la, slug ? "slug" : NULL, slug, 0, 0, NULL);
}

enum configs_outcome configs_field_target(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                          const char *config_id, const char *workflow_id, const char *field_id,
                                          int need_config, cJSON **cfg, cJSON **def)
{
    *def = NULL;
    *cfg = configs_load(m, t, la, json_str(app, "slug"), config_id);
    if (!*cfg && need_config)
        return CONFIGS_NO_CONFIG;
    *def = configs_field_def(m, t, la, app, workflow_id, field_id);
    if (!*def) {
        cJSON_Delete(*cfg);
        *cfg = NULL;
        return CONFIGS_NO_FIELD;
    }
    return CONFIGS_OK;
}

enum configs_outcome configs_write_field(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                         const char *config_id, const char *workflow_id, const char *field_id,
                                         const cJSON *value, cJSON **cfg, cJSON **def, char *why, size_t n)
{
    store_begin(m->store);
    enum configs_outcome rc = configs_field_target(m, t, la, app, config_id, workflow_id, field_id, 1, cfg, def);
    if (rc != CONFIGS_OK) {
        store_rollback(m->store);
        return rc;
    }
    cJSON *owned;
    value = configs_coerce(*def, value, &owned);
    if (cJSON_IsNull(value))
        value = NULL;
    if (value && configs_check_value(*def, value, why, n)) {
        store_rollback(m->store);
        rc = CONFIGS_BAD_INPUT;
    } else {
        configs_set_value(*cfg, workflow_id, field_id, value);
        stamp(m, *cfg);
        rc = save_commit(m, t, la, *cfg);
    }
    cJSON_Delete(owned);
    if (rc != CONFIGS_OK) {
        cJSON_Delete(*cfg);
        cJSON_Delete(*def);
        *cfg = *def = NULL;
    }
    return rc;
}

void configs_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, CONFIG_KIND, la);
}
