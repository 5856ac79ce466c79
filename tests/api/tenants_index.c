/* tenants_index.c: API test of the key and id lookup of ephemeral tenants (an index since issue
 * 21): with hundreds of tenants made, some dropped and more made after the drops, every live key
 * reaches its own tenant only and every dropped key is refused. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define N 300

static void make(refold_mock *m, char key[128], char id[128])
{
    th_resp r = th_request(m, "POST", "/__mock/tenants", "{\"org\":\"Acme\",\"environment\":\"test\"}", NULL);
    assert_int_equal(r.status, 200);
    snprintf(key, 128, "%s", th_str(r.json, "api_key"));
    snprintf(id, 128, "%s", th_str(r.json, "id"));
    th_free(&r);
}

/* The tenant's own marker account is there, and nobody else's. */
static void reaches_only_itself(refold_mock *m, const char *key, int i)
{
    char la[32];
    snprintf(la, sizeof la, "marker_%d", i);
    char path[96];
    snprintf(path, sizeof path, "/api/v2/public/linked-account/%s", la);
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account?limit=1000", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    int markers = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs"))
        markers += !strncmp(th_str(d, "account_id"), "marker_", 7);
    assert_int_equal(markers, 1);
    th_free(&r);
}

static void many_tenants_made_and_dropped(void **state)
{
    refold_mock *m = *state;
    static char keys[2 * N][128], ids[2 * N][128];
    for (int i = 0; i < N; i++) {
        make(m, keys[i], ids[i]);
        char la[32];
        snprintf(la, sizeof la, "marker_%d", i);
        th_create_la(m, keys[i], la, "Marker");
    }
    /* drop every third: the index is rebuilt after each */
    for (int i = 0; i < N; i += 3) {
        char path[200];
        snprintf(path, sizeof path, "/__mock/tenants/%.127s", keys[i]);
        th_resp r = th_request(m, "DELETE", path, NULL, NULL);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    /* more after the drops (the index grows past its first sizes) */
    for (int i = N; i < 2 * N; i++) {
        make(m, keys[i], ids[i]);
        char la[32];
        snprintf(la, sizeof la, "marker_%d", i);
        th_create_la(m, keys[i], la, "Marker");
    }
    for (int i = 0; i < 2 * N; i++) {
        if (i < N && i % 3 == 0) {
            th_resp r = th_key(m, "GET", "/api/v2/public/linked-account?limit=1", keys[i], NULL, NULL);
            th_assert_error(&r, 401);
            th_free(&r);
        } else {
            reaches_only_itself(m, keys[i], i);
        }
    }
    /* the admin list names every live tenant once, by id */
    th_resp r = th_request(m, "GET", "/__mock/tenants", NULL, NULL);
    assert_int_equal(r.status, 200);
    for (int i = 0; i < 2 * N; i++) {
        int seen = 0;
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(r.json, "tenants"))
            seen += th_str(t, "id") && !strcmp(th_str(t, "id"), ids[i]);
        assert_int_equal(seen, i < N && i % 3 == 0 ? 0 : 1);
    }
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(many_tenants_made_and_dropped, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
