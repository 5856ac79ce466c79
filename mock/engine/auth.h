/* auth.h: who a bearer token speaks for: a session token (HS256 JWT) or a PAT -> tenant + linked account. */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Loads the JWT secret from the store, or draws and saves a new one. 0 on success. */
int auth_init(struct mock *m);

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
 * who->code and who->message. Used by request_auth_resolve and the MCP endpoint. */
int auth_bearer(struct mock *m, const char *token, struct auth_who *who);

#endif
