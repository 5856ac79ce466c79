/* webhooks.h: emitting Refold's webhook events into the durable outbox, and delivering them to the
 * subscriptions (subscriptions.h) that take them. */
#ifndef WEBHOOKS_H
#define WEBHOOKS_H

#include <cjson/cJSON.h>
#include "base/mock.h"
#include "engine/webhooks_event.h" /* the events (EV_*, webhooks_events): callers of emit name them */

/* Every delivery carries the mock's mark (mock.delivery_mark) in this header: a request bearing
 * it is one of the mock's own deliveries come back (a loop), which the server refuses with 508. */
#define WEBHOOKS_MARK_HEADER "Refold-Mock-Delivery"
/* Delivered and failed deliveries kept per tenant, newest first; older ones are removed every
 * WEBHOOKS_PRUNE_EVERY finished attempts of the tenant's (pending ones are never removed). */
#define WEBHOOKS_KEEP_FINISHED 2000
#define WEBHOOKS_PRUNE_EVERY 64
/* Retries after the first attempt, and the default time one attempt may take. */
#define WEBHOOK_RETRIES 3
#define WEBHOOK_TIMEOUT_MS 10000

/* Queues event for every enabled subscription of tenant t that takes it, and wakes the delivery
 * thread. Call inside the state change's transaction: the event is queued if and only if the
 * change commits (the thread cannot read the outbox before the commit releases the store).
 * fields (may be NULL, not owned):
 *  - connection events: added to the documented payload between "event" and "createdAt"
 *    ({"slug": ...}); the payload is linked_account_id, org_id, environment, type "General",
 *    event, slug, createdAt (RFC 1123, virtual clock).
 *  - workflow events: instance_id, workflow_id, config_id, workflow_name (status is derived);
 *    "slug" when present only filters subscriptions registered with a slug. */
void webhooks_emit(struct mock *m, const struct tenant *t, const char *event, const char *la, const cJSON *fields);

/* A workflow event (EV_WORKFLOW_*) of one execution, with the documented payload
 * {linked_account_id, instance_id, workflow_id, config_id, event, workflow_name, status}.
 * config_id and slug may be NULL. Same transaction rule as above. */
void webhooks_emit_workflow(struct mock *m, const struct tenant *t, const char *la, const char *event,
                            const char *instance_id, const char *workflow_id, const char *config_id,
                            const char *workflow_name, const char *slug);

/* The hex HMAC-SHA256 of body keyed with key: the x-cobalt-signature header (out: 65 bytes). */
void webhooks_sign(const char *key, const char *body, size_t len, char out[65]);

/* The delivery thread: started after the server, stopped before the store closes. start resumes
 * deliveries a previous run left pending. */
int webhooks_start(struct mock *m);
void webhooks_stop(struct mock *m);
/* Waits (real time) until count deliveries of tenant (NULL: all) match event, la and status
 * (NULL: any; status as in store_outbox_list) or timeout_ms pass; returns how many matched then
 * (at most count). */
int webhooks_wait(struct mock *m, const char *tenant, const char *event, const char *la, const char *status, int count,
                  int timeout_ms);
/* The deliveries of tenant (NULL: all), oldest first: the newest limit of them with an id below
 * before_id when > 0; event, la and status (as in store_outbox_list) filter when not NULL. Each
 * row as stored plus "payload" (the body parsed), "created_at" and "next_attempt_at" (ISO; null
 * once finished), without the raw millisecond times. A new array (caller deletes). */
cJSON *webhooks_deliveries(struct mock *m, const char *tenant, const char *event, const char *la, const char *status,
                           long long before_id, int limit);
/* Wakes the delivery thread (webhooks_emit does it; harmless to call again). */
void webhooks_kick(struct mock *m);

#endif
