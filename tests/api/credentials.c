/* credentials.c: API tests for the connection writes by API key: save key-based credentials,
 * migrate a token, the default app's credentials, deleting an integration; credentials are never
 * returned, bad input changes nothing. */
#include "harness.h"
#include "receiver.h"

#include <stdio.h>
#include <string.h>

#define ACME "tk_acme_test"
#define SAVE_KEY "/api/v2/public/linked-account/integration/save-key-credentials/"
#define MIGRATE "/api/v2/public/migrate-token"
#define DEFAULT_APP "/api/v2/public/linked-account/default-app/auth-credentials/"
#define INTEGRATION "/api/v2/public/linked-account/integration/"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    *state = m;
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/sink", "[\"Connection Created\",\"Connection Expired\",\"Connection Deleted\"]", NULL, 0);
    return 0;
}

static int n_events(refold_mock *m, const char *event)
{
    char q[128];
    snprintf(q, sizeof q, "event=%s", event);
    for (char *p = q; *p; p++)
        if (*p == ' ')
            *p = '+';
    cJSON *d = rcv_deliveries(m, ACME, q);
    int n = cJSON_GetArraySize(d);
    cJSON_Delete(d);
    return n;
}

/* The application object's connected_accounts[0] (caller deletes) or NULL when not connected. */
static cJSON *account(refold_mock *m, const char *la, const char *slug)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/application/%s", slug);
    th_resp r = th_key(m, "GET", path, ACME, la, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    cJSON *out = a ? cJSON_Duplicate(a, 1) : NULL;
    th_free(&r);
    return out;
}

/* Asserts a secret appears in none of the responses that describe the linked account. */
static void never_shown(refold_mock *m, const char *la, const char *secret)
{
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "/api/v2/public/linked-account/%s", la);
    snprintf(p2, sizeof p2, "/__mock/linked-accounts/%s/connections", la);
    const char *paths[] = {p1, "/api/v2/public/application", p2, "/api/v2/public/linked-account", "/__mock/webhooks/deliveries",
                           "/__mock/requests"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        th_resp r = th_key(m, "GET", paths[i], ACME, la, NULL);
        assert_int_equal(r.status, 200);
        if (strstr(r.body, secret))
            fail_msg("%s shows the secret %s", paths[i], secret);
        th_free(&r);
    }
}

