/* tables.c: the persistent-table model: the only file that names the table and record documents. */
#include "engine/tables.h"
#include "engine/clock.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define KIND "ptable"
#define RECORD "ptable_record" /* parent: the table's id */

static void now_iso(struct mock *m, char out[32]) { util_iso8601(clock_now_ms(m), out); }

/* Record ids look like Refold's: random (version 4) UUIDs. */
static void new_record_id(char out[37])
{
    char hex[33];
    util_random_hex(hex, 16);
    hex[12] = '4';
    hex[16] = "89ab"[hex[16] % 4];
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static int record_count(struct mock *m, const struct tenant *t, const char *table_id)
{
    int total = 0;
    cJSON_Delete(store_list(m->store, t->id, RECORD, table_id, NULL, NULL, 0, 1, &total));
    return total;
}

static int has_column(const cJSON *columns, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, columns)
        if (cJSON_IsString(c) && !strcmp(c->valuestring, name))
            return 1;
    return 0;
}

/* Who may see a table: la "" sees all; otherwise la's own and the org-wide ones. */
static int visible(const cJSON *doc, const char *la)
{
    const char *owner = json_str(doc, "linked_account_id");
    return !json_bool(doc, "is_deleted", 0) && !(la[0] && owner && strcmp(owner, la));
}

cJSON *tables_get(struct mock *m, const struct tenant *t, const char *la, const char *id)
{
    cJSON *doc = store_get(m->store, t->id, KIND, id);
    if (doc && visible(doc, la))
        return doc;
    cJSON_Delete(doc);
    return NULL;
}

int tables_save(struct mock *m, const struct tenant *t, cJSON *doc)
{
    char at[32];
    now_iso(m, at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    return store_put(m->store, t->id, KIND, json_str(doc, "_id"), NULL, doc);
}

static cJSON *view(struct mock *m, const struct tenant *t, const cJSON *doc)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    json_set(o, "record_count", cJSON_CreateNumber(record_count(m, t, json_str(doc, "_id"))));
    return o;
}

enum tables_outcome tables_list(struct mock *m, const struct tenant *t, const char *la, const struct pattern *name,
                                long offset, int limit, cJSON **docs, int *total)
{
    *docs = cJSON_CreateArray();
    *total = 0;
    cJSON *d;
    if (!name) { /* what visible() keeps, said in SQL: only the page is read */
        const struct store_cond c[] = {{"$.is_deleted", SQ_NOT_TRUE, NULL}, {"$.linked_account_id", SQ_ABSENT_OR_EQ, la}};
        cJSON *page = store_query(m->store, t->id, KIND, NULL, c, la[0] ? 2 : 1, 0, (int)offset, limit, total);
        cJSON_ArrayForEach(d, page)
            cJSON_AddItemToArray(*docs, view(m, t, d));
        cJSON_Delete(page);
        return TABLES_OK;
    }
    /* A regular expression SQLite cannot run: every table is read and matched here. */
    long long budget = PATTERN_MATCH_BUDGET;
    cJSON *all = store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 0, NULL);
    int hit = 1;
    cJSON_ArrayForEach(d, all) {
        if (!visible(d, la))
            continue;
        if ((hit = pattern_match(name, json_str(d, "name") ? json_str(d, "name") : "", &budget)) <= 0) {
            if (hit < 0)
                break;
            continue;
        }
        if ((*total)++ >= offset && cJSON_GetArraySize(*docs) < limit)
            cJSON_AddItemToArray(*docs, view(m, t, d));
    }
    cJSON_Delete(all);
    if (hit < 0) {
        cJSON_Delete(*docs);
        *docs = NULL;
        return TABLES_BUDGET;
    }
    return TABLES_OK;
}

/* Opens the transaction and finds the table; NULL (rolled back) when the caller may not touch it. */
static cJSON *begin_on(struct mock *m, const struct tenant *t, const char *la, const char *id)
{
    store_begin(m->store);
    cJSON *doc = tables_get(m, t, la, id);
    if (!doc)
        store_rollback(m->store);
    return doc;
}

