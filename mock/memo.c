/* memo.c: rendered bodies of read routes, kept until the store or the clock changes. */
#include "memo.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Direct-mapped: a key owns one slot and a collision replaces the other key's body. The read
 * routes it serves are few per tenant (one list, one view per app), so 256 slots hold a test
 * run's working set; bodies above MAX_BODY and memory above MAX_BYTES are simply not kept. */
#define SLOTS 256
#define MAX_BODY (256 * 1024)
#define MAX_BYTES (8 * 1024 * 1024)

struct memo_body {
    atomic_int refs;     /* the slot's reference plus one per reader sending it */
    size_t len;
    char text[];
};

struct slot {
    pthread_mutex_t lock;
    char *key;
    unsigned long long gen;
    long long now_ms;
    struct memo_body *body;
};

struct memo {
    struct slot slot[SLOTS];
    atomic_size_t bytes;
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct memo *memo_new(void)
{
    struct memo *mc = calloc(1, sizeof *mc);
    for (int i = 0; i < SLOTS; i++)
        pthread_mutex_init(&mc->slot[i].lock, NULL);
    return mc;
}

static void unref(struct memo_body *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

/* Empties a slot; its lock is held. */
static void drop(struct memo *mc, struct slot *s)
{
    if (s->body)
        atomic_fetch_sub(&mc->bytes, s->body->len);
    unref(s->body); /* readers still sending it keep it alive */
    free(s->key);
    s->key = NULL;
    s->body = NULL;
}

void memo_free(struct memo *mc)
{
    if (!mc)
        return;
    memo_clear(mc);
    for (int i = 0; i < SLOTS; i++)
        pthread_mutex_destroy(&mc->slot[i].lock);
    free(mc);
}

void memo_clear(struct memo *mc)
{
    for (int i = 0; i < SLOTS; i++) {
        pthread_mutex_lock(&mc->slot[i].lock);
        drop(mc, &mc->slot[i]);
        pthread_mutex_unlock(&mc->slot[i].lock);
    }
}

const struct memo_body *memo_get(struct memo *mc, const char *key, unsigned long long gen, long long now_ms)
{
    struct slot *s = &mc->slot[hash(key) % SLOTS];
    struct memo_body *b = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->body && s->gen == gen && s->now_ms == now_ms && !strcmp(s->key, key)) {
        b = s->body;
        atomic_fetch_add(&b->refs, 1);
    } else if (s->body && (s->gen != gen || s->now_ms != now_ms)) {
        drop(mc, s); /* stale for every key: free it now rather than at the next put */
    }
    pthread_mutex_unlock(&s->lock);
    return b;
}

const char *memo_body_text(const struct memo_body *b, size_t *len)
{
    *len = b->len;
    return b->text;
}

void memo_release(const struct memo_body *b)
{
    unref((struct memo_body *)b);
}

void memo_put(struct memo *mc, const char *key, unsigned long long gen, long long now_ms, const char *text, size_t len)
{
    if (len > MAX_BODY || atomic_load(&mc->bytes) + len > MAX_BYTES)
        return;
    struct memo_body *b = malloc(sizeof *b + len + 1);
    char *k = strdup(key);
    if (!b || !k) {
        free(b);
        free(k);
        return;
    }
    atomic_init(&b->refs, 1);
    b->len = len;
    memcpy(b->text, text, len);
    b->text[len] = 0;
    struct slot *s = &mc->slot[hash(key) % SLOTS];
    pthread_mutex_lock(&s->lock);
    drop(mc, s);
    s->key = k;
    s->gen = gen;
    s->now_ms = now_ms;
    s->body = b;
    atomic_fetch_add(&mc->bytes, len);
    pthread_mutex_unlock(&s->lock);
}
