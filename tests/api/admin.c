/* admin.c: the /__mock admin API: reset per tenant and in full, the virtual clock, the request
 * journal, fixture seed data, and state kept across a restart with a file database. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long clock_ms(refold_mock *m)
{
    th_resp r = th_request(m, "GET", "/__mock/clock", NULL, NULL);
    assert_int_equal(r.status, 200);
    long long v = (long long)cJSON_GetObjectItem(r.json, "now_ms")->valuedouble;
    assert_string_equal(th_str(r.json, "mode"), "frozen");
    th_free(&r);
    return v;
}

static int exists(refold_mock *m, const char *key, const char *id)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v2/public/linked-account/%s", id);
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    int found = r.status == 200;
    th_free(&r);
    return found;
}

static void reset_one_tenant_or_all(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, "tk_acme_test", "acme_a", "A");
    th_create_la(m, "tk_globex_test", "globex_b", "B");
    th_resp r = th_key(m, "POST", "/__mock/reset", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "scope"), "tk_acme_test");
    th_free(&r);
    assert_false(exists(m, "tk_acme_test", "acme_a"));
    assert_true(exists(m, "tk_globex_test", "globex_b"));
    r = th_key(m, "POST", "/__mock/reset", "tk_unknown", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    assert_true(exists(m, "tk_globex_test", "globex_b"));
    th_admin_ok(m, "/__mock/reset", NULL);
    assert_false(exists(m, "tk_globex_test", "globex_b"));
    refold_mock_stop(m);
}

static void clock_is_frozen_and_advances_exactly(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    long long t0 = clock_ms(m);
    usleep(20000); /* kept: real time must pass to show that it does not move the clock */
    assert_true(clock_ms(m) == t0); /* frozen: wall time does not move it */
    th_admin_ok(m, "/__mock/clock/advance", "{\"seconds\":90.5}");
    assert_true(clock_ms(m) == t0 + 90500);
    th_resp r;
    const char *bad[] = {"{\"seconds\":-1}", "{\"seconds\":\"10\"}", "{}", "[]", "{\"seconds\":1e300}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r = th_request(m, "POST", "/__mock/clock/advance", bad[i], NULL);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    assert_true(clock_ms(m) == t0 + 90500);
    /* a full reset puts the clock back */
    r = th_request(m, "POST", "/__mock/reset", NULL, NULL);
    th_free(&r);
    assert_true(clock_ms(m) == t0);
    refold_mock_stop(m);
}

static void journal_records_requests_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, "tk_acme_test", "journal_user", "J");
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/nope", "tk_acme_test", NULL, NULL);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account", "tk_globex_test", NULL, NULL);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/requests", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    int creates = 0, misses = 0, globex = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, r.json) {
        if (!strcmp(th_str(e, "operation"), "createLinkedAccount") && cJSON_GetObjectItem(e, "status")->valueint == 200)
            creates++;
        if (!strcmp(th_str(e, "path"), "/api/v2/public/linked-account/nope") && cJSON_GetObjectItem(e, "status")->valueint == 404)
            misses++;
        if (!strcmp(th_str(e, "operation"), "listLinkedAccounts"))
            globex++;
    }
    assert_int_equal(creates, 1);
    assert_int_equal(misses, 1);
    assert_int_equal(globex, 0); /* another tenant's requests are not in this tenant's journal */
    th_free(&r);
    refold_mock_stop(m);
}

