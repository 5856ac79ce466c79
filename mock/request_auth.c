/* request_auth.c: the dispatcher's auth step: which tenant and linked account a request speaks
 * for, from its x-api-key, Authorization and linked_account_id headers (or, for a sub-request,
 * from the request it runs inside), as its route's flags ask, and the refusal in Refold's
 * envelope when it speaks for none. auth.c checks the tokens themselves. */
#include "request_auth.h"
#include "engine/auth.h"
#include "base/http.h"
#include "engine/linked_accounts.h"
#include "engine/tenants.h"
#include "base/util.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int admin_ok(req *r)
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

int request_auth_resolve(req *r)
{
    unsigned flags = r->route->flags;
    const char *key = http_header(r, "x-api-key");
    const char *authz = http_header(r, "Authorization");
    const char *bearer = authz && !strncasecmp(authz, "Bearer ", 7) ? authz + 7 : NULL;

    if (flags & AUTH_ADMIN) {
        if (!admin_ok(r))
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
        !linked_accounts_exists(r->m, r->t, r->la))
        return http_no_linked_account(r), -1;
    return 0;
}

int request_auth_inherit(req *r, const struct tenant *t, const char *la, int via_token)
{
    unsigned flags = r->route->flags;
    if (flags & AUTH_ADMIN)
        return http_error(r, 403, "FORBIDDEN", "%s %s is the mock's admin API: not reachable from inside another request",
                          r->route->method, r->route->pattern), -1;
    if ((flags & (AUTH_KEY | AUTH_TOKEN)) && !t)
        return bad_credentials(r, "the request this one runs inside has no tenant"), -1;
    r->t = t;
    r->via_token = via_token;
    if ((flags & (NEED_LA | OPT_LA)) && la && !util_copy(r->la, sizeof r->la, la))
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is too long"), -1;
    if ((flags & NEED_LA) && !r->la[0])
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required (header linked_account_id or query)"), -1;
    if ((flags & (NEED_LA | OPT_LA)) && r->la[0] && r->t && !linked_accounts_exists(r->m, r->t, r->la))
        return http_no_linked_account(r), -1;
    return 0;
}
