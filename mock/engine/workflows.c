/* workflows.c: private workflows: creating, drafts, publishing with versions, unpublishing, deleting, forgetting. */
#include "engine/workflows.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"

#include <string.h>

cJSON *workflows_start_node(const cJSON *trigger)
{
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "id", "1");
    cJSON_AddStringToObject(n, "type", "start");
    cJSON_AddStringToObject(n, "name", "Start");
    cJSON_AddItemToObject(n, "incoming_nodes", cJSON_CreateArray());
    cJSON_AddItemToObject(n, "outgoing_nodes", cJSON_CreateArray());
    if (trigger) {
        cJSON *data = cJSON_CreateObject();
        cJSON_AddItemToObject(data, "trigger", cJSON_Duplicate(trigger, 1));
        cJSON_AddItemToObject(n, "data", data);
    } else {
        cJSON_AddNullToObject(n, "data");
    }
    return n;
}

const cJSON *workflows_app_by_id(struct mock *m, const char *app_id)
{
    const cJSON *app;
    cJSON_ArrayForEach(app, m->fx->apps) {
        const char *id = json_str(app, "app_id");
        if (id && !strcmp(id, app_id))
            return app;
    }
    return NULL;
}

static void now_iso(struct mock *m, char at[32]) { util_iso8601(clock_now_ms(m), at); }

/* ---- create, read ---- */

int workflows_create(struct mock *m, const struct tenant *t, const char *la, const cJSON *b, const cJSON *app,
                     const cJSON *trigger, cJSON **out)
{
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(b, "nodes"), *edges = cJSON_GetObjectItemCaseSensitive(b, "edges"), *n;
    char id[25], at[32];
    util_new_id(id);
    now_iso(m, at);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "_id", id);
    cJSON_AddStringToObject(d, "name", json_str(b, "name"));
    cJSON_AddStringToObject(d, "description", json_str(b, "description") ? json_str(b, "description") : "");
    cJSON_AddStringToObject(d, "icon", json_str(b, "icon") ? json_str(b, "icon") : "");
    if (app)
        cJSON_AddStringToObject(d, "slug", json_str(app, "slug"));
    cJSON_AddStringToObject(d, "associated_application", app ? json_str(app, "app_id") : t->org_id);
    cJSON_AddStringToObject(d, "org_id", t->org_id);
    cJSON_AddStringToObject(d, "environment", t->environment);
    cJSON_AddStringToObject(d, "linked_account_id", la);
    cJSON_AddBoolToObject(d, "published", 0);
    cJSON_AddBoolToObject(d, "is_draft", 1);
    cJSON_AddNullToObject(d, "associated_workflow");
    cJSON_AddBoolToObject(d, "public_access_workflow", 1);
    cJSON_AddBoolToObject(d, "is_v2", 1);
    cJSON_AddBoolToObject(d, "enable_schema_validation", json_bool(b, "enable_schema_validation", 0));
    cJSON *nl = nodes && cJSON_GetArraySize(nodes) ? cJSON_Duplicate(nodes, 1) : cJSON_CreateArray();
    int has_start = 0;
    cJSON_ArrayForEach(n, nl)
        has_start |= json_str(n, "type") && !strcmp(json_str(n, "type"), "start");
    if (!has_start)
        json_insert(nl, 0, workflows_start_node(trigger));
    cJSON_AddItemToObject(d, "nodes", nl);
    cJSON_AddItemToObject(d, "edges", edges ? cJSON_Duplicate(edges, 1) : cJSON_CreateArray());
    static const char *const copied[] = {"data_slots", "settings", "json_schema", "manual_execution_payload", "run", NULL};
    for (int i = 0; copied[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, copied[i]);
        if (v)
            cJSON_AddItemToObject(d, copied[i], cJSON_Duplicate(v, 1));
    }
    if (trigger)
        cJSON_AddItemToObject(d, "trigger", cJSON_Duplicate(trigger, 1));
    cJSON_AddStringToObject(d, "createdAt", at);
    cJSON_AddStringToObject(d, "updatedAt", at);
    store_begin(m->store);
    if (store_put(m->store, t->id, WF_KIND, id, la, d)) {
        store_rollback(m->store);
        cJSON_Delete(d);
        return WORKFLOWS_STORE_ERROR;
    }
    if (store_commit(m->store)) {
        cJSON_Delete(d);
        return WORKFLOWS_STORE_ERROR;
    }
    *out = d;
    return WORKFLOWS_OK;
}

