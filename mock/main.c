/* main.c: the refold-mock command line: options and environment -> refold_mock_start. */
#include "refold_mock.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: refold-mock [options]\n"
            "A mock of the Refold (Cobalt) public API for local development, CI and demos.\n\n"
            "  --host ADDR               address to bind (default 127.0.0.1)         REFOLD_MOCK_HOST\n"
            "  --port N                  port, 0 picks a free one (default 8080)     REFOLD_MOCK_PORT\n"
            "  --fixtures DIR            app catalogue, orgs and keys, seed data     REFOLD_MOCK_FIXTURES\n"
            "  --db PATH                 SQLite file keeping state (default :memory:) REFOLD_MOCK_DB\n"
            "  --scenario FILE|NAME      load a scenario at start                    REFOLD_MOCK_SCENARIO\n"
            "  --public-url URL          base of handed-out links                    REFOLD_MOCK_PUBLIC_URL\n"
            "  --webhook-backoff-ms N    base of webhook retry backoff (default 1000) REFOLD_MOCK_WEBHOOK_BACKOFF_MS\n"
            "  --webhook-timeout-ms N    webhook receiver timeout (default 10000)   REFOLD_MOCK_WEBHOOK_TIMEOUT_MS\n"
            "  --admin-token T           require Bearer T on /__mock/*               REFOLD_MOCK_ADMIN_TOKEN\n"
            "  --realtime                virtual clock follows wall time             REFOLD_MOCK_REALTIME=1\n"
            "  --quiet                   no banner                                   REFOLD_MOCK_QUIET=1\n"
            "  --help, --version\n");
}

static int bad(const char *what, const char *value, const char *why)
{
    fprintf(stderr, "refold-mock: %s '%s': %s\n", what, value, why);
    return 2;
}

static int parse_int(const char *what, const char *s, long min, long max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        char why[64];
        snprintf(why, sizeof why, "must be an integer from %ld to %ld", min, max);
        return bad(what, s, why);
    }
    *out = (int)v;
    return 0;
}

static int is_true(const char *s) { return s && (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes")); }

int main(int argc, char **argv)
{
    refold_mock_options o;
    refold_mock_options_init(&o);
    const char *env;
    /* Environment first, then flags: a flag overrides its variable. */
    if ((env = getenv("REFOLD_MOCK_HOST")) && *env) o.host = env;
    if ((env = getenv("REFOLD_MOCK_PORT")) && *env && parse_int("REFOLD_MOCK_PORT", env, 0, 65535, &o.port)) return 2;
    if ((env = getenv("REFOLD_MOCK_FIXTURES")) && *env) o.fixtures_dir = env;
    if ((env = getenv("REFOLD_MOCK_DB")) && *env) o.db_path = env;
    if ((env = getenv("REFOLD_MOCK_SCENARIO")) && *env) o.scenario = env;
    if ((env = getenv("REFOLD_MOCK_PUBLIC_URL")) && *env) o.public_url = env;
    if ((env = getenv("REFOLD_MOCK_WEBHOOK_BACKOFF_MS")) && *env &&
        parse_int("REFOLD_MOCK_WEBHOOK_BACKOFF_MS", env, 1, 3600000, &o.webhook_backoff_ms)) return 2;
    if ((env = getenv("REFOLD_MOCK_WEBHOOK_TIMEOUT_MS")) && *env &&
        parse_int("REFOLD_MOCK_WEBHOOK_TIMEOUT_MS", env, 1, 3600000, &o.webhook_timeout_ms)) return 2;
    if ((env = getenv("REFOLD_MOCK_ADMIN_TOKEN")) && *env) o.admin_token = env;
    o.realtime = is_true(getenv("REFOLD_MOCK_REALTIME"));
    o.quiet = is_true(getenv("REFOLD_MOCK_QUIET"));

    static const struct option longopts[] = {
        {"host", required_argument, 0, 'h'}, {"port", required_argument, 0, 'p'},
        {"fixtures", required_argument, 0, 'f'}, {"db", required_argument, 0, 'd'},
        {"scenario", required_argument, 0, 's'}, {"public-url", required_argument, 0, 'u'},
        {"webhook-backoff-ms", required_argument, 0, 'b'}, {"admin-token", required_argument, 0, 'a'},
        {"webhook-timeout-ms", required_argument, 0, 't'},
        {"realtime", no_argument, 0, 'r'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'H'}, {"version", no_argument, 0, 'V'}, {0, 0, 0, 0}};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': o.host = optarg; break;
        case 'p': if (parse_int("--port", optarg, 0, 65535, &o.port)) return 2; break;
        case 'f': o.fixtures_dir = optarg; break;
        case 'd': o.db_path = optarg; break;
        case 's': o.scenario = optarg; break;
        case 'u':
            if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8))
                return bad("--public-url", optarg, "must start with http:// or https://");
            o.public_url = optarg;
            break;
        case 'b': if (parse_int("--webhook-backoff-ms", optarg, 1, 3600000, &o.webhook_backoff_ms)) return 2; break;
        case 'a': o.admin_token = optarg; break;
        case 't': if (parse_int("--webhook-timeout-ms", optarg, 1, 3600000, &o.webhook_timeout_ms)) return 2; break;
        case 'r': o.realtime = 1; break;
        case 'q': o.quiet = 1; break;
        case 'H': usage(stdout); return 0;
        case 'V': printf("refold-mock %s\n", REFOLD_VERSION); return 0;
        case ':': return bad("option", argv[optind - 1], "needs a value");
        default: return bad("option", argv[optind - 1], "unknown (see --help)");
        }
    }
    if (optind < argc)
        return bad("argument", argv[optind], "unexpected (see --help)");

    /* SIGINT/SIGTERM are blocked before any thread starts (threads inherit the mask) and taken
     * with sigwait() below: a handler could run on a server thread and be missed here. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    char err[512];
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    if (!m) {
        fprintf(stderr, "refold-mock: %s\n", err);
        return 2;
    }
    if (!o.quiet) {
        printf("refold-mock %s listening on %s\n", REFOLD_VERSION, refold_mock_url(m));
        printf("  database: %s   clock: %s\n", o.db_path, o.realtime ? "realtime" : "virtual (POST /__mock/clock/advance)");
        const char *org, *env_name, *key;
        for (int i = 0; refold_mock_api_key(m, i, &org, &env_name, &key) == 0; i++)
            printf("  API key %-24s %s (%s)\n", key, org, env_name);
        fflush(stdout);
    }
    int sig;
    sigwait(&stop_signals, &sig);
    refold_mock_stop(m);
    return 0;
}
