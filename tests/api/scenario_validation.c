/* scenario_validation.c: bad scenarios over HTTP get one 400 naming the file, step and field
 * (and the line for JSON syntax), and change nothing; at start the binary exits 2. */
#include "harness.h"
#include "engine/webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#define ACME "tk_acme_test"

/* Loads a known-good scenario and creates a linked account outside it: the "before" state. */
static void before(refold_mock *m)
{
    th_resp r = th_request(m, "POST", "/__mock/scenario", "{\"name\":\"app-uninstalled\"}", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_create_la(m, ACME, "made-after-load", "Made after load");
}

/* The "before" state is all there: the scenario, its setup, and the linked account. */
static void untouched(refold_mock *m)
{
    th_resp r = th_request(m, "GET", "/__mock/scenario", NULL, NULL);
    assert_string_equal(th_str(r.json, "name"), "app-uninstalled");
    assert_string_equal(th_str(r.json, "armed"), "uninstall");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/made-after-load", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/slack", ACME, "acme-co", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
}

static void rejected(refold_mock *m, const char *body, long status, const char *code, const char *f1, const char *f2)
{
    th_resp r = th_request(m, "POST", "/__mock/scenario", body, NULL);
    assert_string_equal(th_assert_error(&r, status), code);
    const char *msg = th_str(r.json, "message");
    if (!strstr(msg, f1) || (f2 && !strstr(msg, f2)))
        fprintf(stderr, "message: %s\nwanted: '%s' '%s'\n", msg, f1, f2 ? f2 : "");
    assert_non_null(strstr(msg, f1));
    if (f2)
        assert_non_null(strstr(msg, f2));
    th_free(&r);
}

static void syntax_error_names_the_line(void **state)
{
    refold_mock *m = *state;
    before(m);
    rejected(m, "{\n  \"name\": \"x\",\n  \"steps\": [\n    {\"name\": \"a\" \"when\": {}}\n  ]\n}", 400, "INVALID_SCENARIO",
             "request body: line 4: invalid JSON", NULL);
    rejected(m, "", 400, "BAD_REQUEST", "send a scenario document", NULL);
    rejected(m, "[1]", 400, "INVALID_SCENARIO", "must be a JSON object", NULL);
    untouched(m);
}

static void invalid_steps_change_nothing(void **state)
{
    refold_mock *m = *state;
    before(m);
    rejected(m,
             "{\"name\":\"x\",\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"acme-co\"}]},\"steps\":["
             "{\"name\":\"ok\",\"when\":{\"manual\":true},\"do\":[]},"
             "{\"name\":\"bad\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"teleport\"}]}]}",
             400, "INVALID_SCENARIO", "request body: step 'bad' (steps[1]): do[0].action: unknown action 'teleport'", NULL);
    rejected(m, "{\"name\":\"x\",\"steps\":[{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[]},{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[]}]}",
             400, "INVALID_SCENARIO", "step 'a' (steps[1]): name: duplicate step name", NULL);
    rejected(m, "{\"name\":\"x\",\"steps\":[{\"name\":\"a\",\"when\":{\"after_seconds\":5,\"manual\":true},\"do\":[]}]}", 400,
             "INVALID_SCENARIO", "step 'a' (steps[0]): when: must hold exactly one trigger", NULL);
    rejected(m, "{\"name\":\"x\",\"stepz\":[]}", 400, "INVALID_SCENARIO", "request body: stepz: unknown field", NULL);
    rejected(m, "{\"name\":\"x\",\"steps\":[{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"expire_connection\","
                "\"linked_account_id\":\"ghost\",\"slug\":\"hubspot\"}]}]}",
             400, "INVALID_SCENARIO", "do[0].linked_account_id: unknown linked account 'ghost'", NULL);
    rejected(m, "{\"name\":\"x\",\"api_key\":\"tk_unknown\",\"steps\":[]}", 400, "INVALID_SCENARIO", "api_key: 'tk_unknown'", NULL);
    untouched(m);
}

/* Setup is checked against the tenant as the story would start (its fixtures): an error there
 * rolls back the reset it took to find out. */
static void invalid_setup_changes_nothing(void **state)
{
    refold_mock *m = *state;
    before(m);
    rejected(m, "{\"name\":\"x\",\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"a\"}],"
                "\"connections\":[{\"linked_account_id\":\"a\",\"slug\":\"hubspt\"}]},\"steps\":[]}",
             400, "INVALID_SCENARIO", "request body: setup.connections[0].slug: unknown app 'hubspt'", NULL);
    /* made-after-load exists now, but not once Acme is back to its fixtures */
    rejected(m, "{\"name\":\"x\",\"setup\":{\"connections\":[{\"linked_account_id\":\"made-after-load\",\"slug\":\"hubspot\"}]},\"steps\":[]}",
             400, "INVALID_SCENARIO", "setup.connections[0].linked_account_id: unknown linked account 'made-after-load'", NULL);
    rejected(m, "{\"name\":\"x\",\"setup\":{\"colour\":1},\"steps\":[]}", 400, "INVALID_SCENARIO", "setup.colour: unknown field", NULL);
    rejected(m, "{\"name\":\"x\",\"setup\":{\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"Connection Lost\"]}]},\"steps\":[]}",
             400, "INVALID_SCENARIO", "setup.webhooks[0].events: 'Connection Lost' is not one of", NULL);
    for (const struct webhooks_event *e = webhooks_events; e->name; e++) /* naming every event, from the one list */
        rejected(m, "{\"name\":\"x\",\"setup\":{\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"Connection Lost\"]}]},\"steps\":[]}",
                 400, "INVALID_SCENARIO", "is not one of", e->name);
    rejected(m, "{\"name\":\"x\",\"setup\":{\"webhooks\":[{\"events\":[\"Connection Expired\"]}]},\"steps\":[]}",
             400, "INVALID_SCENARIO", "setup.webhooks[0].url: required", NULL);
    rejected(m, "{\"name\":\"app-uninstalled\",\"webhooks\":[{\"url\":\"ftp://x\"}]}", 400, "INVALID_SCENARIO",
             "scenarios/app-uninstalled.json: setup.webhooks[0].url", NULL);
    untouched(m);
}

static void shipped_names(void **state)
{
    refold_mock *m = *state;
    before(m);
    rejected(m, "{\"name\":\"../../etc/passwd\"}", 400, "INVALID_SCENARIO", "is not valid", NULL);
    rejected(m, "{\"name\":\"/etc/passwd\"}", 400, "INVALID_SCENARIO", "is not valid", NULL);
    rejected(m, "{\"name\":\"no-such-story\"}", 404, "SCENARIO_NOT_FOUND", "no shipped scenario 'no-such-story'", "rate-limited-actions");
    rejected(m, "{\"name\":\"reauth-demo\",\"speed\":2}", 400, "INVALID_SCENARIO", "speed: unknown field", NULL);
    rejected(m, "{}", 400, "INVALID_SCENARIO", "name: required", NULL);
    untouched(m);
}

static void cli_exits_2(void **state)
{
    (void)state;
    char out[4096], path[] = "/tmp/refold-scen-cli-XXXXXX.json", args[512];
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    const char *text = "{\n  \"name\": \"broken\",\n  \"steps\": [,]\n}\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    snprintf(args, sizeof args, "--port 0 --scenario '%s'", path);
    assert_int_equal(th_cli(NULL, 2, args, out, sizeof out), 2);
    assert_non_null(strstr(out, path));
    assert_non_null(strstr(out, "line 3"));
    assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out)); /* one line */

    fd = open(path, O_WRONLY | O_TRUNC);
    text = "{\"name\":\"broken\",\"steps\":[{\"name\":\"s1\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"expire_connection\","
           "\"linked_account_id\":\"x\",\"slug\":\"hubspot\"}]}]}";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(th_cli(NULL, 2, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "step 's1' (steps[0]): do[0].linked_account_id: unknown linked account 'x'"));
    unlink(path);

    assert_int_equal(th_cli(NULL, 2, "--port 0 --scenario no-such-story", out, sizeof out), 2);
    assert_non_null(strstr(out, "no shipped scenario 'no-such-story'"));
    assert_int_equal(th_cli(NULL, 2, "--port 0 --scenario ../nowhere/x.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "../nowhere/x.json: cannot read"));
    /* a good one starts, serves, and stops cleanly when asked */
    th_proc p;
    const char *good[] = {"--port", "0", "--scenario", "reauth-demo", NULL};
    th_spawn(&p, good, NULL, TH_SPAWN_PORT | TH_SPAWN_MERGE);
    assert_int_equal(th_spawn_stop(&p), 0);
    char *said = th_spawn_read(p.out);
    assert_non_null(strstr(said, "listening on"));
    assert_non_null(strstr(said, "scenario reauth-demo loaded"));
    free(said);
    th_spawn_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(syntax_error_names_the_line, th_reset),
        cmocka_unit_test_setup(invalid_steps_change_nothing, th_reset),
        cmocka_unit_test_setup(invalid_setup_changes_nothing, th_reset),
        cmocka_unit_test_setup(shipped_names, th_reset),
        cmocka_unit_test(cli_exits_2),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
