/* history_bench.c: what a long history costs a read: GET /execution?limit=1 (and a filtered page)
 * after 1k, 10k (and HISTORY_RUNS) executions, and a keyed request with thousands of live
 * tenants (the key lookup). Goal: a list costs what it returns, not what is stored. */
#include "harness.h"
#include "flows_util.h"

#include "bench_util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static CURL *c;
static struct sink out;
static int port;
static const char *la_header = "linked_account_id: user_12345"; /* NULL for the tenants part */

/* One request on the kept-alive connection; extra is one more header or NULL. */
static long call(const char *method, const char *path, const char *key, const char *extra, const char *body)
{
    char url[512], kh[300];
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    snprintf(kh, sizeof kh, "x-api-key: %.200s", key);
    h = curl_slist_append(h, kh);
    if (la_header)
        h = curl_slist_append(h, la_header);
    if (extra)
        h = curl_slist_append(h, extra);
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

/* median ms of reps calls of path */
static double median_ms(const char *path, const char *key, int reps)
{
    double t[64];
    if (reps > 64)
        reps = 64;
    for (int i = 0; i < reps; i++) {
        double t0 = now_ms();
        if (call("GET", path, key, NULL, NULL) != 200) {
            fprintf(stderr, "history_bench: GET %s: %s\n", path, out.buf);
            exit(1);
        }
        t[i] = now_ms() - t0;
    }
    for (int i = 1; i < reps; i++) /* insertion sort: a handful of values */
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
            double x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    return t[reps / 2];
}

int main(void)
{
    const char *env = getenv("HISTORY_RUNS");
    int runs = env ? atoi(env) : 10000, tenants = getenv("HISTORY_TENANTS") ? atoi(getenv("HISTORY_TENANTS")) : 5000;
    refold_mock *m = th_start(NULL);
    port = refold_mock_port(m);
    th_create_la(m, ACME, "user_12345", "Bench");
    fu_connect_playground(m, ACME, "user_12345");
    c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    const int marks[] = {1000, 10000, runs};
    int done = 0;
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/execute", PLAYGROUND_SYNC);
    for (int k = 0; k < 3; k++) {
        if (marks[k] > runs || (k > 0 && marks[k] <= marks[k - 1]))
            continue;
        for (; done < marks[k]; done++)
            if (call("POST", path, ACME, "slug: playground_app", "{}") != 200) {
                fprintf(stderr, "history_bench: execute: %s\n", out.buf);
                return 1;
            }
        printf("executions=%d list_limit1_ms=%.3f filtered_ms=%.3f page_500_ms=%.3f\n", done,
               median_ms("/api/v2/public/execution?limit=1", ACME, 9),
               median_ms("/api/v2/public/execution?limit=10&status=running&workflow_name=sync", ACME, 5),
               median_ms("/api/v2/public/execution?limit=10&page=500", ACME, 5));
    }
    /* the key lookup: the last-made tenant's key, after thousands of others */
    if (tenants <= 0) {
        curl_easy_cleanup(c);
        refold_mock_stop(m);
        return 0;
    }
    static char key[128];
    la_header = NULL;
    for (int i = 0; i < tenants; i++) {
        if (call("POST", "/__mock/tenants", ACME, NULL, "{\"org\":\"Acme\",\"environment\":\"test\"}") != 200) {
            fprintf(stderr, "history_bench: tenant: %s\n", out.buf);
            return 1;
        }
        const char *k = strstr(out.buf, "\"api_key\":\"");
        if (!k || sscanf(k + 11, "%127[^\"]", key) != 1)
            return 1;
    }
    double t0 = now_ms();
    for (int i = 0; i < 2000; i++)
        if (call("GET", "/api/v2/public/linked-account?limit=1", key, NULL, NULL) != 200) {
            fprintf(stderr, "history_bench: keyed read: %s\n", out.buf);
            return 1;
        }
    printf("tenants=%d keyed_read_mean_ms=%.3f\n", tenants, (now_ms() - t0) / 2000);
    curl_easy_cleanup(c);
    refold_mock_stop(m);
    return 0;
}
