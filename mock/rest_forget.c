/* rest_forget.c: deleting a linked account takes its datarefs, schedules, env values, MCP servers, tables, PATs and the webhooks its session tokens registered. */
#include "rest_forget.h"
#include "env_vars.h"
#include "json.h"
#include "datarefs.h"
#include "mcp_servers.h"
#include "pats.h"
#include "schedules.h"
#include "store.h"
#include "tables.h"
#include "subscriptions.h"
#include "util.h"

void rest_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    datarefs_forget_linked_account(m, t, la);
    schedules_forget_linked_account(m, t, la);
    env_vars_forget_linked_account(m, t, la);
    mcp_servers_forget_linked_account(m, t, la);
    tables_forget_linked_account(m, t, la);
    pats_revoke(m, t, la); /* the docs: deleting the linked account revokes all its tokens */
    subscriptions_forget_linked_account(m, t, la); /* the webhooks its session tokens registered */
    store_commit(m->store);
}
