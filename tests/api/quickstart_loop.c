/* quickstart_loop.c: the quick start end to end, as a product runs it: create a linked account,
 * mint a session token, connect the app (hosted portal + OAuth consent for HubSpot; the SDK's
 * key form for the Playground app), list actions, read the schema, write a contact, read it back. */
#include "flows_util.h"

#include <stdio.h>
#include <string.h>

#define LA "demo-user-1"

static void hubspot_through_the_hosted_portal(void **state)
{
    refold_mock *m = *state;
    /* Step 3: a linked account for the customer */
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL,
                       "{\"linked_account_id\":\"" LA "\",\"name\":\"Demo Customer\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* Step 4: a session token for the frontend, and the hosted Connect portal */
    char token[1024];
    th_session_token(m, ACME, LA, token, sizeof token);
    r = th_key(m, "POST", "/api/v2/public/connect-url", ACME, LA, "{}");
    assert_int_equal(r.status, 200);
    char page[600], app_path[700], consent[700], loc[700], body[160];
    snprintf(page, sizeof page, "%s", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
    r = th_request(m, "GET", page, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-testid=\"connect-hubspot\""));
    th_free(&r);
    snprintf(app_path, sizeof app_path, "%s/hubspot", page);
    r = th_request(m, "GET", app_path, NULL, NULL);
    assert_int_equal(r.status, 303);
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    snprintf(consent, sizeof consent, "%s", th_path_of(m, loc));
    th_free(&r);
    r = th_request(m, "GET", consent, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-testid=\"approve\""));
    th_free(&r);
    const char *st = strstr(consent, "state=");
    assert_non_null(st);
    snprintf(body, sizeof body, "state=%.32s&decision=approve&popup=0", st + 6);
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = th_request(m, "POST", "/oauth/hubspot/authorize", body, form);
    assert_int_equal(r.status, 303);
    th_free(&r);
    /* the frontend sees it connected */
    r = th_bearer(m, "GET", "/api/v2/f-sdk/application/hubspot", token, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);

    /* Step 5: confirm the action exists, read its schema, write, read back */
    r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    int found = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, r.json) found |= !strcmp(th_str(a, "action_id"), "create_contact");
    assert_true(found);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions/create_contact", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) > 0);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\",\"firstname\":\"Jane\",\"lastname\":\"Doe\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "node_status"), "Success");
    char id[32], q[96];
    snprintf(id, sizeof id, "%s", th_str(cJSON_GetObjectItem(r.json, "data"), "id"));
    assert_non_null(th_str(cJSON_GetObjectItem(r.json, "data"), "createdAt"));
    th_free(&r);
    snprintf(q, sizeof q, "{\"contact_id\":\"%s\"}", id);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", q);
    assert_int_equal(r.status, 200);
    const cJSON *props = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties");
    assert_string_equal(th_str(props, "email"), "jane@example.com");
    assert_string_equal(th_str(props, "firstname"), "Jane");
    assert_string_equal(th_str(props, "lastname"), "Doe");
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "list_contacts", "{\"limit\":\"1\"}");
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results"), 0), "id"), id);
    th_free(&r);

    /* Step 6's "handle connection health": the token is revoked, the write asks for a reconnect */
    fu_expire(m, ACME, LA, "hubspot", "revoked");
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"john@example.com\"}");
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/f-sdk/application/hubspot", token, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
}

static void playground_through_the_sdk(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, LA, "Demo Customer");
    char token[1024];
    th_session_token(m, ACME, LA, token, sizeof token);
    /* cobalt.connect("playground_app", {api_key}) */
    th_resp r = th_bearer(m, "POST", "/api/v2/app/playground_app/save", token, "{\"api_key\":\"pg_test_4f9a2c71e8\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* cobalt.config({slug}) installs the config */
    r = th_bearer(m, "POST", "/api/v2/f-sdk/config", token, "{\"slug\":\"playground_app\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "config_id"), LA);
    th_free(&r);
    r = fu_action(m, ACME, LA, "playground_app", "create_item", "{\"name\":\"Starter kit\",\"quantity\":2,\"category\":\"hardware\"}");
    assert_int_equal(r.status, 200);
    char q[96];
    snprintf(q, sizeof q, "{\"item_id\":\"%s\"}", th_str(cJSON_GetObjectItem(r.json, "data"), "id"));
    th_free(&r);
    r = fu_action(m, ACME, LA, "playground_app", "get_item", q);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "data"), "name"), "Starter kit");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "quantity")->valueint, 2);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    assert_int_equal(r.status, 200); /* the SDK's config is the API's config */
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hubspot_through_the_hosted_portal, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(playground_through_the_sdk, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
