/* mcp_servers.c: the MCP server model: create, list (newest first), read, patch, delete, the
 * endpoint's cached reads, and a deleted linked account's servers. */
#include "engine/mcp_servers.h"
#include "engine/clock.h"
#include "base/doc_cache.h"
#include "base/json.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define KIND "mcp_server" /* parent: the linked account it was created for ("" in old --db files) */

/* Whether server id is within reach (see the header); its owner into owner. */
static int reachable(struct mock *m, const struct tenant *t, const char *id, const char *only_la, char owner[MOCK_ID_LEN])
{
    if (!store_parent(m->store, t->id, KIND, id, owner, MOCK_ID_LEN))
        return 0;
    return !only_la || !strcmp(owner, only_la);
}

cJSON *mcp_servers_list(struct mock *m, const struct tenant *t, const char *only_la, int offset, int limit, int *total)
{
    /* only the page is read (store_query) */
    return store_query(m->store, t->id, KIND, only_la, NULL, 0, 1, offset, limit, total);
}

int mcp_servers_create(struct mock *m, const struct tenant *t, const char *la, const char *name, const char *description,
                       char id[25])
{
    char at[32];
    util_new_id(id);
    util_iso8601(clock_now_ms(m), at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "description", description);
    cJSON_AddStringToObject(doc, "associated_org_id", t->org_id);
    cJSON_AddStringToObject(doc, "environment", t->environment);
    cJSON_AddBoolToObject(doc, "safe_mode", 0);
    cJSON_AddItemToObject(doc, "associated_apps", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "chains", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "suggestions", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "notebooks", cJSON_CreateArray());
    cJSON_AddStringToObject(doc, "createdAt", at);
    cJSON_AddStringToObject(doc, "updatedAt", at);
    store_begin(m->store);
    int rc = store_put(m->store, t->id, KIND, id, la, doc);
    cJSON_Delete(doc);
    if (rc != 0 || store_commit(m->store) != 0) {
        if (rc != 0)
            store_rollback(m->store);
        return -1;
    }
    return 0;
}

cJSON *mcp_servers_get(struct mock *m, const struct tenant *t, const char *id, const char *only_la)
{
    char owner[MOCK_ID_LEN];
    return reachable(m, t, id, only_la, owner) ? store_get(m->store, t->id, KIND, id) : NULL;
}

/* The fields a patch may write and the JSON type each must have. */
static const struct {
    const char *name;
    int type;
} patchable[] = {
    {"name", cJSON_String}, {"description", cJSON_String}, {"agent_name", cJSON_String},
    {"primary_color", cJSON_String}, {"secondary_color", cJSON_String}, {"base_prompt", cJSON_String},
    {"safe_mode", cJSON_True | cJSON_False}, {"associated_apps", cJSON_Array}, {"suggestions", cJSON_Array},
    {"chains", cJSON_Array},
    /* mock extensions (the dashboard's toggles and Skills tab, which the public API lacks) */
    {"agent_mode", cJSON_True | cJSON_False}, {"retrieve_skill", cJSON_True | cJSON_False},
    {"is_enabled", cJSON_True | cJSON_False}, {"skills", cJSON_Array},
};

/* The items of list field arr: 0, or -1 with the reason in err. */
static int check_items(const char *field, const cJSON *arr, char *err, size_t n)
{
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, arr) {
        if (!cJSON_IsObject(e))
            return snprintf(err, n, "%s[%d] must be an object", field, i), -1;
        if (!strcmp(field, "associated_apps")) {
            const cJSON *slug = cJSON_GetObjectItemCaseSensitive(e, "slug");
            if (!cJSON_IsString(slug) || !*slug->valuestring)
                return snprintf(err, n, "associated_apps[%d].slug must be a non-empty string", i), -1;
            static const char *const lists[] = {"workflows", "actions"};
            for (int k = 0; k < 2; k++) {
                const cJSON *l = cJSON_GetObjectItemCaseSensitive(e, lists[k]), *x;
                if (l && !cJSON_IsArray(l))
                    return snprintf(err, n, "associated_apps[%d].%s must be an array of strings", i, lists[k]), -1;
                cJSON_ArrayForEach(x, l) if (!cJSON_IsString(x))
                    return snprintf(err, n, "associated_apps[%d].%s must be an array of strings", i, lists[k]), -1;
            }
        }
        if (!strcmp(field, "skills")) {
            static const char *const strs[] = {"name", "description", "content", "category", "skill_id"};
            for (int k = 0; k < 5; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, strs[k]);
                if ((v || k == 0 || k == 2) && !cJSON_IsString(v))
                    return snprintf(err, n, "skills[%d].%s must be a string%s", i, strs[k], k == 0 || k == 2 ? " (required)" : ""), -1;
            }
            const cJSON *apps = cJSON_GetObjectItemCaseSensitive(e, "apps"), *en = cJSON_GetObjectItemCaseSensitive(e, "is_enabled");
            if ((apps && !json_is_string_array(apps)) || (en && !cJSON_IsBool(en)))
                return snprintf(err, n, "skills[%d]: apps must be an array of strings and is_enabled a boolean", i), -1;
        }
        if (!strcmp(field, "suggestions")) {
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name"), *p = cJSON_GetObjectItemCaseSensitive(e, "prompt");
            if ((nm && !cJSON_IsString(nm)) || (p && !cJSON_IsString(p)))
                return snprintf(err, n, "suggestions[%d] takes string name and prompt", i), -1;
        }
        i++;
    }
    return 0;
}

