/* notify.c: a change counter with a condition variable, so waits wake on the change, not on a poll. */
#include "base/notify.h"

#include <time.h>

void notify_init(struct notify *n)
{
    pthread_mutex_init(&n->lock, NULL);
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&n->cond, &a);
    pthread_condattr_destroy(&a);
    n->gen = 0;
    n->closed = 0;
    n->waiters = 0;
}

void notify_destroy(struct notify *n)
{
    pthread_cond_destroy(&n->cond);
    pthread_mutex_destroy(&n->lock);
}

void notify_bump(struct notify *n)
{
    /* Every request bumps the journal's: skip the shared lock when no one waits. A waiter counts
     * itself before its first look, and the change was made visible (under the journal's or the
     * store's lock) before this load: either this sees the waiter, or the waiter's look sees the
     * change. */
    if (!__atomic_load_n(&n->waiters, __ATOMIC_SEQ_CST))
        return;
    pthread_mutex_lock(&n->lock);
    n->gen++;
    pthread_cond_broadcast(&n->cond);
    pthread_mutex_unlock(&n->lock);
}

void notify_close(struct notify *n)
{
    pthread_mutex_lock(&n->lock);
    n->closed = 1;
    n->gen++;
    pthread_cond_broadcast(&n->cond);
    pthread_mutex_unlock(&n->lock);
}

int notify_wait(struct notify *n, int (*ready)(void *ctx), void *ctx, int timeout_ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    __atomic_add_fetch(&n->waiters, 1, __ATOMIC_SEQ_CST);
    int ok;
    for (;;) {
        /* The generation is read before ready() looks: a change made while it looks moves the
         * generation, so the sleep below is skipped rather than missing that change. */
        pthread_mutex_lock(&n->lock);
        unsigned long long seen = n->gen;
        int closed = n->closed;
        pthread_mutex_unlock(&n->lock);
        ok = ready(ctx);
        if (ok || closed)
            break;
        pthread_mutex_lock(&n->lock);
        int timed_out = 0;
        while (n->gen == seen && !timed_out)
            timed_out = pthread_cond_timedwait(&n->cond, &n->lock, &deadline) != 0;
        pthread_mutex_unlock(&n->lock);
        if (timed_out) {
            ok = ready(ctx);
            break;
        }
    }
    __atomic_sub_fetch(&n->waiters, 1, __ATOMIC_SEQ_CST);
    return ok;
}
