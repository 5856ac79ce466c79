/* tables.c: persistent tables: tables with up to 20 columns and their records, search, groups. */
#include "http.h"
#include "json.h"
#include "clock.h"
#include "store.h"
#include "util.h"
#include "api/group_edit.h"
#include "handlers.h"
#include "pattern.h"
#include "record_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "ptable"
#define RECORD "ptable_record"   /* parent: the table's id */
#define MAX_COLUMNS 20
#define MAX_RECORDS 10000

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

/* A table a request may touch: in its tenant, not deleted, and (when the request names a linked
 * account) that account's or an org-wide one. Otherwise the 404 is sent and NULL returned. */
static cJSON *load_table(req *r, const char *id)
{
    cJSON *doc = store_get(r->m->store, r->t->id, KIND, id);
    const char *owner = doc ? json_str(doc, "linked_account_id") : NULL;
    if (doc && !json_bool(doc, "is_deleted", 0) && !(r->la[0] && owner && strcmp(owner, r->la)))
        return doc;
    cJSON_Delete(doc);
    /* persistent-tables/get-records.mdx (and the other table pages), ```json 404: SERVER_ERROR "Table not found" */
    http_error_hint(r, 404, "SERVER_ERROR", "Table not found", "no persistent table %s in this environment%s%s", id,
                    r->la[0] ? " for linked account " : "", r->la);
    return NULL;
}

static cJSON *table_view(struct mock *m, const struct tenant *t, const cJSON *doc)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    json_set(o, "record_count", cJSON_CreateNumber(record_count(m, t, json_str(doc, "_id"))));
    return o;
}

static int has_column(const cJSON *columns, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, columns)
        if (cJSON_IsString(c) && !strcmp(c->valuestring, name))
            return 1;
    return 0;
}

