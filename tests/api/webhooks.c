/* webhooks.c: API tests for webhook subscriptions and delivery against a real loopback receiver:
 * CRUD and validation, payloads, the signature (checked with the openssl CLI), retries with
 * backoff, a receiver that is down or slow, restart with a file database, filters, tenants. */
#include "harness.h"
#include "receiver.h"
#include "engine/fixtures.h"
#include "base/store.h"
#include "engine/webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WH "/api/v2/public/webhook"
#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"

static refold_mock *start_with_backoff(int backoff_ms, const char *db)
{
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.webhook_backoff_ms = backoff_ms;
    if (db)
        o.db_path = db;
    return th_start(&o);
}

/* Connects twilio for la under key: one Connection Created. */
static void connect_twilio(refold_mock *m, const char *key, const char *la)
{
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", key, la,
                       "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static long long clock_ms(refold_mock *m)
{
    th_resp r = th_key(m, "GET", "/__mock/clock", NULL, NULL, NULL);
    long long v = (long long)cJSON_GetObjectItem(r.json, "now_ms")->valuedouble;
    th_free(&r);
    return v;
}

static int count_status(const cJSON *deliveries, const char *status)
{
    int n = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, deliveries) n += !strcmp(th_str(d, "status"), status);
    return n;
}

/* ---- subscriptions ---- */

