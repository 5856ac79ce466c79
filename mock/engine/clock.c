/* clock.c: the virtual clock. Frozen by default (tests are deterministic), or following wall
 * time with --realtime; advancing fires every timer that falls due, in time order, through the
 * timer sources registered with it (it names none: they all read the clock). */
#include "base/mock.h"
#include "engine/clock.h"
#include "base/store.h"
#include "engine/tenants.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int clock_add_source(struct mock *m, const struct timer_source *s)
{
    if (m->ntimers == (int)(sizeof m->timers / sizeof *m->timers))
        return -1;
    m->timers[m->ntimers++] = s;
    return 0;
}

static long long next_due(struct mock *m)
{
    long long due = LLONG_MAX;
    for (int i = 0; i < m->ntimers; i++) {
        long long d = m->timers[i]->next_due(m);
        if (d < due)
            due = d;
    }
    return due;
}

static void fire(struct mock *m, long long now)
{
    for (int i = 0; i < m->ntimers; i++)
        m->timers[i]->fire(m, now);
}

/* What would fall due for t in (from, to] in the sources that count (see count_due), up to cap + 1:
 * an advance counts before it starts, so it either does all of it or is refused. */
static long long count_due(struct mock *m, const struct tenant *t, long long from, long long to, long long cap)
{
    long long n = 0;
    for (int i = 0; i < m->ntimers && n <= cap; i++)
        if (m->timers[i]->count_due)
            n += m->timers[i]->count_due(m, t, from, to, cap - n);
    return n;
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

void clock_rewind(struct mock *m)
{
    pthread_mutex_lock(&m->clock_lock);
    m->clock_offset_ms = 0;
    pthread_mutex_unlock(&m->clock_lock);
    store_meta_set(m->store, "clock_offset_ms", "0");
}

/* One advance per tenant at a time, and never one tenant's advance in another's way: a lock per
 * tenant (striped by id, so two tenants may share one; recursive for safety). The store lock is
 * taken per step only, so other tenants' requests run between the steps of a long advance. */
#define STRIPES 64
static pthread_mutex_t stripes[STRIPES];
static void stripes_init(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], &a);
    pthread_mutexattr_destroy(&a);
}

/* >0 while this thread is inside a step (see nested()). */
static __thread int in_step;

static pthread_mutex_t *stripe(const struct tenant *t)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, stripes_init);
    unsigned h = 2166136261u;
    for (const char *p = t->id; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &stripes[h % STRIPES];
}

/* The tenant locks are taken before the store's, never after: an advance made while this thread
 * holds the store (a scenario step fired by a request, or inside another advance's step) takes
 * none, and runs its steps under the store lock it already has. */
static int nested(void) { return in_step || store_held(); }

static void hold(const struct tenant *t, int skip)
{
    if (!skip)
        pthread_mutex_lock(stripe(t));
}

static void release(const struct tenant *t, int skip)
{
    if (!skip)
        pthread_mutex_unlock(stripe(t));
}

/* Where an advance of a fixtures tenant is going, kept until its last step: a mock killed in the
 * middle finishes it at the next start (clock_resume). "0": none. */
static void save_target(struct mock *m, const struct tenant *t, long long target)
{
    char key[128], buf[32];
    snprintf(key, sizeof key, "advance_to:%s", t->id);
    snprintf(buf, sizeof buf, "%lld", target);
    store_meta_set(m->store, key, buf);
}

/* Steps t's clock through each of t's due times up to target (in t's time), so a token refreshed
 * at 30 min and expired at 90 min, or a scenario step armed by an earlier one, happen in the
 * order they would live. The timer pass sees only t's rows (store_scope) and t's clock. Each step
 * (what falls due at one time, and the clock moved there) is one transaction: a crash leaves the
 * clock where the committed work is. 0, or -1 when a step could not be kept. */
static int step(struct mock *m, const struct tenant *t, long long target, int marked)
{
    const struct tenant *was = scope;
    int persist = !tenants_is_ephemeral(t), rc = 0;
    scope = t;
    in_step++;
    for (long long guard = 0; guard < ADVANCE_MAX_STEPS; guard++) {
        if (clock_stopping(m)) /* the rest is left: t's clock stays at the last step kept (a --db
                                * file keeps the target, so the next start finishes it) */
            break;
        store_begin(m->store);
        store_scope(t->id); /* (again each step: a nested advance of another tenant resets it) */
        long long due = next_due(m), now = clock_now(m, t);
        long long to = due <= target ? (due > now ? due : now) : (target > now ? target : now);
        add_own(t, to - now);
        fire(m, clock_now(m, t)); /* (= to, unless --realtime moved it since) */
        if (persist && to != now) /* (a --realtime tick moves no tenant's own offset: no write) */
            save_own(m, t);
        if (persist && marked && due > target)
            save_target(m, t, 0);
        if (store_commit(m->store) != 0) { /* nothing of this step was kept: neither is its time */
            add_own(t, now - to);
            rc = -1;
            break;
        }
        if (due > target)
            break;
        if (guard == ADVANCE_MAX_STEPS - 1)
            fprintf(stderr, "refold-mock: an advance of %s stopped after %lld steps: a timer that never clears (a bug)\n",
                    t->id, ADVANCE_MAX_STEPS);
        sched_yield(); /* let a waiting request of another tenant take the store lock */
    }
    in_step--;
    store_scope(in_step && was ? was->id : NULL); /* (back to the outer step's tenant when nested) */
    scope = was;
    return rc;
}

