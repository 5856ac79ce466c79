/* session_tokens_api.c: the session-token routes: mint (or reuse) a token pair, revoke one; the model is session_tokens.c. */
#include "engine/session_tokens.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/doc_cache.h"
#include "engine/linked_accounts.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>


/* A whole number as cJSON would print it: cJSON prints every number with "%1.15g" and reads it
 * back with sscanf to check it, which cost more than the rest of building this answer. */
static void add_int(cJSON *o, const char *name, long long v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", v);
    cJSON_AddRawToObject(o, name, text);
}

/* A JWT as a JSON string. cJSON escapes a string byte by byte, the largest cost of this answer;
 * a JWT that mint() made is base64url and dots, nothing to escape, so it is added quoted as it
 * is. (A quote or backslash, which no signer here writes, sends it through cJSON after all.) */
static void add_jwt(cJSON *o, const char *name, const char *jwt)
{
    size_t n = jwt ? strcspn(jwt, "\"\\") : 0;
    char quoted[2100];
    if (!jwt || jwt[n] || n + 3 > sizeof quoted) {
        cJSON_AddStringToObject(o, name, jwt ? jwt : "");
        return;
    }
    quoted[0] = '"';
    memcpy(quoted + 1, jwt, n);
    quoted[n + 1] = '"';
    quoted[n + 2] = 0;
    cJSON_AddRawToObject(o, name, quoted);
}

/* The SessionTokenResponse for a stored token document. */
static int answer(req *r, const cJSON *doc, long long now)
{
    cJSON *out = cJSON_CreateObject();
    add_jwt(out, "token", json_str(doc, "token"));
    add_jwt(out, "refresh_token", json_str(doc, "refresh_token"));
    add_int(out, "expires_in", ((long long)json_num(doc, "exp_ms", 0) - now) / 1000);
    add_int(out, "refresh_expires_in", ((long long)json_num(doc, "refresh_exp_ms", 0) - now) / 1000);
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/session-token */
int h_create_session_token(req *r)
{
    /* The body names the linked account (the spec's way); without it, the header or query
     * linked_account_id, as on every other customer route. */
    const cJSON *named = r->body ? cJSON_GetObjectItemCaseSensitive(r->body, "linked_account_id") : NULL;
    const char *la = !named && r->la[0] ? r->la : http_body_str(r, "linked_account_id");
    if (!la)
        return r->status;
    if (!linked_accounts_exists(r->m, r->t, la))
        return http_error(r, 400, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
                          la, r->t->environment);
    if (la != r->la)
        util_copy(r->la, sizeof r->la, la);
    char force[8] = "";
    http_query(r, "force_refresh", force, sizeof force);
    long long now = clock_now_ms(r->m);
    if (strcmp(force, "true")) {
        struct doc_ref *ref = session_tokens_stored(r->m, r->t, r->la);
        const cJSON *doc = ref ? session_tokens_reusable(doc_cache_doc(ref), now) : NULL;
        if (doc) {
            int status = answer(r, doc, now);
            doc_cache_release(ref);
            return status;
        }
        if (ref)
            doc_cache_release(ref);
    }
    cJSON *doc = NULL;
    int rc = session_tokens_mint(r->m, r->t, la, now, &doc);
    if (rc == -1)
        return http_error(r, 500, "SERVER_ERROR", "could not sign the session token");
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the session token");
    int status = answer(r, doc, now);
    cJSON_Delete(doc);
    return status;
}

/* route: POST /api/v2/public/session-token/revoke */
int h_revoke_session_token(req *r)
{
    /* Deleting the record is the blacklist: request_auth_resolve accepts only tokens still stored. */
    int n = session_tokens_revoke(r->m, r->t, r->token_jti);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddNumberToObject(out, "revoked_count", n);
    return http_json(r, 200, out);
}