static void subscription_crud(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_resp r = th_key(m, "POST", WH, ACME, NULL,
                       "{\"webhook_url\":\"https://your-app.com/webhooks\",\"webhook_events\":[\"Workflow Errored\",\"Connection Expired\"],"
                       "\"webhook_type\":\"default\"}");
    assert_int_equal(r.status, 200);
    char id[32];
    snprintf(id, sizeof id, "%s", th_str(r.json, "_id"));
    assert_int_equal(strlen(id), 24);
    assert_string_equal(th_str(r.json, "org_id"), "645270e37917442c4307297a");
    assert_string_equal(th_str(r.json, "environment"), "test");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "is_enabled")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "webhook_events")), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "workflow_ids")), 0);
    assert_string_equal(th_str(r.json, "webhook_url"), "https://your-app.com/webhooks");
    assert_string_equal(th_str(r.json, "webhook_body"), "{{event}}");
    assert_string_equal(th_str(r.json, "method"), "POST");
    assert_string_equal(th_str(r.json, "webhook_type"), "default");
    assert_non_null(th_str(r.json, "createdAt"));
    assert_int_equal(cJSON_GetObjectItem(r.json, "__v")->valueint, 0);
    th_free(&r);

    /* list and get */
    r = th_key(m, "GET", WH, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, WH "/%s", id);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "_id"), id);
    th_free(&r);

    /* update: only what is sent changes */
    refold_mock_advance_clock(m, 5);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"is_enabled\":false,\"webhook_events\":[\"Workflow Completed\"]}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "is_enabled")));
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "webhook_events"), 0)->valuestring, "Workflow Completed");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "webhook_events")), 1);
    assert_string_equal(th_str(r.json, "webhook_url"), "https://your-app.com/webhooks");
    assert_string_not_equal(th_str(r.json, "updatedAt"), th_str(r.json, "createdAt"));
    assert_int_equal(cJSON_GetObjectItem(r.json, "__v")->valueint, 1);
    th_free(&r);

    /* group edit: set, then clear */
    char body[256];
    snprintf(body, sizeof body, "{\"webhookIds\":[\"%s\"],\"group\":\"billing-webhooks\"}", id);
    r = th_key(m, "PUT", "/api/v2/public/webhooks/group/edit", ACME, NULL, body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "group"), "billing-webhooks");
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_string_equal(th_str(r.json, "group"), "billing-webhooks");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "is_enabled"))); /* untouched */
    th_free(&r);
    snprintf(body, sizeof body, "{\"webhookIds\":[\"%s\"],\"group\":\"\"}", id);
    r = th_key(m, "PUT", "/api/v2/public/webhooks/group/edit", ACME, NULL, body);
    assert_int_equal(r.status, 200);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "group"));
    th_free(&r);
    /* unknown id in a group edit: 400 "Webhook not found" (as on the page), nothing changes */
    snprintf(body, sizeof body, "{\"webhookIds\":[\"%s\",\"000000000000000000000000\"],\"group\":\"x\"}", id);
    r = th_key(m, "PUT", "/api/v2/public/webhooks/group/edit", ACME, NULL, body);
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_null(cJSON_GetObjectItem(r.json, "group"));
    th_free(&r);
    r = th_key(m, "PUT", "/api/v2/public/webhooks/group/edit", ACME, NULL, "{\"webhookIds\":[]}");
    th_assert_error(&r, 400);
    th_free(&r);

    /* a second one, then delete the first: the response is what remains */
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/other", "[\"Connection Created\"]", NULL, 0);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "webhook_url"), "http://127.0.0.1:9/other");
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);

    /* a session token registers for its tenant (the org and environment of its key) */
    th_create_la(m, ACME, "token_user", "Token");
    char token[2048];
    th_session_token(m, ACME, "token_user", token, sizeof token);
    r = th_bearer(m, "POST", WH, token, "{\"webhook_url\":\"https://your-app.com/t\",\"webhook_events\":[\"Connection Expired\"]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "environment"), "test");
    th_free(&r);
    r = th_key(m, "GET", WH, ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    th_free(&r);
    r = th_bearer(m, "GET", WH, token, NULL); /* listing takes the API key only */
    th_assert_error(&r, 401);
    th_free(&r);
    refold_mock_stop(m);
}

static void subscription_validation(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    static const char *const bad[] = {
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Exploded\"]}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[]}",
        "{\"webhook_url\":\"https://x.example/h\"}",
        "{\"webhook_events\":[\"Connection Created\"]}",
        "{\"webhook_url\":\"ftp://x.example/h\",\"webhook_events\":[\"Connection Created\"]}",
        "{\"webhook_url\":\"not a url\",\"webhook_events\":[\"Connection Created\"]}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"method\":\"GET\"}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"webhook_type\":\"teams\"}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"webhook_headers\":{\"X-A\":\"a\\r\\nX-B: b\"}}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"webhook_headers\":{\"Bad Name\":\"v\"}}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"slug\":\"hubspot\"}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Workflow Completed\"],\"slug\":\"no_such_app\"}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"is_enabled\":\"yes\"}",
        "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Connection Created\"],\"workflow_ids\":[1]}",
        "[1,2]",
        "{not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        th_resp r = th_key(m, "POST", WH, ACME, NULL, bad[i]);
        if (r.status != 400)
            fprintf(stderr, "case %zu: %s\n", i, bad[i]);
        const char *code = th_assert_error(&r, 400);
        if (i == 0)
            assert_string_equal(code, "INVALID_EVENT");
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", WH, ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 0); /* nothing was stored */
    th_free(&r);

    /* a slug subscription takes workflow events; an update cannot add connection events to it */
    r = th_key(m, "POST", WH, ACME, NULL,
               "{\"webhook_url\":\"https://x.example/h\",\"webhook_events\":[\"Workflow Completed\"],\"slug\":\"hubspot\"}");
    assert_int_equal(r.status, 200);
    char path[128];
    snprintf(path, sizeof path, WH "/%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"webhook_events\":[\"Connection Created\"]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"webhook_url\":\"gopher://x\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "webhook_events"), 0)->valuestring, "Workflow Completed");
    assert_string_equal(th_str(r.json, "webhook_url"), "https://x.example/h");
    th_free(&r);

    /* tenants: Globex sees none of Acme's subscriptions; Acme's production key neither */
    r = th_key(m, "GET", path, GLOBEX, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);
    r = th_key(m, "PUT", path, "pk_acme_live", NULL, "{\"is_enabled\":false}");
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);
    r = th_key(m, "DELETE", path, GLOBEX, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);
    r = th_key(m, "GET", WH, GLOBEX, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    r = th_key(m, "GET", WH, NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "is_enabled")));
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- delivery ---- */

static void delivery_payload_and_signature(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    rcv *rc = rcv_start(0);
    char url[128];
    rcv_url(rc, "/webhooks/refold", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "12345", "Acme Inc.");
    refold_mock_advance_clock(m, 42);
    long long now = clock_ms(m);
    connect_twilio(m, ACME, "12345");
    assert_int_equal(rcv_wait(rc, 1, 5000), 1);
    const rcv_req *q = rcv_get(rc, 0);
    assert_string_equal(q->method, "POST");
    assert_string_equal(q->path, "/webhooks/refold");
    char ct[64], sig[128];
    assert_true(rcv_header(q, "Content-Type", ct, sizeof ct));
    assert_string_equal(ct, "application/json");

    /* exactly the documented members, in the documented order */
    cJSON *p = cJSON_Parse(q->body);
    assert_non_null(p);
    static const char *const keys[] = {"linked_account_id", "org_id", "environment", "type", "event", "slug", "createdAt"};
    assert_int_equal(cJSON_GetArraySize(p), 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(cJSON_GetArrayItem(p, i)->string, keys[i]);
    assert_string_equal(th_str(p, "linked_account_id"), "12345");
    assert_string_equal(th_str(p, "org_id"), "645270e37917442c4307297a");
    assert_string_equal(th_str(p, "environment"), "test");
    assert_string_equal(th_str(p, "type"), "General");
    assert_string_equal(th_str(p, "event"), "Connection Created");
    assert_string_equal(th_str(p, "slug"), "twilio");
    char want[64];
    time_t s = (time_t)(now / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(want, sizeof want, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    assert_string_equal(th_str(p, "createdAt"), want); /* the virtual clock, RFC 1123 */
    cJSON_Delete(p);

    /* the signature: HMAC-SHA256 of the raw body keyed with the API key, as openssl computes it */
    assert_true(rcv_header(q, "x-cobalt-signature", sig, sizeof sig));
    char expect[65];
    assert_int_equal(rcv_openssl_hmac(ACME, q->body, q->len, expect), 0);
    assert_string_equal(sig, expect);
    char other[65];
    assert_int_equal(rcv_openssl_hmac(GLOBEX, q->body, q->len, other), 0);
    assert_string_not_equal(sig, other);

    /* the delivery log says the same */
    cJSON *d = rcv_settled(m, ACME, 5000);
    assert_int_equal(cJSON_GetArraySize(d), 1);
    const cJSON *e = cJSON_GetArrayItem(d, 0);
    assert_string_equal(th_str(e, "status"), "delivered");
    assert_string_equal(th_str(e, "event"), "Connection Created");
    assert_string_equal(th_str(e, "linked_account_id"), "12345");
    assert_string_equal(th_str(e, "url"), url);
    assert_string_equal(th_str(e, "signature"), sig);
    assert_string_equal(th_str(e, "body"), q->body);
    assert_string_equal(th_str(cJSON_GetObjectItem(e, "payload"), "slug"), "twilio");
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(e, "attempts"), 0);
    assert_int_equal(cJSON_GetObjectItem(a, "status_code")->valueint, 200);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(a, "latency_ms")));
    assert_non_null(th_str(a, "at"));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(a, "error")));
    cJSON_Delete(d);
    assert_int_equal(rcv_count(rc), 1);
    refold_mock_stop(m);
    rcv_stop(rc);
}

