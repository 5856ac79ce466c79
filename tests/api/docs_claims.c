/* docs_claims.c: what the READMEs promise a newcomer, held by the mock (issue 22): the banner's
 * clock hint works as printed, `connected: false` said outright, session-token takes the
 * linked_account_id header like other customer routes, a missing option value is named as such,
 * the default fixtures are found in the working directory, and each subscription receives its
 * events in order, retries included. */
#include "harness.h"
#include "receiver.h"
#include "engine/webhooks.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Without a connection the app view says connected: false (the connection-states table of
 * mock/api/README.md), on the one-app route and in the list. */
static void connected_false_without_connection(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", "/api/v2/public/application/hubspot", "tk_acme_test", "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application", "tk_acme_test", "user_12345", NULL);
    assert_int_equal(r.status, 200);
    const cJSON *app;
    cJSON_ArrayForEach(app, r.json)
        assert_true(cJSON_IsFalse(cJSON_GetObjectItem(app, "connected")));
    th_free(&r);
}

/* "Routes that act for a customer take linked_account_id as a header": session-token too, when
 * the body does not name one; a body that does wins, and an unknown header account is refused. */
static void session_token_takes_the_header(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/session-token", "tk_acme_test", "user_12345", NULL);
    assert_int_equal(r.status, 200);
    char tok[2048];
    snprintf(tok, sizeof tok, "%s", th_str(r.json, "token"));
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "user_12345");
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/session-token", "tk_acme_test", "user_12345", "{}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* the body wins over the header */
    th_create_la(m, "tk_acme_test", "user_body", "Body");
    r = th_key(m, "POST", "/api/v2/public/session-token", "tk_acme_test", "user_12345", "{\"linked_account_id\":\"user_body\"}");
    assert_int_equal(r.status, 200);
    snprintf(tok, sizeof tok, "%s", th_str(r.json, "token"));
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_string_equal(th_str(r.json, "account_id"), "user_body");
    th_free(&r);
    /* neither: still the 400 naming the field */
    r = th_key(m, "POST", "/api/v2/public/session-token", "tk_acme_test", NULL, "{}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "linked_account_id"));
    th_free(&r);
}

/* `--port` with nothing after it: the value is missing, not the option unknown. */
static void missing_option_value_is_named(void **state)
{
    (void)state;
    char out[1024];
    assert_int_equal(th_cli(NULL, 10, "--port", out, sizeof out), 2);
    assert_non_null(strstr(out, "'--port': needs a value"));
    assert_null(strstr(out, "unknown"));
    assert_int_equal(th_cli(NULL, 10, "--quiet --fixtures", out, sizeof out), 2);
    assert_non_null(strstr(out, "'--fixtures': needs a value"));
    assert_int_equal(th_cli(NULL, 10, "--bogus", out, sizeof out), 2); /* still told apart */
    assert_non_null(strstr(out, "unknown"));
}

/* The banner's "move it: curl ..." line, run exactly as printed (plus -s -o -w to read the
 * status), moves the clock: 200, not the 415 of a curl -d without a JSON content type. */
static void banner_clock_hint_works_as_printed(void **state)
{
    (void)state;
    char cmd[2048], out[8192];
    th_proc mock;
    const char *args[] = {"--port", "0", "--scenario", "reauth-demo", "--fixtures", REFOLD_SOURCE_DIR "/fixtures", NULL};
    th_spawn(&mock, args, NULL, TH_SPAWN_PORT | TH_SPAWN_MERGE);
    assert_true(th_spawn_await_out(&mock, "API key", 20)); /* the banner's end, printed after the port file */
    snprintf(cmd, sizeof cmd,
             "hint=$(sed -n 's/.*move it: //p' '%s'); echo \"hint: $hint\"; "
             "echo \"status: $(eval \"$hint -s -o /dev/null -w '%%{http_code}'\")\"; "
             "echo \"clock: $(curl -s http://127.0.0.1:%d/__mock/clock)\"",
             mock.out, mock.port);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    assert_int_equal(th_spawn_stop(&mock), 0);
    th_spawn_free(&mock);
    if (!strstr(out, "status: 200"))
        fprintf(stderr, "%s", out);
    assert_non_null(strstr(out, "hint: curl -X POST http://127.0.0.1:"));
    assert_non_null(strstr(out, "status: 200"));
    assert_non_null(strstr(out, "\"offset_ms\":60000"));
}

/* A binary or library with no shipped data beside it finds ./fixtures (run from a checkout):
 * this test program's own directory has none, nor does the install prefix in a build tree. */
static void default_fixtures_from_the_working_directory(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], work[TH_DIR_LEN + 16], cmd[512], old[PATH_MAX];
    th_fixtures_copy(dir); /* dir/orgs.json ...; moved to work/fixtures below */
    snprintf(work, sizeof work, "%s.work", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && mv '%s' '%s/fixtures'", work, dir, work);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "sed -i 's/\"name\": \"Acme\"/\"name\": \"Acme (working dir)\"/' '%s/fixtures/orgs.json'", work);
    assert_int_equal(system(cmd), 0);
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(work), 0);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.port = 0;
    o.quiet = 1; /* fixtures_dir left NULL: the default lookup */
    char err[512] = "";
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    assert_int_equal(chdir(old), 0);
    if (!m)
        fprintf(stderr, "start: %s\n", err);
    assert_non_null(m);
    const char *org, *env, *key;
    assert_int_equal(refold_mock_api_key(m, 0, &org, &env, &key), 0);
    assert_string_equal(org, "Acme (working dir)");
    refold_mock_stop(m);
    th_remove_dir(work);
}

