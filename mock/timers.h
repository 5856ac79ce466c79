/* timers.h: the contract of a subsystem whose state moves with the virtual clock. */
#ifndef TIMERS_H
#define TIMERS_H

#include "mock.h"

struct timer_source {
    const char *name;
    long long (*next_due)(struct mock *m);        /* earliest due time (virtual ms) or LLONG_MAX */
    void (*fire)(struct mock *m, long long now);  /* act on everything due at or before now */
};

/* Every piece of state that changes with time, driven by the clock. */
long long timers_next_due(struct mock *m);       /* earliest due time in ms, or LLONG_MAX */
void timers_fire(struct mock *m, long long now);  /* fire all that is due at now */

#endif
