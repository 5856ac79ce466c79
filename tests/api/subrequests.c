/* subrequests.c: a request run inside another (an MCP tool call's action, the SDK's key-based
 * save and disconnect) goes through the dispatcher's own steps: its own journal entry naming
 * the request it ran in, the faults and the spec check of its route, as a direct call. */
#include "mcp_util.h"

#define LA "acme-co"
#define CONFIG "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"create_contact\"]}]}"
#define CREATE "hubspot_create_contact_action"
#define EXECUTE "/api/v2/integration-schema/hubspot/actions/create_contact/execute"

/* The journal entries of ACME whose path is path (caller deletes). */
static cJSON *entries(refold_mock *m, const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "/__mock/requests?path=%s", path);
    th_resp r = th_key(m, "GET", url, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *list = cJSON_Duplicate(cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "requests"), 1);
    th_free(&r);
    assert_true(cJSON_IsArray(list));
    return list;
}

/* A tools/call; its X-Request-Id into id, the tool's result parsed (caller deletes). */
static cJSON *call(refold_mock *m, const char *pat, const char *server, const char *email, char *id, size_t n, int *is_error)
{
    char params[256];
    snprintf(params, sizeof params, "{\"name\":\"%s\",\"arguments\":{\"input_payload\":{\"email\":\"%s\"}}}", CREATE, email);
    th_resp r = mu_rpc(m, pat, server, "tools/call", params);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "X-Request-Id", id, n));
    const cJSON *res = cJSON_GetObjectItem(r.json, "result");
    assert_non_null(res);
    *is_error = cJSON_IsTrue(cJSON_GetObjectItem(res, "isError"));
    cJSON *out = cJSON_Parse(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "content"), 0), "text"));
    th_free(&r);
    assert_non_null(out);
    return out;
}

static void tool_call_journals_its_action(void **state)
{
    (void)state;
    struct mu_fx *f = mu_fx_start(LA, CONFIG);
    char id[64];
    int err;
    cJSON *res = call(f->m, f->token, f->server, "journal@example.com", id, sizeof id, &err);
    assert_false(err);
    cJSON_Delete(res);
    /* the action's own entry, as a direct call would have it, naming the MCP request */
    cJSON *list = entries(f->m, EXECUTE);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *e = cJSON_GetArrayItem(list, 0);
    assert_string_equal(th_str(e, "method"), "POST");
    assert_string_equal(th_str(e, "operation"), "executeAction");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "status")), 200);
    assert_string_equal(th_str(e, "linked_account_id"), LA);
    assert_string_equal(th_str(e, "parent_request_id"), id);
    assert_int_equal(strncmp(th_str(e, "request_id"), id, strlen(id)), 0); /* <parent's id>.1 */
    assert_string_equal(th_str(e, "request_id") + strlen(id), ".1");
    const cJSON *body = cJSON_GetObjectItem(cJSON_GetObjectItem(e, "request"), "body");
    assert_string_equal(th_str(body, "email"), "journal@example.com");
    cJSON_Delete(list);
    /* and the MCP request's own entry stays, without a parent */
    list = entries(f->m, "/mcp/v1/*");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(list, 0), "request_id"), id);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "parent_request_id"));
    cJSON_Delete(list);
    /* a direct call has no parent either */
    th_resp r = th_key(f->m, "POST", EXECUTE, ACME, LA, "{\"email\":\"direct@example.com\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    list = entries(f->m, EXECUTE);
    assert_int_equal(cJSON_GetArraySize(list), 2);
    int parents = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, list) parents += cJSON_GetObjectItem(x, "parent_request_id") != NULL;
    assert_int_equal(parents, 1);
    cJSON_Delete(list);
    mu_fx_teardown((void **)&f);
}

/* A scenario's fail_requests on the action's route: the direct call and the tool call meet the
 * same fault (status, message), each spending one of its times. */
