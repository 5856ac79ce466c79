/* datarefs.c: API tests for datarefs (create, list, read as a table, clear, delete, group, the
 * admin records hook) and config datastores (names, records, search), with bad input and isolation. */
#include "harness.h"
#include "engine/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D "/api/v2/public/dataref"
#define KEY "tk_acme_test"

static void create(refold_mock *m, const char *la, const char *name)
{
    char body[128];
    snprintf(body, sizeof body, "{\"refName\":\"%s\"}", name);
    th_resp r = th_key(m, "POST", D, KEY, la, body);
    if (r.status != 200)
        fprintf(stderr, "create %s: %s\n", name, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void put_records(refold_mock *m, const char *la, const char *name, const char *body, long want)
{
    char path[160];
    snprintf(path, sizeof path, "/__mock/datarefs/%s/records", name);
    th_resp r = th_key(m, "POST", path, KEY, la, body);
    if (r.status != want)
        fprintf(stderr, "records: %s\n", r.body);
    assert_int_equal(r.status, want);
    th_free(&r);
}

static void create_read_clear_delete(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", D, KEY, "user_12345", "{\"refName\":\"contacts\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "contacts");
    assert_string_equal(th_str(r.json, "linked_account_id"), "user_12345");
    assert_string_equal(th_str(r.json, "org_id"), "645270e37917442c4307297a");
    assert_string_equal(th_str(r.json, "environment"), "test");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "data")), 0);
    assert_int_equal(strlen(th_str(r.json, "_id")), 24);
    th_free(&r);
    r = th_key(m, "POST", D, KEY, "user_12345", "{\"refName\":\"contacts\"}");
    th_assert_error(&r, 409);
    th_free(&r);

    /* empty: just the record_id header */
    r = th_key(m, "GET", D "/contacts", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "headers")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "rows")), 0);
    assert_int_equal(cJSON_GetObjectItem(r.json, "limit")->valueint, 100);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalPages")->valueint, 0);
    th_free(&r);

    put_records(m, "user_12345", "contacts",
                "{\"records\":[{\"email\":\"jane@example.com\",\"stage\":\"qualified\"},"
                "{\"email\":\"john@example.com\",\"stage\":\"new\",\"owner\":\"sam@acme.example\"},"
                "{\"record_id\":\"crm-77\",\"email\":\"priya@initech.example\"}]}", 200);
    r = th_key(m, "GET", D "/contacts?limit=2", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    const cJSON *headers = cJSON_GetObjectItem(r.json, "headers");
    assert_int_equal(cJSON_GetArraySize(headers), 4);
    assert_string_equal(cJSON_GetArrayItem(headers, 0)->valuestring, "record_id");
    assert_string_equal(cJSON_GetArrayItem(headers, 3)->valuestring, "owner");
    const cJSON *rows = cJSON_GetObjectItem(r.json, "rows");
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(rows, 0), "record_id"), "1");
    assert_string_equal(th_str(cJSON_GetArrayItem(rows, 0), "stage"), "qualified");
    assert_string_equal(th_str(cJSON_GetArrayItem(rows, 1), "owner"), "sam@acme.example");
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalPages")->valueint, 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "hasNextPage")));
    th_free(&r);
    r = th_key(m, "GET", D "/contacts?limit=2&page=2", KEY, "user_12345", NULL);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "rows"), 0), "record_id"), "crm-77");
    th_free(&r);

    /* clearing keeps the dataref and drops its records */
    r = th_key(m, "PUT", D "/contacts/clear-records", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "data")), 0);
    assert_string_equal(th_str(r.json, "name"), "contacts");
    th_free(&r);
    r = th_key(m, "GET", D "/contacts", KEY, "user_12345", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);

    r = th_key(m, "DELETE", D "/contacts", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "acknowledged")));
    assert_int_equal(cJSON_GetObjectItem(r.json, "deletedCount")->valueint, 1);
    th_free(&r);
    static const char *const gone[][2] = {{"GET", D "/contacts"}, {"DELETE", D "/contacts"}, {"PUT", D "/contacts/clear-records"}};
    for (int i = 0; i < 3; i++) {
        r = th_key(m, gone[i][0], gone[i][1], KEY, "user_12345", NULL);
        th_assert_error(&r, 404);
        th_free(&r);
    }
    put_records(m, "user_12345", "contacts", "{\"records\":[{\"email\":\"x\"}]}", 404);
}

