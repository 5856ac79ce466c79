/* datarefs.h: the dataref model: reading and writing dataref records (routes, workflow steps, the admin API). */
#ifndef DATAREFS_H
#define DATAREFS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Upserts one record of a linked account's dataref: fields is {"column": value, ...}, stored as
 * the spec's DataRefRow list [{"key": column, "value": value}, ...]. record_id NULL numbers it
 * after the last one. Creates the dataref when create is set. Joins the caller's transaction.
 * 0 on success, 1 when the dataref does not exist (and create is 0), -1 on a store error. */
/* "<linked account>/<name>": a dataref's key in the store. */
void datarefs_key(const char *la, const char *name, char *out, size_t n);
/* A new, empty dataref document (not stored). */
cJSON *datarefs_new(struct mock *m, const struct tenant *t, const char *la, const char *name);
/* Stamps updatedAt and stores doc. Joins the caller's transaction. 0, or -1 on a store error. */
int datarefs_save(struct mock *m, const struct tenant *t, cJSON *doc);
/* The linked account's dataref `name`, or NULL. */
cJSON *datarefs_get(struct mock *m, const struct tenant *t, const char *la, const char *name);
int datarefs_put_record(struct mock *m, const struct tenant *t, const char *la, const char *name,
                        const char *record_id, const cJSON *fields, int create);
/* A page of the datarefs (la NULL: the tenant's, else la's) in creation order, without their
 * records (a listing carries none); *total counts all. */
cJSON *datarefs_list(struct mock *m, const struct tenant *t, const char *la, int offset, int limit, int *total);
/* The same with one entry per name, each naming every linked account that has one
 * ("linked_account_ids"); *total counts the names. */
cJSON *datarefs_list_unique(struct mock *m, const struct tenant *t, const char *la, int offset, int limit, int *total);
/* Creates la's empty dataref `name`: 0 and *out (the caller owns it), 1 it exists, -1 store error. */
int datarefs_create(struct mock *m, const struct tenant *t, const char *la, const char *name, cJSON **out);
/* Removes every record of la's dataref `name`: 0 and *out, 1 not found, -1 store error. */
int datarefs_clear(struct mock *m, const struct tenant *t, const char *la, const char *name, cJSON **out);
/* 0 deleted, 1 not found, -1 store error. */
int datarefs_delete(struct mock *m, const struct tenant *t, const char *la, const char *name);
/* A deleted linked account's part: its datarefs go. Joins the caller's transaction. */
void datarefs_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
