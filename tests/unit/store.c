/* store.c: unit tests for the document store: tenant scoping, upsert/insert, lists, timers,
 * transactions, persistence across reopen. */
#include "harness.h"
#include "base/store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cJSON *doc(const char *name)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "name", name);
    return d;
}

static void tenants_do_not_see_each_other(void **state)
{
    (void)state;
    char err[256];
    struct store *st = store_open(":memory:", err, sizeof err);
    assert_non_null(st);
    cJSON *d = doc("a");
    assert_int_equal(store_put(st, "t1", "thing", "x", NULL, d), 0);
    assert_int_equal(store_insert(st, "t1", "thing", "x", NULL, d), 1); /* exists: nothing written */
    assert_int_equal(store_insert(st, "t2", "thing", "x", NULL, d), 0);
    cJSON_Delete(d);
    assert_true(store_exists(st, "t1", "thing", "x"));
    assert_false(store_exists(st, "t3", "thing", "x"));
    assert_int_equal(store_del(st, "t2", "thing", "x"), 1);
    assert_int_equal(store_del(st, "t2", "thing", "x"), 0);
    assert_true(store_exists(st, "t1", "thing", "x"));
    store_close(st);
}

static void list_filter_and_paginate(void **state)
{
    (void)state;
    char err[256];
    struct store *st = store_open(":memory:", err, sizeof err);
    for (int i = 0; i < 7; i++) {
        char id[8];
        snprintf(id, sizeof id, "i%d", i);
        cJSON *d = doc(i % 2 ? "odd" : "even");
        store_put(st, "t", "n", id, i < 3 ? "p1" : "p2", d);
        cJSON_Delete(d);
    }
    int total = 0;
    cJSON *l = store_list(st, "t", "n", NULL, NULL, NULL, 2, 3, &total);
    assert_int_equal(total, 7);
    assert_int_equal(cJSON_GetArraySize(l), 3);
    cJSON_Delete(l);
    l = store_list(st, "t", "n", "p1", NULL, NULL, 0, 0, &total);
    assert_int_equal(total, 3);
    cJSON_Delete(l);
    l = store_list(st, "t", "n", NULL, "name", "odd", 0, 0, &total);
    assert_int_equal(total, 3);
    cJSON_Delete(l);
    /* SQL metacharacters are values, never SQL */
    l = store_list(st, "t", "n", NULL, "name", "x' OR '1'='1", 0, 0, &total);
    assert_int_equal(total, 0);
    cJSON_Delete(l);
    assert_int_equal(store_del_children(st, "t", "n", "p2"), 4);
    store_close(st);
}

