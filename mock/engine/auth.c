/* auth.c: who a bearer token speaks for (session-token JWTs, HS256 with libcrypto, and PATs), and the
 * JWT secret. The dispatcher reads the headers and answers refusals (request_auth.c). */
#include "engine/auth.h"
#include "engine/linked_accounts.h"
#include "base/json.h"
#include "base/jwt.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "engine/pats.h"
#include "engine/session_tokens.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"

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
    else if (!session_tokens_exists(m, t, jti))
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
