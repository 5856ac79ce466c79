/* tables.c: API tests for persistent tables: create, records and pagination, search, columns,
 * deletes, groups, limits, persistence, bad input and isolation. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T "/api/v2/public/tables"
#define KEY "tk_acme_test"

/* Creates the "leads" table (email, stage) for la and returns its id in out. */
static void make_table(refold_mock *m, const char *la, const char *name, char out[32])
{
    char body[256];
    snprintf(body, sizeof body, "{\"table_name\":\"%s\",\"columns\":[{\"column_name\":\"email\"},{\"column_name\":\"stage\"}]}", name);
    th_resp r = th_key(m, "POST", T, KEY, la, body);
    assert_int_equal(r.status, 200);
    snprintf(out, 32, "%s", th_str(r.json, "table_id"));
    assert_int_equal(strlen(out), 24);
    th_free(&r);
}

static th_resp add(refold_mock *m, const char *la, const char *id, const char *body)
{
    char path[128];
    snprintf(path, sizeof path, T "/%s", id);
    return th_key(m, "PATCH", path, KEY, la, body);
}

static void add_ok(refold_mock *m, const char *la, const char *id, const char *body)
{
    th_resp r = add(m, la, id, body);
    if (r.status != 200)
        fprintf(stderr, "add: %s\n", r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static th_resp get(refold_mock *m, const char *la, const char *id, const char *query)
{
    char path[160];
    snprintf(path, sizeof path, T "/%s%s", id, query ? query : "");
    return th_key(m, "GET", path, KEY, la, NULL);
}

static int column_names_are(const cJSON *cols, const char *const *want)
{
    int i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cols) {
        if (!want[i] || strcmp(c->valuestring, want[i]))
            return 0;
        i++;
    }
    return want[i] == NULL;
}

static void create_add_and_page_through(void **state)
{
    refold_mock *m = *state;
    char id[32];
    make_table(m, "user_12345", "leads", id);

    /* the same name for the same linked account answers the existing table */
    th_resp r = th_key(m, "POST", T, KEY, "user_12345",
                       "{\"table_name\":\"leads\",\"columns\":[{\"column_name\":\"other\"}]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "table_id"), id);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "already_exists")));
    th_free(&r);

    r = add(m, "user_12345", id,
            "{\"data\":[{\"email\":\"jane@example.com\",\"stage\":\"new\"},{\"email\":\"john@example.com\",\"stage\":\"qualified\"}]}");
    assert_int_equal(r.status, 200);
    const cJSON *res = cJSON_GetObjectItem(r.json, "add_record_result");
    assert_int_equal(cJSON_GetArraySize(res), 2);
    const char *rid = th_str(cJSON_GetArrayItem(res, 0), "record_id");
    assert_int_equal(strlen(rid), 36); /* a UUID */
    assert_int_equal(rid[14], '4');
    assert_string_equal(th_str(cJSON_GetArrayItem(res, 1), "stage"), "qualified");
    th_free(&r);

    /* a single object; a field the table has no column for is dropped */
    r = add(m, "user_12345", id, "{\"data\":{\"email\":\"priya@initech.example\",\"stage\":\"new\",\"phone\":\"555-0100\"}}");
    assert_int_equal(r.status, 200);
    const cJSON *one = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "add_record_result"), 0);
    assert_null(cJSON_GetObjectItem(one, "phone"));
    assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "transformed_add_data"), "phone"));
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "transformed_add_data"), "email"), "priya@initech.example");
    th_free(&r);

    r = get(m, "user_12345", id, "?limit=2");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "leads");
    static const char *const cols[] = {"email", "stage", NULL};
    assert_true(column_names_are(cJSON_GetObjectItem(r.json, "columns"), cols));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 2);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalPages")->valueint, 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "hasNextPage")));
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "email"), "jane@example.com");
    th_free(&r);

    r = get(m, "user_12345", id, "?limit=2&page=2");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "hasNextPage")));
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "email"), "priya@initech.example");
    th_free(&r);

    /* default limit is 100 */
    r = get(m, "user_12345", id, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "limit")->valueint, 100);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 3);
    th_free(&r);
}

