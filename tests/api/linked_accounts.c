/* linked_accounts.c: API tests for linked accounts: create, upsert, list/paginate, get, delete,
 * bad input and tenant isolation. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define LA "/api/v2/public/linked-account"

static void create_get_and_list(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", LA, "tk_acme_test", NULL,
                       "{\"linked_account_id\":\"user_12345\",\"name\":\"Acme Inc.\",\"udf\":{\"plan\":\"pro\"}}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "user_12345");
    assert_string_equal(th_str(r.json, "name"), "Acme Inc.");
    assert_string_equal(th_str(r.json, "environment"), "test");
    assert_int_equal(strlen(th_str(r.json, "_id")), 24);
    /* linked-accounts/create-linked-account.mdx, ```json 200: {..., "integrations": null}
     * (the spec says array; the page wins: tests/contract/overrides.json) */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "integrations")));
    th_free(&r);

    r = th_key(m, "GET", LA "/user_12345", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Acme Inc.");
    const cJSON *udf = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "udf"), 0);
    assert_string_equal(th_str(udf, "key_name"), "plan");
    assert_string_equal(th_str(udf, "key_value"), "pro");
    /* get-linked-account.mdx: udf entries carry "_id", "createdAt", "updatedAt" */
    assert_int_equal(strlen(th_str(udf, "_id")), 24);
    assert_non_null(th_str(udf, "createdAt"));
    assert_non_null(th_str(udf, "updatedAt"));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "integrations")));
    th_free(&r);

    /* Creating it again is a conflict and changes nothing. */
    r = th_key(m, "POST", LA, "tk_acme_test", NULL, "{\"linked_account_id\":\"user_12345\",\"name\":\"Other\"}");
    th_assert_error(&r, 409);
    th_free(&r);
    r = th_key(m, "GET", LA "/user_12345", "tk_acme_test", NULL, NULL);
    assert_string_equal(th_str(r.json, "name"), "Acme Inc.");
    th_free(&r);
}

static void pagination(void **state)
{
    refold_mock *m = *state;
    for (int i = 0; i < 12; i++) {
        char id[32];
        snprintf(id, sizeof id, "page_user_%02d", i);
        th_create_la(m, "tk_globex_test", id, "Paged");
    }
    th_resp r = th_key(m, "GET", LA "?page=2&limit=5", "tk_globex_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 5);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 12);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalPages")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(r.json, "nextPage")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(r.json, "prevPage")->valueint, 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "hasNextPage")));
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "account_id"), "page_user_05");
    th_free(&r);
    r = th_key(m, "GET", LA "?limit=abc", "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
}

