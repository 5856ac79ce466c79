/* mcp_servers.c: MCP servers of an org environment: create, list (newest first), get, patch, delete;
 * a session token reaches its own linked account's servers only. */
#include "http.h"
#include "json.h"
#include "clock.h"
#include "store.h"
#include "util.h"
#include "handlers.h"

#include <string.h>

#define KIND "mcp_server"

/* Refold asks for a linked account on every MCP route when the caller uses the API key (a
 * session token names its own), and answers its absence with this 404. */
static int need_la(req *r)
{
    if (r->la[0])
        return 1;
    http_error(r, 404, "MISSING_REQUIRED_FIELD", "Linked account id is required with API Key, for this resource");
    return 0;
}

static int not_found(req *r)
{
    /* mcp-servers/get-mcp-server.mdx, ```json 404: SERVER_ERROR "MCPEntry not found" */
    return http_error_hint(r, 404, "SERVER_ERROR", "MCPEntry not found", "no MCP server %s", r->param[0]);
}

/* A server is stored under the linked account it was made for. The product's key reaches every
 * server of its tenant; a session token (a customer's browser) only its own linked account's.
 * The owner goes into owner; 0 when the caller may not reach server id (answered as unknown). */
static int reachable(req *r, const char *id, char owner[MOCK_ID_LEN])
{
    if (!store_parent(r->m->store, r->t->id, KIND, id, owner, MOCK_ID_LEN))
        return 0;
    return !r->via_token || !strcmp(owner, r->la);
}

/* route: GET /api/v2/public/mcp-servers */
int h_list_mcp_servers(req *r)
{
    long page, limit;
    if (!need_la(r) || http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    int total = 0;
    /* newest first, only the page read (store_query); a session token sees its own account's */
    cJSON *docs = store_query(r->m->store, r->t->id, KIND, r->via_token ? r->la : NULL, NULL, 0, 1, (int)((page - 1) * limit), (int)limit, &total);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/mcp-servers */
int h_create_mcp_server(req *r)
{
    if (!need_la(r) || !http_need_object(r))
        return r->status;
    const char *name = json_str(r->body, "name"), *desc = json_str(r->body, "description");
    if (!name || !*name || !desc)
        return http_error_hint(r, 400, "SERVER_ERROR", "name and description are required", "both strings");
    char id[25], at[32];
    util_new_id(id);
    util_iso8601(clock_now_ms(r->m), at);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "description", desc);
    cJSON_AddStringToObject(doc, "associated_org_id", r->t->org_id);
    cJSON_AddStringToObject(doc, "environment", r->t->environment);
    cJSON_AddBoolToObject(doc, "safe_mode", 0);
    cJSON_AddItemToObject(doc, "associated_apps", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "chains", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "suggestions", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "notebooks", cJSON_CreateArray());
    cJSON_AddStringToObject(doc, "createdAt", at);
    cJSON_AddStringToObject(doc, "updatedAt", at);
    store_begin(r->m->store);
    int rc = store_put(r->m->store, r->t->id, KIND, id, r->la, doc);
    cJSON_Delete(doc);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        return http_error(r, 500, "SERVER_ERROR", "could not store the MCP server");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "_id", id);
    cJSON_AddStringToObject(out, "name", name);
    cJSON_AddStringToObject(out, "description", desc);
    return http_json(r, 201, out);
}