cJSON *workflows_get(struct mock *m, const struct tenant *t, const char *id)
{
    return store_get(m->store, t->id, WF_KIND, id);
}

cJSON *workflows_list(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    return store_list(m->store, t->id, WF_KIND, la, slug ? "slug" : NULL, slug, 0, 0, NULL);
}

/* la's private workflow id (draft or published), or NULL. */
static cJSON *own(struct mock *m, const struct tenant *t, const char *la, const char *id)
{
    cJSON *doc = la && la[0] ? store_get(m->store, t->id, WF_KIND, id) : NULL;
    const char *owner = json_str(doc, "linked_account_id");
    if (!doc || !owner || strcmp(owner, la)) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

int workflows_draft(struct mock *m, const struct tenant *t, const char *la, const char *wid, cJSON **out)
{
    cJSON *doc = own(m, t, la, wid);
    if (!doc)
        return WORKFLOWS_NOT_FOUND;
    if (json_bool(doc, "is_draft", 0)) {
        *out = doc;
        return WORKFLOWS_OK;
    }
    store_begin(m->store);
    const char *did = json_str(doc, "draft_id");
    cJSON *draft = did ? store_get(m->store, t->id, WF_KIND, did) : NULL;
    if (!draft) {
        char id[25], at[32];
        util_new_id(id);
        now_iso(m, at);
        draft = cJSON_Duplicate(doc, 1);
        json_set(draft, "_id", cJSON_CreateString(id));
        json_set(draft, "is_draft", cJSON_CreateTrue());
        json_set(draft, "published", cJSON_CreateFalse());
        json_set(draft, "associated_workflow", cJSON_CreateString(json_str(doc, "_id")));
        cJSON_DeleteItemFromObjectCaseSensitive(draft, "draft_id");
        cJSON_DeleteItemFromObjectCaseSensitive(draft, "current_version");
        cJSON_DeleteItemFromObjectCaseSensitive(draft, "version");
        json_set(draft, "createdAt", cJSON_CreateString(at));
        json_set(draft, "updatedAt", cJSON_CreateString(at));
        json_set(doc, "draft_id", cJSON_CreateString(id));
        store_put(m->store, t->id, WF_KIND, id, la, draft);
        store_put(m->store, t->id, WF_KIND, json_str(doc, "_id"), la, doc);
    }
    cJSON_Delete(doc);
    if (store_commit(m->store)) {
        cJSON_Delete(draft);
        return WORKFLOWS_STORE_ERROR;
    }
    *out = draft;
    return WORKFLOWS_OK;
}

/* ---- publish, versions, delete ---- */

static cJSON *versions_of(struct mock *m, const struct tenant *t, const char *la, const char *pid)
{
    return store_list(m->store, t->id, WF_VERSION_KIND, la, "workflow_id", pid, 0, 0, NULL);
}

int workflows_unpublish(struct mock *m, const struct tenant *t, const char *la, const char *id, cJSON **out)
{
    store_begin(m->store);
    cJSON *doc = own(m, t, la, id);
    if (!doc) {
        store_rollback(m->store);
        return WORKFLOWS_NOT_FOUND;
    }
    /* Only a public, published workflow can be unpublished; the doc is kept, marked unpublished. */
    if (json_bool(doc, "is_draft", 0) || !json_bool(doc, "published", 0)) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return WORKFLOWS_NOT_PUBLISHED;
    }
    char at[32];
    now_iso(m, at);
    json_set(doc, "published", cJSON_CreateFalse());
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    store_put(m->store, t->id, WF_KIND, id, la, doc);
    if (store_commit(m->store)) {
        cJSON_Delete(doc);
        return WORKFLOWS_STORE_ERROR;
    }
    *out = doc;
    return WORKFLOWS_OK;
}

