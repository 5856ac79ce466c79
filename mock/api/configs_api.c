/* configs_api.c: the config routes (a linked account's installation of an app): get-or-create,
 * update, get, delete, toggle a workflow, list; the frontend SDK's config routes are rows of the
 * same handlers (routes.def). The model is engine/configs.c. */
#include "engine/configs.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "handlers.h"
#include "engine/linked_accounts.h"

#include <string.h>

/* ---- request level ---- */

/* Sends a config view; the disable_field_options header leaves option lists out. */
static int send_view(req *r, cJSON *view)
{
    const char *h = http_header(r, "disable_field_options");
    if (h && !strcmp(h, "true")) {
        cJSON *f, *w;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(view, "fields"))
            cJSON_DeleteItemFromObjectCaseSensitive(f, "options");
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(view, "workflows"))
            cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(w, "fields"))
                cJSON_DeleteItemFromObjectCaseSensitive(f, "options");
    }
    return http_json(r, 200, view);
}

/* slug, app and config_id of a body; 0, or the status it answered. */
static int body_target(req *r, const cJSON *body, const cJSON **app, const char **config_id)
{
    if (!cJSON_IsObject(body))
        return http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(body, "slug");
    if (!cJSON_IsString(s) || !*s->valuestring)
        return http_error(r, 400, "BAD_REQUEST", s ? "slug must be a non-empty string" : "slug is required");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "config_id");
    if (c && !cJSON_IsNull(c) && (!cJSON_IsString(c) || (*c->valuestring && !linked_accounts_valid_id(c->valuestring))))
        return http_error(r, 400, "BAD_REQUEST", "config_id must be a string of 1-%d characters without '/'", MOCK_ID_LEN - 1);
    *config_id = cJSON_IsString(c) && *c->valuestring ? c->valuestring : r->la;
    *app = fixtures_app(r->m->fx, s->valuestring);
    if (!*app)
        return http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", s->valuestring, r->t->org_id);
    return 0;
}

static int config_missing(req *r, const char *config_id)
{
    return http_error(r, 404, "SERVER_ERROR", "Config with config id %s not found", config_id && *config_id ? config_id : r->la);
}

/* The answer to a refused or failed operation. */
static int refused(req *r, enum configs_outcome rc, const char *config_id, const char *why)
{
    if (rc == CONFIGS_NO_CONFIG)
        return config_missing(r, config_id);
    if (rc == CONFIGS_BAD_INPUT)
        return http_error(r, 400, "BAD_REQUEST", "%s", why);
    return http_error(r, 500, "SERVER_ERROR", "could not store the config");
}

/* Get-or-create and update read the same body ({"slug", "config_id"?, "fields"?, "workflows"?,
 * "labels"?}) and answer the same view: only the engine's operation differs. */
typedef enum configs_outcome (*config_write)(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                             const char *config_id, const cJSON *body, cJSON **cfg, char *why,
                                             size_t why_len);

static int configs_api_write(req *r, config_write write)
{
    const cJSON *app = NULL;
    const char *config_id = NULL;
    if (body_target(r, r->body, &app, &config_id))
        return r->status;
    cJSON *cfg;
    char why[CONFIGS_WHY_LEN];
    enum configs_outcome rc = write(r->m, r->t, r->la, app, config_id, r->body, &cfg, why, sizeof why);
    if (rc != CONFIGS_OK)
        return refused(r, rc, config_id, why);
    cJSON *out = configs_view(r->m, r->t, r->la, app, cfg, config_id);
    cJSON_Delete(cfg);
    return send_view(r, out);
}

static const cJSON *path_app(req *r, const char *slug)
{
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app)
        http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", slug, r->t->org_id);
    return app;
}

static int configs_api_get(req *r, const char *slug, const char *config_id)
{
    const cJSON *app = path_app(r, slug);
    if (!app)
        return r->status;
    cJSON *cfg = configs_load(r->m, r->t, r->la, slug, config_id);
    if (!cfg)
        return config_missing(r, config_id);
    cJSON *out = configs_view(r->m, r->t, r->la, app, cfg, config_id);
    cJSON_Delete(cfg);
    return send_view(r, out);
}

