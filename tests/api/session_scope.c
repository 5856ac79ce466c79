/* session_scope.c: a session token lives in a customer's browser and reaches its own linked
 * account only: with linked account A's token, every family a token can call (MCP servers,
 * webhooks, configs, workflows, executions, env values, linked accounts; tables and datarefs take
 * the API key only) finds nothing of linked account B of the same tenant, changes nothing of it,
 * and B's objects are all still there afterwards. */
#include "harness.h"
#include "flows_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A "scope_a"
#define B "scope_b"
#define MCP "/api/v2/public/mcp-servers"
#define WH "/api/v2/public/webhook"
#define WF "/api/v2/public/workflow"
#define CRM_REGION "6a1402a741e63efd08fb3e6c" /* a linked-account scoped variable */

struct fx {
    refold_mock *m;
    char ta[1024], tb[1024];
    char server[32], webhook[32], workflow[32], execution[32], env_value[32];
};

static void id_of(th_resp *r, const char *member, char *out)
{
    if (r->status != 200 && r->status != 201)
        fprintf(stderr, "%ld %s\n", r->status, r->body);
    assert_true(r->status == 200 || r->status == 201);
    const cJSON *o = member ? cJSON_GetObjectItem(r->json, member) : r->json;
    const char *id = th_str(o, "_id");
    assert_non_null(id);
    snprintf(out, 32, "%s", id);
    th_free(r);
}

/* B owns one object of every family; A and B each hold a session token. */
static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->m = th_start(NULL);
    th_create_la(f->m, ACME, A, "Customer A");
    th_create_la(f->m, ACME, B, "Customer B");
    th_session_token(f->m, ACME, A, f->ta, sizeof f->ta);
    th_session_token(f->m, ACME, B, f->tb, sizeof f->tb);
    fu_connect_playground(f->m, ACME, B);

    th_resp r = th_bearer(f->m, "POST", MCP, f->tb, "{\"name\":\"B's\",\"description\":\"B's server\"}");
    id_of(&r, NULL, f->server);
    r = th_bearer(f->m, "POST", WH, f->tb, "{\"webhook_url\":\"https://b.example.com/hook\",\"webhook_events\":[\"Connection Expired\"]}");
    id_of(&r, NULL, f->webhook);
    r = th_key(f->m, "POST", WF, ACME, B, "{\"name\":\"B's flow\",\"slug\":\"playground_app\",\"run\":{\"duration_seconds\":1}}");
    id_of(&r, "workflow", f->workflow);
    fu_execute(f->m, ACME, B, "playground_app", PLAYGROUND_SYNC, NULL, f->execution);
    r = th_key(f->m, "POST", "/api/v2/public/env/values", ACME, B, "{\"variable_definition_id\":\"" CRM_REGION "\",\"value\":\"b1\"}");
    id_of(&r, NULL, f->env_value);
    r = th_key(f->m, "POST", "/api/v2/public/config", ACME, B, "{\"slug\":\"playground_app\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    refold_mock_stop(f->m);
    free(f);
    return 0;
}

/* A's token on path: the status it gets (never a 2xx for B's objects). */
static long as_a(struct fx *f, const char *method, const char *fmt, const char *id, const char *body)
{
    char path[256];
    snprintf(path, sizeof path, fmt, id);
    th_resp r = th_bearer(f->m, method, path, f->ta, body);
    long s = r.status;
    if (s < 400)
        fprintf(stderr, "A reached %s %s: %ld %s\n", method, path, s, r.body);
    th_free(&r);
    return s;
}

static long as_b(struct fx *f, const char *method, const char *fmt, const char *id)
{
    char path[256];
    snprintf(path, sizeof path, fmt, id);
    th_resp r = th_bearer(f->m, method, path, f->tb, NULL);
    long s = r.status;
    th_free(&r);
    return s;
}