static void retries_with_backoff_then_delivered(void **state)
{
    (void)state;
    const int base = 60;
    refold_mock *m = start_with_backoff(base, NULL);
    rcv *rc = rcv_start(0);
    int script[] = {500, 503};
    rcv_script(rc, script, 2);
    char url[128];
    rcv_url(rc, "/hook", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "retry_user", "Retry");
    connect_twilio(m, ACME, "retry_user");
    assert_int_equal(rcv_wait(rc, 3, 10000), 3);
    const rcv_req *q0 = rcv_get(rc, 0), *q1 = rcv_get(rc, 1), *q2 = rcv_get(rc, 2);
    /* the same event, byte for byte, each time */
    assert_string_equal(q0->body, q1->body);
    assert_string_equal(q1->body, q2->body);
    long long gap1 = (q1->at_us - q0->at_us) / 1000, gap2 = (q2->at_us - q1->at_us) / 1000;
    fprintf(stderr, "retry gaps: %lld ms, %lld ms (base %d)\n", gap1, gap2, base);
    assert_true(gap1 >= base && gap1 < base + 1000);
    assert_true(gap2 >= 2 * base && gap2 < 2 * base + 1000);
    cJSON *d = rcv_settled(m, ACME, 5000);
    const cJSON *e = cJSON_GetArrayItem(d, 0);
    assert_string_equal(th_str(e, "status"), "delivered");
    assert_int_equal(cJSON_GetObjectItem(e, "attempt_count")->valueint, 3);
    const cJSON *at = cJSON_GetObjectItem(e, "attempts");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(at, 0), "status_code")->valueint, 500);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(at, 1), "status_code")->valueint, 503);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(at, 2), "status_code")->valueint, 200);
    assert_string_equal(th_str(cJSON_GetArrayItem(at, 0), "error"), "HTTP 500");
    cJSON_Delete(d);
    assert_int_equal(rcv_quiet(m, ACME, rc, 5000), 3); /* nothing after the 2xx */
    refold_mock_stop(m);
    rcv_stop(rc);
}

