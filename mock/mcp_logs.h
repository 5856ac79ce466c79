/* mcp_logs.h: the MCP audit log: one append-only record per tool call (docs/mcp/operate-logs). */
#ifndef MCP_LOGS_H
#define MCP_LOGS_H

#include <cjson/cJSON.h>
#include "mock.h"

#define MCP_LOG_INPUT_MAX (32 * 1024)   /* captured request payload, as Refold */
#define MCP_LOG_OUTPUT_MAX (64 * 1024)  /* captured response payload */

/* Appends a record for la; takes rec. Its "request" and "response" members are cut to the
 * limits above (replaced by a truncated string and "truncated": true). */
void mcp_logs_add(struct mock *m, const struct tenant *t, const char *la, cJSON *rec);

/* Filters for mcp_logs_list; NULL members match anything. */
struct mcp_log_filter {
    const char *status, *linked_account_id, *application, *tool, *action, *server;
    int limit; /* the newest `limit` records; <= 0: all */
};
/* The tenant's records, oldest first, that pass f (new array). */
cJSON *mcp_logs_list(struct mock *m, const struct tenant *t, const struct mcp_log_filter *f);

#endif
