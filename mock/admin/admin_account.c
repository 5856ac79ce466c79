/* admin_account.c: the tenant and linked-account checks shared by the admin calls that name one. */
#include "admin/admin_account.h"
#include "engine/linked_accounts.h"
#include "base/http.h"
#include "base/store.h"

int admin_account_need_tenant(req *r)
{
    if (r->t)
        return 1;
    http_error(r, 400, "BAD_REQUEST", "send the tenant's x-api-key: linked accounts belong to one org and environment");
    return 0;
}

int admin_account_need(req *r, const char *id)
{
    if (linked_accounts_exists(r->m, r->t, id))
        return 1;
    http_error(r, 404, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
               id, r->t->environment);
    return 0;
}
