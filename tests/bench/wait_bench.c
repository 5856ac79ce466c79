/* wait_bench.c: wait_ms wake-up latency: a client waits on /__mock/requests/count for a request
 * that another client then sends; measured from sending that request to the waiter's answer
 * (p50, p99), beside the plain round trip of the same request and the time from the trigger's
 * answer to the waiter's (the wake-up itself: the entry is journaled before the trigger's answer
 * leaves), and the same for the C API's refold_mock_wait_requests. Prints its figures; asserts nothing.
 * Usage: bench_wait_bench [rounds]   (default 500) */
#include "receiver.h"
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "tk_acme_test"

static size_t sink(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

static CURL *client(void)
{
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, curl_slist_append(NULL, "x-api-key: " KEY));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    return c;
}

static long get(CURL *c, int port, const char *path)
{
    char url[600];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

struct waiter {
    refold_mock *m;
    int port, round, use_c_api;
    long long answered_us;
    long status;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int go, done, quit;
};

static void *wait_loop(void *arg)
{
    struct waiter *w = arg;
    CURL *c = client();
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->go && !w->quit)
            pthread_cond_wait(&w->cond, &w->lock);
        int round = w->round, quit = w->quit;
        w->go = 0;
        pthread_mutex_unlock(&w->lock);
        if (quit)
            break;
        char path[256];
        snprintf(path, sizeof path, "/api/v2/public/linked-account/wake_%d_%d", w->use_c_api, round);
        long status;
        if (w->use_c_api) {
            status = refold_mock_wait_requests(w->m, KEY, "GET", path, 1, 30000) == 1 ? 200 : 408;
        } else {
            char q[400];
            snprintf(q, sizeof q, "/__mock/requests/count?path=%s&wait_ms=30000", path);
            status = get(c, w->port, q);
        }
        long long t = rcv_now_us();
        pthread_mutex_lock(&w->lock);
        w->answered_us = t;
        w->status = status;
        w->done = 1;
        pthread_cond_signal(&w->cond);
        pthread_mutex_unlock(&w->lock);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, long long *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%-58s p50 %.3f ms  p99 %.3f ms  max %.3f ms  (n=%d)\n", what, v[n / 2] / 1000.0, v[(n * 99) / 100] / 1000.0,
           v[n - 1] / 1000.0, n);
}

static void run(refold_mock *m, int rounds, int use_c_api)
{
    struct waiter w = {.m = m, .port = refold_mock_port(m), .use_c_api = use_c_api};
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    pthread_t th;
    pthread_create(&th, NULL, wait_loop, &w);
    CURL *trigger = client();
    get(trigger, w.port, "/__mock/health"); /* connection open before the first round */
    long long *wake = calloc((size_t)rounds, sizeof *wake), *rtt = calloc((size_t)rounds, sizeof *rtt),
              *after = calloc((size_t)rounds, sizeof *after);
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        pthread_mutex_lock(&w.lock);
        w.round = i;
        w.go = 1;
        w.done = 0;
        pthread_cond_signal(&w.cond);
        pthread_mutex_unlock(&w.lock);
        rcv_sleep_ms(3); /* the waiter's request reaches the server and sleeps */
        char path[256];
        snprintf(path, sizeof path, "/api/v2/public/linked-account/wake_%d_%d", use_c_api, i);
        long long t0 = rcv_now_us();
        get(trigger, w.port, path); /* 404: no such account, but it is journaled */
        long long t1 = rcv_now_us();
        pthread_mutex_lock(&w.lock);
        while (!w.done)
            pthread_cond_wait(&w.cond, &w.lock);
        wake[i] = w.answered_us - t0;
        after[i] = w.answered_us - t1; /* the wake itself: the entry existed before t1 */
        bad += w.status != 200;
        pthread_mutex_unlock(&w.lock);
        rtt[i] = t1 - t0;
    }
    pthread_mutex_lock(&w.lock);
    w.quit = 1;
    pthread_cond_signal(&w.cond);
    pthread_mutex_unlock(&w.lock);
    pthread_join(th, NULL);
    report(use_c_api ? "C API refold_mock_wait_requests: trigger sent -> wait returned"
                     : "HTTP wait_ms: trigger sent -> waiting client has its answer",
           wake, rounds);
    report("  (the trigger request's own round trip, for comparison)", rtt, rounds);
    report("  waiter's answer after the trigger's answer (negative: before)", after, rounds);
    if (bad)
        printf("  %d rounds did not end with a 200\n", bad);
    free(wake);
    free(rtt);
    free(after);
    curl_easy_cleanup(trigger);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 500;
    if (rounds < 1)
        rounds = 500;
    curl_global_init(CURL_GLOBAL_ALL);
    refold_mock *m = th_start(NULL); /* (a quiet mock on port 0 with the shipped fixtures) */
    printf("wait_ms wake-up latency, %d rounds each (journal holding up to 2000 requests)\n", rounds);
    run(m, rounds, 0);
    run(m, rounds, 1);
    refold_mock_stop(m);
    return 0;
}
