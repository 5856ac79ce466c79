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
void mu_connect_hubspot(refold_mock *m, const char *key, const char *la);
/* Creates an MCP server for key and applies config (the PUT body); its id into id (32 bytes). */
void mu_server(refold_mock *m, const char *key, const char *la, const char *config, char *id);
/* Mints la's PAT into token (64 bytes). */
void mu_pat(refold_mock *m, const char *key, const char *la, char *token);
/* POSTs a raw body to an MCP URL path; bearer may be NULL. */
th_resp mu_post(refold_mock *m, const char *path, const char *bearer, const char *body);
/* A JSON-RPC request (id 1) to /mcp/v1/{token}/{server}. params may be NULL. */
th_resp mu_rpc(refold_mock *m, const char *token, const char *server, const char *method, const char *params);
/* tools/call name with arguments (JSON text); asserts a JSON-RPC result and returns the tool's
 * text content parsed (caller deletes); *is_error gets isError. */
cJSON *mu_call(refold_mock *m, const char *token, const char *server, const char *name, const char *args, int *is_error);
/* The JSON-RPC error code of a response (asserts there is one). */
int mu_rpc_code(const th_resp *r);

/* The usual fixture: a mock, linked account la of Acme with HubSpot connected, an MCP server
 * configured with config (a PUT body), and la's PAT. */
struct mu_fx {
    refold_mock *m;
    char server[32], token[64];
};
struct mu_fx *mu_fx_start(const char *la, const char *config);
/* cmocka teardown for a struct mu_fx in *state. */
int mu_fx_teardown(void **state);

#endif
