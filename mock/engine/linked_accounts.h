/* linked_accounts.h: the linked-account operations other code (setup, scenarios) reuses. */
#ifndef LINKED_ACCOUNTS_H
#define LINKED_ACCOUNTS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* An id we accept: 1..2048 bytes (MOCK_ID_LEN - 1), no control characters, no '/'. */
int linked_accounts_valid_id(const char *id);
/* Checks name/udf/your_app of a create or upsert body. 0, or -1 with err. */
int linked_accounts_validate_fields(const cJSON *src, char *err, size_t n);
/* Creates or updates (name, udf, your_app) in one transaction. create_only: 1 when it exists.
 * Returns 0 created, 2 updated, 1 exists (create_only), -1 failure; *out gets the stored doc. */
int linked_accounts_save(struct mock *m, const struct tenant *t, const char *id, const cJSON *src, int create_only, cJSON **out);
/* 1 when the linked account exists in the tenant, else 0. */
int linked_accounts_exists(struct mock *m, const struct tenant *t, const char *id);
/* The stored linked account (the caller owns it), or NULL when there is none. */
cJSON *linked_accounts_get(struct mock *m, const struct tenant *t, const char *id);
/* A page of the tenant's linked accounts in creation order (the caller owns the array); *total
 * gets the count of all. NULL on a store error. */
cJSON *linked_accounts_list(struct mock *m, const struct tenant *t, int offset, int limit, int *total);
/* The same page over only the accounts whose id is a member of the object `ids` (a set; NULL:
 * none); *total counts those. */
cJSON *linked_accounts_list_in(struct mock *m, const struct tenant *t, const cJSON *ids, int offset, int limit, int *total);
/* Removes the account's own document (forget.c first takes everything it owned). Joins the
 * caller's transaction. 1 when it was there. */
int linked_accounts_remove(struct mock *m, const struct tenant *t, const char *id);
/* An ecosystem lead (the frontend SDK's createEcosystemLead) kept under linked account la:
 * 0, or -1 on a store error. */
int linked_accounts_add_lead(struct mock *m, const struct tenant *t, const char *la, const char *id, const cJSON *lead);
/* Deleting linked account la: its leads go. Joins the caller's transaction. */
void linked_accounts_forget_leads(struct mock *m, const struct tenant *t, const char *la);
/* The default app's credentials (your_app.auth_credentials, kept on the account, never returned).
 * Sets key to value: 0 (and *existed: 1 replaced, 0 added), 1 the account has no default-app
 * integration, -1 store error. */
int linked_accounts_set_default_credential(struct mock *m, const struct tenant *t, const char *la, const char *key,
                                           const char *value, int *existed);
/* Removes key: 0, 1 no default-app integration, 2 no such key, -1 store error. */
int linked_accounts_delete_default_credential(struct mock *m, const struct tenant *t, const char *la, const char *key);
/* Deletes la's connection to slug (only one of auth_type when that is not NULL or ""; none there
 * is no error) and returns the account's public shape as it then stands (the caller owns it), or
 * NULL on a store error. */
cJSON *linked_accounts_delete_integration(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                                          const char *auth_type);
/* The response shape: credentials stripped, integrations computed from connections. */
cJSON *linked_accounts_public(struct mock *m, const struct tenant *t, const cJSON *doc, int with_integrations);

#endif
