/* groups.h: putting documents of a family (tables, datarefs) in a named group, all or none. */
#ifndef GROUPS_H
#define GROUPS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* How the family reads one of its documents (NULL: unknown; ctx is the caller's) and stores it
 * (0, or -1 on a store error; joins the transaction). */
typedef cJSON *(*groups_load_fn)(void *ctx, const char *id);
typedef int (*groups_save_fn)(struct mock *m, const struct tenant *t, cJSON *doc);

/* Sets (group non-empty) or clears ("") the group of every document ids names (an array of
 * strings), in one transaction: 0 done; 1 a load found nothing, -1 a store error: nothing
 * changed either way. */
int groups_set(struct mock *m, const struct tenant *t, const cJSON *ids, const char *group,
               groups_load_fn load, void *ctx, groups_save_fn save);

#endif
