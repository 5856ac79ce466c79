/* executions.c: unit tests for the executions engine's reads (executions_find, executions_list,
 * executions_find_task) and its part of deleting a linked account, called directly on a started
 * mock: who sees which run, the list's filters and total, one account's runs gone and the
 * other's kept. */
#include "flows_util.h"
#include "engine/executions.h"
#include "engine/fixtures.h"

#include <string.h>

#define ONE "exec_unit_one"
#define TWO "exec_unit_two"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, ONE, "One");
    th_create_la(m, ACME, TWO, "Two");
    fu_connect_playground(m, ACME, ONE);
    fu_connect_playground(m, ACME, TWO);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    refold_mock_stop(*state);
    return 0;
}

static const struct tenant *acme(refold_mock *m) { return fixtures_tenant_by_key(((struct mock *)m)->fx, ACME); }

/* The key (no linked account) sees every run; a linked account its own only. */
static void find_respects_the_linked_account(void **state)
{
    refold_mock *m = *state;
    struct mock *mk = (struct mock *)m;
    char id[32];
    fu_execute(m, ACME, ONE, "playground_app", PLAYGROUND_SYNC, "{}", id);
    cJSON *doc = executions_find(mk, acme(m), id, NULL);
    assert_non_null(doc);
    assert_string_equal(th_str(doc, "linked_account_id"), ONE);
    cJSON_Delete(doc);
    doc = executions_find(mk, acme(m), id, "");
    assert_non_null(doc);
    cJSON_Delete(doc);
    doc = executions_find(mk, acme(m), id, ONE);
    assert_non_null(doc);
    cJSON_Delete(doc);
    assert_null(executions_find(mk, acme(m), id, TWO));
    assert_null(executions_find(mk, acme(m), "000000000000000000000000", NULL));
}

/* A page of one account's runs, their total, and a filter that matches none. */
static void list_pages_filters_and_counts(void **state)
{
    refold_mock *m = *state;
    struct mock *mk = (struct mock *)m;
    char a[32], b[32], c[32];
    fu_execute(m, ACME, ONE, "playground_app", PLAYGROUND_SYNC, "{}", a);
    fu_execute(m, ACME, ONE, "playground_app", PLAYGROUND_SYNC, "{}", b);
    fu_execute(m, ACME, TWO, "playground_app", PLAYGROUND_SYNC, "{}", c);
    struct exec_filter f;
    memset(&f, 0, sizeof f);
    f.from = f.to = -1;
    int total = 0;
    cJSON *page = executions_list(mk, acme(m), ONE, &f, 0, 0, 1, &total);
    assert_int_equal(total, 2);
    assert_int_equal(cJSON_GetArraySize(page), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(page, 0), "_id"), b); /* newest first */
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(page, 0), "mock")); /* the public form */
    cJSON_Delete(page);
    page = executions_list(mk, acme(m), NULL, &f, 1, 0, 10, &total);
    assert_int_equal(total, 3);
    assert_string_equal(th_str(cJSON_GetArrayItem(page, 0), "_id"), a); /* oldest first */
    cJSON_Delete(page);
    strcpy(f.status, "COMPLETED");
    page = executions_list(mk, acme(m), NULL, &f, 0, 0, 10, &total);
    assert_int_equal(total, 0);
    assert_int_equal(cJSON_GetArraySize(page), 0);
    cJSON_Delete(page);
}

/* Forgetting one linked account takes its runs; the other's stay. */
static void forget_takes_one_accounts_runs(void **state)
{
    refold_mock *m = *state;
    struct mock *mk = (struct mock *)m;
    char a[32], c[32];
    fu_execute(m, ACME, ONE, "playground_app", PLAYGROUND_SYNC, "{}", a);
    fu_execute(m, ACME, TWO, "playground_app", PLAYGROUND_SYNC, "{}", c);
    executions_forget_linked_account(mk, acme(m), ONE);
    assert_null(executions_find(mk, acme(m), a, NULL));
    cJSON *doc = executions_find(mk, acme(m), c, NULL);
    assert_non_null(doc);
    cJSON_Delete(doc);
    const struct tenant *owner = NULL;
    assert_null(executions_find_task(mk, "000000000000000000000000", &owner));
    assert_null(owner);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(find_respects_the_linked_account, setup, teardown),
        cmocka_unit_test_setup_teardown(list_pages_filters_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(forget_takes_one_accounts_runs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
