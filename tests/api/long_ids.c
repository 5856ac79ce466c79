/* long_ids.c: API tests for long ids: Refold's crm-demo uses a 129-character JWT as its
 * linked_account_id, and every call takes it (create, read, connect by token import and by OAuth
 * consent, execute, session token, connect URL, journal, admin views, delete); ids of 2048 bytes too, 2049 refused. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"
#define LA_PATH "/api/v2/public/linked-account"

/* A 129-character HS256 JWT as crm-demo passes it for its linked account id. */
static const char JWT_LA[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjcm0tZGVtby11c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ."
                             "c2lnbmF0dXJlLWNybS1kZW1vLWFiY2RlZ";

static void crm_demo_jwt_as_linked_account_id(void **state)
{
    refold_mock *m = *state;
    assert_int_equal(strlen(JWT_LA), 129);
    /* create: the id in the body */
    th_create_la(m, ACME, JWT_LA, "CRM demo user");
    char path[4096];
    /* read: the id in the path */
    snprintf(path, sizeof path, LA_PATH "/%s", JWT_LA);
    th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), JWT_LA);
    th_free(&r);
    /* connect: the id in the header */
    r = th_key(m, "PUT", "/api/v2/public/migrate-token", ACME, JWT_LA,
               "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at_1\",\"refresh_token\":\"rt_1\"}}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* the app reads as connected for it, and in the admin view (the id in the path again) */
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", ACME, JWT_LA, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections", JWT_LA);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "status"), "active");
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "linked_account_id"), JWT_LA);
    th_free(&r);
    /* connect another app through the OAuth consent (popup mode, as the SDK opens it) */
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/pipedrive", ACME, JWT_LA, NULL);
    assert_int_equal(r.status, 200);
    const char *st = strstr(th_str(r.json, "auth_url"), "state=");
    assert_non_null(st);
    char form_body[200];
    snprintf(form_body, sizeof form_body, "state=%.32s&decision=approve&popup=1", st + 6);
    th_free(&r);
    const char *const form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = th_request(m, "POST", "/oauth/pipedrive/authorize", form_body, form);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-outcome=\"approved\""));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/pipedrive", ACME, JWT_LA, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    /* execute an action */
    r = th_key(m, "POST", "/api/v2/integration-schema/hubspot/actions/create_contact/execute", ACME, JWT_LA,
               "{\"email\":\"jane@example.com\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* the id in the query works as the header does */
    snprintf(path, sizeof path, "/api/v2/public/application/hubspot?linked_account_id=%s", JWT_LA);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* a session token for it names it */
    char tok[8192];
    th_session_token(m, ACME, JWT_LA, tok, sizeof tok);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), JWT_LA);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/f-sdk/application/hubspot", tok, NULL); /* the frontend SDK's read */
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    /* a hosted connect URL for it opens its page */
    r = th_key(m, "POST", "/api/v2/public/connect-url", ACME, JWT_LA, "{}");
    assert_int_equal(r.status, 200);
    char page[2048];
    snprintf(page, sizeof page, "%s", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
    r = th_request(m, "GET", page, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "hubspot"));
    th_free(&r);
    /* the journal keeps the whole id and filters by it */
    snprintf(path, sizeof path, "/__mock/requests?linked_account_id=%s&method=POST&path=*execute", JWT_LA);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "linked_account_id"), JWT_LA);
    th_free(&r);
    /* delete, then it is gone */
    snprintf(path, sizeof path, LA_PATH "/%s", JWT_LA);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

/* 2048 bytes is an id (body, path, header); 2049 is refused with nothing created. */
static void ids_up_to_two_kib(void **state)
{
    refold_mock *m = *state;
    char *id = malloc(2050), path[4096];
    memset(id, 'k', 2048);
    id[2048] = 0;
    th_create_la(m, ACME, id, "Long");
    snprintf(path, sizeof path, LA_PATH "/%s", id);
    th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(strlen(th_str(r.json, "account_id")), 2048);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", ACME, id, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    char tok[8192];
    th_session_token(m, ACME, id, tok, sizeof tok);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(strlen(th_str(r.json, "account_id")), 2048);
    th_free(&r);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* one byte more: a clear 400 in the body and the header, and nothing stored */
    strcat(id, "k");
    char *body = malloc(2200);
    snprintf(body, 2200, "{\"linked_account_id\":\"%s\"}", id);
    r = th_key(m, "POST", LA_PATH, ACME, NULL, body);
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "2048"));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", ACME, id, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", LA_PATH, ACME, NULL, NULL);
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs"))
        assert_true(strlen(th_str(d, "account_id")) < 2048);
    th_free(&r);
    free(body);
    free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(crm_demo_jwt_as_linked_account_id, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(ids_up_to_two_kib, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
