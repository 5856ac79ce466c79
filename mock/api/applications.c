/* applications.c: the app catalogue with each linked account's connection state; auth structure. */
#include "api/applications.h"
#include "base/json.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The view of app with the linked account's connection conn (NULL: not connected). Fields are
 * references to the fixtures' public entry: nothing is copied per request, and nobody may
 * modify the nested items of the result. */
static cJSON *view_of(struct mock *m, const cJSON *app, const cJSON *conn)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *f;
    cJSON_ArrayForEach(f, fixtures_app_public(m->fx, app))
        cJSON_AddItemReferenceToObject(o, f->string, (cJSON *)f);
    int reauth = 0;
    if (conn) {
        /* An expired connection stays connected: the customer must reconnect, not start over. */
        cJSON *accounts = cJSON_CreateArray();
        cJSON_AddItemToArray(accounts, connections_public_account(conn));
        cJSON_AddBoolToObject(o, "connected", 1);
        cJSON_AddItemToObject(o, "connected_accounts", accounts);
        const char *status = json_str(conn, "status");
        reauth = status && !strcmp(status, "expired");
    } else {
        cJSON_AddBoolToObject(o, "connected", 0); /* said outright: clients test connected === false */
    }
    cJSON_AddBoolToObject(o, "reauth_required", reauth);
    return o;
}

cJSON *applications_view(struct mock *m, const struct tenant *t, const char *la, const cJSON *app)
{
    cJSON *conn = la && *la ? connections_summary(m, t, la, json_str(app, "slug")) : NULL;
    cJSON *o = view_of(m, app, conn);
    cJSON_Delete(conn);
    return o;
}

static int tag_matches(const cJSON *app, const char *wanted)
{
    const cJSON *tag;
    cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(app, "tags"))
        if (cJSON_IsString(tag) && !strcasecmp(tag->valuestring, wanted))
            return 1;
    return 0;
}

int applications_matches_query(req *r, const cJSON *app)
{
    char v[16];
    if (http_query(r, "ecosystem", v, sizeof v) && *v &&
        json_bool(app, "ecosystem", 0) != !strcmp(v, "true"))
        return 0;
    return applications_matches_query_but_ecosystem(r, app);
}

int applications_matches_query_but_ecosystem(req *r, const cJSON *app)
{
    char v[128];
    if (http_query(r, "slug", v, sizeof v) && *v && strcmp(v, json_str(app, "slug")))
        return 0;
    if (http_query(r, "tags", v, sizeof v) && *v) {
        /* tags=CRM,Marketing matches an app carrying any of them */
        int any = 0;
        char *save = NULL;
        for (char *tok = strtok_r(v, ",", &save); tok && !any; tok = strtok_r(NULL, ",", &save))
            any = tag_matches(app, tok);
        if (!any)
            return 0;
    }
    if (http_query(r, "auth_type", v, sizeof v) && *v && !fixtures_app_supports(app, v))
        return 0;
    return 1;
}

/* route: GET /api/v2/public/application */
int h_list_applications(req *r)
{
    char v[16];
    if (http_query(r, "ecosystem", v, sizeof v) && *v && strcmp(v, "true") && strcmp(v, "false"))
        return http_error(r, 400, "BAD_REQUEST", "ecosystem must be true or false");
    /* One read of the account's connections, not one per app. */
    cJSON *out = cJSON_CreateArray(), *conns = connections_list(r->m, r->t, r->la);
    const cJSON *app, *c;
    cJSON_ArrayForEach(app, r->m->fx->apps) {
        if (!applications_matches_query(r, app))
            continue;
        const cJSON *conn = NULL;
        cJSON_ArrayForEach(c, conns)
            if (json_str(c, "slug") && !strcmp(json_str(c, "slug"), json_str(app, "slug")))
                conn = c;
        cJSON_AddItemToArray(out, view_of(r->m, app, conn));
    }
    cJSON_Delete(conns); /* the views copied what they show */
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/application/{slug} (param[0] slug) */
int h_get_application(req *r)
{
    const cJSON *app = fixtures_app(r->m->fx, r->param[0]);
    if (!app || !applications_matches_query(r, app)) {
        /* applications/get-application.mdx: typed EXTERNAL_API_ERROR, coded EXTERNAL_API_FAILURE */
        char msg[MOCK_ID_LEN + 128];
        snprintf(msg, sizeof msg, "Application with app_type '%s' not found for org %s", r->param[0], r->t->org_id);
        return http_error_env(r, 404, "EXTERNAL_API_ERROR", "EXTERNAL_API_FAILURE", NULL, msg, NULL);
    }
    return http_json(r, 200, applications_view(r->m, r->t, r->la, app));
}

/* route: GET /api/v2/public/auth-structure/{slug} (param[0] slug) */
int h_get_auth_structure(req *r)
{
    const cJSON *app = fixtures_app(r->m->fx, r->param[0]);
    const cJSON *s = app ? cJSON_GetObjectItemCaseSensitive(app, "auth_structure") : NULL;
    if (!s)
        /* auth-structure/get-auth-structure.mdx: the real route answers 500 here, and so does this one */
        return http_error(r, 500, "SERVER_ERROR", "Schema not found for integration type: %s", r->param[0]);
    return http_json(r, 200, cJSON_Duplicate(s, 1));
}
