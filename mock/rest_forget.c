/* rest_forget.c: deleting a linked account takes its datarefs, schedules, env values, MCP servers, tables and PATs. */
#include "rest_forget.h"
#include "env_vars.h"
#include "json.h"
#include "datarefs.h"
#include "mcp_servers.h"
#include "pats.h"
#include "schedules.h"
#include "store.h"
#include "util.h"

void rest_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    datarefs_forget_linked_account(m, t, la);
    schedules_forget_linked_account(m, t, la);
    env_vars_forget_linked_account(m, t, la);
    mcp_servers_forget_linked_account(m, t, la);
    cJSON *tables = store_list(m->store, t->id, "ptable", NULL, "linked_account_id", la, 0, 0, NULL), *tb;
    cJSON_ArrayForEach(tb, tables) {
        store_del_children(m->store, t->id, "ptable_record", json_str(tb, "_id"));
        store_del(m->store, t->id, "ptable", json_str(tb, "_id"));
    }
    cJSON_Delete(tables);
    pats_revoke(m, t, la); /* the docs: deleting the linked account revokes all its tokens */
    store_commit(m->store);
}
