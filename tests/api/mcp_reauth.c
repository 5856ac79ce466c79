/* mcp_reauth.c: API tests for re-authentication in the chat (connect URL that works in a browser,
 * reconnect fixes the same session), faults and scenario steps on tool calls, the shipped
 * agent-reauth scenario end to end, and the MCP log (filters, no credentials). */
#include "mcp_util.h"

#define LA "acme-co"
#define CONFIG "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"create_contact\"]}]}"
#define CREATE "hubspot_create_contact_action"

static void load_scenario(refold_mock *m, const char *name)
{
    char body[128];
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    th_resp r = th_key(m, "POST", "/__mock/scenario", ACME, NULL, body);
    if (r.status != 200)
        fprintf(stderr, "load %s: %s\n", name, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

/* Reconnects hubspot through the connect URL as a customer's browser does: the list page, the
 * app's button, the consent page's Approve. */
static void reconnect_in_browser(refold_mock *m, const char *connect_url)
{
    const char *path = connect_url + strlen(refold_mock_url(m));
    th_resp r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-testid=\"reconnect-hubspot\""));
    th_free(&r);
    char app[600], loc[700], body[200];
    snprintf(app, sizeof app, "%s/hubspot", path);
    r = th_request(m, "GET", app, NULL, NULL);
    assert_int_equal(r.status, 303);
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    th_free(&r);
    const char *st = strstr(loc, "state=");
    assert_non_null(st);
    snprintf(body, sizeof body, "state=%.32s&decision=approve&popup=0", st + 6);
    const char *const hs[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = th_request(m, "POST", "/oauth/hubspot/authorize", body, hs);
    assert_int_equal(r.status, 303);
    th_free(&r);
}

static void shipped_agent_reauth_scenario(void **state)
{
    refold_mock *m = *state;
    load_scenario(m, "agent-reauth");
    char server[32], pat[64];
    mu_server(m, ACME, LA, CONFIG, server);
    mu_pat(m, ACME, LA, pat);
    int err;
    cJSON *res = mu_call(m, pat, server, CREATE, "{\"input_payload\":{\"email\":\"one@example.com\"}}", &err);
    assert_false(err);
    cJSON_Delete(res);
    /* the scenario revoked HubSpot after that call: the agent is told to have the customer reconnect */
    res = mu_call(m, pat, server, CREATE, "{\"input_payload\":{\"email\":\"two@example.com\"}}", &err);
    assert_true(err);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(res, "success")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "reauth_required")));
    const char *url = th_str(res, "connect_url");
    assert_non_null(url);
    assert_non_null(strstr(url, "/connect/"));
    assert_non_null(strstr(th_str(res, "error"), url)); /* a sentence the agent can relay as it is */
    assert_non_null(strstr(th_str(res, "error"), "reconnect"));
    reconnect_in_browser(m, url);
    cJSON_Delete(res);
    /* the same URL (same MCP session) works again */
    res = mu_call(m, pat, server, CREATE, "{\"input_payload\":{\"email\":\"three@example.com\"}}", &err);
    assert_false(err);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "success")));
    cJSON_Delete(res);
    th_resp r = th_key(m, "GET", "/__mock/scenario", ACME, NULL, NULL);
    assert_string_equal(th_str(th_find(cJSON_GetObjectItem(r.json, "steps"), "name", "hubspot-revoked"), "state"), "fired");
    th_free(&r);
}

static void never_connected_app_and_manual_step(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, LA, "Acme Co");
    char server[32], pat[64];
    mu_server(m, ACME, LA, CONFIG, server);
    mu_pat(m, ACME, LA, pat);
    int err;
    cJSON *res = mu_call(m, pat, server, CREATE, "{\"input_payload\":{\"email\":\"x@example.com\"}}", &err);
    assert_true(err);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "reauth_required")));
    assert_non_null(strstr(th_str(res, "error"), "not connected"));
    cJSON_Delete(res);
    mu_connect_hubspot(m, ACME, LA);
    res = mu_call(m, pat, server, CREATE, "{\"input_payload\":{\"email\":\"x@example.com\"}}", &err);
    assert_false(err);
    cJSON_Delete(res);
}

