/* timers.c: the one list of everything that changes with time; clock.c drives it. */
#include "timers.h"
#include "schedules.h"
#include "connections.h"
#include "executions.h"
#include "scenario.h"

#include <limits.h>
#include <stddef.h>

/* Add a row when a subsystem gains time-driven behaviour (token lifetimes, scenario steps,
 * executions, schedules). Order matters only for equal due times: earlier rows fire first. */
static const struct timer_source sources[] = {
    {"connections", connections_next_due, connections_fire, NULL},   /* one expiry per connection */
    {"executions", executions_next_due, executions_fire, NULL},      /* a few phases per run */
    {"scenario", scenario_next_due, scenario_fire_due, NULL},        /* the script's steps */
    {"schedules", schedules_next_due, schedules_fire, schedules_count_due}, /* a run per due time, forever */
    {NULL, NULL, NULL, NULL},
};

long long timers_next_due(struct mock *m)
{
    long long due = LLONG_MAX;
    for (const struct timer_source *s = sources; s->name; s++) {
        long long d = s->next_due(m);
        if (d < due)
            due = d;
    }
    return due;
}

void timers_fire(struct mock *m, long long now)
{
    for (const struct timer_source *s = sources; s->name; s++)
        s->fire(m, now);
}

long long timers_count_due(struct mock *m, const struct tenant *t, long long from, long long to, long long cap)
{
    long long n = 0;
    for (const struct timer_source *s = sources; s->name && n <= cap; s++)
        if (s->count_due)
            n += s->count_due(m, t, from, to, cap - n);
    return n;
}
