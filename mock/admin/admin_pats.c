/* admin_pats.c: mint and revoke a linked account's personal access token (the dashboard's Generate / Revoke). */
#include "admin/admin_account.h"
#include "base/http.h"
#include "engine/pats.h"
#include "base/store.h"
#include "handlers.h"

/* route: POST /__mock/linked-accounts/{id}/personal-access-token (param[0] id) */
int h_admin_mint_pat(req *r)
{
    if (!admin_account_need_tenant(r) || !admin_account_need(r, r->param[0]))
        return r->status;
    char token[PAT_LEN], at[32];
    switch (pats_mint(r->m, r->t, r->param[0], token, at)) {
    case PAT_OK:
        break;
    case PAT_EXISTS:
        return http_error(r, 409, "PAT_EXISTS", "Linked account %s already has a personal access token; a PAT is not "
                          "rotated in place: DELETE it, then generate a new one", r->param[0]);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not store the personal access token");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "token", token);
    cJSON_AddStringToObject(out, "linked_account_id", r->param[0]);
    cJSON_AddStringToObject(out, "created_at", at);
    return http_json(r, 201, out);
}

/* route: DELETE /__mock/linked-accounts/{id}/personal-access-token (param[0] id) */
int h_admin_revoke_pat(req *r)
{
    if (!admin_account_need_tenant(r) || !admin_account_need(r, r->param[0]))
        return r->status;
    switch (pats_revoke(r->m, r->t, r->param[0])) {
    case PAT_OK:
        return http_send(r, 204, "application/json; charset=utf-8", "", 0);
    case PAT_NONE:
        return http_error(r, 404, "NOT_FOUND", "Linked account %s has no personal access token", r->param[0]);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not revoke the personal access token");
    }
}

/* route: GET /__mock/linked-accounts/{id}/personal-access-token (param[0] id) */
int h_admin_get_pat(req *r)
{
    if (!admin_account_need_tenant(r) || !admin_account_need(r, r->param[0]))
        return r->status;
    cJSON *info = pats_info(r->m, r->t, r->param[0]);
    if (!info)
        return http_error(r, 404, "NOT_FOUND", "Linked account %s has no personal access token", r->param[0]);
    return http_json(r, 200, info);
}
