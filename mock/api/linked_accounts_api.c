/* linked_accounts_api.c: the linked-account routes (a product's customers): create, upsert, list, get, delete. */
#include "engine/linked_accounts.h"
#include "engine/forget.h"
#include "base/json.h"
#include "engine/auth.h"
#include "engine/connections.h"
#include "engine/env_vars.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>

/* route: GET /api/v2/public/linked-account */
int h_list_linked_accounts(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char name[128] = "", value[256] = "";
    http_query(r, "env_variable_name", name, sizeof name);
    http_query(r, "env_variable_value", value, sizeof value);
    int total = 0;
    cJSON *docs;
    if (*name) {
        /* Filtered by an environment variable: the accounts whose value matches. */
        cJSON *set = env_vars_accounts_with(r->m, r->t, name, value);
        docs = linked_accounts_list_in(r->m, r->t, set, (int)((page - 1) * limit), (int)limit, &total);
        cJSON_Delete(set);
    } else {
        docs = linked_accounts_list(r->m, r->t, (int)((page - 1) * limit), (int)limit, &total);
    }
    cJSON *out = cJSON_CreateObject(), *list = cJSON_CreateArray(), *d;
    cJSON_ArrayForEach(d, docs)
        cJSON_AddItemToArray(list, linked_accounts_public(r->m, r->t, d, 1));
    cJSON_Delete(docs);
    cJSON_AddItemToObject(out, "docs", list);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* Create and upsert take the id as account_id or its alias linked_account_id. A field of the
 * wrong type is named as such ({"linked_account_id": 123} is not "required"): 0 and *id, or the
 * status of the 400 answered. */
static int body_account_id(req *r, const cJSON *src, const char **id)
{
    static const char *const keys[] = {"account_id", "linked_account_id"};
    *id = NULL;
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, keys[i]);
        if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
            return http_error(r, 400, "INVALID_LINKED_ACCOUNT_ID", "%s must be a string", keys[i]);
        if (!*id && cJSON_IsString(v))
            *id = v->valuestring;
    }
    if (!*id) /* linked-accounts/create-linked-account.mdx, ```json 400 */
        return http_error(r, 400, "INVALID_LINKED_ACCOUNT_ID", "linked_account_id required");
    return 0;
}

/* route: POST /api/v2/public/linked-account */
int h_create_linked_account(req *r)
{
    if (!http_need_object(r))
        return r->status;
    char err[128];
    const char *id;
    if (body_account_id(r, r->body, &id))
        return r->status;
    if (!linked_accounts_valid_id(id))
        return http_error(r, 400, "INVALID_LINKED_ACCOUNT_ID", "linked_account_id must be 1-%d characters, no control characters or '/'", MOCK_ID_LEN - 1);
    if (linked_accounts_validate_fields(r->body, err, sizeof err))
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    cJSON *doc = NULL;
    int rc = linked_accounts_save(r->m, r->t, id, r->body, 1, &doc);
    if (rc == 1)
        return http_error(r, 409, "LINKED_ACCOUNT_EXISTS", "Linked account %s already exists in environment %s; use PUT to update it",
                          id, r->t->environment);
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the linked account");
    /* linked-accounts/create-linked-account.mdx: a new account shows "integrations": null */
    cJSON *out = linked_accounts_public(r->m, r->t, doc, 0);
    cJSON_AddNullToObject(out, "integrations");
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

/* route: PUT /api/v2/public/linked-account */
int h_upsert_linked_account(req *r)
{
    if (!http_need_object(r))
        return r->status;
    /* Fields may be flat or under "payload"; payload wins. */
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(r->body, "payload");
    if (payload && !cJSON_IsObject(payload))
        return http_error(r, 400, "BAD_REQUEST", "payload must be an object");
    const cJSON *src = payload ? payload : r->body;
    const char *id = r->la;
    char err[128];
    if (!r->via_token && body_account_id(r, r->body, &id))
        return r->status;
    if (!linked_accounts_valid_id(id))
        return http_error(r, 400, "INVALID_LINKED_ACCOUNT_ID", "linked_account_id must be 1-%d characters, no control characters or '/'", MOCK_ID_LEN - 1);
    if (linked_accounts_validate_fields(src, err, sizeof err))
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    cJSON *doc = NULL;
    int rc = linked_accounts_save(r->m, r->t, id, src, 0, &doc);
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the linked account");
    cJSON *out = linked_accounts_public(r->m, r->t, doc, 0);
    cJSON_AddBoolToObject(out, "new_account", rc == 0);
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

static int not_found(req *r, const char *id)
{
    /* linked-accounts/get-linked-account.mdx, ```json 404: "error": "SERVER_ERROR" */
    return http_error(r, 404, "SERVER_ERROR", "Linked Account with account id %s for org %s in environment %s not found",
                      id, r->t->org_id, r->t->environment);
}

/* route: GET /api/v2/public/linked-account/{linked_account_id} (param[0] linked_account_id) */
int h_get_linked_account(req *r)
{
    const char *id = r->param[0];
    /* A session token only opens its own linked account. */
    if (r->via_token && strcmp(id, r->la))
        return not_found(r, id);
    cJSON *doc = linked_accounts_get(r->m, r->t, id);
    if (!doc)
        return not_found(r, id);
    cJSON *out = linked_accounts_public(r->m, r->t, doc, 1);
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/session/active-linked-account */
int h_active_linked_account(req *r)
{
    cJSON *doc = linked_accounts_get(r->m, r->t, r->la);
    if (!doc)
        return not_found(r, r->la);
    cJSON *out = linked_accounts_public(r->m, r->t, doc, 1);
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

static int delete_account(req *r, const char *id);

/* route: DELETE /api/v2/public/linked-account/{linked_account_id} (param[0] linked_account_id) */
int h_delete_linked_account(req *r) { return delete_account(r, r->param[0]); }

/* route: DELETE /api/v1/linked-acc?account_id=... (deprecated; crm-demo's session cleanup). The
 * key names the org and environment: the org_id and environment the demo also sends are not
 * read (another org's account cannot be reached through them). */
int h_delete_linked_account_by_query(req *r)
{
    char id[2100]; /* (any length a URL may hold: an unknown id is a 404 below, not a 400) */
    if (!http_query(r, "account_id", id, sizeof id) || !*id)
        return http_error_hint(r, 400, "BAD_REQUEST", "account_id is required", "DELETE /api/v1/linked-acc?account_id=<linked account id>");
    return delete_account(r, id);
}

static int delete_account(req *r, const char *id)
{
    int rc = forget_linked_account(r->m, r->t, id);
    if (rc == 1)
        return not_found(r, id);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the linked account");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "User deleted successfully");
    return http_json(r, 200, out);
}
