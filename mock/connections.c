/* connections.c: the connection state machine (active <-> expired, deleted) and its public views. */
#include "connections.h"
#include "fixtures.h"
#include "store.h"
#include "util.h"
#include "webhooks.h"

#include <stdio.h>
#include <string.h>

#define KIND "connection"

static void conn_id(char *out, size_t n, const char *la, const char *slug) { snprintf(out, n, "%s/%s", la, slug); }

cJSON *connection_get(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    return store_get(m->store, t->id, KIND, id);
}

cJSON *connection_list(struct mock *m, const struct tenant *t, const char *la)
{
    return store_list(m->store, t->id, KIND, la, NULL, NULL, 0, 0, NULL);
}

static void log_event(cJSON *conn, long long now, const char *event, const char *detail)
{
    cJSON *log = cJSON_GetObjectItemCaseSensitive(conn, "log");
    if (!cJSON_IsArray(log)) {
        log = cJSON_CreateArray();
        json_set(conn, "log", log);
    }
    char at[32];
    util_iso8601(now, at);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "at", at);
    cJSON_AddStringToObject(e, "event", event);
    if (detail)
        cJSON_AddStringToObject(e, "detail", detail);
    cJSON_AddItemToArray(log, e);
}

static void emit(struct mock *m, const struct tenant *t, const char *event, const char *la, const char *slug)
{
    cJSON *fields = cJSON_CreateObject();
    cJSON_AddStringToObject(fields, "slug", slug);
    webhooks_emit(m, t, event, la, fields);
    cJSON_Delete(fields);
}

int connection_connect(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                       const char *auth_type, const cJSON *identifier, const cJSON *credentials)
{
    const cJSON *app = fixtures_app(m->fx, slug);
    if (!app || !store_exists(m->store, t->id, "linked_account", la))
        return -1;
    if (!auth_type)
        auth_type = json_str(app, "auth_type");
    long long now = clock_now_ms(m);
    char at[32], id[2 * MOCK_ID_LEN + 2];
    util_iso8601(now, at);
    conn_id(id, sizeof id, la, slug);
    store_begin(m->store);
    cJSON *conn = store_get(m->store, t->id, KIND, id);
    int existed = conn != NULL;
    if (!conn) {
        conn = cJSON_CreateObject();
        cJSON_AddStringToObject(conn, "linked_account_id", la);
        cJSON_AddStringToObject(conn, "slug", slug);
        cJSON_AddStringToObject(conn, "createdAt", at);
    }
    json_set(conn, "auth_type", cJSON_CreateString(auth_type));
    json_set(conn, "status", cJSON_CreateString("active"));
    json_set(conn, "reason", cJSON_CreateNull());
    if (!identifier)
        identifier = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "oauth"), "identifier");
    json_set(conn, "identifier", identifier ? cJSON_Duplicate(identifier, 1) : cJSON_CreateString(json_str(app, "name")));
    json_set(conn, "credentials", credentials ? cJSON_Duplicate(credentials, 1) : cJSON_CreateObject());
    json_set(conn, "connectedAt", cJSON_CreateString(at));
    json_set(conn, "updatedAt", cJSON_CreateString(at));
    log_event(conn, now, existed ? "reconnected" : "connected", auth_type);
    store_put(m->store, t->id, KIND, id, la, conn);
    emit(m, t, EV_CONNECTION_CREATED, la, slug);
    cJSON_Delete(conn);
    store_commit(m->store);
    webhooks_kick(m);
    return 0;
}

int connection_expire(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *reason)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    store_begin(m->store);
    cJSON *conn = store_get(m->store, t->id, KIND, id);
    int rc = -1;
    if (conn) {
        const char *status = json_str(conn, "status");
        if (status && !strcmp(status, "expired")) {
            rc = 1;
        } else {
            long long now = clock_now_ms(m);
            char at[32];
            util_iso8601(now, at);
            json_set(conn, "status", cJSON_CreateString("expired"));
            json_set(conn, "reason", cJSON_CreateString(reason));
            json_set(conn, "updatedAt", cJSON_CreateString(at));
            log_event(conn, now, "expired", reason);
            store_put(m->store, t->id, KIND, id, la, conn);
            emit(m, t, EV_CONNECTION_EXPIRED, la, slug);
            rc = 0;
        }
        cJSON_Delete(conn);
    }
    store_commit(m->store);
    if (rc == 0)
        webhooks_kick(m);
    return rc;
}

int connection_delete(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    store_begin(m->store);
    int found = store_del(m->store, t->id, KIND, id);
    if (found)
        emit(m, t, EV_CONNECTION_DELETED, la, slug);
    store_commit(m->store);
    if (found)
        webhooks_kick(m);
    return found ? 0 : -1;
}

void connection_delete_all(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    cJSON *all = connection_list(m, t, la), *c;
    cJSON_ArrayForEach(c, all) {
        const char *slug = json_str(c, "slug");
        if (slug)
            connection_delete(m, t, la, slug);
    }
    cJSON_Delete(all);
    store_commit(m->store);
}

cJSON *connection_public_account(const cJSON *conn)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *ident = cJSON_GetObjectItemCaseSensitive(conn, "identifier");
    cJSON_AddItemToObject(o, "identifier", ident ? cJSON_Duplicate(ident, 1) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "connectedAt", json_str(conn, "connectedAt") ? json_str(conn, "connectedAt") : "");
    cJSON_AddStringToObject(o, "status", json_str(conn, "status") ? json_str(conn, "status") : "active");
    cJSON_AddStringToObject(o, "auth_type", json_str(conn, "auth_type") ? json_str(conn, "auth_type") : "oauth2");
    return o;
}

cJSON *connection_public_integration(struct mock *m, const cJSON *conn)
{
    const char *slug = json_str(conn, "slug");
    const cJSON *app = fixtures_app(m->fx, slug);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", slug);
    cJSON_AddStringToObject(o, "name", app ? json_str(app, "name") : slug);
    cJSON_AddStringToObject(o, "icon", app ? json_str(app, "icon") : "");
    if (app && json_str(app, "app_id"))
        cJSON_AddStringToObject(o, "app_id", json_str(app, "app_id"));
    else
        cJSON_AddNullToObject(o, "app_id");
    const cJSON *ident = cJSON_GetObjectItemCaseSensitive(conn, "identifier");
    cJSON_AddItemToObject(o, "identifier", ident ? cJSON_Duplicate(ident, 1) : cJSON_CreateNull());
    const char *status = json_str(conn, "status");
    int expired = status && !strcmp(status, "expired");
    cJSON_AddBoolToObject(o, "reauth_required", expired);
    const char *reason = json_str(conn, "reason");
    cJSON_AddBoolToObject(o, "refresh_token_expired", expired && reason && !strcmp(reason, "expired"));
    cJSON_AddStringToObject(o, "createdAt", json_str(conn, "createdAt") ? json_str(conn, "createdAt") : "");
    cJSON_AddStringToObject(o, "updatedAt", json_str(conn, "updatedAt") ? json_str(conn, "updatedAt") : "");
    return o;
}
