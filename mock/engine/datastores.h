/* datastores.h: config datastores (deprecated in Refold): read-only records an app's workflows wrote, declared per app in fixtures/apps/<slug>.json under "datastores". */
#ifndef DATASTORES_H
#define DATASTORES_H

#include <cjson/cJSON.h>
#include "base/mock.h"
#include "engine/record_filter.h"

/* The app's datastores, {"name": [record, ...], ...} (an empty object when its workflows never
 * wrote anything), or NULL when there is no such app. Owned by the fixtures. */
const cJSON *datastores_of_app(struct mock *m, const char *slug);
/* The datastores' names: a new array. */
cJSON *datastores_names(const cJSON *stores);
/* Every record of one datastore as answered: a new array. */
cJSON *datastores_records(const cJSON *ds);
/* The records of ds that f matches into *out (a new array): 0, or -1 when the filter's match
 * budget ran out (*out NULL). */
int datastores_search(const cJSON *ds, struct record_filter *f, cJSON **out);

#endif
