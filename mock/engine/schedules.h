/* schedules.h: the schedule engine: scheduled workflow triggers on the virtual clock (the timers.c row "schedules"). */
#ifndef SCHEDULES_H
#define SCHEDULES_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

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

/* A new running schedule of la for workflow wf_id (config_id NULL or "": la), its trigger not
 * applied yet (schedules_apply_trigger). The caller owns it. */
cJSON *schedules_new(struct mock *m, const struct tenant *t, const char *la, const char *wf_id, const char *config_id);
/* Stores a new schedule and arms it, in one transaction. 0, or -1 on a store error. */
int schedules_register(struct mock *m, const struct tenant *t, cJSON *doc);
/* The schedule `id`: la NULL or "" any of the tenant's, else only la's. The caller owns it; NULL
 * when there is none. */
cJSON *schedules_get(struct mock *m, const struct tenant *t, const char *id, const char *la);
/* A page of the schedules (la NULL: the tenant's, else la's), in creation order; *total counts all. */
cJSON *schedules_list(struct mock *m, const struct tenant *t, const char *la, int offset, int limit, int *total);
/* Applies an update body's trigger fields (switching kinds drops the other kind's settings) and
 * re-arms. 0 and *out (the caller owns it), 1 not found (as schedules_get), 2 invalid (err),
 * -1 store error. */
int schedules_update(struct mock *m, const struct tenant *t, const char *id, const char *la, const cJSON *body,
                     char *err, size_t n, cJSON **out);
/* Pauses or resumes (a resumed schedule picks up from now: runs missed while paused do not fire).
 * 0 and *out, 1 not found, -1 store error. */
int schedules_set_running(struct mock *m, const struct tenant *t, const char *id, const char *la, int running, cJSON **out);
/* 0 deleted, 1 not found, -1 store error. */
int schedules_delete(struct mock *m, const struct tenant *t, const char *id, const char *la);
/* A deleted linked account's part: its schedules go. Joins the caller's transaction. */
void schedules_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
