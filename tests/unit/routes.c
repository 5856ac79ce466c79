/* routes.c: unit tests for route matching: literals beat parameters, 405 with Allow, params. */
#include "harness.h"
#include "routes.h"

#include <stdlib.h>
#include <string.h>

static void literal_beats_parameter(void **state)
{
    (void)state;
    req r;
    const struct route *rt;
    char allow[128];
    memset(&r, 0, sizeof r);
    assert_int_equal(routes_match("GET", "/api/v2/public/workflow/enabled", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "listEnabledWorkflows");
    assert_int_equal(routes_match("GET", "/api/v2/public/workflow/wf_1", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "getWorkflowById");
    assert_string_equal(r.param[0], "wf_1");
    assert_int_equal(routes_match("GET", "/api/v2/public/application/event", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "listEvents");
    assert_int_equal(routes_match("DELETE", "/api/v2/public/linked-account/integration/hubspot", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "deleteIntegration");
    free(r.param_mem);
}

static void parameters_in_order(void **state)
{
    (void)state;
    req r;
    const struct route *rt;
    char allow[128];
    memset(&r, 0, sizeof r);
    assert_int_equal(routes_match("PATCH", "/api/v2/public/slug/hubspot/config/cfg1/workflows/wf9", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_int_equal(r.nparams, 3);
    assert_string_equal(r.param[0], "hubspot");
    assert_string_equal(r.param[1], "cfg1");
    assert_string_equal(r.param[2], "wf9");
    free(r.param_mem);
}

/* A trailing slash names the same route as none, parameters and all (the backend SDK builds
 * /slug/hubspot/config/ without a config id); a second one is an empty segment. */
static void trailing_slash_is_the_same_route(void **state)
{
    (void)state;
    req r;
    const struct route *rt;
    char allow[128];
    memset(&r, 0, sizeof r);
    assert_int_equal(routes_match("GET", "/api/v2/public/slug/hubspot/config/", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "getInstalledConfigDefault");
    assert_int_equal(r.nparams, 1);
    assert_string_equal(r.param[0], "hubspot");
    assert_int_equal(routes_match("GET", "/api/v2/public/linked-account/", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "listLinkedAccounts");
    assert_int_equal(r.nparams, 0);
    assert_int_equal(routes_match("GET", "/__mock/clock/", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "mockClock");
    assert_int_equal(routes_match("POST", "/connect/tok/hubspot/", &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_string_equal(rt->operation, "pageHostedConnectSubmit");
    assert_string_equal(r.param[1], "hubspot");
    assert_int_equal(routes_match("PATCH", "/api/v2/public/linked-account/", &r, &rt, allow, sizeof allow), ROUTE_NO_METHOD);
    assert_non_null(strstr(allow, "POST"));
    assert_int_equal(routes_match("GET", "/api/v2/public/linked-account//", &r, &rt, allow, sizeof allow), ROUTE_NO_PATH);
    assert_int_equal(routes_match("GET", "/", &r, &rt, allow, sizeof allow), ROUTE_NO_PATH);
    free(r.param_mem);
}

static void wrong_method_and_unknown_path(void **state)
{
    (void)state;
    req r;
    const struct route *rt;
    char allow[128];
    memset(&r, 0, sizeof r);
    assert_int_equal(routes_match("PATCH", "/api/v2/public/linked-account", &r, &rt, allow, sizeof allow), ROUTE_NO_METHOD);
    assert_non_null(strstr(allow, "GET"));
    assert_non_null(strstr(allow, "POST"));
    assert_non_null(strstr(allow, "PUT"));
    assert_int_equal(routes_match("GET", "/api/v2/public/nothing-here", &r, &rt, allow, sizeof allow), ROUTE_NO_PATH);
    assert_int_equal(routes_match("GET", "/api/v2/public/linked-account/a/b", &r, &rt, allow, sizeof allow), ROUTE_NO_PATH);
    free(r.param_mem);
}

/* Ids of 2 KiB (MOCK_ID_LEN - 1) are parameters like any other; one byte more is too long. */
static void over_long_parameter(void **state)
{
    (void)state;
    req r;
    const struct route *rt;
    char allow[128], path[2200];
    memset(&r, 0, sizeof r);
    strcpy(path, "/api/v2/public/linked-account/");
    memset(path + 30, 'x', 2048);
    path[30 + 2048] = 0;
    assert_int_equal(MOCK_ID_LEN - 1, 2048);
    assert_int_equal(routes_match("GET", path, &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_int_equal(strlen(r.param[0]), 2048);
    assert_int_equal(strspn(r.param[0], "x"), 2048);
    strcat(path, "/"); /* and with a trailing slash */
    assert_int_equal(routes_match("GET", path, &r, &rt, allow, sizeof allow), ROUTE_FOUND);
    assert_int_equal(strlen(r.param[0]), 2048);
    path[30 + 2048] = 'x';
    path[30 + 2049] = 0;
    assert_int_equal(routes_match("GET", path, &r, &rt, allow, sizeof allow), ROUTE_PARAM_TOO_LONG);
    free(r.param_mem);
}

/* Every spec operation is a row (SDK-only routes are named sdk*): the table is the coverage list, so nothing drops out silently. */
static void table_has_every_spec_operation(void **state)
{
    (void)state;
    int spec_ops = 0;
    for (const struct route *rt = routes; rt->method; rt++)
        if (strncmp(rt->pattern, "/api/", 5) == 0 && strncmp(rt->operation, "sdk", 3)) /* SDK rows are named sdk* */
            spec_ops++;
    assert_int_equal(spec_ops, 102);
    assert_true(routes_count() < 512); /* routes_match.c keeps per-row data for 512 rows */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_beats_parameter),
        cmocka_unit_test(parameters_in_order),
        cmocka_unit_test(wrong_method_and_unknown_path),
        cmocka_unit_test(trailing_slash_is_the_same_route),
        cmocka_unit_test(over_long_parameter),
        cmocka_unit_test(table_has_every_spec_operation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
