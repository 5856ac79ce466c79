/* mcp_console_url.c: API tests for the MCP Server URL Refold's console hands out, /mcp/v1/{token}
 * (one segment, no header, a session JWT or a PAT): it serves the linked account's default server
 * (the first enabled one of its org environment); and a session JWT in /mcp/v1/{jwt}/{server_id}. */
#include "mcp_util.h"

#define LA "user_12345"
#define CONFIG "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"create_contact\",\"get_contact\"]}]}"
#define INIT "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"," \
             "\"capabilities\":{},\"clientInfo\":{\"name\":\"ai-sdk-mcp-client\",\"version\":\"1.0.0\"}}}"
#define LIST "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"

static int setup(void **state)
{
    *state = mu_fx_start(LA, CONFIG);
    return 0;
}

/* POST body to /mcp/v1/{a}[/{b}] without Authorization (b may be NULL). */
static th_resp post(refold_mock *m, const char *a, const char *b, const char *body)
{
    char path[4096];
    snprintf(path, sizeof path, "/mcp/v1/%s%s%s", a, b ? "/" : "", b ? b : "");
    return mu_post(m, path, NULL, body);
}

/* The names of a tools/list answer, sorted by the server, joined with commas. */
static void tool_names(const th_resp *r, char *out, size_t n)
{
    out[0] = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "result"), "tools")) {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s%s", used ? "," : "", th_str(t, "name"));
    }
}

static void session_jwt_in_one_segment(void **state)
{
    struct mu_fx *f = *state;
    char jwt[2048];
    th_session_token(f->m, ACME, LA, jwt, sizeof jwt);
    assert_true(strlen(jwt) > 127); /* longer than a path segment used to be */
    th_resp r = post(f->m, jwt, NULL, INIT);
    assert_int_equal(r.status, 200);
    const cJSON *res = cJSON_GetObjectItem(r.json, "result");
    assert_string_equal(th_str(res, "protocolVersion"), "2025-06-18");
    assert_string_equal(th_str(cJSON_GetObjectItem(res, "serverInfo"), "name"), "Acme CRM");
    th_free(&r);
    /* the tools are the server's, exactly as the two-segment URL lists them */
    char one[512], two[512];
    r = post(f->m, jwt, NULL, LIST);
    assert_int_equal(r.status, 200);
    tool_names(&r, one, sizeof one);
    th_free(&r);
    r = post(f->m, jwt, f->server, LIST); /* and a JWT in the two-segment form */
    assert_int_equal(r.status, 200);
    tool_names(&r, two, sizeof two);
    th_free(&r);
    assert_string_equal(one, "hubspot_create_contact_action,hubspot_get_contact_action");
    assert_string_equal(one, two);
    /* a call runs as the token's linked account: REST sees the record */
    r = post(f->m, jwt, NULL,
             "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"hubspot_create_contact_action\","
             "\"arguments\":{\"input_payload\":{\"email\":\"console@example.com\"}}}}");
    assert_int_equal(r.status, 200);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "result"), "content"), 0);
    cJSON *out = cJSON_Parse(th_str(c, "text"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "success")));
    char body[128];
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "data"), "data"), "id"));
    cJSON_Delete(out);
    th_free(&r);
    r = th_key(f->m, "POST", "/api/v2/integration-schema/hubspot/actions/get_contact/execute", ACME, LA, body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties"), "email"), "console@example.com");
    th_free(&r);
    /* the MCP log names the server that was served */
    r = th_key(f->m, "GET", "/__mock/mcp/logs?tool=hubspot_create_contact_action", ACME, NULL, NULL);
    const cJSON *logs = cJSON_GetObjectItem(r.json, "logs");
    assert_int_equal(cJSON_GetArraySize(logs), 1);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetArrayItem(logs, 0), "identity"), "server"), f->server);
    th_free(&r);
    /* the journal never shows the token of the path */
    r = th_key(f->m, "GET", "/__mock/requests?path=/mcp/v1/*", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) >= 4);
    assert_null(strstr(r.body, jwt));
    assert_non_null(strstr(r.body, "\"/mcp/v1/****\""));
    th_free(&r);
    /* a trailing slash is the same URL; GET (the SSE stream clients try first) is 405 */
    char path[4096];
    snprintf(path, sizeof path, "/mcp/v1/%s/", jwt);
    r = mu_post(f->m, path, NULL, LIST);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(f->m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 405);
    th_free(&r);
    /* no sessions: none is issued, one a client carries is ignored, DELETE (end it) is 405 */
    r = post(f->m, jwt, NULL, INIT);
    char sid[64];
    assert_false(th_header(&r, "Mcp-Session-Id", sid, sizeof sid));
    th_free(&r);
    const char *const with_session[] = {"Accept: application/json, text/event-stream", "Mcp-Session-Id: 1868a90c-stale", NULL};
    r = th_request(f->m, "POST", path, LIST, with_session);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(f->m, "DELETE", path, NULL, with_session);
    assert_int_equal(r.status, 405);
    th_free(&r);
}