static void list_unique_and_groups(void **state)
{
    refold_mock *m = *state;
    create(m, "user_12345", "contacts");
    create(m, "user_12345", "deals");
    create(m, "user_67890", "contacts");
    put_records(m, "user_12345", "contacts", "{\"records\":[{\"email\":\"jane@example.com\"}]}", 200);

    th_resp r = th_key(m, "GET", D, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "data"));
    th_free(&r);
    r = th_key(m, "GET", D "?linked_account_id=user_67890", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "linked_account_id"), "user_67890");
    th_free(&r);
    r = th_key(m, "GET", D "?unique=true", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0);
    assert_string_equal(th_str(first, "name"), "contacts");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(first, "linked_account_ids")), 2);
    th_free(&r);
    r = th_key(m, "GET", D "?limit=1&page=3", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "hasNextPage")));
    th_free(&r);

    r = th_key(m, "PUT", "/api/v2/public/datarefs/group", KEY, "user_12345", "{\"refNames\":[\"contacts\",\"deals\"],\"group\":\"crm-data\"}");
    assert_int_equal(r.status, 204);
    th_free(&r);
    r = th_key(m, "GET", D "?linked_account_id=user_12345", KEY, NULL, NULL);
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs"))
        assert_string_equal(th_str(d, "group"), "crm-data");
    th_free(&r);
    /* the other account's "contacts" is not touched */
    r = th_key(m, "GET", D "?linked_account_id=user_67890", KEY, NULL, NULL);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "group"));
    th_free(&r);
    /* one unknown name: 404 and nothing changes */
    r = th_key(m, "PUT", "/api/v2/public/datarefs/group", KEY, "user_12345", "{\"refNames\":[\"contacts\",\"nope\"],\"group\":\"\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "PUT", "/api/v2/public/datarefs/group", KEY, "user_12345", "{\"refNames\":[\"contacts\"],\"group\":\"\"}");
    assert_int_equal(r.status, 204);
    th_free(&r);
    r = th_key(m, "GET", D "?linked_account_id=user_12345", KEY, NULL, NULL);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "group"));
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 1), "group"), "crm-data");
    th_free(&r);
}

