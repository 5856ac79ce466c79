/* webhooks_api.h: webhook subscriptions (RefoldWebhook) as other code (scenario setup) creates them. */
#ifndef WEBHOOKS_API_H
#define WEBHOOKS_API_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "../mock.h"

/* Validates a RegisterWebhookRequest and stores the subscription for tenant t. Returns 0 and the
 * stored RefoldWebhook in *out (may be NULL; caller deletes), or -1 with nothing stored,
 * *code = the envelope's error code ("INVALID_EVENT", "BAD_REQUEST") and err = why (a 400). */
int webhook_register(struct mock *m, const struct tenant *t, const cJSON *req, cJSON **out,
                     const char **code, char *err, size_t n);

#endif
