/* setup.c: applies a setup block (linked accounts, connections, webhooks) through the API's code. */
#include "engine/setup.h"
#include "base/json.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "base/store.h"
#include "base/util.h"
#include "engine/webhooks.h"
#include "engine/linked_accounts.h"
#include "engine/subscriptions.h"

#include <stdio.h>
#include <string.h>

static int check_known(const cJSON *obj, const char *const *known, const char *where, char *err, size_t n)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, obj) {
        int ok = 0;
        for (int i = 0; known[i] && !ok; i++)
            ok = !strcmp(f->string, known[i]);
        if (!ok)
            return snprintf(err, n, "%s.%s: unknown field", where, f->string), -1;
    }
    return 0;
}

/* A webhooks entry in the scenario's short form ({"url", "events"}, events defaulting to every
 * event of webhooks_events: the seven Refold documents) or the API's own (webhook_url, webhook_events, ...), as a RegisterWebhookRequest. */
static cJSON *webhook_request(const cJSON *e)
{
    static const char *const map[][2] = {{"url", "webhook_url"}, {"events", "webhook_events"}, {"headers", "webhook_headers"}};
    cJSON *out = cJSON_CreateObject();
    const cJSON *f;
    cJSON_ArrayForEach(f, e) {
        const char *name = f->string;
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (!strcmp(name, map[i][0]))
                name = map[i][1];
        cJSON_AddItemToObject(out, name, cJSON_Duplicate(f, 1));
    }
    if (!cJSON_GetObjectItemCaseSensitive(out, "webhook_events"))
        cJSON_AddItemToObject(out, "webhook_events", webhooks_event_array());
    return out;
}

static int validate_webhooks(const cJSON *hooks, char *err, size_t n)
{
    static const char *const fields[] = {"url", "events", "headers", "webhook_url", "webhook_events", "webhook_headers",
                                         "webhook_body", "webhook_description", "description", "method", "slug", NULL};
    if (hooks && !cJSON_IsArray(hooks))
        return snprintf(err, n, "setup.webhooks: must be an array"), -1;
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, hooks) {
        char where[64];
        snprintf(where, sizeof where, "setup.webhooks[%d]", i++);
        if (!cJSON_IsObject(e))
            return snprintf(err, n, "%s: must be an object with url and events", where), -1;
        if (check_known(e, fields, where, err, n))
            return -1;
        cJSON *rq = webhook_request(e);
        const char *url = json_str(rq, "webhook_url");
        const cJSON *events = cJSON_GetObjectItemCaseSensitive(rq, "webhook_events"), *ev;
        int rc = 0;
        if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))) {
            snprintf(err, n, "%s.url: required, an http:// or https:// URL", where);
            rc = -1;
        } else if (!cJSON_IsArray(events) || !cJSON_GetArraySize(events)) {
            snprintf(err, n, "%s.events: must be a non-empty array of event names", where);
            rc = -1;
        } else {
            cJSON_ArrayForEach(ev, events) {
                if (!cJSON_IsString(ev) || !webhooks_event_kind(ev->valuestring)) {
                    char names[200];
                    snprintf(err, n, "%s.events: '%s' is not one of %s", where,
                             cJSON_IsString(ev) ? ev->valuestring : "(not a string)", webhooks_event_names(0, names, sizeof names));
                    rc = -1;
                    break;
                }
            }
        }
        cJSON_Delete(rq);
        if (rc)
            return -1;
    }
    return 0;
}

