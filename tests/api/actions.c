/* actions.c: API tests for actions: list and parameter schemas, execute with records kept per
 * linked account (create, get, update, list, search, delete), parameter validation, the
 * connection gate (none, expired, reconnected), scenario result overrides, isolation. */
#include "flows_util.h"
#include "engine/fixtures.h"
#include "engine/overrides.h"

#include <stdio.h>
#include <string.h>

#define LA "user_12345"

static void list_and_schema(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    static const char *const wanted[] = {"httprequest", "create_contact", "get_contact", "update_contact", "list_contacts", "search_contacts", NULL};
    for (int i = 0; wanted[i]; i++) {
        const cJSON *a = th_find(r.json, "action_id", wanted[i]);
        assert_non_null(a);
        assert_non_null(th_str(a, "name"));
        assert_non_null(th_str(a, "description"));
        assert_string_equal(th_str(a, "tag"), "v2");
        assert_null(cJSON_GetObjectItem(a, "parameters")); /* the list is a summary */
    }
    th_free(&r);

    r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions/create_contact", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *email = th_find(r.json, "name", "email");
    assert_non_null(email);
    assert_string_equal(th_str(email, "label"), "Email");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(email, "required")));
    assert_string_equal(th_str(email, "type"), "text");
    const cJSON *stage = th_find(r.json, "name", "lifecyclestage");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(stage, "required")));
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(stage, "options")) >= 5);
    th_free(&r);

    /* the other apps the quick start names */
    r = th_key(m, "GET", "/api/v2/integration-schema/slack/actions/send_message", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/integration-schema/salesforce/actions/create_lead", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);

    r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions/no_such_action", ACME, LA, NULL);
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Action no_such_action not found in Application hubspot");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/integration-schema/unknown/actions", ACME, LA, NULL);
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Application app_type 'unknown' not found");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions", "tk_nope", LA, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

static void records_round_trip(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    th_resp r = fu_action(m, ACME, LA, "hubspot", "create_contact",
                          "{\"email\":\"jane@example.com\",\"firstname\":\"Jane\",\"lastname\":\"Doe\",\"lifecyclestage\":\"lead\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "node_status"), "Success");
    const cJSON *data = cJSON_GetObjectItem(r.json, "data");
    char id[32];
    snprintf(id, sizeof id, "%s", th_str(data, "id"));
    assert_int_equal(strlen(id), 24);
    const cJSON *props = cJSON_GetObjectItem(data, "properties");
    assert_string_equal(th_str(props, "email"), "jane@example.com");
    assert_string_equal(th_str(props, "hs_object_id"), id);
    assert_null(cJSON_GetObjectItem(props, "phone")); /* not sent: not invented */
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(data, "archived")));
    char created[40];
    snprintf(created, sizeof created, "%s", th_str(data, "createdAt"));
    th_free(&r);

    /* a second contact, later on the virtual clock */
    fu_advance(m, 60);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"john@example.com\",\"firstname\":\"John\"}");
    assert_int_equal(r.status, 200);
    assert_string_not_equal(th_str(cJSON_GetObjectItem(r.json, "data"), "createdAt"), created);
    th_free(&r);

    char body[256];
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", id);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", body);
    assert_int_equal(r.status, 200);
    data = cJSON_GetObjectItem(r.json, "data");
    assert_string_equal(th_str(data, "id"), id);
    assert_string_equal(th_str(cJSON_GetObjectItem(data, "properties"), "firstname"), "Jane");
    th_free(&r);

    /* update: a patch; what is not sent stays */
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\",\"firstname\":\"Janet\",\"jobtitle\":\"CTO\"}", id);
    r = fu_action(m, ACME, LA, "hubspot", "update_contact", body);
    assert_int_equal(r.status, 200);
    props = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties");
    assert_string_equal(th_str(props, "firstname"), "Janet");
    assert_string_equal(th_str(props, "jobtitle"), "CTO");
    assert_string_equal(th_str(props, "email"), "jane@example.com");
    assert_string_equal(th_str(props, "lastname"), "Doe");
    th_free(&r);
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", id);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", body);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties"), "firstname"), "Janet");
    th_free(&r);

    /* list, with its limit ("1" as a string, as the docs send it) */
    r = fu_action(m, ACME, LA, "hubspot", "list_contacts", NULL);
    assert_int_equal(r.status, 200);
    const cJSON *results = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results");
    assert_int_equal(cJSON_GetArraySize(results), 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(results, 0), "id"), id);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "paging")));
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "list_contacts", "{\"limit\":\"1\"}");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 1);
    th_free(&r);

    /* search filters on the property named */
    r = fu_action(m, ACME, LA, "hubspot", "search_contacts", "{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"john@example.com\"}");
    assert_int_equal(r.status, 200);
    results = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results");
    assert_int_equal(cJSON_GetArraySize(results), 1);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetArrayItem(results, 0), "properties"), "firstname"), "John");
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "search_contacts", "{\"propertyName\":\"email\",\"operator\":\"CONTAINS_TOKEN\",\"value\":\"EXAMPLE\"}");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 2);
    th_free(&r);

    /* delete, then it is gone */
    r = fu_action(m, ACME, LA, "hubspot", "delete_contact", body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", body);
    th_assert_error(&r, 404);
    assert_non_null(strstr(th_str(r.json, "message"), id));
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "update_contact", body);
    th_assert_error(&r, 404);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "list_contacts", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 1);
    th_free(&r);
}

