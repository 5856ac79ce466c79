/* subscriptions.h: the webhook subscription model (RefoldWebhook), shared by the routes and scenario setup. */
#ifndef SUBSCRIPTIONS_H
#define SUBSCRIPTIONS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mock.h"

/* Validates a RegisterWebhookRequest and stores the subscription for tenant t. Returns 0 and the
 * stored RefoldWebhook in *out (may be NULL; caller deletes), or -1 with nothing stored,
 * *code = the envelope's error code ("INVALID_EVENT", "BAD_REQUEST") and err = why (a 400). */
int subscriptions_register(struct mock *m, const struct tenant *t, const cJSON *req, cJSON **out,
                           const char **code, char *err, size_t n);
/* The same, stored under owner: the linked account whose session token registered it (NULL: the
 * org's, registered with the API key). A session token reaches its own linked account's only. */
int subscriptions_register_owned(struct mock *m, const struct tenant *t, const char *owner, const cJSON *req,
                                 cJSON **out, const char **code, char *err, size_t n);

/* Checks every field given in a register (creating=1) or update body; 0, or -1 with the error
 * code in *code and the reason in err. */
int subscriptions_check_fields(struct mock *m, const cJSON *src, int creating, const char **code, char *err, size_t n);
/* Checks the merged document's slug/events pairing; 0 or -1 as above. */
int subscriptions_check_slug_events(const cJSON *doc, const char **code, char *err, size_t n);
/* doc with the fields of src applied, stamped at `at` (a new document; the caller deletes both). */
cJSON *subscriptions_merged(const struct tenant *t, const cJSON *doc, const cJSON *src, const char *at);

#endif