/* The version record: the first takes the workflow's id (as Refold's first version does);
 * publishing as an existing version number replaces that version's snapshot. */
static void save_version(struct mock *m, const struct tenant *t, const char *la, const char *pid, int version,
                         const cJSON *published, const char *at)
{
    cJSON *vs = versions_of(m, t, la, pid), *v;
    char vid[25] = "";
    cJSON_ArrayForEach(v, vs)
        if ((int)json_num(v, "version", 0) == version)
            util_copy(vid, sizeof vid, json_str(v, "_id"));
    if (!*vid) {
        if (cJSON_GetArraySize(vs))
            util_new_id(vid);
        else
            util_copy(vid, sizeof vid, pid);
    }
    cJSON_Delete(vs);
    cJSON *vd = cJSON_CreateObject();
    cJSON_AddStringToObject(vd, "_id", vid);
    cJSON_AddNumberToObject(vd, "version", version);
    cJSON_AddStringToObject(vd, "workflow_id", pid);
    cJSON_AddStringToObject(vd, "createdAt", at);
    cJSON_AddItemToObject(vd, "snapshot", cJSON_Duplicate(published, 1));
    store_put(m->store, t->id, WF_VERSION_KIND, vid, la, vd);
    cJSON_Delete(vd);
}

/* Publishing snapshots the draft into the published workflow (created the first time, with an
 * id of its own) and records a version. Returns the published copy. */
static cJSON *publish_copy(struct mock *m, const struct tenant *t, const char *la, cJSON *doc, int ver, const char *at)
{
    /* The draft is the source; a published id stands for its draft. */
    cJSON *draft = NULL;
    if (json_bool(doc, "is_draft", 0))
        draft = cJSON_Duplicate(doc, 1);
    else if (json_str(doc, "draft_id"))
        draft = store_get(m->store, t->id, WF_KIND, json_str(doc, "draft_id"));
    if (!draft) { /* its draft was never opened: republish what is published */
        draft = cJSON_Duplicate(doc, 1);
        json_set(draft, "is_draft", cJSON_CreateTrue());
    }
    const char *pid_s = json_bool(doc, "is_draft", 0) ? json_str(doc, "associated_workflow") : json_str(doc, "_id");
    cJSON *prev = pid_s ? store_get(m->store, t->id, WF_KIND, pid_s) : NULL;
    char pid[25];
    if (prev)
        util_copy(pid, sizeof pid, json_str(prev, "_id"));
    else
        util_new_id(pid);
    int version = ver ? ver : prev ? (int)json_num(prev, "current_version", 0) + 1 : 1;

    cJSON *p = draft; /* the copy is the draft, relabelled */
    json_set(p, "_id", cJSON_CreateString(pid));
    json_set(p, "is_draft", cJSON_CreateFalse());
    json_set(p, "published", cJSON_CreateTrue());
    if (json_bool(doc, "is_draft", 0) || json_str(doc, "draft_id"))
        json_set(p, "draft_id", cJSON_CreateString(json_bool(doc, "is_draft", 0) ? json_str(doc, "_id") : json_str(doc, "draft_id")));
    cJSON_DeleteItemFromObjectCaseSensitive(p, "associated_workflow");
    json_set(p, "current_version", cJSON_CreateNumber(version));
    json_set(p, "version", cJSON_CreateNumber(version));
    json_set(p, "createdAt", cJSON_CreateString(prev && json_str(prev, "createdAt") ? json_str(prev, "createdAt") : at));
    json_set(p, "updatedAt", cJSON_CreateString(at));
    store_put(m->store, t->id, WF_KIND, pid, la, p);
    if (json_bool(doc, "is_draft", 0)) {
        json_set(doc, "associated_workflow", cJSON_CreateString(pid));
        json_set(doc, "updatedAt", cJSON_CreateString(at));
        store_put(m->store, t->id, WF_KIND, json_str(doc, "_id"), la, doc);
    }
    save_version(m, t, la, pid, version, p, at);
    cJSON_Delete(prev);
    return p;
}

