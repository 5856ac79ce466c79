/* mcp_agent.c: API tests for agent mode (RESOLVE_ACTIONS, EXECUTE_ACTION) and skills
 * (GET_KNOWLEDGE_INDEX, LOAD_SKILL), and the server fields that switch them. */
#include "mcp_util.h"

#define LA "user_12345"
#define APPS "\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"create_contact\",\"get_contact\",\"create_deal\"]}," \
             "{\"slug\":\"slack\",\"actions\":[\"send_message\"]}]"
#define SKILLS "\"skills\":[{\"name\":\"Lead Qualification\",\"description\":\"Qualify an inbound lead\",\"content\":\"## Goal\\nQualify a lead\"," \
               "\"category\":\"Sales\",\"apps\":[\"hubspot\"]},{\"name\":\"Deal Desk\",\"description\":\"Open a deal\",\"content\":\"## Goal\\nOpen a deal\"}," \
               "{\"name\":\"Hidden\",\"content\":\"x\",\"is_enabled\":false}]"


static int setup(void **state)
{
    *state = mu_fx_start(LA, "{\"agent_mode\":true,\"retrieve_skill\":true," APPS "," SKILLS "}");
    return 0;
}

static void agent_mode_lists_meta_tools(void **state)
{
    struct mu_fx *f = *state;
    th_resp r = mu_rpc(f->m, f->token, f->server, "tools/list", NULL);
    const cJSON *tools = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "tools");
    assert_int_equal(cJSON_GetArraySize(tools), 4);
    assert_non_null(th_find(tools, "name", "RESOLVE_ACTIONS"));
    assert_non_null(th_find(tools, "name", "EXECUTE_ACTION"));
    assert_non_null(th_find(tools, "name", "GET_KNOWLEDGE_INDEX"));
    assert_non_null(th_find(tools, "name", "LOAD_SKILL"));
    assert_null(th_find(tools, "name", "hubspot_create_contact_action"));
    th_free(&r);
    /* direct tools are not callable in agent mode */
    r = mu_rpc(f->m, f->token, f->server, "tools/call", "{\"name\":\"hubspot_create_contact_action\",\"arguments\":{}}");
    assert_int_equal(mu_rpc_code(&r), -32602);
    th_free(&r);
    /* switching the toggles off: direct tools, no skill tools */
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", f->server);
    r = th_key(f->m, "PUT", path, ACME, LA, "{\"agent_mode\":false,\"retrieve_skill\":false}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = mu_rpc(f->m, f->token, f->server, "tools/list", NULL);
    tools = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "tools");
    assert_int_equal(cJSON_GetArraySize(tools), 4);
    assert_non_null(th_find(tools, "name", "slack_send_message_action"));
    assert_null(th_find(tools, "name", "LOAD_SKILL"));
    th_free(&r);
}

static void resolve_then_execute(void **state)
{
    struct mu_fx *f = *state;
    cJSON *plan = mu_call(f->m, f->token, f->server, "RESOLVE_ACTIONS",
                          "{\"integration_query\":[\"Create Contact HubSpot\",\"Send Message Slack\"]}", NULL);
    assert_true(cJSON_IsArray(plan));
    assert_int_equal(cJSON_GetArraySize(plan), 2);
    const cJSON *c = th_find(plan, "identifier", "create_contact");
    assert_non_null(c);
    assert_string_equal(th_str(c, "slug"), "hubspot");
    assert_string_equal(th_str(c, "type"), "action");
    const cJSON *sch = cJSON_GetObjectItem(c, "json_schema");
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(sch, "properties"), "email"), "type"), "string");
    assert_non_null(th_find(plan, "identifier", "send_message"));
    cJSON_Delete(plan);

    plan = mu_call(f->m, f->token, f->server, "RESOLVE_ACTIONS", "{\"integration_query\":[\"Book a flight on Expedia\"]}", NULL);
    assert_true(cJSON_IsString(plan)); /* nothing matches: a plain string */
    assert_non_null(strstr(plan->valuestring, "Couldn't find"));
    cJSON_Delete(plan);

    int err;
    cJSON *res = mu_call(f->m, f->token, f->server, "EXECUTE_ACTION",
                         "{\"application_slug\":\"hubspot\",\"action_id\":\"create_contact\",\"type\":\"action\","
                         "\"input_payload\":\"{\\\"email\\\":\\\"agent@example.com\\\"}\"}", &err);
    assert_false(err);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "success")));
    char body[128];
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(res, "data"), "data"), "id"));
    cJSON_Delete(res);
    th_resp r = th_key(f->m, "POST", "/api/v2/integration-schema/hubspot/actions/get_contact/execute", ACME, LA, body);
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* not on the server (exists in the catalogue), bad type, missing fields: validation errors */
    static const char *const bad[] = {
        "{\"application_slug\":\"hubspot\",\"action_id\":\"list_contacts\",\"type\":\"action\",\"input_payload\":{}}",
        "{\"application_slug\":\"hubspot\",\"action_id\":\"create_contact\",\"type\":\"job\",\"input_payload\":{}}",
        "{\"application_slug\":\"hubspot\",\"type\":\"action\",\"input_payload\":{}}",
        "{\"application_slug\":\"hubspot\",\"action_id\":\"create_contact\",\"type\":\"action\",\"input_payload\":\"not json\"}",
    };
    for (int i = 0; i < 4; i++) {
        res = mu_call(f->m, f->token, f->server, "EXECUTE_ACTION", bad[i], &err);
        assert_true(err);
        assert_true(cJSON_IsFalse(cJSON_GetObjectItem(res, "success")));
        cJSON_Delete(res);
    }
    r = th_key(f->m, "GET", "/__mock/mcp/logs?tool=EXECUTE_ACTION&status=validation_error", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "logs")), 4);
    th_free(&r);
    res = mu_call(f->m, f->token, f->server, "RESOLVE_ACTIONS", "{\"integration_query\":\"Create Contact\"}", &err);
    assert_true(err);
    cJSON_Delete(res);
}

