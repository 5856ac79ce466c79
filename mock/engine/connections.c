/* connections.c: the connection state machine (active <-> expired, deleted), token lifetimes on the
 * virtual clock, and the public and admin views of a connection. */
#include "engine/connections.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/keybased.h"
#include "engine/fixtures.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "base/util.h"
#include "engine/webhooks.h"

#include <stdio.h>
#include <string.h>

#define KIND "connection"
#define LOG_MAX 20   /* refreshes, and other events, kept in a connection's log (refresh_count counts
                      * them all): a connection reauthorized thousands of times must not grow */

static void conn_id(char *out, size_t n, const char *la, const char *slug) { snprintf(out, n, "%s/%s", la, slug); }

cJSON *connections_get(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    return store_get(m->store, t->id, KIND, id);
}

cJSON *connections_summary(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    static const char *const shown[] = {"slug", "status", "identifier", "connectedAt", "auth_type", NULL};
    return store_get_members(m->store, t->id, KIND, id, shown);
}

cJSON *connections_list(struct mock *m, const struct tenant *t, const char *la)
{
    return store_list(m->store, t->id, KIND, la, NULL, NULL, 0, 0, NULL);
}

enum connection_state connections_state(const cJSON *conn)
{
    if (!conn)
        return CONNECTION_NONE;
    const char *s = json_str(conn, "status");
    return s && !strcmp(s, "expired") ? CONNECTION_EXPIRED : CONNECTION_ACTIVE;
}

const char *connections_state_name(enum connection_state s)
{
    return s == CONNECTION_EXPIRED ? "expired" : s == CONNECTION_ACTIVE ? "active" : "none";
}

static int is_active(const cJSON *conn) { return connections_state(conn) == CONNECTION_ACTIVE; }

static long long ms_of(const cJSON *conn, const char *key)
{
    return (long long)json_num(conn, key, 0);
}

static void set_ms(cJSON *conn, const char *key, long long ms)
{
    json_set(conn, key, ms > 0 ? cJSON_CreateNumber((double)ms) : cJSON_CreateNull());
}

static cJSON *log_event(cJSON *conn, long long at_ms, const char *event, const char *detail)
{
    cJSON *log = cJSON_GetObjectItemCaseSensitive(conn, "log");
    if (!cJSON_IsArray(log)) {
        log = cJSON_CreateArray();
        json_set(conn, "log", log);
    }
    char at[32];
    util_iso8601(at_ms, at);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "at", at);
    cJSON_AddStringToObject(e, "event", event);
    if (detail)
        cJSON_AddStringToObject(e, "detail", detail);
    cJSON_AddItemToArray(log, e);
    /* the oldest entry of the same family (refresh or not) goes once there are LOG_MAX of them */
    int refresh = !strcmp(event, "Token Refreshed"), same = 0, oldest = -1, i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, log) {
        const char *ev = json_str(x, "event");
        if (ev && (strcmp(ev, "Token Refreshed") == 0) == refresh && same++ == 0)
            oldest = i;
        i++;
    }
    if (same > LOG_MAX)
        cJSON_DeleteItemFromArray(log, oldest);
    return e;
}

/* Silent refreshes. An OAuth access token lapses every access_token_ttl and is refreshed at that
 * moment, as long as the refresh token is still valid (a refresh at the very instant the refresh
 * token lapses fails: expiry wins). Refreshes change nothing a user sees, so they are not clock
 * timers (a 90-day advance would otherwise step through thousands of them): they are worked out
 * whenever the connection is next looked at or changed, up to `until`. */
static void catch_up(cJSON *conn, long long until)
{
    long long ttl = (long long)(json_num(conn, "access_token_ttl_s", 0) * 1000.0);
    if (!is_active(conn) || ttl <= 0)
        return;
    long long issued = ms_of(conn, "access_token_issued_at"), rt = ms_of(conn, "refresh_token_expires_at");
    long long limit = until;
    if (rt > 0 && rt - 1 < limit)
        limit = rt - 1;
    if (issued + ttl > limit)
        return;
    long long n = (limit - issued) / ttl;
    for (long long k = n > LOG_MAX ? n - LOG_MAX + 1 : 1; k <= n; k++) {
        cJSON *e = log_event(conn, issued + k * ttl, "Token Refreshed", NULL);
        char exp[32];
        util_iso8601(issued + (k + 1) * ttl, exp);
        cJSON_AddStringToObject(e, "access_token_expires_at", exp);
    }
    issued += n * ttl;
    set_ms(conn, "access_token_issued_at", issued);
    set_ms(conn, "access_token_expires_at", issued + ttl);
    json_set(conn, "refresh_count", cJSON_CreateNumber(json_num(conn, "refresh_count", 0) + (double)n));
}