static int save_table(struct mock *m, const struct tenant *t, cJSON *doc)
{
    char at[32];
    now_iso(m, at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    return store_put(m->store, t->id, KIND, json_str(doc, "_id"), NULL, doc);
}

/* route: GET /api/v2/public/tables */
int h_list_tables(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    struct pattern re;
    int use_re = http_query_pattern(r, "name", &re), hit = 1;
    if (use_re < 0)
        return r->status;
    long long budget = PATTERN_MATCH_BUDGET;
    cJSON *all = store_list(r->m->store, r->t->id, KIND, NULL, NULL, NULL, 0, 0, NULL);
    cJSON *out = cJSON_CreateObject(), *docs = cJSON_CreateArray(), *d;
    int total = 0;
    cJSON_ArrayForEach(d, all) {
        const char *owner = json_str(d, "linked_account_id");
        if (json_bool(d, "is_deleted", 0) || (r->la[0] && owner && strcmp(owner, r->la)))
            continue;
        if (use_re && (hit = pattern_match(&re, json_str(d, "name") ? json_str(d, "name") : "", &budget)) <= 0) {
            if (hit < 0)
                break;
            continue;
        }
        if (total++ >= (page - 1) * limit && cJSON_GetArraySize(docs) < limit)
            cJSON_AddItemToArray(docs, table_view(r->m, r->t, d));
    }
    cJSON_Delete(all);
    if (use_re)
        pattern_free(&re);
    if (hit < 0) {
        cJSON_Delete(out);
        cJSON_Delete(docs);
        return http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
    }
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* columns: [{"column_name": "email"}, ...] -> ["email", ...]; NULL after a 400. */
static cJSON *column_names(req *r, const cJSON *columns)
{
    if (!cJSON_IsArray(columns) || cJSON_GetArraySize(columns) == 0)
        return http_error(r, 400, "SERVER_ERROR", "table_name and columns are required"), NULL;
    if (cJSON_GetArraySize(columns) > MAX_COLUMNS)
        return http_error(r, 400, "BAD_REQUEST", "a table has at most %d columns; %d given", MAX_COLUMNS,
                          cJSON_GetArraySize(columns)), NULL;
    cJSON *names = cJSON_CreateArray();
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, columns) {
        const char *n = json_str(c, "column_name");
        if (!cJSON_IsObject(c) || !n || !*n) {
            cJSON_Delete(names);
            return http_error(r, 400, "BAD_REQUEST", "columns[%d] must be an object with a non-empty column_name", i), NULL;
        }
        if (!strcmp(n, "record_id") || has_column(names, n)) {
            cJSON_Delete(names);
            return http_error(r, 400, "BAD_REQUEST", "column %s is %s", n,
                              strcmp(n, "record_id") ? "given twice" : "reserved for the record's id"), NULL;
        }
        cJSON_AddItemToArray(names, cJSON_CreateString(n));
        i++;
    }
    return names;
}

/* route: POST /api/v2/public/tables */
int h_create_table(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const char *name = json_str(r->body, "table_name");
    if (!name || !*name)
        return http_error(r, 400, "SERVER_ERROR", "table_name and columns are required");
    cJSON *columns = column_names(r, cJSON_GetObjectItemCaseSensitive(r->body, "columns"));
    if (!columns)
        return r->status;
    store_begin(r->m->store);
    /* The same name for the same owner answers the existing table instead of a second one. */
    cJSON *all = store_list(r->m->store, r->t->id, KIND, NULL, "name", name, 0, 0, NULL), *d;
    const char *existing = NULL;
    cJSON_ArrayForEach(d, all) {
        const char *owner = json_str(d, "linked_account_id");
        if (!json_bool(d, "is_deleted", 0) && !strcmp(owner ? owner : "", r->la))
            existing = json_str(d, "_id");
    }
    cJSON *out = cJSON_CreateObject();
    if (existing) {
        cJSON_AddStringToObject(out, "table_id", existing);
        cJSON_AddBoolToObject(out, "already_exists", 1);
        cJSON_Delete(all);
        cJSON_Delete(columns);
        store_rollback(r->m->store);
        return http_json(r, 200, out);
    }
    cJSON_Delete(all);
    char id[25], at[32];
    util_new_id(id);
    now_iso(r->m, at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "org_id", r->t->org_id);
    if (r->la[0])
        cJSON_AddStringToObject(doc, "linked_account_id", r->la);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "environment", r->t->environment);
    cJSON_AddStringToObject(doc, "table_type", "persistent");
    cJSON_AddBoolToObject(doc, "is_deleted", 0);
    cJSON_AddItemToObject(doc, "columns", columns);
    cJSON_AddStringToObject(doc, "createdAt", at);
    int rc = save_table(r->m, r->t, doc);
    cJSON_Delete(doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(out);
        return http_error(r, 500, "SERVER_ERROR", "could not store the table");
    }
    cJSON_AddStringToObject(out, "table_id", id);
    cJSON_AddBoolToObject(out, "already_exists", 0);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/tables/{table_id} (param[0] table_id) */
int h_get_table_records(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 100, 1, 1000, &limit))
        return r->status;
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc)
        return r->status;
    int total = 0;
    cJSON *docs = store_list(r->m->store, r->t->id, RECORD, r->param[0], NULL, NULL, (int)((page - 1) * limit),
                             (int)limit, &total);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "columns", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(doc, "columns"), 1));
    cJSON_AddStringToObject(out, "name", json_str(doc, "name"));
    cJSON_AddItemToObject(out, "docs", docs);
    int pages = (int)((total + limit - 1) / limit);
    cJSON_AddNumberToObject(out, "page", (double)page);
    cJSON_AddNumberToObject(out, "limit", (double)limit);
    cJSON_AddNumberToObject(out, "totalDocs", total);
    cJSON_AddNumberToObject(out, "totalPages", pages);
    cJSON_AddBoolToObject(out, "hasNextPage", page < pages);
    cJSON_Delete(doc);
    return http_json(r, 200, out);
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

