/* sdk.c: the routes the frontend SDK (@cobaltio/cobalt-js) calls with a session token. They
 * share state and code with the public API: an app connected here is connected there. */
#include "api/applications.h"
#include "base/json.h"
#include "api/hosted.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "engine/linked_accounts.h"
#include "base/util.h"
#include "handlers.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

/* The SDK tests `app.connected === true`: the app view says false outright (applications.c). */
static cJSON *sdk_app(req *r, const cJSON *app)
{
    return applications_view(r->m, r->t, r->la, app);
}

/* route: GET /api/v3/org/basics */
int h_sdk_org_basics(req *r)
{
    cJSON *la = linked_accounts_get(r->m, r->t, r->la);
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
/* The SDK's getApps() (cobalt-js 8.2+, the React SDK's app list) asks ?ecosystem=true for "the
 * enabled apps and the ecosystem apps"; without it (refold-js getApp()) the enabled apps only. */
int h_sdk_list_apps(req *r)
{
    char v[16] = "";
    http_query(r, "ecosystem", v, sizeof v);
    int with_ecosystem = !strcmp(v, "true");
    cJSON *out = cJSON_CreateArray();
    const cJSON *app;
    cJSON_ArrayForEach(app, r->m->fx->apps)
        if (applications_matches_query_but_ecosystem(r, app) && (with_ecosystem || !json_bool(app, "ecosystem", 0)))
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

/* Older refold-js v10 and cobalt-js 8 send the fields in the query; refold-js 10.2+ POSTs them
 * (10.5+ for every grant). The server resolves the grant either way (hosted_integrate). */
static int integrate_query(req *r)
{
    cJSON *fields = http_query_object(r);
    int rc = hosted_integrate(r, r->param[0], fields);
    cJSON_Delete(fields);
    return rc;
}

static int integrate_body(req *r)
{
    if (r->raw_len && !http_need_object(r))
        return r->status;
    return hosted_integrate(r, r->param[0], r->body);
}

/* route: GET /api/v1/{slug}/integrate (param[0] slug) */
int h_sdk_integrate(req *r) { return integrate_query(r); }
/* route: POST /api/v1/{slug}/integrate (param[0] slug) */
int h_sdk_integrate_post(req *r) { return integrate_body(r); }

/* Universal connectors (kind "universal_connector") have their own auth routes in refold-js
 * 10.3; they act as the native ones do. Any other slug is not found there. */
static int universal_connector(req *r)
{
    const cJSON *app = fixtures_app(r->m->fx, r->param[0]);
    const char *kind = json_str(app, "kind");
    if (!app || !kind || strcmp(kind, "universal_connector"))
        return http_error_hint(r, 404, "NOT_FOUND", "Universal connector not found",
                               "%s is not a universal connector (kind \"universal_connector\"); connect it through /api/v1/%s/integrate "
                               "or /api/v2/app/%s/save", r->param[0], r->param[0], r->param[0]), -1;
    return 0;
}

/* The SDK's key-based connect and its disconnect are the public API's own operations, run as a
 * sub-request of that route (http_subrequest: its faults, scenario counts, spec check and
 * journal entry apply) with this request's tenant, linked account, query and body: the same
 * checks, the same errors, the same webhooks. */
static int as_public(req *r, const char *method, const char *route_prefix)
{
    char path[64 + MOCK_ID_LEN];
    snprintf(path, sizeof path, "%s%s", route_prefix, r->param[0]);
    struct subcall sub = {.method = method, .path = path, .query = r->ri->query_string, .body = r->body,
                          .raw = r->raw, .raw_len = r->raw_len, .t = r->t, .la = r->la, .via_token = r->via_token};
    http_subrequest(r, &sub);
    return http_relay(r, &sub);
}

static int save_key_credentials(req *r)
{
    return as_public(r, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/");
}

static int delete_integration(req *r) { return as_public(r, "DELETE", "/api/v2/public/linked-account/integration/"); }

/* route: GET /api/v1/auth-service/f-sdk/universal-connector/{slug}/integrate (param[0] slug) */
int h_sdk_uc_integrate(req *r) { return universal_connector(r) ? r->status : integrate_query(r); }
/* route: POST /api/v1/auth-service/f-sdk/universal-connector/{slug}/integrate (param[0] slug) */
int h_sdk_uc_integrate_post(req *r) { return universal_connector(r) ? r->status : integrate_body(r); }
/* Saving and revoking are the public API's operations, as h_sdk_save and h_sdk_disconnect are. */
/* route: POST /api/v1/auth-service/f-sdk/universal-connector/{slug}/save-credentials (param[0] slug) */
int h_sdk_uc_save(req *r) { return universal_connector(r) ? r->status : save_key_credentials(r); }
/* route: POST /api/v1/auth-service/f-sdk/universal-connector/{slug}/revoke (param[0] slug) */
int h_sdk_uc_revoke(req *r) { return universal_connector(r) ? r->status : delete_integration(r); }

/* route: POST /api/v2/app/{slug}/save (param[0] slug) */
int h_sdk_save(req *r) { return save_key_credentials(r); }

/* route: DELETE /api/v1/linked-acc/integration/{slug} (param[0] slug) */
int h_sdk_disconnect(req *r) { return delete_integration(r); }

/* route: POST /api/v1/ecosystem/leads */
/* cobalt-js 8.5 createEcosystemLead({slug, name?, email, description?}): the customer asks for
 * an app the product does not offer yet. Stored (kind "ecosystem_lead", under the linked
 * account) and answered as the SDK's EcosystemLead: {_id, slug, name, email, description,
 * linked_account_id, created_at}. */
int h_sdk_ecosystem_lead(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const char *slug = http_body_str(r, "slug");
    if (!slug)
        return r->status;
    if (!fixtures_app(r->m->fx, slug))
        return http_error(r, 404, "NOT_FOUND", "Application %s not found", slug);
    const char *email = http_body_str(r, "email");
    if (!email)
        return r->status;
    const char *at_sign = strchr(email, '@');
    if (!at_sign || at_sign == email || !strchr(at_sign, '.') || strpbrk(email, " \t\r\n") || strlen(email) > 254)
        return http_error(r, 400, "BAD_REQUEST", "email must be an email address, e.g. jane@example.com");
    static const char *const optional[] = {"name", "description"};
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, optional[i]);
        if (v && !cJSON_IsNull(v) && !cJSON_IsString(v))
            return http_error(r, 400, "BAD_REQUEST", "%s must be a string", optional[i]);
    }
    char id[25], at[32];
    util_new_id(id);
    util_iso8601(clock_now_ms(r->m), at);
    cJSON *lead = cJSON_CreateObject();
    cJSON_AddStringToObject(lead, "_id", id);
    cJSON_AddStringToObject(lead, "slug", slug);
    const char *name = json_str(r->body, "name"), *desc = json_str(r->body, "description");
    if (name)
        cJSON_AddStringToObject(lead, "name", name);
    cJSON_AddStringToObject(lead, "email", email);
    if (desc)
        cJSON_AddStringToObject(lead, "description", desc);
    cJSON_AddStringToObject(lead, "linked_account_id", r->la);
    cJSON_AddStringToObject(lead, "created_at", at);
    if (linked_accounts_add_lead(r->m, r->t, r->la, id, lead)) {
        cJSON_Delete(lead);
        return http_error(r, 500, "SERVER_ERROR", "could not store the lead");
    }
    return http_json(r, 200, lead);
}
