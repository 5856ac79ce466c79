/* pats.c: personal access tokens, kept as the SHA-256 of the token under their linked account. */
#include "engine/pats.h"
#include "engine/linked_accounts.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/doc_cache.h"
#include "engine/fixtures.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#define KIND "pat"

/* A leaked database must not hand out working tokens: only the digest is stored. */
static void digest_hex(const char *token, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

enum pat_result pats_mint(struct mock *m, const struct tenant *t, const char *la, char token[PAT_LEN],
                          char created_at[32])
{
    char hex[41], id[65];
    util_random_hex(hex, 20);
    snprintf(token, PAT_LEN, PAT_PREFIX "%s", hex);
    digest_hex(token, id);
    util_iso8601(clock_now_ms(m), created_at);
    store_begin(m->store);
    cJSON *have = store_list(m->store, t->id, KIND, la, NULL, NULL, 0, 1, NULL);
    int exists = cJSON_GetArraySize(have) > 0;
    cJSON_Delete(have);
    if (exists) {
        store_rollback(m->store);
        return PAT_EXISTS;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "linked_account_id", la);
    cJSON_AddStringToObject(doc, "created_at", created_at);
    cJSON_AddStringToObject(doc, "token_hint", token + strlen(token) - 4); /* the dashboard shows "...abcd" */
    int rc = store_put(m->store, t->id, KIND, id, la, doc);
    cJSON_Delete(doc);
    if (rc != 0) {
        store_rollback(m->store);
        return PAT_FAILED;
    }
    return store_commit(m->store) == 0 ? PAT_OK : PAT_FAILED;
}

enum pat_result pats_revoke(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    int n = store_del_children(m->store, t->id, KIND, la);
    if (store_commit(m->store) != 0)
        return PAT_FAILED;
    return n > 0 ? PAT_OK : PAT_NONE;
}

/* The store's answer for token: 1 and *t, la filled, or 0. */
static int lookup_store(struct mock *m, const char *token, const struct tenant **t, char *la, size_t n)
{
    char id[65];
    digest_hex(token, id);
    /* The token does not name its tenant: look in each (a handful of API keys). */
    const struct tenant *x;
    for (int i = 0; (x = tenants_at(m, i)); i++) {
        static const char *const members[] = {"linked_account_id", NULL};
        cJSON *doc = store_get_members(m->store, x->id, KIND, id, members);
        if (!doc)
            continue;
        const char *owner = json_str(doc, "linked_account_id");
        int ok = owner && util_copy(la, n, owner) && linked_accounts_exists(m, x, owner);
        cJSON_Delete(doc);
        if (ok)
            *t = x;
        return ok;
    }
    return 0;
}

int pats_lookup(struct mock *m, const char *token, const struct tenant **t, char *la, size_t n)
{
    if (!token || strncmp(token, PAT_PREFIX, strlen(PAT_PREFIX)) || strlen(token) != PAT_LEN - 1)
        return 0;
    /* An agent sends its PAT with every tool call: the answer is kept until the store changes
     * (a revocation, a deleted linked account and a reset all write to it). Keyed by the token
     * itself, in memory only: hashing it per call to find the key would cost what is saved. */
    char key[PAT_LEN + 8];
    snprintf(key, sizeof key, "pat\n%s", token);
    unsigned long long gen = store_generation(m->store); /* (before the store is read) */
    struct doc_ref *ref = doc_cache_get(m->docs, key, gen);
    if (!ref) {
        const struct tenant *x = NULL;
        char owner[MOCK_ID_LEN];
        if (!lookup_store(m, token, &x, owner, sizeof owner))
            return 0;
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "tenant", x->id);
        cJSON_AddStringToObject(doc, "linked_account_id", owner);
        ref = doc_cache_put(m->docs, key, gen, doc);
        if (!ref) { /* (out of memory: the store's answer stands) */
            *t = x;
            return util_copy(la, n, owner) != 0;
        }
    }
    const cJSON *doc = doc_cache_doc(ref);
    const struct tenant *x = tenants_by_id(m, json_str(doc, "tenant")); /* (an ephemeral one may be gone) */
    int ok = x && util_copy(la, n, json_str(doc, "linked_account_id"));
    if (ok)
        *t = x;
    doc_cache_release(ref);
    return ok;
}

cJSON *pats_info(struct mock *m, const struct tenant *t, const char *la)
{
    cJSON *have = store_list(m->store, t->id, KIND, la, NULL, NULL, 0, 1, NULL);
    cJSON *doc = cJSON_DetachItemFromArray(have, 0);
    cJSON_Delete(have);
    if (doc)
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "_id"); /* (the digest is nobody's business) */
    return doc;
}

void pats_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    pats_revoke(m, t, la);
}
