/* datarefs.c: the dataref model: a linked account's named record sets, as workflow steps and the
 * admin API write them. The routes are in api/datarefs_api.c. */
#include "engine/datarefs.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "dataref"   /* id: "<linked account>/<name>", parent: the linked account */

void datarefs_key(const char *la, const char *name, char *out, size_t n) { snprintf(out, n, "%s/%s", la, name); }

cJSON *datarefs_new(struct mock *m, const struct tenant *t, const char *la, const char *name)
{
    char id[25], at[32];
    util_new_id(id);
    util_iso8601(clock_now_ms(m), at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "linked_account_id", la);
    cJSON_AddStringToObject(doc, "org_id", t->org_id);
    cJSON_AddStringToObject(doc, "environment", t->environment);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddItemToObject(doc, "data", cJSON_CreateObject());
    cJSON_AddStringToObject(doc, "createdAt", at);
    cJSON_AddStringToObject(doc, "updatedAt", at);
    cJSON_AddNumberToObject(doc, "__v", 0);
    return doc;
}

int datarefs_save(struct mock *m, const struct tenant *t, cJSON *doc)
{
    char key[2 * MOCK_ID_LEN + 2], at[32];
    util_iso8601(clock_now_ms(m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    datarefs_key(json_str(doc, "linked_account_id"), json_str(doc, "name"), key, sizeof key);
    return store_put(m->store, t->id, KIND, key, json_str(doc, "linked_account_id"), doc);
}

int datarefs_put_record(struct mock *m, const struct tenant *t, const char *la, const char *name,
                        const char *record_id, const cJSON *fields, int create)
{
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(la, name, key, sizeof key);
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, KIND, key);
    if (!doc && !create) {
        store_rollback(m->store);
        return 1;
    }
    if (!doc)
        doc = datarefs_new(m, t, la, name);
    cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    if (!cJSON_IsObject(data)) {
        data = cJSON_CreateObject();
        json_set(doc, "data", data);
    }
    char next[24];
    if (!record_id) { /* numbered like the examples: "1", "2", ... */
        snprintf(next, sizeof next, "%d", cJSON_GetArraySize(data) + 1);
        while (cJSON_GetObjectItemCaseSensitive(data, next))
            snprintf(next, sizeof next, "%d", atoi(next) + 1);
        record_id = next;
    }
    cJSON *rows = cJSON_CreateArray();
    const cJSON *f;
    cJSON_ArrayForEach(f, fields) {
        if (!strcmp(f->string, "record_id"))
            continue;
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "key", f->string);
        cJSON_AddItemToObject(row, "value", cJSON_Duplicate(f, 1));
        cJSON_AddItemToArray(rows, row);
    }
    json_set(data, record_id, rows);
    int rc = datarefs_save(m, t, doc);
    cJSON_Delete(doc);
    if (rc != 0) {
        store_rollback(m->store);
        return -1;
    }
    return store_commit(m->store) == 0 ? 0 : -1;
}

cJSON *datarefs_get(struct mock *m, const struct tenant *t, const char *la, const char *name)
{
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(la, name, key, sizeof key);
    return store_get(m->store, t->id, KIND, key);
}

cJSON *datarefs_list(struct mock *m, const struct tenant *t, const char *la, int offset, int limit, int *total)
{
    /* only the page is read (store_query), records stripped */
    cJSON *docs = store_query(m->store, t->id, KIND, la, NULL, 0, 0, offset, limit, total), *p;
    cJSON_ArrayForEach(p, docs)
        cJSON_DeleteItemFromObjectCaseSensitive(p, "data");
    return docs;
}

cJSON *datarefs_list_unique(struct mock *m, const struct tenant *t, const char *la, int offset, int limit, int *total)
{
    cJSON *all = store_list(m->store, t->id, KIND, la, NULL, NULL, 0, 0, NULL), *d;
    cJSON *picked = cJSON_CreateArray();
    cJSON_ArrayForEach(d, all) {
        cJSON *view = cJSON_Duplicate(d, 1);
        cJSON_DeleteItemFromObjectCaseSensitive(view, "data"); /* a listing carries no records */
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
        cJSON_AddItemToArray(picked, view);
    }
    cJSON_Delete(all);
    *total = cJSON_GetArraySize(picked);
    cJSON *docs = cJSON_CreateArray(), *next;
    long i = 0;
    for (d = picked->child; d && i < (long)offset + limit; d = next, i++) { /* one walk, not an index per item */
        next = d->next;
        if (i >= offset)
            cJSON_AddItemToArray(docs, cJSON_DetachItemViaPointer(picked, d));
    }
    cJSON_Delete(picked);
    return docs;
}

int datarefs_create(struct mock *m, const struct tenant *t, const char *la, const char *name, cJSON **out)
{
    *out = NULL;
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(la, name, key, sizeof key);
    cJSON *doc = datarefs_new(m, t, la, name);
    store_begin(m->store);
    int rc = store_insert(m->store, t->id, KIND, key, la, doc);
    if (rc != 0) {
        store_rollback(m->store);
        cJSON_Delete(doc);
        return rc == 1 ? 1 : -1;
    }
    if (store_commit(m->store) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

int datarefs_clear(struct mock *m, const struct tenant *t, const char *la, const char *name, cJSON **out)
{
    *out = NULL;
    store_begin(m->store);
    cJSON *doc = datarefs_get(m, t, la, name);
    if (!doc) {
        store_rollback(m->store);
        return 1;
    }
    json_set(doc, "data", cJSON_CreateObject());
    int rc = datarefs_save(m, t, doc);
    if (rc != 0 || store_commit(m->store) != 0) {
        if (rc != 0)
            store_rollback(m->store);
        cJSON_Delete(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

int datarefs_delete(struct mock *m, const struct tenant *t, const char *la, const char *name)
{
    char key[2 * MOCK_ID_LEN + 2];
    datarefs_key(la, name, key, sizeof key);
    store_begin(m->store);
    if (!store_del(m->store, t->id, KIND, key)) {
        store_rollback(m->store);
        return 1;
    }
    return store_commit(m->store) != 0 ? -1 : 0;
}

void datarefs_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, KIND, la);
}