static void upsert_flat_and_payload(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "PUT", LA, "tk_acme_test", NULL, "{\"linked_account_id\":\"ups_1\",\"name\":\"First\"}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "new_account")));
    th_free(&r);
    r = th_key(m, "PUT", LA, "tk_acme_test", NULL, "{\"linked_account_id\":\"ups_1\",\"name\":\"flat\",\"payload\":{\"name\":\"Renamed\"}}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "new_account")));
    assert_string_equal(th_str(r.json, "name"), "Renamed");
    th_free(&r);
}

static void bad_input_changes_nothing(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", LA, "tk_acme_test", NULL, "{\"linked_account_id\": ");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", LA, "tk_acme_test", NULL, "{\"name\":\"No id\"}");
    assert_string_equal(th_assert_error(&r, 400), "INVALID_LINKED_ACCOUNT_ID");
    th_free(&r);
    r = th_key(m, "POST", LA, "tk_acme_test", NULL, "{\"linked_account_id\":\"x\",\"udf\":{\"a\":1}}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", LA, "tk_acme_test", NULL, "[1,2]");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", LA "/x", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 404); /* the rejected creates above stored nothing */
    th_free(&r);
    r = th_key(m, "GET", LA, "tk_wrong", NULL, NULL);
    /* linked-accounts/list-linked-accounts.mdx, 401: "error": "SERVER_ERROR", "message": "Invalid Credentials" */
    assert_string_equal(th_assert_error(&r, 401), "SERVER_ERROR");
    assert_string_equal(th_str(r.json, "message"), "Invalid Credentials");
    th_free(&r);
    r = th_key(m, "GET", LA, NULL, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

static void tenants_are_isolated(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, "tk_acme_test", "acme_only", "Acme's customer");
    th_resp r = th_key(m, "GET", LA "/acme_only", "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    /* Same org, other environment: also another tenant. */
    r = th_key(m, "GET", LA "/acme_only", "pk_acme_live", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", LA "/acme_only", "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", LA "/acme_only", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void delete_removes_account_and_tokens(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, "tk_acme_test", "to_delete", "Soon gone");
    char token[2048];
    th_session_token(m, "tk_acme_test", "to_delete", token, sizeof token);
    th_resp r = th_key(m, "DELETE", LA "/to_delete", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "User deleted successfully");
    th_free(&r);
    r = th_key(m, "GET", LA "/to_delete", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    /* Its session tokens die with it. */
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", token, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_key(m, "DELETE", LA "/to_delete", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

/* What a linked account owns, one of each family, made over the API. */
static void give_it_everything(refold_mock *m, const char *la, char *token, size_t n)
{
    char body[256], la_h[64];
    th_resp r = th_key(m, "POST", "/api/v2/public/dataref", "tk_acme_test", la, "{\"refName\":\"contacts\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/tables", "tk_acme_test", la, "{\"table_name\":\"leads\",\"columns\":[{\"column_name\":\"email\"}]}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(body, sizeof body, "{\"variable_definition_id\":\"6a1402a741e63efd08fb3e6c\",\"value\":\"owned\",\"linked_account_id\":\"%s\"}", la);
    r = th_key(m, "POST", "/api/v2/public/env/values", "tk_acme_test", NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(la_h, sizeof la_h, "linked_account_id: %s", la);
    const char *hs[] = {"x-api-key: tk_acme_test", la_h, "slug: hubspot", "workflow_id_alias: 69ae87a592145348d38f4ef9", NULL};
    r = th_request(m, "POST", "/api/v1/workflow/public/scheduled", "{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\"}", hs);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_session_token(m, "tk_acme_test", la, token, n);
}

/* The delete takes everything the account owned in one go, and nothing of another account's:
 * an account created again under the same id starts empty. */
static void delete_takes_what_the_account_owned(void **state)
{
    refold_mock *m = *state;
    static const char *const las[] = {"owner_gone", "owner_kept"};
    char tokens[2][2048];
    for (int i = 0; i < 2; i++) {
        th_create_la(m, "tk_acme_test", las[i], las[i]);
        give_it_everything(m, las[i], tokens[i], sizeof tokens[i]);
    }
    th_resp r = th_key(m, "DELETE", LA "/owner_gone", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tokens[0], NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tokens[1], NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "owner_kept");
    th_free(&r);
    th_create_la(m, "tk_acme_test", "owner_gone", "again");
    static const char *const lists[] = {"/api/v2/public/dataref", "/api/v2/public/tables", "/api/v2/public/env/values/linked_account",
                                        "/api/v1/workflow/public/scheduled"};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 2; k++) {
            r = th_key(m, "GET", lists[i], "tk_acme_test", las[k], NULL);
            assert_int_equal(r.status, 200);
            if (cJSON_GetObjectItem(r.json, "totalDocs")->valueint != k)
                fprintf(stderr, "%s for %s: %s\n", lists[i], las[k], r.body);
            assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, k); /* gone for the first, kept for the second */
            th_free(&r);
        }
}

/* ?env_variable_name=&env_variable_value= keeps the accounts whose variable holds that value. */
static void filter_by_environment_variable(void **state)
{
    refold_mock *m = *state;
    const char *crm_region = "6a1402a741e63efd08fb3e6c"; /* CRM_REGION, linked-account scoped */
    th_create_la(m, "tk_acme_test", "region_eu", "EU customer");
    th_create_la(m, "tk_acme_test", "region_na", "NA customer");
    char body[256];
    snprintf(body, sizeof body, "{\"variable_definition_id\":\"%s\",\"value\":\"eu1\"}", crm_region);
    th_resp r = th_key(m, "POST", "/api/v2/public/env/values", "tk_acme_test", "region_eu", body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(body, sizeof body, "{\"variable_definition_id\":\"%s\",\"value\":\"na1\"}", crm_region);
    r = th_key(m, "POST", "/api/v2/public/env/values", "tk_acme_test", "region_na", body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", LA "?env_variable_name=CRM_REGION&env_variable_value=eu1", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "account_id"), "region_eu");
    th_free(&r);
    r = th_key(m, "GET", LA "?env_variable_name=NO_SUCH_VAR&env_variable_value=eu1", "tk_acme_test", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_get_and_list),
        cmocka_unit_test(pagination),
        cmocka_unit_test(upsert_flat_and_payload),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(tenants_are_isolated),
        cmocka_unit_test(delete_removes_account_and_tokens),
        cmocka_unit_test(delete_takes_what_the_account_owned),
        cmocka_unit_test(filter_by_environment_variable),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