/* ADVANCE_TOO_LARGE when what would fall due in t's next ms is over the limit. */
static int check_size(struct mock *m, const struct tenant *t, long long ms, long long *would)
{
    long long now = clock_now(m, t);
    *would = count_due(m, t, now, now + ms, ADVANCE_MAX_RUNS);
    return *would > ADVANCE_MAX_RUNS ? ADVANCE_TOO_LARGE : 0;
}

int clock_advance_tenant_n(struct mock *m, const struct tenant *t, long long ms, long long *would)
{
    long long dummy;
    if (!would)
        would = &dummy;
    *would = 0;
    if (ms < 0 || !t)
        return -1;
    int skip = nested();
    hold(t, skip);
    store_lock(m->store);
    int rc = check_size(m, t, ms, would);
    long long target = clock_now(m, t) + ms;
    int marked = rc == 0 && ms > 0 && !tenants_is_ephemeral(t);
    if (marked)
        save_target(m, t, target);
    store_unlock(m->store);
    if (rc == 0)
        rc = step(m, t, target, marked);
    release(t, skip);
    return rc;
}

int clock_advance_tenant(struct mock *m, const struct tenant *t, long long ms)
{
    return clock_advance_tenant_n(m, t, ms, NULL);
}

/* Every tenant: the shared base moves by ms and each tenant's own offset back by ms (its time
 * stands still), all in one transaction; then each tenant in turn is stepped forward to the new
 * shared now, other tenants' requests running between the steps. */
int clock_advance_n(struct mock *m, long long ms, long long *would)
{
    long long dummy;
    if (!would)
        would = &dummy;
    *would = 0;
    if (ms < 0)
        return -1;
    store_begin(m->store); /* (no tenant is made or dropped meanwhile: both take the store lock) */
    int n = 0;
    while (tenants_at(m, n))
        n++;
    /* the tenants of this advance, kept: a tenant dropped meanwhile stays readable until stop */
    const struct tenant **ts = malloc(sizeof *ts * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        ts[i] = tenants_at(m, i);
        if (ms > 0 && check_size(m, ts[i], ms, would)) { /* (0: --realtime's tick, nothing to count) */
            store_rollback(m->store);
            free(ts);
            return ADVANCE_TOO_LARGE;
        }
    }
    pthread_mutex_lock(&m->clock_lock);
    m->clock_offset_ms += ms;
    pthread_mutex_unlock(&m->clock_lock);
    save_offset(m);
    for (int i = 0; i < n; i++) {
        add_own(ts[i], -ms);
        if (ms > 0 && !tenants_is_ephemeral(ts[i])) {
            save_own(m, ts[i]);
            save_target(m, ts[i], clock_now(m, ts[i]) + ms);
        }
    }
    if (store_commit(m->store) != 0) {
        pthread_mutex_lock(&m->clock_lock);
        m->clock_offset_ms -= ms;
        pthread_mutex_unlock(&m->clock_lock);
        for (int i = 0; i < n; i++)
            add_own(ts[i], ms);
        free(ts);
        return -1;
    }
    int rc = 0, skip = nested();
    for (int i = 0; i < n; i++) {
        hold(ts[i], skip);
        if (step(m, ts[i], clock_now(m, ts[i]) + ms, ms > 0) != 0)
            rc = -1;
        release(ts[i], skip);
    }
    free(ts);
    return rc;
}

int clock_advance(struct mock *m, long long ms) { return clock_advance_n(m, ms, NULL); }

void clock_resume(struct mock *m)
{
    const struct tenant *t;
    for (int i = 0; (t = tenants_at(m, i)); i++) {
        char key[128], buf[32];
        snprintf(key, sizeof key, "advance_to:%s", t->id);
        long long target = store_meta_get(m->store, key, buf, sizeof buf) ? atoll(buf) : 0, now = clock_now(m, t);
        if (target <= 0)
            continue;
        hold(t, 0);
        step(m, t, target > now ? target : now, 1);
        release(t, 0);
    }
}
