/* webhooks_bench.c: webhook delivery benchmark: latency from the state-changing request to the
 * receiver's arrival (p50, p99), and sustained deliveries per second to a local receiver, with
 * the in-memory database and with a file database. Prints its figures; asserts nothing.
 * Usage: bench_webhooks_bench [latency_events] [throughput_requests]   (defaults 2000, 2000) */
#include "receiver.h"
#include "refold_mock.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY "tk_acme_test"

struct client {
    CURL *c;
    struct curl_slist *h;
    int port;
};

static size_t sink(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

static void client_init(struct client *cl, int port, const char *la)
{
    char lh[128];
    cl->c = curl_easy_init();
    cl->port = port;
    cl->h = curl_slist_append(NULL, "x-api-key: " KEY);
    cl->h = curl_slist_append(cl->h, "Content-Type: application/json");
    snprintf(lh, sizeof lh, "linked_account_id: %s", la);
    cl->h = curl_slist_append(cl->h, lh);
    curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, cl->h);
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, sink);
}

static long call(struct client *cl, const char *method, const char *path, const char *body)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", cl->port, path);
    curl_easy_setopt(cl->c, CURLOPT_URL, url);
    curl_easy_setopt(cl->c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(cl->c, CURLOPT_POSTFIELDS, body ? body : "");
    long code = 0;
    if (curl_easy_perform(cl->c) == CURLE_OK)
        curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

static void client_free(struct client *cl)
{
    curl_slist_free_all(cl->h);
    curl_easy_cleanup(cl->c);
}

static refold_mock *start(const char *db)
{
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.port = 0;
    o.quiet = 1;
    o.fixtures_dir = REFOLD_SOURCE_DIR "/fixtures";
    o.webhook_backoff_ms = 100;
    if (db)
        o.db_path = db;
    char err[256];
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    if (!m) {
        fprintf(stderr, "webhooks_bench: %s\n", err);
        exit(1);
    }
    return m;
}

static void subscribe(struct client *cl, const char *url, const char *events)
{
    char body[512];
    snprintf(body, sizeof body, "{\"webhook_url\":\"%s\",\"webhook_events\":%s}", url, events);
    if (call(cl, "POST", "/api/v2/public/webhook", body) != 200) {
        fprintf(stderr, "webhooks_bench: cannot subscribe\n");
        exit(1);
    }
}

static void create_la(struct client *cl, const char *la)
{
    char body[256];
    snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\",\"name\":\"Bench\"}", la);
    call(cl, "POST", "/api/v2/public/linked-account", body);
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

#define TWILIO "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}"

/* One event per request, one at a time: connect, break, connect, ... */
static void latency(const char *label, const char *db, int n)
{
    refold_mock *m = start(db);
    rcv *rc = rcv_start(0);
    struct client cl;
    client_init(&cl, refold_mock_port(m), "bench_latency");
    char url[128];
    rcv_url(rc, "/latency", url, sizeof url);
    subscribe(&cl, url, "[\"Connection Created\",\"Connection Expired\"]");
    create_la(&cl, "bench_latency");
    long long *lat = calloc((size_t)n, sizeof *lat);
    int ok = 0;
    for (int i = 0; i < n; i++) {
        long long t0 = rcv_now_us();
        long code = (i % 2 == 0)
            ? call(&cl, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", TWILIO)
            : call(&cl, "POST", "/__mock/linked-accounts/bench_latency/connections/twilio/expire", "{\"reason\":\"revoked\"}");
        if (code != 200 || rcv_wait(rc, i + 1, 5000) < i + 1) {
            fprintf(stderr, "webhooks_bench: event %d not delivered (status %ld)\n", i, code);
            break;
        }
        lat[ok++] = rcv_get(rc, i)->at_us - t0;
    }
    qsort(lat, (size_t)ok, sizeof *lat, cmp_ll);
    if (ok > 0)
        printf("latency %-9s n=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f (request start -> receiver has the body)\n", label, ok,
               lat[ok / 2] / 1000.0, lat[(int)(ok * 0.99)] / 1000.0, lat[ok - 1] / 1000.0);
    free(lat);
    client_free(&cl);
    refold_mock_stop(m);
    rcv_stop(rc);
}

struct producer {
    int port, requests, id;
    long long failures;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    struct client cl;
    char la[64];
    snprintf(la, sizeof la, "bench_tp_%d", p->id);
    client_init(&cl, p->port, la);
    create_la(&cl, la);
    for (int i = 0; i < p->requests; i++)
        if (call(&cl, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", TWILIO) != 200)
            p->failures++;
    client_free(&cl);
    return NULL;
}

/* Producers connect apps as fast as they can; every event goes to `subs` subscriptions. */
static void throughput(const char *label, const char *db, int requests, int subs, int producers)
{
    refold_mock *m = start(db);
    rcv *rc = rcv_start(0);
    struct client cl;
    client_init(&cl, refold_mock_port(m), "unused");
    for (int s = 0; s < subs; s++) {
        char url[128], path[32];
        snprintf(path, sizeof path, "/tp/%d", s);
        rcv_url(rc, path, url, sizeof url);
        subscribe(&cl, url, "[\"Connection Created\"]");
    }
    client_free(&cl);
    int per = requests / producers, expected = per * producers * subs;
    pthread_t th[16];
    struct producer ps[16];
    long long t0 = rcv_now_us();
    for (int i = 0; i < producers; i++) {
        ps[i] = (struct producer){refold_mock_port(m), per, i, 0};
        pthread_create(&th[i], NULL, produce, &ps[i]);
    }
    for (int i = 0; i < producers; i++)
        pthread_join(th[i], NULL);
    long long t_req = rcv_now_us();
    int got = rcv_wait(rc, expected, 120000);
    long long t_last = got > 0 ? rcv_get(rc, got - 1)->at_us : t_req;
    double secs = (t_last - t0) / 1e6;
    printf("throughput %-9s subscriptions=%d producers=%d events=%d deliveries=%d/%d in %.2f s = %.0f deliveries/s "
           "(requests done after %.2f s)\n",
           label, subs, producers, per * producers, got, expected, secs, got / secs, (t_req - t0) / 1e6);
    refold_mock_stop(m);
    rcv_stop(rc);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000, req = argc > 2 ? atoi(argv[2]) : 2000;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char dir[] = "/tmp/refold-whbench-XXXXXX", db[128];
    if (!mkdtemp(dir))
        return 1;
    printf("webhook delivery benchmark (goal: p50 < 5 ms, >= 1000 deliveries/s)\n");
    latency("memory", NULL, n);
    snprintf(db, sizeof db, "%s/lat.db", dir);
    latency("file-db", db, n);
    throughput("memory", NULL, req, 1, 4);
    throughput("memory", NULL, req, 8, 4);
    snprintf(db, sizeof db, "%s/tp.db", dir);
    throughput("file-db", db, req, 8, 4);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    curl_global_cleanup();
    return 0;
}
