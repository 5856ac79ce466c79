/* tenants.h: every tenant a request can name: the fixtures' ones and ephemeral ones made at run
 * time (POST /__mock/tenants), one per parallel test worker. */
#ifndef TENANTS_H
#define TENANTS_H

#include <stddef.h>
#include "mock.h"

struct tenants *tenants_new(void);
void tenants_free(struct tenants *ts);

const struct tenant *tenants_by_key(struct mock *m, const char *api_key);
const struct tenant *tenants_by_id(struct mock *m, const char *id);
/* The i-th tenant (fixtures first, then the live ephemeral ones); NULL past the end. */
const struct tenant *tenants_at(struct mock *m, int i);
int tenants_is_ephemeral(const struct tenant *t);

/* A new tenant of org (its name or org_id) in environment ("test" when NULL): a fresh API key,
 * the org's seed data applied. NULL with the reason in err (1 = unknown org/environment). */
const struct tenant *tenants_create(struct mock *m, const char *org, const char *environment, char *err, size_t n);
/* Drops an ephemeral tenant and everything stored in it: 0; -1 unknown key; 1 a fixtures tenant. */
int tenants_drop(struct mock *m, const char *api_key);
/* Drops every ephemeral tenant (a full reset); the caller holds the store lock. */
void tenants_drop_all(struct mock *m);

#endif
