/* mcp.c: the MCP endpoint /mcp/v1/[{token}/]{server_id} and the console's /mcp/v1/{token}:
 * Streamable HTTP (JSON responses, no sessions), JSON-RPC 2.0, token and server checks before
 * any tool runs. */
#include "api/mcp.h"
#include "engine/linked_accounts.h"
#include "engine/clock.h"
#include "base/json.h"
#include "engine/auth.h"
#include "base/doc_cache.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "engine/mcp_servers.h"
#include "base/util.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LATEST_VERSION "2025-11-25" /* what Refold documents */
static const char *const versions[] = {LATEST_VERSION, "2025-06-18", "2025-03-26", "2024-11-05", NULL};

static int version_known(const char *v)
{
    for (int i = 0; versions[i]; i++)
        if (!strcmp(v, versions[i]))
            return 1;
    return 0;
}

/* JSON-RPC errors are the protocol's own answer (the body an MCP client parses), not Refold's
 * REST envelope: transport-level ones (parse error, invalid request) go with HTTP 400 as the
 * MCP SDK's own server sends them, method-level ones with 200. */
static int rpc_error(req *r, int status, const cJSON *id, int code, const char *message)
{
    cJSON *out = cJSON_CreateObject(), *e = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "jsonrpc", "2.0");
    cJSON_AddItemToObject(out, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", message);
    cJSON_AddItemToObject(out, "error", e);
    return http_json(r, status, out);
}

static int rpc_result(req *r, const cJSON *id, cJSON *result)
{
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "jsonrpc", "2.0");
    cJSON_AddItemToObject(out, "id", cJSON_Duplicate(id, 1));
    cJSON_AddItemToObject(out, "result", result);
    return http_json(r, 200, out);
}

static cJSON *initialize(const struct mcp_scope *s, const char *asked)
{
    /* The spec: answer the client's version when supported, else the latest this server speaks. */
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "protocolVersion", version_known(asked) ? asked : LATEST_VERSION);
    cJSON *caps = cJSON_AddObjectToObject(res, "capabilities");
    cJSON_AddBoolToObject(cJSON_AddObjectToObject(caps, "tools"), "listChanged", 0);
    cJSON_AddObjectToObject(caps, "resources");
    cJSON_AddObjectToObject(caps, "prompts");
    cJSON *info = cJSON_AddObjectToObject(res, "serverInfo");
    cJSON_AddStringToObject(info, "name", json_str(s->server, "name") ? json_str(s->server, "name") : "refold");
    cJSON_AddStringToObject(info, "version", REFOLD_VERSION);
    /* The agent reads the server's description when it connects (docs/mcp/quickstart). */
    if (json_str(s->server, "description"))
        cJSON_AddStringToObject(res, "instructions", json_str(s->server, "description"));
    return res;
}

/* One JSON-RPC message; the scope is resolved. */
static int handle(const struct mcp_scope *s, const cJSON *msg)
{
    req *r = s->r;
    const cJSON *jv = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc"), *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method"), *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    if (!cJSON_IsString(jv) || strcmp(jv->valuestring, "2.0"))
        return rpc_error(r, 400, NULL, -32600, "Invalid Request: jsonrpc must be \"2.0\"");
    if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id))
        return rpc_error(r, 400, NULL, -32600, "Invalid Request: id must be a string or a number");
    if (!method) {
        /* a response to a server request: this server sends none, so it is just acknowledged */
        if (id && (cJSON_GetObjectItemCaseSensitive(msg, "result") || cJSON_GetObjectItemCaseSensitive(msg, "error")))
            return http_send(r, 202, "application/json; charset=utf-8", "", 0);
        return rpc_error(r, 400, id, -32600, "Invalid Request: method is required");
    }
    if (!cJSON_IsString(method))
        return rpc_error(r, 400, id, -32600, "Invalid Request: method must be a string");
    if (!id) /* a notification (initialized, cancelled, ...): accepted, nothing to answer */
        return http_send(r, 202, "application/json; charset=utf-8", "", 0);
    if (params && !cJSON_IsObject(params))
        return rpc_error(r, 200, id, -32602, "Invalid params: params must be an object");
    const char *m = method->valuestring;
    if (!strcmp(m, "initialize")) {
        const char *v = json_str(params, "protocolVersion");
        if (!v)
            return rpc_error(r, 200, id, -32602, "Invalid params: protocolVersion is required");
        return rpc_result(r, id, initialize(s, v));
    }
    if (!strcmp(m, "ping"))
        return rpc_result(r, id, cJSON_CreateObject());
    if (!strcmp(m, "tools/list")) {
        cJSON *res = cJSON_CreateObject();
        cJSON_AddItemToObject(res, "tools", mcp_tools_list(s));
        return rpc_result(r, id, res);
    }
    if (!strcmp(m, "resources/list") || !strcmp(m, "resources/templates/list") || !strcmp(m, "prompts/list")) {
        cJSON *res = cJSON_CreateObject();
        cJSON_AddArrayToObject(res, !strcmp(m, "prompts/list") ? "prompts" : !strcmp(m, "resources/list") ? "resources" : "resourceTemplates");
        return rpc_result(r, id, res);
    }
    if (!strcmp(m, "tools/call")) {
        const char *name = json_str(params, "name");
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(params, "arguments");
        if (!name)
            return rpc_error(r, 200, id, -32602, "Invalid params: name (the tool) is required");
        if (args && !cJSON_IsObject(args) && !cJSON_IsNull(args))
            return rpc_error(r, 200, id, -32602, "Invalid params: arguments must be an object");
        cJSON *res = mcp_tools_call(s, name, cJSON_IsObject(args) ? args : NULL);
        if (!res) {
            char msg[300];
            snprintf(msg, sizeof msg, "Unknown tool: %.200s", name);
            return rpc_error(r, 200, id, -32602, msg);
        }
        return rpc_result(r, id, res);
    }
    char why[200];
    snprintf(why, sizeof why, "Method not found: %.120s", m);
    return rpc_error(r, 200, id, -32601, why);
}