static void gives_up_after_three_retries(void **state)
{
    (void)state;
    const int base = 40;
    refold_mock *m = start_with_backoff(base, NULL);
    rcv *rc = rcv_start(0);
    rcv_set_status(rc, 500);
    char url[128];
    rcv_url(rc, "/always-500", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "fail_user", "Fail");
    connect_twilio(m, ACME, "fail_user");
    assert_int_equal(rcv_wait(rc, 4, 10000), 4);
    for (int i = 1; i < 4; i++) {
        long long gap = (rcv_get(rc, i)->at_us - rcv_get(rc, i - 1)->at_us) / 1000;
        if (gap < (long long)base << (i - 1))
            fail_msg("retry %d came %lld ms after the previous attempt; the backoff is %d ms", i, gap, base << (i - 1));
    }
    cJSON *d = rcv_settled(m, ACME, 5000);
    const cJSON *e = cJSON_GetArrayItem(d, 0);
    assert_string_equal(th_str(e, "status"), "failed");
    assert_int_equal(cJSON_GetObjectItem(e, "attempt_count")->valueint, 4);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(e, "attempts")), 4);
    cJSON_Delete(d);
    d = rcv_deliveries(m, ACME, "status=failed");
    assert_int_equal(cJSON_GetArraySize(d), 1);
    cJSON_Delete(d);
    assert_int_equal(rcv_quiet(m, ACME, rc, 5000), 4); /* 1 attempt + 3 retries, then no more */
    refold_mock_stop(m);
    rcv_stop(rc);
}

static void receiver_down_then_recovers(void **state)
{
    (void)state;
    refold_mock *m = start_with_backoff(250, NULL);
    int port = rcv_free_port();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/late", port);
    rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "down_user", "Down");
    connect_twilio(m, ACME, "down_user");
    /* the first attempt is refused */
    cJSON *d = NULL;
    for (int i = 0; i < 1000; i++) {
        d = rcv_deliveries(m, ACME, NULL);
        if (cJSON_GetObjectItem(cJSON_GetArrayItem(d, 0), "attempt_count")->valueint >= 1)
            break;
        cJSON_Delete(d);
        d = NULL;
        rcv_sleep_ms(5);
    }
    assert_non_null(d);
    const cJSON *e = cJSON_GetArrayItem(d, 0);
    assert_string_equal(th_str(e, "status"), "pending");
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(e, "attempts"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(a, "status_code")));
    assert_non_null(th_str(a, "error"));
    assert_non_null(th_str(e, "next_attempt_at"));
    cJSON_Delete(d);
    /* the receiver comes up and gets the event on a retry */
    rcv *rc = rcv_start(port);
    assert_non_null(rc);
    assert_int_equal(rcv_wait(rc, 1, 10000), 1);
    d = rcv_settled(m, ACME, 5000);
    e = cJSON_GetArrayItem(d, 0);
    assert_string_equal(th_str(e, "status"), "delivered");
    assert_true(cJSON_GetObjectItem(e, "attempt_count")->valueint >= 2);
    cJSON_Delete(d);
    refold_mock_stop(m);
    rcv_stop(rc);
}

