/* mcp_endpoint.c: API tests for the MCP endpoint: every JSON-RPC method, both URL forms, version
 * negotiation, every auth code, malformed JSON-RPC, and direct-mode tools sharing state with REST. */
#include "mcp_util.h"

#define LA "user_12345"
#define CONFIG "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"create_contact\",\"get_contact\",\"no_such_action\"]," \
               "\"workflows\":[\"69ae87a592145348d38f4ef9\"]},{\"slug\":\"no_such_app\",\"actions\":[\"x\"]}]}"


static int setup(void **state)
{
    *state = mu_fx_start(LA, CONFIG);
    return 0;
}

static void initialize_negotiates_the_version(void **state)
{
    struct mu_fx *f = *state;
    th_resp r = mu_rpc(f->m, f->token, f->server, "initialize",
                       "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
    assert_int_equal(r.status, 200);
    const cJSON *res = cJSON_GetObjectItem(r.json, "result");
    assert_string_equal(th_str(res, "protocolVersion"), "2025-06-18"); /* supported: echoed */
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(res, "capabilities"), "tools"));
    assert_string_equal(th_str(cJSON_GetObjectItem(res, "serverInfo"), "name"), "Acme CRM");
    assert_string_equal(th_str(res, "instructions"), "HubSpot contacts for Acme");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "id")), 1);
    th_free(&r);
    /* an unknown version: the server answers with the latest it speaks */
    r = mu_rpc(f->m, f->token, f->server, "initialize", "{\"protocolVersion\":\"2099-01-01\",\"capabilities\":{}}");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "result"), "protocolVersion"), "2025-11-25");
    th_free(&r);
    /* later requests carry the negotiated version; an unsupported one is a 400 */
    char path[200];
    snprintf(path, sizeof path, "/mcp/v1/%s/%s", f->token, f->server);
    const char *const h[] = {"MCP-Protocol-Version: 1999-01-01", NULL};
    r = th_request(f->m, "POST", path, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", h);
    assert_int_equal(r.status, 400);
    assert_int_equal(mu_rpc_code(&r), -32600);
    th_free(&r);
    const char *const ok[] = {"MCP-Protocol-Version: 2025-11-25", NULL};
    r = th_request(f->m, "POST", path, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", ok);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void notifications_ping_and_empty_lists(void **state)
{
    struct mu_fx *f = *state;
    char path[200];
    snprintf(path, sizeof path, "/mcp/v1/%s/%s", f->token, f->server);
    th_resp r = mu_post(f->m, path, NULL, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    assert_int_equal(r.status, 202);
    assert_int_equal(strlen(r.body), 0);
    th_free(&r);
    r = mu_rpc(f->m, f->token, f->server, "ping", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(r.json, "result")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "result")), 0);
    th_free(&r);
    r = mu_rpc(f->m, f->token, f->server, "resources/list", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "resources")), 0);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "resources")));
    th_free(&r);
    r = mu_rpc(f->m, f->token, f->server, "prompts/list", "{}");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "prompts")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "prompts")), 0);
    th_free(&r);
    /* GET (the optional SSE stream) is not offered: 405, as the transport allows */
    r = th_request(f->m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 405);
    char allow[32];
    assert_true(th_header(&r, "Allow", allow, sizeof allow));
    assert_string_equal(allow, "POST");
    th_free(&r);
}

static void tools_list_direct_mode(void **state)
{
    struct mu_fx *f = *state;
    th_resp r = mu_rpc(f->m, f->token, f->server, "tools/list", NULL);
    assert_int_equal(r.status, 200);
    const cJSON *tools = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "tools");
    /* the unknown action and app are left out: three tools */
    assert_int_equal(cJSON_GetArraySize(tools), 3);
    const cJSON *t = th_find(tools, "name", "hubspot_create_contact_action");
    assert_non_null(t);
    assert_string_equal(th_str(t, "description"), "Add a new contact to the HubSpot CRM.");
    const cJSON *sch = cJSON_GetObjectItem(t, "inputSchema");
    assert_string_equal(th_str(sch, "type"), "object");
    const cJSON *payload = cJSON_GetObjectItem(cJSON_GetObjectItem(sch, "properties"), "input_payload");
    const cJSON *email = cJSON_GetObjectItem(cJSON_GetObjectItem(payload, "properties"), "email");
    assert_string_equal(th_str(email, "type"), "string");
    assert_string_equal(th_str(email, "description"), "Email");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(payload, "required"), 0)->valuestring, "email");
    const cJSON *stage = cJSON_GetObjectItem(cJSON_GetObjectItem(payload, "properties"), "lifecyclestage");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(stage, "enum")), 6);
    assert_non_null(th_find(tools, "name", "hubspot_get_contact_action"));
    assert_non_null(th_find(tools, "name", "hubspot_sync_new_contacts_workflow"));
    th_free(&r);
}

