/* spec_check.c: unit tests for the request-body check: the overrides' "requests" list all apply,
 * what Refold's clients send passes, and everything else is still reported. */
#include "harness.h"
#include "routes.h"
#include "spec_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *check(const char *op, const char *body)
{
    cJSON *b = cJSON_Parse(body);
    assert_non_null(b);
    cJSON *w = spec_check_body(op, b);
    cJSON_Delete(b);
    return w;
}

static void every_request_override_applies(void **state)
{
    (void)state;
    const char *problem = spec_check_overrides_problem();
    assert_null(problem);
}

/* The backend SDK's bodies (@cobaltio/cobalt 1.3.0): Refold takes them, so the check does too. */
static void backend_sdk_bodies_pass(void **state)
{
    (void)state;
    assert_null(check("migrateTokenForLinkedAccount", "{\"linked_account_id\":\"u1\",\"slug\":\"hubspot\",\"auth_object\":{\"access_token\":\"a\"}}"));
    assert_null(check("triggerEvent", "{\"linked_account_id\":\"u1\",\"event\":\"e\",\"slug\":\"hubspot\",\"config_id\":\"c\",\"payload\":{}}"));
    assert_null(check("triggerEventBySlug", "{\"linked_account_id\":\"u1\",\"event\":\"e\",\"slug\":\"hubspot\",\"payload\":{}}"));
    assert_null(check("upsertLinkedAccount", "{\"linked_account_id\":\"u1\",\"your_app\":{\"app_id\":\"x\",\"auth_credentials\":{\"k\":\"v\"}}}"));
    assert_null(check("updateConfig", "{\"linked_account_id\":\"u1\",\"slug\":\"hubspot\",\"config_id\":\"c\",\"fields\":{\"f1\":\"v\",\"f2\":{\"a\":\"b\"}},"
                                      "\"workflows\":[{\"id\":\"w\",\"enabled\":true,\"fields\":{\"f3\":\"v\"}}]}"));
    assert_null(check("updateConfig", "{\"slug\":\"hubspot\",\"fields\":[{\"id\":\"f1\",\"value\":\"v\"}]}")); /* the spec's form still */
    assert_null(check("getInstalledConfig", "{\"linked_account_id\":\"u1\",\"slug\":\"hubspot\",\"config_id\":\"c\"}"));
}

/* Widening one place changes nothing beside it. */
static void other_violations_still_reported(void **state)
{
    (void)state;
    cJSON *w = check("triggerEvent", "{\"event\":\"e\",\"linked_account\":\"typo\"}");
    assert_non_null(w);
    assert_non_null(strstr(cJSON_GetArrayItem(w, 0)->valuestring, "body.linked_account"));
    cJSON_Delete(w);
    w = check("migrateTokenForLinkedAccount", "{\"linked_account_id\":7,\"slug\":\"hubspot\",\"auth_object\":{}}");
    assert_non_null(w); /* the accepted field keeps a type */
    cJSON_Delete(w);
    w = check("updateConfig", "{\"slug\":\"hubspot\",\"fields\":\"v\"}");
    assert_non_null(w); /* an object or a list, not a string */
    cJSON_Delete(w);
    w = check("createLinkedAccount", "{\"linked_account_id\":\"u1\",\"your_app\":{\"app_id\":\"x\",\"auth_credentials\":{},\"secret\":1}}");
    assert_non_null(w);
    cJSON_Delete(w);
}

/* Every DEPRECATED row names its replacement, and only those rows have one. */
static void deprecated_rows_name_their_replacement(void **state)
{
    (void)state;
    int n = 0;
    for (const struct route *rt = routes; rt->method; rt++) {
        const char *use = routes_deprecated_use(rt);
        if (!(rt->flags & DEPRECATED)) {
            assert_null(use);
            continue;
        }
        n++;
        assert_non_null(use);
        assert_string_not_equal(use, "the current API reference"); /* a row missing from route_deprecations */
        /* the replacement is a row of the table, not deprecated itself */
        char method[8], path[200];
        assert_int_equal(sscanf(use, "%7s %199s", method, path), 2);
        int found = 0;
        for (const struct route *o = routes; o->method; o++)
            found |= !strcmp(o->method, method) && !strcmp(o->pattern, path) && !(o->flags & DEPRECATED);
        assert_true(found);
    }
    assert_true(n >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_request_override_applies),
        cmocka_unit_test(backend_sdk_bodies_pass),
        cmocka_unit_test(other_violations_still_reported),
        cmocka_unit_test(deprecated_rows_name_their_replacement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