static int configs_api_delete(req *r, const char *slug, const char *config_id)
{
    if (!path_app(r, slug))
        return r->status;
    int rc = configs_delete(r->m, r->t, r->la, slug, config_id);
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the config");
    if (rc)
        return config_missing(r, config_id);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Installation Deleted Success");
    return http_json(r, 200, out);
}

/* ---- handlers ---- */

/* The frontend SDK's config routes (/api/v2/f-sdk/...) are rows of these same handlers: the same
 * operations, the linked account taken from the session token. */

/* route: POST /api/v2/public/config */
/* route: POST /api/v2/f-sdk/config */
int h_get_or_create_config(req *r) { return configs_api_write(r, configs_get_or_create); }
/* route: PUT /api/v2/public/config */
/* route: PUT /api/v2/f-sdk/config */
int h_update_config(req *r) { return configs_api_write(r, configs_update); }
/* route: GET /api/v2/public/slug/{slug}/config (param[0] slug) */
/* route: GET /api/v2/f-sdk/slug/{slug}/config (param[0] slug) */
int h_get_config_default(req *r) { return configs_api_get(r, r->param[0], NULL); }
/* route: GET /api/v2/public/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
/* route: GET /api/v2/f-sdk/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
int h_get_config(req *r) { return configs_api_get(r, r->param[0], r->param[1]); }
/* route: DELETE /api/v2/public/slug/{slug}/config (param[0] slug) */
/* route: DELETE /api/v2/f-sdk/slug/{slug}/config (param[0] slug) */
int h_delete_config_default(req *r) { return configs_api_delete(r, r->param[0], NULL); }
/* route: DELETE /api/v2/public/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
/* route: DELETE /api/v2/f-sdk/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
int h_delete_config(req *r) { return configs_api_delete(r, r->param[0], r->param[1]); }

/* route: PATCH /api/v2/public/slug/{slug}/config/{configId}/workflows/{workflowId} (param[0] slug; param[1] configId; param[2] workflowId) */
int h_toggle_config_workflow(req *r)
{
    const char *slug = r->param[0], *config_id = r->param[1], *wid = r->param[2];
    const cJSON *app = path_app(r, slug);
    if (!app)
        return r->status;
    if (!http_need_object(r))
        return r->status;
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(r->body, "enabled");
    if (!cJSON_IsBool(en))
        return http_error(r, 400, "BAD_REQUEST", en ? "enabled must be true or false" : "enabled is required");
    cJSON *cfg, *defs;
    enum configs_outcome rc = configs_toggle_workflow(r->m, r->t, r->la, app, config_id, wid, cJSON_IsTrue(en), &cfg, &defs);
    if (rc == CONFIGS_NO_WORKFLOW)
        return http_error(r, 404, "SERVER_ERROR", "Workflow with id %s not found in config %s", wid, config_id);
    if (rc != CONFIGS_OK)
        return refused(r, rc, config_id, "");
    cJSON *out = cJSON_CreateObject(), *list = cJSON_CreateArray(), *d, *f;
    cJSON_ArrayForEach(d, defs) {
        cJSON *w = cJSON_CreateObject(), *slots = cJSON_CreateArray();
        cJSON_AddStringToObject(w, "id", json_str(d, "id"));
        cJSON_AddStringToObject(w, "name", json_str(d, "name"));
        cJSON_AddStringToObject(w, "description", json_str(d, "description"));
        cJSON_AddBoolToObject(w, "enabled", configs_workflow_enabled(cfg, d));
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "fields"))
            cJSON_AddItemToArray(slots, configs_field_view(f, cfg, json_str(d, "id")));
        cJSON_AddItemToObject(w, "data_slots", slots);
        cJSON_AddItemToArray(list, w);
    }
    cJSON_AddItemToObject(out, "workflows", list);
    cJSON_Delete(defs);
    cJSON_Delete(cfg);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/slug/{slug}/configs (param[0] slug) */
int h_list_configs(req *r)
{
    if (!path_app(r, r->param[0]))
        return r->status;
    cJSON *docs = configs_list(r->m, r->t, r->la, r->param[0]), *d;
    cJSON *out = cJSON_CreateArray();
    cJSON_ArrayForEach(d, docs) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "_id", json_str(d, "_id"));
        cJSON_AddStringToObject(o, "config_id", json_str(d, "config_id"));
        cJSON_AddItemToArray(out, o);
    }
    cJSON_Delete(docs);
    return http_json(r, 200, out);
}