/* store_query: the conditions a list route hands SQLite, the order, the page and the total. */
static void query_conditions_order_and_page(void **state)
{
    (void)state;
    char err[256];
    struct store *st = store_open(":memory:", err, sizeof err);
    static const char *const status[] = {"COMPLETED", "errored", "RUNNING", "COMPLETED", "Errored", "COMPLETED"};
    for (int i = 0; i < 6; i++) {
        char id[8], at[32];
        snprintf(id, sizeof id, "e%d", i);
        snprintf(at, sizeof at, "2026-01-0%dT00:00:00.000Z", i + 1);
        cJSON *d = doc(i < 3 ? "Nightly Sync" : "export");
        cJSON_AddStringToObject(d, "_id", id);
        cJSON_AddStringToObject(d, "status", status[i]);
        cJSON_AddStringToObject(d, "createdAt", at);
        if (i == 2)
            cJSON_AddBoolToObject(d, "gone", 1);
        if (i != 4)
            cJSON_AddItemToObject(d, "wf", cJSON_Parse(i % 2 ? "{\"_id\":\"w1\"}" : "{\"_id\":\"w2\"}"));
        store_put(st, "t", "x", id, "la", d);
        cJSON_Delete(d);
    }
    cJSON *o = cJSON_Parse("{\"status\":\"COMPLETED\"}"); /* another tenant's: never counted */
    store_put(st, "other", "x", "e9", "la", o);
    cJSON_Delete(o);
    int total = -1;
    /* newest first, second page of two */
    cJSON *l = store_query(st, "t", "x", "la", NULL, 0, 1, 2, 2, &total);
    assert_int_equal(total, 6);
    assert_int_equal(cJSON_GetArraySize(l), 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(l, 0), "_id"), "e3");
    assert_string_equal(th_str(cJSON_GetArrayItem(l, 1), "_id"), "e2");
    cJSON_Delete(l);
    /* a list of values, case aside, and a nested member */
    struct store_cond c1[] = {{"$.status", SQ_IN_NOCASE, "completed, ERRORED"}, {"$.wf._id", SQ_EQ, "w1"}};
    l = store_query(st, "t", "x", NULL, c1, 2, 0, 0, 0, &total);
    assert_int_equal(total, 3); /* e1 (errored), e3 and e5 (COMPLETED) are w1's; e4 has no wf */
    cJSON_Delete(l);
    struct store_cond c1b[] = {{"$.status", SQ_IN_NOCASE, "completed,errored"}};
    l = store_query(st, "t", "x", NULL, c1b, 1, 0, 0, 0, &total);
    assert_int_equal(total, 5);
    cJSON_Delete(l);
    /* contains, case aside; a date window; not true; absent or equal */
    struct store_cond c2[] = {{"$.name", SQ_CONTAINS_NOCASE, "SYNC"}, {"$.createdAt", SQ_GE, "2026-01-02T00:00:00.000Z"}};
    l = store_query(st, "t", "x", NULL, c2, 2, 0, 0, 0, &total);
    assert_int_equal(total, 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(l, 0), "_id"), "e1");
    cJSON_Delete(l);
    struct store_cond c3[] = {{"$.gone", SQ_NOT_TRUE, NULL}, {"$.wf._id", SQ_ABSENT_OR_EQ, "w2"}, {"$.createdAt", SQ_LE, "2026-01-05T00:00:00.000Z"}};
    l = store_query(st, "t", "x", NULL, c3, 3, 0, 0, 0, &total);
    assert_int_equal(total, 2); /* e0 (w2), e4 (no wf); e2 is gone */
    cJSON_Delete(l);
    /* SQL in a value is a value */
    struct store_cond c4[] = {{"$.status", SQ_EQ_NOCASE, "x' OR '1'='1"}};
    l = store_query(st, "t", "x", NULL, c4, 1, 0, 0, 0, &total);
    assert_int_equal(total, 0);
    assert_int_equal(cJSON_GetArraySize(l), 0);
    cJSON_Delete(l);
    store_close(st);
}

static void timers_and_rollback(void **state)
{
    (void)state;
    char err[256];
    struct store *st = store_open(":memory:", err, sizeof err);
    cJSON *d = doc("c");
    store_put(st, "t", "conn", "a", NULL, d);
    store_put(st, "t", "conn", "b", NULL, d);
    assert_true(store_next_due(st, "conn") == LLONG_MAX);
    store_set_due(st, "t", "conn", "a", 5000);
    store_set_due(st, "t", "conn", "b", 3000);
    assert_true(store_next_due(st, "conn") == 3000);
    cJSON *due = store_due(st, "conn", 4000);
    assert_int_equal(cJSON_GetArraySize(due), 1);
    cJSON_Delete(due);
    store_begin(st);
    store_put(st, "t", "conn", "c", NULL, d);
    store_rollback(st);
    assert_false(store_exists(st, "t", "conn", "c"));
    /* a nested rollback dooms the outer transaction */
    store_begin(st);
    store_put(st, "t", "conn", "d", NULL, d);
    store_begin(st);
    store_rollback(st);
    assert_int_not_equal(store_commit(st), 0);
    assert_false(store_exists(st, "t", "conn", "d"));
    cJSON_Delete(d);
    store_close(st);
}

static void file_database_persists(void **state)
{
    (void)state;
    char path[TH_DB_PATH_LEN], err[256], val[64];
    th_temp_db(path);
    struct store *st = store_open(path, err, sizeof err);
    assert_non_null(st);
    cJSON *d = doc("kept");
    store_put(st, "t", "k", "1", NULL, d);
    cJSON_Delete(d);
    store_meta_set(st, "secret", "abc");
    store_close(st);
    st = store_open(path, err, sizeof err);
    assert_non_null(st);
    cJSON *back = store_get(st, "t", "k", "1");
    assert_string_equal(cJSON_GetObjectItem(back, "name")->valuestring, "kept");
    cJSON_Delete(back);
    assert_true(store_meta_get(st, "secret", val, sizeof val));
    assert_string_equal(val, "abc");
    assert_int_equal(store_wipe(st, "t"), 0);
    assert_false(store_exists(st, "t", "k", "1"));
    store_close(st);
    th_remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tenants_do_not_see_each_other),
        cmocka_unit_test(list_filter_and_paginate),
        cmocka_unit_test(query_conditions_order_and_page),
        cmocka_unit_test(timers_and_rollback),
        cmocka_unit_test(file_database_persists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
