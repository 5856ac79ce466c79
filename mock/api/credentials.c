/* credentials.c: connection writes by API key: save key-based credentials, migrate a token, the
 * default app's credentials, and deleting an integration. Credentials are stored, never returned. */
#include "connections.h"
#include "json.h"
#include "clock.h"
#include "fixtures.h"
#include "auth.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "keybased.h"
#include "handlers.h"
#include "linked_accounts.h"

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
        return auth_no_linked_account(r);
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
        return auth_no_linked_account(r);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not migrate the token");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddStringToObject(out, "message", "Token migrated successfully");
    return http_json(r, 200, out);
}

/* ---- the default app's credentials (your_app.auth_credentials of the linked account) ---- */

#define LA_KIND "linked_account"
#define DEFAULT_CREDS "your_app_credentials"   /* where linked_accounts_save keeps your_app.auth_credentials */

/* Opens the transaction and the linked account; NULL (rolled back, 404 sent) when it has no
 * default-app integration. */
static cJSON *default_app_begin(req *r, cJSON **creds)
{
    store_begin(r->m->store);
    cJSON *doc = store_get(r->m->store, r->t->id, LA_KIND, r->la);
    *creds = cJSON_GetObjectItemCaseSensitive(doc, DEFAULT_CREDS);
    if (cJSON_IsObject(*creds))
        return doc;
    cJSON_Delete(doc);
    store_rollback(r->m->store);
    http_error(r, 404, "RESOURCE_NOT_FOUND", "Default app integration not found for linked account %s", r->la);
    return NULL;
}

static int default_app_commit(req *r, cJSON *doc)
{
    char at[32];
    util_iso8601(clock_now_ms(r->m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(r->m->store, r->t->id, LA_KIND, r->la, NULL, doc);
    cJSON_Delete(doc);
    if (rc) {
        store_rollback(r->m->store);
        return -1;
    }
    return store_commit(r->m->store);
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
    cJSON *creds, *doc = default_app_begin(r, &creds);
    if (!doc) {
        free(text);
        return r->status;
    }
    int existed = cJSON_HasObjectItem(creds, key);
    json_set(creds, key, cJSON_CreateString(text));
    free(text);
    if (default_app_commit(r, doc))
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
    cJSON *creds, *doc = default_app_begin(r, &creds);
    if (!doc)
        return r->status;
    if (!cJSON_HasObjectItem(creds, key)) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        return http_error(r, 404, "RESOURCE_NOT_FOUND", "Auth credential key '%s' not found", key);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(creds, key);
    if (default_app_commit(r, doc))
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
    store_begin(r->m->store);
    /* With auth_type only that connection goes; an integration that is not there is no error:
     * the linked account comes back as it stands. */
    cJSON *conn = connections_get(r->m, r->t, r->la, slug);
    if (conn && (!*auth_type || (json_str(conn, "auth_type") && !strcmp(json_str(conn, "auth_type"), auth_type))))
        connections_delete(r->m, r->t, r->la, slug);
    cJSON_Delete(conn);
    cJSON *doc = store_get(r->m->store, r->t->id, LA_KIND, r->la);
    cJSON *out = doc ? linked_accounts_public(r->m, r->t, doc, 1) : NULL;
    cJSON_Delete(doc);
    if (store_commit(r->m->store) || !out) {
        cJSON_Delete(out);
        return http_error(r, 500, "SERVER_ERROR", "could not delete the integration");
    }
    return http_json(r, 200, out);
}
