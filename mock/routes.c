/* routes.c: THE route table, routes[], made of the rows in routes.def (method, path, auth, handler,
 * operationId); a ROUTE_501 row has no handler and the server answers 501 in Refold's envelope. */
#include "routes.h"
#include "handlers.h"

#include <stddef.h>
#include <string.h>

#define KEY AUTH_KEY
#define TOK AUTH_TOKEN
#define ANY (AUTH_KEY | AUTH_TOKEN)
#define ADMIN AUTH_ADMIN

const struct route routes[] = {
#define ROUTE(method, pattern, flags, fn, operation) {method, pattern, flags, fn, operation},
#define ROUTE_501(method, pattern, flags, operation) {method, pattern, flags, NULL, operation},
#include "routes.def"
#undef ROUTE
#undef ROUTE_501
    {NULL, NULL, 0, NULL, NULL},
};

/* What each DEPRECATED row's warning points to: the route of the current reference that does
 * the same (by the row's operation name). */
static const struct {
    const char *operation, *use;
} route_deprecations[] = {
    {"sdkTriggerEventLegacy", "POST /api/v2/public/event/trigger"},
    {"sdkListEventsLegacy", "GET /api/v2/public/application/event"},
    {"sdkGetEventLegacy", "GET /api/v2/public/application/event/{event_id}"},
    {"sdkUpdateEventLegacy", "PUT /api/v2/public/application/event/{event_id}"},
    {"sdkDeleteEventLegacy", "DELETE /api/v2/public/application/event/{event_id}"},
    {"sdkExecuteWorkflowV1", "POST /api/v2/public/workflow/{workflowId}/execute"},
    {"sdkSubscribeWebhookEvents", "PUT /api/v2/public/webhook/{id}"},
    {"sdkUnsubscribeWebhookEvent", "PUT /api/v2/public/webhook/{id}"},
    {"sdkDeleteWebhookLegacy", "DELETE /api/v2/public/webhook/{id}"},
    {"sdkDeleteLinkedAccountLegacy", "DELETE /api/v2/public/linked-account/{linked_account_id}"},
    {"sdkGetConfigField", "POST /api/v2/public/config/field/{fieldId}"},
};

const char *routes_deprecated_use(const struct route *rt)
{
    if (!rt || !(rt->flags & DEPRECATED))
        return NULL;
    for (size_t i = 0; i < sizeof route_deprecations / sizeof route_deprecations[0]; i++)
        if (!strcmp(route_deprecations[i].operation, rt->operation))
            return route_deprecations[i].use;
    return "the current API reference"; /* (a row missing here: tests/unit checks there is none) */
}

int routes_count(void)
{
    int n = 0;
    while (routes[n].method)
        n++;
    return n;
}
