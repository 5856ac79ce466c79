/* sdk.c: the routes the frontend SDK (@cobaltio/cobalt-js) calls with a session token. They
 * share state and code with the public API: an app connected here is connected there. */
#include "api/applications.h"
#include "json.h"
#include "api/configs.h"
#include "api/hosted.h"
#include "fixtures.h"
#include "http.h"
#include "store.h"
#include "util.h"
#include "handlers.h"

#include <string.h>

/* The SDK tests `app.connected === true`: the app view says false outright (applications.c). */
static cJSON *sdk_app(req *r, const cJSON *app)
{
    return applications_view(r->m, r->t, r->la, app);
}

/* route: GET /api/v3/org/basics */
int h_sdk_org_basics(req *r)
{
    cJSON *la = store_get(r->m->store, r->t->id, "linked_account", r->la);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "_id", r->t->org_id);
    cJSON_AddStringToObject(o, "name", r->t->org_name);
    cJSON_AddStringToObject(o, "environment", r->t->environment);
    cJSON *customer = cJSON_CreateObject();
    cJSON_AddStringToObject(customer, "linked_account_id", r->la);
    const char *name = json_str(la, "name");
    if (name)
        cJSON_AddStringToObject(customer, "name", name);
    else
        cJSON_AddNullToObject(customer, "name");
    cJSON_AddItemToObject(o, "customer", customer);
    cJSON_Delete(la);
    return http_json(r, 200, o);
}

/* route: GET /api/v2/f-sdk/application */
int h_sdk_list_apps(req *r)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *app;
    cJSON_ArrayForEach(app, r->m->fx->apps)
        if (applications_matches_query(r, app))
            cJSON_AddItemToArray(out, sdk_app(r, app));
    return http_json(r, 200, out);
}

/* route: GET /api/v2/f-sdk/application/{slug} (param[0] slug) */
int h_sdk_get_app(req *r)
{
    const cJSON *app = fixtures_app(r->m->fx, r->param[0]);
    if (!app)
        return http_error(r, 404, "NOT_FOUND", "Application %s not found", r->param[0]);
    return http_json(r, 200, sdk_app(r, app));
}

/* route: GET /api/v1/{slug}/integrate (param[0] slug) */
int h_sdk_integrate(req *r) { return hosted_send_oauth_url(r, r->param[0]); }

/* route: POST /api/v2/app/{slug}/save (param[0] slug) */
/* The SDK's key-based connect and its disconnect are the public API's own handlers: the same
 * checks, the same errors, the same webhooks. */
int h_sdk_save(req *r) { return h_save_key_credentials(r); }

/* route: DELETE /api/v1/linked-acc/integration/{slug} (param[0] slug) */
int h_sdk_disconnect(req *r) { return h_delete_integration(r); }

/* route: POST /api/v2/f-sdk/config */
/* Config routes: the same operations as /api/v2/public/config (configs.c). */
int h_sdk_config(req *r) { return configs_reply_get_or_create(r, r->body); }
/* route: PUT /api/v2/f-sdk/config */
int h_sdk_update_config(req *r) { return configs_reply_update(r, r->body); }
/* route: GET /api/v2/f-sdk/slug/{slug}/config (param[0] slug) */
/* route: GET /api/v2/f-sdk/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
int h_sdk_get_config(req *r) { return configs_reply_get(r, r->param[0], r->nparams > 1 ? r->param[1] : NULL); }
/* route: DELETE /api/v2/f-sdk/slug/{slug}/config (param[0] slug) */
/* route: DELETE /api/v2/f-sdk/slug/{slug}/config/{configId} (param[0] slug; param[1] configId) */
int h_sdk_delete_config(req *r) { return configs_reply_delete(r, r->param[0], r->nparams > 1 ? r->param[1] : NULL); }