static void fault_on_the_action_route_fails_the_tool_call(void **state)
{
    refold_mock *m = *state;
    th_admin_ok(m, "/__mock/scenario",
                "{\"version\":1,\"name\":\"action-down\",\"api_key\":\"tk_acme_test\",\"steps\":[{\"name\":\"down\","
                "\"when\":{\"manual\":true},\"do\":[{\"action\":\"fail_requests\",\"method\":\"POST\","
                "\"path\":\"/api/v2/integration-schema/hubspot/actions/*/execute\",\"status\":503,\"times\":2}]}]}");
    th_create_la(m, ACME, LA, "Acme Co");
    mu_connect_hubspot(m, ACME, LA);
    char server[32], pat[64], id[64];
    mu_server(m, ACME, LA, CONFIG, server);
    mu_pat(m, ACME, LA, pat);
    th_admin_ok(m, "/__mock/scenario/steps/down", NULL);

    th_resp r = th_key(m, "POST", EXECUTE, ACME, LA, "{\"email\":\"direct@example.com\"}");
    th_assert_error(&r, 503);
    char direct[512];
    snprintf(direct, sizeof direct, "%s", th_str(r.json, "message"));
    assert_string_equal(th_str(r.json, "error_code"), "INJECTED_FAULT");
    th_free(&r);

    int err;
    cJSON *res = call(m, pat, server, "tool@example.com", id, sizeof id, &err);
    assert_true(err);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(res, "status_code")), 503);
    assert_string_equal(th_str(res, "error"), direct);
    cJSON_Delete(res);
    cJSON *list = entries(m, EXECUTE);
    assert_int_equal(cJSON_GetArraySize(list), 2);
    const cJSON *inner = th_find(list, "parent_request_id", id);
    assert_non_null(inner);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(inner, "status")), 503);
    cJSON_Delete(list);

    /* both times spent: the next tool call reaches the action */
    res = call(m, pat, server, "again@example.com", id, sizeof id, &err);
    assert_false(err);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "success")));
    cJSON_Delete(res);
}

/* The SDK's key-based save runs the public save-key-credentials route inside it: that route's
 * spec check applies (a warning, or 400 with --strict) and its entry is journaled, masked. */
static void sdk_save_runs_the_public_route(void **state)
{
    (void)state;
    for (int strict = 0; strict < 2; strict++) {
        refold_mock_options o;
        refold_mock_options_init(&o);
        o.strict = strict;
        refold_mock *m = th_start(&o);
        th_create_la(m, ACME, LA, "Acme Co");
        char token[1024], id[64], warning[256];
        th_session_token(m, ACME, LA, token, sizeof token);
        /* a body that is not an object: save-key-credentials' schema is one */
        th_resp r = th_bearer(m, "POST", "/api/v2/app/playground_app/save", token, "[\"pg_test_4f9a2c71e8\"]");
        th_assert_error(&r, 400);
        assert_true(th_header(&r, "X-Request-Id", id, sizeof id));
        if (strict) {
            assert_string_equal(th_str(r.json, "error_code"), "REQUEST_VALIDATION");
            assert_non_null(strstr(th_str(r.json, "message"), "expected object"));
        } else {
            assert_true(th_header(&r, "Refold-Mock-Warning", warning, sizeof warning));
            assert_non_null(strstr(warning, "expected object"));
        }
        th_free(&r);
        cJSON *list = entries(m, "/api/v2/public/linked-account/integration/save-key-credentials/playground_app");
        assert_int_equal(cJSON_GetArraySize(list), 1);
        const cJSON *e = cJSON_GetArrayItem(list, 0);
        assert_string_equal(th_str(e, "parent_request_id"), id);
        assert_string_equal(th_str(e, "operation"), "saveKeyBasedAppCredentials");
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(e, "warnings")), 1);
        cJSON_Delete(list);

        /* a good save: connected, and its body masked in the inner entry as in the outer */
        r = th_bearer(m, "POST", "/api/v2/app/playground_app/save", token, "{\"api_key\":\"pg_test_4f9a2c71e8\"}");
        assert_int_equal(r.status, 200);
        th_free(&r);
        list = entries(m, "/api/v2/public/linked-account/integration/save-key-credentials/playground_app");
        assert_int_equal(cJSON_GetArraySize(list), 2);
        char *printed = cJSON_PrintUnformatted(list);
        assert_null(strstr(printed, "pg_test_4f9a2c71e8"));
        free(printed);
        cJSON_Delete(list);
        r = th_key(m, "GET", "/api/v2/public/application/playground_app", ACME, LA, NULL);
        assert_int_equal(r.status, 200);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
        th_free(&r);
        refold_mock_stop(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tool_call_journals_its_action),
        cmocka_unit_test_setup_teardown(fault_on_the_action_route_fails_the_tool_call, th_setup, th_teardown),
        cmocka_unit_test(sdk_save_runs_the_public_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