static void pat_in_one_segment_and_refusals(void **state)
{
    struct mu_fx *f = *state;
    th_resp r = post(f->m, f->token, NULL, LIST);
    assert_int_equal(r.status, 200);
    char names[512];
    tool_names(&r, names, sizeof names);
    assert_string_equal(names, "hubspot_create_contact_action,hubspot_get_contact_action");
    th_free(&r);
    /* 403: a token that is no token, a revoked one */
    r = post(f->m, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", NULL, LIST);
    assert_string_equal(th_assert_error(&r, 403), "INVALID_TOKEN");
    th_free(&r);
    char path[160];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/personal-access-token", LA);
    r = th_key(f->m, "DELETE", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    r = post(f->m, f->token, NULL, LIST);
    th_assert_error(&r, 403);
    th_free(&r);
    /* the path's token wins over an Authorization header sent as well (an SDK given both) */
    char jwt[2048], path2[4096];
    th_session_token(f->m, ACME, LA, jwt, sizeof jwt);
    snprintf(path2, sizeof path2, "/mcp/v1/%s", jwt);
    r = mu_post(f->m, path2, "rpat_0000000000000000000000000000000000000000", LIST);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* a server id alone (the header form without its header) is still a missing token */
    r = post(f->m, f->server, NULL, LIST);
    assert_string_equal(th_assert_error(&r, 401), "MISSING_TOKEN");
    th_free(&r);
}

/* Several servers: the first enabled one created is the default; none enabled is a 404. */
static void the_default_server(void **state)
{
    struct mu_fx *f = *state;
    char second[32], jwt[2048];
    mu_server(f->m, ACME, LA, "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"list_contacts\"]}]}", second);
    th_session_token(f->m, ACME, LA, jwt, sizeof jwt);
    char names[512];
    th_resp r = post(f->m, jwt, NULL, LIST);
    tool_names(&r, names, sizeof names);
    assert_string_equal(names, "hubspot_create_contact_action,hubspot_get_contact_action"); /* still the first */
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", f->server);
    r = th_key(f->m, "PUT", path, ACME, LA, "{\"is_enabled\":false}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = post(f->m, jwt, NULL, LIST);
    tool_names(&r, names, sizeof names);
    assert_string_equal(names, "hubspot_list_contacts_action"); /* the first one disabled: the next */
    th_free(&r);
    r = post(f->m, jwt, NULL, INIT);
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", second);
    r = th_key(f->m, "DELETE", path, ACME, LA, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    r = post(f->m, jwt, NULL, LIST);
    assert_string_equal(th_assert_error(&r, 404), "NOT_FOUND");
    assert_non_null(strstr(th_str(r.json, "hint"), "POST /api/v2/public/mcp-servers"));
    th_free(&r);
    /* another org's token never sees this org's servers */
    th_create_la(f->m, GLOBEX, "globex_user", "Globex");
    char other[2048];
    th_session_token(f->m, GLOBEX, "globex_user", other, sizeof other);
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", f->server);
    r = th_key(f->m, "PUT", path, ACME, LA, "{\"is_enabled\":true}");
    th_free(&r);
    r = post(f->m, other, NULL, LIST);
    th_assert_error(&r, 404);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(session_jwt_in_one_segment, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(pat_in_one_segment_and_refusals, setup, mu_fx_teardown),
        cmocka_unit_test_setup_teardown(the_default_server, setup, mu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
