/* admin_scenario.c: /__mock/scenario: the loaded scenario's status, loading one, firing a step. */
#include "engine/fixtures.h"
#include "base/json.h"
#include "base/http.h"
#include "engine/scenario.h"
#include "base/util.h"
#include "handlers.h"

#include <string.h>

/* route: GET /__mock/scenario */
int h_admin_scenario(req *r) { return http_json(r, 200, scenario_view(r->m, r->t)); }

/* route: POST /__mock/scenario */
/* The body is a whole scenario document (it has "steps" or "setup"), or {"name": "NAME"} for a
 * shipped one, optionally with "webhooks": [subscriptions] added to its setup. The raw body is
 * parsed here, not by the server, so a syntax error is reported with its line. */
int h_admin_scenario_load(req *r)
{
    if (!r->raw || !r->raw_len)
        return http_error(r, 400, "BAD_REQUEST",
                          "send a scenario document, or {\"name\": \"NAME\"} to load a shipped scenario");
    char err[1024];
    cJSON *doc = util_parse_json_named(r->raw, "request body", err, sizeof err);
    if (!doc)
        return http_error(r, 400, "INVALID_SCENARIO", "%s", err);
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return http_error(r, 400, "INVALID_SCENARIO", "request body: must be a JSON object");
    }
    /* Without api_key in the file, the scenario plays in the tenant of the key sent, else the first one. */
    const struct tenant *fallback = r->t ? r->t : &r->m->fx->tenants[0];
    int rc;
    if (cJSON_GetObjectItemCaseSensitive(doc, "steps") || cJSON_GetObjectItemCaseSensitive(doc, "setup")) {
        rc = scenario_load_doc(r->m, doc, "request body", fallback, r->t, NULL, err, sizeof err);
    } else {
        const cJSON *f;
        cJSON_ArrayForEach(f, doc) {
            if (strcmp(f->string, "name") && strcmp(f->string, "webhooks")) {
                http_error(r, 400, "INVALID_SCENARIO",
                           "request body: %s: unknown field (a shipped scenario is loaded with {\"name\", \"webhooks\"}; "
                           "a scenario document needs steps)", f->string);
                cJSON_Delete(doc);
                return r->status;
            }
        }
        const char *name = json_str(doc, "name");
        if (!name || !*name) {
            cJSON_Delete(doc);
            return http_error(r, 400, "INVALID_SCENARIO", "request body: name: required (a shipped scenario's name)");
        }
        rc = scenario_load_ref(r->m, name, 0, fallback, r->t, cJSON_GetObjectItemCaseSensitive(doc, "webhooks"), err, sizeof err);
        if (rc != 0 && !strncmp(err, "no shipped scenario", 19)) {
            cJSON_Delete(doc);
            return http_error(r, 404, "SCENARIO_NOT_FOUND", "%s", err);
        }
        cJSON_Delete(doc);
    }
    if (rc == SCENARIO_OTHER_TENANT)
        return http_error(r, 403, "FORBIDDEN", "%s", err);
    if (rc != 0)
        return http_error(r, 400, "INVALID_SCENARIO", "%s", err);
    return http_json(r, 200, scenario_view(r->m, r->t));
}

/* route: POST /__mock/scenario/steps/{name} (param[0] name) */
int h_admin_scenario_step(req *r)
{
    char err[512];
    int rc = scenario_fire_step(r->m, r->t, r->param[0], err, sizeof err);
    if (rc == 404)
        return http_error(r, 404, "NOT_FOUND", "%s", err);
    if (rc == 409)
        return http_error(r, 409, strstr(err, "already fired") ? "STEP_ALREADY_FIRED" : "STEP_NOT_ARMED", "%s", err);
    return http_json(r, 200, scenario_view(r->m, r->t));
}
