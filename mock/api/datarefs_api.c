/* datarefs_api.c: the dataref routes, a linked account's named reference-data stores: create, list, read as a
 * table, clear, delete, group; records arrive from workflows (datarefs_put_record) or the admin API. */
#include "datarefs.h"
#include "json.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "api/group_edit.h"
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "dataref"

static int need_la(req *r)
{
    if (r->la[0])
        return 1;
    http_error(r, 400, "BAD_REQUEST", "linked_account_id is required (header linked_account_id): datarefs belong to a linked account");
    return 0;
}

/* The linked account's dataref named by the path, or NULL after a 404. */
static cJSON *load(req *r, const char *name)
{
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(r->la, name, key, sizeof key);
    cJSON *doc = store_get(r->m->store, r->t->id, KIND, key);
    if (!doc)
        /* datarefs/clear-records.mdx, ```json 404: SERVER_ERROR "Dataref not found" */
        http_error_hint(r, 404, "SERVER_ERROR", "Dataref not found", "no dataref %s for linked account %s", name, r->la);
    return doc;
}

static int valid_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= MOCK_ID_LEN)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == '/')
            return 0; /* names travel in paths */
    return 1;
}

/* route: GET /api/v2/public/dataref */
int h_list_datarefs(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char unique[8] = "";
    http_query(r, "unique", unique, sizeof unique);
    if (*unique && strcmp(unique, "true") && strcmp(unique, "false"))
        return http_error(r, 400, "BAD_REQUEST", "unique must be true or false");
    if (strcmp(unique, "true")) { /* plain: only the page is read (store_query), records stripped */
        int total = 0;
        cJSON *page_docs = store_query(r->m->store, r->t->id, KIND, r->la[0] ? r->la : NULL, NULL, 0, 0,
                                       (int)((page - 1) * limit), (int)limit, &total), *p;
        cJSON_ArrayForEach(p, page_docs)
            cJSON_DeleteItemFromObjectCaseSensitive(p, "data"); /* a listing carries no records */
        cJSON *out = cJSON_CreateObject();
        cJSON_AddItemToObject(out, "docs", page_docs);
        http_add_pagination(out, total, (int)page, (int)limit);
        return http_json(r, 200, out);
    }
    cJSON *all = store_list(r->m->store, r->t->id, KIND, r->la[0] ? r->la : NULL, NULL, NULL, 0, 0, NULL), *d;
    cJSON *picked = cJSON_CreateArray();
    cJSON_ArrayForEach(d, all) {
        cJSON *view = cJSON_Duplicate(d, 1);
        cJSON_DeleteItemFromObjectCaseSensitive(view, "data"); /* a listing carries no records */
        if (!strcmp(unique, "true")) {
            /* one entry per name, naming every linked account that has one */
            cJSON *same = NULL, *p;
            cJSON_ArrayForEach(p, picked)
                if (!strcmp(json_str(p, "name"), json_str(d, "name")))
                    same = p;
            if (same) {
                cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(same, "linked_account_ids"),
                                     cJSON_CreateString(json_str(d, "linked_account_id")));
                cJSON_Delete(view);
                continue;
            }
            cJSON *ids = cJSON_AddArrayToObject(view, "linked_account_ids");
            cJSON_AddItemToArray(ids, cJSON_CreateString(json_str(d, "linked_account_id")));
        }
        cJSON_AddItemToArray(picked, view);
    }
    cJSON_Delete(all);
    int total = cJSON_GetArraySize(picked);
    cJSON *docs = cJSON_CreateArray(), *next;
    long i = 0;
    for (d = picked->child; d && i < page * limit; d = next, i++) { /* one walk, not an index per item */
        next = d->next;
        if (i >= (page - 1) * limit)
            cJSON_AddItemToArray(docs, cJSON_DetachItemViaPointer(picked, d));
    }
    cJSON_Delete(picked);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/dataref */
