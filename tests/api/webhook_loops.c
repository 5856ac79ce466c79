/* webhook_loops.c: API tests for webhooks that would feed the mock itself: every spelling of
 * the mock's own address is refused when subscribing (resolved addresses are compared, not
 * strings), a delivery of the mock's own that arrives back anyway is refused by its mark, and the
 * outbox keeps a bounded history per tenant. */
#include "harness.h"
#include "receiver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"
#define WH "/api/v2/public/webhook"
#define MIGRATE "/api/v2/public/migrate-token"
#define MIGRATE_BODY "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at\",\"refresh_token\":\"rt\",\"account_id\":\"1\"}}}"

static th_resp subscribe(refold_mock *m, const char *url)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Connection Created\"],\"webhook_type\":\"custom\",\"method\":\"PUT\","
             "\"webhook_headers\":{\"x-api-key\":\"" ACME "\",\"linked_account_id\":\"loop_la\",\"Content-Type\":\"application/json\"},"
             "\"webhook_body\":" MIGRATE_BODY "}",
             url);
    return th_key(m, "POST", WH, ACME, NULL, body);
}

/* The spellings that passed the check by name: the self-feeding loop ran at ~3,800 deliveries/s. */
static void every_spelling_of_the_mock_is_refused(void **state)
{
    refold_mock *m = *state;
    const char *spellings[] = {"0.0.0.0", "0", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "127.1", "2130706433", "0x7f000001",
                               "127.0.0.2", "[::]", "[0:0:0:0:0:0:0:1]", "LOCALHOST", NULL};
    for (int i = 0; spellings[i]; i++) {
        char url[256];
        snprintf(url, sizeof url, "http://%s:%d" MIGRATE, spellings[i], refold_mock_port(m));
        th_resp r = subscribe(m, url);
        if (r.status != 400)
            fprintf(stderr, "%s: %ld %s\n", url, r.status, r.body);
        th_assert_error(&r, 400);
        assert_non_null(strstr(th_str(r.json, "message"), "the mock itself"));
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", WH, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    /* another port on the same addresses is an ordinary receiver; so is an update to one, while
     * an update to the mock is refused */
    rcv *rc = rcv_start(0);
    char url[256], path[128];
    snprintf(url, sizeof url, "http://0.0.0.0:%d/hook", rcv_port(rc));
    r = subscribe(m, url);
    assert_int_equal(r.status, 200);
    snprintf(path, sizeof path, WH "/%s", th_str(r.json, "_id"));
    th_free(&r);
    char body[256];
    snprintf(body, sizeof body, "{\"webhook_url\":\"http://[::ffff:7f00:1]:%d/x\"}", refold_mock_port(m));
    r = th_key(m, "PUT", path, ACME, NULL, body);
    th_assert_error(&r, 400);
    th_free(&r);
    rcv_stop(rc);
}

/* A delivery carries the mock's mark; one that comes back to the mock (a name that resolved
 * elsewhere when subscribing, a proxy, a tunnel) is refused and changes nothing. */
static void own_delivery_arriving_back_is_refused(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    char url[256];
    rcv_url(rc, MIGRATE, url, sizeof url);
    th_resp r = subscribe(m, url);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_create_la(m, ACME, "loop_la", "Loop");
    r = th_key(m, "PUT", MIGRATE, ACME, "loop_la", MIGRATE_BODY);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(rcv_wait(rc, 1, 10000), 1);
    const rcv_req *q = rcv_get(rc, 0);
    char mark[128];
    assert_true(rcv_header(q, "Refold-Mock-Delivery", mark, sizeof mark));
    assert_true(strlen(mark) >= 16);
    /* the same request, as the receiver got it, sent to the mock */
    char mark_header[192];
    snprintf(mark_header, sizeof mark_header, "Refold-Mock-Delivery: %s", mark);
    const char *headers[] = {"x-api-key: " ACME, "linked_account_id: loop_la", "Content-Type: application/json", mark_header, NULL};
    r = th_request(m, "PUT", MIGRATE, q->body, headers);
    assert_string_equal(th_assert_error(&r, 508), "LOOP_DETECTED");
    th_free(&r);
    cJSON *d = rcv_deliveries(m, ACME, "event=Connection%20Created");
    assert_int_equal(cJSON_GetArraySize(d), 1); /* the refused request queued no further event */
    cJSON_Delete(d);
    /* another mock's mark (or none) is an ordinary request */
    const char *other[] = {"x-api-key: " ACME, "linked_account_id: loop_la", "Content-Type: application/json",
                           "Refold-Mock-Delivery: 0123456789abcdef0123", NULL};
    r = th_request(m, "PUT", MIGRATE, q->body, other);
    assert_int_equal(r.status, 200);
    th_free(&r);
    rcv_stop(rc);
}

/* Counts the tenant's outbox rows through the paged delivery list. */
static int outbox_rows(refold_mock *m)
{
    int total = 0;
    char query[128] = "limit=1000";
    for (;;) {
        char path[256];
        snprintf(path, sizeof path, "/__mock/webhooks/deliveries?%s", query);
        th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
        assert_int_equal(r.status, 200);
        total += cJSON_GetArraySize(r.json);
        char before[32];
        int more = th_header(&r, "X-Next-Before", before, sizeof before);
        th_free(&r);
        if (!more)
            return total;
        snprintf(query, sizeof query, "limit=1000&before=%s", before);
    }
}

/* Delivered and failed rows beyond the newest 2,000 of a tenant are removed (the loop above
 * left 30,890 rows in 8 s, never pruned). */
static void outbox_history_is_bounded(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    char url[256];
    rcv_url(rc, "/hook", url, sizeof url);
    for (int i = 0; i < 8; i++)
        rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "busy_la", "Busy");
    for (int i = 0; i < 300; i++) {
        th_resp r = th_key(m, "PUT", MIGRATE, ACME, "busy_la", MIGRATE_BODY);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    assert_int_equal(rcv_wait(rc, 2400, 60000), 2400);
    cJSON_Delete(rcv_settled(m, ACME, 20000));
    int rows = outbox_rows(m);
    if (rows > 2000 + 64)
        fprintf(stderr, "outbox rows: %d\n", rows);
    assert_true(rows >= 2000);
    assert_true(rows <= 2000 + 64); /* pruned every 64 finished deliveries */
    /* the newest are the ones kept */
    cJSON *d = rcv_deliveries(m, ACME, "limit=1");
    assert_int_equal(cJSON_GetArraySize(d), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(d, 0), "status"), "delivered");
    cJSON_Delete(d);
    /* another tenant's history is its own */
    d = rcv_deliveries(m, "tk_globex_test", "limit=10");
    assert_int_equal(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    rcv_stop(rc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_spelling_of_the_mock_is_refused, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(own_delivery_arriving_back_is_refused, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(outbox_history_is_bounded, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
