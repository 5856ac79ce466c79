/* refold_mock.c: the embedding API: start (store, fixtures, clock, server), reset, advance, stop. */
#define _GNU_SOURCE
#include "engine/auth.h"
#include "engine/reset.h"
#include "engine/clock.h"
#include "engine/faults.h"
#include "engine/fixtures.h"
#include "engine/journal.h"
#include "engine/mcp_logs.h"
#include "memo.h"
#include "base/doc_cache.h"
#include "base/notify.h"
#include "base/paths.h"
#include "proxy.h"
#include "engine/scenario.h"
#include "server.h"
#include "engine/setup.h"
#include "base/store.h"
#include "engine/tenants.h"
#include "engine/timers.h"
#include "base/util.h"
#include "engine/webhooks.h"

#include <civetweb.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void refold_mock_options_init(refold_mock_options *o)
{
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->port = 8080;
    o->db_path = ":memory:";
    o->webhook_backoff_ms = 1000;
    o->webhook_timeout_ms = 10000;
    o->log_format = "text";
}

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static void init_library(void) { mg_init_library(0); }

static void *ticker(void *arg)
{
    struct mock *m = arg;
    while (!__atomic_load_n(&m->stopping, __ATOMIC_ACQUIRE)) {
        struct timespec ts = {0, 200 * 1000000L};
        nanosleep(&ts, NULL);
        clock_advance(m, 0); /* fires whatever wall time has made due */
    }
    return NULL;
}

refold_mock *refold_mock_start(const refold_mock_options *opts, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_library);
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    struct mock *m = calloc(1, sizeof *m);
    m->opt = *opts;
    m->host = strdup(opts->host && *opts->host ? opts->host : "127.0.0.1");
    m->fixtures_dir = opts->fixtures_dir && *opts->fixtures_dir ? strdup(opts->fixtures_dir) : paths_shipped("fixtures");
    m->scenarios_dir = opts->scenarios_dir && *opts->scenarios_dir ? strdup(opts->scenarios_dir) : paths_beside(m->fixtures_dir, "scenarios");
    if (!m->scenarios_dir)
        m->scenarios_dir = paths_shipped("scenarios");
    m->db_path = strdup(opts->db_path && *opts->db_path ? opts->db_path : ":memory:");
    m->public_url_opt = dup_or_null(opts->public_url);
    m->admin_token = dup_or_null(opts->admin_token);
    if (m->opt.webhook_backoff_ms <= 0)
        m->opt.webhook_backoff_ms = 1000;
    m->outbox_changed = calloc(1, sizeof *m->outbox_changed);
    notify_init(m->outbox_changed);
    pthread_mutex_init(&m->clock_lock, NULL);
    if (opts->seed && *opts->seed)
        util_seed(opts->seed); /* before the first draw: the session-token secret, seed data */
    util_random_hex(m->request_prefix, 4);
    /* from libcrypto, never the --seed generator: the mark tells this process's deliveries from
     * another mock's (even one started with the same seed), and drawing it leaves seeded ids as they were */
    unsigned char mark[16];
    if (RAND_bytes(mark, sizeof mark) != 1)
        abort();
    for (size_t i = 0; i < sizeof mark; i++)
        snprintf(m->delivery_mark + 2 * i, 3, "%02x", mark[i]);
    m->journal = journal_new(JOURNAL_CAPACITY);
    m->mcp_logs = mcp_logs_new(MCP_LOG_CAPACITY);
    m->faults = faults_new();
    m->memo = memo_new();
    m->docs = doc_cache_new();
    m->scenario = scenario_new();
    m->tenants = tenants_new();
    /* The wiring the engine's lower files may not do themselves (they would include what calls
     * them): the clock drives the timer sources, a reset unloads the tenant's scenario. */
    timers_register(m);
    reset_add_forget(m, scenario_unload);

    /* kept as a literal: the caller's string need not outlive the call */
    if (!opts->log_format || !*opts->log_format || !strcmp(opts->log_format, "text")) {
        m->opt.log_format = "text";
    } else if (!strcmp(opts->log_format, "json")) {
        m->opt.log_format = "json";
    } else {
        snprintf(err, errlen, "log format '%s': must be text or json", opts->log_format);
        m->opt.log_format = "text";
        goto fail;
    }
    m->clock_start = opts->clock_start ? util_parse_iso8601(opts->clock_start) : -1;
    if (opts->clock_start && m->clock_start < 0) {
        snprintf(err, errlen, "clock start '%.64s' is not an ISO 8601 time (2026-01-01T00:00:00Z)", opts->clock_start);
        goto fail;
    }
    if (!(m->fx = fixtures_load(m->fixtures_dir, err, errlen)))
        goto fail;
    if (!(m->store = store_open(m->db_path, err, errlen)))
        goto fail;
    faults_attach(m->faults, m->store);
    if (auth_init(m) != 0) {
        snprintf(err, errlen, "%s: cannot store the session-token secret", m->db_path);
        goto fail;
    }
    clock_reset(m);
    if (reset_seed(m, 0, err, errlen) != 0)
        goto fail;
    if (scenario_start(m, err, errlen) != 0) /* --scenario, or the one a --db file kept */
        goto fail;
    clock_resume(m); /* an advance a killed mock left half done (--db) ends first */
    if (proxy_start(m, err, errlen) != 0) /* before the server: no request sees it half set */
        goto fail;
    if (server_start(m, err, errlen) != 0)
        goto fail;
    if (webhooks_start(m) != 0) {
        snprintf(err, errlen, "cannot start the webhook delivery thread");
        goto fail;
    }
    if (m->public_url_opt) {
        snprintf(m->url, sizeof m->url, "%s", m->public_url_opt);
        size_t n = strlen(m->url);
        if (n && m->url[n - 1] == '/')
            m->url[n - 1] = 0;
    } else {
        snprintf(m->url, sizeof m->url, strchr(m->host, ':') ? "http://[%s]:%d" : "http://%s:%d", m->host, m->port);
    }
    if (m->opt.realtime && pthread_create(&m->ticker, NULL, ticker, m) == 0)
        m->ticker_running = 1;
    return (refold_mock *)m;
