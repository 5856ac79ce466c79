/* tenants.c: ephemeral tenants: POST /__mock/tenants makes one (fresh key, the org's fixtures and
 * seed data), DELETE /__mock/tenants/{key} drops it with all its data; each tenant has its own
 * virtual clock; 8 workers in parallel, each in its own tenant moving its own clock and expiring
 * its own connection, get exactly what they get one after another. */
#include "flows_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 8

static char *new_tenant(refold_mock *m, const char *body)
{
    th_resp r = th_request(m, "POST", "/__mock/tenants", body, NULL);
    char *key = r.status == 200 && th_str(r.json, "api_key") ? strdup(th_str(r.json, "api_key")) : NULL;
    th_free(&r);
    return key;
}

static int la_count(refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account", key, NULL, NULL);
    const cJSON *list = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "docs");
    int n = r.status == 200 ? cJSON_GetArraySize(list) : -(int)r.status;
    th_free(&r);
    return n;
}

static void create_use_drop(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *key = new_tenant(m, "{\"org\":\"Acme\",\"environment\":\"test\"}");
    assert_non_null(key);
    assert_memory_equal(key, "tk_eph_", 7);
    /* the org's seed data is there, like in the fixtures' own tenant */
    assert_int_equal(la_count(m, key), la_count(m, ACME));
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", key, NULL, "{\"linked_account_id\":\"only-here\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/only-here", ACME, NULL, NULL);
    assert_int_equal(r.status, 404); /* not in the fixtures' Acme tenant */
    th_free(&r);
    r = th_request(m, "GET", "/__mock/tenants", NULL, NULL);
    const cJSON *mine = th_find(cJSON_GetObjectItem(r.json, "tenants"), "api_key", key);
    assert_non_null(mine);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(mine, "ephemeral")));
    assert_string_equal(th_str(mine, "org"), "Acme");
    th_free(&r);

    char path[200];
    snprintf(path, sizeof path, "/__mock/tenants/%s", key);
    r = th_request(m, "DELETE", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* the key is a secret like the fixtures' ones: masked in the journal (paths, bodies, headers) */
    r = th_request(m, "GET", "/__mock/requests", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "/__mock/tenants/"));
    assert_null(strstr(r.body, key));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account", key, NULL, NULL);
    th_assert_error(&r, 401); /* the key is gone */
    th_free(&r);
    r = th_request(m, "DELETE", path, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    /* recreated: a new key, and nothing of the dropped one's data */
    char *again = new_tenant(m, "{\"org\":\"acme\"}");
    assert_non_null(again);
    assert_string_not_equal(again, key);
    r = th_key(m, "GET", "/api/v2/public/linked-account/only-here", again, NULL, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);

    /* fixtures tenants stay; bad bodies change nothing */
    r = th_request(m, "DELETE", "/__mock/tenants/" ACME, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_request(m, "POST", "/__mock/tenants", "{\"org\":\"Nobody Inc\"}", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_request(m, "POST", "/__mock/tenants", "{\"org\":\"Acme\",\"environment\":\"staging\"}", NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_request(m, "POST", "/__mock/tenants", "{}", NULL);
    th_assert_error(&r, 400);
    th_free(&r);

    /* a full reset goes back to the fixtures: ephemeral tenants go too */
    th_admin_ok(m, "/__mock/reset", NULL);
    assert_int_equal(la_count(m, again), -401);
    free(key);
    free(again);
    refold_mock_stop(m);
}

struct worker {
    refold_mock *m;
    char result[1024];
};

static void note(struct worker *w, const char *step, th_resp *r, const char *field)
{
    const cJSON *v = field ? cJSON_GetObjectItem(r->json, field) : NULL;
    size_t n = strlen(w->result);
    snprintf(w->result + n, sizeof w->result - n, "%s=%ld%s%s;", step, r->status, v ? "/" : "",
             v ? (cJSON_IsTrue(v) ? "true" : "false") : "");
    th_free(r);
}

#define WORKDAY_KEY "/api/v2/public/linked-account/integration/save-key-credentials/workday"
#define WORKDAY_CREDS "{\"tenant_url\":\"https://wd5-impl.workday.com/acme\",\"username\":\"isu\",\"password\":\"pw\"}"
#define NINETY_DAYS_AND_A_SECOND "{\"seconds\":7776001}" /* Workday's credential_ttl is 90 days */

static void note_now(struct worker *w, refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/__mock/clock", key, NULL, NULL);
    size_t n = strlen(w->result);
    snprintf(w->result + n, sizeof w->result - n, "now=%s;", r.json && th_str(r.json, "now") ? th_str(r.json, "now") : "?");
    th_free(&r);
}

/* One test worker's life: its own tenant, a linked account, a Workday connection whose
 * credentials lapse when it moves its own clock 90 days on, a drop. No cmocka asserts here
 * (they cannot leave a thread): everything seen goes into result. */
static void *worker_main(void *arg)
{
    struct worker *w = arg;
    refold_mock *m = w->m;
    char *key = new_tenant(m, "{\"org\":\"Acme\"}");
    if (!key) {
        snprintf(w->result, sizeof w->result, "no tenant");
        return NULL;
    }
    note(w, "la", (th_resp[]){th_key(m, "POST", "/api/v2/public/linked-account", key, NULL, "{\"linked_account_id\":\"worker\"}")}, NULL);
    note(w, "connect", (th_resp[]){th_key(m, "PUT", WORKDAY_KEY, key, "worker", WORKDAY_CREDS)}, NULL);
    note(w, "app", (th_resp[]){th_key(m, "GET", "/api/v2/public/application/workday", key, "worker", NULL)}, "reauth_required");
    note_now(w, m, key);
    note(w, "advance", (th_resp[]){th_key(m, "POST", "/__mock/clock/advance", key, NULL, NINETY_DAYS_AND_A_SECOND)}, NULL);
    note_now(w, m, key);
    note(w, "after", (th_resp[]){th_key(m, "GET", "/api/v2/public/application/workday", key, "worker", NULL)}, "reauth_required");
    size_t n = strlen(w->result);
    snprintf(w->result + n, sizeof w->result - n, "accounts=%d;", la_count(m, key));
    char path[200];
    snprintf(path, sizeof path, "/__mock/tenants/%s", key);
    note(w, "drop", (th_resp[]){th_request(m, "DELETE", path, NULL, NULL)}, NULL);
    free(key);
    return NULL;
}

static void eight_parallel_workers_see_what_one_after_another_see(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.clock_start = "2026-01-01T00:00:00Z";
    refold_mock *m = th_start(&o);
    /* a bystander in the fixtures' Acme tenant, connected before the workers move their clocks */
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":\"bystander\"}");
    th_free(&r);
    r = th_key(m, "PUT", WORKDAY_KEY, ACME, "bystander", WORKDAY_CREDS);
    assert_int_equal(r.status, 200);
    th_free(&r);

    struct worker seq[WORKERS], par[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        seq[i] = (struct worker){m, ""};
        worker_main(&seq[i]);
    }
    pthread_t th[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        par[i] = (struct worker){m, ""};
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &par[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++)
        pthread_join(th[i], NULL);
    char expected[512];
    snprintf(expected, sizeof expected,
             "la=200;connect=200;app=200/false;now=2026-01-01T00:00:00.000Z;advance=200;now=2026-04-01T00:00:01.000Z;"
             "after=200/true;accounts=%d;drop=200;", la_count(m, ACME) - 1 /* the bystander */ + 1);
    for (int i = 0; i < WORKERS; i++) {
        assert_string_equal(seq[i].result, expected);
        assert_string_equal(par[i].result, seq[i].result);
    }
    /* sixteen 90-day advances later, the shared clock and the bystander's connection are untouched */
    r = th_request(m, "GET", "/__mock/clock", NULL, NULL);
    assert_string_equal(th_str(r.json, "now"), "2026-01-01T00:00:00.000Z");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/workday", ACME, "bystander", NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
    /* a tenant-less advance moves every clock: now the bystander's credentials lapse too */
    th_admin_ok(m, "/__mock/clock/advance", NINETY_DAYS_AND_A_SECOND);
    r = th_key(m, "GET", "/api/v2/public/application/workday", ACME, "bystander", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);
    refold_mock_stop(m);
}

/* A fixtures tenant's own clock survives a restart with a file database, like the shared one. */
static void own_clock_survives_restart(void **state)
{
    (void)state;
    char path[TH_DB_PATH_LEN];
    th_temp_db(path);
    refold_mock *m = th_start_db(path);
    th_resp r = th_key(m, "GET", "/__mock/clock", ACME, NULL, NULL);
    double start = cJSON_GetObjectItem(r.json, "now_ms")->valuedouble;
    th_free(&r);
    r = th_key(m, "POST", "/__mock/clock/advance", ACME, NULL, "{\"seconds\":3600}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
    m = th_start_db(path);
    r = th_key(m, "GET", "/__mock/clock", ACME, NULL, NULL);
    assert_true(cJSON_GetObjectItem(r.json, "now_ms")->valuedouble == start + 3600 * 1000.0);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/clock", GLOBEX, NULL, NULL);
    assert_true(cJSON_GetObjectItem(r.json, "now_ms")->valuedouble == start);
    th_free(&r);
    refold_mock_stop(m);
    th_remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_use_drop),
        cmocka_unit_test(eight_parallel_workers_see_what_one_after_another_see),
        cmocka_unit_test(own_clock_survives_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
