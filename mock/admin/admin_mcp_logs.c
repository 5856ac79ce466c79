/* admin_mcp_logs.c: GET /__mock/mcp/logs: the MCP audit log of the tenant, filtered like the dashboard's filter bar. */
#include "base/http.h"
#include "engine/mcp_logs.h"
#include "handlers.h"

/* route: GET /__mock/mcp/logs */
int h_admin_mcp_logs(req *r)
{
    if (!r->t)
        return http_error(r, 400, "BAD_REQUEST", "send the tenant's x-api-key: MCP logs belong to one org and environment");
    char status[32] = "", la[MOCK_ID_LEN] = "", app[64] = "", tool[128] = "", action[128] = "", server[64] = "";
    http_query(r, "status", status, sizeof status);
    http_query(r, "linked_account_id", la, sizeof la);
    http_query(r, "application", app, sizeof app);
    http_query(r, "tool", tool, sizeof tool);
    http_query(r, "action", action, sizeof action);
    http_query(r, "server_id", server, sizeof server);
    long limit;
    if (http_query_int(r, "limit", 0, 0, 100000, &limit))
        return r->status;
    struct mcp_log_filter f = {status, la, app, tool, action, server, (int)limit};
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "logs", mcp_logs_list(r->m, r->t, &f));
    return http_json(r, 200, out);
}
