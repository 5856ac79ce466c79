/* auth.c: API keys, bearer tokens (session-token JWTs, HS256 with libcrypto, and PATs), the admin token, linked-account lookup. */
#include "auth.h"
#include "json.h"
#include "jwt.h"
#include "clock.h"
#include "fixtures.h"
#include "http.h"
#include "pats.h"
#include "store.h"
#include "tenants.h"
#include "util.h"

#include <civetweb.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int auth_init(struct mock *m)
{
    if (store_meta_get(m->store, "jwt_secret", m->jwt_secret, sizeof m->jwt_secret) && strlen(m->jwt_secret) == 64)
        return 0;
    util_random_hex(m->jwt_secret, 32);
    return store_meta_set(m->store, "jwt_secret", m->jwt_secret);
}

int auth_admin_ok(req *r)
{
    if (!r->m->admin_token)
        return 1;
    const char *h = http_header(r, "Authorization");
    size_t tl = strlen(r->m->admin_token);
    if (h && !strncmp(h, "Bearer ", 7) && strlen(h + 7) == tl && !CRYPTO_memcmp(h + 7, r->m->admin_token, tl))
        return 1;
    /* The dashboard is opened in a browser, which cannot set headers on a page load; every
     * other admin route takes the header only (a token in a URL leaks into logs and history). */
    char q[256];
    if (r->route && (r->route->flags & QUERY_ADMIN_TOKEN) &&
        http_query(r, "admin_token", q, sizeof q) && strlen(q) == tl && !CRYPTO_memcmp(q, r->m->admin_token, tl))
        return 1;
    return 0;
}

int auth_bearer(struct mock *m, const char *token, struct auth_who *who)
{
    memset(who, 0, sizeof *who);
    /* A personal access token: never expires, lives until revoked. */
    if (pats_lookup(m, token, &who->t, who->la, sizeof who->la)) {
        who->pat = 1;
        return 0;
    }
    char why[128];
    cJSON *claims = jwt_decode(m, token, why, sizeof why);
    if (!claims) {
        snprintf(who->code, sizeof who->code, "INVALID_TOKEN");
        snprintf(who->message, sizeof who->message, "%s", why);
        return -1;
    }
    const char *typ = json_str(claims, "typ"), *jti = json_str(claims, "jti");
    const char *la = json_str(claims, "linked_account_id");
    const struct tenant *t = tenants_by_id(m, json_str(claims, "tenant"));
    double exp = json_num(claims, "exp", 0);
    int rc = -1;
    snprintf(who->code, sizeof who->code, "INVALID_TOKEN");
    if (!typ || strcmp(typ, "access") || !jti || !la || !t)
        snprintf(who->message, sizeof who->message, "not a session token");
    else if (exp * 1000.0 <= (double)clock_now(m, t)) /* the token's tenant's clock: no request scope yet */
        /* (the page's envelope for an expired token is the plain "Invalid token" one) */
        snprintf(who->message, sizeof who->message, "the session token has expired");
    else if (!store_exists(m->store, t->id, "session_token", jti))
        snprintf(who->message, sizeof who->message, "the session token was revoked");
    else {
        who->t = t;
        util_copy(who->la, sizeof who->la, la);
        util_copy(who->jti, sizeof who->jti, jti);
        rc = 0;
    }
    cJSON_Delete(claims);
    return rc;
}

static int resolve_token(req *r, const char *token)
{
    struct auth_who who;
    if (auth_bearer(r->m, token, &who) != 0)
        return http_error_hint(r, 401, who.code, "Invalid token", "%s", who.message), -1;
    r->t = who.t;
    r->via_token = 1;
    util_copy(r->la, sizeof r->la, who.la);
    util_copy(r->token_jti, sizeof r->token_jti, who.jti); /* "" for a PAT: it is no session */
    return 0;
}

/* The pages' 401 for a wrong key: error SERVER_ERROR, message "Invalid Credentials" verbatim. */
static int bad_credentials(req *r, const char *hint)
{
    return http_error_hint(r, 401, "SERVER_ERROR", "Invalid Credentials", "%s", hint);
}

/* No credential on a route that takes a session token: "Authorization Token Missing", coded
 * INVALID_TOKEN (connect/create-connect-url, hosted-properties pages), except by the workflow
 * service, which codes it AUTH_SERVICE_ERROR (workflows/publish-workflow page). */
static int token_missing(req *r)
{
    int wf = (r->route->flags & WF_SERVICE_AUTH) != 0;
    return http_error_hint(r, 401, wf ? "AUTH_SERVICE_ERROR" : "INVALID_TOKEN", "Authorization Token Missing",
                           "send Authorization: Bearer <session token>%s",
                           (r->route->flags & AUTH_KEY) ? " or the x-api-key header" : "");
}

int auth_resolve(req *r)
{
    unsigned flags = r->route->flags;
    const char *key = http_header(r, "x-api-key");
    const char *authz = http_header(r, "Authorization");
    const char *bearer = authz && !strncasecmp(authz, "Bearer ", 7) ? authz + 7 : NULL;

    if (flags & AUTH_ADMIN) {
        if (!auth_admin_ok(r))
            return http_error(r, 401, "INVALID_ADMIN_TOKEN", "this mock requires the admin token (--admin-token)"), -1;
        bearer = NULL; /* the admin token is not a session token */
    }
    if (key && (flags & (AUTH_KEY | AUTH_ADMIN))) {
        r->t = tenants_by_key(r->m, key);
        if (!r->t)
            return bad_credentials(r, "unknown API key"), -1;
    } else if (bearer && (flags & AUTH_TOKEN)) {
        if (resolve_token(r, bearer) != 0)
            return -1;
    } else if (flags & (AUTH_KEY | AUTH_TOKEN)) {
        if (key)
            return bad_credentials(r, "this route takes a session token (Authorization: Bearer), not x-api-key"), -1;
        if (bearer)
            return bad_credentials(r, "this route takes the x-api-key header, not a session token"), -1;
        if (flags & AUTH_TOKEN)
            return token_missing(r), -1;
        return bad_credentials(r, "send the x-api-key header"), -1;
    } else if (key) {
        r->t = tenants_by_key(r->m, key); /* optional on open routes */
    }

    /* With a key the linked account comes from the header or the query; a token carries its own. */
    if (r->t && !r->via_token) {
        const char *h = http_header(r, "linked_account_id");
        char q[MOCK_ID_LEN];
        if (h && *h) {
            if (!util_copy(r->la, sizeof r->la, h))
                return http_error(r, 400, "BAD_REQUEST", "linked_account_id is too long"), -1;
        } else if (http_query(r, "linked_account_id", q, sizeof q) && *q) {
            util_copy(r->la, sizeof r->la, q);
        }
    }
    if ((flags & NEED_LA) && !r->la[0])
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required (header linked_account_id or query)"), -1;
    if ((flags & (NEED_LA | OPT_LA)) && r->la[0] && r->t &&
        !store_exists(r->m->store, r->t->id, "linked_account", r->la))
        return auth_no_linked_account(r), -1;
    return 0;
}

int auth_no_linked_account(req *r)
{
    return http_error(r, 404, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
                      r->la, r->t->environment);
}
