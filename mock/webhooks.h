/* webhooks.h: emitting Refold's webhook events into the durable outbox, and delivering them. */
#ifndef WEBHOOKS_H
#define WEBHOOKS_H

#include <cjson/cJSON.h>
#include "mock.h"

/* The five documented events. */
#define EV_CONNECTION_CREATED "Connection Created"
#define EV_CONNECTION_DELETED "Connection Deleted"
#define EV_CONNECTION_EXPIRED "Connection Expired"
#define EV_WORKFLOW_COMPLETED "Workflow Completed"
#define EV_WORKFLOW_ERRORED "Workflow Errored"

/* Queues event for every subscription of tenant t that takes it. fields (may be NULL, not
 * owned) are added to the documented base payload (linked_account_id, org_id, environment,
 * type "General", event, createdAt). Call inside the state change's transaction: the event is
 * queued if and only if the change commits. */
void webhooks_emit(struct mock *m, const struct tenant *t, const char *event, const char *la, const cJSON *fields);

/* The delivery thread. */
int webhooks_start(struct mock *m);
void webhooks_stop(struct mock *m);
/* Wakes the delivery thread (after a commit that queued events). */
void webhooks_kick(struct mock *m);

#endif
