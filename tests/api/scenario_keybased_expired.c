/* scenario_keybased_expired.c: replays scenarios/keybased-credentials-expired.json: Workday's
 * key-based credentials lapse after 90 days; fresh ones make the connection active again. */
#include "scenario_story.h"
#include "base/util.h"

#define DAY 86400LL

static void credentials_expire_then_fresh_ones(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "keybased-credentials-expired");
    story_assert_connection(&s, "acme-co", "workday", NULL);
    cJSON *c = story_connection(&s, "acme-co", "workday");
    assert_string_equal(th_str(c, "auth_type"), "keybased");
    char want[32];
    util_iso8601(s.loaded_ms + 90 * DAY * 1000, want);
    assert_string_equal(th_str(c, "credential_expires_at"), want);
    cJSON_Delete(c);
    th_resp r = story_action(&s, "acme-co", "workday", "list_workers", "{}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    story_advance(&s, 90 * DAY - 1);
    story_step(&s, "password-expires", "armed");
    story_assert_connection(&s, "acme-co", "workday", NULL);
    story_advance(&s, 1);
    long long lapsed = story_step(&s, "password-expires", "fired");
    assert_true(lapsed - s.loaded_ms == 90 * DAY * 1000);
    story_assert_connection(&s, "acme-co", "workday", "expired");
    story_webhook_checked(&s, "Connection Expired", "acme-co", "workday", lapsed);
    r = story_action(&s, "acme-co", "workday", "list_workers", "{}");
    assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED");
    th_free(&r);

    story_fire(&s, "fresh-credentials");
    long long fresh = story_step(&s, "fresh-credentials", "fired");
    story_assert_connection(&s, "acme-co", "workday", NULL);
    story_webhook_checked(&s, "Connection Created", "acme-co", "workday", fresh);
    c = story_connection(&s, "acme-co", "workday");
    util_iso8601(fresh + 90 * DAY * 1000, want);
    assert_string_equal(th_str(c, "credential_expires_at"), want);
    cJSON_Delete(c);
    r = story_action(&s, "acme-co", "workday", "list_workers", "{}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    story_finished(&s);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(credentials_expire_then_fresh_ones)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
