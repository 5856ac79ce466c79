/* env_vars_api.c: the environment-variable routes: the org's definitions (read-only) and their
 * values per scope (org, workspace, linked account, workflow); the model is env_vars.c. */
#include "engine/env_vars.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"
#include "base/pattern.h"

#include <stdio.h>
#include <string.h>

static int definition_missing(req *r, const char *id)
{
    return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable definition not found", "no definition %s", id);
}

/* route: GET /api/v2/public/env/definitions */
int h_list_env_definitions(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char scope[32] = "", format[16] = "";
    http_query(r, "scope", scope, sizeof scope);
    http_query(r, "var_format", format, sizeof format);
    if (*scope && !env_vars_scope_known(scope))
        return http_error(r, 400, "BAD_REQUEST", "scope must be org, workspace, linked_account or workflow");
    if (*format && !env_vars_format_known(format))
        return http_error(r, 400, "BAD_REQUEST", "var_format must be string, number or url");
    struct pattern re;
    int named = http_query_pattern(r, "name", &re), total = 0;
    if (named < 0)
        return r->status;
    cJSON *docs;
    int rc = env_vars_list_definitions(r->m, r->t, scope, format, named ? &re : NULL, (int)((page - 1) * limit), (int)limit,
                                       &docs, &total);
    if (named)
        pattern_free(&re);
    if (rc < 0)
        return http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/env/definitions/{id} (param[0] id) */
int h_get_env_definition(req *r)
{
    const cJSON *d = env_vars_definition(r->m, r->t, r->param[0]);
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
    const cJSON *def = env_vars_definition(r->m, r->t, def_id);
    if (!def)
        return definition_missing(r, def_id);
    const char *scope = json_str(def, "scope");
    const char *la = bla && *bla->valuestring ? bla->valuestring : r->la;
    const char *workflow = bwf ? bwf->valuestring : "";
    if (r->via_token && (strcmp(scope, "linked_account") || strcmp(la, r->la)))
        return http_error(r, 403, "FORBIDDEN", "a session token sets only its own linked account's values; %s is a %s variable",
                          json_str(def, "name"), scope);
    char who[MOCK_ID_LEN + 32];
    snprintf(who, sizeof who, "%s%s", r->via_token ? "linked_account:" : "api_key:", r->via_token ? r->la : r->t->environment);
    cJSON *out;
    switch (env_vars_set(r->m, r->t, def, la, workflow, value->valuestring, who, &out)) {
    case ENV_VARS_OK:
        return http_json(r, 200, out);
    case ENV_VARS_NEED_LA:
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required for the linked_account variable %s", json_str(def, "name"));
    case ENV_VARS_NO_ACCOUNT:
        return http_error(r, 404, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
                          la, r->t->environment);
    case ENV_VARS_NEED_WORKFLOW:
        return http_error(r, 400, "BAD_REQUEST", "workflow_id is required for the workflow variable %s", json_str(def, "name"));
    case ENV_VARS_BAD_FORMAT:
        return http_error_hint(r, 400, "SERVER_ERROR", "value does not match the variable format", "the format is %s",
                               json_str(def, "var_format"));
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not store the value");
    }
}

/* route: GET /api/v2/public/env/value/{definition_id} (param[0] definition_id) */
int h_get_env_value(req *r)
{
    const cJSON *def = env_vars_definition(r->m, r->t, r->param[0]);
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
    cJSON *doc;
    switch (env_vars_get(r->m, r->t, def, r->la, workflow, &doc)) {
    case ENV_VARS_OK:
        break;
    case ENV_VARS_NEED_LA:
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required for the linked_account variable %s", json_str(def, "name"));
    case ENV_VARS_NEED_WORKFLOW:
        return http_error(r, 400, "BAD_REQUEST", "workflow_id is required for the workflow variable %s", json_str(def, "name"));
    default:
        return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable value not found", "%s has no value in this scope", json_str(def, "name"));
    }
    cJSON *out = cJSON_CreateObject();
    int enc = json_bool(def, "encrypted", 0);
    cJSON_AddStringToObject(out, "value", enc ? ENV_VARS_REDACTED : json_str(doc, "value"));
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
    if (!env_vars_scope_known(scope))
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
    int total = 0;
    cJSON *docs = env_vars_list_values(r->m, r->t, scope, def_id, r->la, workflow, (int)((page - 1) * limit), (int)limit, &total);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "status", "success");
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/env/values/{value_id} (param[0] value_id) */
int h_delete_env_value(req *r)
{
    char name[256], msg[256];
    int rc = env_vars_delete(r->m, r->t, r->param[0], r->la, r->via_token, name, sizeof name);
    if (rc == 1)
        return http_error_hint(r, 404, "RESOURCE_NOT_FOUND", "Variable value not found", "no value %s", r->param[0]);
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the value");
    if (snprintf(msg, sizeof msg, "Variable value for \"%s\" deleted successfully", name) >= (int)sizeof msg)
        msg[sizeof msg - 1] = 0; /* (a name too long for the message is cut, as it always was) */
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "status", "success");
    cJSON_AddStringToObject(out, "message", msg);
    return http_json(r, 200, out);
}
