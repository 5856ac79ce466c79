/* clock.c: the virtual clock. Frozen by default (tests are deterministic), or following wall
 * time with --realtime; advancing fires every timer that falls due, in time order. */
#include "mock.h"
#include "timers.h"
#include "clock.h"
#include "store.h"

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

long long clock_now_ms(struct mock *m)
{
    pthread_mutex_lock(&m->clock_lock);
    long long now = m->clock_base_ms + m->clock_offset_ms;
    if (m->opt.realtime)
        now += wall_ms() - m->clock_wall_start_ms;
    pthread_mutex_unlock(&m->clock_lock);
    return now;
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
    store_unlock(m->store);
}

/* Steps through each due time up to the target, so a token refreshed at 30 min and expired at
 * 90 min, or a scenario step armed by an earlier one, happen in the order they would live. */
int clock_advance(struct mock *m, long long ms)
{
    if (ms < 0)
        return -1;
    store_lock(m->store); /* one advance at a time, and no request sees a half-advanced world */
    long long target = clock_now_ms(m) + ms;
    for (int guard = 0; guard < 100000; guard++) {
        long long due = timers_next_due(m);
        if (due > target)
            break;
        long long now = clock_now_ms(m);
        if (due > now) {
            pthread_mutex_lock(&m->clock_lock);
            m->clock_offset_ms += due - now;
            pthread_mutex_unlock(&m->clock_lock);
        }
        timers_fire(m, due > now ? due : now);
    }
    long long now = clock_now_ms(m);
    pthread_mutex_lock(&m->clock_lock);
    if (target > now)
        m->clock_offset_ms += target - now;
    pthread_mutex_unlock(&m->clock_lock);
    save_offset(m);
    timers_fire(m, clock_now_ms(m));
    store_unlock(m->store);
    return 0;
}