static int search_count(refold_mock *m, const char *id, const char *body)
{
    char path[160];
    snprintf(path, sizeof path, T "/%s/search", id);
    th_resp r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsArray(r.json));
    int n = cJSON_GetArraySize(r.json);
    th_free(&r);
    return n;
}

static void search_filters(void **state)
{
    refold_mock *m = *state;
    char id[32];
    make_table(m, "user_12345", "leads", id);
    th_resp r = th_key(m, "PATCH", T "/6a314fc3d396207fd2506a0a/columns/add", KEY, "user_12345", "{\"columns\":[\"score\"]}");
    th_assert_error(&r, 404);
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, T "/%s/columns/add", id);
    r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"columns\":[\"score\"]}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    add_ok(m, "user_12345", id,
           "{\"data\":[{\"email\":\"jane@example.com\",\"stage\":\"qualified\",\"score\":80},"
           "{\"email\":\"john@example.com\",\"stage\":\"new\",\"score\":35},"
           "{\"email\":\"maria@umbrella.example\",\"stage\":\"Qualified\",\"score\":80}]}");

    assert_int_equal(search_count(m, id, "{\"stage\":\"qualified\"}"), 2);    /* case-insensitive */
    assert_int_equal(search_count(m, id, "{\"stage\":\"^new$\"}"), 1);
    assert_int_equal(search_count(m, id, "{\"email\":\"example\\\\.com$\"}"), 2);
    assert_int_equal(search_count(m, id, "{\"stage\":\"qual\",\"email\":\"^maria\"}"), 1); /* all must match */
    assert_int_equal(search_count(m, id, "{\"score\":80}"), 2);               /* numbers: equal */
    assert_int_equal(search_count(m, id, "{\"score\":\"^3\"}"), 1);           /* or a pattern over their text */
    assert_int_equal(search_count(m, id, "{\"stage\":\"lost\"}"), 0);
    assert_int_equal(search_count(m, id, "{\"missing_column\":\"x\"}"), 0);
    assert_int_equal(search_count(m, id, "{}"), 3);

    snprintf(path, sizeof path, T "/%s/search", id);
    r = th_key(m, "POST", path, KEY, "user_12345", "{\"stage\":\"(\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", path, KEY, "user_12345", "[1,2]");
    th_assert_error(&r, 400);
    th_free(&r);
}

