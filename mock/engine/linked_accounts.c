/* linked_accounts.c: the linked-account model: ids, field checks, saving, the public shape. */
#include "engine/linked_accounts.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/connections.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define LEAD_KIND "ecosystem_lead" /* cobalt-js createEcosystemLead: a lead under its linked account */
#define KIND "linked_account"
#define DEFAULT_CREDS "your_app_credentials"   /* your_app.auth_credentials */

/* udf arrives as {"key": "value"} and is kept as the page's entries (get-linked-account.mdx):
 * [{key_name, key_value, _id, createdAt, updatedAt}]. An entry whose value did not change keeps
 * its _id and createdAt. */
static cJSON *udf_entries(const cJSON *udf, const cJSON *old, const char *at)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *e, *prev;
    cJSON_ArrayForEach(e, udf) {
        if (!cJSON_IsString(e))
            continue;
        const cJSON *same = NULL;
        cJSON_ArrayForEach(prev, old) {
            const char *k = json_str(prev, "key_name"), *v = json_str(prev, "key_value");
            if (k && v && !strcmp(k, e->string) && !strcmp(v, e->valuestring) && json_str(prev, "_id"))
                same = prev;
        }
        cJSON *o = cJSON_CreateObject();
        char id[25];
        util_new_id(id);
        cJSON_AddStringToObject(o, "key_name", e->string);
        cJSON_AddStringToObject(o, "key_value", e->valuestring);
        cJSON_AddStringToObject(o, "_id", same ? json_str(same, "_id") : id);
        cJSON_AddStringToObject(o, "createdAt", same && json_str(same, "createdAt") ? json_str(same, "createdAt") : at);
        cJSON_AddStringToObject(o, "updatedAt", same && json_str(same, "updatedAt") ? json_str(same, "updatedAt") : at);
        cJSON_AddItemToArray(out, o);
    }
    return out;
}

int linked_accounts_validate_fields(const cJSON *src, char *err, size_t n)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(src, "name");
    const cJSON *udf = cJSON_GetObjectItemCaseSensitive(src, "udf");
    const cJSON *app = cJSON_GetObjectItemCaseSensitive(src, "your_app");
    if (name && !cJSON_IsString(name))
        return snprintf(err, n, "name must be a string"), -1;
    if (udf) {
        const cJSON *e;
        if (!cJSON_IsObject(udf))
            return snprintf(err, n, "udf must be an object of string values"), -1;
        cJSON_ArrayForEach(e, udf) if (!cJSON_IsString(e))
            return snprintf(err, n, "udf.%s must be a string", e->string), -1;
    }
    /* (concepts pages send "your_app": {} with no credentials: accepted) */
    const cJSON *creds = cJSON_GetObjectItemCaseSensitive(app, "auth_credentials");
    if (app && !cJSON_IsObject(app) && !cJSON_IsNull(app))
        return snprintf(err, n, "your_app must be an object"), -1;
    if (creds && !cJSON_IsObject(creds))
        return snprintf(err, n, "your_app.auth_credentials must be an object"), -1;
    return 0;
}

int linked_accounts_valid_id(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n >= MOCK_ID_LEN)
        return 0;
    for (const char *p = id; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '/')
            return 0; /* ids travel in paths and headers */
    return 1;
}

int linked_accounts_save(struct mock *m, const struct tenant *t, const char *id, const cJSON *src, int create_only, cJSON **out)
{
    long long now = clock_now_ms(m);
    char at[32];
    util_iso8601(now, at);
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, KIND, id);
    int created = doc == NULL;
    if (!created && create_only) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return 1;
    }
    if (created) {
        char oid[25];
        util_new_id(oid);
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "_id", oid);
        cJSON_AddStringToObject(doc, "associated_org", t->org_id);
        cJSON_AddStringToObject(doc, "account_id", id);
        cJSON_AddStringToObject(doc, "name", id);
        cJSON_AddStringToObject(doc, "environment", t->environment);
        cJSON_AddItemToObject(doc, "udf", cJSON_CreateArray());
        cJSON_AddBoolToObject(doc, "is_seed", 0);
        cJSON_AddNullToObject(doc, "tenant_account_id");
        cJSON_AddStringToObject(doc, "createdAt", at);
        cJSON_AddNumberToObject(doc, "__v", 0);
    } else {
        json_set(doc, "__v", cJSON_CreateNumber(json_num(doc, "__v", 0) + 1));
    }
    const char *name = json_str(src, "name");
    if (name)
        json_set(doc, "name", cJSON_CreateString(name));
    const cJSON *udf = cJSON_GetObjectItemCaseSensitive(src, "udf");
    if (udf)
        json_set(doc, "udf", udf_entries(udf, cJSON_GetObjectItemCaseSensitive(doc, "udf"), at));
    const cJSON *creds = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(src, "your_app"), "auth_credentials");
    if (creds) /* kept for the default app, never returned */
        json_set(doc, DEFAULT_CREDS, cJSON_Duplicate(creds, 1));
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(m->store, t->id, KIND, id, NULL, doc);
    if (rc == 0 && store_commit(m->store) == 0) {
        if (out)
            *out = doc;
        else
            cJSON_Delete(doc);
        return created ? 0 : 2;
    }
    if (rc != 0)
        store_rollback(m->store);
    cJSON_Delete(doc);
    return -1;
}

