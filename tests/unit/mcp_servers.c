/* mcp_servers.c: unit tests for the MCP server model (mock/engine/mcp_servers.c) on an in-memory store:
 * a deleted linked account's servers go, another account's and those of no account (a --db file
 * from before servers had an owner) stay; reach by key and by token. */
#include "harness.h"
#include "engine/mcp_servers.h"
#include "base/store.h"

#include <stdlib.h>
#include <string.h>

struct world {
    struct mock m;
    struct tenant t;
};

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    char err[256];
    w->m.store = store_open(":memory:", err, sizeof err);
    assert_non_null(w->m.store);
    pthread_mutex_init(&w->m.clock_lock, NULL);
    strcpy(w->t.id, "org1:test");
    strcpy(w->t.org_id, "org1");
    strcpy(w->t.environment, "test");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    store_close(w->m.store);
    pthread_mutex_destroy(&w->m.clock_lock);
    free(w);
    return 0;
}

static int count(struct world *w, const char *only_la)
{
    int total = -1;
    cJSON_Delete(mcp_servers_list(&w->m, &w->t, only_la, 0, 100, &total));
    return total;
}

static void forget_takes_only_that_accounts_servers(void **state)
{
    struct world *w = *state;
    char a[25], b[25], old[25];
    assert_int_equal(mcp_servers_create(&w->m, &w->t, "a", "A", "d", a), 0);
    assert_int_equal(mcp_servers_create(&w->m, &w->t, "b", "B", "d", b), 0);
    assert_int_equal(mcp_servers_create(&w->m, &w->t, "", "old", "d", old), 0); /* no owner */
    assert_int_equal(count(w, NULL), 3);
    store_begin(w->m.store);
    mcp_servers_forget_linked_account(&w->m, &w->t, "a");
    mcp_servers_forget_linked_account(&w->m, &w->t, ""); /* never the servers of no account */
    assert_int_equal(store_commit(w->m.store), 0);
    assert_int_equal(count(w, NULL), 2);
    assert_int_equal(count(w, "a"), 0);
    assert_int_equal(count(w, "b"), 1);
    assert_null(mcp_servers_get(&w->m, &w->t, a, NULL));
    cJSON *doc = mcp_servers_get(&w->m, &w->t, old, NULL); /* the key reaches it ... */
    assert_non_null(doc);
    cJSON_Delete(doc);
    assert_null(mcp_servers_get(&w->m, &w->t, old, "b")); /* ... no token does */
}

static void patch_checks_and_reach(void **state)
{
    struct world *w = *state;
    char a[25], err[256];
    assert_int_equal(mcp_servers_create(&w->m, &w->t, "a", "A", "d", a), 0);
    cJSON *body = cJSON_Parse("{\"skills\":[{\"name\":\"s\",\"content\":\"c\"}],\"safe_mode\":true}"), *out = NULL;
    assert_int_equal(mcp_servers_check_patch(body, err, sizeof err), 0);
    assert_int_equal(mcp_servers_update(&w->m, &w->t, a, "b", body, &out), 1); /* another account's token */
    assert_int_equal(mcp_servers_update(&w->m, &w->t, a, "a", body, &out), 0);
    assert_int_equal(strlen(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(out, "skills"), 0), "skill_id")), 24);
    cJSON_Delete(out);
    cJSON_Delete(body);
    body = cJSON_Parse("{\"associated_apps\":[{\"slug\":\"\"}]}");
    assert_int_equal(mcp_servers_check_patch(body, err, sizeof err), -1);
    assert_string_equal(err, "associated_apps[0].slug must be a non-empty string");
    cJSON_Delete(body);
    assert_int_equal(mcp_servers_delete(&w->m, &w->t, a, "b"), 1);
    assert_int_equal(mcp_servers_delete(&w->m, &w->t, a, NULL), 0);
    assert_int_equal(mcp_servers_delete(&w->m, &w->t, a, NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forget_takes_only_that_accounts_servers, setup, teardown),
        cmocka_unit_test_setup_teardown(patch_checks_and_reach, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
