/* mcp_tool_names.c: API test: every name tools/list shows is callable by tools/call, including
 * the _2 names Refold gives colliding tools, and nothing past them (the call finds its tool
 * without building the list, so the two must agree). */
#include "mcp_util.h"

#define LA "user_names"
/* get_contact twice, and the one workflow by id and by name: two collisions */
#define CONFIG "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"get_contact\",\"create_contact\",\"get_contact\"]," \
               "\"workflows\":[\"69ae87a592145348d38f4ef9\",\"Sync new contacts\"]}]}"

static void every_listed_name_is_callable(void **state)
{
    struct mu_fx *f = mu_fx_start(LA, CONFIG);
    *state = f;
    refold_mock *m = f->m;
    const char *server = f->server, *token = f->token;

    th_resp r = mu_rpc(m, token, server, "tools/list", NULL);
    assert_int_equal(r.status, 200);
    const cJSON *tools = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "tools"), *t;
    assert_int_equal(cJSON_GetArraySize(tools), 5);
    assert_non_null(th_find(tools, "name", "hubspot_get_contact_action_2"));
    assert_non_null(th_find(tools, "name", "hubspot_sync_new_contacts_workflow_2"));
    cJSON_ArrayForEach(t, tools) {
        int is_error = 0;
        cJSON *out = mu_call(m, token, server, th_str(t, "name"), "{\"input_payload\":{\"contact_id\":\"nope\"}}", &is_error);
        cJSON_Delete(out);
    }
    th_free(&r);

    /* what the list does not show is an unknown tool */
    static const char *const unknown[] = {"hubspot_get_contact_action_3", "hubspot_create_contact_action_2", "hubspot_get_contact",
                                          "hubspot_sync_new_contacts_workflow_3", "hubspot_", NULL};
    for (int i = 0; unknown[i]; i++) {
        char params[256];
        snprintf(params, sizeof params, "{\"name\":\"%s\",\"arguments\":{}}", unknown[i]);
        r = mu_rpc(m, token, server, "tools/call", params);
        assert_int_equal(r.status, 200);
        assert_int_equal(mu_rpc_code(&r), -32602);
        th_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(every_listed_name_is_callable, mu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
