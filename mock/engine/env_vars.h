/* env_vars.h: the environment-variable model: the org's definitions (fixtures) and their stored
 * values per scope (org, workspace, linked account, workflow). The routes are in api/env_vars_api.c. */
#ifndef ENV_VARS_H
#define ENV_VARS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

struct pattern;

/* Whether scope is one a definition can have: org, workspace, linked_account, workflow. */
int env_vars_scope_known(const char *scope);
/* Whether format is a var_format: string, number, url. */
int env_vars_format_known(const char *format);
/* The org's definition id (the fixtures' own, not to be freed), or NULL. */
const cJSON *env_vars_definition(struct mock *m, const struct tenant *t, const char *id);
/* The org's definitions matching scope and format ("" = any) and name (re, NULL = any), the page
 * offset/limit into *docs (a new array) and their count into *total. 0, or -1 when the name
 * pattern ran out of its match budget (*docs NULL). */
int env_vars_list_definitions(struct mock *m, const struct tenant *t, const char *scope, const char *format,
                              const struct pattern *re, int offset, int limit, cJSON **docs, int *total);

/* What setting or reading a value can meet, in the order they are checked. */
enum env_vars_outcome {
    ENV_VARS_OK = 0,
    ENV_VARS_NEED_LA,       /* a linked_account variable and no linked account */
    ENV_VARS_NO_ACCOUNT,    /* the linked account does not exist */
    ENV_VARS_NEED_WORKFLOW, /* a workflow variable and no workflow id */
    ENV_VARS_BAD_FORMAT,    /* the value does not match the definition's var_format */
    ENV_VARS_NOT_FOUND,     /* no value in that scope */
    ENV_VARS_STORE_ERROR,
};
/* Sets def's value for linked account la or workflow ("" for none: only the one def's scope
 * names is read), creating it with created_by = who or updating it (updated_by = who). An encrypted
 * definition stores a fresh ciphertext and keeps the plaintext out of every view. *out gets the
 * written value as the write answers it (the ciphertext, not [REDACTED]). */
enum env_vars_outcome env_vars_set(struct mock *m, const struct tenant *t, const cJSON *def, const char *la,
                                   const char *workflow, const char *value, const char *who, cJSON **out);
/* def's value in the scope la / workflow into *out (the stored document: the caller redacts
 * with env_vars_redacted, or reads only "value" when not encrypted). */
enum env_vars_outcome env_vars_get(struct mock *m, const struct tenant *t, const cJSON *def, const char *la,
                                   const char *workflow, cJSON **out);
/* What every read shows for an encrypted value. */
#define ENV_VARS_REDACTED "[REDACTED]"

/* The values of definitions of scope (and def_id, "" = any), of linked account la ("" = any;
 * linked_account scope) or workflow (workflow scope), the page offset/limit into a new array
 * (each as a reader sees it, its definition populated), their count into *total. */
cJSON *env_vars_list_values(struct mock *m, const struct tenant *t, const char *scope, const char *def_id,
                            const char *la, const char *workflow, int offset, int limit, int *total);
/* Deletes value id. la "" reaches every value; else own_only (a session token) reaches only la's
 * values, and !own_only (a key with the linked-account header) la's and those of no account.
 * 0 deleted (the definition's name, or "?", into name), 1 not found or not reachable, -1 store error. */
int env_vars_delete(struct mock *m, const struct tenant *t, const char *id, const char *la, int own_only,
                    char *name, size_t n);

/* The linked accounts whose linked_account variable `name` holds value ("" = any value; encrypted
 * values are compared with what was set): an object used as a set of ids (the caller deletes), or
 * NULL when the org has no such variable. (linked_accounts_api.c's env_variable_name filter.) */
cJSON *env_vars_accounts_with(struct mock *m, const struct tenant *t, const char *name, const char *value);

/* Deleting linked account la: its values go. Joins the caller's transaction. */
void env_vars_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