/* The shipped rate-limit scenario names the REST path: MCP tool calls are throttled the same way. */
static void faults_apply_to_tool_calls(void **state)
{
    refold_mock *m = *state;
    load_scenario(m, "rate-limited-actions");
    char server[32], pat[64];
    mu_server(m, ACME, LA, CONFIG, server);
    mu_pat(m, ACME, LA, pat);
    int err;
    const char *args = "{\"input_payload\":{\"email\":\"x@example.com\"}}";
    cJSON *res = mu_call(m, pat, server, CREATE, args, &err);
    assert_false(err);
    cJSON_Delete(res);
    for (int i = 0; i < 2; i++) {
        res = mu_call(m, pat, server, CREATE, args, &err);
        assert_true(err);
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(res, "retry_after")), 10);
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(res, "status_code")), 429);
        assert_non_null(strstr(th_str(res, "error"), "rate limit"));
        cJSON_Delete(res);
    }
    res = mu_call(m, pat, server, CREATE, args, &err);
    assert_false(err);
    cJSON_Delete(res);
    th_resp r = th_key(m, "GET", "/__mock/scenario", ACME, NULL, NULL);
    const cJSON *steps = cJSON_GetObjectItem(r.json, "steps");
    const cJSON *rec = th_find(steps, "name", "recovered");
    assert_non_null(rec);
    assert_string_equal(th_str(rec, "state"), "fired");
    th_free(&r);
}

static void logs_record_calls_without_credentials(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, LA, "Acme Co");
    th_create_la(m, ACME, "other", "Other");
    mu_connect_hubspot(m, ACME, LA);
    char server[32], pat[64], pat2[64];
    mu_server(m, ACME, LA, CONFIG, server);
    mu_pat(m, ACME, LA, pat);
    mu_pat(m, ACME, "other", pat2);
    int err;
    cJSON_Delete(mu_call(m, pat, server, CREATE, "{\"input_payload\":{\"email\":\"ok@example.com\"}}", &err));
    cJSON_Delete(mu_call(m, pat, server, CREATE, "{\"input_payload\":{}}", &err));
    cJSON_Delete(mu_call(m, pat2, server, CREATE, "{\"input_payload\":{\"email\":\"o@example.com\"}}", &err));
    th_resp r = th_key(m, "GET", "/__mock/mcp/logs", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *logs = cJSON_GetObjectItem(r.json, "logs");
    assert_int_equal(cJSON_GetArraySize(logs), 3);
    const cJSON *first = cJSON_GetArrayItem(logs, 0);
    assert_string_equal(th_str(first, "status"), "success");
    assert_string_equal(th_str(first, "tool"), CREATE);
    assert_string_equal(th_str(first, "application"), "hubspot");
    assert_string_equal(th_str(first, "action"), "create_contact");
    assert_string_equal(th_str(cJSON_GetObjectItem(first, "identity"), "linkedAccount"), LA);
    assert_string_equal(th_str(cJSON_GetObjectItem(first, "identity"), "server"), server);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(first, "request"), "input_payload"), "email"), "ok@example.com");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(first, "response"), "success")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(first, "durationMs")));
    /* the token (path) and the app's stored tokens are in no record */
    assert_null(strstr(r.body, pat));
    assert_null(strstr(r.body, pat2));
    assert_null(strstr(r.body, "at_secret_123"));
    assert_null(strstr(r.body, "rt_secret_456"));
    th_free(&r);
    r = th_key(m, "GET", "/__mock/mcp/logs?status=validation_error", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 1);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/mcp/logs?linked_account_id=other", ACME, NULL, NULL);
    logs = cJSON_GetObjectItem(r.json, "logs");
    assert_int_equal(cJSON_GetArraySize(logs), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(logs, 0), "status"), "execution_error"); /* never connected */
    th_free(&r);
    r = th_key(m, "GET", "/__mock/mcp/logs?application=slack", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 0);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/mcp/logs?tool=" CREATE "&limit=2", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 2);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/mcp/logs", GLOBEX, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 0);
    th_free(&r);
    /* a reset of the tenant takes its log with it */
    r = th_key(m, "POST", "/__mock/reset", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/mcp/logs", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 0);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(shipped_agent_reauth_scenario, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(never_connected_app_and_manual_step, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(faults_apply_to_tool_calls, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(logs_record_calls_without_credentials, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
