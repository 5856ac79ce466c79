/* cli.c: the refold-mock binary as users run it: --help and -h, --version, the banner (URL,
 * dashboard, how to move a frozen clock), environment variables, and exit status 2 with a
 * one-line message for bad options and bad fixtures. */
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void help_and_version(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(th_cli(NULL, 10, "--help", out, sizeof out), 0);
    const char *opts[] = {"--host", "--port", "--fixtures", "--db", "--scenario", "--public-url",
                          "--webhook-backoff-ms", "--admin-token", "REFOLD_MOCK_PORT", "--log-format",
                          "REFOLD_MOCK_LOG_FORMAT", "--verbose", "REFOLD_MOCK_VERBOSE", "--port-file",
                          "REFOLD_MOCK_PORT_FILE", "--quiet"};
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        assert_non_null(strstr(out, opts[i]));
    char short_out[8192]; /* -h is --help */
    assert_int_equal(th_cli(NULL, 10, "-h", short_out, sizeof short_out), 0);
    assert_string_equal(short_out, out);
    assert_int_equal(th_cli(NULL, 10, "--version", out, sizeof out), 0);
    assert_non_null(strstr(out, "refold-mock " REFOLD_VERSION));
}

static void bad_options_exit_2_with_one_line(void **state)
{
    (void)state;
    char out[4096];
    const char *cases[][2] = {
        {NULL, "--port 99999"},
        {NULL, "--port abc"},
        {NULL, "--bogus"},
        {NULL, "--webhook-backoff-ms -5"},
        {NULL, "--public-url ftp://x"},
        {NULL, "--fixtures /nonexistent/dir --port 0"},
        {"REFOLD_MOCK_PORT=notaport", "--quiet"},
        {NULL, "--db /nonexistent/dir/x.db --port 0"},
        {NULL, "--log-format xml --port 0"},
        {"REFOLD_MOCK_LOG_FORMAT=yaml", "--port 0"},
        {NULL, "--port 0 --port-file /nonexistent/dir/port"},
        {NULL, "-x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = th_cli(cases[i][0], 10, cases[i][1], out, sizeof out);
        if (rc != 2 || lines(out) != 1)
            fprintf(stderr, "case %s %s: rc=%d out=%s", cases[i][0] ? cases[i][0] : "", cases[i][1], rc, out);
        assert_int_equal(rc, 2);
        assert_int_equal(lines(out), 1);
        assert_non_null(strstr(out, "refold-mock: "));
    }
    th_cli(NULL, 10, "--fixtures /nonexistent/dir --port 0", out, sizeof out);
    assert_non_null(strstr(out, "/nonexistent/dir/orgs.json"));
}

static void bad_fixture_file_is_named(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], cmd[512], out[4096];
    th_fixtures_copy(dir);
    snprintf(cmd, sizeof cmd, "printf '{\\n\"name\": \\n' > '%s/apps/hubspot.json'", dir);
    assert_int_equal(system(cmd), 0);
    char args[256];
    snprintf(args, sizeof args, "--port 0 --fixtures %s", dir);
    assert_int_equal(th_cli(NULL, 10, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "apps/hubspot.json: line 3"));
    th_remove_dir(dir);
}

/* Starts the binary on port 0, reads the banner, checks health and keys, stops it with SIGTERM. */
static void banner_lists_url_and_keys(void **state)
{
    (void)state;
    th_proc mock;
    const char *args[] = {"--fixtures", REFOLD_SOURCE_DIR "/fixtures", NULL}, *env[] = {"REFOLD_MOCK_PORT=0", NULL};
    th_spawn(&mock, args, env, TH_SPAWN_PORT);
    /* until the last fixture key has been printed (the banner follows the port file) */
    assert_true(th_spawn_await_out(&mock, "pk_globex_live", 20));
    char *banner = th_spawn_read(mock.out), *at = strstr(banner, "http://127.0.0.1:");
    assert_non_null(at);
    int port = atoi(at + strlen("http://127.0.0.1:"));
    assert_int_equal(port, mock.port);
    char dash[64];
    snprintf(dash, sizeof dash, "dashboard: http://127.0.0.1:%d/__mock/ui", port);
    assert_non_null(strstr(banner, dash));
    assert_null(strstr(banner, "frozen clock")); /* no scenario: nothing waits for the clock */
    assert_non_null(strstr(banner, "tk_acme_test"));
    assert_non_null(strstr(banner, "pk_globex_live"));
    char cmd[256], out[1024];
    snprintf(cmd, sizeof cmd, "curl -s http://127.0.0.1:%d/__mock/health", port);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    assert_non_null(strstr(out, "\"status\":\"ok\""));
    assert_int_equal(th_spawn_stop(&mock), 0);
    th_spawn_free(&mock);
    free(banner);
}

/* With a scenario on the frozen clock, the banner says how to move the clock. */
static void banner_says_how_to_move_a_frozen_clock(void **state)
{
    (void)state;
    th_proc mock;
    const char *args[] = {"--port", "0", "--scenario", "reauth-demo", "--fixtures", REFOLD_SOURCE_DIR "/fixtures", NULL};
    th_spawn(&mock, args, NULL, TH_SPAWN_PORT | TH_SPAWN_MERGE);
    assert_int_equal(th_spawn_stop(&mock), 0); /* (the banner is out before a stop is taken) */
    char *out = th_spawn_read(mock.out);
    th_spawn_free(&mock);
    assert_non_null(strstr(out, "scenario reauth-demo on a frozen clock; move it: curl -X POST http://127.0.0.1:"));
    assert_non_null(strstr(out, "/__mock/clock/advance -H 'content-type: application/json' -d '{\"seconds\":60}'"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(bad_options_exit_2_with_one_line),
        cmocka_unit_test(bad_fixture_file_is_named),
        cmocka_unit_test(banner_lists_url_and_keys),
        cmocka_unit_test(banner_says_how_to_move_a_frozen_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
