/* tenants.c: the fixtures' tenants plus ephemeral ones. An ephemeral tenant is a copy of an
 * org's fixture tenant under a fresh id and key; its data lives in the store keyed by that id
 * like any other. A dropped tenant's struct is kept until stop: a request in flight may hold it. */
#include "tenants.h"
#include "reset.h"
#include "fixtures.h"
#include "mock.h"
#include "store.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tenants {
    pthread_mutex_t lock;
    struct tenant **live;   /* ephemeral tenants in creation order */
    int n, cap;
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
    pthread_mutex_destroy(&ts->lock);
    free(ts);
}

int tenants_is_ephemeral(const struct tenant *t) { return t && strstr(t->id, EPHEMERAL_MARK) != NULL; }

static const struct tenant *find(struct mock *m, const char *value, int by_key)
{
    if (!value)
        return NULL;
    const struct tenant *t = by_key ? fixtures_tenant_by_key(m->fx, value) : fixtures_tenant_by_id(m->fx, value);
    if (t)
        return t;
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    for (int i = 0; i < ts->n && !t; i++)
        if (!strcmp(by_key ? ts->live[i]->api_key : ts->live[i]->id, value))
            t = ts->live[i];
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

const struct tenant *tenants_create(struct mock *m, const char *org, const char *environment, char *err, size_t n)
{
    const char *env = environment ? environment : "test";
    store_lock(m->store); /* the fixtures cannot be swapped by a reset meanwhile */
    const struct tenant *tpl = template_of(m, org, env);
    if (!tpl) {
        store_unlock(m->store);
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
    if (reset_tenant(m, t) != 0) {
        store_wipe(m->store, t->id);
        store_unlock(m->store);
        free(t);
        snprintf(err, n, "the seed data of %.64s (%.16s) does not apply", tpl->org_name, env);
        return NULL;
    }
    pthread_mutex_lock(&ts->lock);
    push(&ts->live, &ts->n, &ts->cap, t);
    pthread_mutex_unlock(&ts->lock);
    store_unlock(m->store);
    return t;
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

int tenants_drop(struct mock *m, const char *api_key)
{
    if (fixtures_tenant_by_key(m->fx, api_key))
        return 1;
    store_lock(m->store);
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    int at = -1;
    for (int i = 0; i < ts->n && at < 0; i++)
        if (!strcmp(ts->live[i]->api_key, api_key))
            at = i;
    struct tenant *t = at >= 0 ? ts->live[at] : NULL;
    if (t)
        retire(m, at); /* unknown to auth from here on */
    pthread_mutex_unlock(&ts->lock);
    if (t)
        reset_wipe_tenant(m, t);
    store_unlock(m->store);
    return t ? 0 : -1;
}

void tenants_drop_all(struct mock *m)
{
    struct tenants *ts = m->tenants;
    pthread_mutex_lock(&ts->lock);
    while (ts->n > 0)
        retire(m, ts->n - 1);
    pthread_mutex_unlock(&ts->lock);
}
