/* schedules.c: API tests for schedules: cron and interval triggers firing on the virtual clock
 * (once per due time), pause/resume, update, delete, date windows, time zones, bad input, isolation. */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define S "/api/v1/workflow/public/scheduled"
#define KEY "tk_acme_test"
#define SYNC_CONTACTS "69ae87a592145348d38f4ef9" /* hubspot's public "Sync new contacts" */

static int setup(void **state)
{
    th_setup_two_las(state);
    th_create_la(*state, "tk_globex_test", "user_12345", "Globex customer, same id");
    return 0;
}

static th_resp reg(refold_mock *m, const char *key, const char *la, const char *slug, const char *wf, const char *body)
{
    char kh[64], lh[64], sh[64], wh[64];
    const char *hs[6] = {0};
    int n = 0;
    snprintf(kh, sizeof kh, "x-api-key: %s", key);
    hs[n++] = kh;
    if (la) {
        snprintf(lh, sizeof lh, "linked_account_id: %s", la);
        hs[n++] = lh;
    }
    if (slug) {
        snprintf(sh, sizeof sh, "slug: %s", slug);
        hs[n++] = sh;
    }
    if (wf) {
        snprintf(wh, sizeof wh, "workflow_id_alias: %s", wf);
        hs[n++] = wh;
    }
    return th_request(m, "POST", S, body, hs);
}

static void register_ok(refold_mock *m, const char *body, char id[32])
{
    th_resp r = reg(m, KEY, "user_12345", "hubspot", SYNC_CONTACTS, body);
    if (r.status != 200)
        fprintf(stderr, "register: %s\n", r.body);
    assert_int_equal(r.status, 200);
    snprintf(id, 32, "%s", th_str(r.json, "_id"));
    th_free(&r);
}

