/* fixtures.c: unit tests for the fixtures loader: the shipped catalogue, and precise errors. */
#include "harness.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void shipped_fixtures_load(void **state)
{
    (void)state;
    char err[512];
    struct fixtures *fx = fixtures_load(REFOLD_SOURCE_DIR "/fixtures", err, sizeof err);
    if (!fx)
        fprintf(stderr, "%s\n", err);
    assert_non_null(fx);
    assert_true(cJSON_GetArraySize(fx->apps) >= 12);
    const char *required[] = {"hubspot", "slack", "salesforce", "pipedrive", "twilio", "netsuite", "playground_app"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        assert_non_null(fixtures_app(fx, required[i]));
    /* twilio is key-based with sid and number; netsuite supports both auth types */
    const cJSON *twilio = fixtures_app(fx, "twilio");
    assert_string_equal(json_str(twilio, "auth_type"), "keybased");
    const cJSON *map = cJSON_GetObjectItem(twilio, "auth_input_map");
    assert_string_equal(json_str(cJSON_GetArrayItem(map, 0), "name"), "sid");
    assert_string_equal(json_str(cJSON_GetArrayItem(map, 1), "name"), "number");
    assert_true(fixtures_app_supports(fixtures_app(fx, "netsuite"), "oauth2"));
    assert_true(fixtures_app_supports(fixtures_app(fx, "netsuite"), "keybased"));
    /* the four keys of the contract, each its own tenant */
    const char *keys[] = {"tk_acme_test", "pk_acme_live", "tk_globex_test", "pk_globex_live"};
    for (int i = 0; i < 4; i++)
        assert_non_null(fixtures_tenant_by_key(fx, keys[i]));
    assert_string_not_equal(fixtures_tenant_by_key(fx, "tk_acme_test")->id, fixtures_tenant_by_key(fx, "pk_acme_live")->id);
    assert_string_equal(fixtures_tenant_by_key(fx, "pk_acme_live")->environment, "production");
    assert_null(fixtures_tenant_by_key(fx, "tk_nobody"));
    /* sorted by slug */
    const cJSON *a = NULL, *prev = NULL;
    cJSON_ArrayForEach(a, fx->apps) {
        if (prev)
            assert_true(strcmp(json_str(prev, "slug"), json_str(a, "slug")) < 0);
        prev = a;
    }
    fixtures_free(fx);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void errors_name_file_line_and_field(void **state)
{
    (void)state;
    char dir[] = "/tmp/refold-fx-XXXXXX", path[256], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/apps", dir);
    mkdir(path, 0700);

    /* missing orgs.json */
    assert_null(fixtures_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "orgs.json"));

    snprintf(path, sizeof path, "%s/orgs.json", dir);
    write_file(path, "{\"orgs\": [\n  {\"org_id\": \"x\",\n   \"name\": \"X\",\n   \"environments\": {\"test\": {\"api_key\": }}}]}");
    assert_null(fixtures_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "line 4"));

    write_file(path, "{\"orgs\": [{\"org_id\": \"x\", \"name\": \"X\", \"environments\": {\"staging\": {\"api_key\": \"k\"}}}]}");
    assert_null(fixtures_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "orgs[0].environments.staging"));

    write_file(path, "{\"orgs\": [{\"org_id\": \"x\", \"name\": \"X\", \"environments\": {\"test\": {\"api_key\": \"k\"}}}]}");
    assert_null(fixtures_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "no app files"));

    snprintf(path, sizeof path, "%s/apps/demo.json", dir);
    write_file(path, "{\"name\":\"Demo\",\"slug\":\"other\",\"type\":\"demo\",\"app_id\":\"1\",\"icon\":\"i\",\"description\":\"d\","
                     "\"auth_type\":\"keybased\",\"auth_type_options\":{\"keybased\":[]},\"auth_input_map\":[]}");
    assert_null(fixtures_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "demo.json: slug"));

    write_file(path, "{\"name\":\"Demo\",\"slug\":\"demo\",\"type\":\"demo\",\"app_id\":\"1\",\"icon\":\"i\",\"description\":\"d\","
                     "\"auth_type\":\"keybased\",\"auth_type_options\":{\"keybased\":[]},\"auth_input_map\":[{\"label\":\"L\"}]}");
    assert_null(fixtures_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "auth_input_map[0]"));

    write_file(path, "{\"name\":\"Demo\",\"slug\":\"demo\",\"type\":\"demo\",\"app_id\":\"1\",\"icon\":\"i\",\"description\":\"d\","
                     "\"auth_type\":\"keybased\",\"auth_type_options\":{\"keybased\":[]},\"auth_input_map\":[]}");
    struct fixtures *fx = fixtures_load(dir, err, sizeof err);
    assert_non_null(fx);
    fixtures_free(fx);
    unlink(path);
    snprintf(path, sizeof path, "%s/orgs.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/apps", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_fixtures_load),
        cmocka_unit_test(errors_name_file_line_and_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
