/* workflow_defs.c: resolving workflow ids to public (fixture) or private (stored) workflows. */
#include "engine/workflow_defs.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/util.h"
#include "engine/workflows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *node(const char *id, const char *type, const char *name, const char *slug)
{
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "id", id);
    cJSON_AddStringToObject(n, "type", type);
    cJSON_AddStringToObject(n, "name", name);
    cJSON *data = cJSON_CreateObject();
    if (slug)
        cJSON_AddStringToObject(data, "slug", slug);
    cJSON_AddItemToObject(n, "data", data);
    return n;
}

/* A fixture workflow has no drawn graph: start -> (human task) -> the app step, chained. */
static void synth_graph(cJSON *doc, const cJSON *fw, const char *slug)
{
    cJSON *nodes = cJSON_CreateArray(), *edges = cJSON_CreateArray();
    cJSON_AddItemToArray(nodes, workflows_start_node(cJSON_GetObjectItemCaseSensitive(fw, "trigger")));
    const cJSON *run = cJSON_GetObjectItemCaseSensitive(fw, "run");
    const cJSON *ht = cJSON_GetObjectItemCaseSensitive(run, "human_task");
    int next = 2;
    char id[8], prev[8] = "1";
    if (ht) {
        snprintf(id, sizeof id, "%d", next++);
        cJSON_AddItemToArray(nodes, node(id, "human_task", json_str(ht, "name") ? json_str(ht, "name") : "Human task", NULL));
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "source", prev);
        cJSON_AddStringToObject(e, "target", id);
        cJSON_AddItemToArray(edges, e);
        memcpy(prev, id, sizeof prev);
    }
    snprintf(id, sizeof id, "%d", next);
    cJSON_AddItemToArray(nodes, node(id, "action", json_str(fw, "name"), slug));
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "source", prev);
    cJSON_AddStringToObject(e, "target", id);
    cJSON_AddItemToArray(edges, e);
    cJSON_AddItemToObject(doc, "nodes", nodes);
    cJSON_AddItemToObject(doc, "edges", edges);
}

cJSON *workflow_defs_public_view(const struct tenant *t, const cJSON *app, const cJSON *fw)
{
    const char *slug = json_str(app, "slug");
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "_id", json_str(fw, "id"));
    cJSON_AddStringToObject(d, "name", json_str(fw, "name"));
    cJSON_AddStringToObject(d, "description", json_str(fw, "description") ? json_str(fw, "description") : "");
    cJSON_AddStringToObject(d, "icon", json_str(fw, "icon") ? json_str(fw, "icon") : "");
    cJSON_AddStringToObject(d, "slug", slug);
    cJSON_AddStringToObject(d, "org_id", t->org_id);
    cJSON_AddStringToObject(d, "environment", t->environment);
    cJSON_AddBoolToObject(d, "published", 1);
    cJSON_AddBoolToObject(d, "public_access_workflow", 0);
    cJSON_AddBoolToObject(d, "autoEnable", json_bool(fw, "enabled", 0));
    cJSON_AddStringToObject(d, "associated_application", json_str(app, "app_id") ? json_str(app, "app_id") : "");
    cJSON_AddBoolToObject(d, "is_v2", 1);
    cJSON_AddNumberToObject(d, "version", 1);
    cJSON_AddNumberToObject(d, "current_version", 1);
    synth_graph(d, fw, slug);
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(fw, "fields");
    cJSON_AddItemToObject(d, "data_slots", fields ? cJSON_Duplicate(fields, 1) : cJSON_CreateArray());
    static const char *const copied[] = {"trigger", "json_schema", "manual_execution_payload", "run", "createdAt", "updatedAt", NULL};
    for (int i = 0; copied[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(fw, copied[i]);
        if (v)
            cJSON_AddItemToObject(d, copied[i], cJSON_Duplicate(v, 1));
    }
    /* A fixture without its own dates was created when its id says: a 24-hex id starts with the
     * seconds it was made at, as Refold's (MongoDB) ids do. */
    const char *id = json_str(fw, "id");
    if (!cJSON_HasObjectItem(d, "createdAt") && id && strlen(id) == 24 && strspn(id, "0123456789abcdef") == 24) {
        char at[32], secs[9];
        memcpy(secs, id, 8);
        secs[8] = 0;
        util_iso8601((long long)strtoul(secs, NULL, 16) * 1000, at);
        cJSON_AddStringToObject(d, "createdAt", at);
        if (!cJSON_HasObjectItem(d, "updatedAt"))
            cJSON_AddStringToObject(d, "updatedAt", at);
    }
    return d;
}

static const cJSON *app_workflows(const cJSON *app)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "config"), "workflows");
}

cJSON *workflow_defs_public_list(struct mock *m, const struct tenant *t, const char *slug)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *app, *fw;
    cJSON_ArrayForEach(app, m->fx->apps) {
        if (slug && strcmp(slug, json_str(app, "slug")))
            continue;
        cJSON_ArrayForEach(fw, app_workflows(app))
            cJSON_AddItemToArray(out, workflow_defs_public_view(t, app, fw));
    }
    return out;
}

int workflow_defs_find(struct mock *m, const struct tenant *t, const char *id, struct wf *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *app, *fw;
    cJSON_ArrayForEach(app, m->fx->apps) {
        cJSON_ArrayForEach(fw, app_workflows(app)) {
            const char *fid = json_str(fw, "id");
            if (fid && !strcmp(fid, id)) {
                out->doc = workflow_defs_public_view(t, app, fw);
                out->app = app;
                return 0;
            }
        }
    }
    cJSON *doc = workflows_get(m, t, id);
    if (!doc)
        return -1;
    out->doc = doc;
    out->is_private = 1;
    const char *slug = json_str(doc, "slug");
    out->app = slug ? fixtures_app(m->fx, slug) : NULL;
    return 0;
}

void workflow_defs_free(struct wf *w)
{
    cJSON_Delete(w->doc);
    w->doc = NULL;
}

const char *workflow_defs_event(const cJSON *doc)
{
    return json_str(cJSON_GetObjectItemCaseSensitive(doc, "trigger"), "event");
}

const cJSON *workflow_defs_run(const cJSON *doc)
{
    const cJSON *run = cJSON_GetObjectItemCaseSensitive(doc, "run");
    return cJSON_IsObject(run) ? run : NULL;
}

const char *workflow_defs_slug(const cJSON *doc)
{
    const char *s = json_str(doc, "slug");
    return s && *s ? s : NULL;
}

cJSON *workflow_defs_app_summary(const struct tenant *t, const cJSON *app)
{
    cJSON *o = cJSON_CreateObject();
    if (app) {
        cJSON_AddStringToObject(o, "_id", json_str(app, "app_id") ? json_str(app, "app_id") : "");
        cJSON_AddStringToObject(o, "name", json_str(app, "name"));
        cJSON_AddStringToObject(o, "icon", json_str(app, "icon") ? json_str(app, "icon") : "");
        cJSON_AddStringToObject(o, "description", json_str(app, "description") ? json_str(app, "description") : "");
    } else {
        /* The org's default custom application: the mock gives it the org's id. */
        char name[96];
        snprintf(name, sizeof name, "%s", t->org_name);
        cJSON_AddStringToObject(o, "_id", t->org_id);
        cJSON_AddStringToObject(o, "name", name);
        cJSON_AddStringToObject(o, "icon", "");
        cJSON_AddStringToObject(o, "description", "Default custom application");
    }
    return o;
}
