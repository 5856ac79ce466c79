/* read_memo.c: API tests for the memo of rendered read routes: every write, clock step, reset
 * and tenant or account change shows at once, and auth, faults and the journal still see each
 * request. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define APPS "/api/v2/public/application"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, "tk_acme_test", "user_a", "A");
    th_create_la(m, "tk_acme_test", "user_b", "B");
    th_create_la(m, "tk_globex_test", "user_a", "Globex A");
    *state = m;
    return 0;
}

/* "connected" of slug in the account's app list: 1, 0 (absent or false), and reauth_required. */
static int connected_in_list(refold_mock *m, const char *key, const char *la, const char *slug, int *reauth)
{
    th_resp r = th_key(m, "GET", APPS, key, la, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *app = th_find(r.json, "slug", slug);
    assert_non_null(app);
    int c = cJSON_IsTrue(cJSON_GetObjectItem(app, "connected"));
    if (reauth)
        *reauth = cJSON_IsTrue(cJSON_GetObjectItem(app, "reauth_required"));
    th_free(&r);
    return c;
}

static void repeated_reads_answer_the_same_body(void **state)
{
    refold_mock *m = *state;
    th_resp a = th_key(m, "GET", APPS, "tk_acme_test", "user_a", NULL);
    th_resp b = th_key(m, "GET", APPS, "tk_acme_test", "user_a", NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(b.status, 200);
    assert_string_equal(a.body, b.body);
    /* each answer still has its own request id */
    char ida[64], idb[64];
    assert_true(th_header(&a, "X-Request-Id", ida, sizeof ida));
    assert_true(th_header(&b, "X-Request-Id", idb, sizeof idb));
    assert_string_not_equal(ida, idb);
    th_free(&a);
    th_free(&b);
}

static void every_write_shows_at_once(void **state)
{
    refold_mock *m = *state;
    int reauth = -1;
    assert_int_equal(connected_in_list(m, "tk_acme_test", "user_a", "twilio", NULL), 0);
    assert_int_equal(connected_in_list(m, "tk_acme_test", "user_a", "twilio", NULL), 0);
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", "tk_acme_test",
                       "user_a", "{\"sid\":\"AC0123456789abcdef\",\"number\":\"+15550100\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(connected_in_list(m, "tk_acme_test", "user_a", "twilio", &reauth), 1);
    assert_int_equal(reauth, 0);
    r = th_key(m, "POST", "/__mock/linked-accounts/user_a/connections/twilio/expire", "tk_acme_test", NULL,
               "{\"reason\":\"revoked\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(connected_in_list(m, "tk_acme_test", "user_a", "twilio", &reauth), 1);
    assert_int_equal(reauth, 1);
    /* the single-app view, memoized separately, agrees */
    r = th_key(m, "GET", APPS "/twilio", "tk_acme_test", "user_a", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/linked-account/integration/twilio", "tk_acme_test", "user_a", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(connected_in_list(m, "tk_acme_test", "user_a", "twilio", &reauth), 0);
    assert_int_equal(reauth, 0);
    r = th_key(m, "GET", APPS "/twilio", "tk_acme_test", "user_a", NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
}

static void same_url_differs_by_account_and_tenant(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", "tk_acme_test",
                       "user_a", "{\"sid\":\"AC0123456789abcdef\",\"number\":\"+15550100\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    for (int round = 0; round < 2; round++) { /* the second round is answered from the memo */
        assert_int_equal(connected_in_list(m, "tk_acme_test", "user_a", "twilio", NULL), 1);
        assert_int_equal(connected_in_list(m, "tk_acme_test", "user_b", "twilio", NULL), 0);
        assert_int_equal(connected_in_list(m, "tk_globex_test", "user_a", "twilio", NULL), 0);
    }
    /* the linked account in the query instead of the header is the same account */
    r = th_key(m, "GET", APPS "/twilio?linked_account_id=user_b", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    r = th_key(m, "GET", APPS "/twilio?linked_account_id=user_a", "tk_acme_test", NULL, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
}

static void the_clock_and_reset_show_at_once(void **state)
{
    refold_mock *m = *state;
    const char *scenario =
        "{\"version\":1,\"name\":\"memo-clock\",\"api_key\":\"tk_acme_test\","
        "\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"clock-co\"}],"
        "\"connections\":[{\"linked_account_id\":\"clock-co\",\"slug\":\"hubspot\"}]},"
        "\"steps\":[{\"name\":\"revoke\",\"when\":{\"after_seconds\":60},"
        "\"do\":[{\"action\":\"expire_connection\",\"linked_account_id\":\"clock-co\",\"slug\":\"hubspot\",\"reason\":\"revoked\"}]}]}";
    th_admin_ok(m, "/__mock/scenario", scenario);
    int reauth = -1;
    assert_int_equal(connected_in_list(m, "tk_acme_test", "clock-co", "hubspot", &reauth), 1);
    assert_int_equal(reauth, 0);
    th_admin_ok(m, "/__mock/clock/advance", "{\"seconds\":59}");
    assert_int_equal(connected_in_list(m, "tk_acme_test", "clock-co", "hubspot", &reauth), 1);
    assert_int_equal(reauth, 0);
    th_admin_ok(m, "/__mock/clock/advance", "{\"seconds\":1}");
    assert_int_equal(connected_in_list(m, "tk_acme_test", "clock-co", "hubspot", &reauth), 1);
    assert_int_equal(reauth, 1);
    /* a reset forgets the account: the memoized list must not outlive it */
    th_admin_ok(m, "/__mock/reset", NULL);
    th_resp r = th_key(m, "GET", APPS, "tk_acme_test", "clock-co", NULL);
    assert_string_equal(th_assert_error(&r, 404), "INVALID_LINKED_ACCOUNT_ID");
    th_free(&r);
}

static void auth_faults_and_journal_still_see_each_request(void **state)
{
    refold_mock *m = *state;
    char token[2048];
    th_session_token(m, "tk_acme_test", "user_a", token, sizeof token);
    const char *sdk = "/api/v2/f-sdk/application/hubspot";
    for (int i = 0; i < 2; i++) {
        th_resp r = th_bearer(m, "GET", sdk, token, NULL);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    th_resp r = th_bearer(m, "POST", "/api/v2/public/session-token/revoke", token, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_bearer(m, "GET", sdk, token, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_key(m, "GET", APPS "/hubspot", "tk_wrong", "user_a", NULL);
    th_assert_error(&r, 401);
    th_free(&r);

    /* an injected fault answers in place of the memoized body, then the body comes back */
    const char *scenario =
        "{\"version\":1,\"name\":\"memo-fault\",\"api_key\":\"tk_acme_test\",\"steps\":[{\"name\":\"fail\","
        "\"when\":{\"manual\":true},\"do\":[{\"action\":\"fail_requests\",\"method\":\"GET\","
        "\"path\":\"/api/v2/public/application/hubspot\",\"status\":503,\"times\":1}]}]}";
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_a", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_admin_ok(m, "/__mock/scenario", scenario);
    th_create_la(m, "tk_acme_test", "user_a", "A"); /* loading a scenario resets its tenant */
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_a", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_admin_ok(m, "/__mock/scenario/steps/fail", NULL);
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_a", NULL);
    th_assert_error(&r, 503);
    th_free(&r);
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_a", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* the journal lists every answer, memoized or not */
    r = th_request(m, "GET", "/__mock/requests?limit=4", NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *list = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "requests");
    int seen = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
        if (th_str(e, "path") && !strcmp(th_str(e, "path"), APPS "/hubspot"))
            seen++;
    assert_true(seen >= 3);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(repeated_reads_answer_the_same_body, setup, th_teardown),
        cmocka_unit_test_setup_teardown(every_write_shows_at_once, setup, th_teardown),
        cmocka_unit_test_setup_teardown(same_url_differs_by_account_and_tenant, setup, th_teardown),
        cmocka_unit_test_setup_teardown(the_clock_and_reset_show_at_once, setup, th_teardown),
        cmocka_unit_test_setup_teardown(auth_faults_and_journal_still_see_each_request, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
