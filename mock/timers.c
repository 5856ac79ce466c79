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
    {"connections", connections_next_due, connections_fire},
    {"executions", executions_next_due, executions_fire},
    {"scenario", scenario_next_due, scenario_fire_due},
    {"schedules", schedules_next_due, schedules_fire},
    {NULL, NULL, NULL},
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
