/* request_auth.h: the dispatcher's auth step (request_auth.c). */
#ifndef REQUEST_AUTH_H
#define REQUEST_AUTH_H

#include "base/mock.h"

/* Applies the route's auth flags to r: fills r->t, r->la, r->via_token. On failure it has sent
 * the 401/400/404 envelope and returns -1. The admin token (--admin-token) is checked here too. */
int request_auth_resolve(req *r);
/* The same for a sub-request (server.c): r runs inside a request that resolved t, la and
 * via_token already, so no header is read; the inner route's flags still apply (a tenant for a
 * key or token route, the linked account for NEED_LA / OPT_LA); the admin API is refused (403).
 * 0, or -1 with the refusal sent. */
int request_auth_inherit(req *r, const struct tenant *t, const char *la, int via_token);

#endif
