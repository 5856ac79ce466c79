/* reset.h: back to the fixtures' state. */
#ifndef RESET_H
#define RESET_H

#include <stddef.h>
#include "mock.h"

/* Re-reads the fixtures and resets every tenant: 0; a broken fixture file: 1 with "FILE: field:
 * reason" in err and nothing changed; -1 when the seed data does not apply. */
int reset_all(struct mock *m, char *err, size_t errlen);
int reset_tenant(struct mock *m, const struct tenant *t);
/* A tenant just made (tenants_create): its seed data only. Its id is new to this process, so the
 * in-memory histories (journal, MCP log, faults, scenario) hold nothing of it; rows a previous
 * run left under the same id in a --db file are wiped. Caller holds the store lock. */
int reset_new_tenant(struct mock *m, const struct tenant *t);
/* Everything stored in t goes (no seed data applied); the caller holds the store lock. */
int reset_wipe_tenant(struct mock *m, const struct tenant *t);
/* Seeds every tenant from the fixtures; on a file database only the first time (force: always). */
int reset_seed(struct mock *m, int force, char *err, size_t errlen);

#endif
