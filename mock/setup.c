/* setup.c: applies a setup block (linked accounts, connections, webhooks) through the API's code. */
#include "setup.h"
#include "connections.h"
#include "fixtures.h"
#include "store.h"
#include "util.h"
#include "api/linked_accounts.h"

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
        if (!la_valid_id(id))
            return snprintf(err, n, "%s.linked_account_id: missing or invalid", where), -1;
        if (la_validate_fields(e, err, n)) {
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
        int known = la && store_exists(m->store, t->id, "linked_account", la);
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
    return 0;
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
        if (la_save(m, t, id, e, 0, NULL) < 0)
            rc = -1;
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(setup, "connections")) {
        const char *la = json_str(e, "linked_account_id"), *slug = json_str(e, "slug");
        if (connection_connect(m, t, la, slug, json_str(e, "auth_type"), cJSON_GetObjectItemCaseSensitive(e, "identifier"),
                               cJSON_GetObjectItemCaseSensitive(e, "credentials")) != 0)
            rc = -1;
        const char *status = json_str(e, "status");
        if (rc == 0 && status && !strcmp(status, "expired"))
            connection_expire(m, t, la, slug, json_str(e, "reason") ? json_str(e, "reason") : "expired");
    }
    if (rc) {
        store_rollback(m->store);
        snprintf(err, n, "setup could not be applied");
        return -1;
    }
    return store_commit(m->store);
}