static void skills_index_and_load(void **state)
{
    struct mu_fx *f = *state;
    cJSON *idx = mu_call(f->m, f->token, f->server, "GET_KNOWLEDGE_INDEX", "{}", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(idx, "success")));
    const cJSON *list = cJSON_GetObjectItem(idx, "results");
    assert_int_equal(cJSON_GetArraySize(list), 2); /* the disabled one is not listed */
    const cJSON *lead = th_find(list, "skill_name", "Lead Qualification");
    assert_non_null(lead);
    assert_string_equal(th_str(lead, "description"), "Qualify an inbound lead");
    char args[128];
    snprintf(args, sizeof args, "{\"skill_id\":\"%s\"}", th_str(lead, "skill_id"));
    cJSON_Delete(idx);

    idx = mu_call(f->m, f->token, f->server, "GET_KNOWLEDGE_INDEX", "{\"limit\":1,\"offset\":1}", NULL);
    list = cJSON_GetObjectItem(idx, "results");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(list, 0), "skill_name"), "Deal Desk");
    cJSON_Delete(idx);

    int err;
    cJSON *sk = mu_call(f->m, f->token, f->server, "LOAD_SKILL", args, &err);
    assert_false(err);
    const cJSON *res0 = cJSON_GetArrayItem(cJSON_GetObjectItem(sk, "results"), 0);
    assert_string_equal(th_str(res0, "snippet"), "## Goal\nQualify a lead");
    assert_string_equal(th_str(res0, "skill_name"), "Lead Qualification");
    assert_string_equal(th_str(res0, "category"), "Sales");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(res0, "apps"), 0)->valuestring, "hubspot");
    cJSON_Delete(sk);
    sk = mu_call(f->m, f->token, f->server, "LOAD_SKILL", "{\"skill_name\":\"deal desk\"}", &err);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(sk, "results"), 0), "snippet"), "## Goal\nOpen a deal");
    cJSON_Delete(sk);
    static const char *const missing[] = {"{\"skill_name\":\"Hidden\"}", "{\"skill_id\":\"nope\"}", "{}"};
    for (int i = 0; i < 3; i++) {
        sk = mu_call(f->m, f->token, f->server, "LOAD_SKILL", missing[i], &err);
        assert_true(cJSON_IsFalse(cJSON_GetObjectItem(sk, "success")));
        assert_non_null(th_str(sk, "error"));
        cJSON_Delete(sk);
    }
}

static void bad_server_fields_change_nothing(void **state)
{
    struct mu_fx *f = *state;
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", f->server);
    static const char *const bad[] = {
        "{\"agent_mode\":\"yes\"}", "{\"is_enabled\":1}", "{\"skills\":{}}", "{\"skills\":[{\"content\":\"x\"}]}",
        "{\"skills\":[{\"name\":\"x\"}]}", "{\"skills\":[{\"name\":\"x\",\"content\":\"y\",\"apps\":[1]}]}",
    };
    for (int i = 0; i < 6; i++) {
        th_resp r = th_key(f->m, "PUT", path, ACME, LA, bad[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = mu_rpc(f->m, f->token, f->server, "tools/list", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "tools")), 4);
    assert_non_null(th_find(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "tools"), "name", "RESOLVE_ACTIONS"));
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(agent_mode_lists_meta_tools, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(resolve_then_execute, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(skills_index_and_load, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(bad_server_fields_change_nothing, setup, mu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
