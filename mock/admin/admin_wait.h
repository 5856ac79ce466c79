/* admin_wait.h: the wait_ms and count query parameters the admin lists share, and their 408. */
#ifndef ADMIN_WAIT_H
#define ADMIN_WAIT_H

#include "base/mock.h"

#define ADMIN_WAIT_MAX_MS 30000
/* A waiting request holds a CivetWeb worker for up to 30 s: at most this many wait at once (a
 * quarter of the workers), so waiting test clients cannot take the workers new clients need. */
#define ADMIN_WAITERS_MAX 64
/* and one tenant at most this many of them, so a tenant cannot take the others' places */
#define ADMIN_WAITERS_PER_TENANT 16

/* Reads wait_ms (0..30000) and count (1..max_count, default 1). Returns 1 when wait_ms was
 * given, 0 when not, -1 when a value is invalid (400 sent) or ADMIN_WAITERS_MAX requests (or
 * ADMIN_WAITERS_PER_TENANT of the key's tenant) wait already (429 sent). When it returns 1 with *wait_ms > 0, the caller holds one of the waiting
 * places until admin_wait_done. */
int admin_wait_params(req *r, int max_count, int *wait_ms, int *count);
/* Gives back the waiting place admin_wait_params took (nothing when wait_ms is 0). */
void admin_wait_done(req *r, int wait_ms);
/* The 408 in Refold's envelope: what was waited for (what: "requests"; the query's filters named
 * in filters, a NULL-terminated list), how many of count matched, for how long. */
int admin_wait_timeout(req *r, const char *what, const char *const *filters, int have, int count, int wait_ms);

#endif