/* What a tool creates, REST reads, and the other way round. */
static void tools_call_shares_state_with_rest(void **state)
{
    struct mu_fx *f = *state;
    int err = 1;
    cJSON *res = mu_call(f->m, f->token, f->server, "hubspot_create_contact_action",
                         "{\"input_payload\":{\"email\":\"jane@example.com\",\"firstname\":\"Jane\"}}", &err);
    assert_false(err);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "success")));
    const char *id = th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(res, "data"), "data"), "id");
    assert_non_null(id);
    char body[128];
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", id);
    th_resp r = th_key(f->m, "POST", "/api/v2/integration-schema/hubspot/actions/get_contact/execute", ACME, LA, body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties"), "email"), "jane@example.com");
    th_free(&r);
    cJSON_Delete(res);

    r = th_key(f->m, "POST", "/api/v2/integration-schema/hubspot/actions/create_contact/execute", ACME, LA, "{\"email\":\"rest@example.com\"}");
    assert_int_equal(r.status, 200);
    char args[200];
    /* input_payload as a JSON string, as the Inspector CLI sends it */
    snprintf(args, sizeof args, "{\"input_payload\":\"{\\\"contact_id\\\":\\\"%s\\\"}\"}", th_str(cJSON_GetObjectItem(r.json, "data"), "id"));
    th_free(&r);
    res = mu_call(f->m, f->token, f->server, "hubspot_get_contact_action", args, &err);
    assert_false(err);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(res, "data"), "data"), "properties"), "email"),
                        "rest@example.com");
    cJSON_Delete(res);

    /* a failure is success:false with isError, not a protocol error */
    res = mu_call(f->m, f->token, f->server, "hubspot_create_contact_action", "{\"input_payload\":{}}", &err);
    assert_true(err);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(res, "success")));
    assert_non_null(strstr(th_str(res, "error"), "email"));
    cJSON_Delete(res);

    /* the workflow tool runs the workflow to its end */
    res = mu_call(f->m, f->token, f->server, "hubspot_sync_new_contacts_workflow", "{\"input_payload\":{}}", &err);
    assert_false(err);
    assert_string_equal(th_str(cJSON_GetObjectItem(res, "data"), "status"), "COMPLETED");
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", th_str(cJSON_GetObjectItem(res, "data"), "execution_id"));
    r = th_key(f->m, "GET", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    cJSON_Delete(res);
}

static void header_form_and_auth_codes(void **state)
{
    struct mu_fx *f = *state;
    const char *ping = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
    char path[200];
    snprintf(path, sizeof path, "/mcp/v1/%s", f->server);
    th_resp r = mu_post(f->m, path, f->token, ping);
    assert_int_equal(r.status, 200);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "id")), 7);
    th_free(&r);
    /* 401: no token, no server id */
    r = mu_post(f->m, path, NULL, ping);
    assert_string_equal(th_assert_error(&r, 401), "MISSING_TOKEN");
    th_free(&r);
    r = mu_post(f->m, "/mcp/v1", f->token, ping);
    assert_string_equal(th_assert_error(&r, 401), "MISSING_SERVER_ID");
    th_free(&r);
    /* 403: a token that is no token */
    r = mu_post(f->m, path, "rpat_0000000000000000000000000000000000000000", ping);
    th_assert_error(&r, 403);
    th_free(&r);
    /* 404: unknown server; a disabled one */
    r = mu_rpc(f->m, f->token, "ffffffffffffffffffffffff", "ping", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    char other[32];
    mu_server(f->m, ACME, LA, "{\"is_enabled\":false}", other);
    r = mu_rpc(f->m, f->token, other, "ping", NULL);
    assert_non_null(strstr(th_str(r.json, "message"), "disabled"));
    th_assert_error(&r, 404);
    th_free(&r);
    /* a session token works too (in the header form here; in the path: mcp_console_url.c) */
    char jwt[1024];
    th_session_token(f->m, ACME, LA, jwt, sizeof jwt);
    r = mu_post(f->m, path, jwt, ping);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void malformed_json_rpc(void **state)
{
    struct mu_fx *f = *state;
    char path[200];
    snprintf(path, sizeof path, "/mcp/v1/%s/%s", f->token, f->server);
    static const struct {
        const char *body;
        long status;
        int code;
    } cases[] = {
        {"{\"jsonrpc\":\"2.0\",\"id\":1,", 400, -32700},
        {"", 400, -32700},
        {"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", 400, -32600},
        {"{\"id\":1,\"method\":\"ping\"}", 400, -32600},
        {"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", 400, -32600},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", 400, -32600},
        {"\"ping\"", 400, -32600},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sampling/createMessage\"}", 200, -32601},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}", 200, -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\"}}", 200, -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"hubspot_create_contact_action\",\"arguments\":[1]}}", 200, -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":[]}", 200, -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}", 200, -32602},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        th_resp r = mu_post(f->m, path, NULL, cases[i].body);
        if (r.status != cases[i].status)
            fprintf(stderr, "case %zu: %ld %s\n", i, r.status, r.body);
        assert_int_equal(r.status, cases[i].status);
        assert_string_equal(th_str(r.json, "jsonrpc"), "2.0");
        assert_int_equal(mu_rpc_code(&r), cases[i].code);
        th_free(&r);
    }
    /* none of them created anything: no contact records, no tool-call log besides the unknown tool */
    th_resp r = th_key(f->m, "GET", "/__mock/mcp/logs?tool=hubspot_create_contact_action", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 0);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(initialize_negotiates_the_version, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(notifications_ping_and_empty_lists, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(tools_list_direct_mode, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(tools_call_shares_state_with_rest, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(header_form_and_auth_codes, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(malformed_json_rpc, setup, mu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
