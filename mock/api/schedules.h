/* schedules.h: scheduled workflow triggers on the virtual clock (the timers.c row "schedules"). */
#ifndef SCHEDULES_H
#define SCHEDULES_H

#include "mock.h"

#define SCHEDULE_KIND "schedule"

/* Earliest due run of any running schedule, or LLONG_MAX. */
long long schedules_next_due(struct mock *m);
/* Starts every run due at or before now (one execution per due time) and arms the next. */
void schedules_fire(struct mock *m, long long now);

#endif
