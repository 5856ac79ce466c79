/* scenario_refresh_expired.c: replays scenarios/oauth-refresh-expired.json: Pipedrive's refresh
 * token lapses after 60 days (silent access-token refreshes until then); the customer reconnects. */
#include "scenario_story.h"
#include "base/util.h"

#define DAY 86400LL

static void refresh_token_expires(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "oauth-refresh-expired");
    story_assert_connection(&s, "acme-co", "pipedrive", NULL);
    cJSON *c = story_connection(&s, "acme-co", "pipedrive");
    char want[32];
    util_iso8601(s.loaded_ms + 60 * DAY * 1000, want);
    assert_string_equal(th_str(c, "refresh_token_expires_at"), want);
    cJSON_Delete(c);

    story_advance(&s, 59 * DAY);
    long long day59 = story_step(&s, "day-59", "fired");
    assert_true(day59 - s.loaded_ms == 59 * DAY * 1000);
    story_assert_connection(&s, "acme-co", "pipedrive", NULL);
    c = story_connection(&s, "acme-co", "pipedrive");
    assert_true(cJSON_GetObjectItem(c, "refresh_count")->valuedouble > 1000); /* hourly, silently */
    cJSON_Delete(c);
    story_no_more_webhooks(&s);

    story_advance(&s, DAY - 1);
    story_step(&s, "day-60", "armed");
    story_assert_connection(&s, "acme-co", "pipedrive", NULL);
    story_advance(&s, 1);
    long long day60 = story_step(&s, "day-60", "fired");
    assert_true(day60 - s.loaded_ms == 60 * DAY * 1000);
    story_assert_connection(&s, "acme-co", "pipedrive", "expired");
    /* the linked account's integration says which kind of expiry it is */
    th_resp r = th_key(s.m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
    const cJSON *integ = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "integrations"), 0);
    assert_string_equal(th_str(integ, "type"), "pipedrive");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(integ, "reauth_required")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(integ, "refresh_token_expired")));
    th_free(&r);
    story_webhook_checked(&s, "Connection Expired", "acme-co", "pipedrive", day60);
    r = story_action(&s, "acme-co", "pipedrive", "create_person", "{\"name\":\"Jane Doe\"}");
    assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED");
    th_free(&r);

    story_fire(&s, "reconnect");
    long long back = story_step(&s, "reconnect", "fired");
    story_assert_connection(&s, "acme-co", "pipedrive", NULL);
    story_webhook_checked(&s, "Connection Created", "acme-co", "pipedrive", back);
    c = story_connection(&s, "acme-co", "pipedrive");
    util_iso8601(back + 60 * DAY * 1000, want);
    assert_string_equal(th_str(c, "refresh_token_expires_at"), want);
    cJSON_Delete(c);
    story_finished(&s);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(refresh_token_expires)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
