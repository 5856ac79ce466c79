/* mcp_logs.h: the MCP audit log: one append-only record per tool call (docs/mcp/operate-logs),
 * each tenant's newest MCP_LOG_CAPACITY kept in memory like the request journal. */
#ifndef MCP_LOGS_H
#define MCP_LOGS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

#define MCP_LOG_CAPACITY 5000           /* the mock's "retention": records kept per tenant */
#define MCP_LOG_TENANT_BYTES (8 * 1024 * 1024) /* and at most this much of their payloads per tenant */
#define MCP_LOG_TOTAL_BYTES (256 * 1024 * 1024) /* all tenants together: the one holding most gives way */
#define MCP_LOG_INPUT_MAX (32 * 1024)   /* captured request payload, as Refold */
#define MCP_LOG_OUTPUT_MAX (64 * 1024)  /* captured response payload */

struct mcp_logs *mcp_logs_new(int capacity);
void mcp_logs_free(struct mcp_logs *l);
/* Other byte limits than MCP_LOG_TENANT_BYTES and MCP_LOG_TOTAL_BYTES (tests). */
void mcp_logs_set_limits(struct mcp_logs *l, size_t tenant_bytes, size_t total_bytes);
/* Forgets a tenant's records (NULL: everyone's): reset. */
void mcp_logs_clear(struct mcp_logs *l, const char *tenant);

/* One tool call, as the caller has it: request and response are printed JSON (the response is
 * the text the agent got, printed once for it). NULL strings are logged as "". */
struct mcp_log_call {
    const char *status, *tool, *action, *application, *target_type; /* (the last three may be NULL: left out) */
    const char *linked_account, *server;
    const char *request, *response;
    const char *client_name, *protocol_version, *request_id;
    double duration_ms;
    long long at_ms;
};
/* Appends a record of tenant t (its oldest go past MCP_LOG_CAPACITY or MCP_LOG_TENANT_BYTES).
 * Nothing is built here: the copied fields become the JSON record when listed; "request" and
 * "response" are kept cut to the limits above (shown as a truncated string, "truncated": true). */
void mcp_logs_add(struct mock *m, const struct tenant *t, const struct mcp_log_call *c);

/* The bytes tenant's records hold now (what MCP_LOG_TENANT_BYTES bounds). */
size_t mcp_logs_bytes(struct mcp_logs *l, const char *tenant);

/* Filters for mcp_logs_list; NULL or "" members match anything. */
struct mcp_log_filter {
    const char *status, *linked_account_id, *application, *tool, *action, *server;
    int limit; /* the newest `limit` records; <= 0: all */
};
/* The tenant's records, oldest first, that pass f (new array). */
cJSON *mcp_logs_list(struct mock *m, const struct tenant *t, const struct mcp_log_filter *f);

#endif
