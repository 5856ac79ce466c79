/* main.c: the refold-mock command line: options and environment -> refold_mock_start. */
#include "refold_mock.h"
#include "drift.h"
#include "fixtures_from.h"
#include "shape.h"

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
            "  --log-format text|json    one line per request on stderr (default text) REFOLD_MOCK_LOG_FORMAT\n"
            "  --verbose                 log lines carry request and response bodies REFOLD_MOCK_VERBOSE=1\n"
            "  --quiet                   no banner and no log lines                  REFOLD_MOCK_QUIET=1\n"
            "  --port-file PATH          write the bound port to PATH once listening REFOLD_MOCK_PORT_FILE\n"
            "  --scenarios DIR           where --scenario NAME is looked up          REFOLD_MOCK_SCENARIOS\n"
            "  --seed TEXT               ids, tokens and secrets follow from TEXT    REFOLD_MOCK_SEED\n"
            "  --clock-start ISO8601     the virtual clock's start (default: now)   REFOLD_MOCK_CLOCK_START\n"
            "  --strict                  a body breaking the spec's schema gets 400  REFOLD_MOCK_STRICT=1\n"
            "  --upstream URL            proxy mode: public API forwarded to URL     REFOLD_MOCK_UPSTREAM\n"
            "  --record DIR              with --upstream: record each exchange       REFOLD_MOCK_RECORD\n"
            "  --upstream-timeout-ms N   upstream slower than this: 504 (default 30000) REFOLD_MOCK_UPSTREAM_TIMEOUT_MS\n"
            "  -h, --help, --version\n"
            "Commands: refold-mock drift DIR [--json] [--junit FILE]   compare a recording with the mock\n"
            "          refold-mock fixtures-from DIR --out FIXTURES_DIR  fixtures from a recording\n"
            "Secrets (API keys, tokens, password fields) are masked in logs and in /__mock/requests.\n");
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

/* Written to a temporary name, then renamed: a reader polling PATH never sees half a number. */
static int write_port_file(const char *path, int port)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fprintf(f, "%d\n", port) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