static void mcp_servers(void **state)
{
    struct fx *f = *state;
    assert_int_equal(as_a(f, "GET", MCP "/%s", f->server, NULL), 404);
    assert_int_equal(as_a(f, "PUT", MCP "/%s", f->server, "{\"name\":\"taken\"}"), 404);
    assert_int_equal(as_a(f, "DELETE", MCP "/%s", f->server, NULL), 404);
    th_resp r = th_bearer(f->m, "GET", MCP, f->ta, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    assert_null(strstr(r.body, f->server));
    th_free(&r);
    /* B's server is untouched, and B reaches it */
    char path[64];
    snprintf(path, sizeof path, MCP "/%s", f->server);
    r = th_bearer(f->m, "GET", path, f->tb, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "B's");
    th_free(&r);
    r = th_bearer(f->m, "GET", MCP, f->tb, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
    /* A's personal access token is a bearer token like a session token: the same reach */
    r = th_request(f->m, "POST", "/__mock/linked-accounts/" A "/personal-access-token", NULL,
                   (const char *const[]){"x-api-key: " ACME, NULL});
    assert_int_equal(r.status, 201);
    char pat[128];
    snprintf(pat, sizeof pat, "%s", th_str(r.json, "token"));
    th_free(&r);
    r = th_bearer(f->m, "GET", path, pat, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
    r = th_bearer(f->m, "DELETE", path, pat, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
    /* the product's key still reaches every server of the tenant */
    r = th_key(f->m, "GET", path, ACME, A, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void webhooks(void **state)
{
    struct fx *f = *state;
    assert_int_equal(as_a(f, "PUT", WH "/%s", f->webhook, "{\"webhook_url\":\"https://a.example.com/x\"}"), 400);
    assert_int_equal(as_a(f, "DELETE", WH "/%s", f->webhook, NULL), 400);
    /* the org's own webhook (registered with the key) is out of a token's reach too */
    th_resp r = th_key(f->m, "POST", WH, ACME, NULL, "{\"webhook_url\":\"https://org.example.com/hook\",\"webhook_events\":[\"Connection Expired\"]}");
    char org[32];
    id_of(&r, NULL, org);
    assert_int_equal(as_a(f, "DELETE", WH "/%s", org, NULL), 400);
    /* A's own delete answers with A's webhooks only */
    char mine[32];
    r = th_bearer(f->m, "POST", WH, f->ta, "{\"webhook_url\":\"https://a.example.com/hook\",\"webhook_events\":[\"Connection Expired\"]}");
    id_of(&r, NULL, mine);
    char path[64];
    snprintf(path, sizeof path, WH "/%s", mine);
    r = th_bearer(f->m, "DELETE", path, f->ta, NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "b.example.com"));
    assert_null(strstr(r.body, "org.example.com"));
    th_free(&r);
    /* B's and the org's are unchanged; an update by the key keeps B's ownership */
    snprintf(path, sizeof path, WH "/%s", f->webhook);
    r = th_key(f->m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "https://b.example.com/hook"));
    th_free(&r);
    r = th_key(f->m, "PUT", path, ACME, NULL, "{\"webhook_url\":\"https://b.example.com/hook2\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(as_a(f, "DELETE", WH "/%s", f->webhook, NULL), 400);
    r = th_bearer(f->m, "PUT", path, f->tb, "{\"webhook_url\":\"https://b.example.com/hook3\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

/* A webhook a session token registered hears its own linked account's events only. */
static void webhook_events_stay_with_owner(void **state)
{
    struct fx *f = *state;
    th_resp r = th_bearer(f->m, "POST", WH, f->ta, "{\"webhook_url\":\"http://127.0.0.1:9/a\",\"webhook_events\":[\"Connection Created\"]}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(f->m, "POST", WH, ACME, NULL, "{\"webhook_url\":\"http://127.0.0.1:9/org\",\"webhook_events\":[\"Connection Created\"]}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    fu_connect_oauth(f->m, ACME, B, "hubspot");
    fu_connect_oauth(f->m, ACME, A, "hubspot");
    r = th_key(f->m, "GET", "/__mock/webhooks/deliveries?event=Connection%20Created", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    int to_a = 0, to_org = 0;
    const cJSON *d, *rows = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "deliveries");
    cJSON_ArrayForEach(d, rows) {
        const char *url = th_str(d, "url"), *la = th_str(d, "linked_account_id");
        if (url && strstr(url, "/a")) {
            to_a++;
            assert_string_equal(la, A);
        }
        if (url && strstr(url, "/org"))
            to_org++;
    }
    assert_int_equal(to_a, 1);
    assert_int_equal(to_org, 2);
    th_free(&r);
}

static void workflows_and_executions(void **state)
{
    struct fx *f = *state;
    assert_true(as_a(f, "GET", WF "/%s/edit", f->workflow, NULL) >= 400);
    assert_true(as_a(f, "GET", WF "/%s", f->workflow, NULL) >= 400);
    assert_true(as_a(f, "PUT", WF "/%s/publish", f->workflow, "{}") >= 400);
    assert_true(as_a(f, "POST", WF "/%s/execute", f->workflow, "{}") >= 400);
    assert_true(as_a(f, "GET", WF "/versions/%s", f->workflow, NULL) >= 400);
    assert_true(as_a(f, "GET", WF "/request-structure/%s", f->workflow, NULL) >= 400);
    assert_true(as_a(f, "DELETE", WF "/%s", f->workflow, NULL) >= 400);
    assert_int_equal(as_b(f, "GET", WF "/%s/edit", f->workflow), 200);

    assert_int_equal(as_a(f, "GET", "/api/v2/public/execution/%s", f->execution, NULL), 404);
    assert_int_equal(as_a(f, "POST", "/api/v2/public/execution/%s/stop", f->execution, NULL), 404);
    assert_int_equal(as_a(f, "POST", "/api/v2/public/execution/%s/rerun", f->execution, NULL), 404);
    assert_int_equal(as_a(f, "GET", "/api/v2/public/execution/%s/nodes/1/batches", f->execution, NULL), 404);
    th_resp r = th_bearer(f->m, "GET", "/api/v2/public/execution", f->ta, NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, f->execution));
    th_free(&r);
    r = th_bearer(f->m, "GET", WF "?scope=private", f->ta, NULL);
    assert_null(strstr(r.body, f->workflow));
    th_free(&r);
    assert_int_equal(as_b(f, "GET", "/api/v2/public/execution/%s", f->execution), 200);
}

static void configs_env_and_accounts(void **state)
{
    struct fx *f = *state;
    /* B's config of playground_app exists; A's token sees only A's (none) */
    th_resp r = th_key(f->m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, B, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) > 0);
    th_free(&r);
    r = th_bearer(f->m, "GET", "/api/v2/public/slug/playground_app/configs", f->ta, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    assert_true(as_a(f, "DELETE", "/api/v2/public/f-sdk/slug/playground_app/config%s", "", NULL) >= 400);
    r = th_key(f->m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, B, NULL);
    assert_true(cJSON_GetArraySize(r.json) > 0);
    th_free(&r);

    assert_true(as_a(f, "DELETE", "/api/v2/public/env/values/%s", f->env_value, NULL) >= 400);
    r = th_bearer(f->m, "GET", "/api/v2/public/env/values/linked_account", f->ta, NULL);
    assert_null(strstr(r.body, "b1"));
    th_free(&r);
    r = th_key(f->m, "GET", "/api/v2/public/env/value/" CRM_REGION, ACME, B, NULL);
    assert_non_null(strstr(r.body, "b1"));
    th_free(&r);

    assert_true(as_a(f, "GET", "/api/v2/public/linked-account/%s", B, NULL) >= 400);
    r = th_bearer(f->m, "PUT", "/api/v2/public/linked-account", f->ta, "{\"linked_account_id\":\"" B "\",\"name\":\"Taken\"}");
    th_free(&r);
    r = th_key(f->m, "GET", "/api/v2/public/linked-account/" B, ACME, NULL, NULL);
    assert_non_null(strstr(r.body, "Customer B"));
    th_free(&r);
}

/* Tables and datarefs are the product's: a token gets 401 on every one of their routes. */
static void key_only_families(void **state)
{
    struct fx *f = *state;
    th_resp r = th_key(f->m, "POST", "/api/v2/public/tables", ACME, B, "{\"name\":\"b_table\",\"columns\":[{\"name\":\"x\",\"type\":\"string\"}]}");
    th_free(&r);
    static const char *const calls[][2] = {
        {"GET", "/api/v2/public/tables"}, {"POST", "/api/v2/public/tables"}, {"GET", "/api/v2/public/dataref"},
        {"POST", "/api/v2/public/dataref"}, {"GET", "/api/v2/public/webhook"},
        {"GET", "/api/v1/workflow/public/scheduled"}, {"POST", "/api/v1/workflow/public/scheduled"},
        {"GET", "/api/v2/public/datastore/config/playground_app"}, {"GET", "/api/v2/public/env/definitions"},
        {"GET", "/api/v2/public/linked-account"},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        assert_int_equal(as_a(f, calls[i][0], "%s", calls[i][1], "{}"), 401);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(mcp_servers, setup, teardown),
        cmocka_unit_test_setup_teardown(webhooks, setup, teardown),
        cmocka_unit_test_setup_teardown(webhook_events_stay_with_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(workflows_and_executions, setup, teardown),
        cmocka_unit_test_setup_teardown(configs_env_and_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(key_only_families, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
