/* env_vars.c: API tests for environment variables: definitions from the fixtures, values per
 * scope (set, get, list, delete), formats, encryption, session tokens, bad input and isolation. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENV "/api/v2/public/env"
#define KEY "tk_acme_test"
#define API_BASE_URL "6a159a9741e63efd0833773f"   /* org, url */
#define BATCH_SIZE "6a159ac241e63efd08337751"     /* org, number */
#define API_SECRET "6a1401de41e63efd08fb3e54"     /* linked_account, encrypted */
#define CRM_REGION "6a1402a741e63efd08fb3e6c"     /* linked_account */
#define ALERT_CHANNEL "6a16c0f841e63efd0834a102"  /* workflow */
#define GLOBEX_URL "6a17e0c941e63efd0835b201"     /* Globex's */

static void definitions(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", ENV "/definitions", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 6);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 6);
    th_free(&r);
    r = th_key(m, "GET", ENV "/definitions?scope=linked_account", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    th_free(&r);
    r = th_key(m, "GET", ENV "/definitions?var_format=url", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "name"), "API_BASE_URL");
    th_free(&r);
    r = th_key(m, "GET", ENV "/definitions?name=^api_&limit=1&page=2", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "name"), "API_SECRET");
    th_free(&r);
    /* Globex sees its own definitions only, in both environments */
    r = th_key(m, "GET", ENV "/definitions", "pk_globex_live", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    th_free(&r);

    r = th_key(m, "GET", ENV "/definitions/" API_SECRET, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *d = cJSON_GetObjectItem(r.json, "definition");
    assert_string_equal(th_str(d, "name"), "API_SECRET");
    assert_string_equal(th_str(d, "scope"), "linked_account");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "encrypted")));
    th_free(&r);
    r = th_key(m, "GET", ENV "/definitions/" GLOBEX_URL, KEY, NULL, NULL); /* another org's */
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", ENV "/definitions/000000000000000000000000", KEY, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 404), "RESOURCE_NOT_FOUND");
    th_free(&r);
    static const char *const bad[] = {ENV "/definitions?scope=team", ENV "/definitions?var_format=json",
                                      ENV "/definitions?name=(", ENV "/definitions?limit=0", NULL};
    for (int i = 0; bad[i]; i++) {
        r = th_key(m, "GET", bad[i], KEY, NULL, NULL);
        th_assert_error(&r, 400);
        th_free(&r);
    }
}

