/* scenario_reauth_demo.c: replays scenarios/reauth-demo.json, the live-demo timeline, on the
 * frozen clock: each timed step at its second, manual steps waiting for the presenter. */
#include "scenario_story.h"

#define MESSAGE "{\"channel\":\"C04Q7RZ6B9L\",\"text\":\"Deal won\"}"

static void demo_timeline(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "reauth-demo");
    story_assert_connection(&s, "acme-co", "hubspot", NULL);
    story_assert_connection(&s, "acme-co", "slack", NULL);

    story_advance(&s, 20);
    long long t = story_step(&s, "hubspot-revoked", "fired");
    assert_true(t - s.loaded_ms == 20000);
    story_assert_connection(&s, "acme-co", "hubspot", "revoked");
    story_webhook_checked(&s, "Connection Expired", "acme-co", "hubspot", t);

    story_advance(&s, 45); /* the presenter talks: nothing moves until they fire the step */
    story_step(&s, "customer-reconnects-hubspot", "armed");
    story_assert_connection(&s, "acme-co", "hubspot", "revoked");
    story_fire(&s, "customer-reconnects-hubspot");
    t = story_step(&s, "customer-reconnects-hubspot", "fired");
    story_assert_connection(&s, "acme-co", "hubspot", NULL);
    story_webhook_checked(&s, "Connection Created", "acme-co", "hubspot", t);

    story_advance(&s, 10);
    long long throttled = story_step(&s, "slack-throttled", "fired");
    assert_true(throttled - t == 10000);
    for (int i = 0; i < 3; i++) {
        th_resp r = story_action(&s, "acme-co", "slack", "send_message", MESSAGE);
        assert_string_equal(th_assert_error(&r, 429), "RATE_LIMITED");
        char ra[16];
        assert_true(th_header(&r, "Retry-After", ra, sizeof ra));
        assert_string_equal(ra, "5");
        th_free(&r);
    }
    th_resp r = story_action(&s, "acme-co", "slack", "send_message", MESSAGE);
    assert_int_equal(r.status, 200);
    th_free(&r);

    story_advance(&s, 15);
    t = story_step(&s, "slack-uninstalled", "fired");
    assert_true(t - throttled == 15000);
    story_assert_connection(&s, "acme-co", "slack", "uninstalled");
    story_webhook_checked(&s, "Connection Expired", "acme-co", "slack", t);
    story_fire(&s, "customer-reinstalls-slack");
    t = story_step(&s, "customer-reinstalls-slack", "fired");
    story_assert_connection(&s, "acme-co", "slack", NULL);
    story_webhook_checked(&s, "Connection Created", "acme-co", "slack", t);

    story_advance(&s, 14);
    story_step(&s, "demo-complete", "armed");
    story_advance(&s, 1);
    story_step(&s, "demo-complete", "fired");
    story_finished(&s);
    /* The timeline itself is about a minute of virtual time (plus the presenter's pauses). */
    cJSON *st = story_status(&s);
    double elapsed = cJSON_GetObjectItem(st, "elapsed_seconds")->valuedouble;
    assert_true(elapsed == 20 + 45 + 10 + 15 + 15);
    cJSON_Delete(st);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(demo_timeline)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
