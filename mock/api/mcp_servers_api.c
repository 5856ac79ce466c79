/* mcp_servers_api.c: the MCP server routes of an org environment: create, list (newest first), get,
 * patch, delete; a session token reaches its own linked account's servers only. The model is
 * mcp_servers.c. */
#include "engine/mcp_servers.h"
#include "base/http.h"
#include "base/json.h"
#include "handlers.h"

#include <string.h>

/* Refold asks for a linked account on every MCP route when the caller uses the API key (a
 * session token names its own), and answers its absence with this 404. */
static int need_la(req *r)
{
    if (r->la[0])
        return 1;
    http_error(r, 404, "MISSING_REQUIRED_FIELD", "Linked account id is required with API Key, for this resource");
    return 0;
}

static int not_found(req *r)
{
    /* mcp-servers/get-mcp-server.mdx, ```json 404: SERVER_ERROR "MCPEntry not found" */
    return http_error_hint(r, 404, "SERVER_ERROR", "MCPEntry not found", "no MCP server %s", r->param[0]);
}

/* The product's key reaches every server of its tenant; a session token (a customer's browser)
 * only its own linked account's. */
static const char *reach(const req *r) { return r->via_token ? r->la : NULL; }

/* route: GET /api/v2/public/mcp-servers */
int h_list_mcp_servers(req *r)
{
    long page, limit;
    if (!need_la(r) || http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    int total = 0;
    cJSON *docs = mcp_servers_list(r->m, r->t, reach(r), (int)((page - 1) * limit), (int)limit, &total);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/mcp-servers */
int h_create_mcp_server(req *r)
{
    if (!need_la(r) || !http_need_object(r))
        return r->status;
    const char *name = json_str(r->body, "name"), *desc = json_str(r->body, "description");
    if (!name || !*name || !desc)
        return http_error_hint(r, 400, "SERVER_ERROR", "name and description are required", "both strings");
    char id[25];
    if (mcp_servers_create(r->m, r->t, r->la, name, desc, id) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the MCP server");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "_id", id);
    cJSON_AddStringToObject(out, "name", name);
    cJSON_AddStringToObject(out, "description", desc);
    return http_json(r, 201, out);
}

/* route: GET /api/v2/public/mcp-servers/{mcp_server_id} (param[0] mcp_server_id) */
int h_get_mcp_server(req *r)
{
    if (!need_la(r))
        return r->status;
    cJSON *doc = mcp_servers_get(r->m, r->t, r->param[0], reach(r));
    return doc ? http_json(r, 200, doc) : not_found(r);
}

/* route: PUT /api/v2/public/mcp-servers/{mcp_server_id} (param[0] mcp_server_id) */
int h_update_mcp_server(req *r)
{
    if (!need_la(r) || !http_need_object(r))
        return r->status;
    char err[256];
    if (mcp_servers_check_patch(r->body, err, sizeof err))
        return http_error(r, 400, "BAD_REQUEST", "%s", err);
    cJSON *doc;
    int rc = mcp_servers_update(r->m, r->t, r->param[0], reach(r), r->body, &doc);
    if (rc == 1)
        return not_found(r);
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not update the MCP server");
    return http_json(r, 200, doc);
}

/* route: DELETE /api/v2/public/mcp-servers/{mcp_server_id} (param[0] mcp_server_id) */
int h_delete_mcp_server(req *r)
{
    if (!need_la(r))
        return r->status;
    int rc = mcp_servers_delete(r->m, r->t, r->param[0], reach(r));
    if (rc == 1)
        return not_found(r);
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the MCP server");
    return http_send(r, 204, "application/json; charset=utf-8", "", 0);
}
