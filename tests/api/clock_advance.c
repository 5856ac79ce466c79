/* clock_advance.c: API tests for big clock advances: one that would start more scheduled runs
 * than the limit is refused up front and changes nothing; one within it does all that falls due
 * (every run, none left RUNNING past its end, the schedule armed after the new now); and one
 * tenant's long advance does not hold up another tenant's requests. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define S "/api/v1/workflow/public/scheduled"
#define LA "user_12345"
#define SYNC_CONTACTS "69ae87a592145348d38f4ef9" /* hubspot's public "Sync new contacts" */

/* A per-minute schedule for LA under key; its id into id. */
static void every_minute(refold_mock *m, const char *key, char id[32])
{
    char kh[160];
    snprintf(kh, sizeof kh, "x-api-key: %s", key);
    const char *hs[] = {kh, "linked_account_id: " LA, "slug: hubspot", "workflow_id_alias: " SYNC_CONTACTS, NULL};
    th_resp r = th_request(m, "POST", S, "{\"trigger_type\":\"cron\",\"regex\":\"* * * * *\",\"tz\":\"UTC\"}", hs);
    assert_int_equal(r.status, 200);
    snprintf(id, 32, "%s", th_str(r.json, "_id"));
    th_free(&r);
}

static cJSON *schedule(refold_mock *m, const char *key, const char *id)
{
    th_resp r = th_key(m, "GET", S "?limit=100", key, LA, NULL);
    assert_int_equal(r.status, 200);
    cJSON *found = cJSON_Duplicate(th_find(cJSON_GetObjectItem(r.json, "docs"), "_id", id), 1);
    th_free(&r);
    assert_non_null(found);
    return found;
}

static double now_ms(refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/__mock/clock", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    double v = cJSON_GetObjectItem(r.json, "now_ms")->valuedouble;
    th_free(&r);
    return v;
}

static int executions(refold_mock *m, const char *key, const char *query)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v2/public/execution?limit=1%s", query);
    th_resp r = th_key(m, "GET", path, key, LA, NULL);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetObjectItem(r.json, "totalDocs")->valueint;
    th_free(&r);
    return n;
}

static th_resp advance(refold_mock *m, const char *key, double seconds)
{
    char body[64];
    snprintf(body, sizeof body, "{\"seconds\":%.0f}", seconds);
    return th_key(m, "POST", "/__mock/clock/advance", key, NULL, body);
}

static void over_the_limit_is_refused_and_changes_nothing(void **state)
{
    refold_mock *m = *state;
    char id[32];
    every_minute(m, "tk_acme_test", id);
    double t0 = now_ms(m, "tk_acme_test");
    /* 7 days of a per-minute schedule: 10,080 runs, over the 10,000 of one advance */
    th_resp r = advance(m, "tk_acme_test", 7 * 86400);
    assert_int_equal(r.status, 400);
    assert_string_equal(th_assert_error(&r, 400), "ADVANCE_TOO_LARGE");
    assert_non_null(strstr(th_str(r.json, "message"), "10000"));
    th_free(&r);
    assert_true(now_ms(m, "tk_acme_test") == t0);
    cJSON *s = schedule(m, "tk_acme_test", id);
    assert_int_equal(cJSON_GetObjectItem(s, "run_count")->valueint, 0);
    cJSON_Delete(s);
    assert_int_equal(executions(m, "tk_acme_test", ""), 0);
    /* the same without a key (every tenant's clock): refused too, nothing moved */
    r = th_request(m, "POST", "/__mock/clock/advance", "{\"seconds\":700000}", NULL);
    assert_int_equal(r.status, 400);
    th_free(&r);
    assert_true(now_ms(m, "tk_acme_test") == t0);
    assert_int_equal(executions(m, "tk_acme_test", ""), 0);
}

static void within_the_limit_does_all_that_falls_due(void **state)
{
    refold_mock *m = *state;
    char id[32];
    every_minute(m, "tk_acme_test", id);
    double t0 = now_ms(m, "tk_acme_test");
    th_resp r = advance(m, "tk_acme_test", 86400);
    assert_int_equal(r.status, 200);
    th_free(&r);
    double t1 = now_ms(m, "tk_acme_test");
    assert_true(t1 == t0 + 86400000.0);
    cJSON *s = schedule(m, "tk_acme_test", id);
    assert_int_equal(cJSON_GetObjectItem(s, "run_count")->valueint, 1440);
    char next[32];
    snprintf(next, sizeof next, "%s", th_str(s, "next_run_at"));
    cJSON_Delete(s);
    assert_int_equal(executions(m, "tk_acme_test", ""), 1440);
    /* every run has ended but one that started in the last minute */
    assert_true(executions(m, "tk_acme_test", "&status=RUNNING") <= 1);
    th_resp c = th_key(m, "GET", "/__mock/clock", "tk_acme_test", NULL, NULL);
    assert_true(strcmp(next, th_str(c.json, "now")) > 0); /* armed after the new now */
    th_free(&c);
}

struct long_advance {
    refold_mock *m;
    const char *key;
    int done;
    long status;
};

static void *run_advance(void *arg)
{
    struct long_advance *a = arg;
    /* 1,440 runs: half a second of work or so (five under ThreadSanitizer, more under valgrind),
     * against a few ms for the other tenant's requests (two days, as before, cost twice that under
     * the checkers and show nothing more) */
    th_resp r = advance(a->m, a->key, 86400);
    a->status = r.status;
    th_free(&r);
    __atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void one_tenants_advance_does_not_hold_up_another(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_request(m, "POST", "/__mock/tenants", "{\"org\":\"Acme\",\"environment\":\"test\"}", NULL);
    assert_int_equal(r.status, 200);
    char key[128], id[32];
    snprintf(key, sizeof key, "%s", th_str(r.json, "api_key"));
    th_free(&r);
    th_create_la(m, key, LA, "Busy worker");
    every_minute(m, key, id);
    double t0 = now_ms(m, key);
    struct long_advance a = {m, key, 0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_advance, &a), 0);
    while (now_ms(m, key) == t0 && !__atomic_load_n(&a.done, __ATOMIC_ACQUIRE))
        ; /* until the advance has begun (its clock has moved) */
    /* another tenant reads and writes meanwhile, and is answered while the advance is still
     * under way: its clock has not reached the target yet (while one advance held the store, the
     * other tenant's request waited for all of it) */
    th_resp other = th_key(m, "GET", "/api/v2/public/linked-account?limit=1", "tk_acme_test", NULL, NULL);
    assert_int_equal(other.status, 200);
    th_free(&other);
    th_create_la(m, "tk_acme_test", "user_other", "Another worker's customer");
    double mid = now_ms(m, key);
    assert_true(mid < t0 + 86400000.0);
    pthread_join(th, NULL);
    assert_int_equal(a.status, 200);
    cJSON *s = schedule(m, key, id);
    assert_int_equal(cJSON_GetObjectItem(s, "run_count")->valueint, 1440);
    cJSON_Delete(s);
    assert_true(now_ms(m, key) == t0 + 86400000.0);
    assert_true(now_ms(m, "tk_acme_test") < t0 + 3600000.0); /* the other tenant's clock stayed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(over_the_limit_is_refused_and_changes_nothing, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(within_the_limit_does_all_that_falls_due, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(one_tenants_advance_does_not_hold_up_another, th_setup_la, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