static void dataref_bad_input_and_isolation(void **state)
{
    refold_mock *m = *state;
    create(m, "user_12345", "contacts");
    static const char *const bad[] = {"{}", "{\"refName\":\"\"}", "{\"refName\":3}", "{\"refName\":\"a/b\"}", "[]", "{\"refName\":", NULL};
    for (int i = 0; bad[i]; i++) {
        th_resp r = th_key(m, "POST", D, KEY, "user_12345", bad[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = th_key(m, "POST", D, KEY, NULL, "{\"refName\":\"orphans\"}"); /* no linked account */
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", D, KEY, "ghost", "{\"refName\":\"x\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", D, KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
    r = th_key(m, "GET", D "?unique=maybe", KEY, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    static const char *const bad_group[] = {"{}", "{\"refNames\":[]}", "{\"refNames\":[1]}", "{\"refNames\":[\"contacts\"],\"group\":5}", NULL};
    for (int i = 0; bad_group[i]; i++) {
        r = th_key(m, "PUT", "/api/v2/public/datarefs/group", KEY, "user_12345", bad_group[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    /* another linked account, another tenant */
    r = th_key(m, "GET", D "/contacts", KEY, "user_67890", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", D "/contacts", "tk_globex_test", "user_12345", NULL);
    th_assert_error(&r, 404); /* Globex has no linked account user_12345 */
    th_free(&r);
    r = th_key(m, "GET", D, "tk_globex_test", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = th_key(m, "GET", D, NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    put_records(m, "user_12345", "contacts", "{\"records\":{}}", 400);
    put_records(m, "user_12345", "contacts", "{\"records\":[1]}", 400);
    put_records(m, "user_12345", "contacts", "{\"records\":[{\"record_id\":7}]}", 400);
    r = th_key(m, "GET", D "/contacts", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
}

/* ---- config datastores ---- */

#define DS "/api/v2/public/datastore/config"

/* Installs the app's default config for user_12345 (datastores live on a config). */
static void install(refold_mock *m, const char *slug, const char *config_id)
{
    char body[128];
    snprintf(body, sizeof body, config_id ? "{\"slug\":\"%s\",\"config_id\":\"%s\"}" : "{\"slug\":\"%s\"}", slug, config_id);
    th_resp r = th_key(m, "POST", "/api/v2/public/config", KEY, "user_12345", body);
    if (r.status != 200)
        fprintf(stderr, "install %s: %s\n", slug, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void datastores_read_and_search(void **state)
{
    refold_mock *m = *state;
    install(m, "hubspot", NULL);
    install(m, "hubspot", "production");
    install(m, "slack", NULL);
    th_resp r = th_key(m, "GET", DS "/hubspot", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    assert_string_equal(cJSON_GetArrayItem(r.json, 0)->valuestring, "contacts");
    assert_string_equal(cJSON_GetArrayItem(r.json, 1)->valuestring, "synced_deals");
    th_free(&r);
    /* an app no workflow wrote to: no datastores */
    r = th_key(m, "GET", DS "/slack", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot?config_id=production", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    th_free(&r);

    r = th_key(m, "GET", DS "/hubspot/contacts/records", KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 4);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "email"), "jane@example.com");
    /* its id under both names: the current page's id, the v2 reference's record_id */
    assert_non_null(th_str(cJSON_GetArrayItem(r.json, 0), "id"));
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "record_id"), th_str(cJSON_GetArrayItem(r.json, 0), "id"));
    th_free(&r);

    r = th_key(m, "POST", DS "/hubspot/contacts/search", KEY, "user_12345", "{\"stage\":\"qualified\"}");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 2); /* "qualified" and "Qualified" */
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "record_id"), th_str(cJSON_GetArrayItem(r.json, 0), "id"));
    th_free(&r);
    r = th_key(m, "POST", DS "/hubspot/contacts/search", KEY, "user_12345", "{\"stage\":\"qualified\",\"owner\":\"^lee@\"}");
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "firstname"), "Maria");
    th_free(&r);
    r = th_key(m, "POST", DS "/hubspot/synced_deals/search", KEY, "user_12345", "{\"amount\":12500}");
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    r = th_key(m, "POST", DS "/hubspot/contacts/search", KEY, "user_12345", "{\"stage\":\"churned\"}");
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
}

static void datastores_bad_input(void **state)
{
    refold_mock *m = *state;
    /* no config installed yet: Refold's "Config not found" */
    th_resp r = th_key(m, "GET", DS "/hubspot", KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    install(m, "hubspot", NULL);
    r = th_key(m, "GET", DS "/hubspot?config_id=staging", KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot", KEY, "user_67890", NULL); /* another account's config */
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", DS "/nosuchapp", KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot/nosuch/records", KEY, "user_12345", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", DS "/hubspot/nosuch/search", KEY, "user_12345", "{}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot?config_id=user_12345", KEY, NULL, NULL); /* no linked account */
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot", KEY, "ghost", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot", "tk_globex_test", "user_12345", NULL); /* not Globex's account */
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", DS "/hubspot/contacts/search", KEY, "user_12345", "{\"stage\":\"[\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", DS "/hubspot/contacts/search", KEY, "user_12345", "\"stage\"");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", DS "/hubspot", NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

/* Deleting a linked account (DELETE /linked-account/{id}) takes its datarefs, tables, schedules
 * and linked-account env values, and only those: the same id created again starts empty. */
static void forgetting_a_linked_account(void **state)
{
    refold_mock *m = *state;
    static const char *const las[] = {"user_12345", "user_67890"};
    for (int i = 0; i < 2; i++) {
        create(m, las[i], "contacts");
        th_resp r = th_key(m, "POST", "/api/v2/public/tables", KEY, las[i], "{\"table_name\":\"leads\",\"columns\":[{\"column_name\":\"email\"}]}");
        assert_int_equal(r.status, 200);
        th_free(&r);
        char body[256];
        snprintf(body, sizeof body, "{\"variable_definition_id\":\"6a1402a741e63efd08fb3e6c\",\"value\":\"eu1\",\"linked_account_id\":\"%s\"}", las[i]);
        r = th_key(m, "POST", "/api/v2/public/env/values", KEY, NULL, body);
        assert_int_equal(r.status, 200);
        th_free(&r);
        char la_h[64];
        snprintf(la_h, sizeof la_h, "linked_account_id: %s", las[i]);
        const char *hs[] = {"x-api-key: " KEY, la_h, "slug: hubspot", "workflow_id_alias: 69ae87a592145348d38f4ef9", NULL};
        r = th_request(m, "POST", "/api/v1/workflow/public/scheduled", "{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\"}", hs);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    th_resp del = th_key(m, "DELETE", "/api/v2/public/linked-account/user_12345", KEY, NULL, NULL);
    assert_int_equal(del.status, 200);
    th_free(&del);
    th_create_la(m, KEY, "user_12345", "Again");
    static const char *const lists[] = {D, "/api/v2/public/tables", "/api/v2/public/env/values/linked_account", "/api/v1/workflow/public/scheduled"};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 2; k++) {
            th_resp r = th_key(m, "GET", lists[i], KEY, las[k], NULL);
            assert_int_equal(r.status, 200);
            if (cJSON_GetObjectItem(r.json, "totalDocs")->valueint != k)
                fprintf(stderr, "%s for %s: %s\n", lists[i], las[k], r.body);
            assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, k); /* gone for the first, kept for the second */
            th_free(&r);
        }
}

/* A malformed datastores section stops the mock at start, naming the file and the field. */
static void datastores_fixture_is_checked(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], cmd[512];
    static const char *const broken[] = {"\"broken\": [1],", "\"broken\": {\"a\": 1},"};
    for (int i = 0; i < 2; i++) {
        th_fixtures_copy(dir);
        snprintf(cmd, sizeof cmd, "sed -i 's/\"datastores\": {/\"datastores\": {%s/' '%s/apps/hubspot.json'", broken[i], dir);
        assert_int_equal(system(cmd), 0);
        refold_mock_options o;
        refold_mock_options_init(&o);
        o.fixtures_dir = dir;
        char err[512];
        th_start_refused(&o, err, sizeof err);
        th_remove_dir(dir);
        if (!strstr(err, "hubspot.json") || !strstr(err, "datastores.broken"))
            fprintf(stderr, "case %d: %s\n", i, err);
        assert_non_null(strstr(err, "hubspot.json"));
        assert_non_null(strstr(err, "datastores.broken"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_read_clear_delete, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(list_unique_and_groups, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(dataref_bad_input_and_isolation, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(datastores_read_and_search, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(datastores_bad_input, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(forgetting_a_linked_account, th_setup_two_las, th_teardown),
        cmocka_unit_test(datastores_fixture_is_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
