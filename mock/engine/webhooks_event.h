/* webhooks_event.h: the one list of Refold's webhook events, and lookups in it. */
#ifndef WEBHOOKS_EVENT_H
#define WEBHOOKS_EVENT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* The documented events (Stopped and Timed Out: changelog 2026-march). The names are spelled
 * here once; webhooks_events below is the one list of them. */
#define EV_CONNECTION_CREATED "Connection Created"
#define EV_CONNECTION_DELETED "Connection Deleted"
#define EV_CONNECTION_EXPIRED "Connection Expired"
#define EV_WORKFLOW_COMPLETED "Workflow Completed"
#define EV_WORKFLOW_ERRORED "Workflow Errored"
#define EV_WORKFLOW_STOPPED "Workflow Stopped"
#define EV_WORKFLOW_TIMED_OUT "Workflow Timed Out"

/* The one list of events: what a subscription, a scenario's emit_webhook and setup accept, what
 * setup subscribes to by default, what messages list (webhooks_event_names) and what
 * mock/api/README.md's events table shows (tests/api/docs_claims.c holds it to this list). */
#define WEBHOOKS_CONNECTION_EVENT 1
#define WEBHOOKS_WORKFLOW_EVENT 2
struct webhooks_event {
    const char *name;
    int kind;           /* WEBHOOKS_CONNECTION_EVENT or WEBHOOKS_WORKFLOW_EVENT */
    const char *status; /* a workflow event's payload "status"; NULL for connection events */
};
extern const struct webhooks_event webhooks_events[]; /* ends with a NULL name */

/* 1 when name is a connection event; 2 when it is a workflow event; 0 for anything else. */
int webhooks_event_kind(const char *name);
/* The names of the events of kind (0: every event) as "A, B, C", for messages; returns out. */
const char *webhooks_event_names(int kind, char *out, size_t n);
/* The names of every event as a new JSON array (a subscription's default webhook_events). */
cJSON *webhooks_event_array(void);

/* The entry of event name, or NULL. */
const struct webhooks_event *webhooks_event_of(const char *name);

#endif
