/* webhooks_event.c: the one list of Refold's webhook events (what subscriptions, scenarios and
 * setup accept, what messages and the docs' table name) and lookups in it. */
#include "engine/webhooks_event.h"

#include <stdio.h>
#include <string.h>

const struct webhooks_event webhooks_events[] = {
    {EV_CONNECTION_CREATED, WEBHOOKS_CONNECTION_EVENT, NULL},
    {EV_CONNECTION_DELETED, WEBHOOKS_CONNECTION_EVENT, NULL},
    {EV_CONNECTION_EXPIRED, WEBHOOKS_CONNECTION_EVENT, NULL},
    {EV_WORKFLOW_COMPLETED, WEBHOOKS_WORKFLOW_EVENT, "COMPLETED"},
    {EV_WORKFLOW_ERRORED, WEBHOOKS_WORKFLOW_EVENT, "ERRORED"},
    {EV_WORKFLOW_STOPPED, WEBHOOKS_WORKFLOW_EVENT, "STOPPED"},
    {EV_WORKFLOW_TIMED_OUT, WEBHOOKS_WORKFLOW_EVENT, "TIMED_OUT"},
    {NULL, 0, NULL},
};

const struct webhooks_event *webhooks_event_of(const char *name)
{
    for (const struct webhooks_event *e = webhooks_events; e->name && name; e++)
        if (!strcmp(e->name, name))
            return e;
    return NULL;
}

int webhooks_event_kind(const char *name)
{
    const struct webhooks_event *e = webhooks_event_of(name);
    return e ? e->kind : 0;
}

const char *webhooks_event_names(int kind, char *out, size_t n)
{
    size_t len = 0;
    if (n)
        out[0] = 0;
    for (const struct webhooks_event *e = webhooks_events; e->name; e++)
        if (!kind || e->kind == kind) {
            int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", e->name);
            if (w < 0 || (size_t)w >= n - len)
                break;
            len += (size_t)w;
        }
    return out;
}

cJSON *webhooks_event_array(void)
{
    cJSON *a = cJSON_CreateArray();
    for (const struct webhooks_event *e = webhooks_events; e->name; e++)
        cJSON_AddItemToArray(a, cJSON_CreateString(e->name));
    return a;
}

