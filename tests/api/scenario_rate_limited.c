/* scenario_rate_limited.c: replays scenarios/rate-limited-actions.json: after the first HubSpot
 * action call the next two answer 429 with Retry-After in Refold's envelope, then calls pass. */
#include "scenario_story.h"

#include <string.h>

#define CONTACT "{\"email\":\"jane@example.com\"}"

static void throttled_then_recovered(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "rate-limited-actions");
    th_resp r = story_action(&s, "acme-co", "hubspot", "create_contact", CONTACT); /* the 1st: served */
    assert_int_equal(r.status, 200);
    th_free(&r);
    story_step(&s, "throttle", "fired");
    story_step(&s, "recovered", "armed");
    /* Other apps' calls are not throttled (and not counted). */
    r = th_key(s.m, "GET", "/api/v2/integration-schema/hubspot/actions", ACME, "acme-co", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    for (int i = 0; i < 2; i++) {
        r = story_action(&s, "acme-co", "hubspot", "get_contact", "{\"contact_id\":\"1\"}");
        assert_string_equal(th_assert_error(&r, 429), "RATE_LIMITED");
        assert_string_equal(th_str(r.json, "http_error_type"), "TOO_MANY_REQUESTS");
        assert_non_null(strstr(th_str(r.json, "message"), "retry after 10 seconds"));
        char ra[16];
        assert_true(th_header(&r, "Retry-After", ra, sizeof ra));
        assert_string_equal(ra, "10");
        th_free(&r);
        story_step(&s, "recovered", "armed");
    }
    r = story_action(&s, "acme-co", "hubspot", "create_contact", CONTACT);
    assert_int_equal(r.status, 200);
    assert_false(th_header(&r, "Retry-After", (char[16]){0}, 16));
    th_free(&r);
    story_step(&s, "recovered", "fired");
    story_finished(&s);
    /* throttling is not a connection change: nothing is announced */
    story_assert_connection(&s, "acme-co", "hubspot", NULL);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(throttled_then_recovered)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
