/* datastores.c: unit tests for the datastore engine (mock/engine/datastores.c): records carry record_id
 * beside id, a search keeps what its filter matches, and an exhausted match budget says so. */
#include "harness.h"
#include "engine/datastores.h"

#include <stdlib.h>
#include <string.h>

static const char *RECORDS =
    "{\"contacts\":[{\"id\":\"r1\",\"email\":\"jane@example.com\"},{\"id\":\"r2\",\"email\":\"sam@acme.example\"},"
    "{\"id\":\"r3\",\"record_id\":\"own\",\"email\":\"x\"}],\"deals\":[]}";

static void names_records_and_ids(void **state)
{
    (void)state;
    cJSON *stores = cJSON_Parse(RECORDS);
    cJSON *names = datastores_names(stores);
    assert_int_equal(cJSON_GetArraySize(names), 2);
    assert_string_equal(cJSON_GetArrayItem(names, 1)->valuestring, "deals");
    cJSON_Delete(names);
    cJSON *recs = datastores_records(cJSON_GetObjectItem(stores, "contacts"));
    assert_int_equal(cJSON_GetArraySize(recs), 3);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(recs, 0), "record_id")->valuestring, "r1");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(recs, 2), "record_id")->valuestring, "own"); /* kept */
    cJSON_Delete(recs);
    cJSON_Delete(stores);
}

static void search_keeps_matches_and_reports_the_budget(void **state)
{
    (void)state;
    cJSON *stores = cJSON_Parse(RECORDS), *filter = cJSON_Parse("{\"email\":\"example\\\\.com$\"}"), *out;
    char err[256];
    struct record_filter *f = record_filter_new(filter, err, sizeof err);
    assert_non_null(f);
    assert_int_equal(datastores_search(cJSON_GetObjectItem(stores, "contacts"), f, &out), 0);
    assert_int_equal(cJSON_GetArraySize(out), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(out, 0), "record_id")->valuestring, "r1");
    cJSON_Delete(out);
    record_filter_free(f);
    cJSON_Delete(filter);
    /* a heavy pattern over long text spends the filter's budget: -1 and no answer */
    cJSON *big = cJSON_CreateArray();
    char *text = malloc(200001);
    memset(text, 'a', 200000);
    text[200000] = 0;
    for (int i = 0; i < 20; i++) {
        cJSON *rec = cJSON_CreateObject();
        cJSON_AddStringToObject(rec, "email", text);
        cJSON_AddItemToArray(big, rec);
    }
    free(text);
    filter = cJSON_Parse("{\"email\":\"(a|b|c|d|e|f|g|h)(a|b|c|d|e|f|g|h)(a|b|c|d|e|f|g|h)z\"}");
    f = record_filter_new(filter, err, sizeof err);
    assert_non_null(f);
    assert_int_equal(datastores_search(big, f, &out), -1);
    assert_null(out);
    record_filter_free(f);
    cJSON_Delete(filter);
    cJSON_Delete(big);
    cJSON_Delete(stores);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_records_and_ids),
        cmocka_unit_test(search_keeps_matches_and_reports_the_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
