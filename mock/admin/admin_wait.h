/* admin_wait.h: the wait_ms and count query parameters the admin lists share, and their 408. */
#ifndef ADMIN_WAIT_H
#define ADMIN_WAIT_H

#include "mock.h"

#define ADMIN_WAIT_MAX_MS 30000

/* Reads wait_ms (0..30000) and count (1..max_count, default 1). Returns 1 when wait_ms was
 * given, 0 when not, -1 when a value is invalid (400 sent). */
int admin_wait_params(req *r, int max_count, int *wait_ms, int *count);
/* The 408 in Refold's envelope: what was waited for (what: "requests"; the query's filters named
 * in filters, a NULL-terminated list), how many of count matched, for how long. */
int admin_wait_timeout(req *r, const char *what, const char *const *filters, int have, int count, int wait_ms);

#endif
