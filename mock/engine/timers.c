/* timers.c: the one list of everything that changes with time; refold_mock.c hands it to the clock. */
#include "engine/timers.h"
#include "engine/clock.h"
#include "engine/schedules.h"
#include "engine/connections.h"
#include "engine/executions.h"
#include "engine/scenario.h"

#include <stddef.h>

/* Add a row when a subsystem gains time-driven behaviour (token lifetimes, scenario steps,
 * executions, schedules). Order matters only for equal due times: earlier rows fire first.
 * This file sits above the clock and the rows: they all read the clock, so the clock may not
 * name them (the engine's include graph has no cycle; CMakeLists.txt checks it). */
static const struct timer_source sources[] = {
    {"connections", connections_next_due, connections_fire, NULL},   /* one expiry per connection */
    {"executions", executions_next_due, executions_fire, NULL},      /* a few phases per run */
    {"scenario", scenario_next_due, scenario_fire_due, NULL},        /* the script's steps */
    {"schedules", schedules_next_due, schedules_fire, schedules_count_due}, /* a run per due time, forever */
};

void timers_register(struct mock *m)
{
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
        clock_add_source(m, &sources[i]);
}