/* route: PATCH /api/v2/public/tables/{table_id} (param[0] table_id) */
int h_add_table_records(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(r->body, "data");
    if (!data || !(cJSON_IsObject(data) || cJSON_IsArray(data)))
        return http_error(r, 400, data ? "BAD_REQUEST" : "SERVER_ERROR", data ? "data must be an object or an array of objects" : "data is required");
    int n = cJSON_IsArray(data) ? cJSON_GetArraySize(data) : 1;
    if (n == 0)
        return http_error(r, 400, "BAD_REQUEST", "data must hold at least one record");
    const cJSON *e;
    int i = 0;
    if (cJSON_IsArray(data))
        cJSON_ArrayForEach(e, data) {
            if (!cJSON_IsObject(e))
                return http_error(r, 400, "BAD_REQUEST", "data[%d] must be an object", i);
            i++;
        }
    store_begin(r->m->store);
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    int have = record_count(r->m, r->t, r->param[0]);
    if (have + n > MAX_RECORDS) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        return http_error(r, 400, "BAD_REQUEST", "a table holds at most %d records; it has %d and %d were sent",
                          MAX_RECORDS, have, n);
    }
    const cJSON *columns = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    cJSON *result = cJSON_CreateArray(), *transformed = cJSON_IsArray(data) ? cJSON_CreateArray() : NULL;
    int rc = 0;
    for (i = 0; i < n && rc == 0; i++) {
        const cJSON *src = cJSON_IsArray(data) ? cJSON_GetArrayItem(data, i) : data;
        cJSON *kept = strip_to_columns(src, columns);
        char rid[37];
        new_record_id(rid);
        cJSON *rec = cJSON_CreateObject();
        cJSON_AddStringToObject(rec, "record_id", rid);
        const cJSON *f;
        cJSON_ArrayForEach(f, kept)
            cJSON_AddItemToObject(rec, f->string, cJSON_Duplicate(f, 1));
        rc = store_insert(r->m->store, r->t->id, RECORD, rid, r->param[0], rec);
        cJSON_AddItemToArray(result, rec);
        if (transformed)
            cJSON_AddItemToArray(transformed, kept);
        else
            transformed = kept;
    }
    if (rc == 0)
        rc = save_table(r->m, r->t, doc);
    cJSON_Delete(doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(result);
        cJSON_Delete(transformed);
        return http_error(r, 500, "SERVER_ERROR", "could not store the records");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "add_record_result", result);
    cJSON_AddItemToObject(out, "transformed_add_data", transformed);
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/tables/{table_id} (param[0] table_id) */
int h_delete_table(req *r)
{
    store_begin(r->m->store);
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    /* Soft delete, as Refold does: the table leaves every listing and lookup. */
    json_set(doc, "is_deleted", cJSON_CreateBool(1));
    int rc = save_table(r->m, r->t, doc);
    cJSON_Delete(doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        return http_error(r, 500, "SERVER_ERROR", "could not delete the table");
    }
    return http_json(r, 200, cJSON_CreateTrue());
}

/* route: DELETE /api/v2/public/tables/{table_id}/{record_id} (param[0] table_id; param[1] record_id) */
int h_delete_table_record(req *r)
{
    store_begin(r->m->store);
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    cJSON_Delete(doc);
    /* Record ids are unique per tenant, but the record must also sit in this table. */
    int total = 0;
    cJSON *found = store_list(r->m->store, r->t->id, RECORD, r->param[0], "record_id", r->param[1], 0, 1, &total);
    cJSON *rec = cJSON_DetachItemFromArray(found, 0);
    cJSON_Delete(found);
    if (!rec) {
        store_rollback(r->m->store);
        return http_error_hint(r, 404, "SERVER_ERROR", "Record not found", "no record %s in table %s", r->param[1], r->param[0]);
    }
    store_del(r->m->store, r->t->id, RECORD, r->param[1]);
    if (store_commit(r->m->store) != 0) {
        cJSON_Delete(rec);
        return http_error(r, 500, "SERVER_ERROR", "could not delete the record");
    }
    return http_json(r, 200, rec);
}

