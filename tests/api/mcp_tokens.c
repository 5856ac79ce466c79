/* mcp_tokens.c: API tests for personal access tokens: mint, one per linked account, bearer on
 * REST and MCP, revocation (at once), deletion of the linked account, tenant isolation. */
#include "mcp_util.h"

#define LA "user_12345"
#define PAT_PATH "/__mock/linked-accounts/" LA "/personal-access-token"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, LA, "Acme customer");
    th_create_la(m, GLOBEX, "globex_user", "Globex customer");
    *state = m;
    return 0;
}

static void mint_one_per_account_and_use_on_rest(void **state)
{
    refold_mock *m = *state;
    char pat[64];
    mu_pat(m, ACME, LA, pat);
    assert_memory_equal(pat, "rpat_", 5);
    /* not rotated in place */
    th_resp r = th_key(m, "POST", PAT_PATH, ACME, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 409), "PAT_EXISTS");
    th_free(&r);
    /* the dashboard sees that one exists, never the token */
    r = th_key(m, "GET", PAT_PATH, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "token_hint"), pat + strlen(pat) - 4);
    assert_null(strstr(r.body, pat));
    th_free(&r);
    /* the dashboard's data: the hint on the linked account, not the token */
    r = th_request(m, "GET", "/__mock/tenants", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, pat));
    const cJSON *ten = th_find(cJSON_GetObjectItem(r.json, "tenants"), "api_key", ACME);
    const cJSON *acct = th_find(cJSON_GetObjectItem(ten, "linked_accounts"), "linked_account_id", LA);
    assert_string_equal(th_str(cJSON_GetObjectItem(acct, "personal_access_token"), "token_hint"), pat + strlen(pat) - 4);
    th_free(&r);
    /* a bearer token wherever a session token is */
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", pat, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, LA));
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/f-sdk/application", pat, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* unknown accounts and other tenants' accounts */
    r = th_key(m, "POST", "/__mock/linked-accounts/nobody/personal-access-token", ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", "/__mock/linked-accounts/globex_user/personal-access-token", ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_request(m, "POST", PAT_PATH, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
}

/* A PAT in the path form of the server URL is a secret in the URL: the request journal shows
 * the path with **** in its place. */
static void pat_in_the_path_is_masked_in_the_journal(void **state)
{
    refold_mock *m = *state;
    char pat[64], server[32];
    mu_pat(m, ACME, LA, pat);
    mu_server(m, ACME, LA, "{\"associated_apps\":[]}", server);
    th_resp r = mu_rpc(m, pat, server, "ping", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(m, "GET", "/__mock/requests?path=/mcp/v1/*", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, pat));
    char shown[128];
    snprintf(shown, sizeof shown, "/mcp/v1/****/%s", server);
    assert_non_null(th_find(r.json, "path", shown));
    th_free(&r);
}

static void revoke_takes_effect_at_once(void **state)
{
    refold_mock *m = *state;
    char pat[64], server[32];
    mu_server(m, ACME, LA, "{}", server);
    mu_pat(m, ACME, LA, pat);
    th_resp r = mu_rpc(m, pat, server, "ping", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "DELETE", PAT_PATH, ACME, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    r = mu_rpc(m, pat, server, "ping", NULL);
    th_assert_error(&r, 403);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", pat, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_key(m, "DELETE", PAT_PATH, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    /* a new one works; the old one stays dead */
    char again[64];
    mu_pat(m, ACME, LA, again);
    assert_string_not_equal(again, pat);
    r = mu_rpc(m, again, server, "ping", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = mu_rpc(m, pat, server, "ping", NULL);
    th_assert_error(&r, 403);
    th_free(&r);
}

static void deleting_the_linked_account_revokes(void **state)
{
    refold_mock *m = *state;
    char pat[64], server[32];
    mu_server(m, ACME, LA, "{}", server);
    mu_pat(m, ACME, LA, pat);
    th_resp r = th_key(m, "DELETE", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = mu_rpc(m, pat, server, "ping", NULL);
    th_assert_error(&r, 403);
    th_free(&r);
    /* the same id created again does not bring the token back */
    th_create_la(m, ACME, LA, "Acme customer again");
    r = mu_rpc(m, pat, server, "ping", NULL);
    th_assert_error(&r, 403);
    th_free(&r);
    r = th_key(m, "GET", PAT_PATH, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void tenants_are_isolated(void **state)
{
    refold_mock *m = *state;
    char acme_pat[64], globex_pat[64], acme_server[32], globex_server[32];
    mu_server(m, ACME, LA, "{}", acme_server);
    mu_server(m, GLOBEX, "globex_user", "{}", globex_server);
    mu_pat(m, ACME, LA, acme_pat);
    mu_pat(m, GLOBEX, "globex_user", globex_pat);
    th_resp r = mu_rpc(m, globex_pat, acme_server, "tools/list", NULL);
    th_assert_error(&r, 403);
    th_free(&r);
    r = mu_rpc(m, acme_pat, globex_server, "tools/list", NULL);
    th_assert_error(&r, 403);
    th_free(&r);
    r = mu_rpc(m, globex_pat, globex_server, "tools/list", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* Globex's PAT reads Globex's account only */
    r = th_bearer(m, "GET", "/api/v2/public/linked-account/" LA, globex_pat, NULL);
    assert_int_not_equal(r.status, 200);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(mint_one_per_account_and_use_on_rest, setup, th_teardown),
        cmocka_unit_test_setup_teardown(pat_in_the_path_is_masked_in_the_journal, setup, th_teardown),
        cmocka_unit_test_setup_teardown(revoke_takes_effect_at_once, setup, th_teardown),
        cmocka_unit_test_setup_teardown(deleting_the_linked_account_revokes, setup, th_teardown),
        cmocka_unit_test_setup_teardown(tenants_are_isolated, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
