/* tenants_bench.c: what a parallel test suite pays per worker: creating an ephemeral tenant
 * (POST /__mock/tenants), resetting it (POST /__mock/reset with its key) and dropping it, each
 * timed from the client over one kept-alive connection: p50 and p99 (goals: under 1 ms). */
#include "harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 1000

struct sink {
    char buf[65536];
    size_t len;
};

static size_t keep(char *p, size_t s, size_t n, void *u)
{
    struct sink *k = u;
    size_t take = s * n;
    if (k->len + take >= sizeof k->buf)
        take = sizeof k->buf - k->len - 1;
    memcpy(k->buf + k->len, p, take);
    k->len += take;
    k->buf[k->len] = 0;
    return s * n;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static CURL *c;
static struct sink out;
static int port;

static long call(const char *method, const char *path, const char *key, const char *body)
{
    char url[512], kh[300];
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (key) {
        snprintf(kh, sizeof kh, "x-api-key: %.200s", key); /* (keys are short: tk_eph_...) */
        h = curl_slist_append(h, kh);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    out.len = 0;
    out.buf[0] = 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    return code;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *label, double *ms, int n)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp);
    printf("%-14s n=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", label, n, ms[n / 2], ms[n * 99 / 100], ms[n - 1]);
}

int main(void)
{
    refold_mock *m = th_start(NULL); /* (a quiet mock on port 0 with the shipped fixtures) */
    port = refold_mock_port(m);
    c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    static double create[N], reset[N], drop[N];
    static char keys[N][128];
    for (int i = 0; i < N; i++) {
        double t0 = now_ms();
        long s = call("POST", "/__mock/tenants", NULL, "{\"org\":\"Acme\",\"environment\":\"test\"}");
        create[i] = now_ms() - t0;
        const char *k = strstr(out.buf, "\"api_key\":\"");
        if (s != 200 || !k || sscanf(k + 11, "%127[^\"]", keys[i]) != 1) {
            fprintf(stderr, "tenants_bench: create: %ld %s\n", s, out.buf);
            return 1;
        }
    }
    for (int i = 0; i < N; i++) {
        double t0 = now_ms();
        long s = call("POST", "/__mock/reset", keys[i], NULL);
        reset[i] = now_ms() - t0;
        if (s != 200) {
            fprintf(stderr, "tenants_bench: reset: %ld %s\n", s, out.buf);
            return 1;
        }
    }
    for (int i = 0; i < N; i++) {
        char path[200];
        snprintf(path, sizeof path, "/__mock/tenants/%.127s", keys[i]);
        double t0 = now_ms();
        long s = call("DELETE", path, NULL, NULL);
        drop[i] = now_ms() - t0;
        if (s != 200) {
            fprintf(stderr, "tenants_bench: drop: %ld %s\n", s, out.buf);
            return 1;
        }
    }
    report("tenant create", create, N);
    report("tenant reset", reset, N);
    report("tenant drop", drop, N);
    curl_easy_cleanup(c);
    refold_mock_stop(m);
    return 0;
}
