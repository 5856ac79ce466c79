/* tables.c: unit tests for the table engine (mock/engine/tables.c) on an in-memory store: a deleted
 * linked account takes its tables and their records and nothing else; a list paged in SQL is the
 * list filtered in C; column outcomes name the column at fault. */
#include "harness.h"
#include "base/store.h"
#include "engine/tables.h"

#include <stdio.h>
#include <string.h>

static struct mock m;
static const struct tenant t = {.id = "org_a:test", .org_id = "org_a", .environment = "test"};

static int setup(void **state)
{
    (void)state;
    char err[256];
    memset(&m, 0, sizeof m); /* a zeroed mutex is an unlocked one (glibc); the clock reads 0 */
    m.store = store_open(":memory:", err, sizeof err);
    return m.store ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(m.store);
    return 0;
}

/* A table named name owned by la ("" = org-wide) with columns email and score, holding n records. */
static void make(const char *la, const char *name, int n, char id[MOCK_ID_LEN])
{
    cJSON *cols = cJSON_CreateStringArray((const char *[]){"email", "score"}, 2);
    assert_int_equal(tables_create(&m, &t, la, name, cols, id), TABLES_OK);
    for (int i = 0; i < n; i++) {
        cJSON *rec = cJSON_CreateObject(), *added, *kept;
        cJSON_AddStringToObject(rec, "email", "x@example.com");
        cJSON_AddStringToObject(rec, "dropped", "no such column");
        struct tables_problem p;
        assert_int_equal(tables_add_records(&m, &t, la, id, rec, &added, &kept, &p), TABLES_OK);
        assert_null(cJSON_GetObjectItem(kept, "dropped"));
        cJSON_Delete(rec);
        cJSON_Delete(added);
        cJSON_Delete(kept);
    }
}

static int records(const char *id)
{
    int total = -1;
    cJSON_Delete(tables_records(&m, &t, id, 0, 1, &total));
    return total;
}

static void forget_takes_one_accounts_tables_and_records(void **state)
{
    (void)state;
    char a[MOCK_ID_LEN], b[MOCK_ID_LEN], org[MOCK_ID_LEN];
    make("user_a", "leads", 3, a);
    make("user_b", "leads", 2, b);
    make("", "shared", 1, org);
    store_begin(m.store);
    tables_forget_linked_account(&m, &t, "user_a");
    assert_int_equal(store_commit(m.store), 0);
    cJSON *doc = tables_get(&m, &t, "", a);
    assert_null(doc);
    assert_int_equal(records(a), 0); /* the records went with their table */
    doc = tables_get(&m, &t, "user_b", b);
    assert_non_null(doc);
    cJSON_Delete(doc);
    assert_int_equal(records(b), 2);
    doc = tables_get(&m, &t, "user_b", org);
    assert_non_null(doc);
    cJSON_Delete(doc);
    assert_int_equal(records(org), 1);
}

/* The names of a list's page, joined by commas. */
static void names(cJSON *docs, char *out, size_t n)
{
    out[0] = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, docs) {
        size_t at = strlen(out);
        snprintf(out + at, n - at, "%s%s", at ? "," : "", cJSON_GetObjectItem(d, "name")->valuestring);
    }
}

static void list_paged_in_sql_matches_the_filtered_list(void **state)
{
    (void)state;
    char id[MOCK_ID_LEN];
    make("user_a", "t1", 2, id);
    make("user_b", "t2", 0, id);
    make("", "t3", 0, id);
    make("user_a", "t4", 0, id);
    assert_int_equal(tables_delete(&m, &t, "user_a", id), TABLES_OK);
    make("user_a", "t5", 1, id);
    struct pattern any;
    char err[128];
    assert_int_equal(pattern_compile(&any, ".*", err, sizeof err), 0);
    static const struct { const char *la; long offset; int limit; const char *want; int total; } cases[] = {
        {"user_a", 0, 10, "t1,t3,t5", 3},   /* its own and the org-wide, not the deleted */
        {"user_a", 1, 1, "t3", 3},
        {"user_a", 3, 10, "", 3},
        {"", 0, 10, "t1,t2,t3,t5", 4},      /* no account: every live table */
        {"user_b", 0, 1, "t2", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int re = 0; re < 2; re++) {
            cJSON *docs;
            int total = -1;
            char got[256];
            assert_int_equal(tables_list(&m, &t, cases[i].la, re ? &any : NULL, cases[i].offset, cases[i].limit, &docs, &total), TABLES_OK);
            names(docs, got, sizeof got);
            assert_string_equal(got, cases[i].want);
            assert_int_equal(total, cases[i].total);
            if (cJSON_GetArraySize(docs) && !strcmp(cases[i].want, "t1,t3,t5"))
                assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(docs, 0), "record_count")->valueint, 2);
            cJSON_Delete(docs);
        }
    pattern_free(&any);
}

static void column_outcomes_name_the_column(void **state)
{
    (void)state;
    char id[MOCK_ID_LEN];
    make("user_a", "cols", 1, id);
    struct tables_problem p;
    cJSON *cols;
    cJSON *add = cJSON_CreateStringArray((const char *[]){"new", "score"}, 2);
    assert_int_equal(tables_add_columns(&m, &t, "user_a", id, add, &cols, &p), TABLES_COLUMN_EXISTS);
    assert_string_equal(p.column, "score");
    assert_int_equal(tables_add_columns(&m, &t, "user_b", id, add, &cols, &p), TABLES_NOT_FOUND);
    cJSON_Delete(add);
    cJSON *renames = cJSON_Parse("[{\"old_name\":\"email\",\"new_name\":\"score\"}]");
    assert_int_equal(tables_rename_columns(&m, &t, "user_a", id, renames, &cols, &p), TABLES_COLUMN_TWICE);
    assert_string_equal(p.column, "score");
    cJSON_Delete(renames);
    renames = cJSON_Parse("[{\"old_name\":\"email\",\"new_name\":\"score\"},{\"old_name\":\"score\",\"new_name\":\"email\"}]");
    assert_int_equal(tables_rename_columns(&m, &t, "user_a", id, renames, &cols, &p), TABLES_OK); /* a swap, at once */
    char *text = cJSON_PrintUnformatted(cols);
    assert_string_equal(text, "[\"score\",\"email\"]");
    cJSON_free(text);
    cJSON_Delete(cols);
    cJSON_Delete(renames);
    cJSON *recs = tables_records(&m, &t, id, 0, 0, NULL);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(recs, 0), "score")->valuestring, "x@example.com");
    cJSON_Delete(recs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forget_takes_one_accounts_tables_and_records, setup, teardown),
        cmocka_unit_test_setup_teardown(list_paged_in_sql_matches_the_filtered_list, setup, teardown),
        cmocka_unit_test_setup_teardown(column_outcomes_name_the_column, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
