/* tenants_bench.c: what a parallel test suite pays per worker: creating an ephemeral tenant
 * (POST /__mock/tenants), resetting it (POST /__mock/reset with its key) and dropping it, each
 * timed from the client over one kept-alive connection: p50 and p99 (goals: under 1 ms).
 * Then the parallel goal: TENANTS_WORKERS (256) threads start at one moment, each making its own
 * tenant and running the connect loop (connect, token, clock jump, expire, reconnect, drop): p50
 * and p99 of the whole loop and of its requests, errors, and every worker's answers compared with
 * a serial run's (goal: p99 <= 50 ms for the loop, 0 errors, all equal). */
#include "harness.h"

#include "bench_util.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define N 1000


static CURL *c;
static struct sink out;
static int port;

static long call_on(CURL *h, struct sink *o, const char *method, const char *path, const char *key, const char *la,
                    const char *body);

static long call(const char *method, const char *path, const char *key, const char *body)
{
    return call_on(c, &out, method, path, key, NULL, body);
}

static long call_on(CURL *cc, struct sink *o, const char *method, const char *path, const char *key, const char *la,
                    const char *body)
{
    char url[512], kh[300], lh[200];
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (key) {
        snprintf(kh, sizeof kh, "x-api-key: %.200s", key); /* (keys are short: tk_eph_...) */
        h = curl_slist_append(h, kh);
    }
    if (la) {
        snprintf(lh, sizeof lh, "linked_account_id: %.100s", la);
        h = curl_slist_append(h, lh);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    o->len = 0;
    o->buf[0] = 0;
    curl_easy_setopt(cc, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(cc, CURLOPT_WRITEDATA, o);
    curl_easy_setopt(cc, CURLOPT_URL, url);
    curl_easy_setopt(cc, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(cc, CURLOPT_POSTFIELDS, body ? body : "");
    curl_easy_setopt(cc, CURLOPT_HTTPHEADER, h);
    long code = 0;
    if (curl_easy_perform(cc) == CURLE_OK)
        curl_easy_getinfo(cc, CURLINFO_RESPONSE_CODE, &code);
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

/* ---- the parallel goal ---- */

#define LOOP_STEPS 10
#define MAX_WORKERS 1024

struct worker {
    pthread_t th;
    double loop_ms, step_ms[LOOP_STEPS];
    int errors;
    char result[1024]; /* what the worker saw: statuses and the fields that matter, no ids */
};

static pthread_barrier_t start_line;

/* "name" member of a JSON body, as the loop compares it (absent: "-"). */
static void note(char *res, size_t n, long status, const char *body, const char *field)
{
    char v[64] = "-";
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", field ? field : "");
    const char *at = field ? strstr(body, pat) : NULL;
    if (at)
        sscanf(at + strlen(pat), "%63[^,}]", v);
    size_t len = strlen(res);
    snprintf(res + len, n - len, "%ld%s%s ", status, field ? "/" : "", field ? v : "");
}

static void *connect_loop(void *arg)
{
    struct worker *w = arg;
    CURL *cc = curl_easy_init();
    struct sink *o = calloc(1, sizeof *o);
    char key[128] = "", path[256];
    const char *la = "worker_customer";
    pthread_barrier_wait(&start_line);
    double t0 = now_ms(), ts;
    long s;
    int k = 0;
#define STEP(expr, field)                                                  \
    do {                                                                   \
        ts = now_ms();                                                     \
        s = (expr);                                                        \
        w->step_ms[k++] = now_ms() - ts;                                   \
        w->errors += s < 200 || s >= 300;                                  \
        note(w->result, sizeof w->result, s, o->buf, field);               \
    } while (0)
    STEP(call_on(cc, o, "POST", "/__mock/tenants", NULL, NULL, "{\"org\":\"Acme\",\"environment\":\"test\"}"), NULL);
    const char *kp = strstr(o->buf, "\"api_key\":\"");
    if (!kp || sscanf(kp + 11, "%127[^\"]", key) != 1) {
        w->errors++;
        curl_easy_cleanup(cc);
        free(o);
        return NULL;
    }
    STEP(call_on(cc, o, "POST", "/api/v2/public/linked-account", key, NULL,
                 "{\"linked_account_id\":\"worker_customer\",\"name\":\"Worker\"}"), "account_id");
    const char *cred = "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}";
    STEP(call_on(cc, o, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", key, la, cred), NULL);
    STEP(call_on(cc, o, "POST", "/api/v2/public/session-token", key, NULL, "{\"linked_account_id\":\"worker_customer\"}"), NULL);
    STEP(call_on(cc, o, "POST", "/__mock/clock/advance", key, NULL, "{\"seconds\":7200}"), "offset_ms");
    STEP(call_on(cc, o, "POST", "/__mock/linked-accounts/worker_customer/connections/twilio/expire", key, NULL, "{}"), NULL);
    STEP(call_on(cc, o, "GET", "/api/v2/public/application/twilio", key, la, NULL), "reauth_required");
    STEP(call_on(cc, o, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", key, la, cred), NULL);
    STEP(call_on(cc, o, "GET", "/api/v2/public/application/twilio", key, la, NULL), "reauth_required");
    snprintf(path, sizeof path, "/__mock/tenants/%.127s", key);
    STEP(call_on(cc, o, "DELETE", path, NULL, NULL, NULL), NULL);
#undef STEP
    w->loop_ms = now_ms() - t0;
    curl_easy_cleanup(cc);
    free(o);
    return NULL;
}

static void parallel_goal(int n)
{
    struct worker *ws = calloc((size_t)n + 1, sizeof *ws);
    /* the serial reference: one worker alone */
    pthread_barrier_init(&start_line, NULL, 1);
    connect_loop(&ws[n]);
    pthread_barrier_destroy(&start_line);
    pthread_barrier_init(&start_line, NULL, (unsigned)n);
    struct rusage u0, u1;
    getrusage(RUSAGE_SELF, &u0);
    double w0 = now_ms();
    for (int i = 0; i < n; i++)
        pthread_create(&ws[i].th, NULL, connect_loop, &ws[i]);
    for (int i = 0; i < n; i++)
        pthread_join(ws[i].th, NULL);
    double wall = now_ms() - w0;
    getrusage(RUSAGE_SELF, &u1);
    pthread_barrier_destroy(&start_line);
    /* server and clients share this process: its CPU time over the cores is the least wall time
     * the last worker can finish in, whatever the mock does */
    double cpu = (u1.ru_utime.tv_sec - u0.ru_utime.tv_sec + u1.ru_stime.tv_sec - u0.ru_stime.tv_sec) * 1e3 +
                 (u1.ru_utime.tv_usec - u0.ru_utime.tv_usec + u1.ru_stime.tv_usec - u0.ru_stime.tv_usec) / 1e3;
    double *loop = malloc(sizeof *loop * (size_t)n), *steps = malloc(sizeof *steps * (size_t)n * LOOP_STEPS);
    int errors = 0, differ = 0;
    for (int i = 0; i < n; i++) {
        loop[i] = ws[i].loop_ms;
        memcpy(steps + (size_t)i * LOOP_STEPS, ws[i].step_ms, sizeof ws[i].step_ms);
        errors += ws[i].errors;
        if (strcmp(ws[i].result, ws[n].result)) {
            if (!differ)
                fprintf(stderr, "tenants_bench: worker %d saw  %s\n  serial run saw %s\n", i, ws[i].result, ws[n].result);
            differ++;
        }
    }
    printf("parallel goal: %d workers at once, the connect loop (%d requests each)\n", n, LOOP_STEPS);
    printf("all done in %.1f ms; CPU (server + clients) %.1f ms = %.3f ms per loop; %ld cores: the last loop cannot end before %.1f ms\n",
           wall, cpu, cpu / n, sysconf(_SC_NPROCESSORS_ONLN), cpu / (double)sysconf(_SC_NPROCESSORS_ONLN));
    report("whole loop", loop, n);
    report("one request", steps, n * LOOP_STEPS);
    static const char *const names[LOOP_STEPS] = {"create tenant", "linked acct", "connect", "session token", "clock +2h",
                                                  "expire", "read expired", "reconnect", "read again", "drop tenant"};
    double *one = malloc(sizeof *one * (size_t)n);
    for (int k = 0; k < LOOP_STEPS; k++) {
        for (int i = 0; i < n; i++)
            one[i] = ws[i].step_ms[k];
        report(names[k], one, n);
    }
    free(one);
    printf("errors=%d results_differing_from_serial=%d (serial: %s)\n", errors + ws[n].errors, differ, ws[n].result);
    free(loop);
    free(steps);
    free(ws);
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
    int workers = getenv("TENANTS_WORKERS") ? atoi(getenv("TENANTS_WORKERS")) : 256;
    if (workers > 0 && workers <= MAX_WORKERS)
        parallel_goal(workers);
    curl_easy_cleanup(c);
    refold_mock_stop(m);
    return 0;
}
