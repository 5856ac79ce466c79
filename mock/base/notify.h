/* notify.h: "something changed" as a counter and a condition variable: lets a request thread
 * sleep until another thread records what it waits for (journal entries, webhook deliveries). */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <pthread.h>

struct notify {
    pthread_mutex_t lock;
    pthread_cond_t cond;       /* on CLOCK_MONOTONIC: a wall-clock jump cannot cut a wait short */
    unsigned long long gen;    /* moves on every notify_bump */
    int closed;                /* set on shutdown: every wait returns at once */
    int waiters;               /* read atomically: a bump with nobody waiting takes no lock */
};

void notify_init(struct notify *n);
void notify_destroy(struct notify *n);
/* Wakes every waiter (call after the change is visible to ready()). */
void notify_bump(struct notify *n);
/* Wakes every waiter for good: the server is stopping. */
void notify_close(struct notify *n);
/* Calls ready(ctx) until it returns nonzero or timeout_ms pass; ready runs without n's lock (it
 * may take other locks) and again after every bump. Returns ready's last answer. */
int notify_wait(struct notify *n, int (*ready)(void *ctx), void *ctx, int timeout_ms);

#endif