/* route: GET /api/v2/public/mcp-servers/{mcp_server_id} (param[0] mcp_server_id) */
int h_get_mcp_server(req *r)
{
    char owner[MOCK_ID_LEN];
    if (!need_la(r))
        return r->status;
    cJSON *doc = reachable(r, r->param[0], owner) ? store_get(r->m->store, r->t->id, KIND, r->param[0]) : NULL;
    return doc ? http_json(r, 200, doc) : not_found(r);
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

static int check_items(req *r, const char *field, const cJSON *arr)
{
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, arr) {
        if (!cJSON_IsObject(e))
            return http_error(r, 400, "BAD_REQUEST", "%s[%d] must be an object", field, i);
        if (!strcmp(field, "associated_apps")) {
            const cJSON *slug = cJSON_GetObjectItemCaseSensitive(e, "slug");
            if (!cJSON_IsString(slug) || !*slug->valuestring)
                return http_error(r, 400, "BAD_REQUEST", "associated_apps[%d].slug must be a non-empty string", i);
            static const char *const lists[] = {"workflows", "actions"};
            for (int k = 0; k < 2; k++) {
                const cJSON *l = cJSON_GetObjectItemCaseSensitive(e, lists[k]), *x;
                if (l && !cJSON_IsArray(l))
                    return http_error(r, 400, "BAD_REQUEST", "associated_apps[%d].%s must be an array of strings", i, lists[k]);
                cJSON_ArrayForEach(x, l) if (!cJSON_IsString(x))
                    return http_error(r, 400, "BAD_REQUEST", "associated_apps[%d].%s must be an array of strings", i, lists[k]);
            }
        }
        if (!strcmp(field, "skills")) {
            static const char *const strs[] = {"name", "description", "content", "category", "skill_id"};
            for (int k = 0; k < 5; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, strs[k]);
                if ((v || k == 0 || k == 2) && !cJSON_IsString(v))
                    return http_error(r, 400, "BAD_REQUEST", "skills[%d].%s must be a string%s", i, strs[k], k == 0 || k == 2 ? " (required)" : "");
            }
            const cJSON *apps = cJSON_GetObjectItemCaseSensitive(e, "apps"), *en = cJSON_GetObjectItemCaseSensitive(e, "is_enabled");
            if ((apps && !json_is_string_array(apps)) || (en && !cJSON_IsBool(en)))
                return http_error(r, 400, "BAD_REQUEST", "skills[%d]: apps must be an array of strings and is_enabled a boolean", i);
        }
        if (!strcmp(field, "suggestions")) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name"), *p = cJSON_GetObjectItemCaseSensitive(e, "prompt");
            if ((n && !cJSON_IsString(n)) || (p && !cJSON_IsString(p)))
                return http_error(r, 400, "BAD_REQUEST", "suggestions[%d] takes string name and prompt", i);
        }
        i++;
    }
    return 0;
}

/* route: PUT /api/v2/public/mcp-servers/{mcp_server_id} (param[0] mcp_server_id) */
int h_update_mcp_server(req *r)
{
    if (!need_la(r) || !http_need_object(r))
        return r->status;
    for (size_t i = 0; i < sizeof patchable / sizeof *patchable; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, patchable[i].name);
        if (v && !(v->type & patchable[i].type))
            return http_error(r, 400, "BAD_REQUEST", "%s has the wrong type", patchable[i].name);
        if (v && cJSON_IsArray(v) && check_items(r, patchable[i].name, v))
            return r->status;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(r->body, "name");
    if (name && !*name->valuestring)
        return http_error(r, 400, "BAD_REQUEST", "name must not be empty");
    char owner[MOCK_ID_LEN];
    store_begin(r->m->store);
    cJSON *doc = reachable(r, r->param[0], owner) ? store_get(r->m->store, r->t->id, KIND, r->param[0]) : NULL;
    if (!doc) {
        store_rollback(r->m->store);
        return not_found(r);
    }
    for (size_t i = 0; i < sizeof patchable / sizeof *patchable; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, patchable[i].name);
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
    util_iso8601(clock_now_ms(r->m), at);
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(r->m->store, r->t->id, KIND, r->param[0], owner, doc); /* (the owner stays) */
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        cJSON_Delete(doc);
        return http_error(r, 500, "SERVER_ERROR", "could not update the MCP server");
    }
    return http_json(r, 200, doc);
}

/* route: DELETE /api/v2/public/mcp-servers/{mcp_server_id} (param[0] mcp_server_id) */
int h_delete_mcp_server(req *r)
{
    if (!need_la(r))
        return r->status;
    char owner[MOCK_ID_LEN];
    store_begin(r->m->store);
    if (!reachable(r, r->param[0], owner) || !store_del(r->m->store, r->t->id, KIND, r->param[0])) {
        store_rollback(r->m->store);
        return not_found(r);
    }
    if (store_commit(r->m->store) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the MCP server");
    return http_send(r, 204, "application/json; charset=utf-8", "", 0);
}
