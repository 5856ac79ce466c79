/* schedules.h: the schedule engine: scheduled workflow triggers on the virtual clock (the timers.c row "schedules"). */
#ifndef SCHEDULES_H
#define SCHEDULES_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mock.h"

#define SCHEDULE_KIND "schedule"

/* Earliest due run of any running schedule, or LLONG_MAX. */
long long schedules_next_due(struct mock *m);
/* Starts every run due at or before now (one execution per due time) and arms the next. */
void schedules_fire(struct mock *m, long long now);
/* How many runs t's running schedules would start in (from, to], counting no further than cap + 1
 * (the timer row's count_due: an advance that would start more is refused before it starts). */
long long schedules_count_due(struct mock *m, const struct tenant *t, long long from, long long to, long long cap);
/* Computes and stores the next due time of a running schedule after `after` (joins the caller's
 * transaction). 0, or -1 on a store error. */
int schedules_arm(struct mock *m, const struct tenant *t, cJSON *doc, long long after);
/* Applies the trigger fields of a register/update body to doc (register: every field; update:
 * those present) and checks the result as a whole. 0, or -1 with the reason in err. */
int schedules_apply_trigger(cJSON *doc, const cJSON *body, char *err, size_t n);

#endif
