/* mcp.h: what the MCP endpoint (mcp.c: transport, JSON-RPC, auth) shares with its tool code
 * (mcp_tools.c: the tool list of a server and running a call). */
#ifndef API_MCP_H
#define API_MCP_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* One request's scope: resolved from the token and server id, fixed for the request. */
struct mcp_scope {
    req *r;
    const struct tenant *t;
    const char *la;
    const cJSON *server;      /* the stored MCP server document */
    const char *server_id;
};

/* The tools the server exposes now (a new array of MCP Tool objects): built fresh for every
 * request from the server's configuration, as Refold does. */
cJSON *mcp_tools_list(const struct mcp_scope *s);

/* Runs tool name with args (an object or NULL). Returns the CallToolResult, or NULL when the
 * server has no such tool (a JSON-RPC invalid-params error for the caller). Every call is
 * written to the MCP log. */
cJSON *mcp_tools_call(const struct mcp_scope *s, const char *name, const cJSON *args);

#endif