int h_create_dataref(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(r->body, "refName");
    if (!cJSON_IsString(name) || !*name->valuestring)
        return http_error(r, 400, "SERVER_ERROR", "refName is required");
    if (!valid_name(name->valuestring))
        return http_error(r, 400, "BAD_REQUEST", "refName must be 1-%d characters without '/' or control characters", MOCK_ID_LEN - 1);
    if (!need_la(r))
        return r->status;
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(r->la, name->valuestring, key, sizeof key);
    cJSON *doc = datarefs_new(r->m, r->t, r->la, name->valuestring);
    store_begin(r->m->store);
    int rc = store_insert(r->m->store, r->t->id, KIND, key, r->la, doc);
    if (rc != 0) {
        store_rollback(r->m->store);
        cJSON_Delete(doc);
        if (rc == 1)
            return http_error(r, 409, "DATAREF_EXISTS", "Dataref %s already exists for linked account %s",
                              name->valuestring, r->la);
        return http_error(r, 500, "SERVER_ERROR", "could not store the dataref");
    }
    if (store_commit(r->m->store) != 0) {
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not store the dataref");
    }
    return http_json(r, 200, doc);
}

/* route: GET /api/v2/public/dataref/{refName} (param[0] refName) */
int h_get_dataref_table(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 100, 1, 1000, &limit))
        return r->status;
    if (!need_la(r))
        return r->status;
    cJSON *doc = load(r, r->param[0]);
    if (!doc)
        return r->status;
    /* headers: record_id, then every key in the order first seen; rows paginated by record */
    cJSON *headers = cJSON_CreateArray(), *rows = cJSON_CreateArray();
    cJSON_AddItemToArray(headers, cJSON_CreateString("record_id"));
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data"), *rec, *cell, *h;
    int total = 0;
    cJSON_ArrayForEach(rec, data) {
        cJSON_ArrayForEach(cell, rec) {
            const char *k = json_str(cell, "key");
            int seen = 0;
            cJSON_ArrayForEach(h, headers) seen |= k && !strcmp(h->valuestring, k);
            if (k && !seen)
                cJSON_AddItemToArray(headers, cJSON_CreateString(k));
        }
        if (total >= (page - 1) * limit && total < page * limit) {
            cJSON *row = cJSON_CreateObject();
            cJSON_AddStringToObject(row, "record_id", rec->string);
            cJSON_ArrayForEach(cell, rec) {
                const char *k = json_str(cell, "key");
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(cell, "value");
                if (k && v && !cJSON_GetObjectItemCaseSensitive(row, k))
                    cJSON_AddItemToObject(row, k, cJSON_Duplicate(v, 1));
            }
            cJSON_AddItemToArray(rows, row);
        }
        total++;
    }
    cJSON_Delete(doc);
    int pages = (int)((total + limit - 1) / limit);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "headers", headers);
    cJSON_AddItemToObject(out, "rows", rows);
    cJSON_AddNumberToObject(out, "page", (double)page);
    cJSON_AddNumberToObject(out, "limit", (double)limit);
    cJSON_AddNumberToObject(out, "totalDocs", total);
    cJSON_AddNumberToObject(out, "totalPages", pages);
    cJSON_AddBoolToObject(out, "hasNextPage", page < pages);
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/dataref/{refName} (param[0] refName) */
int h_delete_dataref(req *r)
{
    if (!need_la(r))
        return r->status;
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(r->la, r->param[0], key, sizeof key);
    store_begin(r->m->store);
    int gone = store_del(r->m->store, r->t->id, KIND, key);
    if (!gone) {
        store_rollback(r->m->store);
        return http_error_hint(r, 404, "SERVER_ERROR", "Dataref not found", "no dataref %s for linked account %s", r->param[0], r->la);
    }
    if (store_commit(r->m->store) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the dataref");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "acknowledged", 1);
    cJSON_AddNumberToObject(out, "deletedCount", 1);
    return http_json(r, 200, out);
}

/* route: PUT /api/v2/public/dataref/{refName}/clear-records (param[0] refName) */
int h_clear_dataref(req *r)
{
    if (!need_la(r))
        return r->status;
    store_begin(r->m->store);
    cJSON *doc = load(r, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return r->status;
    }
    json_set(doc, "data", cJSON_CreateObject());
    int rc = datarefs_save(r->m, r->t, doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not clear the dataref");
    }
    return http_json(r, 200, doc);
}

/* route: PUT /api/v2/public/datarefs/group */
int h_edit_dataref_group(req *r)
{
    if (!need_la(r))
        return r->status;
    static const struct group_family family = {"refNames", "dataref names", load, datarefs_save};
    return group_edit_apply(r, &family);
}
