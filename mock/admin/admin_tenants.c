/* admin_tenants.c: GET /__mock/tenants: every tenant with its linked accounts and their connections
 * in one read, for the dashboard (and for anyone debugging a test). */
#include "connections.h"
#include "clock.h"
#include "fixtures.h"
#include "http.h"
#include "pats.h"
#include "store.h"
#include "util.h"
#include "handlers.h"

#include <string.h>

/* The connection as GET /__mock/linked-accounts/{id}/connections shows it (token refreshes
 * caught up to now, never credentials), plus the app's display name. */
static cJSON *connection_row(struct mock *m, const cJSON *c)
{
    cJSON *o = connection_admin_view(m, c);
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
    cJSON *las = cJSON_AddArrayToObject(o, "linked_accounts");
    cJSON *docs = store_list(m->store, t->id, "linked_account", NULL, NULL, NULL, 0, 0, NULL), *d, *c;
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
        cJSON *conns = connection_list(m, t, id);
        cJSON_ArrayForEach(c, conns)
            cJSON_AddItemToArray(rows, connection_row(m, c));
        cJSON_Delete(conns);
        cJSON_AddItemToArray(las, la);
    }
    cJSON_Delete(docs);
    return o;
}

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
    for (int i = 0; i < r->m->fx->ntenants; i++) {
        const struct tenant *t = &r->m->fx->tenants[i];
        if (!r->t || r->t == t)
            cJSON_AddItemToArray(list, tenant_view(r->m, t));
    }
    store_unlock(r->m->store);
    return http_json(r, 200, out);
}
