/* links.h: the links the mock hands out: hosted connect sessions (/connect/{token}) and OAuth
 * consent requests (/oauth/{slug}/authorize?state=...). Both are opaque random tokens stored
 * as documents of their tenant, expiring on the virtual clock. */
#ifndef LINKS_H
#define LINKS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

#define HOSTED_TTL_MS (24LL * 3600 * 1000)  /* like the session token a connect URL is made for */
#define OAUTH_STATE_TTL_MS (3600LL * 1000)  /* a consent screen left open for an hour is stale */

enum link_status { LINK_OK, LINK_UNKNOWN, LINK_EXPIRED, LINK_GONE /* linked account deleted */ };

/* The room a hosted session's token takes (an HS256 JWT shorter than MOCK_ID_LEN). */
#define LINKS_TOKEN_LEN 256
/* Stores a hosted session for la with properties (copied; may be NULL) and returns its token,
 * a JWT signed with the session-token key. expires_ms is absolute virtual time. 0, or -1 when it
 * could not be stored. */
int links_hosted_create(struct mock *m, const struct tenant *t, const char *la, const cJSON *properties,
                        const char *config_id, const char *session_jti, long long expires_ms, char token[LINKS_TOKEN_LEN]);
/* Looks a hosted session up by token in every tenant. On LINK_OK *doc (caller deletes) and *t
 * are set; on LINK_EXPIRED / LINK_GONE too (for the message); else NULL. */
enum link_status links_hosted_find(struct mock *m, const char *token, cJSON **doc, const struct tenant **t);
/* The full URL of a hosted session's page. */
void links_hosted_url(struct mock *m, const char *token, char *out, size_t n);
/* The properties to hand back on GET /hosted-properties for a session token: those stored by
 * the connect URL made with that token, else the newest live one of the linked account, else {}. */
cJSON *links_hosted_properties(struct mock *m, const struct tenant *t, const char *la, const char *session_jti);

/* Starts an OAuth consent for (la, slug): stores the request and writes the consent page URL
 * into out. hosted_token: the hosted session it came from (or NULL); redirect_url: where to go
 * after the decision (checked by the caller, or NULL). 0, or -1. */
int links_oauth_begin(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                      const char *hosted_token, const char *redirect_url, char *out, size_t n);
/* Finds a pending consent request by state (as links_hosted_find). */
enum link_status links_oauth_find(struct mock *m, const char *state, cJSON **doc, const struct tenant **t);
/* A consent request is answered once: approving twice with the same state is refused. */
void links_oauth_consume(struct mock *m, const struct tenant *t, const char *state);

/* (connect_page.c) Where the browser goes after a connect or a denial that started on a hosted
 * page: its redirect_url after a connect when the product gave one, else back to the list
 * with ?connected=slug or ?denied=slug. outcome is "connected" or "denied". */
void connect_page_after(struct mock *m, const cJSON *hosted_doc, const char *slug, const char *outcome,
                        char *out, size_t n);

#endif