static const char *event_of(rcv *rc, int i, char *out, size_t n)
{
    cJSON *j = cJSON_Parse(rcv_get(rc, i)->body);
    snprintf(out, n, "%s", th_str(j, "event") ? th_str(j, "event") : "?");
    cJSON_Delete(j);
    return out;
}

/* "Each subscription receives its events in order": a first attempt answered 500, then the
 * customer reconnects. The retry holds the subscription's later event, so the receiver sees
 * Expired (500), Expired (retry), Created, and a handler tracking state ends "active". */
static void a_retry_holds_the_subscriptions_later_events(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.webhook_backoff_ms = 300; /* the reconnect below is queued while the retry waits */
    refold_mock *m = th_start(&o);
    rcv *rc = rcv_start(0);
    char url[128], ev[64];
    rcv_url(rc, "/hook", url, sizeof url);
    const char *token = "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at\",\"refresh_token\":\"rt\"}}}";
    th_create_la(m, "tk_acme_test", "user_1", "One");
    th_resp r = th_key(m, "PUT", "/api/v2/public/migrate-token", "tk_acme_test", "user_1", token);
    assert_int_equal(r.status, 200);
    th_free(&r);
    rcv_subscribe(m, "tk_acme_test", url, "[\"Connection Expired\",\"Connection Created\"]", NULL, 0);
    const int statuses[] = {500};
    rcv_script(rc, statuses, 1);
    r = th_key(m, "POST", "/__mock/linked-accounts/user_1/connections/hubspot/expire", "tk_acme_test", NULL, "{\"reason\":\"revoked\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(rcv_wait(rc, 1, 5000), 1); /* the first attempt, answered 500 */
    r = th_key(m, "PUT", "/api/v2/public/migrate-token", "tk_acme_test", "user_1", token);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(rcv_wait(rc, 3, 10000), 3);
    assert_string_equal(event_of(rc, 0, ev, sizeof ev), "Connection Expired");
    assert_string_equal(event_of(rc, 1, ev, sizeof ev), "Connection Expired");
    assert_string_equal(event_of(rc, 2, ev, sizeof ev), "Connection Created");
    rcv_stop(rc);
    refold_mock_stop(m);
}

/* mock/api/README.md's events table names exactly the events of webhooks_events, each once. */
static void readme_events_are_the_codes(void **state)
{
    (void)state;
    FILE *f = fopen(REFOLD_SOURCE_DIR "/mock/api/README.md", "r");
    assert_non_null(f);
    char line[4096];
    int in = 0, seen[16] = {0}, count = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "### Events and payloads", 23))
            in = 1;
        else if (in == 1 && !strncmp(line, "| event |", 9))
            in = 2;
        else if (in == 2 && !strncmp(line, "|---", 4))
            continue;
        else if (in == 2 && line[0] != '|')
            break;
        else if (in == 2) {
            char *end = strchr(line + 1, '|'), *p = line;
            assert_non_null(end);
            *end = 0;
            while ((p = strchr(p, '`'))) { /* every `name` of the first cell */
                char *q = strchr(p + 1, '`');
                assert_non_null(q);
                *q = 0;
                int k = 0;
                while (webhooks_events[k].name && strcmp(webhooks_events[k].name, p + 1))
                    k++;
                if (!webhooks_events[k].name)
                    fail_msg("the README's event '%s' is not in webhooks_events", p + 1);
                assert_int_equal(seen[k]++, 0);
                count++;
                p = q + 1;
            }
        }
    }
    fclose(f);
    assert_int_equal(in, 2);
    int n = 0;
    while (webhooks_events[n].name)
        n++;
    assert_int_equal(count, n); /* and none of the code's is missing */
}

/* The invalid-event hints list the events from that one list: all of them for an unknown name,
 * every workflow event (Stopped and Timed Out too) for a webhook registered with a slug. */
static void event_hints_name_the_list(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/webhook", "tk_acme_test", NULL,
                       "{\"webhook_url\":\"http://127.0.0.1:9/h\",\"webhook_events\":[\"Connection Lost\"]}");
    assert_int_equal(r.status, 400);
    assert_string_equal(th_str(r.json, "error"), "INVALID_EVENT");
    for (const struct webhooks_event *e = webhooks_events; e->name; e++)
        assert_non_null(strstr(th_str(r.json, "hint"), e->name));
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/webhook", "tk_acme_test", NULL,
               "{\"webhook_url\":\"http://127.0.0.1:9/h\",\"slug\":\"hubspot\",\"webhook_events\":[\"Connection Expired\"]}");
    assert_int_equal(r.status, 400);
    assert_string_equal(th_str(r.json, "error"), "INVALID_EVENT");
    for (const struct webhooks_event *e = webhooks_events; e->name; e++) {
        if (e->kind == WEBHOOKS_WORKFLOW_EVENT)
            assert_non_null(strstr(th_str(r.json, "hint"), e->name));
        else if (strcmp(e->name, "Connection Expired")) /* (the refused one is named as such) */
            assert_null(strstr(th_str(r.json, "hint"), e->name));
    }
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(connected_false_without_connection, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(session_token_takes_the_header, th_setup_la, th_teardown),
        cmocka_unit_test(missing_option_value_is_named),
        cmocka_unit_test(banner_clock_hint_works_as_printed),
        cmocka_unit_test(default_fixtures_from_the_working_directory),
        cmocka_unit_test(a_retry_holds_the_subscriptions_later_events),
        cmocka_unit_test(readme_events_are_the_codes),
        cmocka_unit_test_setup_teardown(event_hints_name_the_list, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