static void org_and_workflow_values(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", ENV "/values", KEY, NULL,
                       "{\"variable_definition_id\":\"" API_BASE_URL "\",\"value\":\"https://api.acme.example\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "value"), "https://api.acme.example");
    assert_string_equal(th_str(r.json, "environment"), "test");
    assert_null(cJSON_GetObjectItem(r.json, "linked_account_id"));
    char first_id[32];
    snprintf(first_id, sizeof first_id, "%s", th_str(r.json, "_id"));
    th_free(&r);
    /* setting again updates the same value */
    r = th_key(m, "POST", ENV "/values", KEY, NULL,
               "{\"variable_definition_id\":\"" API_BASE_URL "\",\"value\":\"https://v2.api.acme.example\"}");
    assert_string_equal(th_str(r.json, "_id"), first_id);
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_BASE_URL, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "value"), "https://v2.api.acme.example");
    assert_string_equal(th_str(r.json, "name"), "API_BASE_URL");
    assert_string_equal(th_str(r.json, "scope"), "org");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "encrypted")));
    th_free(&r);
    /* production is its own environment */
    r = th_key(m, "GET", ENV "/value/" API_BASE_URL, "pk_acme_live", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);

    /* formats */
    r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"" BATCH_SIZE "\",\"value\":\"lots\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"" API_BASE_URL "\",\"value\":\"api.acme.example\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"" BATCH_SIZE "\",\"value\":\"250\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* workflow scope needs a workflow id, and keeps one value per workflow */
    r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"" ALERT_CHANNEL "\",\"value\":\"#alerts\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", ENV "/values", KEY, NULL,
               "{\"variable_definition_id\":\"" ALERT_CHANNEL "\",\"value\":\"#sync-alerts\",\"workflow_id\":\"69ae87a592145348d38f4ef9\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "workflow_id"), "69ae87a592145348d38f4ef9");
    th_free(&r);
    r = th_key(m, "POST", ENV "/values", KEY, NULL,
               "{\"variable_definition_id\":\"" ALERT_CHANNEL "\",\"value\":\"#deals\",\"workflow_id\":\"69ac37fc22d70cfd72c3ce48\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" ALERT_CHANNEL "?workflow_id=69ac37fc22d70cfd72c3ce48", KEY, NULL, NULL);
    assert_string_equal(th_str(r.json, "value"), "#deals");
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/workflow", KEY, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/workflow?workflow_id=69ae87a592145348d38f4ef9", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "success");
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "value"), "#sync-alerts");
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/org", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/org?variable_definition_id=" BATCH_SIZE, KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "value"), "250");
    th_free(&r);

    /* delete */
    char path[128];
    snprintf(path, sizeof path, ENV "/values/%s", first_id);
    r = th_key(m, "DELETE", path, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "success");
    assert_string_equal(th_str(r.json, "message"), "Variable value for \"API_BASE_URL\" deleted successfully");
    th_free(&r);
    r = th_key(m, "DELETE", path, KEY, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 404), "RESOURCE_NOT_FOUND");
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_BASE_URL, KEY, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void linked_account_values_and_tokens(void **state)
{
    refold_mock *m = *state;
    /* encrypted: the write answers the stored ciphertext, reads are redacted */
    th_resp r = th_key(m, "POST", ENV "/values", KEY, NULL,
                       "{\"variable_definition_id\":\"" API_SECRET "\",\"value\":\"s3cr3t-token\",\"linked_account_id\":\"user_12345\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "linked_account_id"), "user_12345");
    assert_string_not_equal(th_str(r.json, "value"), "s3cr3t-token");
    assert_string_not_equal(th_str(r.json, "value"), "[REDACTED]");
    assert_null(strstr(r.body, "s3cr3t-token"));
    char secret_id[32];
    snprintf(secret_id, sizeof secret_id, "%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_SECRET "?linked_account_id=user_12345", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "value"), "[REDACTED]");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "encrypted")));
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_SECRET "?linked_account_id=user_67890", KEY, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_SECRET, KEY, NULL, NULL);
    th_assert_error(&r, 400); /* which linked account? */
    th_free(&r);

    /* a session token sets and reads its own account's values */
    char tok[2048];
    th_session_token(m, KEY, "user_67890", tok, sizeof tok);
    r = th_bearer(m, "POST", ENV "/values", tok, "{\"variable_definition_id\":\"" CRM_REGION "\",\"value\":\"eu1\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "linked_account_id"), "user_67890");
    char region_id[32];
    snprintf(region_id, sizeof region_id, "%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_bearer(m, "GET", ENV "/value/" CRM_REGION, tok, NULL);
    assert_string_equal(th_str(r.json, "value"), "eu1");
    th_free(&r);
    r = th_bearer(m, "GET", ENV "/values/linked_account", tok, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
    /* ...but not another account's, nor org values */
    r = th_bearer(m, "POST", ENV "/values", tok,
                  "{\"variable_definition_id\":\"" CRM_REGION "\",\"value\":\"na1\",\"linked_account_id\":\"user_12345\"}");
    th_assert_error(&r, 403);
    th_free(&r);
    r = th_bearer(m, "POST", ENV "/values", tok, "{\"variable_definition_id\":\"" API_BASE_URL "\",\"value\":\"https://x.example\"}");
    th_assert_error(&r, 403);
    th_free(&r);
    r = th_bearer(m, "GET", ENV "/values/org", tok, NULL);
    th_assert_error(&r, 403);
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, ENV "/values/%s", secret_id);
    r = th_bearer(m, "DELETE", path, tok, NULL);
    th_assert_error(&r, 404);
    th_free(&r);

    /* with the key: every account's values, or one account's */
    r = th_key(m, "GET", ENV "/values/linked_account", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/linked_account?linked_account_id=user_12345", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "value"), "[REDACTED]");
    th_free(&r);
    /* the key with another account's header cannot delete it */
    r = th_key(m, "DELETE", path, KEY, "user_67890", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    snprintf(path, sizeof path, ENV "/values/%s", region_id);
    r = th_bearer(m, "DELETE", path, tok, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_bearer(m, "GET", ENV "/values/linked_account", tok, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
}

static void bad_input_and_isolation(void **state)
{
    refold_mock *m = *state;
    static const char *const bad[] = {
        "{}", "{\"variable_definition_id\":\"" API_BASE_URL "\"}",
        "{\"variable_definition_id\":\"" API_BASE_URL "\",\"value\":42}",
        "{\"variable_definition_id\":\"" CRM_REGION "\",\"value\":\"eu1\"}", /* no linked account */
        "{\"variable_definition_id\":\"" CRM_REGION "\",\"value\":\"eu1\",\"linked_account_id\":7}",
        "[]", "{\"value\":", NULL};
    for (int i = 0; bad[i]; i++) {
        th_resp r = th_key(m, "POST", ENV "/values", KEY, NULL, bad[i]);
        if (r.status != 400)
            fprintf(stderr, "case %d: %s -> %s\n", i, bad[i], r.body);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"nope\",\"value\":\"x\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", ENV "/values", KEY, NULL,
               "{\"variable_definition_id\":\"" CRM_REGION "\",\"value\":\"eu1\",\"linked_account_id\":\"ghost\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    /* another org's definition cannot get a value here */
    r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"" GLOBEX_URL "\",\"value\":\"https://x.example\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/org", KEY, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0); /* nothing was stored */
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/team", KEY, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_BASE_URL "?environment=staging", KEY, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);

    /* a value of Acme's is invisible to Globex */
    r = th_key(m, "POST", ENV "/values", KEY, NULL, "{\"variable_definition_id\":\"" API_BASE_URL "\",\"value\":\"https://api.acme.example\"}");
    char path[128];
    snprintf(path, sizeof path, ENV "/values/%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_key(m, "DELETE", path, "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", ENV "/values/org", "tk_globex_test", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = th_key(m, "GET", ENV "/value/" API_BASE_URL, KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", ENV "/definitions", NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

/* env_definitions.json is checked at start: a bad entry stops the mock and names the file,
 * the entry and the reason; without the file there are simply no definitions. */
static void definitions_fixture_is_checked(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], path[256];
    th_fixtures_copy(dir);
    snprintf(path, sizeof path, "%s/env_definitions.json", dir);
    static const char *const bad[][2] = {
        {"{\"definitions\":[{\"_id\":\"a1\",\"org_id\":\"645270e37917442c4307297a\",\"name\":\"X\",\"scope\":\"team\",\"var_format\":\"string\",\"encrypted\":false}]}", "scope"},
        {"{\"definitions\":[{\"_id\":\"a1\",\"org_id\":\"nope\",\"name\":\"X\",\"scope\":\"org\",\"var_format\":\"string\",\"encrypted\":false}]}", "org_id"},
        {"{\"definitions\":[{\"_id\":\"a1\",\"org_id\":\"645270e37917442c4307297a\",\"name\":\"X\",\"scope\":\"org\",\"var_format\":\"json\",\"encrypted\":false}]}", "var_format"},
        {"{\"definitions\":[{\"_id\":\"a1\",\"org_id\":\"645270e37917442c4307297a\",\"name\":\"X\",\"scope\":\"org\",\"var_format\":\"url\"}]}", "encrypted"},
        {"{\"definitions\":{}}", "definitions"},
        {"{\"definitions\":[", "line"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i][0], f);
        fclose(f);
        refold_mock_options o;
        refold_mock_options_init(&o);
        o.fixtures_dir = dir;
        char err[512];
        th_start_refused(&o, err, sizeof err);
        if (!strstr(err, "env_definitions.json") || !strstr(err, bad[i][1]))
            fprintf(stderr, "case %zu: %s\n", i, err);
        assert_non_null(strstr(err, "env_definitions.json"));
        assert_non_null(strstr(err, bad[i][1]));
    }
    remove(path);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = dir;
    refold_mock *m = th_start(&o);
    th_resp r = th_key(m, "GET", ENV "/definitions", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    refold_mock_stop(m);
    th_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(definitions, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(org_and_workflow_values, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(linked_account_values_and_tokens, th_setup_two_las, th_teardown),
        cmocka_unit_test_setup_teardown(bad_input_and_isolation, th_setup_two_las, th_teardown),
        cmocka_unit_test(definitions_fixture_is_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
