/* env_vars.c: environment variables: the org's definitions (read-only, from
 * fixtures/env_definitions.json) and their values per scope (org, workspace, linked account, workflow). */
#include "fixtures.h"
#include "json.h"
#include "clock.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "handlers.h"
#include "pattern.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KIND "env_value"
#define REDACTED "[REDACTED]"

static const char *const scopes[] = {"org", "workspace", "linked_account", "workflow", NULL};

static int one_of(const char *v, const char *const *set)
{
    for (int i = 0; set[i]; i++)
        if (!strcmp(v, set[i]))
            return 1;
    return 0;
}

static const cJSON *definition(req *r, const char *id)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, r->m->fx->env_definitions)
        if (!strcmp(json_str(d, "org_id"), r->t->org_id) && !strcmp(json_str(d, "_id"), id))
            return d;
    return NULL;
}

static int definition_missing(req *r, const char *id)
{
    return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable definition not found", "no definition %s", id);
}

/* route: GET /api/v2/public/env/definitions */
int h_list_env_definitions(req *r)
{
    static const char *const formats[] = {"string", "number", "url", NULL};
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char scope[32] = "", format[16] = "";
    http_query(r, "scope", scope, sizeof scope);
    http_query(r, "var_format", format, sizeof format);
    if (*scope && !one_of(scope, scopes))
        return http_error(r, 400, "BAD_REQUEST", "scope must be org, workspace, linked_account or workflow");
    if (*format && !one_of(format, formats))
        return http_error(r, 400, "BAD_REQUEST", "var_format must be string, number or url");
    struct pattern re;
    int named = http_query_pattern(r, "name", &re), hit = 1;
    if (named < 0)
        return r->status;
    long long budget = PATTERN_MATCH_BUDGET;
    cJSON *docs = cJSON_CreateArray();
    const cJSON *d;
    int total = 0;
    cJSON_ArrayForEach(d, r->m->fx->env_definitions) {
        if (strcmp(json_str(d, "org_id"), r->t->org_id) || (*scope && strcmp(json_str(d, "scope"), scope)) ||
            (*format && strcmp(json_str(d, "var_format"), format)))
            continue;
        if (named && (hit = pattern_match(&re, json_str(d, "name") ? json_str(d, "name") : "", &budget)) <= 0) {
            if (hit < 0)
                break;
            continue;
        }
        if (total++ >= (page - 1) * limit && cJSON_GetArraySize(docs) < limit)
            cJSON_AddItemToArray(docs, cJSON_Duplicate(d, 1));
    }
    if (named)
        pattern_free(&re);
    if (hit < 0) {
        cJSON_Delete(docs);
        return http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/env/definitions/{id} (param[0] id) */
int h_get_env_definition(req *r)
{
    const cJSON *d = definition(r, r->param[0]);
    if (!d)
        return definition_missing(r, r->param[0]);
    cJSON *out = cJSON_CreateObject(), *def = cJSON_Duplicate(d, 1);
    /* environment-variables/get-definition.mdx names the times "created_at" / "updated_at"
     * (the list page and the spec: createdAt / updatedAt): both are sent */
    if (json_str(d, "createdAt"))
        cJSON_AddStringToObject(def, "created_at", json_str(d, "createdAt"));
    if (json_str(d, "updatedAt"))
        cJSON_AddStringToObject(def, "updated_at", json_str(d, "updatedAt"));
    cJSON_AddItemToObject(out, "definition", def);
    return http_json(r, 200, out);
}

/* What a reader sees: encrypted values redacted, the plaintext never. */
static cJSON *value_view(const cJSON *doc, const cJSON *def, int just_written)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "plaintext");
    /* The write answers with the stored ciphertext, as Refold does; reads say [REDACTED]. */
    if (json_bool(def, "encrypted", 0) && !just_written)
        json_set(o, "value", cJSON_CreateString(REDACTED));
    return o;
}

/* The scope key of a value: "" for org and workspace, the linked account, or the workflow. */
static const char *scope_key(const cJSON *def, const char *la, const char *workflow)
{
    const char *scope = json_str(def, "scope");
    if (!strcmp(scope, "linked_account"))
        return la;
    if (!strcmp(scope, "workflow"))
        return workflow;
    return "";
}

/* The value document of def at key, or NULL. */
static cJSON *find_value(req *r, const cJSON *def, const char *key)
{
    const char *scope = json_str(def, "scope");
    cJSON *all = store_list(r->m->store, r->t->id, KIND, NULL, "variable_definition_id", json_str(def, "_id"), 0, 0, NULL);
    cJSON *found = NULL, *v;
    cJSON_ArrayForEach(v, all) {
        const char *have = !strcmp(scope, "linked_account") ? json_str(v, "linked_account_id")
                           : !strcmp(scope, "workflow")     ? json_str(v, "workflow_id")
                                                            : "";
        if (!found && have && !strcmp(have, key))
            found = cJSON_Duplicate(v, 1);
    }
    cJSON_Delete(all);
    return found;
}

