/* scenario_quickstart.c: replays scenarios/quickstart-hubspot.json: the quick start's happy path
 * (linked account, hosted Connect URL, the customer connects HubSpot, a contact is written). */
#include "scenario_story.h"

#include <string.h>

static void quickstart(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "quickstart-hubspot");
    story_step(&s, "customer-connects", "armed");
    story_step(&s, "contact-written", "pending");

    /* Step 3 of the quick start: your backend creates the linked account. Not the awaited request. */
    th_resp r = th_key(s.m, "POST", "/api/v2/public/linked-account", ACME, NULL,
                       "{\"linked_account_id\":\"acme-co\",\"name\":\"Acme Co\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    story_step(&s, "customer-connects", "armed");
    r = th_key(s.m, "GET", "/api/v2/public/application/hubspot", ACME, "acme-co", NULL);
    assert_int_equal(r.status, 200);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    /* Writing before the customer connects fails: nothing to write with. */
    r = story_action(&s, "acme-co", "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}");
    assert_string_equal(th_assert_error(&r, 400), "APP_NOT_CONNECTED");
    th_free(&r);

    /* Step 4: a session token, then the hosted Connect URL; the customer approves HubSpot. */
    char token[2048];
    th_session_token(s.m, ACME, "acme-co", token, sizeof token);
    r = th_bearer(s.m, "POST", "/api/v2/public/connect-url", token, "{\"company\":\"Acme Co\"}");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(th_str(r.json, "hosted_url"), "/connect/"));
    th_free(&r);
    long long connected_at = story_step(&s, "customer-connects", "fired");
    story_step(&s, "contact-written", "armed");
    story_assert_connection(&s, "acme-co", "hubspot", NULL);
    r = th_key(s.m, "GET", "/api/v2/public/application/hubspot", ACME, "acme-co", NULL);
    const cJSON *acct = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    assert_string_equal(th_str(cJSON_GetObjectItem(acct, "identifier"), "hub_domain"), "acme.example");
    th_free(&r);
    story_webhook_checked(&s, "Connection Created", "acme-co", "hubspot", connected_at);

    /* Step 5: write Jane Doe into the customer's HubSpot. */
    r = story_action(&s, "acme-co", "hubspot", "create_contact",
                     "{\"email\":\"jane@example.com\",\"firstname\":\"Jane\",\"lastname\":\"Doe\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "node_status"), "Success");
    const cJSON *props = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties");
    assert_string_equal(th_str(props, "email"), "jane@example.com");
    assert_string_equal(th_str(props, "firstname"), "Jane");
    th_free(&r);
    story_step(&s, "contact-written", "fired");
    story_finished(&s);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(quickstart)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