static void columns_add_rename_remove(void **state)
{
    refold_mock *m = *state;
    char id[32], path[160];
    make_table(m, "user_12345", "leads", id);
    add_ok(m, "user_12345", id, "{\"data\":{\"email\":\"jane@example.com\",\"stage\":\"new\"}}");

    snprintf(path, sizeof path, T "/%s/columns/add", id);
    th_resp r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"columns\":[\"score\"]}");
    assert_int_equal(r.status, 200);
    static const char *const three[] = {"email", "stage", "score", NULL};
    assert_true(column_names_are(cJSON_GetObjectItem(r.json, "columns"), three));
    th_free(&r);
    /* an existing column, a duplicate in the request, or more than 20: 400 and nothing changes */
    r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"columns\":[\"owner\",\"email\"]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"columns\":[\"a\",\"a\"]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PATCH", path, KEY, "user_12345",
               "{\"columns\":[\"c1\",\"c2\",\"c3\",\"c4\",\"c5\",\"c6\",\"c7\",\"c8\",\"c9\",\"c10\",\"c11\",\"c12\",\"c13\",\"c14\",\"c15\",\"c16\",\"c17\",\"c18\"]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = get(m, "user_12345", id, NULL);
    assert_true(column_names_are(cJSON_GetObjectItem(r.json, "columns"), three));
    th_free(&r);

    /* chained renames apply at once: email -> contact, stage -> email */
    snprintf(path, sizeof path, T "/%s/columns/rename", id);
    r = th_key(m, "PATCH", path, KEY, "user_12345",
               "{\"renames\":[{\"old_name\":\"email\",\"new_name\":\"contact\"},{\"old_name\":\"stage\",\"new_name\":\"email\"}]}");
    assert_int_equal(r.status, 200);
    static const char *const renamed[] = {"contact", "email", "score", NULL};
    assert_true(column_names_are(cJSON_GetObjectItem(r.json, "columns"), renamed));
    th_free(&r);
    r = get(m, "user_12345", id, NULL);
    const cJSON *rec = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0);
    assert_string_equal(th_str(rec, "contact"), "jane@example.com");
    assert_string_equal(th_str(rec, "email"), "new");
    th_free(&r);
    /* renaming onto a column that stays, or an unknown column: 400 */
    r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"renames\":[{\"old_name\":\"contact\",\"new_name\":\"score\"}]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"renames\":[{\"old_name\":\"nope\",\"new_name\":\"x\"}]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PATCH", path, KEY, "user_12345", "{\"renames\":[{\"old_name\":\"contact\"}]}");
    th_assert_error(&r, 400);
    th_free(&r);

    snprintf(path, sizeof path, T "/%s/columns/remove", id);
    r = th_key(m, "DELETE", path, KEY, "user_12345", "{\"columns\":[\"email\"]}");
    assert_int_equal(r.status, 200);
    static const char *const two[] = {"contact", "score", NULL};
    assert_true(column_names_are(cJSON_GetObjectItem(r.json, "columns"), two));
    th_free(&r);
    r = get(m, "user_12345", id, NULL);
    rec = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0);
    assert_null(cJSON_GetObjectItem(rec, "email")); /* the values went with the column */
    assert_string_equal(th_str(rec, "contact"), "jane@example.com");
    th_free(&r);
    r = th_key(m, "DELETE", path, KEY, "user_12345", "{\"columns\":[\"contact\",\"score\"]}");
    th_assert_error(&r, 400); /* a table keeps at least one column */
    th_free(&r);
    r = th_key(m, "DELETE", path, KEY, "user_12345", "{\"columns\":[\"ghost\"]}");
    th_assert_error(&r, 400);
    th_free(&r);
}

static void delete_record_and_table(void **state)
{
    refold_mock *m = *state;
    char id[32], path[200];
    make_table(m, "user_12345", "leads", id);
    th_resp r = add(m, "user_12345", id, "{\"data\":[{\"email\":\"jane@example.com\"},{\"email\":\"john@example.com\"}]}");
    char rid[64];
    snprintf(rid, sizeof rid, "%s", th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "add_record_result"), 0), "record_id"));
    th_free(&r);

    snprintf(path, sizeof path, T "/%s/%s", id, rid);
    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "record_id"), rid);
    assert_string_equal(th_str(r.json, "email"), "jane@example.com");
    th_free(&r);
    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = get(m, "user_12345", id, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);

    /* a record id of another table is not found through this one */
    char other[32];
    make_table(m, "user_12345", "deals", other);
    r = add(m, "user_12345", other, "{\"data\":{\"email\":\"x@example.com\"}}");
    snprintf(rid, sizeof rid, "%s", th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "add_record_result"), 0), "record_id"));
    th_free(&r);
    snprintf(path, sizeof path, T "/%s/%s", id, rid);
    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);

    snprintf(path, sizeof path, T "/%s", id);
    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(r.json));
    th_free(&r);
    r = get(m, "user_12345", id, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", path, KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", T, KEY, "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1); /* only "deals" */
    th_free(&r);
    /* the name is free again */
    char again[32];
    make_table(m, "user_12345", "leads", again);
    assert_string_not_equal(again, id);
}

