/* admin_tenants.c: GET /__mock/tenants: every tenant with its linked accounts and their connections
 * in one read, for the dashboard (and for anyone debugging a test); POST and DELETE make and drop
 * ephemeral tenants, one per parallel test worker. */
#include "engine/connections.h"
#include "engine/linked_accounts.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "engine/pats.h"
#include "engine/reset.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"
#include "handlers.h"

#include <string.h>

/* The connection as GET /__mock/linked-accounts/{id}/connections shows it (token refreshes
 * caught up to now, never credentials), plus the app's display name. */
static cJSON *connection_row(struct mock *m, const cJSON *c)
{
    cJSON *o = connections_admin_view(m, c);
    const cJSON *app = fixtures_app(m->fx, json_str(c, "slug"));
    cJSON_AddStringToObject(o, "name", app && json_str(app, "name") ? json_str(app, "name") : json_str(c, "slug"));
    return o;
}

static cJSON *tenant_view(struct mock *m, const struct tenant *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", t->id);
    cJSON_AddStringToObject(o, "org_id", t->org_id);
    cJSON_AddStringToObject(o, "org", t->org_name);
    cJSON_AddStringToObject(o, "environment", t->environment);
    cJSON_AddStringToObject(o, "api_key", t->api_key);
    cJSON_AddBoolToObject(o, "ephemeral", tenants_is_ephemeral(t));
    cJSON *las = cJSON_AddArrayToObject(o, "linked_accounts");
    cJSON *docs = linked_accounts_list(m, t, 0, 0, NULL), *d, *c;
    cJSON_ArrayForEach(d, docs) {
        const char *id = json_str(d, "account_id");
        if (!id)
            continue;
        cJSON *la = cJSON_CreateObject();
        cJSON_AddStringToObject(la, "linked_account_id", id);
        if (json_str(d, "name"))
            cJSON_AddStringToObject(la, "name", json_str(d, "name"));
        else
            cJSON_AddNullToObject(la, "name");
        cJSON *pat = pats_info(m, t, id); /* the dashboard's Generate / Revoke: never the token itself */
        cJSON_AddItemToObject(la, "personal_access_token", pat ? pat : cJSON_CreateNull());
        cJSON *rows = cJSON_AddArrayToObject(la, "connections");
        cJSON *conns = connections_list(m, t, id);
        cJSON_ArrayForEach(c, conns)
            cJSON_AddItemToArray(rows, connection_row(m, c));
        cJSON_Delete(conns);
        cJSON_AddItemToArray(las, la);
    }
    cJSON_Delete(docs);
    return o;
}

/* route: GET /__mock/tenants */
int h_admin_tenants(req *r)
{
    long long now = clock_now_ms(r->m);
    char iso[32];
    util_iso8601(now, iso);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "now_ms", (double)now);
    cJSON_AddStringToObject(out, "now", iso);
    cJSON *list = cJSON_AddArrayToObject(out, "tenants");
    /* One lock over all reads: a tenant is never shown half-way through a change. */
    store_lock(r->m->store);
    const struct tenant *t;
    for (int i = 0; (t = tenants_at(r->m, i)); i++) {
        if (!r->t || r->t == t)
            cJSON_AddItemToArray(list, tenant_view(r->m, t));
    }
    store_unlock(r->m->store);
    return http_json(r, 200, out);
}

/* route: POST /__mock/tenants */
/* {"org": "Acme", "environment": "test"}: a fresh key with the org's fixtures and seed data. */
int h_admin_tenant_create(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *org = cJSON_GetObjectItemCaseSensitive(r->body, "org");
    const cJSON *env = cJSON_GetObjectItemCaseSensitive(r->body, "environment");
    if (!cJSON_IsString(org) || !*org->valuestring)
        return http_error(r, 400, "BAD_REQUEST", "org: required (an org's name or org_id from the fixtures)");
    if (env && (!cJSON_IsString(env) || (strcmp(env->valuestring, "test") && strcmp(env->valuestring, "production"))))
        return http_error(r, 400, "BAD_REQUEST", "environment: must be test or production");
    char err[256];
    const struct tenant *t = reset_create_tenant(r->m, org->valuestring, env ? env->valuestring : NULL, err, sizeof err);
    if (!t)
        return http_error(r, 404, "NOT_FOUND", "%s", err);
    store_lock(r->m->store);
    cJSON *o = tenant_view(r->m, t);
    store_unlock(r->m->store);
    return http_json(r, 200, o);
}

/* route: DELETE /__mock/tenants/{key} (param[0] key) */
int h_admin_tenant_delete(req *r)
{
    int rc = reset_drop_tenant(r->m, r->param[0]);
    if (rc == 1)
        return http_error(r, 400, "BAD_REQUEST", "%s is a fixtures tenant: only ephemeral tenants are dropped (POST /__mock/reset with its key resets it)", r->param[0]);
    if (rc != 0)
        return http_error(r, 404, "NOT_FOUND", "no ephemeral tenant with the key %s", r->param[0]);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "success", 1);
    cJSON_AddStringToObject(o, "api_key", r->param[0]);
    return http_json(r, 200, o);
}
