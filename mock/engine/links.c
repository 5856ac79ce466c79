/* links.c: hosted connect sessions (a signed JWT in the URL) and OAuth consent requests (opaque
 * tokens), stored per tenant. */
#include "engine/links.h"
#include "engine/linked_accounts.h"
#include "base/json.h"
#include "base/jwt.h"
#include "engine/auth.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define HOSTED_KIND "hosted_session"
#define OAUTH_KIND "oauth_state"

/* A stored key is lowercase hex (32 characters for consent states, 16 for the jti of a connect
 * JWT); anything else is not ours and needs no lookup. */
static int token_shape(const char *s)
{
    if (!s || (strlen(s) != 32 && strlen(s) != 16))
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

/* Tokens carry no tenant: the page URL must stay short and opaque. There are few tenants,
 * so asking each is cheap. */
static enum link_status find(struct mock *m, const char *kind, const char *token, cJSON **doc,
                             const struct tenant **t)
{
    *doc = NULL;
    *t = NULL;
    if (!token_shape(token))
        return LINK_UNKNOWN;
    const struct tenant *each;
    for (int i = 0; (each = tenants_at(m, i)); i++) {
        cJSON *d = store_get(m->store, each->id, kind, token);
        if (!d)
            continue;
        *doc = d;
        *t = each;
        if (json_num(d, "expires_ms", 0) <= (double)clock_now(m, each)) /* (its own clock: the page has no key) */
            return LINK_EXPIRED;
        if (!linked_accounts_exists(m, *t, json_str(d, "linked_account_id")))
            return LINK_GONE;
        return LINK_OK;
    }
    return LINK_UNKNOWN;
}

int links_hosted_create(struct mock *m, const struct tenant *t, const char *la, const cJSON *properties,
                        const char *config_id, const char *session_jti, long long expires_ms, char token[LINKS_TOKEN_LEN])
{
    long long now = clock_now_ms(m);
    char at[32], jti[17];
    util_iso8601(now, at);
    /* connect/create-connect-url.mdx: the URL ends in a signed JWT ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...").
     * It names the stored session by its jti only: a path segment holds at most MOCK_ID_LEN - 1
     * bytes, and the expiry and everything else live in the stored session. */
    util_random_hex(jti, 8);
    cJSON *claims = cJSON_CreateObject();
    cJSON_AddStringToObject(claims, "jti", jti);
    int signed_ok = jwt_sign(m, claims, token, LINKS_TOKEN_LEN) == 0 && strlen(token) < MOCK_ID_LEN;
    cJSON_Delete(claims);
    if (!signed_ok)
        return -1;
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "token", token);
    cJSON_AddStringToObject(d, "linked_account_id", la);
    cJSON_AddItemToObject(d, "properties", properties ? cJSON_Duplicate(properties, 1) : cJSON_CreateObject());
    if (config_id)
        cJSON_AddStringToObject(d, "config_id", config_id);
    else
        cJSON_AddNullToObject(d, "config_id");
    if (session_jti)
        cJSON_AddStringToObject(d, "session_jti", session_jti);
    cJSON_AddStringToObject(d, "createdAt", at);
    cJSON_AddNumberToObject(d, "created_ms", (double)now);
    cJSON_AddNumberToObject(d, "expires_ms", (double)expires_ms);
    store_begin(m->store);
    int rc = store_put(m->store, t->id, HOSTED_KIND, jti, la, d);
    if (rc == 0)
        rc = store_commit(m->store);
    else
        store_rollback(m->store);
    cJSON_Delete(d);
    return rc ? -1 : 0;
}

enum link_status links_hosted_find(struct mock *m, const char *token, cJSON **doc, const struct tenant **t)
{
    char why[64], jti[17] = "";
    cJSON *claims = jwt_decode(m, token, why, sizeof why); /* a forged or altered token is unknown */
    const char *id = json_str(claims, "jti");
    if (id)
        util_copy(jti, sizeof jti, id);
    cJSON_Delete(claims);
    if (strlen(jti) != 16) {
        *doc = NULL;
        *t = NULL;
        return LINK_UNKNOWN;
    }
    return find(m, HOSTED_KIND, jti, doc, t);
}

void links_hosted_url(struct mock *m, const char *token, char *out, size_t n)
{
    snprintf(out, n, "%s/connect/%s", m->url, token);
}

cJSON *links_hosted_properties(struct mock *m, const struct tenant *t, const char *la, const char *session_jti)
{
    long long now = clock_now_ms(m);
    cJSON *found = NULL, *d;
    if (session_jti) {
        cJSON *mine = store_list(m->store, t->id, HOSTED_KIND, la, "session_jti", session_jti, 0, 0, NULL);
        cJSON_ArrayForEach(d, mine)
            found = d; /* the newest */
        if (found)
            found = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(found, "properties"), 1);
        cJSON_Delete(mine);
        if (found)
            return found;
    }
    cJSON *all = store_list(m->store, t->id, HOSTED_KIND, la, NULL, NULL, 0, 0, NULL);
    cJSON_ArrayForEach(d, all)
        if (json_num(d, "expires_ms", 0) > (double)now)
            found = d;
    found = found ? cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(found, "properties"), 1) : NULL;
    cJSON_Delete(all);
    return found ? found : cJSON_CreateObject();
}

int links_oauth_begin(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                      const char *hosted_token, const char *redirect_url, char *out, size_t n)
{
    long long now = clock_now_ms(m);
    char state[33];
    util_random_hex(state, 16);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "state", state);
    cJSON_AddStringToObject(d, "linked_account_id", la);
    cJSON_AddStringToObject(d, "slug", slug);
    if (hosted_token)
        cJSON_AddStringToObject(d, "hosted", hosted_token);
    if (redirect_url)
        cJSON_AddStringToObject(d, "redirect_url", redirect_url);
    cJSON_AddNumberToObject(d, "created_ms", (double)now);
    cJSON_AddNumberToObject(d, "expires_ms", (double)(now + OAUTH_STATE_TTL_MS));
    store_begin(m->store);
    int rc = store_put(m->store, t->id, OAUTH_KIND, state, la, d);
    if (rc == 0)
        rc = store_commit(m->store);
    else
        store_rollback(m->store);
    cJSON_Delete(d);
    /* client_id and redirect_uri are shown the way a provider's URL carries them, so the link
     * reads like the real one; the mock only needs state. */
    snprintf(out, n, "%s/oauth/%s/authorize?client_id=refold-mock&response_type=code&state=%s", m->url, slug, state);
    return rc ? -1 : 0;
}

enum link_status links_oauth_find(struct mock *m, const char *state, cJSON **doc, const struct tenant **t)
{
    return find(m, OAUTH_KIND, state, doc, t);
}

void links_oauth_consume(struct mock *m, const struct tenant *t, const char *state)
{
    store_begin(m->store);
    store_del(m->store, t->id, OAUTH_KIND, state);
    store_commit(m->store);
}
