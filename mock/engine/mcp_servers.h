/* mcp_servers.h: the MCP server model: an org environment's servers, each kept with the linked
 * account it was created for. The routes are in api/mcp_servers_api.c; the MCP endpoint
 * (api/mcp.c) reads them through the document cache. */
#ifndef MCP_SERVERS_H
#define MCP_SERVERS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

struct doc_ref;

/* Reach: only_la NULL reaches every server of the tenant (the product's key); a linked account
 * only the servers created for it (a session token, a customer's browser). A server out of reach
 * is answered as unknown. Servers a --db file kept from before servers had an owner belong to no
 * linked account: the key reaches them, no token does. */

/* A page of servers, newest first, into a new array; their count into *total. */
cJSON *mcp_servers_list(struct mock *m, const struct tenant *t, const char *only_la, int offset, int limit, int *total);
/* Creates a server for linked account la; its id into id. 0, or -1 on a store error. */
int mcp_servers_create(struct mock *m, const struct tenant *t, const char *la, const char *name, const char *description,
                       char id[25]);
/* Server id (a new document), or NULL when there is none within reach. */
cJSON *mcp_servers_get(struct mock *m, const struct tenant *t, const char *id, const char *only_la);
/* Checks an update body: the fields a patch may write have their types, list items their shape,
 * name is not empty. 0, or -1 with the reason in err. */
int mcp_servers_check_patch(const cJSON *body, char *err, size_t n);
/* Writes the patchable fields of body (checked) into server id; each skill gets a skill_id.
 * 0 with *out the updated document, 1 not found or out of reach, -1 store error. */
int mcp_servers_update(struct mock *m, const struct tenant *t, const char *id, const char *only_la, const cJSON *body,
                       cJSON **out);
/* 0 deleted, 1 not found or out of reach, -1 store error. */
int mcp_servers_delete(struct mock *m, const struct tenant *t, const char *id, const char *only_la);

/* The MCP endpoint's reads, through the document cache (released with doc_cache_release; the
 * cache drops them when the store changes). Server id of t, or NULL when there is none: */
struct doc_ref *mcp_servers_doc(struct mock *m, const struct tenant *t, const char *id);
/* The console's default server: the first enabled server created in t, or NULL. */
struct doc_ref *mcp_servers_default_doc(struct mock *m, const struct tenant *t);
/* Whether server id exists in a tenant other than t (a token used on another org's server). */
int mcp_servers_elsewhere(struct mock *m, const struct tenant *t, const char *id);

/* Deleting linked account la: the servers created for it go (those of no account stay). Joins the
 * caller's transaction. */
void mcp_servers_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
