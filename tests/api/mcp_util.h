/* mcp_util.h: what the MCP API tests share: a linked account with a HubSpot connection, an MCP
 * server configured through the public API, a PAT, and JSON-RPC calls to the endpoint. */
#ifndef MCP_UTIL_H
#define MCP_UTIL_H

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"

/* Connects hubspot for la by importing a token (the REST route a product uses). */
static inline void mu_connect_hubspot(refold_mock *m, const char *key, const char *la)
{
    th_resp r = th_key(m, "PUT", "/api/v2/public/migrate-token", key, la,
                       "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at_secret_123\",\"refresh_token\":\"rt_secret_456\"}}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

/* Creates an MCP server for key and applies config (the PUT body); its id into id (32 bytes). */
static inline void mu_server(refold_mock *m, const char *key, const char *la, const char *config, char *id)
{
    th_resp r = th_key(m, "POST", "/api/v2/public/mcp-servers", key, la, "{\"name\":\"Acme CRM\",\"description\":\"HubSpot contacts for Acme\"}");
    assert_int_equal(r.status, 201);
    snprintf(id, 32, "%s", th_str(r.json, "_id"));
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", id);
    r = th_key(m, "PUT", path, key, la, config);
    if (r.status != 200)
        fprintf(stderr, "PUT %s: %s\n", path, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

/* Mints la's PAT into token (64 bytes). */
static inline void mu_pat(refold_mock *m, const char *key, const char *la, char *token)
{
    char path[160];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/personal-access-token", la);
    th_resp r = th_key(m, "POST", path, key, NULL, NULL);
    assert_int_equal(r.status, 201);
    assert_string_equal(th_str(r.json, "linked_account_id"), la);
    snprintf(token, 64, "%s", th_str(r.json, "token"));
    th_free(&r);
}

/* POSTs a raw body to an MCP URL path; bearer may be NULL. */
static inline th_resp mu_post(refold_mock *m, const char *path, const char *bearer, const char *body)
{
    char auth[1100];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer ? bearer : "");
    const char *const h[] = {"Accept: application/json, text/event-stream", bearer ? auth : NULL, NULL};
    return th_request(m, "POST", path, body, h);
}

/* A JSON-RPC request (id 1) to /mcp/v1/{token}/{server}. params may be NULL. */
static inline th_resp mu_rpc(refold_mock *m, const char *token, const char *server, const char *method, const char *params)
{
    char path[256];
    snprintf(path, sizeof path, "/mcp/v1/%s/%s", token, server);
    size_t n = strlen(method) + (params ? strlen(params) : 0) + 96;
    char *body = malloc(n);
    snprintf(body, n, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\"%s%s}", method, params ? ",\"params\":" : "", params ? params : "");
    th_resp r = mu_post(m, path, NULL, body);
    free(body);
    return r;
}

/* tools/call name with arguments (JSON text); asserts a JSON-RPC result and returns the tool's
 * text content parsed (caller deletes); *is_error gets isError. */
static inline cJSON *mu_call(refold_mock *m, const char *token, const char *server, const char *name, const char *args,
                             int *is_error)
{
    char params[4096];
    snprintf(params, sizeof params, "{\"name\":\"%s\",\"arguments\":%s}", name, args);
    th_resp r = mu_rpc(m, token, server, "tools/call", params);
    assert_int_equal(r.status, 200);
    const cJSON *res = cJSON_GetObjectItem(r.json, "result");
    if (!res)
        fprintf(stderr, "tools/call %s: %s\n", name, r.body);
    assert_non_null(res);
    if (is_error)
        *is_error = cJSON_IsTrue(cJSON_GetObjectItem(res, "isError"));
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "content"), 0);
    assert_string_equal(th_str(c, "type"), "text");
    cJSON *out = cJSON_Parse(th_str(c, "text"));
    if (!out) /* a plain string (RESOLVE_ACTIONS with no match) */
        out = cJSON_CreateString(th_str(c, "text"));
    th_free(&r);
    return out;
}

/* The JSON-RPC error code of a response (asserts there is one). */
static inline int mu_rpc_code(const th_resp *r)
{
    const cJSON *e = cJSON_GetObjectItem(r->json, "error");
    assert_non_null(e);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r->json, "id")) || cJSON_GetObjectItem(r->json, "id"));
    return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "code"));
}

#endif