/* Ends the transaction begun by begin_on: saves doc (when rc is still 0) and commits, or rolls back. */
static enum tables_outcome finish(struct mock *m, const struct tenant *t, cJSON *doc, int rc)
{
    if (rc == 0 && doc)
        rc = tables_save(m, t, doc);
    if (rc != 0 || store_commit(m->store) != 0) {
        if (rc != 0)
            store_rollback(m->store);
        return TABLES_STORE_ERROR;
    }
    return TABLES_OK;
}

/* Ends the open transaction without a change: doc goes, why is the answer. */
static enum tables_outcome refuse(struct mock *m, cJSON *doc, enum tables_outcome why)
{
    cJSON_Delete(doc);
    store_rollback(m->store);
    return why;
}

enum tables_outcome tables_create(struct mock *m, const struct tenant *t, const char *la, const char *name,
                                  cJSON *columns, char *id)
{
    store_begin(m->store);
    /* The same name for the same owner is the existing table instead of a second one. */
    cJSON *all = store_list(m->store, t->id, KIND, NULL, "name", name, 0, 0, NULL), *d;
    const char *existing = NULL;
    cJSON_ArrayForEach(d, all) {
        const char *owner = json_str(d, "linked_account_id");
        if (!json_bool(d, "is_deleted", 0) && !strcmp(owner ? owner : "", la))
            existing = json_str(d, "_id");
    }
    if (existing) {
        snprintf(id, MOCK_ID_LEN, "%s", existing);
        cJSON_Delete(columns);
        return refuse(m, all, TABLES_EXISTS);
    }
    cJSON_Delete(all);
    char at[32];
    util_new_id(id);
    now_iso(m, at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "org_id", t->org_id);
    if (la[0])
        cJSON_AddStringToObject(doc, "linked_account_id", la);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "environment", t->environment);
    cJSON_AddStringToObject(doc, "table_type", "persistent");
    cJSON_AddBoolToObject(doc, "is_deleted", 0);
    cJSON_AddItemToObject(doc, "columns", columns);
    cJSON_AddStringToObject(doc, "createdAt", at);
    enum tables_outcome out = finish(m, t, doc, 0);
    cJSON_Delete(doc);
    return out;
}

cJSON *tables_records(struct mock *m, const struct tenant *t, const char *id, long offset, int limit, int *total)
{
    return store_list(m->store, t->id, RECORD, id, NULL, NULL, (int)offset, limit, total);
}

/* Keeps only the table's columns: Refold drops fields it has no column for. */
static cJSON *strip_to_columns(const cJSON *rec, const cJSON *columns)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *f;
    cJSON_ArrayForEach(f, rec)
        if (has_column(columns, f->string))
            cJSON_AddItemToObject(o, f->string, cJSON_Duplicate(f, 1));
    return o;
}


enum tables_outcome tables_add_records(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                       const cJSON *data, cJSON **added, cJSON **kept, struct tables_problem *p)
{
    *added = *kept = NULL;
    int n = cJSON_IsArray(data) ? cJSON_GetArraySize(data) : 1;
    cJSON *doc = begin_on(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    int have = record_count(m, t, id);
    if (have + n > TABLES_MAX_RECORDS) {
        p->count = have;
        return refuse(m, doc, TABLES_TOO_MANY_RECORDS);
    }
    const cJSON *columns = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    cJSON *result = cJSON_CreateArray(), *transformed = cJSON_IsArray(data) ? cJSON_CreateArray() : NULL;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const cJSON *src = cJSON_IsArray(data) ? cJSON_GetArrayItem(data, i) : data;
        cJSON *fields = strip_to_columns(src, columns);
        char rid[37];
        new_record_id(rid);
        cJSON *rec = cJSON_CreateObject();
        cJSON_AddStringToObject(rec, TABLES_RECORD_ID, rid);
        const cJSON *f;
        cJSON_ArrayForEach(f, fields)
            cJSON_AddItemToObject(rec, f->string, cJSON_Duplicate(f, 1));
        rc = store_insert(m->store, t->id, RECORD, rid, id, rec);
        cJSON_AddItemToArray(result, rec);
        if (transformed)
            cJSON_AddItemToArray(transformed, fields);
        else
            transformed = fields;
    }
    enum tables_outcome out = finish(m, t, doc, rc);
    cJSON_Delete(doc);
    if (out != TABLES_OK) {
        cJSON_Delete(result);
        cJSON_Delete(transformed);
        return out;
    }
    *added = result;
    *kept = transformed;
    return TABLES_OK;
}

