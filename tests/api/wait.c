/* wait.c: wait_ms and count on /__mock/requests, /__mock/requests/count and
 * /__mock/webhooks/deliveries: the call returns when the awaited entries exist (not after the
 * full wait), 408 naming what never came, bad values refused, the C API's
 * refold_mock_wait_deliveries/_requests, a stop that does not hang on a waiting request, and the
 * cap on requests waiting at once. */
#include "harness.h"
#include "raw.h"
#include "receiver.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ACME "tk_acme_test"

static long long now_ms(void) { return rcv_now_us() / 1000; }

/* Until at least n requests hold a worker with wait_ms (health's "waiting"): a bounded poll, as
 * the mock has no event to tell a client that another one started waiting. */
static void await_waiting(refold_mock *m, int n)
{
    long long t0 = now_ms();
    th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    while (cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")) < n && now_ms() - t0 < 25000) {
        th_free(&r);
        rcv_sleep_ms(5);
        r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    }
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")) >= n);
    th_free(&r);
}

/* A GET from another thread, without cmocka asserts (they cannot fail off the main thread). */
struct bg {
    refold_mock *m;
    int port;
    const char *method, *path, *body;
    int delay_ms;
    long status;
};

static void *bg_request(void *arg)
{
    struct bg *b = arg;
    /* (only c_api_waits_for_requests delays: the C API's wait shows in no counter to await) */
    rcv_sleep_ms(b->delay_ms);
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", b->port, b->path);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "x-api-key: " ACME);
    h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, b->method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (b->body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, b->body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 40L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fwrite);
    FILE *sink = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    b->status = curl_easy_perform(c) == CURLE_OK ? 0 : -1;
    if (b->status == 0)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &b->status);
    fclose(sink);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static void requests_wait_wakes_on_arrival(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "w_1", "W1");
    struct bg waiter = {m, refold_mock_port(m), "GET", "/__mock/requests/count?operation=createLinkedAccount&count=2&wait_ms=20000",
                        NULL, 0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, bg_request, &waiter), 0);
    await_waiting(m, 1); /* it waits: one create is not the two it asked for */
    th_create_la(m, ACME, "w_2", "W2");
    long long t0 = now_ms();
    pthread_join(th, NULL);
    assert_int_equal(waiter.status, 200); /* (408 had the count not been reached) */
    assert_true(now_ms() - t0 < 10000);   /* it returned when the second came, not at wait_ms */
    th_resp r = th_key(m, "GET", "/__mock/requests/count?operation=createLinkedAccount", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "count")->valueint, 2);
    th_free(&r);

    /* already there: the list answers at once with the entries */
    t0 = now_ms();
    r = th_key(m, "GET", "/__mock/requests?operation=createLinkedAccount&count=2&wait_ms=20000", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    th_free(&r);
    assert_true(now_ms() - t0 < 5000);
    refold_mock_stop(m);
}

static void requests_wait_times_out_with_408(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "w_1", "W1");
    const char *paths[] = {"/__mock/requests?method=DELETE&wait_ms=200",
                           "/__mock/requests/count?method=DELETE&path=/api/v2/public/*&count=3&wait_ms=200"};
    for (int i = 0; i < 2; i++) {
        long long t0 = now_ms();
        th_resp r = th_key(m, "GET", paths[i], ACME, NULL, NULL);
        long long took = now_ms() - t0;
        th_assert_error(&r, 408);
        const char *msg = th_str(r.json, "message");
        assert_non_null(strstr(msg, "method=DELETE"));
        assert_non_null(strstr(msg, "0 matched"));
        assert_non_null(strstr(msg, i ? "for 3 requests" : "for 1 requests"));
        th_free(&r);
        assert_true(took >= 190);
    }
    /* wait_ms=0 checks once */
    th_resp r = th_key(m, "GET", "/__mock/requests/count?method=POST&wait_ms=0", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
}

static void bad_wait_values_are_refused(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    const char *bases[] = {"/__mock/requests", "/__mock/requests/count", "/__mock/webhooks/deliveries"};
    const char *bad[] = {"wait_ms=30001", "wait_ms=-1", "wait_ms=soon", "wait_ms=10&count=0", "wait_ms=10&count=x"};
    for (size_t b = 0; b < 3; b++)
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            char path[256];
            snprintf(path, sizeof path, "%s?%s", bases[b], bad[i]);
            long long t0 = now_ms();
            th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
            th_assert_error(&r, 400);
            th_free(&r);
            assert_true(now_ms() - t0 < 1000); /* refused before any wait */
        }
    refold_mock_stop(m);
}

