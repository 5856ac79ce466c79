/* store.c: unit tests for the document store: tenant scoping, upsert/insert, lists, timers,
 * transactions, persistence across reopen. */
#include "harness.h"
#include "store.h"

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
        cmocka_unit_test(timers_and_rollback),
        cmocka_unit_test(file_database_persists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
