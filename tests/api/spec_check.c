/* spec_check.c: request bodies checked against the spec's request schemas: unknown fields and
 * type, enum and format breaks give a Refold-Mock-Warning header and a warnings list in the
 * journal entry with the answer unchanged; --strict answers 400 with the violations instead
 * and changes nothing. */
#include "harness.h"

#include <string.h>

#define ACME "tk_acme_test"

/* The warnings of the last journal entry. */
static cJSON *last_warnings(refold_mock *m)
{
    th_resp r = th_request(m, "GET", "/__mock/requests", NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *list = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "requests");
    const cJSON *last = NULL, *e;
    cJSON_ArrayForEach(e, list) if (strcmp(th_str(e, "path"), "/__mock/requests")) last = e;
    assert_non_null(last);
    cJSON *w = cJSON_Duplicate(cJSON_GetObjectItem(last, "warnings"), 1);
    th_free(&r);
    assert_true(cJSON_IsArray(w));
    return w;
}

static void warnings_leave_the_answer_alone(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char h[512];
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL,
                       "{\"linked_account_id\":\"checked\",\"name\":\"Checked\",\"nickname\":\"x\"}");
    assert_int_equal(r.status, 200); /* the real API accepts unknown fields: so does the mock */
    assert_true(th_header(&r, "Refold-Mock-Warning", h, sizeof h));
    assert_string_equal(h, "body.nickname: unknown field (not in the spec)");
    th_free(&r);
    cJSON *w = last_warnings(m);
    assert_int_equal(cJSON_GetArraySize(w), 1);
    assert_string_equal(cJSON_GetArrayItem(w, 0)->valuestring, "body.nickname: unknown field (not in the spec)");
    cJSON_Delete(w);
    r = th_key(m, "GET", "/api/v2/public/linked-account/checked", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* a type mismatch, a bad enum and a bad uri in one body */
    r = th_key(m, "POST", "/api/v2/public/webhook", ACME, NULL,
               "{\"webhook_url\":\"not a url\",\"webhook_events\":[\"Connection Created\", 7],\"webhook_type\":\"pager\"}");
    assert_true(th_header(&r, "Refold-Mock-Warning", h, sizeof h));
    assert_non_null(strstr(h, "body.webhook_url: not a uri: 'not a url'"));
    assert_non_null(strstr(h, "body.webhook_events[1]: expected string, got integer"));
    assert_non_null(strstr(h, "body.webhook_type: not one of [\"default\",\"slack\",\"custom\"]"));
    th_free(&r);

    /* a body that matches: no header, an empty list */
    r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":\"clean\",\"name\":\"Clean\"}");
    assert_int_equal(r.status, 200);
    assert_false(th_header(&r, "Refold-Mock-Warning", h, sizeof h));
    th_free(&r);
    w = last_warnings(m);
    assert_int_equal(cJSON_GetArraySize(w), 0);
    cJSON_Delete(w);

    /* a field name carrying a line break cannot split the header */
    r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":\"crlf\",\"a\\r\\nX-Evil: 1\":1}");
    assert_int_equal(r.status, 200);
    assert_false(th_header(&r, "X-Evil", h, sizeof h));
    assert_true(th_header(&r, "Refold-Mock-Warning", h, sizeof h));
    th_free(&r);
    refold_mock_stop(m);
}

static void strict_refuses_and_changes_nothing(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.strict = 1;
    refold_mock *m = th_start(&o);
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL,
                       "{\"linked_account_id\":\"strict\",\"name\":5,\"nickname\":\"x\"}");
    assert_string_equal(th_assert_error(&r, 400), "REQUEST_VALIDATION");
    const char *msg = th_str(r.json, "message");
    assert_non_null(strstr(msg, "body.name: expected string, got integer"));
    assert_non_null(strstr(msg, "body.nickname: unknown field (not in the spec)"));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/strict", ACME, NULL, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":\"strict\",\"name\":\"Strict\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(warnings_leave_the_answer_alone),
        cmocka_unit_test(strict_refuses_and_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
