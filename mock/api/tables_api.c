/* tables_api.c: the persistent-table routes: parse, call tables.c, answer. */
#include "base/http.h"
#include "base/json.h"
#include "engine/tables.h"
#include "api/group_edit.h"
#include "handlers.h"
#include "base/pattern.h"
#include "engine/record_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* persistent-tables/get-records.mdx (and the other table pages), ```json 404: SERVER_ERROR "Table not found" */
static int table_not_found(req *r, const char *id)
{
    return http_error_hint(r, 404, "SERVER_ERROR", "Table not found", "no persistent table %s in this environment%s%s", id,
                           r->la[0] ? " for linked account " : "", r->la);
}

/* A table a request may touch (tables_get), or NULL after the 404 was sent. */
static cJSON *load_table(req *r, const char *id)
{
    cJSON *doc = tables_get(r->m, r->t, r->la, id);
    if (!doc)
        table_not_found(r, id);
    return doc;
}

/* route: GET /api/v2/public/tables */
int h_list_tables(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    struct pattern re;
    int use_re = http_query_pattern(r, "name", &re);
    if (use_re < 0)
        return r->status;
    cJSON *docs;
    int total;
    enum tables_outcome rc = tables_list(r->m, r->t, r->la, use_re ? &re : NULL, (page - 1) * limit, (int)limit, &docs, &total);
    if (use_re)
        pattern_free(&re);
    if (rc == TABLES_BUDGET)
        return http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

static int has_name(const cJSON *names, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, names)
        if (!strcmp(c->valuestring, name))
            return 1;
    return 0;
}