static void save_key_credentials(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "key_user", "Key");
    /* missing fields are all named, and nothing is saved */
    th_resp r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "key_user", "{}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "sid, number"));
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "key_user", "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"  \"}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "number"));
    assert_null(strstr(th_str(r.json, "message"), "sid"));
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "key_user", "{\"sid\":{\"a\":1},\"number\":\"+14155550123\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "key_user", "not json");
    th_assert_error(&r, 400);
    th_free(&r);
    assert_null(account(m, "key_user", "twilio"));
    assert_int_equal(n_events(m, "Connection Created"), 0);

    r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "key_user", "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155559876\"}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    th_free(&r);
    cJSON *a = account(m, "key_user", "twilio");
    assert_non_null(a);
    assert_string_equal(th_str(a, "identifier"), "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f"); /* keybased.identifier_field: sid */
    assert_string_equal(th_str(a, "auth_type"), "keybased");
    assert_string_equal(th_str(a, "status"), "active");
    cJSON_Delete(a);
    assert_int_equal(n_events(m, "Connection Created"), 1);
    never_shown(m, "key_user", "+14155559876");

    /* a secret identifier field (greenhouse: api_key) is masked */
    r = th_key(m, "PUT", SAVE_KEY "greenhouse", ACME, "key_user", "{\"api_key\":\"gh_live_7f3c9a1e5b2d\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    a = account(m, "key_user", "greenhouse");
    assert_string_equal(th_str(a, "identifier"), "****5b2d");
    cJSON_Delete(a);
    never_shown(m, "key_user", "gh_live_7f3c9a1e5b2d");

    /* wrong app kind, unknown app, unknown or missing linked account, session token */
    r = th_key(m, "PUT", SAVE_KEY "hubspot", ACME, "key_user", "{\"api_key\":\"x\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "no_such_app", ACME, "key_user", "{\"api_key\":\"x\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "nobody", "{\"sid\":\"AC1\",\"number\":\"+1\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, NULL, "{\"sid\":\"AC1\",\"number\":\"+1\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PUT", SAVE_KEY "twilio", "tk_globex_test", "key_user", "{\"sid\":\"AC1\",\"number\":\"+1\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    char token[2048];
    th_session_token(m, ACME, "key_user", token, sizeof token);
    r = th_bearer(m, "PUT", SAVE_KEY "twilio", token, "{\"sid\":\"AC1\",\"number\":\"+1\"}");
    th_assert_error(&r, 401);
    th_free(&r);
    assert_int_equal(n_events(m, "Connection Created"), 2);
}

static void migrate_token(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "mig_user", "Migrate");
    static const char *const bad[] = {
        "{\"auth_object\":{\"oauth2\":{\"access_token\":\"a\",\"refresh_token\":\"r\"}}}",
        "{\"slug\":\"hubspot\"}",
        "{\"slug\":\"hubspot\",\"auth_object\":{}}",
        "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"a\"}}}",
        "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"a\",\"refresh_token\":\"r\"},\"keybased\":{}}}",
        "{\"slug\":\"hubspot\",\"auth_object\":{\"keybased\":{\"api_key\":\"k\"}}}",
        "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":\"token\"}}",
        "{\"slug\":\"netsuite\",\"auth_object\":{\"keybased\":{\"account_id\":\"1234567\"}}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        th_resp r = th_key(m, "PUT", MIGRATE, ACME, "mig_user", bad[i]);
        if (r.status != 400)
            fprintf(stderr, "case %zu: %s -> %ld\n", i, bad[i], r.status);
        th_assert_error(&r, 400);
        if (i == 3)
            assert_non_null(strstr(th_str(r.json, "message"), "refresh_token"));
        if (i == 7)
            assert_non_null(strstr(th_str(r.json, "message"), "consumer_key, consumer_secret, token_id, token_secret"));
        th_free(&r);
    }
    th_resp r = th_key(m, "PUT", MIGRATE, ACME, "mig_user", "{\"slug\":\"nope\",\"auth_object\":{\"oauth2\":{}}}");
    th_assert_error(&r, 404);
    th_free(&r);
    assert_null(account(m, "mig_user", "hubspot"));
    assert_int_equal(n_events(m, "Connection Created"), 0);

    /* the docs' examples */
    r = th_key(m, "PUT", MIGRATE, ACME, "mig_user",
               "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"CJSP5qf1KhICAQEYs-gDIIGOBii1\",\"refresh_token\":\"6f18f21e-a743-4509-b7fd-1a5e632fffa1\"}}}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    assert_string_equal(th_str(r.json, "message"), "Token migrated successfully");
    th_free(&r);
    cJSON *a = account(m, "mig_user", "hubspot");
    assert_string_equal(th_str(a, "auth_type"), "oauth2");
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(a, "identifier"))); /* the fixture's portal */
    cJSON_Delete(a);
    r = th_key(m, "PUT", MIGRATE, ACME, "mig_user",
               "{\"slug\":\"netsuite\",\"auth_object\":{\"keybased\":{\"account_id\":\"1234567_SB1\",\"consumer_key\":\"ck\","
               "\"consumer_secret\":\"cs-very-secret\",\"token_id\":\"tid\",\"token_secret\":\"ts-very-secret\"}}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    a = account(m, "mig_user", "netsuite");
    assert_string_equal(th_str(a, "auth_type"), "keybased");
    assert_string_equal(th_str(a, "identifier"), "1234567_SB1");
    cJSON_Delete(a);
    assert_int_equal(n_events(m, "Connection Created"), 2);
    never_shown(m, "mig_user", "CJSP5qf1KhICAQEYs-gDIIGOBii1");
    never_shown(m, "mig_user", "ts-very-secret");
}

static void default_app_credentials(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "plain_user", "Plain");
    th_resp r = th_key(m, "PUT", DEFAULT_APP "api_key", ACME, "plain_user", "{\"value\":\"k1\"}");
    th_assert_error(&r, 404);
    assert_non_null(strstr(th_str(r.json, "message"), "Default app integration not found"));
    th_free(&r);

    r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL,
               "{\"linked_account_id\":\"app_user\",\"name\":\"App\",\"your_app\":{\"auth_credentials\":{\"api_key\":\"first-secret-1\"}}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "PUT", DEFAULT_APP "api_key", ACME, "app_user", "{\"value\":\"second-secret-2\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "action"), "updated");
    assert_string_equal(th_str(r.json, "message"), "Auth credential 'api_key' updated successfully");
    th_free(&r);
    r = th_key(m, "PUT", DEFAULT_APP "region", ACME, "app_user", "{\"value\":42}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "action"), "added");
    th_free(&r);
    r = th_key(m, "PUT", DEFAULT_APP "region", ACME, "app_user", "{}");
    th_assert_error(&r, 400);
    th_free(&r);
    /* with a session token: the token's linked account */
    char token[2048];
    th_session_token(m, ACME, "app_user", token, sizeof token);
    r = th_bearer(m, "DELETE", DEFAULT_APP "region", token, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Auth credential 'region' deleted successfully");
    th_free(&r);
    r = th_bearer(m, "DELETE", DEFAULT_APP "region", token, NULL);
    th_assert_error(&r, 404);
    assert_non_null(strstr(th_str(r.json, "message"), "'region' not found"));
    th_free(&r);
    /* the updated value is what stays, and no webhook: the default app is not a connection */
    r = th_key(m, "PUT", DEFAULT_APP "api_key", ACME, "app_user", "{\"value\":\"third\"}");
    assert_string_equal(th_str(r.json, "action"), "updated");
    th_free(&r);
    never_shown(m, "app_user", "second-secret-2");
    never_shown(m, "app_user", "first-secret-1");
    cJSON *d = rcv_deliveries(m, ACME, NULL);
    assert_int_equal(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
}

static void delete_integration(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "del_user", "Delete");
    th_resp r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, "del_user", "{\"sid\":\"AC11112222\",\"number\":\"+14155550123\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "PUT", MIGRATE, ACME, "del_user", "{\"slug\":\"slack\",\"auth_object\":{\"oauth2\":{\"access_token\":\"xoxb\",\"refresh_token\":\"xoxe\"}}}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* auth_type that does not match: nothing removed */
    r = th_key(m, "DELETE", INTEGRATION "twilio?auth_type=oauth2", ACME, "del_user", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "integrations")), 2);
    th_free(&r);
    assert_int_equal(n_events(m, "Connection Deleted"), 0);

    r = th_key(m, "DELETE", INTEGRATION "twilio?linked_account_id=del_user", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "del_user");
    const cJSON *ints = cJSON_GetObjectItem(r.json, "integrations");
    assert_int_equal(cJSON_GetArraySize(ints), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(ints, 0), "type"), "slack");
    th_free(&r);
    assert_null(account(m, "del_user", "twilio"));
    assert_int_equal(n_events(m, "Connection Deleted"), 1);

    /* not there: still 200, the account as it stands, no event */
    r = th_key(m, "DELETE", INTEGRATION "twilio", ACME, "del_user", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "integrations")), 1);
    th_free(&r);
    assert_int_equal(n_events(m, "Connection Deleted"), 1);
    r = th_key(m, "DELETE", INTEGRATION "slack?auth_type=oauth2", ACME, "del_user", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "integrations")), 0);
    th_free(&r);
    assert_int_equal(n_events(m, "Connection Deleted"), 2);
    r = th_key(m, "DELETE", INTEGRATION "twilio", ACME, "nobody", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", INTEGRATION "no_such_app", ACME, "del_user", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_key_credentials, setup, th_teardown),
        cmocka_unit_test_setup_teardown(migrate_token, setup, th_teardown),
        cmocka_unit_test_setup_teardown(default_app_credentials, setup, th_teardown),
        cmocka_unit_test_setup_teardown(delete_integration, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
