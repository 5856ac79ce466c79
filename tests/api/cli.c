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
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        setenv("REFOLD_MOCK_PORT", "0", 1);
        execl(REFOLD_MOCK_BIN, REFOLD_MOCK_BIN, "--fixtures", REFOLD_SOURCE_DIR "/fixtures", (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *in = fdopen(pipefd[0], "r");
    char line[512], banner[4096] = "";
    int port = 0;
    /* read until the last fixture key has been printed (the banner stays open: no EOF) */
    for (int i = 0; i < 20 && !strstr(banner, "pk_globex_live") && fgets(line, sizeof line, in); i++) {
        strncat(banner, line, sizeof banner - strlen(banner) - 1);
        char *at = strstr(line, "http://127.0.0.1:");
        if (at)
            port = atoi(at + strlen("http://127.0.0.1:"));
    }
    assert_true(port > 0);
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
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    fclose(in);
}

/* With a scenario on the frozen clock, the banner says how to move the clock. */
static void banner_says_how_to_move_a_frozen_clock(void **state)
{
    (void)state;
    char out[8192];
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d); '%s' --port 0 --port-file $d/p --scenario reauth-demo --fixtures '%s/fixtures' >$d/out 2>&1 & pid=$!; "
             "for i in $(seq 100); do [ -s $d/p ] && break; sleep 0.05; done; sleep 0.1; kill $pid; wait $pid; cat $d/out; rm -rf $d",
             REFOLD_MOCK_BIN, REFOLD_SOURCE_DIR);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    assert_non_null(strstr(out, "scenario reauth-demo on a frozen clock; move it: curl -X POST http://127.0.0.1:"));
    assert_non_null(strstr(out, "/__mock/clock/advance -H 'content-type: application/json' -d '{\"seconds\":60}'"));
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