static int valid_for_format(const char *format, const char *value)
{
    if (!strcmp(format, "number")) {
        char *end;
        if (!*value)
            return 0;
        strtod(value, &end);
        return *end == 0;
    }
    if (!strcmp(format, "url")) {
        const char *p = !strncasecmp(value, "https://", 8) ? value + 8 : !strncasecmp(value, "http://", 7) ? value + 7 : NULL;
        if (!p || !*p || *p == '/')
            return 0;
        for (; *p; p++)
            if ((unsigned char)*p <= ' ')
                return 0;
    }
    return 1;
}

/* The form an encrypted value is stored in Refold: base64 text, never the plaintext. */
static void ciphertext(char out[64])
{
    char hex[33];
    util_random_hex(hex, 16);
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)hex, 32);
}

/* route: POST /api/v2/public/env/values */
int h_set_env_value(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const char *def_id = http_body_str(r, "variable_definition_id");
    if (!def_id)
        return r->status;
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(r->body, "value");
    if (!cJSON_IsString(value))
        return http_error(r, 400, "BAD_REQUEST", value ? "value must be a string" : "value is required");
    const cJSON *bla = cJSON_GetObjectItemCaseSensitive(r->body, "linked_account_id");
    const cJSON *bwf = cJSON_GetObjectItemCaseSensitive(r->body, "workflow_id");
    if ((bla && !cJSON_IsString(bla)) || (bwf && !cJSON_IsString(bwf)))
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id and workflow_id must be strings");
    const cJSON *def = definition(r, def_id);
    if (!def)
        return definition_missing(r, def_id);
    const char *scope = json_str(def, "scope");
    const char *la = bla && *bla->valuestring ? bla->valuestring : r->la;
    const char *workflow = bwf ? bwf->valuestring : "";
    if (r->via_token && (strcmp(scope, "linked_account") || strcmp(la, r->la)))
        return http_error(r, 403, "FORBIDDEN", "a session token sets only its own linked account's values; %s is a %s variable",
                          json_str(def, "name"), scope);
    if (!strcmp(scope, "linked_account")) {
        if (!*la)
            return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required for the linked_account variable %s",
                              json_str(def, "name"));
        if (!store_exists(r->m->store, r->t->id, "linked_account", la))
            return http_error(r, 404, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
                              la, r->t->environment);
    }
    if (!strcmp(scope, "workflow") && !*workflow)
        return http_error(r, 400, "BAD_REQUEST", "workflow_id is required for the workflow variable %s", json_str(def, "name"));
    if (!valid_for_format(json_str(def, "var_format"), value->valuestring))
        return http_error_hint(r, 400, "SERVER_ERROR", "value does not match the variable format", "the format is %s",
                               json_str(def, "var_format"));

    char at[32], who[MOCK_ID_LEN + 32];
    util_iso8601(clock_now_ms(r->m), at);
    snprintf(who, sizeof who, "%s%s", r->via_token ? "linked_account:" : "api_key:", r->via_token ? r->la : r->t->environment);
    store_begin(r->m->store);
    cJSON *doc = find_value(r, def, scope_key(def, la, workflow));
    if (!doc) {
        char id[25];
        util_new_id(id);
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "_id", id);
        cJSON_AddStringToObject(doc, "variable_definition_id", def_id);
        cJSON_AddStringToObject(doc, "org_id", r->t->org_id);
        cJSON_AddStringToObject(doc, "environment", r->t->environment);
        if (!strcmp(scope, "linked_account"))
            cJSON_AddStringToObject(doc, "linked_account_id", la);
        if (!strcmp(scope, "workflow"))
            cJSON_AddStringToObject(doc, "workflow_id", workflow);
        cJSON_AddStringToObject(doc, "created_by", who);
        cJSON_AddStringToObject(doc, "createdAt", at);
    }
    if (json_bool(def, "encrypted", 0)) {
        char ct[64];
        ciphertext(ct);
        json_set(doc, "value", cJSON_CreateString(ct));
        json_set(doc, "plaintext", cJSON_CreateString(value->valuestring)); /* mock-only, never sent */
    } else {
        json_set(doc, "value", cJSON_CreateString(value->valuestring));
    }
    json_set(doc, "updated_by", cJSON_CreateString(who));
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(r->m->store, r->t->id, KIND, json_str(doc, "_id"), NULL, doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not store the value");
    }
    cJSON *out = value_view(doc, def, 1);
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/env/value/{definition_id} (param[0] definition_id) */
int h_get_env_value(req *r)
{
    const cJSON *def = definition(r, r->param[0]);
    if (!def)
        return definition_missing(r, r->param[0]);
    char workflow[MOCK_ID_LEN] = "", env[32] = "";
    http_query(r, "workflow_id", workflow, sizeof workflow);
    if (http_query(r, "environment", env, sizeof env) && *env && strcmp(env, "test") && strcmp(env, "production"))
        return http_error(r, 400, "BAD_REQUEST", "environment must be test or production");
    if (*env && strcmp(env, r->t->environment))
        return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable value not found", "this key reads the %s environment, not %s",
                               r->t->environment, env);
    const char *scope = json_str(def, "scope");
    if (!strcmp(scope, "linked_account") && !r->la[0])
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required for the linked_account variable %s", json_str(def, "name"));
    if (!strcmp(scope, "workflow") && !*workflow)
        return http_error(r, 400, "BAD_REQUEST", "workflow_id is required for the workflow variable %s", json_str(def, "name"));
    cJSON *doc = find_value(r, def, scope_key(def, r->la, workflow));
    if (!doc)
        return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable value not found", "%s has no value in this scope", json_str(def, "name"));
    cJSON *out = cJSON_CreateObject();
    int enc = json_bool(def, "encrypted", 0);
    cJSON_AddStringToObject(out, "value", enc ? REDACTED : json_str(doc, "value"));
    cJSON_AddBoolToObject(out, "encrypted", enc);
    cJSON_AddStringToObject(out, "name", json_str(def, "name"));
    cJSON_AddStringToObject(out, "scope", scope);
    cJSON_AddStringToObject(out, "variable_definition_id", json_str(def, "_id"));
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/env/values/{scope} (param[0] scope) */
int h_list_env_values(req *r)
{
    const char *scope = r->param[0];
    if (!one_of(scope, scopes))
        return http_error(r, 400, "BAD_REQUEST", "scope must be org, workspace, linked_account or workflow");
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char def_id[MOCK_ID_LEN] = "", workflow[MOCK_ID_LEN] = "";
    http_query(r, "variable_definition_id", def_id, sizeof def_id);
    http_query(r, "workflow_id", workflow, sizeof workflow);
    if (r->via_token && strcmp(scope, "linked_account"))
        return http_error(r, 403, "FORBIDDEN", "a session token lists only its own linked_account values");
    if (!strcmp(scope, "workflow") && !*workflow)
        return http_error(r, 400, "SERVER_ERROR", "workflow_id is required for workflow scope");
    cJSON *all = store_list(r->m->store, r->t->id, KIND, NULL, NULL, NULL, 0, 0, NULL), *v;
    cJSON *docs = cJSON_CreateArray();
    int total = 0;
    cJSON_ArrayForEach(v, all) {
        const cJSON *def = definition(r, json_str(v, "variable_definition_id"));
        if (!def || strcmp(json_str(def, "scope"), scope) || (*def_id && strcmp(json_str(def, "_id"), def_id)))
            continue;
        if (!strcmp(scope, "linked_account") && r->la[0] && strcmp(json_str(v, "linked_account_id"), r->la))
            continue;
        if (!strcmp(scope, "workflow") && strcmp(json_str(v, "workflow_id"), workflow))
            continue;
        if (total++ >= (page - 1) * limit && cJSON_GetArraySize(docs) < limit) {
            /* environment-variables/list-values.mdx: the list shows the definition populated,
             * "variable_definition_id": {"_id", "name", "scope", "encrypted"} (the write answers the id) */
            cJSON *o = value_view(v, def, 0), *ref = cJSON_CreateObject();
            cJSON_AddStringToObject(ref, "_id", json_str(def, "_id"));
            cJSON_AddStringToObject(ref, "name", json_str(def, "name"));
            cJSON_AddStringToObject(ref, "scope", json_str(def, "scope"));
            cJSON_AddBoolToObject(ref, "encrypted", json_bool(def, "encrypted", 0));
            json_set(o, "variable_definition_id", ref);
            cJSON_AddItemToArray(docs, o);
        }
    }
    cJSON_Delete(all);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "status", "success");
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/env/values/{value_id} (param[0] value_id) */
int h_delete_env_value(req *r)
{
    store_begin(r->m->store);
    cJSON *doc = store_get(r->m->store, r->t->id, KIND, r->param[0]);
    const char *owner = doc ? json_str(doc, "linked_account_id") : NULL;
    /* A linked account (token, or the header with a key) reaches only its own values. */
    int hidden = doc && r->la[0] && (r->via_token ? !owner || strcmp(owner, r->la) : owner && strcmp(owner, r->la));
    if (!doc || hidden) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable value not found", "no value %s", r->param[0]);
    }
    store_del(r->m->store, r->t->id, KIND, r->param[0]);
    const cJSON *def = definition(r, json_str(doc, "variable_definition_id"));
    char msg[256];
    snprintf(msg, sizeof msg, "Variable value for \"%s\" deleted successfully", def ? json_str(def, "name") : "?");
    cJSON_Delete(doc);
    if (store_commit(r->m->store) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the value");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "status", "success");
    cJSON_AddStringToObject(out, "message", msg);
    return http_json(r, 200, out);
}
