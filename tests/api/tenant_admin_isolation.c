/* tenant_admin_isolation.c: tenants cannot touch each other through /__mock: each tenant loads,
 * fires and unloads its own scenario (loading never wipes or replaces another tenant's, and its
 * faults stay); each tenant's request journal and MCP log are its own, bounded per tenant, so
 * one tenant's traffic never evicts another's; waiters are capped per tenant as well as in all. */
#include "harness.h"
#include "mcp_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *new_tenant(refold_mock *m, const char *org)
{
    char body[96];
    snprintf(body, sizeof body, "{\"org\":\"%s\",\"environment\":\"test\"}", org);
    th_resp r = th_request(m, "POST", "/__mock/tenants", body, NULL);
    assert_int_equal(r.status, 200);
    char *key = strdup(th_str(r.json, "api_key"));
    th_free(&r);
    return key;
}

/* B's story: a linked account, a fault on its linked-account list armed at once, a manual step. */
#define B_SCENARIO "{\"name\":\"b-story\",\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"b-co\"}]}," \
    "\"steps\":[{\"name\":\"b-fault\",\"when\":{\"after_seconds\":0},\"do\":[{\"action\":\"fail_requests\"," \
    "\"path\":\"/api/v2/public/linked-account/b-co\",\"status\":503,\"times\":-1}]}," \
    "{\"name\":\"b-manual\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"revoke_session_tokens\"," \
    "\"linked_account_id\":\"b-co\"}]}]}"

static long status_of(th_resp r)
{
    long s = r.status;
    th_free(&r);
    return s;
}

static cJSON *scenario_of(refold_mock *m, const char *key)
{
    th_resp r = key ? th_key(m, "GET", "/__mock/scenario", key, NULL, NULL) : th_request(m, "GET", "/__mock/scenario", NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *o = r.json;
    r.json = NULL;
    th_free(&r);
    return o;
}

static void scenarios_are_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Globex");
    /* something of the fixtures' own Acme tenant that a reset would wipe */
    th_create_la(m, ACME, "fixture-kept", "Kept");

    th_resp r = th_key(m, "POST", "/__mock/scenario", b, NULL, B_SCENARIO);
    if (r.status != 200)
        fprintf(stderr, "%s\n", r.body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), b);
    th_free(&r);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/b-co", b, NULL, NULL)), 503);

    /* A loads a shipped scenario written for tk_acme_test: it plays in A, its own tenant */
    r = th_key(m, "POST", "/__mock/scenario", a, NULL, "{\"name\":\"reauth-demo\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), a);
    th_free(&r);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/acme-co", a, NULL, NULL)), 200);
    /* the fixtures' Acme tenant was not wiped, and got nothing of the story */
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/fixture-kept", ACME, NULL, NULL)), 200);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL)), 404);
    /* B's scenario is still loaded, its fault still armed */
    cJSON *st = scenario_of(m, b);
    assert_string_equal(th_str(st, "name"), "b-story");
    assert_string_equal(th_str(st, "armed"), "b-manual");
    assert_non_null(strstr(cJSON_PrintUnformatted(cJSON_GetObjectItem(st, "faults")), "b-co"));
    cJSON_Delete(st);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/b-co", b, NULL, NULL)), 503);
    st = scenario_of(m, a);
    assert_string_equal(th_str(st, "name"), "reauth-demo");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "faults")), 0); /* (B's are not A's) */
    cJSON_Delete(st);

    /* A cannot fire B's manual step: A's own scenario has no such step */
    r = th_key(m, "POST", "/__mock/scenario/steps/b-manual", a, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    st = scenario_of(m, b);
    assert_string_equal(th_str(st, "armed"), "b-manual");
    cJSON_Delete(st);
    /* B fires its own */
    r = th_key(m, "POST", "/__mock/scenario/steps/b-manual", b, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "finished")));
    th_free(&r);

    /* with a key, a scenario naming another org's tenant is refused, and nothing changes */
    r = th_key(m, "POST", "/__mock/scenario", a, NULL, "{\"name\":\"x\",\"api_key\":\"tk_globex_test\",\"steps\":[]}");
    th_assert_error(&r, 403);
    th_free(&r);
    st = scenario_of(m, a);
    assert_string_equal(th_str(st, "name"), "reauth-demo");
    cJSON_Delete(st);

    /* a reset with A's key unloads A's only */
    r = th_key(m, "POST", "/__mock/reset", a, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    st = scenario_of(m, a);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(st, "loaded")));
    cJSON_Delete(st);
    st = scenario_of(m, b);
    assert_string_equal(th_str(st, "name"), "b-story");
    cJSON_Delete(st);
    /* the keyless form is the admin's: it loads in the scenario's api_key tenant, as documented */
    r = th_request(m, "POST", "/__mock/scenario", "{\"name\":\"reauth-demo\"}", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), ACME);
    th_free(&r);
    st = scenario_of(m, NULL);
    assert_string_equal(th_str(st, "api_key"), ACME);
    cJSON_Delete(st);
    st = scenario_of(m, b);
    assert_string_equal(th_str(st, "name"), "b-story");
    cJSON_Delete(st);
    free(a);
    free(b);
    refold_mock_stop(m);
}

static int journal_count(refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/__mock/requests/count", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetObjectItem(r.json, "count")->valueint;
    th_free(&r);
    return n;
}

/* B's 2,100 requests do not evict A's 3. */
static void journal_is_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Acme");
    for (int i = 0; i < 3; i++)
        status_of(th_key(m, "GET", "/api/v2/public/linked-account", a, NULL, NULL));
    assert_int_equal(journal_count(m, a), 3);
    for (int i = 0; i < 2100; i++)
        status_of(th_key(m, "GET", "/api/v2/public/linked-account", b, NULL, NULL));
    assert_int_equal(journal_count(m, a), 3);
    assert_int_equal(journal_count(m, b), 2000); /* B's own history is bounded */
    th_resp r = th_key(m, "GET", "/__mock/requests?limit=5", a, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 3);
    th_free(&r);
    free(a);
    free(b);
    refold_mock_stop(m);
}

static int mcp_log_count(refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/__mock/mcp/logs?limit=10000", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *logs = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "logs");
    int n = cJSON_GetArraySize(logs);
    th_free(&r);
    return n;
}

/* B's tool calls do not evict A's from the MCP log. */
static void mcp_log_is_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Acme");
    char sa[32], sb[32], pa[64], pb[64];
    const char *cfg = "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"get_contact\"]}]}";
    th_create_la(m, a, "la", "A");
    th_create_la(m, b, "la", "B");
    mu_connect_hubspot(m, a, "la");
    mu_connect_hubspot(m, b, "la");
    mu_server(m, a, "la", cfg, sa);
    mu_server(m, b, "la", cfg, sb);
    mu_pat(m, a, "la", pa);
    mu_pat(m, b, "la", pb);
    th_resp r = mu_rpc(m, pa, sa, "tools/call", "{\"name\":\"no_such_tool\",\"arguments\":{}}");
    th_free(&r);
    int mine = mcp_log_count(m, a);
    assert_true(mine >= 1);
    for (int i = 0; i < 5100; i++)
        status_of(mu_rpc(m, pb, sb, "tools/call", "{\"name\":\"no_such_tool\",\"arguments\":{}}"));
    assert_int_equal(mcp_log_count(m, a), mine);
    assert_true(mcp_log_count(m, b) <= 5000);
    free(a);
    free(b);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenarios_are_per_tenant),
        cmocka_unit_test(journal_is_per_tenant),
        cmocka_unit_test(mcp_log_is_per_tenant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