/* When the connection next changes by itself: its refresh token or key-based credential lapses. */
static long long next_expiry(const cJSON *conn)
{
    if (!is_active(conn))
        return 0;
    long long rt = ms_of(conn, "refresh_token_expires_at"), ct = ms_of(conn, "credential_expires_at");
    if (rt > 0 && (ct <= 0 || rt < ct))
        return rt;
    return ct > 0 ? ct : 0;
}

static void emit(struct mock *m, const struct tenant *t, const char *event, const char *la, const char *slug)
{
    cJSON *fields = cJSON_CreateObject();
    cJSON_AddStringToObject(fields, "slug", slug);
    webhooks_emit(m, t, event, la, fields);
    cJSON_Delete(fields);
}

/* Whether an auth field holds a secret that must not be shown as the identifier. */
static int secret_field(const cJSON *app, const char *field)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(app, "auth_input_map")) {
        const char *name = json_str(f, "name"), *type = json_str(f, "type");
        if (name && !strcmp(name, field) && type && !strcmp(type, "password"))
            return 1;
    }
    static const char *const words[] = {"key", "secret", "token", "password", NULL};
    for (int i = 0; words[i]; i++)
        if (strstr(field, words[i]))
            return 1;
    return 0;
}

static cJSON *masked(const char *value)
{
    char out[16];
    size_t n = strlen(value);
    snprintf(out, sizeof out, "****%s", n >= 8 ? value + n - 4 : "");
    return cJSON_CreateString(out);
}

/* The identifier a connection shows. Given one, it is kept, except that a key-based identifier
 * equal to a secret credential (an api_key as identifier_field) is masked to its last four
 * characters whoever passed it: a secret is never shown. Without one: for key-based
 * credentials the app's identifier field, for OAuth the account the fixture's provider reports. */
static cJSON *identifier_for(const cJSON *app, const char *auth_type, const cJSON *given, const cJSON *credentials)
{
    int keybased = !strcmp(auth_type, "keybased");
    const char *field = json_str(cJSON_GetObjectItemCaseSensitive(app, "keybased"), "identifier_field");
    const char *value = keybased && field ? json_str(credentials, field) : NULL;
    int secret = value && *value && secret_field(app, field);
    if (given) {
        if (secret && cJSON_IsString(given) && !strcmp(given->valuestring, value))
            return masked(value);
        return cJSON_Duplicate(given, 1);
    }
    if (keybased) {
        if (value && *value)
            return secret ? masked(value) : cJSON_CreateString(value);
    } else {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "oauth"), "identifier");
        if (id)
            return cJSON_Duplicate(id, 1);
    }
    return cJSON_CreateString(json_str(app, "name") ? json_str(app, "name") : "");
}

/* Token and credential lifetimes of a fresh connection, from the app's fixture. */
static void start_lifetimes(cJSON *conn, const cJSON *app, const char *auth_type, long long now)
{
    long long access = 0, refresh = 0, credential = 0;
    double ttl = 0;
    if (!strcmp(auth_type, "oauth2")) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(app, "oauth");
        ttl = json_num(o, "access_token_ttl", 0);
        double rttl = json_num(o, "refresh_token_ttl", 0);
        access = ttl > 0 ? now + (long long)(ttl * 1000.0) : 0;
        refresh = rttl > 0 ? now + (long long)(rttl * 1000.0) : 0;
    } else {
        double cttl = json_num(cJSON_GetObjectItemCaseSensitive(app, "keybased"), "credential_ttl", 0);
        credential = cttl > 0 ? now + (long long)(cttl * 1000.0) : 0;
    }
    json_set(conn, "access_token_ttl_s", ttl > 0 ? cJSON_CreateNumber(ttl) : cJSON_CreateNull());
    set_ms(conn, "access_token_issued_at", ttl > 0 ? now : 0);
    set_ms(conn, "access_token_expires_at", access);
    set_ms(conn, "refresh_token_expires_at", refresh);
    set_ms(conn, "credential_expires_at", credential);
    set_ms(conn, "expired_at", 0);
}