/* A receiver that hangs past the timeout is retried; another subscriber does not wait for it. */
static void slow_receiver_times_out_without_blocking_others(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.webhook_backoff_ms = 50;
    o.webhook_timeout_ms = 300;
    refold_mock *m = th_start(&o);
    rcv *slow = rcv_start(0), *fast = rcv_start(0);
    rcv_set_delay_ms(slow, 3000);
    char su[128], fu[128];
    rcv_url(slow, "/slow", su, sizeof su);
    rcv_url(fast, "/fast", fu, sizeof fu);
    rcv_subscribe(m, ACME, su, "[\"Connection Created\"]", NULL, 0);
    rcv_subscribe(m, ACME, fu, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "slow_user", "Slow");
    long long t0 = rcv_now_us();
    connect_twilio(m, ACME, "slow_user");
    assert_int_equal(rcv_wait(fast, 1, 5000), 1);
    long long fast_ms = (rcv_get(fast, 0)->at_us - t0) / 1000;
    fprintf(stderr, "fast receiver got it after %lld ms while the slow one hangs\n", fast_ms);
    assert_true(fast_ms < 250); /* well before the slow one's 300 ms timeout */
    /* the slow one's first attempt times out and is retried */
    assert_true(rcv_wait(slow, 2, 5000) >= 2);
    rcv_set_delay_ms(slow, 0);
    cJSON *d = rcv_settled(m, ACME, 10000);
    const cJSON *e;
    int timed_out = 0;
    cJSON_ArrayForEach(e, d) {
        assert_string_equal(th_str(e, "status"), "delivered");
        const char *err = th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "attempts"), 0), "error");
        if (!strcmp(th_str(e, "url"), su)) {
            assert_non_null(err);
            timed_out = strstr(err, "imeout") || strstr(err, "imed out");
        }
    }
    assert_true(timed_out);
    cJSON_Delete(d);
    refold_mock_stop(m);
    rcv_stop(slow);
    rcv_stop(fast);
}

static void restart_resumes_pending_delivery(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN];
    th_temp_db(db);
    int port = rcv_free_port();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/resume", port);

    refold_mock *m = start_with_backoff(400, db);
    rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "resume_user", "Resume");
    connect_twilio(m, ACME, "resume_user");
    for (int i = 0; i < 1000; i++) { /* wait for the refused first attempt */
        cJSON *d = rcv_deliveries(m, ACME, NULL);
        int n = cJSON_GetObjectItem(cJSON_GetArrayItem(d, 0), "attempt_count")->valueint;
        cJSON_Delete(d);
        if (n >= 1)
            break;
        rcv_sleep_ms(5);
    }
    refold_mock_stop(m); /* stops with the delivery pending */

    rcv *rc = rcv_start(port);
    assert_non_null(rc);
    m = start_with_backoff(400, db);
    assert_int_equal(rcv_wait(rc, 1, 10000), 1);
    cJSON *p = cJSON_Parse(rcv_get(rc, 0)->body);
    assert_string_equal(th_str(p, "linked_account_id"), "resume_user");
    cJSON_Delete(p);
    cJSON *d = rcv_settled(m, ACME, 5000);
    assert_int_equal(cJSON_GetArraySize(d), 1);
    const cJSON *e = cJSON_GetArrayItem(d, 0);
    assert_string_equal(th_str(e, "status"), "delivered");
    assert_int_equal(cJSON_GetObjectItem(e, "attempt_count")->valueint, 2);
    cJSON_Delete(d);
    assert_int_equal(rcv_quiet(m, ACME, rc, 5000), 1); /* delivered once, not lost, not doubled */
    refold_mock_stop(m);
    rcv_stop(rc);
    th_remove_db(db);
}

/* ---- filters, tenants, custom webhooks, workflow events ---- */