int linked_accounts_exists(struct mock *m, const struct tenant *t, const char *id)
{
    return store_exists(m->store, t->id, KIND, id);
}

cJSON *linked_accounts_get(struct mock *m, const struct tenant *t, const char *id)
{
    return store_get(m->store, t->id, KIND, id);
}

cJSON *linked_accounts_list(struct mock *m, const struct tenant *t, int offset, int limit, int *total)
{
    return store_list(m->store, t->id, KIND, NULL, NULL, NULL, offset, limit, total);
}

/* (selected in memory, then paged: the set comes from another family's documents) */
cJSON *linked_accounts_list_in(struct mock *m, const struct tenant *t, const cJSON *ids, int offset, int limit, int *total)
{
    cJSON *docs = cJSON_CreateArray(), *all = store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 0, NULL), *d, *next;
    *total = 0;
    for (d = all ? all->child : NULL; d; d = next) {
        next = d->next;
        if (ids && cJSON_HasObjectItem(ids, json_str(d, "account_id")) && (*total)++ >= offset &&
            cJSON_GetArraySize(docs) < limit)
            cJSON_AddItemToArray(docs, cJSON_DetachItemViaPointer(all, d));
    }
    cJSON_Delete(all);
    return docs;
}

int linked_accounts_add_lead(struct mock *m, const struct tenant *t, const char *la, const char *id, const cJSON *lead)
{
    return store_put(m->store, t->id, LEAD_KIND, id, la, lead) == 0 ? 0 : -1;
}

void linked_accounts_forget_leads(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, LEAD_KIND, la);
}

int linked_accounts_remove(struct mock *m, const struct tenant *t, const char *id)
{
    return store_del(m->store, t->id, KIND, id);
}

/* Opens the transaction and the linked account; NULL (rolled back) when it has no default-app
 * integration. */
static cJSON *default_app_begin(struct mock *m, const struct tenant *t, const char *la, cJSON **creds)
{
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, KIND, la);
    *creds = cJSON_GetObjectItemCaseSensitive(doc, DEFAULT_CREDS);
    if (cJSON_IsObject(*creds))
        return doc;
    cJSON_Delete(doc);
    store_rollback(m->store);
    return NULL;
}

static int default_app_commit(struct mock *m, const struct tenant *t, const char *la, cJSON *doc)
{
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(m->store, t->id, KIND, la, NULL, doc);
    cJSON_Delete(doc);
    if (rc) {
        store_rollback(m->store);
        return -1;
    }
    return store_commit(m->store) ? -1 : 0;
}

int linked_accounts_set_default_credential(struct mock *m, const struct tenant *t, const char *la, const char *key,
                                           const char *value, int *existed)
{
    cJSON *creds, *doc = default_app_begin(m, t, la, &creds);
    if (!doc)
        return 1;
    *existed = cJSON_HasObjectItem(creds, key);
    json_set(creds, key, cJSON_CreateString(value));
    return default_app_commit(m, t, la, doc);
}

int linked_accounts_delete_default_credential(struct mock *m, const struct tenant *t, const char *la, const char *key)
{
    cJSON *creds, *doc = default_app_begin(m, t, la, &creds);
    if (!doc)
        return 1;
    if (!cJSON_HasObjectItem(creds, key)) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return 2;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(creds, key);
    return default_app_commit(m, t, la, doc);
}

cJSON *linked_accounts_delete_integration(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                                          const char *auth_type)
{
    store_begin(m->store);
    cJSON *conn = connections_get(m, t, la, slug);
    if (conn && (!auth_type || !*auth_type || (json_str(conn, "auth_type") && !strcmp(json_str(conn, "auth_type"), auth_type))))
        connections_delete(m, t, la, slug);
    cJSON_Delete(conn);
    cJSON *doc = store_get(m->store, t->id, KIND, la);
    cJSON *out = doc ? linked_accounts_public(m, t, doc, 1) : NULL;
    cJSON_Delete(doc);
    if (store_commit(m->store) || !out) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

cJSON *linked_accounts_public(struct mock *m, const struct tenant *t, const cJSON *doc, int with_integrations)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(o, DEFAULT_CREDS);
    if (with_integrations) {
        cJSON *ints = cJSON_CreateArray(), *conns = connections_list(m, t, json_str(doc, "account_id")), *c;
        cJSON_ArrayForEach(c, conns)
            cJSON_AddItemToArray(ints, connections_public_integration(m, c));
        cJSON_Delete(conns);
        cJSON_AddItemToObject(o, "integrations", ints);
    }
    return o;
}