int connections_connect(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                       const char *auth_type, const cJSON *identifier, const cJSON *credentials)
{
    const cJSON *app = fixtures_app(m->fx, slug);
    if (!app)
        return -1;
    if (!auth_type)
        auth_type = json_str(app, "auth_type") ? json_str(app, "auth_type") : "oauth2";
    long long now = clock_now_ms(m);
    char at[32], id[2 * MOCK_ID_LEN + 2];
    util_iso8601(now, at);
    conn_id(id, sizeof id, la, slug);
    store_begin(m->store);
    /* asked inside the transaction: a DELETE of the account that got in before it is seen here
     * (outside, the write failed half-way and the client got a 500) */
    /* (the account kind spelled here: linked_accounts.c includes this file for its public view) */
    if (!store_exists(m->store, t->id, "linked_account", la)) {
        store_rollback(m->store);
        return CONNECTIONS_NO_ACCOUNT;
    }
    cJSON *conn = store_get(m->store, t->id, KIND, id);
    int existed = conn != NULL;
    if (!conn) {
        conn = cJSON_CreateObject();
        cJSON_AddStringToObject(conn, "linked_account_id", la);
        cJSON_AddStringToObject(conn, "slug", slug);
        cJSON_AddStringToObject(conn, "createdAt", at);
    } else {
        catch_up(conn, now); /* the old tokens' refreshes stay in the log */
    }
    json_set(conn, "auth_type", cJSON_CreateString(auth_type));
    json_set(conn, "status", cJSON_CreateString(connections_state_name(CONNECTION_ACTIVE)));
    json_set(conn, "reason", cJSON_CreateNull());
    json_set(conn, "identifier", identifier_for(app, auth_type, identifier, credentials));
    json_set(conn, "credentials", credentials ? cJSON_Duplicate(credentials, 1) : cJSON_CreateObject());
    json_set(conn, "connectedAt", cJSON_CreateString(at));
    json_set(conn, "updatedAt", cJSON_CreateString(at));
    start_lifetimes(conn, app, auth_type, now);
    log_event(conn, now, existed ? "Reauthenticated" : "Integration Created", auth_type);
    int rc = store_put(m->store, t->id, KIND, id, la, conn);
    if (rc == 0)
        rc = store_set_due(m->store, t->id, KIND, id, next_expiry(conn));
    if (rc == 0)
        emit(m, t, EV_CONNECTION_CREATED, la, slug);
    cJSON_Delete(conn);
    if (rc != 0) {
        store_rollback(m->store);
        return -1;
    }
    return store_commit(m->store) == 0 ? 0 : -1;
}

/* Marks a stored, active connection expired at at_ms and queues Connection Expired. */
static int expire_doc(struct mock *m, const struct tenant *t, cJSON *conn, const char *id, const char *reason, long long at_ms)
{
    char at[32];
    util_iso8601(at_ms, at);
    catch_up(conn, at_ms);
    json_set(conn, "status", cJSON_CreateString(connections_state_name(CONNECTION_EXPIRED)));
    json_set(conn, "reason", cJSON_CreateString(reason));
    json_set(conn, "updatedAt", cJSON_CreateString(at));
    set_ms(conn, "expired_at", at_ms);
    log_event(conn, at_ms, "Integration Expired", reason);
    const char *la = json_str(conn, "linked_account_id"), *slug = json_str(conn, "slug");
    if (store_put(m->store, t->id, KIND, id, la, conn) || store_set_due(m->store, t->id, KIND, id, 0))
        return -1;
    emit(m, t, EV_CONNECTION_EXPIRED, la, slug);
    return 0;
}

int connections_expire(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *reason)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    store_begin(m->store);
    cJSON *conn = store_get(m->store, t->id, KIND, id);
    int rc = -1;
    if (conn)
        rc = is_active(conn) ? expire_doc(m, t, conn, id, reason, clock_now_ms(m)) : 1;
    cJSON_Delete(conn);
    if (rc < 0 && conn) {
        store_rollback(m->store);
        return -1;
    }
    store_commit(m->store);
    return rc;
}

