/* scenario_token_revoked.c: replays scenarios/hubspot-token-revoked.json: HubSpot access revoked
 * 120 s in, the next action call fails with REAUTH_REQUIRED until the customer reconnects. */
#include "scenario_story.h"

#define CONTACT "{\"email\":\"jane@example.com\",\"firstname\":\"Jane\"}"

static void token_revoked(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "hubspot-token-revoked");
    story_assert_connection(&s, "acme-co", "hubspot", NULL);
    story_step(&s, "revoke", "armed");

    /* Before the revocation the call works, and is not yet counted by the next step. */
    th_resp r = story_action(&s, "acme-co", "hubspot", "create_contact", CONTACT);
    assert_int_equal(r.status, 200);
    th_free(&r);
    story_advance(&s, 119);
    story_step(&s, "revoke", "armed");
    story_assert_connection(&s, "acme-co", "hubspot", NULL);

    story_advance(&s, 1);
    long long revoked_at = story_step(&s, "revoke", "fired");
    assert_true(revoked_at - s.loaded_ms == 120000);
    story_assert_connection(&s, "acme-co", "hubspot", "revoked");
    story_webhook_checked(&s, "Connection Expired", "acme-co", "hubspot", revoked_at);
    story_step(&s, "failed-call", "armed");

    /* The app's next call fails, and keeps failing until the customer reconnects. */
    for (int i = 0; i < 2; i++) {
        r = story_action(&s, "acme-co", "hubspot", "create_contact", CONTACT);
        assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED");
        th_free(&r);
    }
    story_step(&s, "failed-call", "fired");
    story_step(&s, "reconnect", "armed");
    story_advance(&s, 3600); /* a manual step waits however long it takes */
    story_step(&s, "reconnect", "armed");

    story_fire(&s, "reconnect");
    long long back_at = story_step(&s, "reconnect", "fired");
    story_assert_connection(&s, "acme-co", "hubspot", NULL);
    story_webhook_checked(&s, "Connection Created", "acme-co", "hubspot", back_at);
    r = story_action(&s, "acme-co", "hubspot", "create_contact", CONTACT);
    assert_int_equal(r.status, 200);
    th_free(&r);
    story_finished(&s);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(token_revoked)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