static int is_true(const char *s) { return s && (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes")); }

int main(int argc, char **argv)
{
    /* the recording tools (mock/PROXY.md) are commands of their own */
    if (argc > 1 && !strcmp(argv[1], "drift"))
        return drift_main(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "fixtures-from"))
        return fixtures_from_main(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "shape-compare")) /* the docs stage's comparer (mock/shape.c) */
        return shape_compare_main(argc - 1, argv + 1);
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
    if ((env = getenv("REFOLD_MOCK_LOG_FORMAT")) && *env) o.log_format = env;
    o.verbose = is_true(getenv("REFOLD_MOCK_VERBOSE"));
    const char *port_file = NULL;
    if ((env = getenv("REFOLD_MOCK_PORT_FILE")) && *env) port_file = env;
    if ((env = getenv("REFOLD_MOCK_SCENARIOS")) && *env) o.scenarios_dir = env;
    if ((env = getenv("REFOLD_MOCK_SEED")) && *env) o.seed = env;
    if ((env = getenv("REFOLD_MOCK_CLOCK_START")) && *env) o.clock_start = env;
    o.strict = is_true(getenv("REFOLD_MOCK_STRICT"));
    if ((env = getenv("REFOLD_MOCK_UPSTREAM")) && *env) o.upstream = env;
    if ((env = getenv("REFOLD_MOCK_RECORD")) && *env) o.record_dir = env;
    if ((env = getenv("REFOLD_MOCK_UPSTREAM_TIMEOUT_MS")) && *env &&
        parse_int("REFOLD_MOCK_UPSTREAM_TIMEOUT_MS", env, 1, 3600000, &o.upstream_timeout_ms)) return 2;

    static const struct option longopts[] = {
        {"host", required_argument, 0, 'o'}, {"port", required_argument, 0, 'p'},
        {"fixtures", required_argument, 0, 'f'}, {"db", required_argument, 0, 'd'},
        {"scenario", required_argument, 0, 's'}, {"public-url", required_argument, 0, 'u'},
        {"webhook-backoff-ms", required_argument, 0, 'b'}, {"admin-token", required_argument, 0, 'a'},
        {"webhook-timeout-ms", required_argument, 0, 't'},
        {"scenarios", required_argument, 0, 'S'}, {"seed", required_argument, 0, 'e'},
        {"clock-start", required_argument, 0, 'c'}, {"strict", no_argument, 0, 'x'},
        {"realtime", no_argument, 0, 'r'}, {"quiet", no_argument, 0, 'q'},
        {"log-format", required_argument, 0, 'l'}, {"verbose", no_argument, 0, 'v'},
        {"port-file", required_argument, 0, 'P'},
        {"upstream", required_argument, 0, 'U'}, {"record", required_argument, 0, 'R'},
        {"upstream-timeout-ms", required_argument, 0, 'T'},
        {"help", no_argument, 0, 'H'}, {"version", no_argument, 0, 'V'}, {0, 0, 0, 0}};
    opterr = 0; /* and ":h": an option missing its value comes back as ':', said as such */
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.host = optarg; break;
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
        case 'S': o.scenarios_dir = optarg; break;
        case 'e': o.seed = optarg; break;
        case 'c': o.clock_start = optarg; break;
        case 'x': o.strict = 1; break;
        case 'r': o.realtime = 1; break;
        case 'q': o.quiet = 1; break;
        case 'l': o.log_format = optarg; break;
        case 'v': o.verbose = 1; break;
        case 'P': port_file = optarg; break;
        case 'U':
            if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8))
                return bad("--upstream", optarg, "must start with http:// or https://");
            o.upstream = optarg;
            break;
        case 'R': o.record_dir = optarg; break;
        case 'T': if (parse_int("--upstream-timeout-ms", optarg, 1, 3600000, &o.upstream_timeout_ms)) return 2; break;
        case 'h':
        case 'H': usage(stdout); return 0;
        case 'V': printf("refold-mock %s\n", REFOLD_VERSION); return 0;
        case ':': return bad("option", argv[optind - 1], "needs a value");
        default: return bad("option", argv[optind - 1], "unknown (see --help)");
        }
    }
    if (optind < argc)
        return bad("argument", argv[optind], "unexpected (see --help)");
    if (o.log_format && strcmp(o.log_format, "text") && strcmp(o.log_format, "json"))
        return bad("--log-format", o.log_format, "must be text or json");
    if (o.record_dir && !o.upstream)
        return bad("--record", o.record_dir, "needs --upstream (it records what the upstream answers)");

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
    if (port_file && write_port_file(port_file, refold_mock_port(m)) != 0) {
        fprintf(stderr, "refold-mock: --port-file '%s': %s\n", port_file, strerror(errno));
        refold_mock_stop(m);
        return 2;
    }
    if (!o.quiet) {
        const char *url = refold_mock_url(m);
        printf("refold-mock %s listening on %s\n", REFOLD_VERSION, url);
        printf("  dashboard: %s/__mock/ui\n", url);
        printf("  database: %s   clock: %s\n", o.db_path, o.realtime ? "realtime" : "virtual (POST /__mock/clock/advance)");
        if (o.upstream)
            printf("  proxy: public API -> %s%s%s\n", o.upstream, o.record_dir ? ", recorded in " : "",
                   o.record_dir ? o.record_dir : "");
        if (o.scenario && !o.realtime) /* its timed steps wait for the clock: say how to move it */
            printf("  scenario %s on a frozen clock; move it: curl -X POST %s/__mock/clock/advance -H 'content-type: application/json' -d '{\"seconds\":60}'%s\n",
                   o.scenario, url, o.admin_token ? " -H 'Authorization: Bearer <admin token>'" : "");
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