int connections_delete(struct mock *m, const struct tenant *t, const char *la, const char *slug)
{
    char id[2 * MOCK_ID_LEN + 2];
    conn_id(id, sizeof id, la, slug);
    store_begin(m->store);
    int found = store_del(m->store, t->id, KIND, id);
    if (found)
        emit(m, t, EV_CONNECTION_DELETED, la, slug);
    store_commit(m->store);
    return found ? 0 : -1;
}

void connections_delete_all(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    cJSON *all = connections_list(m, t, la), *c;
    cJSON_ArrayForEach(c, all) {
        const char *slug = json_str(c, "slug");
        if (slug)
            connections_delete(m, t, la, slug);
    }
    cJSON_Delete(all);
    store_commit(m->store);
}

int connections_missing_fields(const cJSON *app, const char *auth_type, const cJSON *creds, char *missing, size_t n)
{
    int count = 0;
    size_t used = 0;
    missing[0] = 0;
#define NOTE(name)                                                                                       \
    do {                                                                                                 \
        used += (size_t)snprintf(missing + used, used < n ? n - used : 0, "%s%s", count ? ", " : "", name); \
        if (used >= n)                                                                                   \
            used = n - 1;                                                                                \
        count++;                                                                                         \
    } while (0)
    if (!strcmp(auth_type, "keybased")) {
        /* the same field list and "required" reading as keybased_validate() */
        const cJSON *f;
        cJSON_ArrayForEach(f, keybased_fields(app)) {
            const char *name = json_str(f, "name");
            const cJSON *v = name ? cJSON_GetObjectItemCaseSensitive(creds, name) : NULL, *req = cJSON_GetObjectItemCaseSensitive(f, "required");
            int required = cJSON_IsTrue(req) || (cJSON_IsString(req) && !strcmp(req->valuestring, "true"));
            if (name && required && !(cJSON_IsString(v) && strspn(v->valuestring, " \t\r\n") < strlen(v->valuestring)) &&
                !cJSON_IsNumber(v) && !cJSON_IsBool(v))
                NOTE(name);
        }
    } else {
        /* The app's OAuth client (client_id / client_secret) is the org's, configured in Refold:
         * a migrated token needs only what the provider issued to the customer. */
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "auth_structure"), auth_type)) {
            if (!strcmp(f->string, "client_id") || !strcmp(f->string, "client_secret") ||
                (cJSON_IsObject(f) && !json_bool(f, "required", 1)))
                continue;
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(creds, f->string);
            if (!(cJSON_IsString(v) && *v->valuestring) && !cJSON_IsNumber(v))
                NOTE(f->string);
        }
    }
#undef NOTE
    return count;
}

long long connections_next_due(struct mock *m)
{
    return store_next_due(m->store, KIND);
}

/* A refresh token or key-based credential lapsed: the connection expires (reason "expired"). */
void connections_fire(struct mock *m, long long now)
{
    cJSON *due = store_due(m->store, KIND, now), *row;
    cJSON_ArrayForEach(row, due) {
        const struct tenant *t = tenants_by_id(m, json_str(row, "tenant"));
        const char *id = json_str(row, "id");
        store_begin(m->store);
        cJSON *conn = t ? store_get(m->store, t->id, KIND, id) : NULL;
        long long at = conn ? next_expiry(conn) : 0;
        int rc;
        if (conn && at > 0 && at <= now)
            rc = expire_doc(m, t, conn, id, "expired", at);
        else /* nothing left to happen (or a tenant the fixtures no longer have): no timer */
            rc = store_set_due(m->store, json_str(row, "tenant"), KIND, id, at > now ? at : 0);
        cJSON_Delete(conn);
        if (rc)
            store_rollback(m->store);
        else
            store_commit(m->store);
    }
    cJSON_Delete(due);
}

cJSON *connections_public_account(const cJSON *conn)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *ident = cJSON_GetObjectItemCaseSensitive(conn, "identifier");
    cJSON_AddItemToObject(o, "identifier", ident ? cJSON_Duplicate(ident, 1) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "connectedAt", json_str(conn, "connectedAt") ? json_str(conn, "connectedAt") : "");
    cJSON_AddStringToObject(o, "status", connections_state_name(connections_state(conn)));
    cJSON_AddStringToObject(o, "auth_type", json_str(conn, "auth_type") ? json_str(conn, "auth_type") : "oauth2");
    return o;
}

