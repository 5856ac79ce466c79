/* datastores_api.c: the config datastore routes (deprecated in Refold): the config check, then datastores.c. */
#include "engine/datastores.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"
#include "engine/configs.h"
#include "handlers.h"
#include "base/pattern.h"
#include "engine/record_filter.h"

#include <stdio.h>
#include <string.h>

/* The app's datastores for the request's config, or NULL after the error was sent. As in Refold
 * the config must be installed (POST /api/v2/public/config); config_id defaults to the linked
 * account's default config. */
static const cJSON *datastores(req *r)
{
    char config_id[MOCK_ID_LEN] = "";
    http_query(r, "config_id", config_id, sizeof config_id);
    if (!r->la[0])
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required (header linked_account_id) to find the config"), NULL;
    const cJSON *stores = datastores_of_app(r->m, r->param[0]);
    if (!stores)
        return http_error(r, 404, "NOT_FOUND", "Config not found: no application %s", r->param[0]), NULL;
    cJSON *cfg = configs_load(r->m, r->t, r->la, r->param[0], config_id[0] ? config_id : NULL);
    if (!cfg)
    {
        /* deprecated/list-records.mdx, ```json 404: {"message": "Server Error", "error": "Config not found"} */
        char hint[3 * MOCK_ID_LEN + 64];
        snprintf(hint, sizeof hint, "linked account %s has no %s config %s", r->la, r->param[0], config_id[0] ? config_id : "(default)");
        return http_error_env(r, 404, NULL, "SERVER_ERROR", "Config not found", "Server Error", hint), NULL;
    }
    cJSON_Delete(cfg);
    return stores;
}

/* route: GET /api/v2/public/datastore/config/{slug} (param[0] slug) */
int h_list_config_datastores(req *r)
{
    const cJSON *stores = datastores(r);
    if (!stores)
        return r->status;
    return http_json(r, 200, datastores_names(stores));
}

static const cJSON *one_store(req *r)
{
    const cJSON *stores = datastores(r);
    if (!stores)
        return NULL;
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(stores, r->param[1]);
    if (!ds)
        http_error(r, 404, "NOT_FOUND", "Datastore %s not found in the %s config", r->param[1], r->param[0]);
    return ds;
}

/* route: GET /api/v2/public/datastore/config/{slug}/{datastore_name}/records (param[0] slug; param[1] datastore_name) */
int h_list_config_datastore_records(req *r)
{
    const cJSON *ds = one_store(r);
    if (!ds)
        return r->status;
    return http_json(r, 200, datastores_records(ds));
}

/* route: POST /api/v2/public/datastore/config/{slug}/{datastore_name}/search (param[0] slug; param[1] datastore_name) */
int h_search_config_datastore(req *r)
{
    if (!http_need_object(r))
        return r->status;
    char err[256];
    struct record_filter *f = record_filter_new(r->body, err, sizeof err);
    if (!f)
        return http_error_hint(r, 400, "BAD_REQUEST", err, "%s", PATTERN_LIMITS_HINT);
    const cJSON *ds = one_store(r);
    cJSON *out;
    if (ds) {
        if (datastores_search(ds, f, &out) < 0) {
            http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
        } else {
            http_json(r, 200, out);
        }
    }
    record_filter_free(f);
    return r->status;
}
