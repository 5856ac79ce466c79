/* datastores.c: config datastores (deprecated in Refold): read-only views of what an app's
 * workflows wrote, declared per app in fixtures/apps/<slug>.json under "datastores". */
#include "fixtures.h"
#include "json.h"
#include "http.h"
#include "util.h"
#include "configs.h"
#include "handlers.h"
#include "pattern.h"
#include "record_filter.h"

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
    const cJSON *app = fixtures_app(r->m->fx, r->param[0]);
    if (!app)
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
    /* An app whose workflows never wrote anything has no datastores: an empty object. */
    static const cJSON none = {.type = cJSON_Object};
    const cJSON *stores = cJSON_GetObjectItemCaseSensitive(app, "datastores");
    return stores ? stores : &none;
}

/* route: GET /api/v2/public/datastore/config/{slug} (param[0] slug) */
int h_list_config_datastores(req *r)
{
    const cJSON *stores = datastores(r), *ds;
    if (!stores)
        return r->status;
    cJSON *out = cJSON_CreateArray();
    cJSON_ArrayForEach(ds, stores)
        cJSON_AddItemToArray(out, cJSON_CreateString(ds->string));
    return http_json(r, 200, out);
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

/* A record as answered: the v2 reference names its id record_id (its datastore pages), the current
 * page id; both are sent, the same value. */
static cJSON *record_view(const cJSON *rec)
{
    cJSON *out = cJSON_Duplicate(rec, 1);
    const char *id = json_str(rec, "id");
    if (id && !cJSON_GetObjectItemCaseSensitive(out, "record_id"))
        cJSON_AddStringToObject(out, "record_id", id);
    return out;
}

/* route: GET /api/v2/public/datastore/config/{slug}/{datastore_name}/records (param[0] slug; param[1] datastore_name) */
int h_list_config_datastore_records(req *r)
{
    const cJSON *ds = one_store(r), *rec;
    if (!ds)
        return r->status;
    cJSON *out = cJSON_CreateArray();
    cJSON_ArrayForEach(rec, ds) cJSON_AddItemToArray(out, record_view(rec));
    return http_json(r, 200, out);
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
    const cJSON *ds = one_store(r), *rec;
    if (ds) {
        cJSON *out = cJSON_CreateArray();
        int ok = 1;
        cJSON_ArrayForEach(rec, ds)
            if ((ok = record_filter_match(f, rec)) < 0)
                break;
            else if (ok)
                cJSON_AddItemToArray(out, record_view(rec));
        if (ok < 0) {
            cJSON_Delete(out);
            http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
        } else {
            http_json(r, 200, out);
        }
    }
    record_filter_free(f);
    return r->status;
}
