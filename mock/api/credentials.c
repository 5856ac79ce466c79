/* credentials.c: connection writes by API key: save key-based credentials, migrate a token, the
 * default app's credentials, and deleting an integration. Credentials are stored, never returned. */
#include "engine/connections.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "engine/auth.h"
#include "base/http.h"
#include "base/util.h"
#include "engine/keybased.h"
#include "handlers.h"
#include "engine/linked_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int no_app(req *r, const char *slug)
{
    return http_error(r, 404, "NOT_FOUND", "Application %s not found", slug);
}

/* 0 when creds hold what auth_type of app requires; otherwise the 400 is sent. */
static int check_credentials(req *r, const cJSON *app, const char *auth_type, const cJSON *creds)
{
    char missing[512], err[256];
    int n = connections_missing_fields(app, auth_type, creds, missing, sizeof missing);
    if (n > 0)
        return http_error(r, 400, "MISSING_CREDENTIALS", "Missing required %s credential field%s for %s: %s", auth_type,
                          n == 1 ? "" : "s", json_str(app, "slug"), missing);
    if (!strcmp(auth_type, "keybased") && keybased_validate(app, creds, err, sizeof err) != 0)
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    const cJSON *v;
    cJSON_ArrayForEach(v, creds) if (!cJSON_IsString(v) && !cJSON_IsNumber(v) && !cJSON_IsBool(v))
        return http_error(r, 400, "BAD_REQUEST", "credential field %s must be a string", v->string);
    return 0;
}

/* route: PUT /api/v2/public/linked-account/integration/save-key-credentials/{slug} (param[0] slug) */
int h_save_key_credentials(req *r)
{
    const char *slug = r->param[0];
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app)
        return no_app(r, slug);
    char auth_type[32];
    if (http_query(r, "auth_type", auth_type, sizeof auth_type) && *auth_type && strcmp(auth_type, "keybased"))
        return http_error(r, 400, "BAD_REQUEST", "save-key-credentials stores key-based credentials; auth_type=%s is not keybased", auth_type);
    if (!fixtures_app_supports(app, "keybased"))
        return http_error(r, 400, "BAD_REQUEST", "%s does not take key-based credentials; connect it through OAuth", slug);
    if (!http_need_object(r) || check_credentials(r, app, "keybased", r->body))
        return r->status;
    int rc = connections_connect(r->m, r->t, r->la, slug, "keybased", NULL, r->body);
    if (rc == CONNECTIONS_NO_ACCOUNT)
        return http_no_linked_account(r);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not save the connection");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    return http_json(r, 200, out);
}

/* route: PUT /api/v2/public/migrate-token */
int h_migrate_token(req *r)
{
    const char *slug = http_body_str(r, "slug");
    if (!slug)
        return r->status;
    const cJSON *auth = http_body_obj(r, "auth_object");
    if (!auth)
        return r->status;
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app)
        return no_app(r, slug);
    const cJSON *creds = auth->child;
    const char *type = creds ? creds->string : NULL;
    /* The backend SDK's form (@cobaltio/cobalt's README: "auth_object": {"refresh_token": "..."}):
     * the credential fields themselves, for the app's own auth type. */
    int flat = cJSON_GetArraySize(auth) > 0 && json_str(app, "auth_type");
    cJSON_ArrayForEach(creds, auth) flat &= cJSON_IsString(creds);
    if (flat) {
        creds = auth;
        type = json_str(app, "auth_type");
    } else {
        creds = auth->child;
        if (cJSON_GetArraySize(auth) != 1)
            return http_error(r, 400, "BAD_REQUEST", "auth_object must have exactly one key naming the auth type, e.g. {\"oauth2\": {...}}, or be the credential fields themselves");
        if (!fixtures_app_supports(app, type))
            return http_error(r, 400, "BAD_REQUEST", "%s does not support the auth type %s", slug, type);
        if (!cJSON_IsObject(creds))
            return http_error(r, 400, "BAD_REQUEST", "auth_object.%s must be an object of credential fields", type);
    }
    if (check_credentials(r, app, type, creds))
        return r->status;
    int rc = connections_connect(r->m, r->t, r->la, slug, type, NULL, creds);
    if (rc == CONNECTIONS_NO_ACCOUNT)
        return http_no_linked_account(r);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not migrate the token");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddStringToObject(out, "message", "Token migrated successfully");
    return http_json(r, 200, out);
}

/* ---- the default app's credentials (your_app.auth_credentials of the linked account) ---- */

static int no_default_app(req *r)
{
    return http_error(r, 404, "RESOURCE_NOT_FOUND", "Default app integration not found for linked account %s", r->la);
}

/* route: PUT /api/v2/public/linked-account/default-app/auth-credentials/{key} (param[0] key) */
int h_upsert_default_app_credential(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, "value");
    if (!v || cJSON_IsNull(v))
        return http_error(r, 400, "BAD_REQUEST", "value is required");
    /* The value is coerced to a string before it is stored. */
    char *text = cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
    const char *key = r->param[0];
    int existed = 0, rc = linked_accounts_set_default_credential(r->m, r->t, r->la, key, text ? text : "", &existed);
    free(text);
    if (rc == 1)
        return no_default_app(r);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the credential");
    char msg[256];
    snprintf(msg, sizeof msg, "Auth credential '%s' %s successfully", key, existed ? "updated" : "added");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddStringToObject(out, "message", msg);
    cJSON_AddStringToObject(out, "action", existed ? "updated" : "added");
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/linked-account/default-app/auth-credentials/{key} (param[0] key) */
int h_delete_default_app_credential(req *r)
{
    const char *key = r->param[0];
    int rc = linked_accounts_delete_default_credential(r->m, r->t, r->la, key);
    if (rc == 1)
        return no_default_app(r);
    if (rc == 2)
        return http_error(r, 404, "RESOURCE_NOT_FOUND", "Auth credential key '%s' not found", key);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the credential");
    char msg[256];
    snprintf(msg, sizeof msg, "Auth credential '%s' deleted successfully", key);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddStringToObject(out, "message", msg);
    return http_json(r, 200, out);
}

/* ---- deleting an integration ---- */

/* route: DELETE /api/v2/public/linked-account/integration/{slug} (param[0] slug) */
int h_delete_integration(req *r)
{
    const char *slug = r->param[0];
    if (!fixtures_app(r->m->fx, slug))
        return no_app(r, slug);
    char auth_type[32] = "";
    http_query(r, "auth_type", auth_type, sizeof auth_type);
    /* With auth_type only that connection goes; an integration that is not there is no error:
     * the linked account comes back as it stands. */
    cJSON *out = linked_accounts_delete_integration(r->m, r->t, r->la, slug, auth_type);
    if (!out)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the integration");
    return http_json(r, 200, out);
}
