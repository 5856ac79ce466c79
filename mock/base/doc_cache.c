/* doc_cache.c: parsed store documents kept until the store changes (memo.c's rule, for cJSON). */
#include "base/doc_cache.h"
#include "base/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Direct-mapped like the memo: its users (PAT lookups, MCP server documents) hold a few keys
 * per tenant, and a collision only costs a store read. Any write to the store moves the
 * generation, so a revoked token or an edited server is never answered from here. */
#define SLOTS 256

struct doc_ref {
    atomic_int refs;    /* the slot's reference plus one per reader */
    cJSON *doc;
};

struct slot {
    pthread_mutex_t lock;
    char *key;
    unsigned long long gen;
    struct doc_ref *ref;
};

struct doc_cache {
    struct slot slot[SLOTS];
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct doc_cache *doc_cache_new(void)
{
    struct doc_cache *c = calloc(1, sizeof *c);
    for (int i = 0; c && i < SLOTS; i++)
        pthread_mutex_init(&c->slot[i].lock, NULL);
    return c;
}

void doc_cache_release(struct doc_ref *ref)
{
    if (ref && atomic_fetch_sub(&ref->refs, 1) == 1) {
        cJSON_Delete(ref->doc);
        free(ref);
    }
}

/* Empties a slot; its lock is held. */
static void drop(struct slot *s)
{
    doc_cache_release(s->ref); /* readers still holding it keep it alive */
    free(s->key);
    s->key = NULL;
    s->ref = NULL;
}

void doc_cache_free(struct doc_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < SLOTS; i++) {
        drop(&c->slot[i]);
        pthread_mutex_destroy(&c->slot[i].lock);
    }
    free(c);
}

struct doc_ref *doc_cache_get(struct doc_cache *c, const char *key, unsigned long long gen)
{
    struct slot *s = &c->slot[hash(key) % SLOTS];
    struct doc_ref *ref = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->ref && s->gen == gen && !strcmp(s->key, key)) {
        ref = s->ref;
        atomic_fetch_add(&ref->refs, 1);
    }
    pthread_mutex_unlock(&s->lock);
    return ref;
}

struct doc_ref *doc_cache_put(struct doc_cache *c, const char *key, unsigned long long gen, cJSON *doc)
{
    struct doc_ref *ref = malloc(sizeof *ref);
    char *k = strdup(key);
    if (!ref || !k) {
        free(ref);
        free(k);
        cJSON_Delete(doc);
        return NULL;
    }
    atomic_init(&ref->refs, 2); /* the slot's and the caller's */
    ref->doc = doc;
    struct slot *s = &c->slot[hash(key) % SLOTS];
    pthread_mutex_lock(&s->lock);
    drop(s);
    s->key = k;
    s->gen = gen;
    s->ref = ref;
    pthread_mutex_unlock(&s->lock);
    return ref;
}

const cJSON *doc_cache_doc(const struct doc_ref *ref)
{
    return ref ? ref->doc : NULL;
}

struct doc_ref *doc_cache_through(struct doc_cache *c, struct store *st, const char *key, cJSON *(*load)(void *ctx),
                                  void *ctx)
{
    unsigned long long gen = store_generation(st); /* (before the store is read: a write in between
                                                    * then leaves the kept document already stale) */
    struct doc_ref *ref = doc_cache_get(c, key, gen);
    if (ref)
        return ref;
    cJSON *doc = load(ctx);
    return doc ? doc_cache_put(c, key, gen, doc) : NULL;
}