static void filters_and_tenants(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    rcv *rc = rcv_start(0);
    char all[128], expired[128], off[128], globex[128];
    rcv_url(rc, "/all", all, sizeof all);
    rcv_url(rc, "/expired-only", expired, sizeof expired);
    rcv_url(rc, "/disabled", off, sizeof off);
    rcv_url(rc, "/globex", globex, sizeof globex);
    rcv_subscribe(m, ACME, all, "[\"Connection Created\",\"Connection Expired\",\"Connection Deleted\"]", NULL, 0);
    rcv_subscribe(m, ACME, expired, "[\"Connection Expired\"]", NULL, 0);
    char id[32], path[128];
    rcv_subscribe(m, ACME, off, "[\"Connection Created\"]", id, sizeof id);
    snprintf(path, sizeof path, WH "/%s", id);
    th_resp r = th_key(m, "PUT", path, ACME, NULL, "{\"is_enabled\":false}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    rcv_subscribe(m, GLOBEX, globex, "[\"Connection Created\",\"Connection Expired\"]", NULL, 0);

    th_create_la(m, ACME, "filter_user", "Filter");
    connect_twilio(m, ACME, "filter_user");
    r = th_key(m, "POST", "/__mock/linked-accounts/filter_user/connections/twilio/expire", ACME, NULL, "{\"reason\":\"revoked\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* all: Created + Expired; expired-only: Expired; disabled and Globex: nothing */
    assert_int_equal(rcv_wait(rc, 3, 5000), 3);
    cJSON *d = rcv_settled(m, ACME, 5000);
    assert_int_equal(cJSON_GetArraySize(d), 3);
    assert_int_equal(count_status(d, "delivered"), 3);
    cJSON_Delete(d);
    assert_int_equal(rcv_quiet(m, ACME, rc, 5000), 3);
    assert_int_equal(rcv_quiet(m, GLOBEX, rc, 5000), 3); /* Globex's subscription got nothing either */
    int to_all = 0, to_expired = 0;
    for (int i = 0; i < 3; i++) {
        const rcv_req *q = rcv_get(rc, i);
        cJSON *p = cJSON_Parse(q->body);
        if (!strcmp(q->path, "/all"))
            to_all++;
        else if (!strcmp(q->path, "/expired-only")) {
            to_expired++;
            assert_string_equal(th_str(p, "event"), "Connection Expired");
        } else
            fail_msg("delivered to %s", q->path);
        cJSON_Delete(p);
    }
    assert_int_equal(to_all, 2);
    assert_int_equal(to_expired, 1);
    d = rcv_deliveries(m, GLOBEX, NULL);
    assert_int_equal(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    /* the log's filters */
    d = rcv_deliveries(m, ACME, "event=Connection%20Expired");
    assert_int_equal(cJSON_GetArraySize(d), 2);
    cJSON_Delete(d);
    d = rcv_deliveries(m, ACME, "linked_account_id=nobody");
    assert_int_equal(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    r = th_key(m, "GET", "/__mock/webhooks/deliveries?status=lost", ACME, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    refold_mock_stop(m);
    rcv_stop(rc);
}

static void custom_webhook_headers_method_and_body(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    rcv *rc = rcv_start(0);
    char url[128], body[1024];
    rcv_url(rc, "/custom", url, sizeof url);
    snprintf(body, sizeof body,
             "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Connection Created\"],\"webhook_type\":\"custom\",\"method\":\"PUT\","
             "\"webhook_headers\":{\"Authorization\":\"Bearer downstream-token\",\"X-Team\":\"integrations\"},"
             "\"webhook_body\":{\"text\":\"{{event.slug}} connected for {{event.linked_account_id}}\",\"slug\":\"{{event.slug}}\","
             "\"original\":\"{{event}}\"}}",
             url);
    th_resp r = th_key(m, "POST", WH, ACME, NULL, body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "webhook_type"), "custom");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "webhook_headers"), "X-Team"), "integrations");
    th_free(&r);
    th_create_la(m, ACME, "custom_user", "Custom");
    connect_twilio(m, ACME, "custom_user");
    assert_int_equal(rcv_wait(rc, 1, 5000), 1);
    const rcv_req *q = rcv_get(rc, 0);
    assert_string_equal(q->method, "PUT");
    char h[128];
    assert_true(rcv_header(q, "Authorization", h, sizeof h));
    assert_string_equal(h, "Bearer downstream-token");
    assert_true(rcv_header(q, "X-Team", h, sizeof h));
    assert_string_equal(h, "integrations");
    cJSON *p = cJSON_Parse(q->body);
    assert_string_equal(th_str(p, "text"), "twilio connected for custom_user");
    assert_string_equal(th_str(p, "slug"), "twilio");
    assert_string_equal(th_str(cJSON_GetObjectItem(p, "original"), "event"), "Connection Created");
    cJSON_Delete(p);
    /* the signature covers the bytes actually sent */
    char sig[128], expect[65];
    assert_true(rcv_header(q, "x-cobalt-signature", sig, sizeof sig));
    assert_int_equal(rcv_openssl_hmac(ACME, q->body, q->len, expect), 0);
    assert_string_equal(sig, expect);
    refold_mock_stop(m);
    rcv_stop(rc);
}

/* The emitting function the workflow runner calls: the documented payload and the filters. */
static void workflow_events(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    rcv *rc = rcv_start(0);
    char any[128], one[128], slugged[128], body[512];
    rcv_url(rc, "/any", any, sizeof any);
    rcv_url(rc, "/one", one, sizeof one);
    rcv_url(rc, "/hubspot", slugged, sizeof slugged);
    rcv_subscribe(m, ACME, any, "[\"Workflow Completed\",\"Workflow Errored\"]", NULL, 0);
    snprintf(body, sizeof body,
             "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Workflow Errored\"],\"workflow_ids\":[\"6495792b9b6ca6d77a17e513\"]}", one);
    th_resp r = th_key(m, "POST", WH, ACME, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(body, sizeof body, "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Workflow Completed\"],\"slug\":\"hubspot\"}", slugged);
    r = th_key(m, "POST", WH, ACME, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);

    struct mock *mm = (struct mock *)m;
    const struct tenant *t = fixtures_tenant_by_key(mm->fx, ACME);
    store_begin(mm->store);
    webhooks_emit_workflow(mm, t, "12345", EV_WORKFLOW_COMPLETED, "656f30f69144bb8f183c0118", "6495792b9b6ca6d77a17e513", "12345",
                           "Export contact to HubSpot", "hubspot");
    webhooks_emit_workflow(mm, t, "12345", EV_WORKFLOW_ERRORED, "656f30f69144bb8f183c0119", "6495792b9b6ca6d77a17e513", NULL,
                           "Export contact to HubSpot", "hubspot");
    webhooks_emit_workflow(mm, t, "12345", EV_WORKFLOW_ERRORED, "656f30f69144bb8f183c0120", "other_workflow", NULL, "Other", "slack");
    store_commit(mm->store);
    /* any: 3; one: the errored run of its workflow; hubspot: the completed hubspot run */
    assert_int_equal(rcv_wait(rc, 5, 5000), 5);
    cJSON *d = rcv_settled(m, ACME, 5000);
    assert_int_equal(cJSON_GetArraySize(d), 5);
    cJSON_Delete(d);
    int n_any = 0, n_one = 0, n_hub = 0;
    for (int i = 0; i < 5; i++) {
        const rcv_req *q = rcv_get(rc, i);
        cJSON *p = cJSON_Parse(q->body);
        static const char *const keys[] = {"linked_account_id", "instance_id", "workflow_id", "config_id", "event", "workflow_name", "status"};
        assert_int_equal(cJSON_GetArraySize(p), 7);
        for (int k = 0; k < 7; k++)
            assert_string_equal(cJSON_GetArrayItem(p, k)->string, keys[k]);
        const char *ev = th_str(p, "event");
        assert_string_equal(th_str(p, "status"), !strcmp(ev, "Workflow Errored") ? "ERRORED" : "COMPLETED");
        if (!strcmp(q->path, "/any"))
            n_any++;
        if (!strcmp(q->path, "/one")) {
            n_one++;
            assert_string_equal(ev, "Workflow Errored");
            assert_string_equal(th_str(p, "workflow_id"), "6495792b9b6ca6d77a17e513");
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "config_id")));
        }
        if (!strcmp(q->path, "/hubspot")) {
            n_hub++;
            assert_string_equal(th_str(p, "instance_id"), "656f30f69144bb8f183c0118");
            assert_string_equal(th_str(p, "config_id"), "12345");
            assert_string_equal(th_str(p, "workflow_name"), "Export contact to HubSpot");
        }
        cJSON_Delete(p);
    }
    assert_int_equal(n_any, 3);
    assert_int_equal(n_one, 1);
    assert_int_equal(n_hub, 1);
    refold_mock_stop(m);
    rcv_stop(rc);
}

