/* session_tokens.c: minting session tokens (HS256 JWT + refresh token) and revoking them. */
#include "auth.h"
#include "json.h"
#include "jwt.h"
#include "clock.h"
#include "doc_cache.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "session_token"
#define ACCESS_TTL_S (24 * 3600)       /* 24 h of the virtual clock */
#define REFRESH_TTL_S (30 * 24 * 3600)

static int mint(struct mock *m, const struct tenant *t, const char *la, const char *typ, const char *jti,
                long long now_ms, long long ttl, char *out, size_t n)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "typ", typ);
    cJSON_AddStringToObject(c, "jti", jti);
    cJSON_AddStringToObject(c, "tenant", t->id);
    cJSON_AddStringToObject(c, "org_id", t->org_id);
    cJSON_AddStringToObject(c, "environment", t->environment);
    cJSON_AddStringToObject(c, "linked_account_id", la);
    cJSON_AddNumberToObject(c, "iat", (double)(now_ms / 1000));
    cJSON_AddNumberToObject(c, "exp", (double)((now_ms + 999) / 1000 + ttl)); /* never earlier than exp_ms */
    int rc = jwt_sign(m, c, out, n);
    cJSON_Delete(c);
    return rc;
}

/* The linked account's stored tokens, through the document cache: a product asks for a session
 * token on every page load, and the answer is the same token until it nears expiry or the store
 * changes (a new token, a revocation, a reset: every one is a write). NULL out of memory. */
static cJSON *load_tokens(void *ctx)
{
    req *r = ctx;
    return store_list(r->m->store, r->t->id, KIND, r->la, NULL, NULL, 0, 0, NULL);
}

static struct doc_ref *stored_tokens(req *r)
{
    char key[2 * MOCK_ID_LEN + 32];
    snprintf(key, sizeof key, "session_token\n%s\n%s", r->t->id, r->la);
    return doc_cache_through(r->m->docs, r->m->store, key, load_tokens, r);
}

/* A token of that list still valid for a minute (the newest such), to reuse unless
 * force_refresh=true. */
static const cJSON *reusable(const cJSON *list, long long now_ms)
{
    const cJSON *d, *found = NULL;
    cJSON_ArrayForEach(d, list) {
        if (json_num(d, "exp_ms", 0) > (double)now_ms + 60000)
            found = d;
    }
    return found;
}

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
    if (!store_exists(r->m->store, r->t->id, "linked_account", la))
        return http_error(r, 400, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
                          la, r->t->environment);
    if (la != r->la)
        util_copy(r->la, sizeof r->la, la);
    char force[8] = "";
    http_query(r, "force_refresh", force, sizeof force);
    long long now = clock_now_ms(r->m);
    if (strcmp(force, "true")) {
        struct doc_ref *ref = stored_tokens(r);
        const cJSON *doc = ref ? reusable(doc_cache_doc(ref), now) : NULL;
        if (doc) {
            int status = answer(r, doc, now);
            doc_cache_release(ref);
            return status;
        }
        if (ref)
            doc_cache_release(ref);
    }
    /* (on the heap: a linked account id of 2 KiB, quoted and base64url, makes a JWT of ~6 KB) */
    enum { JWT_CAP = 4 * MOCK_ID_LEN + 1024 };
    char jti[33], rjti[33], *token = malloc(JWT_CAP), *refresh = malloc(JWT_CAP);
    util_random_hex(jti, 16);
    util_random_hex(rjti, 16);
    if (!token || !refresh || mint(r->m, r->t, la, "access", jti, now, ACCESS_TTL_S, token, JWT_CAP) ||
        mint(r->m, r->t, la, "refresh", rjti, now, REFRESH_TTL_S, refresh, JWT_CAP)) {
        free(token);
        free(refresh);
        return http_error(r, 500, "SERVER_ERROR", "could not sign the session token");
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "jti", jti);
    cJSON_AddStringToObject(doc, "refresh_jti", rjti);
    cJSON_AddStringToObject(doc, "linked_account_id", la);
    cJSON_AddStringToObject(doc, "token", token);
    cJSON_AddStringToObject(doc, "refresh_token", refresh);
    free(token);
    free(refresh);
    cJSON_AddNumberToObject(doc, "exp_ms", (double)(now + ACCESS_TTL_S * 1000LL));
    cJSON_AddNumberToObject(doc, "refresh_exp_ms", (double)(now + REFRESH_TTL_S * 1000LL));
    store_begin(r->m->store);
    int rc = store_put(r->m->store, r->t->id, KIND, jti, la, doc);
    if (rc != 0)
        store_rollback(r->m->store);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not store the session token");
    }
    int status = answer(r, doc, now);
    cJSON_Delete(doc);
    return status;
}

/* route: POST /api/v2/public/session-token/revoke */
int h_revoke_session_token(req *r)
{
    /* Deleting the record is the blacklist: auth_resolve accepts only tokens still stored. */
    int n = store_del(r->m->store, r->t->id, KIND, r->token_jti);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddNumberToObject(out, "revoked_count", n);
    return http_json(r, 200, out);
}
