/* races.c: API tests for requests racing each other: a credential write racing the deletion of
 * its linked account answers 404 (never 500) and leaves no connection behind; reading the clock
 * while tenants reset and advance theirs (a data race ThreadSanitizer reported, run by
 * tests/tsan/run.sh) answers consistent views. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"
#define LA "/api/v2/public/linked-account"

struct racer {
    refold_mock *m;
    const char *la;
    int writer; /* 1: PUT migrate-token / save-key-credentials; 0: DELETE the account */
    int keybased;
    long status;
    char body[512];
};

static void *race(void *arg)
{
    struct racer *x = arg;
    th_resp r;
    if (!x->writer) {
        char path[128];
        snprintf(path, sizeof path, LA "/%s", x->la);
        r = th_key(x->m, "DELETE", path, ACME, NULL, NULL);
    } else if (x->keybased) {
        r = th_key(x->m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", ACME, x->la,
                   "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
    } else {
        r = th_key(x->m, "PUT", "/api/v2/public/migrate-token", ACME, x->la,
                   "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at\",\"refresh_token\":\"rt\","
                   "\"account_id\":\"1234567\"}}}");
    }
    x->status = r.status;
    snprintf(x->body, sizeof x->body, "%s", r.body ? r.body : "");
    th_free(&r);
    return NULL;
}

/* The existence check of the linked account ran outside the write's transaction: a DELETE in
 * between made the write fail with 500 "could not migrate the token". */
static void credential_write_racing_a_delete_is_404(void **state)
{
    refold_mock *m = *state;
    int seen404 = 0;
    for (int round = 0; round < 100; round++) {
        char la[32];
        snprintf(la, sizeof la, "race_%d", round);
        th_create_la(m, ACME, la, "Racer");
        struct racer w[3] = {{m, la, 1, 0, 0, ""}, {m, la, 1, 1, 0, ""}, {m, la, 0, 0, 0, ""}};
        pthread_t th[3];
        for (int k = 0; k < 3; k++) { /* the delete starts first every other round: each order is tried */
            int i = round % 2 ? 2 - k : k;
            pthread_create(&th[i], NULL, race, &w[i]);
        }
        for (int i = 0; i < 3; i++)
            pthread_join(th[i], NULL);
        assert_int_equal(w[2].status, 200);
        for (int i = 0; i < 2; i++) {
            if (w[i].status != 200 && w[i].status != 404)
                fprintf(stderr, "round %d: %s answered %ld: %s\n", round, i ? "save" : "migrate", w[i].status, w[i].body);
            assert_true(w[i].status == 200 || w[i].status == 404);
            if (w[i].status == 404) {
                seen404++;
                assert_non_null(strstr(w[i].body, "INVALID_LINKED_ACCOUNT_ID"));
            }
        }
        /* whatever won, the account took its connections with it: created again, it has none */
        th_create_la(m, ACME, la, "Racer again");
        char path[128];
        snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections", la);
        th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
        assert_int_equal(r.status, 200);
        if (cJSON_GetArraySize(r.json) != 0)
            fprintf(stderr, "round %d: connections outlived their account: %s\n", round, r.body);
        assert_int_equal(cJSON_GetArraySize(r.json), 0);
        th_free(&r);
    }
    assert_true(seen404 > 0); /* the race was run, not just the orderly cases */
}

struct clock_racer {
    refold_mock *m;
    int kind; /* 0 read, 1 reset the tenant, 2 advance the tenant */
    int bad;
};

static void *clock_race(void *arg)
{
    struct clock_racer *x = arg;
    const char *const key[] = {"x-api-key: " ACME, "Content-Type: application/json", NULL};
    for (int i = 0; i < 200; i++) {
        th_resp r;
        if (x->kind == 0)
            r = th_request(x->m, "GET", "/__mock/clock", NULL, key);
        else if (x->kind == 1)
            r = th_request(x->m, "POST", "/__mock/reset", "{}", key);
        else
            r = th_request(x->m, "POST", "/__mock/clock/advance", "{\"seconds\":60}", key);
        if (r.status != 200 || (x->kind != 1 && !cJSON_IsNumber(cJSON_GetObjectItem(r.json, "offset_ms"))))
            x->bad++;
        else if (x->kind != 1 && cJSON_GetObjectItem(r.json, "offset_ms")->valuedouble < 0)
            x->bad++;
        th_free(&r);
    }
    return NULL;
}

/* clock_view read a tenant's clock offset with a plain load while clock_reset_tenant and the
 * advance wrote it atomically from other workers (and the shared offset without its lock). */
static void clock_view_races_resets_and_advances(void **state)
{
    refold_mock *m = *state;
    struct clock_racer x[4] = {{m, 0, 0}, {m, 0, 0}, {m, 1, 0}, {m, 2, 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, clock_race, &x[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        assert_int_equal(x[i].bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(credential_write_racing_a_delete_is_404, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(clock_view_races_resets_and_advances, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
