/* actions.c: an app's actions: list, parameter schema, and the execute route (which runs them
 * with actions_run.c, the code a workflow's app steps use too). */
#include "engine/actions_run.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

/* The app, or NULL after answering the documented 404. */
static const cJSON *need_app(req *r)
{
    const cJSON *app = fixtures_app(r->m->fx, r->param[0]);
    if (!app)
        http_error(r, 404, "SERVER_ERROR", "Application app_type '%s' not found", r->param[0]);
    return app;
}

static const cJSON *need_action(req *r, const cJSON *app)
{
    const cJSON *a = actions_run_find(app, r->param[1]);
    if (!a)
        http_error(r, 404, "SERVER_ERROR", "Action %s not found in Application %s", r->param[1], r->param[0]);
    return a;
}

/* route: GET /api/v2/integration-schema/{slug}/actions (param[0] slug) */
int h_list_actions(req *r)
{
    const cJSON *app = need_app(r), *a;
    if (!app)
        return r->status;
    cJSON *out = cJSON_CreateArray();
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(app, "actions")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", json_str(a, "name"));
        cJSON_AddStringToObject(o, "action_id", json_str(a, "action_id"));
        cJSON_AddStringToObject(o, "description", json_str(a, "description") ? json_str(a, "description") : "");
        cJSON_AddStringToObject(o, "tag", json_str(a, "tag") ? json_str(a, "tag") : "v2");
        cJSON_AddItemToArray(out, o);
    }
    return http_json(r, 200, out);
}

/* route: GET /api/v2/integration-schema/{slug}/actions/{action_id} (param[0] slug; param[1] action_id) */
int h_get_action_schema(req *r)
{
    const cJSON *app = need_app(r);
    const cJSON *a = app ? need_action(r, app) : NULL;
    if (!a)
        return r->status;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(a, "parameters");
    return http_json(r, 200, params ? cJSON_Duplicate(params, 1) : cJSON_CreateArray());
}

/* route: POST /api/v2/integration-schema/{slug}/actions/{action_id}/execute (param[0] slug; param[1] action_id) */
/* POST /api/v2/integration-schema/{slug}/actions/{action_id}/execute: param[0] slug, param[1]
 * the action; the body is the action's parameters. */
int h_execute_action(req *r)
{
    const cJSON *app = need_app(r);
    const cJSON *action = app ? need_action(r, app) : NULL;
    if (!action)
        return r->status;
    if (r->body && !cJSON_IsObject(r->body))
        return http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object of the action's parameters");
    cJSON *empty = r->body ? NULL : cJSON_CreateObject();
    struct actions_run_result res;
    actions_run(r->m, r->t, r->la, app, action, r->body ? r->body : empty, &res);
    cJSON_Delete(empty);
    if (res.body)
        return http_json(r, res.status, res.body);
    return http_error(r, res.status, res.error_code, "%s", res.message);
}