static void list_filters_and_groups(void **state)
{
    refold_mock *m = *state;
    char a[32], b[32], c[32];
    make_table(m, "user_12345", "leads", a);
    make_table(m, "user_12345", "lead_scores", b);
    make_table(m, "user_67890", "invoices", c);
    add_ok(m, "user_12345", a, "{\"data\":[{\"email\":\"a@example.com\"},{\"email\":\"b@example.com\"}]}");

    th_resp r = th_key(m, "GET", T, KEY, NULL, NULL); /* the key alone sees every table */
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    th_free(&r);
    r = th_key(m, "GET", T, KEY, "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0);
    assert_string_equal(th_str(first, "name"), "leads");
    assert_string_equal(th_str(first, "linked_account_id"), "user_12345");
    assert_string_equal(th_str(first, "table_type"), "persistent");
    assert_string_equal(th_str(first, "environment"), "test");
    assert_int_equal(cJSON_GetObjectItem(first, "record_count")->valueint, 2);
    th_free(&r);
    r = th_key(m, "GET", T "?name=^LEAD_&limit=1", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "name"), "lead_scores");
    th_free(&r);
    r = th_key(m, "GET", T "?limit=2&page=2", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "name"), "invoices");
    th_free(&r);

    char body[256];
    snprintf(body, sizeof body, "{\"tableIds\":[\"%s\",\"%s\"],\"group\":\"crm-tables\"}", a, b);
    r = th_key(m, "PUT", T "/group/edit", KEY, "user_12345", body);
    assert_int_equal(r.status, 204);
    assert_int_equal(strlen(r.body), 0);
    th_free(&r);
    r = th_key(m, "GET", T, KEY, "user_12345", NULL);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 1), "group"), "crm-tables");
    th_free(&r);
    /* an unknown id fails the whole edit */
    snprintf(body, sizeof body, "{\"tableIds\":[\"%s\",\"000000000000000000000000\"],\"group\":\"\"}", a);
    r = th_key(m, "PUT", T "/group/edit", KEY, "user_12345", body);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", T, KEY, "user_12345", NULL);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "group"), "crm-tables");
    th_free(&r);
    snprintf(body, sizeof body, "{\"tableIds\":[\"%s\"],\"group\":\"\"}", a);
    r = th_key(m, "PUT", T "/group/edit", KEY, "user_12345", body);
    assert_int_equal(r.status, 204);
    th_free(&r);
    r = th_key(m, "GET", T, KEY, "user_12345", NULL);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "group"));
    th_free(&r);
    r = th_key(m, "PUT", T "/group/edit", KEY, NULL, "{\"group\":\"x\"}");
    th_assert_error(&r, 400);
    th_free(&r);
}