static int serve(req *r, const struct auth_who *w, struct doc_ref *ref, const cJSON *server, const char *server_id);

/* A server id as Refold and the mock make them (24 hex digits), which no token is: it tells the
 * header form /mcp/v1/{server_id} from the console's /mcp/v1/{token} (whose path token wins over
 * an Authorization header sent as well, as agent SDKs configured with both do). */
static int server_id_shaped(const char *s)
{
    return strlen(s) == 24 && strspn(s, "0123456789abcdef") == 24;
}

/* route: POST /mcp/v1/{token}/{server_id} (param[0] token; param[1] server_id) */
/* route: POST /mcp/v1/{server_id} (param[0] server_id, or the token when it is no server id) */
/* route: POST /mcp/v1 */
int h_mcp(req *r)
{
    const char *token = NULL, *server_id = NULL;
    const char *authz = http_header(r, "Authorization");
    const char *bearer = authz && !strncasecmp(authz, "Bearer ", 7) && authz[7] ? authz + 7 : NULL;
    int console = 0; /* the console's one-segment URL: the token in the path, no server id */
    if (r->nparams == 2) {
        token = r->param[0];
        server_id = r->param[1];
    } else if (r->nparams == 1 && server_id_shaped(r->param[0])) {
        token = bearer;
        server_id = r->param[0];
    } else if (r->nparams == 1) {
        token = r->param[0];
        console = 1;
    } else {
        token = bearer;
    }
    if (!server_id && !console)
        return http_error(r, 401, "MISSING_SERVER_ID", "The MCP server URL has no server id: use /mcp/v1/<token>/<server_id>");
    if (!token)
        return http_error(r, 401, "MISSING_TOKEN", "No token: use /mcp/v1/<token>/<server_id> or send Authorization: Bearer <token>");
    struct auth_who who;
    if (auth_bearer(r->m, token, &who) != 0)
        return http_error_hint(r, 403, who.code, "Invalid token", "%s", who.message);
    if (!who.pat && !linked_accounts_exists(r->m, who.t, who.la)) /* (a PAT's lookup checked it) */
        return http_error(r, 403, "INVALID_TOKEN", "Invalid token: linked account %s no longer exists", who.la);
    if (console) {
        struct doc_ref *ref = mcp_servers_default_doc(r->m, who.t);
        const cJSON *server = doc_cache_doc(ref);
        if (!server)
            return http_error_hint(r, 404, "NOT_FOUND", "No enabled MCP server",
                                   "/mcp/v1/<token> serves the first enabled MCP server of the org environment, and it has "
                                   "none: create one with POST /api/v2/public/mcp-servers");
        return serve(r, &who, ref, server, json_str(server, "_id"));
    }
    struct doc_ref *ref = mcp_servers_doc(r->m, who.t, server_id);
    const cJSON *server = doc_cache_doc(ref);
    if (!server && mcp_servers_elsewhere(r->m, who.t, server_id))
        return http_error(r, 403, "FORBIDDEN", "This token belongs to another org or environment than MCP server %s", server_id);
    if (!server)
        return http_error(r, 404, "NOT_FOUND", "MCP server %s not found", server_id);
    if (!json_bool(server, "is_enabled", 1)) {
        doc_cache_release(ref);
        return http_error(r, 404, "NOT_FOUND", "MCP server %s is disabled", server_id);
    }
    return serve(r, &who, ref, server, server_id);
}

/* The transport and one JSON-RPC message, once token and server are resolved; releases ref. */
static int serve(req *r, const struct auth_who *w, struct doc_ref *ref, const cJSON *server, const char *server_id)
{
    struct mcp_scope s = {r, w->t, w->la, server, server_id};
    util_copy(r->la, sizeof r->la, w->la); /* for the request journal */
    r->t = w->t;
    clock_scope(w->t); /* the tenant is known only now: its clock from here on (tool calls, log) */

    /* The transport: after initialize, clients send the negotiated version; an unknown one is a 400. */
    const char *pv = http_header(r, "MCP-Protocol-Version");
    if (pv && !version_known(pv)) {
        char msg[160];
        snprintf(msg, sizeof msg, "Bad Request: unsupported MCP-Protocol-Version %.40s (supported: " LATEST_VERSION ", 2025-06-18, 2025-03-26, 2024-11-05)", pv);
        rpc_error(r, 400, NULL, -32600, msg);
    } else if (!r->raw_len) { /* (the dispatcher has refused a body nested too deep) */
        rpc_error(r, 400, NULL, -32700, "Parse error: the body must be one JSON-RPC message");
    } else {
        cJSON *msg = cJSON_ParseWithLength(r->raw, r->raw_len);
        if (!msg)
            rpc_error(r, 400, NULL, -32700, "Parse error: the body is not valid JSON");
        else if (cJSON_IsArray(msg)) /* batching left the protocol in 2025-06-18 */
            rpc_error(r, 400, NULL, -32600, "Invalid Request: JSON-RPC batches are not supported; send one message per request");
        else if (!cJSON_IsObject(msg))
            rpc_error(r, 400, NULL, -32600, "Invalid Request: the message must be a JSON object");
        else
            handle(&s, msg);
        cJSON_Delete(msg);
    }
    doc_cache_release(ref);
    return r->status;
}