/* columns: [{"column_name": "email"}, ...] -> ["email", ...]; NULL after a 400. */
static cJSON *column_names(req *r, const cJSON *columns)
{
    if (!cJSON_IsArray(columns) || cJSON_GetArraySize(columns) == 0)
        return http_error(r, 400, "SERVER_ERROR", "table_name and columns are required"), NULL;
    if (cJSON_GetArraySize(columns) > TABLES_MAX_COLUMNS)
        return http_error(r, 400, "BAD_REQUEST", "a table has at most %d columns; %d given", TABLES_MAX_COLUMNS,
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
        if (!strcmp(n, TABLES_RECORD_ID) || has_name(names, n)) {
            cJSON_Delete(names);
            return http_error(r, 400, "BAD_REQUEST", "column %s is %s", n,
                              strcmp(n, TABLES_RECORD_ID) ? "given twice" : "reserved for the record's id"), NULL;
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
    char id[MOCK_ID_LEN];
    enum tables_outcome rc = tables_create(r->m, r->t, r->la, name, columns, id);
    if (rc == TABLES_STORE_ERROR)
        return http_error(r, 500, "SERVER_ERROR", "could not store the table");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "table_id", id);
    cJSON_AddBoolToObject(out, "already_exists", rc == TABLES_EXISTS);
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
    cJSON *docs = tables_records(r->m, r->t, r->param[0], (page - 1) * limit, (int)limit, &total);
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
    cJSON *added, *kept;
    struct tables_problem p;
    switch (tables_add_records(r->m, r->t, r->la, r->param[0], data, &added, &kept, &p)) {
    case TABLES_OK: break;
    case TABLES_NOT_FOUND: return table_not_found(r, r->param[0]);
    case TABLES_TOO_MANY_RECORDS:
        return http_error(r, 400, "BAD_REQUEST", "a table holds at most %d records; it has %d and %d were sent",
                          TABLES_MAX_RECORDS, p.count, n);
    default: return http_error(r, 500, "SERVER_ERROR", "could not store the records");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "add_record_result", added);
    cJSON_AddItemToObject(out, "transformed_add_data", kept);
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/tables/{table_id} (param[0] table_id) */
int h_delete_table(req *r)
{
    switch (tables_delete(r->m, r->t, r->la, r->param[0])) {
    case TABLES_OK: return http_json(r, 200, cJSON_CreateTrue());
    case TABLES_NOT_FOUND: return table_not_found(r, r->param[0]);
    default: return http_error(r, 500, "SERVER_ERROR", "could not delete the table");
    }
}

/* route: DELETE /api/v2/public/tables/{table_id}/{record_id} (param[0] table_id; param[1] record_id) */
int h_delete_table_record(req *r)
{
    cJSON *rec;
    switch (tables_delete_record(r->m, r->t, r->la, r->param[0], r->param[1], &rec)) {
    case TABLES_OK: return http_json(r, 200, rec);
    case TABLES_NOT_FOUND: return table_not_found(r, r->param[0]);
    case TABLES_RECORD_NOT_FOUND:
        return http_error_hint(r, 404, "SERVER_ERROR", "Record not found", "no record %s in table %s", r->param[1], r->param[0]);
    default: return http_error(r, 500, "SERVER_ERROR", "could not delete the record");
    }
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

/* The answer of the three column routes: {"columns": [...]} or the refusal. */
static int columns_answer(req *r, enum tables_outcome rc, cJSON *columns, const struct tables_problem *p)
{
    switch (rc) {
    case TABLES_OK: {
        cJSON *out = cJSON_CreateObject();
        cJSON_AddItemToObject(out, "columns", columns);
        return http_json(r, 200, out);
    }
    case TABLES_NOT_FOUND: return table_not_found(r, r->param[0]);
    case TABLES_COLUMN_EXISTS: return http_error(r, 400, "BAD_REQUEST", "column %s already exists", p->column);
    case TABLES_TOO_MANY_COLUMNS:
        return http_error(r, 400, "BAD_REQUEST", "a table has at most %d columns; this would make %d", TABLES_MAX_COLUMNS, p->count);
    case TABLES_COLUMN_MISSING: return http_error(r, 400, "BAD_REQUEST", "column %s does not exist", p->column);
    case TABLES_LAST_COLUMN: return http_error(r, 400, "BAD_REQUEST", "a table must keep at least one column");
    case TABLES_COLUMN_TWICE: return http_error(r, 400, "BAD_REQUEST", "column %s would exist twice", p->column);
    default: return http_error(r, 500, "SERVER_ERROR", "could not change the columns");
    }
}

/* route: PATCH /api/v2/public/tables/{table_id}/columns/add (param[0] table_id) */
int h_add_table_columns(req *r)
{
    const cJSON *add = column_list(r);
    if (!add)
        return r->status;
    cJSON *columns;
    struct tables_problem p;
    enum tables_outcome rc = tables_add_columns(r->m, r->t, r->la, r->param[0], add, &columns, &p);
    return columns_answer(r, rc, columns, &p);
}

/* route: DELETE /api/v2/public/tables/{table_id}/columns/remove (param[0] table_id) */
int h_remove_table_columns(req *r)
{
    const cJSON *remove = column_list(r);
    if (!remove)
        return r->status;
    cJSON *columns;
    struct tables_problem p;
    enum tables_outcome rc = tables_remove_columns(r->m, r->t, r->la, r->param[0], remove, &columns, &p);
    return columns_answer(r, rc, columns, &p);
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
        if (!strcmp(to, TABLES_RECORD_ID))
            return http_error(r, 400, "BAD_REQUEST", "record_id is reserved for the record's id");
        for (o = renames->child; o != e; o = o->next)
            if (!strcmp(json_str(o, "old_name"), from))
                return http_error(r, 400, "BAD_REQUEST", "column %s is renamed twice", from);
        i++;
    }
    cJSON *columns;
    struct tables_problem p;
    enum tables_outcome rc = tables_rename_columns(r->m, r->t, r->la, r->param[0], renames, &columns, &p);
    return columns_answer(r, rc, columns, &p);
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
    cJSON *out;
    enum tables_outcome rc = tables_search(r->m, r->t, r->la, r->param[0], f, &out);
    record_filter_free(f);
    if (rc == TABLES_NOT_FOUND)
        return table_not_found(r, r->param[0]);
    if (rc == TABLES_BUDGET)
        return http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
    return http_json(r, 200, out);
}

/* route: PUT /api/v2/public/tables/group/edit */
int h_edit_tables_group(req *r)
{
    static const struct group_family family = {"tableIds", "table ids", load_table, tables_save};
    return group_edit_apply(r, &family);
}