cJSON *connections_public_integration(struct mock *m, const cJSON *conn)
{
    const char *slug = json_str(conn, "slug");
    const cJSON *app = fixtures_app(m->fx, slug);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", slug);
    cJSON_AddStringToObject(o, "name", app ? json_str(app, "name") : slug);
    cJSON_AddStringToObject(o, "icon", app ? json_str(app, "icon") : "");
    /* linked-accounts/get-linked-account.mdx: built-in apps show "app_id": null here, a custom
     * app (type "custom") its own id */
    const char *type = app ? json_str(app, "type") : NULL;
    if (type && !strcmp(type, "custom") && json_str(app, "app_id"))
        cJSON_AddStringToObject(o, "app_id", json_str(app, "app_id"));
    else
        cJSON_AddNullToObject(o, "app_id");
    const cJSON *ident = cJSON_GetObjectItemCaseSensitive(conn, "identifier");
    cJSON_AddItemToObject(o, "identifier", ident ? cJSON_Duplicate(ident, 1) : cJSON_CreateNull());
    int expired = connections_state(conn) == CONNECTION_EXPIRED;
    cJSON_AddBoolToObject(o, "reauth_required", expired);
    const char *reason = json_str(conn, "reason");
    cJSON_AddBoolToObject(o, "refresh_token_expired", expired && reason && !strcmp(reason, "expired"));
    cJSON_AddStringToObject(o, "createdAt", json_str(conn, "createdAt") ? json_str(conn, "createdAt") : "");
    cJSON_AddStringToObject(o, "updatedAt", json_str(conn, "updatedAt") ? json_str(conn, "updatedAt") : "");
    return o;
}

static void add_time(cJSON *o, const char *key, long long ms)
{
    char at[32];
    if (ms > 0) {
        util_iso8601(ms, at);
        cJSON_AddStringToObject(o, key, at);
    } else {
        cJSON_AddNullToObject(o, key);
    }
}

cJSON *connections_admin_view(struct mock *m, const cJSON *stored)
{
    cJSON *conn = cJSON_Duplicate(stored, 1);
    catch_up(conn, clock_now_ms(m));
    cJSON *o = cJSON_CreateObject();
    static const char *const copy[] = {"linked_account_id", "slug", "auth_type", "status", "reason", "identifier",
                                       "connectedAt", "createdAt", "updatedAt"};
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(conn, copy[i]);
        cJSON_AddItemToObject(o, copy[i], v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
    }
    cJSON_AddBoolToObject(o, "reauth_required", !is_active(conn));
    add_time(o, "expired_at", ms_of(conn, "expired_at"));
    const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(conn, "access_token_ttl_s");
    cJSON_AddItemToObject(o, "access_token_ttl_seconds", cJSON_IsNumber(ttl) ? cJSON_Duplicate(ttl, 1) : cJSON_CreateNull());
    add_time(o, "access_token_expires_at", ms_of(conn, "access_token_expires_at"));
    add_time(o, "refresh_token_expires_at", ms_of(conn, "refresh_token_expires_at"));
    add_time(o, "credential_expires_at", ms_of(conn, "credential_expires_at"));
    cJSON_AddNumberToObject(o, "refresh_count", json_num(conn, "refresh_count", 0));
    cJSON *history = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(conn, "log")) {
        const char *ev = json_str(e, "event");
        if (ev && !strcmp(ev, "Token Refreshed")) {
            cJSON *h = cJSON_CreateObject();
            cJSON_AddStringToObject(h, "at", json_str(e, "at"));
            cJSON_AddStringToObject(h, "access_token_expires_at", json_str(e, "access_token_expires_at"));
            cJSON_AddItemToArray(history, h);
        }
    }
    cJSON_AddItemToObject(o, "refresh_history", history);
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(conn, "log");
    cJSON_AddItemToObject(o, "log", log ? cJSON_Duplicate(log, 1) : cJSON_CreateArray());
    cJSON_Delete(conn);
    return o;
}