fail:
    refold_mock_stop((refold_mock *)m);
    return NULL;
}

int refold_mock_port(const refold_mock *mm) { return ((const struct mock *)mm)->port; }
const char *refold_mock_url(const refold_mock *mm) { return ((const struct mock *)mm)->url; }
int refold_mock_api_key(const refold_mock *mm, int i, const char **org, const char **environment, const char **api_key)
{
    const struct mock *m = (const struct mock *)mm;
    if (i < 0 || i >= m->fx->ntenants)
        return -1;
    *org = m->fx->tenants[i].org_name;
    *environment = m->fx->tenants[i].environment;
    *api_key = m->fx->tenants[i].api_key;
    return 0;
}

int refold_mock_reset(refold_mock *mm)
{
    char err[512];
    return reset_all((struct mock *)mm, err, sizeof err) ? -1 : 0;
}
long long refold_mock_now_ms(refold_mock *mm) { return clock_now_ms((struct mock *)mm); }

int refold_mock_advance_clock(refold_mock *mm, long long seconds)
{
    if (seconds < 0)
        return -1;
    return clock_advance((struct mock *)mm, seconds * 1000);
}

/* tenant id of api_key into *id (NULL for none); -1 when no tenant has that key */
static int tenant_of(struct mock *m, const char *api_key, const char **id)
{
    *id = NULL;
    if (!api_key)
        return 0;
    const struct tenant *t = tenants_by_key(m, api_key);
    if (!t)
        return -1;
    *id = t->id;
    return 0;
}

int refold_mock_wait_deliveries(refold_mock *mm, const char *api_key, const char *event, const char *linked_account_id,
                                const char *status, int count, int timeout_ms)
{
    struct mock *m = (struct mock *)mm;
    const char *tenant;
    if (tenant_of(m, api_key, &tenant) != 0)
        return -1;
    return webhooks_wait(m, tenant, event, linked_account_id, status, count, timeout_ms < 0 ? 0 : timeout_ms);
}

int refold_mock_wait_requests(refold_mock *mm, const char *api_key, const char *method, const char *path, int count,
                              int timeout_ms)
{
    struct mock *m = (struct mock *)mm;
    struct journal_filter f;
    memset(&f, 0, sizeof f);
    if (tenant_of(m, api_key, &f.tenant) != 0)
        return -1;
    f.method = method;
    f.path = path;
    return journal_wait(m->journal, &f, count, timeout_ms < 0 ? 0 : timeout_ms);
}

/* How long a stop waits for the requests in flight (the rest of the 2 s a stop may take is
 * CivetWeb's own stop, the webhook thread and the store). */
#define STOP_DRAIN_MS 1500

void refold_mock_stop(refold_mock *mm)
{
    struct mock *m = (struct mock *)mm;
    if (!m)
        return;
    __atomic_store_n(&m->stopping, 1, __ATOMIC_RELEASE);
    if (m->ticker_running)
        pthread_join(m->ticker, NULL);
    /* requests waiting with wait_ms return now: the server waits for its handlers to end */
    if (m->journal)
        journal_close(m->journal);
    if (m->outbox_changed)
        notify_close(m->outbox_changed);
    if (m->ctx) /* answer what is in flight (waiters with 503) before CivetWeb stops writing; all within 2 s */
        server_drain(m, STOP_DRAIN_MS);
    server_stop(m);
    webhooks_stop(m); /* after the server: no request can queue an event any more */
    proxy_stop(m);
    store_close(m->store);
    fixtures_free(m->fx);
    while (m->retired_fx) {
        struct fixtures *next = m->retired_fx->retired_next;
        fixtures_free(m->retired_fx);
        m->retired_fx = next;
    }
    journal_free(m->journal);
    mcp_logs_free(m->mcp_logs);
    faults_free(m->faults);
    memo_free(m->memo);
    doc_cache_free(m->docs);
    scenario_free(m->scenario);
    if (m->outbox_changed)
        notify_destroy(m->outbox_changed);
    free(m->outbox_changed);
    tenants_free(m->tenants);
    pthread_mutex_destroy(&m->clock_lock);
    free(m->host);
    free(m->fixtures_dir);
    free(m->scenarios_dir);
    free(m->db_path);
    free(m->public_url_opt);
    free(m->admin_token);
    free(m);
}

int refold_mock_load_scenario(refold_mock *mm, const char *file_or_name, char *err, size_t errlen)
{
    struct mock *m = (struct mock *)mm;
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    if (!file_or_name || !*file_or_name) {
        snprintf(err, errlen, "no scenario given");
        return -1;
    }
    return scenario_load_ref(m, file_or_name, 1, &m->fx->tenants[0], NULL, NULL, err, errlen);
}