/* body.columns as a list of distinct non-empty strings; NULL after a 400. */
static const cJSON *column_list(req *r)
{
    if (!http_need_object(r))
        return NULL;
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(r->body, "columns"), *c, *d;
    if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) == 0)
        return http_error(r, 400, "BAD_REQUEST", "columns is required: a non-empty array of column names"), NULL;
    cJSON_ArrayForEach(c, cols) {
        if (!cJSON_IsString(c) || !*c->valuestring)
            return http_error(r, 400, "BAD_REQUEST", "columns must hold non-empty strings"), NULL;
        for (d = cols->child; d != c; d = d->next)
            if (!strcmp(d->valuestring, c->valuestring))
                return http_error(r, 400, "BAD_REQUEST", "column %s is given twice", c->valuestring), NULL;
    }
    return cols;
}

static int send_columns(req *r, const cJSON *doc)
{
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "columns", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(doc, "columns"), 1));
    return http_json(r, 200, out);
}

/* Rewrites every record of the table with map(record) (in the open transaction). */
static int rewrite_records(req *r, const char *table_id, cJSON *(*map)(const cJSON *rec, const cJSON *arg), const cJSON *arg)
{
    cJSON *recs = store_list(r->m->store, r->t->id, RECORD, table_id, NULL, NULL, 0, 0, NULL), *rec;
    int rc = 0;
    cJSON_ArrayForEach(rec, recs) {
        cJSON *next = map(rec, arg);
        if (rc == 0)
            rc = store_put(r->m->store, r->t->id, RECORD, json_str(rec, "record_id"), table_id, next);
        cJSON_Delete(next);
    }
    cJSON_Delete(recs);
    return rc;
}

static int finish_columns(req *r, cJSON *doc, int rc)
{
    if (rc == 0)
        rc = save_table(r->m, r->t, doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not change the columns");
    }
    send_columns(r, doc);
    cJSON_Delete(doc);
    return r->status;
}

/* route: PATCH /api/v2/public/tables/{table_id}/columns/add (param[0] table_id) */
int h_add_table_columns(req *r)
{
    const cJSON *add = column_list(r), *c;
    if (!add)
        return r->status;
    store_begin(r->m->store);
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    cJSON *columns = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    const char *bad = NULL;
    cJSON_ArrayForEach(c, add)
        if (!bad && (has_column(columns, c->valuestring) || !strcmp(c->valuestring, "record_id")))
            bad = c->valuestring;
    int after = cJSON_GetArraySize(columns) + cJSON_GetArraySize(add);
    if (bad || after > MAX_COLUMNS) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        if (bad)
            return http_error(r, 400, "BAD_REQUEST", "column %s already exists", bad);
        return http_error(r, 400, "BAD_REQUEST", "a table has at most %d columns; this would make %d", MAX_COLUMNS, after);
    }
    cJSON_ArrayForEach(c, add)
        cJSON_AddItemToArray(columns, cJSON_CreateString(c->valuestring));
    return finish_columns(r, doc, 0);
}

static cJSON *without_columns(const cJSON *rec, const cJSON *removed)
{
    cJSON *o = cJSON_Duplicate(rec, 1);
    const cJSON *c;
    cJSON_ArrayForEach(c, removed)
        cJSON_DeleteItemFromObjectCaseSensitive(o, c->valuestring);
    return o;
}

/* route: DELETE /api/v2/public/tables/{table_id}/columns/remove (param[0] table_id) */
int h_remove_table_columns(req *r)
{
    const cJSON *remove = column_list(r), *c;
    if (!remove)
        return r->status;
    store_begin(r->m->store);
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    cJSON *columns = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    const char *missing = NULL;
    cJSON_ArrayForEach(c, remove)
        if (!missing && !has_column(columns, c->valuestring))
            missing = c->valuestring;
    if (missing || cJSON_GetArraySize(remove) >= cJSON_GetArraySize(columns)) {
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        if (missing)
            return http_error(r, 400, "BAD_REQUEST", "column %s does not exist", missing);
        return http_error(r, 400, "BAD_REQUEST", "a table must keep at least one column");
    }
    cJSON *kept = cJSON_CreateArray();
    cJSON_ArrayForEach(c, columns)
        if (!has_column(remove, c->valuestring))
            cJSON_AddItemToArray(kept, cJSON_CreateString(c->valuestring));
    json_set(doc, "columns", kept);
    /* The removed columns' values go with them, so reads never show a column that is gone. */
    return finish_columns(r, doc, rewrite_records(r, r->param[0], without_columns, remove));
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
        cJSON_AddItemToObject(o, strcmp(f->string, "record_id") ? renamed(renames, f->string) : f->string,
                              cJSON_Duplicate(f, 1));
    return o;
}