static int contact_count(refold_mock *m, const char *key, const char *la)
{
    th_resp r = fu_action(m, key, la, "hubspot", "list_contacts", NULL);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results"));
    th_free(&r);
    return n;
}

static void bad_parameters_change_nothing(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    th_resp r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"firstname\":\"Jane\"}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "Missing required parameters: email");
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "search_contacts", "{\"query\":\"jane\"}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "Missing required parameters: propertyName, operator, value");
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\",\"lifecyclestage\":\"vip\"}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "lifecyclestage"));
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_deal", "{\"dealname\":\"Initech renewal\",\"dealstage\":\"closedwon\",\"amount\":\"lots\"}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "amount"));
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "[1,2]");
    th_assert_error(&r, 400);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":");
    th_assert_error(&r, 400);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "no_such_action", "{}");
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Action no_such_action not found in Application hubspot");
    th_free(&r);
    r = fu_action(m, ACME, NULL, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    th_assert_error(&r, 400); /* no linked account */
    th_free(&r);
    r = fu_action(m, ACME, "nobody", "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    assert_int_equal(contact_count(m, ACME, LA), 0);
}

static void connection_gate(void **state)
{
    refold_mock *m = *state;
    /* not connected: a clear 400, nothing stored */
    th_resp r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    assert_string_equal(th_assert_error(&r, 400), "APP_NOT_CONNECTED");
    assert_non_null(strstr(th_str(r.json, "message"), "hubspot is not connected"));
    th_free(&r);

    fu_connect_oauth(m, ACME, LA, "hubspot");
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* expired: the auth failure that means "prompt a reconnect" */
    fu_expire(m, ACME, LA, "hubspot", "revoked");
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"john@example.com\"}");
    assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED");
    assert_non_null(strstr(th_str(r.json, "message"), "revoked"));
    assert_non_null(strstr(th_str(r.json, "message"), "reconnect"));
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "list_contacts", NULL);
    th_assert_error(&r, 401); /* reads too */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", ACME, LA, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);

    /* reconnecting restores access, and the data written before is still there */
    fu_connect_oauth(m, ACME, LA, "hubspot");
    assert_int_equal(contact_count(m, ACME, LA), 1);
}

static void records_are_per_linked_account_and_tenant(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "user_67890", "Other customer");
    th_create_la(m, GLOBEX, LA, "Same id, other org");
    fu_connect_oauth(m, ACME, LA, "hubspot");
    fu_connect_oauth(m, ACME, "user_67890", "hubspot");
    fu_connect_oauth(m, GLOBEX, LA, "hubspot");
    th_resp r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    char body[128];
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", th_str(cJSON_GetObjectItem(r.json, "data"), "id"));
    th_free(&r);
    assert_int_equal(contact_count(m, ACME, LA), 1);
    assert_int_equal(contact_count(m, ACME, "user_67890"), 0);
    assert_int_equal(contact_count(m, GLOBEX, LA), 0);
    r = fu_action(m, GLOBEX, LA, "hubspot", "get_contact", body);
    th_assert_error(&r, 404);
    th_free(&r);
    r = fu_action(m, ACME, "user_67890", "hubspot", "get_contact", body);
    th_assert_error(&r, 404);
    th_free(&r);
}

/* A session token names its linked account (the v2 reference's "Session Token Authentication"
 * example): the action runs for that account only. */
