/* session_tokens.h: the session-token model: minting (HS256 access + refresh JWT), the stored documents, revoking. */
#ifndef SESSION_TOKENS_H
#define SESSION_TOKENS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

struct doc_ref;

/* The linked account's stored token documents, through the document cache (a product asks for a
 * token on every page load): release with doc_cache_release. NULL out of memory. */
struct doc_ref *session_tokens_stored(struct mock *m, const struct tenant *t, const char *la);
/* The newest token of that list still valid for a minute after now_ms, or NULL. */
const cJSON *session_tokens_reusable(const cJSON *list, long long now_ms);
/* Mints and stores a new token pair for la at now_ms: 0 and *doc (the caller owns it:
 * jti, refresh_jti, linked_account_id, token, refresh_token, exp_ms, refresh_exp_ms),
 * -1 signing failed, -2 store error. */
int session_tokens_mint(struct mock *m, const struct tenant *t, const char *la, long long now_ms, cJSON **doc);
/* The stored token document of an access token's jti (the caller owns it), or NULL. */
cJSON *session_tokens_get(struct mock *m, const struct tenant *t, const char *jti);
/* 1 when the token of that jti is still stored (not revoked), else 0. */
int session_tokens_exists(struct mock *m, const struct tenant *t, const char *jti);
/* Revokes one token pair by its access jti: how many were revoked (0 or 1). */
int session_tokens_revoke(struct mock *m, const struct tenant *t, const char *jti);
/* Revokes every token of la, or of the whole tenant when la is NULL: how many. */
int session_tokens_revoke_all(struct mock *m, const struct tenant *t, const char *la);
/* A deleted linked account's part: its tokens go. Joins the caller's transaction. */
void session_tokens_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