int workflows_publish(struct mock *m, const struct tenant *t, const char *la, const char *id, int version, cJSON **out)
{
    store_begin(m->store);
    cJSON *doc = own(m, t, la, id);
    if (!doc) {
        store_rollback(m->store);
        return WORKFLOWS_NOT_FOUND;
    }
    char at[32];
    now_iso(m, at);
    cJSON *p = publish_copy(m, t, la, doc, version, at);
    cJSON_Delete(doc);
    if (store_commit(m->store)) {
        cJSON_Delete(p);
        return WORKFLOWS_STORE_ERROR;
    }
    *out = p;
    return WORKFLOWS_OK;
}

int workflows_versions(struct mock *m, const struct tenant *t, const char *la, const char *id, cJSON **out)
{
    cJSON *doc = own(m, t, la, id);
    if (!doc)
        return WORKFLOWS_NOT_FOUND;
    const char *pid = json_bool(doc, "is_draft", 0) ? json_str(doc, "associated_workflow") : json_str(doc, "_id");
    cJSON *vs = pid ? versions_of(m, t, la, pid) : cJSON_CreateArray();
    cJSON_Delete(doc);
    /* newest first: the highest version number (the first stored among equals) */
    cJSON *sorted = cJSON_CreateArray();
    for (int want = cJSON_GetArraySize(vs); want > 0; want--) {
        cJSON *best = NULL, *v;
        cJSON_ArrayForEach(v, vs)
            if (!json_bool(v, "taken", 0) && (!best || json_num(v, "version", 0) > json_num(best, "version", 0)))
                best = v;
        if (!best)
            break;
        json_set(best, "taken", cJSON_CreateTrue());
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "version", json_num(best, "version", 0));
        cJSON_AddStringToObject(o, "_id", json_str(best, "_id"));
        cJSON_AddStringToObject(o, "createdAt", json_str(best, "createdAt"));
        cJSON_AddItemToArray(sorted, o);
    }
    cJSON_Delete(vs);
    *out = sorted;
    return WORKFLOWS_OK;
}

int workflows_delete(struct mock *m, const struct tenant *t, const char *la, const char *id)
{
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, WF_KIND, id);
    if (!doc) {
        cJSON *v = store_get(m->store, t->id, WF_VERSION_KIND, id);
        const char *owner = json_str(cJSON_GetObjectItemCaseSensitive(v, "snapshot"), "linked_account_id");
        int mine = v && owner && !strcmp(owner, la);
        cJSON_Delete(v);
        store_rollback(m->store);
        return mine ? WORKFLOWS_IS_VERSION : WORKFLOWS_NOT_FOUND;
    }
    const char *owner = json_str(doc, "linked_account_id");
    if (!owner || strcmp(owner, la)) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return WORKFLOWS_NOT_OWNER;
    }
    int draft = json_bool(doc, "is_draft", 0);
    const char *pid = draft ? json_str(doc, "associated_workflow") : json_str(doc, "_id");
    const char *did = draft ? json_str(doc, "_id") : json_str(doc, "draft_id");
    if (pid) {
        cJSON *vs = versions_of(m, t, la, pid), *v;
        cJSON_ArrayForEach(v, vs)
            store_del(m->store, t->id, WF_VERSION_KIND, json_str(v, "_id"));
        cJSON_Delete(vs);
        store_del(m->store, t->id, WF_KIND, pid);
    }
    if (did)
        store_del(m->store, t->id, WF_KIND, did);
    cJSON_Delete(doc);
    return store_commit(m->store) ? WORKFLOWS_STORE_ERROR : WORKFLOWS_OK;
}

void workflows_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    store_del_children(m->store, t->id, WF_KIND, la);
    store_del_children(m->store, t->id, WF_VERSION_KIND, la);
    store_commit(m->store);
}