int setup_validate(struct mock *m, const struct tenant *t, const cJSON *setup, char *err, size_t n)
{
    static const char *const top[] = {"linked_accounts", "connections", "webhooks", NULL};
    static const char *const la_fields[] = {"linked_account_id", "account_id", "name", "udf", "your_app", NULL};
    static const char *const conn_fields[] = {"linked_account_id", "slug", "auth_type", "identifier", "credentials", "status", "reason", NULL};
    if (!cJSON_IsObject(setup))
        return snprintf(err, n, "setup: must be an object"), -1;
    if (check_known(setup, top, "setup", err, n))
        return -1;
    const cJSON *las = cJSON_GetObjectItemCaseSensitive(setup, "linked_accounts");
    const cJSON *conns = cJSON_GetObjectItemCaseSensitive(setup, "connections");
    if (las && !cJSON_IsArray(las))
        return snprintf(err, n, "setup.linked_accounts: must be an array"), -1;
    if (conns && !cJSON_IsArray(conns))
        return snprintf(err, n, "setup.connections: must be an array"), -1;
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, las) {
        char where[64];
        snprintf(where, sizeof where, "setup.linked_accounts[%d]", i++);
        const char *id = json_str(e, "linked_account_id") ? json_str(e, "linked_account_id") : json_str(e, "account_id");
        if (!cJSON_IsObject(e) || check_known(e, la_fields, where, err, n))
            return cJSON_IsObject(e) ? -1 : (snprintf(err, n, "%s: must be an object", where), -1);
        if (!linked_accounts_valid_id(id))
            return snprintf(err, n, "%s.linked_account_id: missing or invalid", where), -1;
        if (linked_accounts_validate_fields(e, err, n)) {
            char why[128];
            snprintf(why, sizeof why, "%s", err);
            return snprintf(err, n, "%s: %s", where, why), -1;
        }
    }
    i = 0;
    cJSON_ArrayForEach(e, conns) {
        char where[64];
        snprintf(where, sizeof where, "setup.connections[%d]", i++);
        if (!cJSON_IsObject(e))
            return snprintf(err, n, "%s: must be an object", where), -1;
        if (check_known(e, conn_fields, where, err, n))
            return -1;
        const char *la = json_str(e, "linked_account_id"), *slug = json_str(e, "slug");
        if (!slug || !fixtures_app(m->fx, slug))
            return snprintf(err, n, "%s.slug: unknown app '%s'", where, slug ? slug : ""), -1;
        int known = la && linked_accounts_exists(m, t, la);
        const cJSON *x;
        cJSON_ArrayForEach(x, las) {
            const char *id = json_str(x, "linked_account_id") ? json_str(x, "linked_account_id") : json_str(x, "account_id");
            if (la && id && !strcmp(la, id))
                known = 1;
        }
        if (!known)
            return snprintf(err, n, "%s.linked_account_id: unknown linked account '%s'", where, la ? la : ""), -1;
        const char *auth = json_str(e, "auth_type");
        if (auth && !fixtures_app_supports(fixtures_app(m->fx, slug), auth))
            return snprintf(err, n, "%s.auth_type: %s does not support %s", where, slug, auth), -1;
    }
    return validate_webhooks(cJSON_GetObjectItemCaseSensitive(setup, "webhooks"), err, n);
}

int setup_apply(struct mock *m, const struct tenant *t, const cJSON *setup, char *err, size_t n)
{
    if (setup_validate(m, t, setup, err, n))
        return -1;
    store_begin(m->store);
    const cJSON *e;
    int rc = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(setup, "linked_accounts")) {
        const char *id = json_str(e, "linked_account_id") ? json_str(e, "linked_account_id") : json_str(e, "account_id");
        if (linked_accounts_save(m, t, id, e, 0, NULL) < 0)
            rc = -1;
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(setup, "connections")) {
        const char *la = json_str(e, "linked_account_id"), *slug = json_str(e, "slug");
        if (connections_connect(m, t, la, slug, json_str(e, "auth_type"), cJSON_GetObjectItemCaseSensitive(e, "identifier"),
                               cJSON_GetObjectItemCaseSensitive(e, "credentials")) != 0)
            rc = -1;
        const char *status = json_str(e, "status");
        if (rc == 0 && status && !strcmp(status, "expired"))
            connections_expire(m, t, la, slug, json_str(e, "reason") ? json_str(e, "reason") : "expired");
    }
    /* Subscriptions last: the state setup builds is where the story starts, not news to announce. */
    int i = 0;
    const cJSON *hooks = rc ? NULL : cJSON_GetObjectItemCaseSensitive(setup, "webhooks");
    cJSON_ArrayForEach(e, hooks) {
        cJSON *rq = webhook_request(e);
        const char *code;
        char why[300] = "";
        if (subscriptions_register(m, t, rq, NULL, &code, why, sizeof why) != 0) {
            cJSON_Delete(rq);
            store_rollback(m->store);
            snprintf(err, n, "setup.webhooks[%d]: %s", i, why);
            return -1;
        }
        cJSON_Delete(rq);
        i++;
    }
    if (rc) {
        store_rollback(m->store);
        snprintf(err, n, "setup could not be applied");
        return -1;
    }
    return store_commit(m->store);
}
