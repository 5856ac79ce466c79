/* forget.c: deleting a linked account: THE list of what it takes with it (forget_parts), one
 * part per family, and the one transaction that runs them. It sits above every family, so a
 * family's module may ask linked_accounts.c whether an account exists without a cycle. */
#include "engine/forget.h"
#include "engine/actions_run.h"
#include "engine/configs.h"
#include "engine/connections.h"
#include "engine/datarefs.h"
#include "engine/env_vars.h"
#include "engine/executions.h"
#include "engine/linked_accounts.h"
#include "engine/mcp_servers.h"
#include "engine/pats.h"
#include "engine/schedules.h"
#include "engine/session_tokens.h"
#include "engine/subscriptions.h"
#include "engine/tables.h"
#include "engine/workflows.h"
#include "base/store.h"

/* What a deleted linked account takes with it: THE list, one part per family that keeps data per
 * linked account, each part owned by its module (the only file that names its documents) and run
 * inside the delete's transaction. A new family adds its row here; tests/api/linked_accounts.c
 * (delete_takes_what_the_account_owned) deletes one account over HTTP and checks each family. */
static void (*const forget_parts[])(struct mock *m, const struct tenant *t, const char *la) = {
    connections_delete_all, /* first: each connection emits Connection Deleted */
    configs_forget_linked_account,
    executions_forget_linked_account, /* runs and human tasks */
    actions_run_forget_linked_account, /* the records its actions created */
    workflows_forget_linked_account,
    datarefs_forget_linked_account,
    schedules_forget_linked_account,
    env_vars_forget_linked_account,
    tables_forget_linked_account,
    mcp_servers_forget_linked_account,
    subscriptions_forget_linked_account, /* the webhooks its session tokens registered */
    pats_forget_linked_account, /* the docs: deleting the linked account revokes all its tokens */
    session_tokens_forget_linked_account,
    linked_accounts_forget_leads,
};

int forget_linked_account(struct mock *m, const struct tenant *t, const char *id)
{
    store_begin(m->store);
    if (!linked_accounts_exists(m, t, id)) {
        store_rollback(m->store);
        return 1;
    }
    for (size_t i = 0; i < sizeof forget_parts / sizeof *forget_parts; i++)
        forget_parts[i](m, t, id);
    linked_accounts_remove(m, t, id);
    return store_commit(m->store) == 0 ? 0 : -1;
}