/* Seed data in orgs.json is there on start and comes back on reset. */
static void fixture_setup_is_seeded(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], cmd[1024];
    th_fixtures_copy(dir);
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; p=sys.argv[1]+'/orgs.json'; d=json.load(open(p)); "
             "d['orgs'][0]['environments']['test']['setup']={'linked_accounts':[{'linked_account_id':'seeded_co','name':'Seeded Co'}],"
             "'connections':[{'linked_account_id':'seeded_co','slug':'slack'}]}; json.dump(d,open(p,'w'))\" '%s'",
             dir);
    assert_int_equal(system(cmd), 0);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = dir;
    refold_mock *m = th_start(&o);
    assert_true(exists(m, "tk_acme_test", "seeded_co"));
    assert_false(exists(m, "pk_acme_live", "seeded_co"));
    th_resp r = th_key(m, "GET", "/api/v2/public/application/slack", "tk_acme_test", "seeded_co", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/linked-account/seeded_co", "tk_acme_test", NULL, NULL);
    th_free(&r);
    assert_false(exists(m, "tk_acme_test", "seeded_co"));
    r = th_key(m, "POST", "/__mock/reset", "tk_acme_test", NULL, NULL);
    th_free(&r);
    assert_true(exists(m, "tk_acme_test", "seeded_co"));
    refold_mock_stop(m);
    th_remove_dir(dir);
}

/* A file database keeps every change across a restart, and the seed is not applied again. */
static void file_database_survives_restart(void **state)
{
    (void)state;
    char path[TH_DB_PATH_LEN];
    th_temp_db(path);
    refold_mock *m = th_start_db(path);
    th_create_la(m, "tk_acme_test", "kept", "Kept");
    th_resp r = th_request(m, "POST", "/__mock/clock/advance", "{\"seconds\":3600}", NULL);
    th_free(&r);
    long long t = clock_ms(m);
    refold_mock_stop(m);
    m = th_start_db(path);
    assert_true(exists(m, "tk_acme_test", "kept"));
    assert_true(clock_ms(m) == t); /* virtual time goes on where it was */
    refold_mock_stop(m);
    th_remove_db(path);
}

/* Injected faults are state too: a restart with the same file finds them, with the count that
 * the answered requests left, and a reset still clears them. */
static void injected_faults_survive_restart(void **state)
{
    (void)state;
    char path[TH_DB_PATH_LEN];
    th_temp_db(path);
    refold_mock *m = th_start_db(path);
    const char *scenario =
        "{\"version\":1,\"name\":\"faults-kept\",\"api_key\":\"tk_acme_test\","
        "\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"kept-co\"}]},"
        "\"steps\":[{\"name\":\"throttle\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"fail_requests\","
        "\"method\":\"GET\",\"path\":\"/api/v2/public/linked-account/*\",\"status\":429,\"times\":3,"
        "\"retry_after\":7,\"body\":{\"error_code\":\"RATE_LIMITED\",\"message\":\"slow down\"}}]}]}";
    th_admin_ok(m, "/__mock/scenario", scenario);
    th_admin_ok(m, "/__mock/scenario/steps/throttle", NULL);
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/kept-co", "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 429), "RATE_LIMITED");
    th_free(&r);
    refold_mock_stop(m);

    m = th_start_db(path);
    for (int i = 0; i < 2; i++) { /* the two uses left */
        r = th_key(m, "GET", "/api/v2/public/linked-account/kept-co", "tk_acme_test", NULL, NULL);
        assert_string_equal(th_assert_error(&r, 429), "RATE_LIMITED");
        char v[16];
        assert_true(th_header(&r, "Retry-After", v, sizeof v));
        assert_string_equal(v, "7");
        th_free(&r);
    }
    r = th_key(m, "GET", "/api/v2/public/linked-account/kept-co", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);

    /* a reset clears them, and the next start does not bring them back */
    m = th_start_db(path);
    r = th_request(m, "POST", "/__mock/scenario/steps/throttle", NULL, NULL);
    th_free(&r);
    th_admin_ok(m, "/__mock/reset", NULL);
    th_create_la(m, "tk_acme_test", "kept-co", "Kept");
    refold_mock_stop(m);
    m = th_start_db(path);
    r = th_key(m, "GET", "/api/v2/public/linked-account/kept-co", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
    th_remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reset_one_tenant_or_all),
        cmocka_unit_test(clock_is_frozen_and_advances_exactly),
        cmocka_unit_test(journal_records_requests_per_tenant),
        cmocka_unit_test(fixture_setup_is_seeded),
        cmocka_unit_test(file_database_survives_restart),
        cmocka_unit_test(injected_faults_survive_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
