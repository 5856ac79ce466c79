/* errors_cors.c: the error envelope on every failure kind (404 route, 405, 400 JSON, 413, 501)
 * and CORS on preflights, successes and errors alike. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static void unknown_route_and_method(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", "/api/v2/public/nope", "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 404), "NOT_FOUND");
    assert_string_equal(th_str(r.json, "http_error_type"), "NOT_FOUND");
    assert_non_null(th_str(r.json, "request_id"));
    th_free(&r);
    r = th_key(m, "PATCH", "/api/v2/public/linked-account", "tk_acme_test", NULL, "{}");
    th_assert_error(&r, 405);
    char allow[128];
    assert_true(th_header(&r, "Allow", allow, sizeof allow));
    assert_non_null(strstr(allow, "POST"));
    th_free(&r);
    /* reason phrases are real: the SDK surfaces statusText */
    r = th_key(m, "GET", "/api/v2/public/nope", "tk_acme_test", NULL, NULL);
    assert_non_null(strstr(r.headers, " 404 Not Found\r\n"));
    th_free(&r);
}

static void malformed_and_oversized_bodies(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", "tk_acme_test", NULL, "{\"linked_account_id\":\"a\",}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "malformed JSON"));
    th_free(&r);
    size_t big = 1024 * 1024 + 10;
    char *body = malloc(big + 1);
    memset(body, ' ', big);
    body[0] = '{';
    body[big - 1] = '}';
    body[big] = 0;
    r = th_key(m, "POST", "/api/v2/public/linked-account", "tk_acme_test", NULL, body);
    free(body);
    assert_string_equal(th_assert_error(&r, 413), "PAYLOAD_TOO_LARGE");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account", "tk_acme_test", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0); /* nothing was created */
    th_free(&r);
}

static void preflight_without_auth(void **state)
{
    refold_mock *m = *state;
    const char *hs[] = {"Origin: http://localhost:3000", "Access-Control-Request-Method: POST",
                        "Access-Control-Request-Headers: authorization, content-type", NULL};
    th_resp r = th_request(m, "OPTIONS", "/api/v2/f-sdk/application/hubspot", NULL, hs);
    assert_int_equal(r.status, 204);
    char v[256];
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, "http://localhost:3000");
    assert_true(th_header(&r, "Vary", v, sizeof v));
    assert_string_equal(v, "Origin");
    assert_true(th_header(&r, "Access-Control-Allow-Methods", v, sizeof v));
    assert_non_null(strstr(v, "DELETE"));
    assert_true(th_header(&r, "Access-Control-Allow-Headers", v, sizeof v));
    const char *need[] = {"authorization", "content-type", "x-api-key", "linked_account_id"};
    for (int i = 0; i < 4; i++)
        assert_non_null(strstr(v, need[i]));
    th_free(&r);
}

static void allow_origin_on_errors_too(void **state)
{
    refold_mock *m = *state;
    const char *hs[] = {"Origin: https://app.example.com", "x-api-key: wrong", NULL};
    th_resp r = th_request(m, "GET", "/api/v2/public/linked-account", NULL, hs);
    th_assert_error(&r, 401);
    char v[256];
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, "https://app.example.com");
    th_free(&r);
    const char *ok[] = {"Origin: https://app.example.com", "x-api-key: tk_acme_test", NULL};
    r = th_request(m, "GET", "/api/v2/public/linked-account", NULL, ok);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    th_free(&r);
}

/* A route without a handler answers 501 in the envelope (never a fake 200). */
static void unbuilt_routes_say_so(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_request(m, "GET", "/__mock/routes", NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *rt;
    int checked = 0;
    cJSON_ArrayForEach(rt, r.json) {
        if (cJSON_IsTrue(cJSON_GetObjectItem(rt, "implemented")) || strcmp(th_str(rt, "method"), "GET") ||
            strchr(th_str(rt, "path"), '{'))
            continue;
        th_resp x = th_key(m, "GET", th_str(rt, "path"), "tk_acme_test", NULL, NULL);
        if (x.status != 401 && x.status != 400 && x.status != 404) {
            assert_string_equal(th_assert_error(&x, 501), "NOT_IMPLEMENTED");
            checked++;
        }
        th_free(&x);
    }
    th_free(&r);
    (void)checked; /* zero once every route is built */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_route_and_method),
        cmocka_unit_test(malformed_and_oversized_bodies),
        cmocka_unit_test(preflight_without_auth),
        cmocka_unit_test(allow_origin_on_errors_too),
        cmocka_unit_test(unbuilt_routes_say_so),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
