/* reset.h: a tenant's data from and back to the fixtures' state. */
#ifndef RESET_H
#define RESET_H

#include <stddef.h>
#include "base/mock.h"

/* What a subsystem above this file holds of a tenant (the scenario engine: its script and its
 * progress), forgotten on each reset of t (NULL: of every tenant). Whoever wires the mock
 * registers it (refold_mock.c), at start: the scenario engine calls reset_data, so this file
 * may not name it. 0, or -1 when m holds no more. */
int reset_add_forget(struct mock *m, void (*forget)(struct mock *m, const struct tenant *t));

/* Re-reads the fixtures and resets every tenant: 0; a broken fixture file: 1 with "FILE: field:
 * reason" in err and nothing changed; -1 when the seed data does not apply. */
int reset_all(struct mock *m, char *err, size_t errlen);
/* t back to its fixtures: its scenario, faults, journal, MCP log and own clock forgotten, then
 * reset_data. */
int reset_tenant(struct mock *m, const struct tenant *t);
/* THE data reset, which reset_tenant and a scenario's load share: everything stored in t wiped,
 * then t's seed data applied, in the caller's transaction; the caller holds the store lock.
 * 0; -1 the wipe failed; 1 the seed data does not apply (why in err). */
int reset_data(struct mock *m, const struct tenant *t, char *err, size_t n);
/* A new ephemeral tenant of org (its name or org_id) in environment ("test" when NULL), listed
 * (tenants.c) once its seed data is in. Its id is new to this process, so the in-memory histories
 * (journal, MCP log, faults, scenario) hold nothing of it; rows a previous run left under the
 * same id in a --db file are wiped. NULL with the reason in err. */
const struct tenant *reset_create_tenant(struct mock *m, const char *org, const char *environment, char *err, size_t n);
/* Drops an ephemeral tenant and everything it has: 0; -1 unknown key; 1 a fixtures tenant. */
int reset_drop_tenant(struct mock *m, const char *api_key);
/* Seeds every tenant from the fixtures; on a file database only the first time (force: always). */
int reset_seed(struct mock *m, int force, char *err, size_t errlen);

#endif
