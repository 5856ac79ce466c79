/* linked_accounts.h: the linked-account operations other code (setup, scenarios) reuses. */
#ifndef LINKED_ACCOUNTS_H
#define LINKED_ACCOUNTS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mock.h"

/* An id we accept: 1..2048 bytes (MOCK_ID_LEN - 1), no control characters, no '/'. */
int linked_accounts_valid_id(const char *id);
/* Checks name/udf/your_app of a create or upsert body. 0, or -1 with err. */
int linked_accounts_validate_fields(const cJSON *src, char *err, size_t n);
/* Creates or updates (name, udf, your_app) in one transaction. create_only: 1 when it exists.
 * Returns 0 created, 2 updated, 1 exists (create_only), -1 failure; *out gets the stored doc. */
int linked_accounts_save(struct mock *m, const struct tenant *t, const char *id, const cJSON *src, int create_only, cJSON **out);
/* The response shape: credentials stripped, integrations computed from connections. */
cJSON *linked_accounts_public(struct mock *m, const struct tenant *t, const cJSON *doc, int with_integrations);

#endif
