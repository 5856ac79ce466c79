/* pats.h: personal access tokens: non-expiring bearer tokens of one linked account (mint, revoke, lookup). */
#ifndef PATS_H
#define PATS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

#define PAT_PREFIX "rpat_"
#define PAT_LEN 46 /* "rpat_" + 40 hex + NUL */

enum pat_result { PAT_OK = 0, PAT_EXISTS, PAT_NONE, PAT_FAILED };

/* Mints the linked account's token into token (shown once: only its SHA-256 is kept) and its
 * creation time into created_at. PAT_EXISTS when it already has one: a PAT is not rotated in
 * place, it is revoked and minted again. */
enum pat_result pats_mint(struct mock *m, const struct tenant *t, const char *la, char token[PAT_LEN],
                          char created_at[32]);
/* Revokes the linked account's token(s): PAT_NONE when it had none. Joins the caller's transaction. */
enum pat_result pats_revoke(struct mock *m, const struct tenant *t, const char *la);
/* Deleting linked account la: its tokens are revoked (pats_revoke). Joins the caller's transaction. */
void pats_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);
/* The tenant and linked account a token belongs to: 1 when it is a live PAT of an existing
 * linked account, else 0. */
int pats_lookup(struct mock *m, const char *token, const struct tenant **t, char *la, size_t n);
/* {"linked_account_id","created_at","token_hint"} of the linked account's PAT, or NULL. */
cJSON *pats_info(struct mock *m, const struct tenant *t, const char *la);

#endif
