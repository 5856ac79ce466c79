/* scenario_uninstalled.c: replays scenarios/app-uninstalled.json: the Slack app is removed from
 * the customer's workspace five minutes in, then reinstalled. */
#include "scenario_story.h"

#include <string.h>

#define MESSAGE "{\"channel\":\"C04Q7RZ6B9L\",\"text\":\"Deal won: Acme renewal\"}"

static void uninstalled_then_reinstalled(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "app-uninstalled");
    story_assert_connection(&s, "acme-co", "slack", NULL);
    story_advance(&s, 299);
    story_step(&s, "uninstall", "armed");
    story_advance(&s, 1);
    long long gone = story_step(&s, "uninstall", "fired");
    assert_true(gone - s.loaded_ms == 300000);
    story_assert_connection(&s, "acme-co", "slack", "uninstalled");
    /* uninstalled is not a token expiry */
    th_resp r = th_key(s.m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
    const cJSON *integ = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "integrations"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(integ, "reauth_required")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(integ, "refresh_token_expired")));
    th_free(&r);
    story_webhook_checked(&s, "Connection Expired", "acme-co", "slack", gone);
    r = story_action(&s, "acme-co", "slack", "send_message", MESSAGE);
    assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED");
    assert_non_null(strstr(th_str(r.json, "message"), "uninstalled"));
    th_free(&r);

    story_fire(&s, "reinstall");
    long long back = story_step(&s, "reinstall", "fired");
    story_assert_connection(&s, "acme-co", "slack", NULL);
    story_webhook_checked(&s, "Connection Created", "acme-co", "slack", back);
    r = story_action(&s, "acme-co", "slack", "send_message", MESSAGE);
    assert_int_equal(r.status, 200);
    th_free(&r);
    story_finished(&s);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(uninstalled_then_reinstalled)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
