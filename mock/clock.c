/* clock.c: the virtual clock. Frozen by default (tests are deterministic), or following wall
 * time with --realtime; advancing fires every timer that falls due, in time order. */
#include "mock.h"
#include "timers.h"
#include "clock.h"
#include "store.h"
#include "tenants.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static __thread const struct tenant *scope;

void clock_scope(const struct tenant *t) { scope = t; }
const struct tenant *clock_scoped(void) { return scope; }

static long long own(const struct tenant *t)
{
    return t ? __atomic_load_n(&t->clock_offset_ms, __ATOMIC_ACQUIRE) : 0;
}

static void add_own(const struct tenant *t, long long ms)
{
    /* the one field of a tenant that changes: tenants are handed around const */
    __atomic_add_fetch(&((struct tenant *)t)->clock_offset_ms, ms, __ATOMIC_ACQ_REL);
}

/* A fixtures tenant's own advances are kept in the database like the shared offset: a restart
 * with --db finds its tokens and timers where its clock left them. */
static void save_own(struct mock *m, const struct tenant *t)
{
    char key[128], buf[32];
    snprintf(key, sizeof key, "clock_offset_ms:%s", t->id);
    snprintf(buf, sizeof buf, "%lld", own(t));
    store_meta_set(m->store, key, buf);
}

void clock_reset_tenant(struct mock *m, const struct tenant *t)
{
    __atomic_store_n(&((struct tenant *)t)->clock_offset_ms, 0, __ATOMIC_RELEASE);
    if (!tenants_is_ephemeral(t))
        save_own(m, t);
}

long long clock_now(struct mock *m, const struct tenant *t)
{
    pthread_mutex_lock(&m->clock_lock);
    long long now = m->clock_base_ms + m->clock_offset_ms;
    if (m->opt.realtime)
        now += wall_ms() - m->clock_wall_start_ms;
    pthread_mutex_unlock(&m->clock_lock);
    return now + own(t);
}

long long clock_now_ms(struct mock *m) { return clock_now(m, scope); }

int clock_stopping(struct mock *m) { return __atomic_load_n(&m->stopping, __ATOMIC_ACQUIRE); }

long long clock_offset(struct mock *m, const struct tenant *t)
{
    pthread_mutex_lock(&m->clock_lock); /* clock_advance and a full reset write it under the lock */
    long long shared = m->clock_offset_ms;
    pthread_mutex_unlock(&m->clock_lock);
    return shared + own(t); /* (atomic: a tenant reset or advance writes it from another worker) */
}

static void save_offset(struct mock *m)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", m->clock_offset_ms);
    store_meta_set(m->store, "clock_offset_ms", buf);
}

/* The clock starts at --clock-start, else at wall time; then where the database left it: a restart with --db keeps virtual time, so
 * tokens and timers stored against it stay valid. */
void clock_reset(struct mock *m)
{
    char buf[32];
    store_lock(m->store); /* lock order everywhere: the store's, then the clock's */
    pthread_mutex_lock(&m->clock_lock);
    m->clock_wall_start_ms = wall_ms();
    if (store_meta_get(m->store, "clock_base_ms", buf, sizeof buf)) {
        m->clock_base_ms = atoll(buf);
    } else {
        m->clock_base_ms = m->clock_start >= 0 ? m->clock_start : m->clock_wall_start_ms;
        snprintf(buf, sizeof buf, "%lld", m->clock_base_ms);
        store_meta_set(m->store, "clock_base_ms", buf);
    }
    m->clock_offset_ms = store_meta_get(m->store, "clock_offset_ms", buf, sizeof buf) ? atoll(buf) : 0;
    pthread_mutex_unlock(&m->clock_lock);
    const struct tenant *t;
    for (int i = 0; (t = tenants_at(m, i)); i++) {
        char key[128];
        snprintf(key, sizeof key, "clock_offset_ms:%s", t->id);
        __atomic_store_n(&((struct tenant *)t)->clock_offset_ms,
                         store_meta_get(m->store, key, buf, sizeof buf) ? atoll(buf) : 0, __ATOMIC_RELEASE);
    }
    store_unlock(m->store);
}

/* Steps t's clock through each of t's due times up to target (in t's time), so a token refreshed
 * at 30 min and expired at 90 min, or a scenario step armed by an earlier one, happen in the
 * order they would live. The timer pass sees only t's rows (store_scope) and t's clock. */
static void step(struct mock *m, const struct tenant *t, long long target)
{
    const struct tenant *was = scope;
    scope = t;
    store_scope(t->id);
    int cut = 0;
    for (int guard = 0; guard < 100000; guard++) {
        if ((cut = clock_stopping(m))) /* the rest is left: t's clock stays at the last due time fired */
            break;
        long long due = timers_next_due(m);
        if (due > target)
            break;
        long long now = clock_now(m, t);
        if (due > now)
            add_own(t, due - now);
        timers_fire(m, due > now ? due : now);
    }
    long long now = clock_now(m, t);
    if (!cut && target > now)
        add_own(t, target - now);
    if (!cut)
        timers_fire(m, clock_now(m, t));
    store_scope(NULL);
    scope = was;
}

int clock_advance_tenant(struct mock *m, const struct tenant *t, long long ms)
{
    if (ms < 0 || !t)
        return -1;
    store_lock(m->store); /* one advance at a time, and no request sees a half-advanced world */
    step(m, t, clock_now(m, t) + ms);
    if (!tenants_is_ephemeral(t))
        save_own(m, t);
    store_unlock(m->store);
    return 0;
}

/* Every tenant in turn: its clock is held back by ms, then stepped forward to the shared new now. */
int clock_advance(struct mock *m, long long ms)
{
    if (ms < 0)
        return -1;
    store_lock(m->store);
    pthread_mutex_lock(&m->clock_lock);
    m->clock_offset_ms += ms;
    pthread_mutex_unlock(&m->clock_lock);
    const struct tenant *t;
    for (int i = 0; (t = tenants_at(m, i)); i++) {
        add_own(t, -ms);
        step(m, t, clock_now(m, t) + ms);
        if (clock_stopping(m) && !tenants_is_ephemeral(t))
            save_own(m, t); /* cut short: where t's clock stopped, behind the shared one */
    }
    save_offset(m);
    store_unlock(m->store);
    return 0;
}