/* The schedule as the listing shows it (caller deletes). */
static cJSON *listed(refold_mock *m, const char *id)
{
    th_resp r = th_key(m, "GET", S "?limit=100", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    cJSON *found = NULL;
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs"))
        if (!strcmp(th_str(d, "_id"), id))
            found = cJSON_Duplicate(d, 1);
    th_free(&r);
    return found;
}

static int runs(refold_mock *m, const char *id)
{
    cJSON *d = listed(m, id);
    assert_non_null(d);
    int n = cJSON_GetObjectItem(d, "run_count")->valueint;
    cJSON_Delete(d);
    return n;
}

/* Executions of user_12345 started by schedules, counted through the executions API. */
static int scheduled_executions(refold_mock *m)
{
    th_resp r = th_key(m, "GET", "/api/v2/public/execution?limit=1000", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    int n = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs"))
        n += th_str(d, "execution_source") && !strcmp(th_str(d, "execution_source"), "SCHEDULE");
    th_free(&r);
    return n;
}

static void hourly_cron_on_the_virtual_clock(void **state)
{
    refold_mock *m = *state;
    th_resp r = reg(m, KEY, "user_12345", "hubspot", SYNC_CONTACTS,
                    "{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\",\"tz\":\"UTC\",\"payload\":{\"sync_type\":\"full\"}}");
    assert_int_equal(r.status, 200);
    char id[32];
    snprintf(id, sizeof id, "%s", th_str(r.json, "_id"));
    assert_int_equal(strlen(id), 24);
    assert_string_equal(th_str(r.json, "workflow"), SYNC_CONTACTS);
    assert_string_equal(th_str(r.json, "cron_patten"), "0 * * * *");
    assert_string_equal(th_str(r.json, "status"), "running");
    assert_string_equal(th_str(r.json, "config_id"), "user_12345");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "inactive")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "registered_by_api")));
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "options"), "trigger_type"), "cron");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "payload"), "sync_type"), "full");
    /* the next run is the top of the next hour */
    long long now = refold_mock_now_ms(m), next = (now / 3600000 + 1) * 3600000;
    char want[32];
    time_t s = (time_t)(next / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    assert_string_equal(th_str(r.json, "next_run_at"), want);
    th_free(&r);
    assert_int_equal(runs(m, id), 0);

    /* an hour: once */
    refold_mock_advance_clock(m, 3600);
    assert_int_equal(runs(m, id), 1);
    assert_int_equal(scheduled_executions(m), 1);
    cJSON *d = listed(m, id);
    assert_string_equal(th_str(d, "last_run_at"), want);
    /* the listing expands the workflow */
    assert_string_equal(th_str(cJSON_GetObjectItem(d, "workflow"), "_id"), SYNC_CONTACTS);
    assert_string_equal(th_str(cJSON_GetObjectItem(d, "workflow"), "name"), "Sync new contacts");
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", th_str(d, "last_execution_id"));
    cJSON_Delete(d);
    r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "execution_source"), "SCHEDULE");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "payload"), "sync_type"), "full");
    th_free(&r);

    /* a day: 24 more, each at its own hour */
    refold_mock_advance_clock(m, 86400);
    assert_int_equal(runs(m, id), 25);
    assert_int_equal(scheduled_executions(m), 25);

    /* paused: nothing fires; resumed: it picks up from now */
    snprintf(path, sizeof path, S "/%s/pause", id);
    r = th_key(m, "PUT", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "paused");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "inactive")));
    th_free(&r);
    refold_mock_advance_clock(m, 3 * 3600);
    assert_int_equal(runs(m, id), 25);
    snprintf(path, sizeof path, S "/%s/resume", id);
    r = th_key(m, "PUT", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "running");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "inactive")));
    th_free(&r);
    refold_mock_advance_clock(m, 3600);
    assert_int_equal(runs(m, id), 26);

    /* every 15 minutes from now on */
    snprintf(path, sizeof path, S "/%s", id);
    r = th_key(m, "PUT", path, KEY, "user_12345", "{\"trigger_type\":\"cron\",\"regex\":\"*/15 * * * *\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "cron_patten"), "*/15 * * * *");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "payload"), "sync_type"), "full"); /* kept */
    th_free(&r);
    refold_mock_advance_clock(m, 3600);
    assert_int_equal(runs(m, id), 30);

    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Scheduled Job Deleted Successfully");
    th_free(&r);
    refold_mock_advance_clock(m, 3600);
    assert_int_equal(scheduled_executions(m), 30);
    assert_null(listed(m, id));
    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    assert_string_equal(th_assert_error(&r, 404), "RESOURCE_NOT_FOUND");
    th_free(&r);
}

static void interval_dates_and_windows(void **state)
{
    refold_mock *m = *state;
    /* two runs, tomorrow 09:00 and the day after 17:30 (UTC), each once */
    time_t s = (time_t)(refold_mock_now_ms(m) / 1000);
    struct tm a, b;
    time_t s1 = s + 86400, s2 = s + 2 * 86400;
    gmtime_r(&s1, &a);
    gmtime_r(&s2, &b);
    char body[512], id[32];
    snprintf(body, sizeof body,
             "{\"trigger_type\":\"interval\",\"tz\":\"UTC\",\"interval_dates\":["
             "{\"day\":%d,\"month\":%d,\"year\":%d,\"hour\":9,\"minute\":0},"
             "{\"day\":%d,\"month\":%d,\"year\":%d,\"hour\":17,\"minute\":30},"
             "{\"day\":1,\"month\":1,\"year\":2020,\"hour\":0,\"minute\":0}]}",
             a.tm_mday, a.tm_mon + 1, a.tm_year + 1900, b.tm_mday, b.tm_mon + 1, b.tm_year + 1900);
    register_ok(m, body, id);
    cJSON *d = listed(m, id);
    assert_string_equal(th_str(d, "trigger_type"), "interval");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "trigger_interval")), 3);
    cJSON_Delete(d);
    refold_mock_advance_clock(m, 4 * 86400);
    assert_int_equal(runs(m, id), 2); /* the date in the past never runs */
    d = listed(m, id);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "next_run_at")));
    cJSON_Delete(d);

    /* a cron schedule that may only start the day after tomorrow */
    char start[16], cron_id[32];
    time_t s3 = (time_t)(refold_mock_now_ms(m) / 1000) + 2 * 86400;
    struct tm c;
    gmtime_r(&s3, &c);
    strftime(start, sizeof start, "%Y-%m-%d", &c);
    snprintf(body, sizeof body, "{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\",\"startDate\":\"%s\",\"endDate\":\"%s\"}", start, start);
    register_ok(m, body, cron_id);
    refold_mock_advance_clock(m, 86400);
    assert_int_equal(runs(m, cron_id), 0);
    refold_mock_advance_clock(m, 3 * 86400); /* the window is one day: 24 runs, then none */
    assert_int_equal(runs(m, cron_id), 24);
}

