/* trailing_slash.c: API tests for trailing slashes: a path with one is the same route as without,
 * on the public API (the backend SDK's /slug/hubspot/config/), /__mock, the pages and scenario
 * path rules; the journal shows the path as it was sent. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"
#define LA "user_12345"

/* The answer without request_id (it differs per request), printed. */
static char *without_request_id(const th_resp *r)
{
    cJSON *copy = cJSON_Duplicate(r->json, 1);
    cJSON_DeleteItemFromObject(copy, "request_id");
    char *text = cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return text;
}

static void public_api_routes_take_a_trailing_slash(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, LA, "Slash");
    th_resp c = th_key(m, "POST", "/api/v2/public/config/", ACME, LA, "{\"slug\":\"hubspot\"}");
    assert_int_equal(c.status, 200);
    th_free(&c);
    /* the backend SDK's config read when it has no config id, with and without the slash */
    th_resp a = th_key(m, "GET", "/api/v2/public/slug/hubspot/config", ACME, LA, NULL);
    th_resp b = th_key(m, "GET", "/api/v2/public/slug/hubspot/config/", ACME, LA, NULL);
    assert_int_equal(b.status, a.status);
    if (a.status != 200)
        fprintf(stderr, "%s\n", a.body);
    assert_int_equal(a.status, 200);
    char *ta = without_request_id(&a), *tb = without_request_id(&b);
    assert_string_equal(tb, ta);
    free(ta);
    free(tb);
    th_free(&a);
    th_free(&b);
    /* a write through the slashed path changes state as the plain one does */
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account/", ACME, NULL, "{\"linked_account_id\":\"slash_user\",\"name\":\"S\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/slash_user/", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "slash_user");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/slash_user", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* another method: 405 with the same Allow */
    r = th_key(m, "PATCH", "/api/v2/public/linked-account/", ACME, NULL, NULL);
    th_assert_error(&r, 405);
    char allow[64];
    assert_true(th_header(&r, "Allow", allow, sizeof allow));
    assert_non_null(strstr(allow, "POST"));
    th_free(&r);
    /* the journal shows what was sent, under the route's operation */
    r = th_key(m, "GET", "/__mock/requests?method=POST&path=/api/v2/public/linked-account/", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "operation"), "createLinkedAccount");
    th_free(&r);
}

static void admin_routes_and_pages_take_a_trailing_slash(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_request(m, "GET", "/__mock/clock/", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(cJSON_GetObjectItem(r.json, "now"));
    th_free(&r);
    r = th_request(m, "POST", "/__mock/clock/advance/", "{\"seconds\":60}", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* the dashboard's links are relative to /__mock/: /__mock/ui/ sends the browser to /__mock/ui */
    r = th_request(m, "GET", "/__mock/ui/?tab=logs", NULL, NULL);
    assert_int_equal(r.status, 308);
    char loc[128];
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "../ui?tab=logs");
    th_free(&r);
    r = th_request(m, "GET", "/__mock/ui", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* a hosted connect page */
    th_create_la(m, ACME, LA, "Slash");
    r = th_key(m, "POST", "/api/v2/public/connect-url", ACME, LA, "{}");
    assert_int_equal(r.status, 200);
    char page[1024];
    snprintf(page, sizeof page, "%s/", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
    r = th_request(m, "GET", page, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<html"));
    th_free(&r);
}

/* A scenario's fail_requests path names the route: the slashed request is caught too. */
static void scenario_paths_ignore_a_trailing_slash(void **state)
{
    refold_mock *m = *state;
    th_admin_ok(m, "/__mock/scenario",
                "{\"version\":1,\"name\":\"slash-fault\",\"api_key\":\"tk_acme_test\",\"steps\":[{\"name\":\"fail\","
                "\"when\":{\"manual\":true},\"do\":[{\"action\":\"fail_requests\",\"method\":\"GET\","
                "\"path\":\"/api/v2/public/linked-account\",\"status\":503,\"times\":1}]}]}");
    th_admin_ok(m, "/__mock/scenario/steps/fail", NULL);
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/", ACME, NULL, NULL);
    th_assert_error(&r, 503);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(public_api_routes_take_a_trailing_slash, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(admin_routes_and_pages_take_a_trailing_slash, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(scenario_paths_ignore_a_trailing_slash, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
