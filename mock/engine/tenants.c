/* tenants.c: the fixtures' tenants plus ephemeral ones. An ephemeral tenant is a copy of an
 * org's fixture tenant under a fresh id and key; its data lives in the store keyed by that id
 * like any other. A dropped tenant's struct is kept until stop: a request in flight may hold it.
 * A registry only: a tenant's data is seeded and wiped by reset.c, which calls this file. */
#include "engine/tenants.h"
#include "engine/fixtures.h"
#include "base/mock.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Live ephemeral tenants by key or id (open addressing, a quarter to a half full): auth asks on
 * every request, and a scan of every tenant made that cost grow with the CI run. */
struct tindex {
    struct tenant **slot;
    size_t cap, used;
};

struct tenants {
    pthread_mutex_t lock;
    struct tenant **live;   /* ephemeral tenants in creation order */
    int n, cap;
    struct tindex by_key, by_id;
    struct tenant **gone;   /* dropped: freed at stop */
    int ngone, capgone;
    unsigned long long serial;
};

#define EPHEMERAL_MARK ":eph"  /* in the id: "<org_id>:<env>:eph<serial>" */

struct tenants *tenants_new(void)
{
    struct tenants *ts = calloc(1, sizeof *ts);
    pthread_mutex_init(&ts->lock, NULL);
    return ts;
}

void tenants_free(struct tenants *ts)
{
    if (!ts)
        return;
    for (int i = 0; i < ts->n; i++)
        free(ts->live[i]);
    for (int i = 0; i < ts->ngone; i++)
        free(ts->gone[i]);
    free(ts->live);
    free(ts->gone);
    free(ts->by_key.slot);
    free(ts->by_id.slot);
    pthread_mutex_destroy(&ts->lock);
    free(ts);
}

int tenants_is_ephemeral(const struct tenant *t) { return t && strstr(t->id, EPHEMERAL_MARK) != NULL; }

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static const char *field(const struct tenant *t, int by_key) { return by_key ? t->api_key : t->id; }

static void ix_put(struct tindex *ix, struct tenant *t, int by_key)
{
    if (2 * (ix->used + 1) > ix->cap) { /* grow and re-insert */
        struct tindex bigger = {calloc(ix->cap ? 2 * ix->cap : 64, sizeof *bigger.slot), ix->cap ? 2 * ix->cap : 64, 0};
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->slot[i])
                ix_put(&bigger, ix->slot[i], by_key);
        free(ix->slot);
        *ix = bigger;
    }
    size_t i = hash(field(t, by_key)) & (ix->cap - 1);
    while (ix->slot[i])
        i = (i + 1) & (ix->cap - 1);
    ix->slot[i] = t;
    ix->used++;
}

static struct tenant *ix_get(const struct tindex *ix, const char *value, int by_key)
{
    if (!ix->cap)
        return NULL;
    for (size_t i = hash(value) & (ix->cap - 1); ix->slot[i]; i = (i + 1) & (ix->cap - 1))
        if (!strcmp(field(ix->slot[i], by_key), value))
            return ix->slot[i];
    return NULL;
}

/* After a drop (no tombstones: drops are rare next to lookups). Caller holds ts->lock. */
static void ix_rebuild(struct tenants *ts)
{
    for (int k = 0; k < 2; k++) {
        struct tindex *ix = k ? &ts->by_key : &ts->by_id;
        if (ix->cap)
            memset(ix->slot, 0, ix->cap * sizeof *ix->slot);
        ix->used = 0;
        for (int i = 0; i < ts->n; i++)
            ix_put(ix, ts->live[i], k);
    }
}

static const struct tenant *find(struct mock *m, const char *value, int by_key)
{
    if (!value)
        return NULL;
    const struct tenant *t = by_key ? fixtures_tenant_by_key(m->fx, value) : fixtures_tenant_by_id(m->fx, value);
    if (t)
        return t;
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    t = ix_get(by_key ? &ts->by_key : &ts->by_id, value, by_key);
    pthread_mutex_unlock(&ts->lock);
    return t;
}

const struct tenant *tenants_by_key(struct mock *m, const char *api_key) { return find(m, api_key, 1); }
const struct tenant *tenants_by_id(struct mock *m, const char *id) { return find(m, id, 0); }

const struct tenant *tenants_at(struct mock *m, int i)
{
    if (i < 0)
        return NULL;
    if (i < m->fx->ntenants)
        return &m->fx->tenants[i];
    i -= m->fx->ntenants;
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    const struct tenant *t = i < ts->n ? ts->live[i] : NULL;
    pthread_mutex_unlock(&ts->lock);
    return t;
}

static const struct tenant *template_of(struct mock *m, const char *org, const char *env)
{
    for (int i = 0; i < m->fx->ntenants; i++) {
        const struct tenant *t = &m->fx->tenants[i];
        if ((!strcasecmp(t->org_name, org) || !strcmp(t->org_id, org)) && !strcmp(t->environment, env))
            return t;
    }
    return NULL;
}

static void push(struct tenant ***arr, int *n, int *cap, struct tenant *t)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        *arr = realloc(*arr, sizeof **arr * (size_t)*cap);
    }
    (*arr)[(*n)++] = t;
}

struct tenant *tenants_make(struct mock *m, const char *org, const char *environment, char *err, size_t n)
{
    const char *env = environment ? environment : "test";
    const struct tenant *tpl = template_of(m, org, env);
    if (!tpl) {
        snprintf(err, n, "no org '%.64s' with a %.16s environment in the fixtures", org, env);
        return NULL;
    }
    struct tenant *t = malloc(sizeof *t);
    *t = *tpl;
    struct tenants *ts = m->tenants;
    char hex[25];
    util_new_id(hex); /* seeded runs get the same keys */
    pthread_mutex_lock(&ts->lock);
    unsigned long long serial = ++ts->serial;
    pthread_mutex_unlock(&ts->lock);
    snprintf(t->id, sizeof t->id, "%s:%s" EPHEMERAL_MARK "%llu", tpl->org_id, tpl->environment, serial);
    snprintf(t->api_key, sizeof t->api_key, "%s_eph_%s", strcmp(env, "test") ? "pk" : "tk", hex);
    return t;
}

void tenants_discard(struct tenant *t) { free(t); }

void tenants_add(struct mock *m, struct tenant *t)
{
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    push(&ts->live, &ts->n, &ts->cap, t);
    ix_put(&ts->by_key, t, 1);
    ix_put(&ts->by_id, t, 0);
    pthread_mutex_unlock(&ts->lock);
}

/* Caller holds the store lock and ts->lock. */
static void retire(struct mock *m, int i)
{
    struct tenants *ts = m->tenants;
    struct tenant *t = ts->live[i];
    memmove(&ts->live[i], &ts->live[i + 1], sizeof *ts->live * (size_t)(ts->n - i - 1));
    ts->n--;
    push(&ts->gone, &ts->ngone, &ts->capgone, t);
}

const struct tenant *tenants_unlist(struct mock *m, const char *api_key)
{
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    struct tenant *t = ix_get(&ts->by_key, api_key, 1);
    int at = -1;
    for (int i = 0; t && i < ts->n && at < 0; i++)
        if (ts->live[i] == t)
            at = i;
    if (t) {
        retire(m, at);
        ix_rebuild(ts);
    }
    pthread_mutex_unlock(&ts->lock);
    return t;
}

void tenants_drop_all(struct mock *m)
{
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    while (ts->n > 0)
        retire(m, ts->n - 1);
    ix_rebuild(ts);
    pthread_mutex_unlock(&ts->lock);
}