static void connect_twilio(refold_mock *m, const char *la)
{
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", ACME, la,
                       "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void deliveries_wait_for_the_webhook(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    rcv *rc = rcv_start(0);
    rcv_set_delay_ms(rc, 300); /* the receiver answers late: the wait must outlast it, and no more */
    char url[128];
    rcv_url(rc, "/hook", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Connection Expired\"]", NULL, 0);
    th_create_la(m, ACME, "w_user", "W");
    connect_twilio(m, "w_user");
    th_resp r = th_key(m, "POST", "/__mock/linked-accounts/w_user/connections/twilio/expire", ACME, NULL, "{\"reason\":\"revoked\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    long long t0 = now_ms();
    r = th_key(m, "GET", "/__mock/webhooks/deliveries?event=Connection%20Expired&status=delivered&count=1&wait_ms=20000", ACME,
               NULL, NULL);
    long long took = now_ms() - t0;
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "status"), "delivered");
    th_free(&r);
    assert_int_equal(rcv_count(rc), 1); /* the receiver has it: "delivered" means it arrived */
    assert_true(took >= 200 && took < 10000);

    /* never emitted: 408 naming the event */
    r = th_key(m, "GET", "/__mock/webhooks/deliveries?event=Connection%20Deleted&wait_ms=200", ACME, NULL, NULL);
    th_assert_error(&r, 408);
    assert_non_null(strstr(th_str(r.json, "message"), "webhook deliveries matching event=Connection Deleted"));
    th_free(&r);

    /* the C API: the same wait, the same answer */
    assert_int_equal(refold_mock_wait_deliveries(m, ACME, "Connection Expired", "w_user", "delivered", 1, 5000), 1);
    t0 = now_ms();
    assert_int_equal(refold_mock_wait_deliveries(m, ACME, "Connection Deleted", NULL, NULL, 1, 150), 0);
    assert_true(now_ms() - t0 >= 140);
    assert_int_equal(refold_mock_wait_deliveries(m, "tk_nobody", NULL, NULL, NULL, 1, 0), -1);
    assert_int_equal(refold_mock_wait_deliveries(m, "tk_globex_test", "Connection Expired", NULL, NULL, 1, 0), 0);
    refold_mock_stop(m);
    rcv_stop(rc);
}

static void c_api_waits_for_requests(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    struct bg later = {m, refold_mock_port(m), "POST", "/api/v2/public/linked-account",
                       "{\"linked_account_id\":\"c_1\",\"name\":\"C\"}", 200, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, bg_request, &later), 0);
    long long t0 = now_ms();
    assert_int_equal(refold_mock_wait_requests(m, ACME, "POST", "/api/v2/public/linked-account", 1, 20000), 1);
    long long took = now_ms() - t0;
    assert_true(took >= 150 && took < 10000);
    pthread_join(th, NULL);
    assert_int_equal(refold_mock_wait_requests(m, ACME, "DELETE", NULL, 1, 100), 0);
    assert_int_equal(refold_mock_wait_requests(m, "tk_globex_test", NULL, "/api/*", 1, 0), 0);
    assert_int_equal(refold_mock_wait_requests(m, "tk_nobody", NULL, NULL, 1, 0), -1);
    refold_mock_stop(m);
}

/* A request waiting 30 s must not hold the mock's stop for 30 s. */
static void stop_ends_waits(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    struct bg waiting = {m, refold_mock_port(m), "GET", "/__mock/requests/count?method=DELETE&wait_ms=30000", NULL, 0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, bg_request, &waiting), 0);
    await_waiting(m, 1);
    long long t0 = now_ms();
    refold_mock_stop(m);
    assert_true(now_ms() - t0 < 5000);
    pthread_join(th, NULL);
    /* the woken wait is answered 503 before CivetWeb stops (tests/api/shutdown.c) */
    assert_int_equal(waiting.status, 503);
}

/* Each waiting request holds a worker: past ADMIN_WAITERS_MAX (64) waiting at once, 429 at
 * once; the others still get their answer, and the places are given back. (Raw sockets from
 * this thread, not 64 client threads: under valgrind those took longer to start than a wait.) */
static void waiters_are_capped(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    enum { WAITERS = 64 };
    int fds[WAITERS];
    /* (keyless: the admin's waits count toward the cap of all only; a tenant's own cap is 16,
     * tests/api/tenant_admin_isolation.c) */
    const char *wait = "GET /__mock/requests/count?method=PATCH&wait_ms=30000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Connection: close\r\n\r\n";
    for (int i = 0; i < WAITERS; i++) {
        fds[i] = th_raw_connect(m);
        assert_int_equal(send(fds[i], wait, strlen(wait), MSG_NOSIGNAL), (ssize_t)strlen(wait));
    }
    /* until all 64 wait (health counts them), then a 65th: 429 at once, without waiting */
    await_waiting(m, WAITERS);
    th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")), WAITERS);
    th_free(&r);
    long long asked = now_ms();
    r = th_key(m, "GET", "/__mock/webhooks/deliveries?wait_ms=4000", ACME, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 429), "TOO_MANY_WAITERS");
    assert_true(now_ms() - asked < 3000);
    char retry[16];
    assert_true(th_header(&r, "Retry-After", retry, sizeof retry));
    th_free(&r);
    r = th_key(m, "GET", "/__mock/requests/count?method=PATCH", ACME, NULL, NULL); /* no wait_ms: served */
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* what they wait for: every one of the 64 is answered 200 */
    r = th_key(m, "PATCH", "/api/v2/public/tables/no_such_table", ACME, NULL, "{}"); /* (its 4xx is journaled too) */
    th_free(&r);
    for (int i = 0; i < WAITERS; i++) {
        r = th_raw_read(fds[i]);
        assert_int_equal(r.status, 200);
        th_free(&r);
        close(fds[i]);
    }
    r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")), 0);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/requests/count?method=DELETE&wait_ms=50", ACME, NULL, NULL);
    th_assert_error(&r, 408); /* a place is free again */
    th_free(&r);
    refold_mock_stop(m);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(requests_wait_wakes_on_arrival),
        cmocka_unit_test(requests_wait_times_out_with_408),
        cmocka_unit_test(bad_wait_values_are_refused),
        cmocka_unit_test(deliveries_wait_for_the_webhook),
        cmocka_unit_test(c_api_waits_for_requests),
        cmocka_unit_test(stop_ends_waits),
        cmocka_unit_test(waiters_are_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
