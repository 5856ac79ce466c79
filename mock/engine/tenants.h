/* tenants.h: every tenant a request can name: the fixtures' ones and ephemeral ones made at run
 * time (POST /__mock/tenants), one per parallel test worker. */
#ifndef TENANTS_H
#define TENANTS_H

#include <stddef.h>
#include "base/mock.h"

struct tenants *tenants_new(void);
void tenants_free(struct tenants *ts);

const struct tenant *tenants_by_key(struct mock *m, const char *api_key);
const struct tenant *tenants_by_id(struct mock *m, const char *id);
/* The i-th tenant (fixtures first, then the live ephemeral ones); NULL past the end. */
const struct tenant *tenants_at(struct mock *m, int i);
int tenants_is_ephemeral(const struct tenant *t);

/* The registry only: reset.c seeds a tenant before it is listed and wipes it once unlisted
 * (reset_create_tenant, reset_drop_tenant), under the store lock. */
/* A new ephemeral tenant of org (its name or org_id) in environment ("test" when NULL): a copy of
 * the org's fixtures tenant under a fresh id and API key, not listed yet. NULL with the reason in
 * err (an unknown org/environment). The caller holds the store lock (the fixtures stay). */
struct tenant *tenants_make(struct mock *m, const char *org, const char *environment, char *err, size_t n);
/* Lists t (made by tenants_make): known to tenants_by_key/_by_id/_at from here on. */
void tenants_add(struct mock *m, struct tenant *t);
/* Frees a tenant made and never listed. */
void tenants_discard(struct tenant *t);
/* Unlists the ephemeral tenant with api_key (its struct is kept until stop: a request in flight
 * may hold it), or NULL when there is none. The caller holds the store lock. */
const struct tenant *tenants_unlist(struct mock *m, const char *api_key);
/* Unlists every ephemeral tenant (a full reset); the caller holds the store lock. */
void tenants_drop_all(struct mock *m);

#endif