/* route: PATCH /api/v2/public/tables/{table_id}/columns/rename (param[0] table_id) */
int h_rename_table_columns(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *renames = cJSON_GetObjectItemCaseSensitive(r->body, "renames"), *e, *o;
    if (!cJSON_IsArray(renames) || cJSON_GetArraySize(renames) == 0)
        return http_error(r, 400, "BAD_REQUEST", "renames is required: [{\"old_name\", \"new_name\"}, ...]");
    int i = 0;
    cJSON_ArrayForEach(e, renames) {
        const char *from = json_str(e, "old_name"), *to = json_str(e, "new_name");
        if (!from || !to || !*from || !*to)
            return http_error(r, 400, "BAD_REQUEST", "renames[%d] needs non-empty old_name and new_name", i);
        if (!strcmp(to, "record_id"))
            return http_error(r, 400, "BAD_REQUEST", "record_id is reserved for the record's id");
        for (o = renames->child; o != e; o = o->next)
            if (!strcmp(json_str(o, "old_name"), from))
                return http_error(r, 400, "BAD_REQUEST", "column %s is renamed twice", from);
        i++;
    }
    store_begin(r->m->store);
    cJSON *doc = load_table(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    /* All renames apply at once, so A->B with B->C moves both without a clash. */
    cJSON *columns = cJSON_GetObjectItemCaseSensitive(doc, "columns"), *c;
    cJSON *next = cJSON_CreateArray();
    const char *problem = NULL, *why = NULL;
    cJSON_ArrayForEach(e, renames)
        if (!problem && !has_column(columns, json_str(e, "old_name")))
            problem = json_str(e, "old_name"), why = "does not exist";
    cJSON_ArrayForEach(c, columns) {
        const char *name = renamed(renames, c->valuestring);
        if (!problem && has_column(next, name))
            problem = name, why = "would exist twice";
        cJSON_AddItemToArray(next, cJSON_CreateString(name));
    }
    if (problem) {
        char name[256];
        snprintf(name, sizeof name, "%s", problem); /* it may point into doc */
        cJSON_Delete(next);
        cJSON_Delete(doc);
        store_rollback(r->m->store);
        return http_error(r, 400, "BAD_REQUEST", "column %s %s", name, why);
    }
    json_set(doc, "columns", next);
    return finish_columns(r, doc, rewrite_records(r, r->param[0], rename_fields, renames));
}

/* route: POST /api/v2/public/tables/{table_id}/search (param[0] table_id) */
int h_search_table_records(req *r)
{
    if (!http_need_object(r))
        return r->status;
    char err[256];
    struct record_filter *f = record_filter_new(r->body, err, sizeof err);
    if (!f)
        return http_error_hint(r, 400, "BAD_REQUEST", err, "%s", PATTERN_LIMITS_HINT);
    cJSON *doc = load_table(r, r->param[0]);
    if (doc) {
        cJSON_Delete(doc);
        cJSON *recs = store_list(r->m->store, r->t->id, RECORD, r->param[0], NULL, NULL, 0, 0, NULL);
        cJSON *out = cJSON_CreateArray(), *rec;
        int ok = 1;
        cJSON_ArrayForEach(rec, recs)
            if ((ok = record_filter_match(f, rec)) < 0)
                break;
            else if (ok)
                cJSON_AddItemToArray(out, cJSON_Duplicate(rec, 1));
        cJSON_Delete(recs);
        if (ok < 0) {
            cJSON_Delete(out);
            http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
        } else {
            http_json(r, 200, out);
        }
    }
    record_filter_free(f);
    return r->status;
}

/* route: PUT /api/v2/public/tables/group/edit */
int h_edit_tables_group(req *r)
{
    static const struct group_family family = {"tableIds", "table ids", load_table, save_table};
    return group_edit_apply(r, &family);
}