/* A rolled-back change queues nothing. */
static void rollback_emits_nothing(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/x", "[\"Workflow Completed\"]", NULL, 0);
    struct mock *mm = (struct mock *)m;
    const struct tenant *t = fixtures_tenant_by_key(mm->fx, ACME);
    store_begin(mm->store);
    webhooks_emit_workflow(mm, t, "12345", EV_WORKFLOW_COMPLETED, "i", "w", NULL, "n", NULL);
    store_rollback(mm->store);
    cJSON *d = rcv_deliveries(m, ACME, NULL);
    assert_int_equal(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    refold_mock_stop(m);
}

/* Deleting a linked account takes the webhooks its session tokens registered (subscriptions.c's
 * part of the cascade): a linked account created again under the same id hears nothing through
 * them. The org's webhook and another linked account's stay. */
static void deleting_linked_account_takes_its_webhooks(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "gone_user", "Gone");
    th_create_la(m, ACME, "kept_user", "Kept");
    char gone[2048], kept[2048], ids[3][32];
    th_session_token(m, ACME, "gone_user", gone, sizeof gone);
    th_session_token(m, ACME, "kept_user", kept, sizeof kept);
    const char *body = "{\"webhook_url\":\"https://your-app.com/h\",\"webhook_events\":[\"Connection Expired\"]}";
    th_resp r = th_key(m, "POST", WH, ACME, NULL, body);
    assert_int_equal(r.status, 200);
    snprintf(ids[0], sizeof ids[0], "%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_bearer(m, "POST", WH, gone, body);
    assert_int_equal(r.status, 200);
    snprintf(ids[1], sizeof ids[1], "%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_bearer(m, "POST", WH, kept, body);
    assert_int_equal(r.status, 200);
    snprintf(ids[2], sizeof ids[2], "%s", th_str(r.json, "_id"));
    th_free(&r);

    r = th_key(m, "DELETE", "/api/v2/public/linked-account/gone_user", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", WH, ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    assert_non_null(th_find(r.json, "_id", ids[0]));
    assert_null(th_find(r.json, "_id", ids[1]));
    assert_non_null(th_find(r.json, "_id", ids[2]));
    th_free(&r);
    char path[64];
    snprintf(path, sizeof path, WH "/%s", ids[1]);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
    th_free(&r);
    refold_mock_stop(m);
}

/* The deliveries log refuses an unknown event naming every event of the one list. */
static void deliveries_unknown_event_names_all(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_resp r = th_key(m, "GET", "/__mock/webhooks/deliveries?event=Coffee%20Brewed", ACME, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "BAD_REQUEST");
    const char *msg = th_str(r.json, "message");
    assert_non_null(strstr(msg, "Coffee Brewed"));
    for (const struct webhooks_event *e = webhooks_events; e->name; e++)
        assert_non_null(strstr(msg, e->name));
    th_free(&r);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subscription_crud),
        cmocka_unit_test(subscription_validation),
        cmocka_unit_test(delivery_payload_and_signature),
        cmocka_unit_test(retries_with_backoff_then_delivered),
        cmocka_unit_test(gives_up_after_three_retries),
        cmocka_unit_test(receiver_down_then_recovers),
        cmocka_unit_test(slow_receiver_times_out_without_blocking_others),
        cmocka_unit_test(restart_resumes_pending_delivery),
        cmocka_unit_test(filters_and_tenants),
        cmocka_unit_test(custom_webhook_headers_method_and_body),
        cmocka_unit_test(workflow_events),
        cmocka_unit_test(rollback_emits_nothing),
        cmocka_unit_test(deleting_linked_account_takes_its_webhooks),
        cmocka_unit_test(deliveries_unknown_event_names_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