int mcp_servers_check_patch(const cJSON *body, char *err, size_t n)
{
    for (size_t i = 0; i < sizeof patchable / sizeof *patchable; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, patchable[i].name);
        if (v && !(v->type & patchable[i].type))
            return snprintf(err, n, "%s has the wrong type", patchable[i].name), -1;
        if (v && cJSON_IsArray(v) && check_items(patchable[i].name, v, err, n))
            return -1;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, "name");
    if (name && !*name->valuestring)
        return snprintf(err, n, "name must not be empty"), -1;
    return 0;
}

int mcp_servers_update(struct mock *m, const struct tenant *t, const char *id, const char *only_la, const cJSON *body,
                       cJSON **out)
{
    char owner[MOCK_ID_LEN];
    *out = NULL;
    store_begin(m->store);
    cJSON *doc = reachable(m, t, id, only_la, owner) ? store_get(m->store, t->id, KIND, id) : NULL;
    if (!doc) {
        store_rollback(m->store);
        return 1;
    }
    for (size_t i = 0; i < sizeof patchable / sizeof *patchable; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, patchable[i].name);
        if (v)
            json_set(doc, patchable[i].name, cJSON_Duplicate(v, 1));
    }
    /* Each skill gets an id to load it by (LOAD_SKILL's skill_id), kept when given. */
    cJSON *sk;
    cJSON_ArrayForEach(sk, cJSON_GetObjectItemCaseSensitive(doc, "skills")) if (!json_str(sk, "skill_id")) {
        char sid[25];
        util_new_id(sid);
        cJSON_AddStringToObject(sk, "skill_id", sid);
    }
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(m->store, t->id, KIND, id, owner, doc); /* (the owner stays) */
    if (rc != 0 || store_commit(m->store) != 0) {
        if (rc != 0)
            store_rollback(m->store);
        cJSON_Delete(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

int mcp_servers_delete(struct mock *m, const struct tenant *t, const char *id, const char *only_la)
{
    char owner[MOCK_ID_LEN];
    store_begin(m->store);
    if (!reachable(m, t, id, only_la, owner) || !store_del(m->store, t->id, KIND, id)) {
        store_rollback(m->store);
        return 1;
    }
    return store_commit(m->store) != 0 ? -1 : 0;
}

int mcp_servers_elsewhere(struct mock *m, const struct tenant *t, const char *id)
{
    const struct tenant *x;
    for (int i = 0; (x = tenants_at(m, i)); i++)
        if (x != t && store_exists(m->store, x->id, KIND, id))
            return 1;
    return 0;
}

/* The server document, read through the cache: every tool call needs it, and it only changes
 * with a write to the store (a PUT to the server, a reset), which moves the generation. */
struct server_at {
    struct mock *m;
    const struct tenant *t;
    const char *id;
};

static cJSON *load_server(void *ctx)
{
    struct server_at *at = ctx;
    return store_get(at->m->store, at->t->id, KIND, at->id);
}

struct doc_ref *mcp_servers_doc(struct mock *m, const struct tenant *t, const char *id)
{
    char key[MOCK_ID_LEN + 128];
    snprintf(key, sizeof key, KIND "\n%s\n%s", t->id, id);
    struct server_at at = {m, t, id};
    return doc_cache_through(m->docs, m->store, key, load_server, &at);
}

/* The console's URL /mcp/v1/{token} names no server: it serves the first enabled MCP server
 * created in the org environment (mock/api/README.md, "The MCP endpoint", says why). Read
 * through the cache like a named server: any write to the store (a server created, disabled or
 * deleted) moves the generation. */
static cJSON *load_default_server(void *ctx)
{
    struct server_at *at = ctx;
    cJSON *all = store_list(at->m->store, at->t->id, KIND, NULL, NULL, NULL, 0, 0, NULL), *d, *found = NULL;
    cJSON_ArrayForEach(d, all) { /* (insertion order: the oldest first) */
        if (json_bool(d, "is_enabled", 1) && json_str(d, "_id")) {
            found = cJSON_Duplicate(d, 1);
            break;
        }
    }
    cJSON_Delete(all);
    return found;
}

struct doc_ref *mcp_servers_default_doc(struct mock *m, const struct tenant *t)
{
    char key[128];
    snprintf(key, sizeof key, "mcp_default_server\n%s", t->id);
    struct server_at at = {m, t, NULL};
    return doc_cache_through(m->docs, m->store, key, load_default_server, &at);
}

void mcp_servers_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    if (*la) /* ("" would be the servers of no account, which a linked account never is) */
        store_del_children(m->store, t->id, KIND, la);
}
