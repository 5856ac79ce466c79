/* tables.h: the persistent-table model: tables of up to 20 columns, their records, columns, search, and a deleted linked account's part. */
#ifndef TABLES_H
#define TABLES_H

#include <cjson/cJSON.h>
#include "base/mock.h"
#include "base/pattern.h"
#include "engine/record_filter.h"

#define TABLES_MAX_COLUMNS 20
#define TABLES_MAX_RECORDS 10000
#define TABLES_RECORD_ID "record_id" /* every record's own id: no column may take the name */

/* What an operation did. The caller (a handler) turns each into its status and message. */
enum tables_outcome {
    TABLES_OK = 0,
    TABLES_NOT_FOUND,        /* no such table for this caller: another tenant's, deleted, or another account's */
    TABLES_STORE_ERROR,      /* a write or the commit failed; nothing changed */
    TABLES_EXISTS,           /* create: the owner already has a table of that name (its id is given back) */
    TABLES_TOO_MANY_RECORDS, /* add records: TABLES_MAX_RECORDS would be passed; problem.count = records held */
    TABLES_RECORD_NOT_FOUND, /* delete record: the record is not in this table */
    TABLES_COLUMN_EXISTS,    /* add columns: problem.column exists already (or is record_id) */
    TABLES_TOO_MANY_COLUMNS, /* add columns: problem.count columns would pass TABLES_MAX_COLUMNS */
    TABLES_COLUMN_MISSING,   /* remove or rename: problem.column does not exist */
    TABLES_LAST_COLUMN,      /* remove: no column would be left */
    TABLES_COLUMN_TWICE,     /* rename: problem.column would exist twice */
    TABLES_BUDGET,           /* a name pattern or a record filter overran its match budget (pattern.h) */
};

/* Which column or count an outcome is about. */
struct tables_problem {
    const char *column; /* points into the caller's input, or into name */
    char name[256];     /* a copy when the name came from the stored table (cut to 255 bytes) */
    int count;
};

/* A table the caller may touch: in its tenant, not deleted, and when la is non-empty la's own or
 * an org-wide one. NULL otherwise. */
cJSON *tables_get(struct mock *m, const struct tenant *t, const char *la, const char *id);
/* Stamps updatedAt and stores a table document. Joins the caller's transaction. 0, or -1. */
int tables_save(struct mock *m, const struct tenant *t, cJSON *doc);

/* The tables la may see (la "" = all), optionally only those whose name matches name (NULL = all),
 * from offset, at most limit, each with its record_count; *total counts all that qualify. Without
 * a name only the page is read (store_query); a pattern SQLite cannot run reads every table.
 * TABLES_OK (*docs is the caller's) or TABLES_BUDGET (*docs NULL). */
enum tables_outcome tables_list(struct mock *m, const struct tenant *t, const char *la, const struct pattern *name,
                                long offset, int limit, cJSON **docs, int *total);
/* Creates la's table (la "" = org-wide) named name with columns (an array of distinct names, taken
 * over in every case), in one transaction. id (MOCK_ID_LEN bytes) gets the new table's id, or the
 * existing one's for TABLES_EXISTS. TABLES_OK, TABLES_EXISTS or TABLES_STORE_ERROR. */
enum tables_outcome tables_create(struct mock *m, const struct tenant *t, const char *la, const char *name,
                                  cJSON *columns, char *id);
/* A page of a table's records (the table is not checked: tables_get first). */
cJSON *tables_records(struct mock *m, const struct tenant *t, const char *id, long offset, int limit, int *total);
/* Adds data (an object, or an array of objects) as new records, each kept to the table's columns
 * and given a record_id, in one transaction. *added gets the records stored, *kept the input as
 * kept (an object for an object, an array for an array). */
enum tables_outcome tables_add_records(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                       const cJSON *data, cJSON **added, cJSON **kept, struct tables_problem *p);
/* Soft delete, as Refold does: the table leaves every listing and lookup. */
enum tables_outcome tables_delete(struct mock *m, const struct tenant *t, const char *la, const char *id);
/* Deletes one record of the table; *rec gets it. */
enum tables_outcome tables_delete_record(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                         const char *record_id, cJSON **rec);
/* Column changes, each in one transaction; *columns gets the table's columns after it.
 * add: an array of new names; remove: an array of existing names (their values leave every
 * record); renames: [{"old_name", "new_name"}, ...] applied at once, so A->B with B->C works. */
enum tables_outcome tables_add_columns(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                       const cJSON *add, cJSON **columns, struct tables_problem *p);
enum tables_outcome tables_remove_columns(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                          const cJSON *remove, cJSON **columns, struct tables_problem *p);
enum tables_outcome tables_rename_columns(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                          const cJSON *renames, cJSON **columns, struct tables_problem *p);
/* The table's records that f matches, into *out. TABLES_OK, TABLES_NOT_FOUND or TABLES_BUDGET. */
enum tables_outcome tables_search(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                  struct record_filter *f, cJSON **out);

/* A deleted linked account's tables and their records go. Joins the caller's transaction. */
void tables_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
