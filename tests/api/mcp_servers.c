/* mcp_servers.c: API tests for MCP servers: create, list newest first, get, patch, delete, with
 * the key + linked account or a session token, bad input and isolation, a deleted linked
 * account's servers. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define MCP "/api/v2/public/mcp-servers"
#define KEY "tk_acme_test"

static int setup(void **state)
{
    th_setup_la(state);
    th_create_la(*state, "tk_globex_test", "globex_user", "Globex customer");
    return 0;
}

static void create_server(refold_mock *m, const char *name, char out[32])
{
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"description\":\"MCP server for CRM workflows\"}", name);
    th_resp r = th_key(m, "POST", MCP, KEY, "user_12345", body);
    assert_int_equal(r.status, 201);
    assert_string_equal(th_str(r.json, "name"), name);
    assert_string_equal(th_str(r.json, "description"), "MCP server for CRM workflows");
    snprintf(out, 32, "%s", th_str(r.json, "_id"));
    assert_int_equal(strlen(out), 24);
    th_free(&r);
}

static void crud(void **state)
{
    refold_mock *m = *state;
    char id[32], path[128];
    create_server(m, "Production CRM Server", id);
    snprintf(path, sizeof path, MCP "/%s", id);

    th_resp r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "associated_org_id"), "645270e37917442c4307297a");
    assert_string_equal(th_str(r.json, "environment"), "test");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "chains")), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "notebooks")), 0);
    th_free(&r);

    /* patch-style: only what is sent changes */
    r = th_key(m, "PUT", path, KEY, "user_12345",
               "{\"description\":\"Updated description\",\"agent_name\":\"CRM Assistant\",\"primary_color\":\"#2D6CDF\","
               "\"associated_apps\":[{\"slug\":\"hubspot\",\"workflows\":[\"69ae87a592145348d38f4ef9\"],\"actions\":[\"create_contact\"]}],"
               "\"suggestions\":[{\"name\":\"New leads\",\"prompt\":\"List this week's new HubSpot contacts\"}],\"safe_mode\":true}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Production CRM Server");
    assert_string_equal(th_str(r.json, "description"), "Updated description");
    assert_string_equal(th_str(r.json, "agent_name"), "CRM Assistant");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "safe_mode")));
    th_free(&r);
    r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    assert_string_equal(th_str(r.json, "primary_color"), "#2D6CDF");
    const cJSON *app = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "associated_apps"), 0);
    assert_string_equal(th_str(app, "slug"), "hubspot");
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "suggestions"), 0), "name"), "New leads");
    th_free(&r);

    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 204);
    assert_int_equal(strlen(r.body), 0);
    th_free(&r);
    static const char *const methods[] = {"GET", "DELETE", "PUT"};
    for (int i = 0; i < 3; i++) {
        r = th_key(m, methods[i], path, KEY, "user_12345", i == 2 ? "{\"name\":\"x\"}" : NULL);
        th_assert_error(&r, 404);
        th_free(&r);
    }
}