static void time_zones(void **state)
{
    refold_mock *m = *state;
    char id[32];
    register_ok(m, "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * *\",\"tz\":\"America/New_York\"}", id);
    cJSON *d = listed(m, id);
    const char *next = th_str(d, "next_run_at");
    assert_non_null(next);
    /* 09:00 in New York is 13:00 or 14:00 UTC, depending on daylight saving time */
    assert_true(!strncmp(next + 11, "13:00:00", 8) || !strncmp(next + 11, "14:00:00", 8));
    assert_string_equal(th_str(cJSON_GetObjectItem(d, "options"), "tz"), "America/New_York");
    cJSON_Delete(d);
    register_ok(m, "{\"trigger_type\":\"cron\",\"regex\":\"30 9 * * *\",\"tz\":\"+05:30\"}", id);
    d = listed(m, id);
    assert_int_equal(strncmp(th_str(d, "next_run_at") + 11, "04:00:00", 8), 0);
    cJSON_Delete(d);
}

static void bad_input_and_isolation(void **state)
{
    refold_mock *m = *state;
    char id[32], path[128];
    register_ok(m, "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\"}", id);

    static const char *const bad[] = {
        "{}", "{\"trigger_type\":\"weekly\"}", "{\"trigger_type\":\"cron\"}", "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * *\"}",
        "{\"trigger_type\":\"cron\",\"regex\":\"61 * * * *\"}", "{\"trigger_type\":\"interval\"}",
        "{\"trigger_type\":\"interval\",\"interval_dates\":[]}",
        "{\"trigger_type\":\"interval\",\"interval_dates\":[{\"day\":31,\"month\":6,\"year\":2026}]}",
        "{\"trigger_type\":\"interval\",\"interval_dates\":[{\"day\":1,\"month\":7}]}",
        "{\"trigger_type\":\"interval\",\"interval_dates\":[{\"day\":1.5,\"month\":7,\"year\":2026}]}",
        "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\",\"tz\":\"Mars/Olympus_Mons\"}",
        "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\",\"startDate\":\"07/01/2026\"}",
        "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\",\"startDate\":\"2026-07-02\",\"endDate\":\"2026-07-01\"}",
        "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\",\"payload\":[1]}",
        "{\"trigger_type\":\"cron\",\"regex\":5}", "[]", "{\"trigger_type\":", NULL};
    for (int i = 0; bad[i]; i++) {
        th_resp r = reg(m, KEY, "user_12345", "hubspot", SYNC_CONTACTS, bad[i]);
        if (r.status != 400)
            fprintf(stderr, "case %d: %s -> %s\n", i, bad[i], r.body);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    const char *ok = "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\"}";
    th_resp r = reg(m, KEY, NULL, "hubspot", SYNC_CONTACTS, ok);
    th_assert_error(&r, 400); /* no linked account */
    th_free(&r);
    r = reg(m, KEY, "user_12345", "hubspot", NULL, ok);
    th_assert_error(&r, 400); /* no workflow */
    th_free(&r);
    r = reg(m, KEY, "user_12345", "hubspot", "000000000000000000000000", ok);
    th_assert_error(&r, 404);
    th_free(&r);
    r = reg(m, KEY, "user_12345", "slack", SYNC_CONTACTS, ok);
    th_assert_error(&r, 400); /* the workflow is HubSpot's */
    th_free(&r);
    r = reg(m, KEY, "user_12345", "nosuchapp", SYNC_CONTACTS, ok);
    th_assert_error(&r, 404);
    th_free(&r);
    r = reg(m, KEY, "ghost", "hubspot", SYNC_CONTACTS, ok);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", S, KEY, "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1); /* nothing more was registered */
    th_free(&r);

    /* update: invalid changes leave it as it was */
    snprintf(path, sizeof path, S "/%s", id);
    r = th_key(m, "PUT", path, KEY, "user_12345", "{\"regex\":\"every monday\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PUT", path, KEY, "user_12345", "{\"trigger_type\":\"interval\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    cJSON *d = listed(m, id);
    assert_string_equal(th_str(d, "cron_patten"), "0 9 * * 1");
    assert_string_equal(th_str(d, "trigger_type"), "cron");
    cJSON_Delete(d);

    /* another linked account, another tenant (with a linked account of the same id), unknown ids */
    static const char *const suffix[] = {"", "/pause", "/resume"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, S "/%s%s", id, suffix[i]);
        r = th_key(m, "PUT", path, KEY, "user_67890", "{}");
        th_assert_error(&r, 404);
        th_free(&r);
        r = th_key(m, "PUT", path, "tk_globex_test", "user_12345", "{}");
        th_assert_error(&r, 404);
        th_free(&r);
        snprintf(path, sizeof path, S "/000000000000000000000000%s", suffix[i]);
        r = th_key(m, "PUT", path, KEY, "user_12345", "{}");
        th_assert_error(&r, 404);
        th_free(&r);
    }
    snprintf(path, sizeof path, S "/%s", id);
    r = th_key(m, "DELETE", path, "tk_globex_test", "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", S, KEY, "user_67890", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = th_key(m, "GET", S, "tk_globex_test", "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    /* the key alone (the v2 reference's examples): the environment's schedules, by id */
    r = th_key(m, "GET", S, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
    r = th_key(m, "GET", S, "tk_globex_test", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, S "/%s%s", id, suffix[i]);
        r = th_key(m, "PUT", path, "tk_globex_test", NULL, "{}");
        th_assert_error(&r, 404);
        th_free(&r);
    }
    snprintf(path, sizeof path, S "/%s/pause", id);
    r = th_key(m, "PUT", path, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "paused");
    th_free(&r);
    d = listed(m, id);
    assert_string_equal(th_str(d, "status"), "paused");
    cJSON_Delete(d);
    snprintf(path, sizeof path, S "/%s/resume", id);
    r = th_key(m, "PUT", path, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "POST", S, KEY, NULL, "{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\"}");
    th_assert_error(&r, 400); /* registering still names the linked account */
    th_free(&r);
    r = th_key(m, "GET", S, NULL, "user_12345", NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    d = listed(m, id);
    assert_string_equal(th_str(d, "status"), "running");
    cJSON_Delete(d);
}

/* A schedule whose linked account is deleted goes with it at its next due time. */
static void linked_account_deleted(void **state)
{
    refold_mock *m = *state;
    char id[32];
    register_ok(m, "{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\"}", id);
    th_resp r = th_key(m, "DELETE", "/api/v2/public/linked-account/user_12345", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_advance_clock(m, 7200);
    th_create_la(m, KEY, "user_12345", "Acme customer again");
    r = th_key(m, "GET", S, KEY, "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hourly_cron_on_the_virtual_clock, setup, th_teardown),
        cmocka_unit_test_setup_teardown(interval_dates_and_windows, setup, th_teardown),
        cmocka_unit_test_setup_teardown(time_zones, setup, th_teardown),
        cmocka_unit_test_setup_teardown(bad_input_and_isolation, setup, th_teardown),
        cmocka_unit_test_setup_teardown(linked_account_deleted, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
