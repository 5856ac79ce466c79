/* timers.h: the contract of a subsystem whose state moves with the virtual clock. */
#ifndef TIMERS_H
#define TIMERS_H

#include "mock.h"

struct timer_source {
    const char *name;
    long long (*next_due)(struct mock *m);        /* earliest due time (virtual ms) or LLONG_MAX */
    void (*fire)(struct mock *m, long long now);  /* act on everything due at or before now */
    /* For a source whose firings are unbounded in a window (schedules): how many of t's would
     * fall due in (from, to], counting no further than cap + 1. NULL: bounded by the state. */
    long long (*count_due)(struct mock *m, const struct tenant *t, long long from, long long to, long long cap);
};

/* Every piece of state that changes with time, driven by the clock. */
long long timers_next_due(struct mock *m);       /* earliest due time in ms, or LLONG_MAX */
void timers_fire(struct mock *m, long long now);  /* fire all that is due at now */
/* What would fall due for t in (from, to] in the sources that count (see count_due), up to cap + 1:
 * an advance counts before it starts, so it either does all of it or is refused. */
long long timers_count_due(struct mock *m, const struct tenant *t, long long from, long long to, long long cap);

#endif
