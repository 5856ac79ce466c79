/* handlers.h: every route handler, grouped by the file that defines it. */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "mock.h"

/* api/applications.c */
int h_list_applications(req *r);
int h_get_application(req *r);
int h_get_auth_structure(req *r);

/* api/linked_accounts.c */
int h_list_linked_accounts(req *r);
int h_create_linked_account(req *r);
int h_upsert_linked_account(req *r);
int h_get_linked_account(req *r);
int h_delete_linked_account(req *r);
int h_active_linked_account(req *r);

/* api/session_tokens.c */
int h_create_session_token(req *r);
int h_revoke_session_token(req *r);

/* admin.c */
int h_admin_health(req *r);
int h_admin_reset(req *r);
int h_admin_clock(req *r);
int h_admin_clock_advance(req *r);
int h_admin_requests(req *r);
int h_admin_routes(req *r);

#endif
