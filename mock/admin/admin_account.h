/* admin_account.h: the checks of the admin calls that name a linked account, which exists only
 * within one tenant (the key says which). */
#ifndef ADMIN_ACCOUNT_H
#define ADMIN_ACCOUNT_H

#include "base/mock.h"

/* 1 when the request has a tenant's key; else 0 with the 400 sent. */
int admin_account_need_tenant(req *r);
/* 1 when linked account id exists in the request's tenant (which it must have); else 0 with the
 * page's 404 sent. */
int admin_account_need(req *r, const char *id);

#endif
