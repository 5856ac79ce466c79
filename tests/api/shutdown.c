/* shutdown.c: API tests for stopping the mock (refold_mock_stop, what SIGTERM runs) while
 * requests are in flight: a write in flight is committed and answered (a client that retried an
 * unanswered write applied it twice), a wait_ms waiter gets 503, and a long clock advance is cut
 * short and answered 503 instead of keeping the process alive. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"
#define LA "/api/v2/public/linked-account"

struct call {
    refold_mock *m;
    const char *method, *path, *body;
    const char *const *headers;
    long status;
    char error_code[64];
};

static void *run(void *arg)
{
    struct call *c = arg;
    th_resp r = th_request(c->m, c->method, c->path, c->body, c->headers);
    c->status = r.status;
    snprintf(c->error_code, sizeof c->error_code, "%s", r.json && th_str(r.json, "error_code") ? th_str(r.json, "error_code") : "");
    th_free(&r);
    return NULL;
}

/* Waits (real time: another thread's request reaching the server) until /__mock/health counts
 * field at least (at_most 0: at most) n (the health request itself is in flight too). */
static void wait_health_at(refold_mock *m, const char *field, int n, int at_most)
{
    for (int i = 0; i < 20000; i++) {
        th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
        const cJSON *v = r.json ? cJSON_GetObjectItem(r.json, field) : NULL;
        int have = cJSON_IsNumber(v) ? v->valueint : -1;
        th_free(&r);
        if (have >= 0 && (at_most ? have <= n : have >= n))
            return;
        struct timespec ts = {0, 1000000L}; /* a bounded poll: health's counters have no event */
        nanosleep(&ts, NULL);
    }
    fail_msg("health never counted %d %s", n, field);
}

static void wait_health(refold_mock *m, const char *field, int n) { wait_health_at(m, field, n, 0); }

/* Quiet first: a request answered a moment ago may still be finishing in its worker. */
static void wait_quiet(refold_mock *m) { wait_health_at(m, "in_flight", 1, 1); }

static void write_in_flight_is_answered(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN];
    th_temp_db(db);
    refold_mock *m = th_start_db(db);
    /* the next create is held 1 s (real time) inside the server: it is in flight when the stop comes */
    th_resp r = th_request(m, "POST", "/__mock/scenario",
                           "{\"name\":\"hold\",\"steps\":[{\"name\":\"hold\",\"when\":{\"manual\":true},\"do\":[{\"action\":"
                           "\"delay_requests\",\"method\":\"POST\",\"path\":\"" LA "\",\"ms\":1000,\"times\":1}]}]}",
                           NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(m, "POST", "/__mock/scenario/steps/hold", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    const char *hs[] = {"x-api-key: " ACME, "Content-Type: application/json", NULL};
    struct call c = {m, "POST", LA, "{\"linked_account_id\":\"in_flight\",\"name\":\"In flight\"}", hs, 0, ""};
    wait_quiet(m);
    pthread_t th;
    pthread_create(&th, NULL, run, &c);
    wait_health(m, "in_flight", 2);
    refold_mock_stop(m);
    pthread_join(th, NULL);
    if (c.status != 200)
        fprintf(stderr, "the write in flight got %ld %s\n", c.status, c.error_code);
    assert_int_equal(c.status, 200); /* before: no answer at all, the account created all the same */
    m = th_start_db(db);
    r = th_key(m, "GET", LA "/in_flight", ACME, NULL, NULL);
    assert_int_equal(r.status, 200); /* and what it answered is what was kept */
    th_free(&r);
    refold_mock_stop(m);
    th_remove_db(db);
}

static void waiter_gets_503(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    const char *hs[] = {"x-api-key: " ACME, NULL};
    struct call c = {m, "GET", "/__mock/requests?path=/never&wait_ms=30000", NULL, hs, 0, ""};
    pthread_t th;
    pthread_create(&th, NULL, run, &c);
    wait_health(m, "waiting", 1);
    refold_mock_stop(m);
    pthread_join(th, NULL);
    if (c.status != 503)
        fprintf(stderr, "the waiter got %ld %s\n", c.status, c.error_code);
    assert_int_equal(c.status, 503);
    assert_string_equal(c.error_code, "SERVICE_UNAVAILABLE");
}

/* A 6-day advance with a per-minute schedule (8,640 runs, under the per-advance limit) runs for
 * seconds; the stop cuts it short between two steps and its client is told so. */
static void long_advance_is_cut_short(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "user_12345", "Acme Inc.");
    const char *reg[] = {"x-api-key: " ACME, "linked_account_id: user_12345", "slug: hubspot",
                         "workflow_id_alias: 69ae87a592145348d38f4ef9", "Content-Type: application/json", NULL};
    th_resp r = th_request(m, "POST", "/api/v1/workflow/public/scheduled", "{\"trigger_type\":\"cron\",\"regex\":\"* * * * *\"}", reg);
    if (r.status != 200)
        fprintf(stderr, "schedule: %s\n", r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    const char *hs[] = {"Content-Type: application/json", NULL};
    struct call c = {m, "POST", "/__mock/clock/advance", "{\"seconds\":518400}", hs, 0, ""};
    wait_quiet(m);
    pthread_t th;
    pthread_create(&th, NULL, run, &c);
    wait_health(m, "in_flight", 2);
    refold_mock_stop(m);
    pthread_join(th, NULL);
    if (c.status != 503)
        fprintf(stderr, "the advance got %ld %s\n", c.status, c.error_code);
    assert_int_equal(c.status, 503);
    assert_string_equal(c.error_code, "SERVICE_UNAVAILABLE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_in_flight_is_answered),
        cmocka_unit_test(waiter_gets_503),
        cmocka_unit_test(long_advance_is_cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