static void bad_input_and_isolation(void **state)
{
    refold_mock *m = *state;
    char id[32];
    make_table(m, "user_12345", "leads", id);
    static const char *const bad[] = {
        "{\"columns\":[{\"column_name\":\"email\"}]}",
        "{\"table_name\":\"t\"}",
        "{\"table_name\":\"t\",\"columns\":[]}",
        "{\"table_name\":\"t\",\"columns\":[\"email\"]}",
        "{\"table_name\":\"t\",\"columns\":[{\"column_name\":\"\"}]}",
        "{\"table_name\":\"t\",\"columns\":[{\"column_name\":\"a\"},{\"column_name\":\"a\"}]}",
        "{\"table_name\":\"t\",\"columns\":[{\"column_name\":\"record_id\"}]}",
        "{\"table_name\":5,\"columns\":[{\"column_name\":\"a\"}]}",
        "{\"table_name\":\"t\",\"columns\":[{\"column_name\":\"c1\"},{\"column_name\":\"c2\"},{\"column_name\":\"c3\"},"
        "{\"column_name\":\"c4\"},{\"column_name\":\"c5\"},{\"column_name\":\"c6\"},{\"column_name\":\"c7\"},"
        "{\"column_name\":\"c8\"},{\"column_name\":\"c9\"},{\"column_name\":\"c10\"},{\"column_name\":\"c11\"},"
        "{\"column_name\":\"c12\"},{\"column_name\":\"c13\"},{\"column_name\":\"c14\"},{\"column_name\":\"c15\"},"
        "{\"column_name\":\"c16\"},{\"column_name\":\"c17\"},{\"column_name\":\"c18\"},{\"column_name\":\"c19\"},"
        "{\"column_name\":\"c20\"},{\"column_name\":\"c21\"}]}",
        "{\"table_name\":\"t\",",
        NULL};
    for (int i = 0; bad[i]; i++) {
        th_resp r = th_key(m, "POST", T, KEY, "user_12345", bad[i]);
        if (r.status != 400)
            fprintf(stderr, "case %d: %s\n", i, bad[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", T, KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1); /* nothing was created */
    th_free(&r);

    static const char *const bad_add[] = {"{}", "{\"data\":[]}", "{\"data\":\"x\"}", "{\"data\":[{\"email\":\"a\"},3]}", NULL};
    for (int i = 0; bad_add[i]; i++) {
        r = add(m, "user_12345", id, bad_add[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    r = get(m, "user_12345", id, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = get(m, "user_12345", id, "?limit=0");
    th_assert_error(&r, 400);
    th_free(&r);

    /* unknown table, another linked account's table, another tenant: 404 */
    r = get(m, "user_12345", "6a314fc3d396207fd2506a0a", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = get(m, "user_67890", id, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = add(m, "user_67890", id, "{\"data\":{\"email\":\"intruder@example.com\"}}");
    th_assert_error(&r, 404);
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, T "/%s", id);
    r = th_key(m, "GET", path, "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", path, "pk_acme_live", NULL, NULL); /* production is another tenant */
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", path, "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", T, "tk_globex_test", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    /* an unknown linked account, no key, a bad key */
    r = th_key(m, "GET", T, KEY, "nobody", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", T, NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_key(m, "GET", path, "tk_wrong", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    /* the table is untouched by all of that */
    r = get(m, "user_12345", id, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
}

/* 10,000 records per table: the 10,001st is refused and nothing of that batch is stored. */
static void record_limit(void **state)
{
    refold_mock *m = *state;
    char id[32];
    make_table(m, NULL, "bulk", id);
    size_t cap = 10000 * 32 + 64, len = 0;
    char *body = malloc(cap);
    len += (size_t)snprintf(body + len, cap - len, "{\"data\":[");
    for (int i = 0; i < 9999; i++)
        len += (size_t)snprintf(body + len, cap - len, "%s{\"email\":\"u%d@example.com\"}", i ? "," : "", i);
    snprintf(body + len, cap - len, "]}");
    add_ok(m, NULL, id, body);
    th_resp r = add(m, NULL, id, "{\"data\":[{\"email\":\"a@example.com\"},{\"email\":\"b@example.com\"}]}");
    th_assert_error(&r, 400);
    th_free(&r);
    add_ok(m, NULL, id, "{\"data\":{\"email\":\"last@example.com\"}}");
    r = get(m, NULL, id, "?limit=1&page=10000");
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 10000);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "email"), "last@example.com");
    th_free(&r);
    free(body);
}

/* Tables and records live in SQLite: with --db they survive a restart. */
static void survives_restart(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN];
    th_temp_db(db);
    refold_mock *m = th_start_db(db);
    char id[32];
    make_table(m, NULL, "leads", id);
    add_ok(m, NULL, id, "{\"data\":{\"email\":\"jane@example.com\",\"stage\":\"new\"}}");
    refold_mock_stop(m);
    m = th_start_db(db);
    th_resp r = get(m, NULL, id, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "email"), "jane@example.com");
    th_free(&r);
    refold_mock_stop(m);
    th_remove_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_add_and_page_through, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(search_filters, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(columns_add_rename_remove, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(delete_record_and_table, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(list_filters_and_groups, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(bad_input_and_isolation, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(record_limit, th_setup_two_las, th_teardown),
        cmocka_unit_test(survives_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