enum tables_outcome tables_delete(struct mock *m, const struct tenant *t, const char *la, const char *id)
{
    cJSON *doc = begin_on(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    json_set(doc, "is_deleted", cJSON_CreateBool(1));
    enum tables_outcome out = finish(m, t, doc, 0);
    cJSON_Delete(doc);
    return out;
}

enum tables_outcome tables_delete_record(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                         const char *record_id, cJSON **rec)
{
    *rec = NULL;
    cJSON *doc = begin_on(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    cJSON_Delete(doc);
    /* Record ids are unique per tenant, but the record must also sit in this table. */
    int total = 0;
    cJSON *found = store_list(m->store, t->id, RECORD, id, TABLES_RECORD_ID, record_id, 0, 1, &total);
    cJSON *one = cJSON_DetachItemFromArray(found, 0);
    cJSON_Delete(found);
    if (!one) {
        store_rollback(m->store);
        return TABLES_RECORD_NOT_FOUND;
    }
    store_del(m->store, t->id, RECORD, record_id);
    if (store_commit(m->store) != 0) {
        cJSON_Delete(one);
        return TABLES_STORE_ERROR;
    }
    *rec = one;
    return TABLES_OK;
}

/* Rewrites every record of the table with map(record) (in the open transaction). */
static int rewrite_records(struct mock *m, const struct tenant *t, const char *table_id,
                           cJSON *(*map)(const cJSON *rec, const cJSON *arg), const cJSON *arg)
{
    cJSON *recs = store_list(m->store, t->id, RECORD, table_id, NULL, NULL, 0, 0, NULL), *rec;
    int rc = 0;
    cJSON_ArrayForEach(rec, recs) {
        cJSON *next = map(rec, arg);
        if (rc == 0)
            rc = store_put(m->store, t->id, RECORD, json_str(rec, TABLES_RECORD_ID), table_id, next);
        cJSON_Delete(next);
    }
    cJSON_Delete(recs);
    return rc;
}

/* Saves the table with its new columns and commits; *columns gets them. */
static enum tables_outcome finish_columns(struct mock *m, const struct tenant *t, cJSON *doc, int rc, cJSON **columns)
{
    enum tables_outcome out = finish(m, t, doc, rc);
    if (out == TABLES_OK)
        *columns = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(doc, "columns"), 1);
    cJSON_Delete(doc);
    return out;
}

enum tables_outcome tables_add_columns(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                       const cJSON *add, cJSON **columns, struct tables_problem *p)
{
    *columns = NULL;
    cJSON *doc = begin_on(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    cJSON *have = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    const cJSON *c;
    p->column = NULL;
    cJSON_ArrayForEach(c, add)
        if (!p->column && (has_column(have, c->valuestring) || !strcmp(c->valuestring, TABLES_RECORD_ID)))
            p->column = c->valuestring;
    p->count = cJSON_GetArraySize(have) + cJSON_GetArraySize(add);
    if (p->column || p->count > TABLES_MAX_COLUMNS)
        return refuse(m, doc, p->column ? TABLES_COLUMN_EXISTS : TABLES_TOO_MANY_COLUMNS);
    cJSON_ArrayForEach(c, add)
        cJSON_AddItemToArray(have, cJSON_CreateString(c->valuestring));
    return finish_columns(m, t, doc, 0, columns);
}

static cJSON *without_columns(const cJSON *rec, const cJSON *removed)
{
    cJSON *o = cJSON_Duplicate(rec, 1);
    const cJSON *c;
    cJSON_ArrayForEach(c, removed)
        cJSON_DeleteItemFromObjectCaseSensitive(o, c->valuestring);
    return o;
}

enum tables_outcome tables_remove_columns(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                          const cJSON *remove, cJSON **columns, struct tables_problem *p)
{
    *columns = NULL;
    cJSON *doc = begin_on(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    cJSON *have = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    const cJSON *c;
    p->column = NULL;
    cJSON_ArrayForEach(c, remove)
        if (!p->column && !has_column(have, c->valuestring))
            p->column = c->valuestring;
    if (p->column || cJSON_GetArraySize(remove) >= cJSON_GetArraySize(have))
        return refuse(m, doc, p->column ? TABLES_COLUMN_MISSING : TABLES_LAST_COLUMN);
    cJSON *kept = cJSON_CreateArray();
    cJSON_ArrayForEach(c, have)
        if (!has_column(remove, c->valuestring))
            cJSON_AddItemToArray(kept, cJSON_CreateString(c->valuestring));
    json_set(doc, "columns", kept);
    /* The removed columns' values go with them, so reads never show a column that is gone. */
    return finish_columns(m, t, doc, rewrite_records(m, t, id, without_columns, remove), columns);
}

/* The new name of a column under renames, or the name itself. */
static const char *renamed(const cJSON *renames, const char *name)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, renames)
        if (!strcmp(json_str(e, "old_name"), name))
            return json_str(e, "new_name");
    return name;
}

static cJSON *rename_fields(const cJSON *rec, const cJSON *renames)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *f;
    cJSON_ArrayForEach(f, rec)
        cJSON_AddItemToObject(o, strcmp(f->string, TABLES_RECORD_ID) ? renamed(renames, f->string) : f->string,
                              cJSON_Duplicate(f, 1));
    return o;
}