static void list_newest_first_and_tokens(void **state)
{
    refold_mock *m = *state;
    char ids[3][32];
    create_server(m, "Support Desk", ids[0]);
    refold_mock_advance_clock(m, 60);
    create_server(m, "Sales Copilot", ids[1]);
    refold_mock_advance_clock(m, 60);
    create_server(m, "Finance Agent", ids[2]);

    th_resp r = th_key(m, "GET", MCP "?limit=2", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "hasNextPage")));
    const cJSON *docs = cJSON_GetObjectItem(r.json, "docs");
    assert_string_equal(th_str(cJSON_GetArrayItem(docs, 0), "name"), "Finance Agent");
    assert_string_equal(th_str(cJSON_GetArrayItem(docs, 1), "name"), "Sales Copilot");
    th_free(&r);
    r = th_key(m, "GET", MCP "?limit=2&page=2", KEY, "user_12345", NULL);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "name"), "Support Desk");
    th_free(&r);

    /* a session token works the same way and sees the org environment's servers */
    char tok[2048], path[128];
    th_session_token(m, KEY, "user_12345", tok, sizeof tok);
    r = th_bearer(m, "GET", MCP, tok, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    th_free(&r);
    r = th_bearer(m, "POST", MCP, tok, "{\"name\":\"From the frontend\",\"description\":\"made with a token\"}");
    assert_int_equal(r.status, 201);
    snprintf(path, sizeof path, MCP "/%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_bearer(m, "DELETE", path, tok, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
}

static void bad_input_and_isolation(void **state)
{
    refold_mock *m = *state;
    char id[32], path[128];
    create_server(m, "Production CRM Server", id);
    snprintf(path, sizeof path, MCP "/%s", id);

    static const char *const bad_create[] = {"{}", "{\"name\":\"x\"}", "{\"description\":\"x\"}", "{\"name\":\"\",\"description\":\"d\"}",
                                             "{\"name\":1,\"description\":\"d\"}", "[]", "{\"name\":", NULL};
    for (int i = 0; bad_create[i]; i++) {
        th_resp r = th_key(m, "POST", MCP, KEY, "user_12345", bad_create[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    static const char *const bad_update[] = {"{\"name\":5}", "{\"safe_mode\":\"yes\"}", "{\"chains\":{}}", "{\"chains\":[1]}",
                                             "{\"associated_apps\":[{\"workflows\":[]}]}", "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[1]}]}",
                                             "{\"suggestions\":[{\"name\":1}]}", "{\"name\":\"\"}", "[]", NULL};
    for (int i = 0; bad_update[i]; i++) {
        th_resp r = th_key(m, "PUT", path, KEY, "user_12345", bad_update[i]);
        if (r.status != 400)
            fprintf(stderr, "case %d: %s\n", i, bad_update[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    assert_string_equal(th_str(r.json, "name"), "Production CRM Server"); /* unchanged */
    assert_null(cJSON_GetObjectItem(r.json, "agent_name"));
    th_free(&r);
    r = th_key(m, "GET", MCP, KEY, "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);

    /* the key without a linked account: Refold's 404 */
    r = th_key(m, "GET", MCP, KEY, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 404), "MISSING_REQUIRED_FIELD");
    th_free(&r);
    r = th_key(m, "GET", MCP, KEY, "ghost", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    /* other tenants */
    r = th_key(m, "GET", path, "tk_globex_test", "globex_user", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", path, "tk_globex_test", "globex_user", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", MCP, "tk_globex_test", "globex_user", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = th_key(m, "GET", path, NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_bearer(m, "GET", path, "not.a.token", NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

/* Deleting a linked account takes the servers created for it; another account's stay, for the
 * key and for that account's session token. */
static void deleting_an_account_takes_its_servers(void **state)
{
    refold_mock *m = *state;
    char gone[32], kept[32], path[128], token[1024];
    create_server(m, "Made for user_12345", gone);
    th_create_la(m, KEY, "user_67890", "Second customer");
    th_resp r = th_key(m, "POST", MCP, KEY, "user_67890", "{\"name\":\"Made for user_67890\",\"description\":\"d\"}");
    assert_int_equal(r.status, 201);
    snprintf(kept, sizeof kept, "%s", th_str(r.json, "_id"));
    th_free(&r);

    r = th_key(m, "DELETE", "/api/v2/public/linked-account/user_12345", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);

    snprintf(path, sizeof path, MCP "/%s", gone);
    r = th_key(m, "GET", path, KEY, "user_67890", NULL);
    assert_string_equal(th_assert_error(&r, 404), "SERVER_ERROR");
    th_free(&r);
    r = th_key(m, "GET", MCP, KEY, "user_67890", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "_id"), kept);
    th_free(&r);
    th_session_token(m, KEY, "user_67890", token, sizeof token);
    snprintf(path, sizeof path, MCP "/%s", kept);
    r = th_bearer(m, "GET", path, token, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Made for user_67890");
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(crud, setup, th_teardown),
        cmocka_unit_test_setup_teardown(list_newest_first_and_tokens, setup, th_teardown),
        cmocka_unit_test_setup_teardown(bad_input_and_isolation, setup, th_teardown),
        cmocka_unit_test_setup_teardown(deleting_an_account_takes_its_servers, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
