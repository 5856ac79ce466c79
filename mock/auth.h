/* auth.h: who is calling: API key -> tenant, session token (HS256 JWT) or PAT -> tenant + linked account. */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mock.h"

/* Loads the JWT secret from the store, or draws and saves a new one. 0 on success. */
int auth_init(struct mock *m);

/* Applies the route's auth flags to r: fills r->t, r->la, r->via_token. On failure it has sent
 * the 401/400/404 envelope and returns -1. */
int auth_resolve(req *r);
/* The 404 auth_resolve answers for r->la, for a handler that finds the account gone since (a
 * DELETE racing the request). Returns 404. */
int auth_no_linked_account(req *r);

/* Who a bearer token (session token or personal access token) speaks for. */
struct auth_who {
    const struct tenant *t;
    char la[MOCK_ID_LEN];
    char jti[64];          /* the session token's id; "" for a PAT */
    int pat;
    char code[32];         /* on failure: INVALID_TOKEN ... */
    char message[160];     /* ... and why (a hint: the envelope's message is "Invalid token") */
};
/* Checks a bearer token against the virtual clock and the store: 0 and who filled, or -1 with
 * who->code and who->message. Used by auth_resolve and the MCP endpoint. */
int auth_bearer(struct mock *m, const char *token, struct auth_who *who);


/* The admin token check for /__mock/\* (a no-op when no --admin-token was given). */
int auth_admin_ok(req *r);

#endif