enum tables_outcome tables_rename_columns(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                          const cJSON *renames, cJSON **columns, struct tables_problem *p)
{
    *columns = NULL;
    cJSON *doc = begin_on(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    /* All renames apply at once, so A->B with B->C moves both without a clash. */
    cJSON *have = cJSON_GetObjectItemCaseSensitive(doc, "columns"), *c;
    cJSON *next = cJSON_CreateArray();
    const cJSON *e;
    const char *problem = NULL;
    enum tables_outcome why = TABLES_OK;
    cJSON_ArrayForEach(e, renames)
        if (!problem && !has_column(have, json_str(e, "old_name")))
            problem = json_str(e, "old_name"), why = TABLES_COLUMN_MISSING;
    cJSON_ArrayForEach(c, have) {
        const char *name = renamed(renames, c->valuestring);
        if (!problem && has_column(next, name))
            problem = name, why = TABLES_COLUMN_TWICE;
        cJSON_AddItemToArray(next, cJSON_CreateString(name));
    }
    if (problem) {
        snprintf(p->name, sizeof p->name, "%s", problem); /* it may point into doc */
        p->column = p->name;
        cJSON_Delete(next);
        return refuse(m, doc, why);
    }
    json_set(doc, "columns", next);
    return finish_columns(m, t, doc, rewrite_records(m, t, id, rename_fields, renames), columns);
}

enum tables_outcome tables_search(struct mock *m, const struct tenant *t, const char *la, const char *id,
                                  struct record_filter *f, cJSON **out)
{
    *out = NULL;
    cJSON *doc = tables_get(m, t, la, id);
    if (!doc)
        return TABLES_NOT_FOUND;
    cJSON_Delete(doc);
    cJSON *recs = store_list(m->store, t->id, RECORD, id, NULL, NULL, 0, 0, NULL), *rec;
    cJSON *hits = cJSON_CreateArray();
    int ok = 1;
    cJSON_ArrayForEach(rec, recs)
        if ((ok = record_filter_match(f, rec)) < 0)
            break;
        else if (ok)
            cJSON_AddItemToArray(hits, cJSON_Duplicate(rec, 1));
    cJSON_Delete(recs);
    if (ok < 0) {
        cJSON_Delete(hits);
        return TABLES_BUDGET;
    }
    *out = hits;
    return TABLES_OK;
}

void tables_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    cJSON *tables = store_list(m->store, t->id, KIND, NULL, "linked_account_id", la, 0, 0, NULL), *tb;
    cJSON_ArrayForEach(tb, tables) {
        store_del_children(m->store, t->id, RECORD, json_str(tb, "_id"));
        store_del(m->store, t->id, KIND, json_str(tb, "_id"));
    }
    cJSON_Delete(tables);
}
