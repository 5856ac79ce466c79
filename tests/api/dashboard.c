/* dashboard.c: API tests for the dashboard: the page and its assets served by the mock (nothing
 * from outside), GET /__mock/tenants (tenants, linked accounts, connection state and expiries,
 * never credentials; scoped by key), and the admin token guarding both. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static void page_and_assets(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_resp r = th_request(m, "GET", "/__mock/ui", NULL, NULL);
    assert_int_equal(r.status, 200);
    char ct[128];
    assert_true(th_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "text/html"));
    assert_non_null(strstr(r.body, "assets/dashboard.js"));
    assert_non_null(strstr(r.body, "assets/mock.css"));
    /* No CDN: nothing on the page points outside the mock. */
    assert_null(strstr(r.body, "http://"));
    assert_null(strstr(r.body, "https://"));
    th_free(&r);
    r = th_request(m, "GET", "/__mock/assets/dashboard.js", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "javascript"));
    assert_null(strstr(r.body, "https://"));
    assert_null(strstr(r.body, "innerHTML")); /* values from the mock are text, never markup */
    th_free(&r);
    refold_mock_stop(m);
}

static const cJSON *tenant_by_key(const cJSON *list, const char *key)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, list)
        if (!strcmp(th_str(t, "api_key"), key))
            return t;
    return NULL;
}

static void tenants_view(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, "tk_acme_test", "dash_user", "Dash User");
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", "tk_acme_test",
                       "dash_user", "{\"sid\":\"AC00000000000000000000000000000001\",\"number\":\"+14155550100\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    r = th_request(m, "GET", "/__mock/tenants", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(r.json, "now_ms")));
    const cJSON *list = cJSON_GetObjectItem(r.json, "tenants");
    assert_int_equal(cJSON_GetArraySize(list), 4);
    const cJSON *acme = tenant_by_key(list, "tk_acme_test");
    assert_non_null(acme);
    assert_string_equal(th_str(acme, "org"), "Acme");
    assert_string_equal(th_str(acme, "environment"), "test");
    const cJSON *la = cJSON_GetArrayItem(cJSON_GetObjectItem(acme, "linked_accounts"), 0);
    assert_string_equal(th_str(la, "linked_account_id"), "dash_user");
    assert_string_equal(th_str(la, "name"), "Dash User");
    const cJSON *conn = cJSON_GetArrayItem(cJSON_GetObjectItem(la, "connections"), 0);
    assert_string_equal(th_str(conn, "slug"), "twilio");
    assert_string_equal(th_str(conn, "name"), "Twilio");
    assert_string_equal(th_str(conn, "status"), "active");
    assert_non_null(cJSON_GetObjectItem(conn, "access_token_expires_at"));
    assert_non_null(cJSON_GetObjectItem(conn, "credential_expires_at"));
    assert_null(strstr(r.body, "+14155550100")); /* credentials never leave the mock */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tenant_by_key(list, "tk_globex_test"), "linked_accounts")), 0);
    th_free(&r);

    /* With a key, only that tenant. */
    r = th_key(m, "GET", "/__mock/tenants", "tk_globex_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    list = cJSON_GetObjectItem(r.json, "tenants");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    assert_non_null(tenant_by_key(list, "tk_globex_test"));
    th_free(&r);
    r = th_key(m, "GET", "/__mock/tenants", "tk_nope", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    refold_mock_stop(m);
}

static void admin_token_guards_the_dashboard(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.admin_token = "s3cret-admin";
    refold_mock *m = th_start(&o);
    th_resp r = th_request(m, "GET", "/__mock/ui", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_request(m, "GET", "/__mock/tenants", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    /* A browser opens the page with the token in the query; the page sends it as a header. */
    r = th_request(m, "GET", "/__mock/ui?admin_token=s3cret-admin", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    const char *h[] = {"Authorization: Bearer s3cret-admin", NULL};
    r = th_request(m, "GET", "/__mock/tenants", NULL, h);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* The assets hold no state and stay open. */
    r = th_request(m, "GET", "/__mock/assets/dashboard.js", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_and_assets),
        cmocka_unit_test(tenants_view),
        cmocka_unit_test(admin_token_guards_the_dashboard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
