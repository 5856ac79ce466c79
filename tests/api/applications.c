/* applications.c: API tests for the app catalogue: list with filters, get by slug, connection
 * fields per linked account, auth structure, and the errors around them. */
#include "harness.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "base/mock.h"

#include <string.h>

#define APPS "/api/v2/public/application"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, "tk_acme_test", "user_12345", "Acme Inc.");
    th_create_la(m, "tk_acme_test", "user_other", "Other");
    *state = m;
    return 0;
}

static void list_has_catalogue_fields(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", APPS, "tk_acme_test", "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) >= 12);
    const cJSON *hs = th_find(r.json, "slug", "hubspot");
    assert_non_null(hs);
    const char *fields[] = {"name", "slug", "type", "app_id", "icon", "description", "auth_type"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        assert_non_null(th_str(hs, fields[i]));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(hs, "tags")));
    assert_true(cJSON_IsBool(cJSON_GetObjectItem(hs, "ecosystem")));
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(hs, "auth_type_options")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(hs, "reauth_required")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(hs, "connected")));
    /* mock-only fixture sections are not part of the public shape */
    assert_null(cJSON_GetObjectItem(hs, "oauth"));
    assert_null(cJSON_GetObjectItem(hs, "actions"));
    const cJSON *tw = th_find(r.json, "slug", "twilio");
    const cJSON *map = cJSON_GetObjectItem(tw, "auth_input_map");
    assert_int_equal(cJSON_GetArraySize(map), 2);
    const cJSON *f = cJSON_GetArrayItem(map, 0);
    assert_non_null(th_str(f, "label"));
    assert_non_null(th_str(f, "placeholder"));
    assert_true(cJSON_IsBool(cJSON_GetObjectItem(f, "required")));
    th_free(&r);
}

static void filters(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", APPS "?auth_type=keybased", "tk_acme_test", "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(th_find(r.json, "slug", "twilio"));
    assert_non_null(th_find(r.json, "slug", "netsuite")); /* supports both */
    assert_null(th_find(r.json, "slug", "hubspot"));
    th_free(&r);
    r = th_key(m, "GET", APPS "?tags=CRM", "tk_acme_test", "user_12345", NULL);
    assert_non_null(th_find(r.json, "slug", "hubspot"));
    assert_null(th_find(r.json, "slug", "twilio"));
    th_free(&r);
    r = th_key(m, "GET", APPS "?slug=slack", "tk_acme_test", "user_12345", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    r = th_key(m, "GET", APPS "?ecosystem=maybe", "tk_acme_test", "user_12345", NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    /* linked_account_id from the query works like the header */
    r = th_key(m, "GET", APPS "?linked_account_id=user_12345&slug=slack", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void connection_fields_per_linked_account(void **state)
{
    refold_mock *m = *state;
    struct mock *mm = (struct mock *)m;
    const struct tenant *t = fixtures_tenant_by_key(mm->fx, "tk_acme_test");
    assert_int_equal(connections_connect(mm, t, "user_12345", "hubspot", NULL, NULL, NULL), 0);
    th_resp r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    const cJSON *acc = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    assert_string_equal(th_str(acc, "status"), "active");
    assert_string_equal(th_str(acc, "auth_type"), "oauth2");
    assert_non_null(th_str(acc, "connectedAt"));
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(acc, "identifier")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);

    /* Expired: still connected, status expired, reauth_required — for this account only. */
    assert_int_equal(connections_expire(mm, t, "user_12345", "hubspot", "revoked"), 0);
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_12345", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    acc = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    assert_string_equal(th_str(acc, "status"), "expired");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_other", NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected"))); /* said outright, not left out */
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
    /* Another tenant sees nothing of it (its own user_12345 does not exist). */
    r = th_key(m, "GET", APPS "/hubspot", "tk_globex_test", "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    /* The linked account lists the integration. */
    r = th_key(m, "GET", "/api/v2/public/linked-account/user_12345", "tk_acme_test", NULL, NULL);
    const cJSON *integ = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "integrations"), 0);
    assert_string_equal(th_str(integ, "type"), "hubspot");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(integ, "reauth_required")));
    assert_null(cJSON_GetObjectItem(integ, "credentials"));
    th_free(&r);
    connections_connect(mm, t, "user_12345", "hubspot", NULL, NULL, NULL);
    r = th_key(m, "GET", APPS "/hubspot", "tk_acme_test", "user_12345", NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
}

static void errors(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", APPS "/no_such_app", "tk_acme_test", "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", APPS, "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", APPS, "tk_acme_test", "nobody", NULL);
    assert_string_equal(th_assert_error(&r, 404), "INVALID_LINKED_ACCOUNT_ID");
    th_free(&r);
    r = th_key(m, "GET", APPS, "nope", "user_12345", NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

static void auth_structure_needs_no_auth(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_request(m, "GET", "/api/v2/public/auth-structure/netsuite", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(r.json, "keybased")));
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(r.json, "oauth2")));
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "keybased"), "token_secret"), "string");
    th_free(&r);
    /* auth-structure/get-auth-structure.mdx, ```json 500:
     * {"status_code": 500, "error": "SERVER_ERROR", "message": "Schema not found for integration type: test-app"} */
    r = th_request(m, "GET", "/api/v2/public/auth-structure/test-app", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 500), "SERVER_ERROR");
    assert_string_equal(th_str(r.json, "message"), "Schema not found for integration type: test-app");
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_has_catalogue_fields),
        cmocka_unit_test(filters),
        cmocka_unit_test(connection_fields_per_linked_account),
        cmocka_unit_test(errors),
        cmocka_unit_test(auth_structure_needs_no_auth),
    };
    return cmocka_run_group_tests(tests, setup, th_teardown);
}