static void session_token_runs_for_its_account(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "user_67890", "Other customer");
    fu_connect_oauth(m, ACME, LA, "hubspot");
    fu_connect_oauth(m, ACME, "user_67890", "hubspot");
    char tok[1024];
    th_session_token(m, ACME, LA, tok, sizeof tok);
    th_resp r = th_bearer(m, "POST", "/api/v2/integration-schema/hubspot/actions/create_contact/execute", tok,
                          "{\"email\":\"jane@example.com\",\"firstname\":\"Jane\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "node_status"), "Success");
    th_free(&r);
    assert_int_equal(contact_count(m, ACME, LA), 1);
    assert_int_equal(contact_count(m, ACME, "user_67890"), 0);
    r = th_bearer(m, "POST", "/api/v2/integration-schema/hubspot/actions/create_contact/execute", "not.a.token", "{}");
    th_assert_error(&r, 401);
    th_free(&r);
    assert_int_equal(contact_count(m, ACME, LA), 1);
}

static void templates_keep_types_and_drop_missing(void **state)
{
    refold_mock *m = *state;
    fu_connect_playground(m, ACME, LA);
    th_resp r = fu_action(m, ACME, LA, "playground_app", "echo", "{\"message\":\"hello\",\"uppercase\":true}");
    assert_int_equal(r.status, 200);
    const cJSON *data = cJSON_GetObjectItem(r.json, "data");
    assert_string_equal(th_str(data, "message"), "hello");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "uppercase")));
    assert_int_equal(strlen(th_str(data, "request_id")), 24);
    char now[40];
    snprintf(now, sizeof now, "%s", th_str(data, "received_at"));
    th_free(&r);
    r = fu_action(m, ACME, LA, "playground_app", "echo", "{\"message\":\"hello\"}");
    data = cJSON_GetObjectItem(r.json, "data");
    assert_null(cJSON_GetObjectItem(data, "uppercase"));
    assert_string_equal(th_str(data, "received_at"), now); /* the clock is frozen */
    th_free(&r);

    r = fu_action(m, ACME, LA, "playground_app", "create_item", "{\"name\":\"Widget\",\"quantity\":3,\"active\":false}");
    data = cJSON_GetObjectItem(r.json, "data");
    assert_int_equal(cJSON_GetObjectItem(data, "quantity")->valueint, 3);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(data, "active")));
    assert_null(cJSON_GetObjectItem(data, "category"));
    th_free(&r);
}

static void scenario_overrides_replace_the_result(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    const struct tenant *t = fixtures_tenant_by_key(((struct mock *)m)->fx, ACME);
    cJSON *body = cJSON_Parse("{\"error_code\":\"RATE_LIMITED\",\"message\":\"HubSpot says: too many requests\"}");
    assert_int_equal(overrides_set_action_result((struct mock *)m, t, "hubspot", "create_contact", 429, body, 1), 0);
    cJSON_Delete(body);
    th_resp r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    assert_string_equal(th_assert_error(&r, 429), "RATE_LIMITED");
    assert_string_equal(th_str(r.json, "message"), "HubSpot says: too many requests");
    th_free(&r);
    assert_int_equal(contact_count(m, ACME, LA), 0); /* the failed call wrote nothing */
    /* used up: the next call is the fixture's again */
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    body = cJSON_Parse("{\"node_status\":\"Success\",\"data\":{\"id\":\"51\",\"properties\":{\"email\":\"contact@example.com\"}}}");
    overrides_set_action_result((struct mock *)m, t, "hubspot", "get_contact", 200, body, 1);
    cJSON_Delete(body);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", "{\"contact_id\":\"51\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "data"), "id"), "51");
    th_free(&r);
    /* an override does not open a closed gate */
    fu_expire(m, ACME, LA, "hubspot", "expired");
    body = cJSON_Parse("{\"node_status\":\"Success\",\"data\":{}}");
    overrides_set_action_result((struct mock *)m, t, "hubspot", "list_contacts", 200, body, 1);
    cJSON_Delete(body);
    r = fu_action(m, ACME, LA, "hubspot", "list_contacts", NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_and_schema, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(records_round_trip, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(bad_parameters_change_nothing, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(connection_gate, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(records_are_per_linked_account_and_tenant, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(session_token_runs_for_its_account, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(templates_keep_types_and_drop_missing, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(scenario_overrides_replace_the_result, th_setup_la, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
