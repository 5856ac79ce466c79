/* events.h: custom events of the org's default app: their definitions (name, the response keys of
 * a sample payload, an optional JSON schema), stored per tenant, and the fixtures' events seeded on
 * first use. Events belong to the org, not to a linked account: deleting a linked account leaves
 * them alone, so this module has no events_forget_linked_account. */
#ifndef EVENTS_H
#define EVENTS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* The response keys of a sample payload object: [{"key","type"}], nested objects' keys joined
 * with "." (8 levels deep at most). A new array. */
cJSON *events_keys(const cJSON *sample);

/* Every event of the tenant, in creation order (a new array). */
cJSON *events_list(struct mock *m, const struct tenant *t);
/* The event id, or NULL. */
cJSON *events_get(struct mock *m, const struct tenant *t, const char *id);
/* The event named name, or NULL. */
cJSON *events_by_name(struct mock *m, const struct tenant *t, const char *name);

/* A new event document, not stored yet: its _id and createdAt. */
cJSON *events_new(struct mock *m);
/* Sets ev's definition (name; response: the sample as sent, a JSON text or an object, kept as
 * raw_response; sample: the response as an object, flattened into the response keys; schema, when
 * not NULL; updatedAt) and stores it, in its own transaction. update: ev must still be stored.
 * 0, 1 when (update) it is gone, 2 when another event has that name (nothing stored), -1 on a
 * store error. */
int events_save(struct mock *m, const struct tenant *t, cJSON *ev, int update, const char *name, const cJSON *response,
                const cJSON *sample, const cJSON *schema);
/* 0 deleted, 1 no such event, -1 on a store error. */
int events_delete(struct mock *m, const struct tenant *t, const char *id);

#endif
