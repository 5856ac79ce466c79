/* mcp_cache.c: API tests for what a tool call keeps between calls (the server document and the
 * PAT lookup, until the store changes): each change below must show on the very next call. */
#include "mcp_util.h"

#define LA "user_cache"
#define GET "hubspot_get_contact_action"
#define CREATE "hubspot_create_contact_action"

#define CONFIG "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"get_contact\"]}]}"

static int setup(void **state)
{
    struct mu_fx *f = mu_fx_start(LA, CONFIG);
    /* two calls: the second is answered from what the first kept */
    for (int i = 0; i < 2; i++) {
        int is_error = 0;
        cJSON *out = mu_call(f->m, f->token, f->server, GET, "{\"input_payload\":{\"contact_id\":\"nope\"}}", &is_error);
        assert_true(is_error); /* (no such contact: the action ran) */
        cJSON_Delete(out);
    }
    *state = f;
    return 0;
}

static void server_path(const struct mu_fx *f, char *path, size_t n)
{
    snprintf(path, n, "/api/v2/public/mcp-servers/%s", f->server);
}

static int call_code(struct mu_fx *f, const char *tool)
{
    char params[256];
    snprintf(params, sizeof params, "{\"name\":\"%s\",\"arguments\":{\"input_payload\":{\"email\":\"c@example.com\"}}}", tool);
    th_resp r = mu_rpc(f->m, f->token, f->server, "tools/call", params);
    int code = r.status != 200 ? r.status : cJSON_GetObjectItem(r.json, "error") ? mu_rpc_code(&r) : 0;
    th_free(&r);
    return code;
}

static void put_to_the_server(void **state)
{
    struct mu_fx *f = *state;
    char path[128];
    server_path(f, path, sizeof path);
    assert_int_equal(call_code(f, CREATE), -32602); /* not a tool of the server yet */
    th_resp r = th_key(f->m, "PUT", path, ACME, LA, "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"create_contact\"]}]}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(call_code(f, CREATE), 0);
    assert_int_equal(call_code(f, GET), -32602);
    /* disabled: 404 on the next call */
    r = th_key(f->m, "PUT", path, ACME, LA, "{\"is_enabled\":false}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(call_code(f, CREATE), 404);
}

static void revoked_pat_and_deleted_linked_account(void **state)
{
    struct mu_fx *f = *state;
    th_resp r = th_key(f->m, "DELETE", "/__mock/linked-accounts/" LA "/personal-access-token", ACME, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    assert_int_equal(call_code(f, GET), 403);
    /* a new PAT, used once, then the linked account goes */
    mu_pat(f->m, ACME, LA, f->token);
    assert_int_equal(call_code(f, GET), 0);
    r = th_key(f->m, "DELETE", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(call_code(f, GET), 403);
}

static void expired_connection(void **state)
{
    struct mu_fx *f = *state;
    th_resp r = th_key(f->m, "POST", "/__mock/linked-accounts/" LA "/connections/hubspot/expire", ACME, NULL, "{\"reason\":\"expired\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    int is_error = 0;
    cJSON *out = mu_call(f->m, f->token, f->server, GET, "{\"input_payload\":{\"contact_id\":\"nope\"}}", &is_error);
    assert_true(is_error);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "reauth_required")));
    assert_non_null(strstr(th_str(out, "connect_url"), "/connect/"));
    cJSON_Delete(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(put_to_the_server, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(revoked_pat_and_deleted_linked_account, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(expired_connection, setup, mu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
