/* datarefs_api.c: the dataref routes, a linked account's named reference-data stores: create, list, read as a
 * table, clear, delete, group; records arrive from workflows (datarefs_put_record) or the admin API. */
#include "engine/datarefs.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"
#include "api/group_edit.h"
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    cJSON *doc = datarefs_get(r->m, r->t, r->la, name);
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
    int total = 0, offset = (int)((page - 1) * limit);
    const char *la = r->la[0] ? r->la : NULL;
    cJSON *docs = strcmp(unique, "true") ? datarefs_list(r->m, r->t, la, offset, (int)limit, &total)
                                         : datarefs_list_unique(r->m, r->t, la, offset, (int)limit, &total);
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
    cJSON *doc = NULL;
    int rc = datarefs_create(r->m, r->t, r->la, name->valuestring, &doc);
    if (rc == 1)
        return http_error(r, 409, "DATAREF_EXISTS", "Dataref %s already exists for linked account %s",
                          name->valuestring, r->la);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the dataref");
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
    int rc = datarefs_delete(r->m, r->t, r->la, r->param[0]);
    if (rc == 1)
        return http_error_hint(r, 404, "SERVER_ERROR", "Dataref not found", "no dataref %s for linked account %s", r->param[0], r->la);
    if (rc != 0)
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
    cJSON *doc = NULL;
    int rc = datarefs_clear(r->m, r->t, r->la, r->param[0], &doc);
    if (rc == 1) /* datarefs/clear-records.mdx, ```json 404: SERVER_ERROR "Dataref not found" */
        return http_error_hint(r, 404, "SERVER_ERROR", "Dataref not found", "no dataref %s for linked account %s", r->param[0], r->la);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not clear the dataref");
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
