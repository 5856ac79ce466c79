/* proxy_bench.c: the proxy's overhead on loopback: the same read sent straight to a mock and through
 * a second mock in proxy mode (--upstream, and again with --record), alternating, one keep-alive
 * client each; p50 and p99 of both and the p50 difference (the budget: under 1 ms). Prints its
 * figures; asserts nothing. Usage: bench_proxy_bench [rounds]   (default 2000) */
#include "harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t sink(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

static CURL *client(const char *url, struct curl_slist *hl)
{
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    return c;
}

static double timed(CURL *c)
{
    double t0 = th_seconds();
    long status = 0;
    if (curl_easy_perform(c) != CURLE_OK || (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status), status != 200)) {
        fprintf(stderr, "proxy_bench: a request failed (status %ld)\n", status);
        exit(1);
    }
    return (th_seconds() - t0) * 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p) { return v[(int)(p * (n - 1))]; }

static void run(const char *label, refold_mock *up, refold_mock *px, int rounds)
{
    struct curl_slist *hl = curl_slist_append(NULL, "x-api-key: tk_acme_test");
    hl = curl_slist_append(hl, "linked_account_id: bench_user");
    char u1[256], u2[256];
    snprintf(u1, sizeof u1, "%s/api/v2/public/application/hubspot", refold_mock_url(up));
    snprintf(u2, sizeof u2, "%s/api/v2/public/application/hubspot", refold_mock_url(px));
    CURL *direct = client(u1, hl), *via = client(u2, hl);
    for (int i = 0; i < 200; i++) { /* warm: connections, the memo, the proxy worker's handle */
        timed(direct);
        timed(via);
    }
    double *d = malloc(sizeof(double) * (size_t)rounds), *p = malloc(sizeof(double) * (size_t)rounds);
    for (int i = 0; i < rounds; i++) { /* alternate: a load spike hits both sides alike */
        d[i] = timed(direct);
        p[i] = timed(via);
    }
    qsort(d, (size_t)rounds, sizeof *d, cmp);
    qsort(p, (size_t)rounds, sizeof *p, cmp);
    double over = pct(p, rounds, 0.5) - pct(d, rounds, 0.5);
    printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n", label, pct(d, rounds, 0.5), pct(d, rounds, 0.99),
           pct(p, rounds, 0.5), pct(p, rounds, 0.99), over, over < 1000 ? "under 1 ms" : "OVER 1 ms");
    free(d);
    free(p);
    curl_easy_cleanup(direct);
    curl_easy_cleanup(via);
    curl_slist_free_all(hl);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 2000;
    if (rounds < 10)
        rounds = 10;
    refold_mock *up = th_start(NULL);
    th_create_la(up, "tk_acme_test", "bench_user", "Bench");
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", refold_mock_port(up));
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.upstream = base;
    refold_mock *px = th_start(&o);
    char dir[] = "/tmp/refold-proxy-bench-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    o.record_dir = dir;
    refold_mock *rec = th_start(&o);
    printf("## Proxy overhead (loopback, GET /api/v2/public/application/hubspot, %d rounds, microseconds)\n\n", rounds);
    printf("| proxy | direct p50 | direct p99 | proxied p50 | proxied p99 | p50 overhead | budget |\n|---|---|---|---|---|---|---|\n");
    run("--upstream", up, px, rounds);
    run("--upstream --record", up, rec, rounds);
    refold_mock_stop(rec);
    refold_mock_stop(px);
    refold_mock_stop(up);
    th_remove_dir(dir);
    return 0;
}
