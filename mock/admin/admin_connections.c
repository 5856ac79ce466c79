/* admin_connections.c: the admin calls of connection lifecycles and webhook delivery: break a
 * connection, see each connection's state and token lifetimes, see every webhook emission. */
#include "admin/admin_wait.h"
#include "base/json.h"
#include "engine/connections.h"
#include "base/http.h"
#include "base/util.h"
#include "engine/webhooks.h"
#include "admin/admin_account.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>

/* route: POST /__mock/linked-accounts/{id}/connections/{slug}/expire (param[0] id; param[1] slug) */
int h_admin_expire_connection(req *r)
{
    const char *la = r->param[0], *slug = r->param[1];
    if (!admin_account_need_tenant(r))
        return r->status;
    const char *reason = "expired";
    if (r->body) {
        if (!http_need_object(r))
            return r->status;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, "reason");
        if (v && !cJSON_IsString(v))
            return http_error(r, 400, "BAD_REQUEST", "reason must be \"expired\", \"revoked\" or \"uninstalled\"");
        if (v)
            reason = v->valuestring;
    }
    if (strcmp(reason, "expired") && strcmp(reason, "revoked") && strcmp(reason, "uninstalled"))
        return http_error(r, 400, "BAD_REQUEST", "reason must be \"expired\", \"revoked\" or \"uninstalled\", not \"%s\"", reason);
    if (!admin_account_need(r, la))
        return r->status;
    switch (connections_expire(r->m, r->t, la, slug, reason)) {
    case -1:
        return http_error(r, 404, "NOT_FOUND", "Linked account %s has no connection to %s", la, slug);
    case 1:
        return http_error(r, 409, "ALREADY_EXPIRED", "The %s connection of %s is already expired; connect again to restore it", slug, la);
    default:
        break;
    }
    cJSON *conn = connections_get(r->m, r->t, la, slug);
    cJSON *out = conn ? connections_admin_view(r->m, conn) : cJSON_CreateObject();
    cJSON_Delete(conn);
    return http_json(r, 200, out);
}

/* route: GET /__mock/linked-accounts/{id}/connections (param[0] id) */
int h_admin_list_connections(req *r)
{
    const char *la = r->param[0];
    if (!admin_account_need_tenant(r) || !admin_account_need(r, la))
        return r->status;
    cJSON *all = connections_list(r->m, r->t, la), *out = cJSON_CreateArray(), *c;
    cJSON_ArrayForEach(c, all)
        cJSON_AddItemToArray(out, connections_admin_view(r->m, c));
    cJSON_Delete(all);
    return http_json(r, 200, out);
}

/* Deliveries listed at once: the dashboard polls this list, and a full log of thousands of
 * bodies made every poll cost megabytes. Older pages: ?before=<the oldest id of this page>. */
#define DELIVERIES_DEFAULT 100
#define DELIVERIES_MAX 1000

/* route: GET /__mock/webhooks/deliveries */
/* Every emission, oldest first: what was sent where, its signature, and each attempt. */
int h_admin_webhook_deliveries(req *r)
{
    char event[64] = "", la[MOCK_ID_LEN] = "", status[16] = "";
    long limit, before;
    if (http_query_int(r, "limit", DELIVERIES_DEFAULT, 1, DELIVERIES_MAX, &limit) ||
        http_query_int(r, "before", 0, 1, 0x7fffffffL, &before))
        return r->status;
    http_query(r, "event", event, sizeof event);
    if (!http_query(r, "linked_account_id", la, sizeof la))
        util_copy(la, sizeof la, r->la); /* the linked_account_id header counts too */
    http_query(r, "status", status, sizeof status);
    char names[200];
    if (*event && !webhooks_event_kind(event)) /* (named from the one list: a new event shows here too) */
        return http_error(r, 400, "BAD_REQUEST", "event must be one of %s, not \"%s\"", webhooks_event_names(0, names, sizeof names),
                          event);
    if (*status && strcmp(status, "pending") && strcmp(status, "delivered") && strcmp(status, "failed"))
        return http_error(r, 400, "BAD_REQUEST", "status must be pending, delivered or failed");
    int wait_ms, count, asked = admin_wait_params(r, 1000000, &wait_ms, &count);
    if (asked < 0)
        return r->status;
    if (asked) { /* wakes when a delivery is queued or attempted, not on a poll */
        static const char *const filters[] = {"event", "linked_account_id", "status", NULL};
        int have = webhooks_wait(r->m, r->t ? r->t->id : NULL, *event ? event : NULL, *la ? la : NULL,
                                 *status ? status : NULL, count, wait_ms);
        admin_wait_done(r, wait_ms);
        if (have < count)
            return admin_wait_timeout(r, "webhook deliveries", filters, have, count, wait_ms);
        if (count > limit) /* the page holds what was waited for */
            limit = count < DELIVERIES_MAX ? count : DELIVERIES_MAX;
    }
    cJSON *rows = webhooks_deliveries(r->m, r->t ? r->t->id : NULL, *event ? event : NULL, *la ? la : NULL,
                                      *status ? status : NULL, before, (int)limit);
    if (cJSON_GetArraySize(rows) == limit) { /* maybe more: where the next (older) page starts */
        char next[32];
        snprintf(next, sizeof next, "%.0f", json_num(cJSON_GetArrayItem(rows, 0), "id", 0));
        http_add_header(r, "X-Next-Before", next);
    }
    return http_json(r, 200, rows);
}
