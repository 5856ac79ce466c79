/* session_tokens.c: the session-token model: minting (HS256 access + refresh JWT), the stored documents, revoking. */
#include "engine/session_tokens.h"
#include "base/json.h"
#include "base/jwt.h"
#include "base/doc_cache.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deleting a document is the blacklist: auth accepts only tokens still stored (jti = id,
 * parent = the linked account). */
#define KIND "session_token"
#define ACCESS_TTL_S (24 * 3600)       /* 24 h of the virtual clock */
#define REFRESH_TTL_S (30 * 24 * 3600)

static int sign(struct mock *m, const struct tenant *t, const char *la, const char *typ, const char *jti,
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

struct who {
    struct mock *m;
    const struct tenant *t;
    const char *la;
};

static cJSON *load_tokens(void *ctx)
{
    struct who *w = ctx;
    return store_list(w->m->store, w->t->id, KIND, w->la, NULL, NULL, 0, 0, NULL);
}

/* The answer is the same token until it nears expiry or the store changes (a new token, a
 * revocation, a reset: every one is a write). */
struct doc_ref *session_tokens_stored(struct mock *m, const struct tenant *t, const char *la)
{
    char key[2 * MOCK_ID_LEN + 32];
    snprintf(key, sizeof key, KIND "\n%s\n%s", t->id, la);
    struct who w = {m, t, la};
    return doc_cache_through(m->docs, m->store, key, load_tokens, &w);
}

const cJSON *session_tokens_reusable(const cJSON *list, long long now_ms)
{
    const cJSON *d, *found = NULL;
    cJSON_ArrayForEach(d, list) {
        if (json_num(d, "exp_ms", 0) > (double)now_ms + 60000)
            found = d;
    }
    return found;
}

int session_tokens_mint(struct mock *m, const struct tenant *t, const char *la, long long now, cJSON **out)
{
    *out = NULL;
    /* (on the heap: a linked account id of 2 KiB, quoted and base64url, makes a JWT of ~6 KB) */
    enum { JWT_CAP = 4 * MOCK_ID_LEN + 1024 };
    char jti[33], rjti[33], *token = malloc(JWT_CAP), *refresh = malloc(JWT_CAP);
    util_random_hex(jti, 16);
    util_random_hex(rjti, 16);
    if (!token || !refresh || sign(m, t, la, "access", jti, now, ACCESS_TTL_S, token, JWT_CAP) ||
        sign(m, t, la, "refresh", rjti, now, REFRESH_TTL_S, refresh, JWT_CAP)) {
        free(token);
        free(refresh);
        return -1;
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
    store_begin(m->store);
    int rc = store_put(m->store, t->id, KIND, jti, la, doc);
    if (rc != 0)
        store_rollback(m->store);
    if (rc != 0 || store_commit(m->store) != 0) {
        cJSON_Delete(doc);
        return -2;
    }
    *out = doc;
    return 0;
}

cJSON *session_tokens_get(struct mock *m, const struct tenant *t, const char *jti)
{
    return store_get(m->store, t->id, KIND, jti);
}

int session_tokens_exists(struct mock *m, const struct tenant *t, const char *jti)
{
    return store_exists(m->store, t->id, KIND, jti);
}

int session_tokens_revoke(struct mock *m, const struct tenant *t, const char *jti)
{
    return store_del(m->store, t->id, KIND, jti);
}

int session_tokens_revoke_all(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    int n = 0;
    if (la) {
        n = store_del_children(m->store, t->id, KIND, la);
    } else {
        cJSON *all = store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 0, NULL), *d;
        cJSON_ArrayForEach(d, all) {
            const char *jti = json_str(d, "jti");
            n += jti ? store_del(m->store, t->id, KIND, jti) : 0;
        }
        cJSON_Delete(all);
    }
    store_commit(m->store);
    return n;
}

void session_tokens_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, KIND, la);
}
