/* scenario_parse.c: unit tests for scenario validation: every shipped scenario is valid, and each
 * kind of mistake gets one message naming the file, the step and the field. */
#include "harness.h"
#include "engine/fixtures.h"
#include "engine/scenario.h"
#include "base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static struct fixtures *fx;

static int setup_fx(void **state)
{
    (void)state;
    char err[512];
    fx = fixtures_load(REFOLD_SOURCE_DIR "/fixtures", err, sizeof err);
    if (!fx)
        fprintf(stderr, "%s\n", err);
    return fx ? 0 : -1;
}

static int teardown_fx(void **state)
{
    (void)state;
    fixtures_free(fx);
    return 0;
}

static struct sc_script *parse(const char *json, char *err, size_t n)
{
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    return scenario_parse(doc, fx, &fx->tenants[0], "test.json", err, n);
}

/* Asserts that json is refused with a message containing every one of the fragments. */
static void refused(const char *json, const char *f1, const char *f2)
{
    char err[1024] = "";
    struct sc_script *s = parse(json, err, sizeof err);
    if (s)
        fprintf(stderr, "accepted: %s\n", json);
    assert_null(s);
    if (!strstr(err, f1) || (f2 && !strstr(err, f2)))
        fprintf(stderr, "message: %s\nwanted: '%s' and '%s'\n", err, f1, f2 ? f2 : "");
    assert_non_null(strstr(err, "test.json: "));
    assert_non_null(strstr(err, f1));
    if (f2)
        assert_non_null(strstr(err, f2));
}

#define STEP(when, todo) "{\"name\":\"s\",\"steps\":[{\"name\":\"one\",\"when\":" when ",\"do\":[" todo "]}]}"
#define SETUP "\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"acme-co\"}]}"
#define WITH_LA(todo) "{\"name\":\"s\"," SETUP ",\"steps\":[{\"name\":\"one\",\"when\":{\"manual\":true},\"do\":[" todo "]}]}"

static void shipped_scenarios_are_valid(void **state)
{
    (void)state;
    DIR *d = opendir(REFOLD_SOURCE_DIR "/scenarios");
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
            continue;
        char path[1024], err[1024];
        snprintf(path, sizeof path, "%s/scenarios/%s", REFOLD_SOURCE_DIR, de->d_name);
        cJSON *doc = util_read_json_file(path, err, sizeof err);
        if (!doc)
            fprintf(stderr, "%s\n", err);
        assert_non_null(doc);
        struct sc_script *s = scenario_parse(doc, fx, &fx->tenants[0], path, err, sizeof err);
        if (!s)
            fprintf(stderr, "%s\n", err);
        assert_non_null(s);
        /* the file is named after the scenario, so {"name": ...} finds it */
        assert_int_equal(strncmp(de->d_name, s->name, len - 5), 0);
        assert_true(s->nsteps > 0);
        scenario_parse_free(s);
        n++;
    }
    closedir(d);
    assert_true(n >= 8);
}

static void triggers_are_read(void **state)
{
    (void)state;
    char err[512];
    struct sc_script *s = parse("{\"name\":\"t\",\"api_key\":\"tk_globex_test\",\"steps\":["
                                "{\"name\":\"a\",\"when\":{\"after_seconds\":1.5},\"do\":[]},"
                                "{\"name\":\"b\",\"when\":{\"after_requests\":{\"path\":\"/x/*\",\"count\":3,\"linked_account_id\":\"la1\"}},"
                                "\"do\":[{\"action\":\"expire_connection\",\"linked_account_id\":\"la1\",\"slug\":\"hubspot\"}]},"
                                "{\"name\":\"c\",\"when\":{\"manual\":true},\"do\":[]}]}",
                                err, sizeof err);
    if (!s)
        fprintf(stderr, "%s\n", err);
    assert_non_null(s);
    assert_string_equal(s->t->api_key, "tk_globex_test");
    assert_int_equal(s->nsteps, 3);
    assert_int_equal(s->steps[0].kind, SC_AFTER_SECONDS);
    assert_int_equal(s->steps[0].after_ms, 1500);
    assert_int_equal(s->steps[1].kind, SC_AFTER_REQUESTS);
    assert_null(s->steps[1].method);
    assert_string_equal(s->steps[1].path, "/x/*");
    assert_int_equal(s->steps[1].count, 3);
    assert_string_equal(s->steps[1].la, "la1");
    assert_int_equal(s->steps[2].kind, SC_MANUAL);
    assert_int_equal(s->steps[2].fired_at_ms, -1);
    scenario_parse_free(s);
}

static void top_level_mistakes(void **state)
{
    (void)state;
    refused("{\"name\":\"s\",\"steps\":[],\"stpes\":[]}", "stpes: unknown field", NULL);
    refused("{\"steps\":[]}", "name: is required", NULL);
    refused("{\"name\":\"../x\",\"steps\":[]}", "name: '../x' must be", NULL);
    refused("{\"name\":\"s\"}", "steps: is required", NULL);
    refused("{\"name\":\"s\",\"steps\":{}}", "steps: must be an array", NULL);
    refused("{\"name\":\"s\",\"version\":2,\"steps\":[]}", "version: this mock reads version 1", NULL);
    refused("{\"name\":\"s\",\"api_key\":\"tk_nobody\",\"steps\":[]}", "api_key: 'tk_nobody' is not an API key", NULL);
    refused("{\"name\":\"s\",\"setup\":[],\"steps\":[]}", "setup: must be an object", NULL);
    refused("[1,2]", "a scenario is a JSON object", NULL);
}

static void step_mistakes(void **state)
{
    (void)state;
    refused("{\"name\":\"s\",\"steps\":[{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[]},"
            "{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[]}]}",
            "step 'a' (steps[1]): name: duplicate step name (steps[0]", NULL);
    refused("{\"name\":\"s\",\"steps\":[{\"when\":{\"manual\":true},\"do\":[]}]}", "steps[0]: name: is required", NULL);
    refused("{\"name\":\"s\",\"steps\":[{\"name\":\"a b\",\"when\":{\"manual\":true},\"do\":[]}]}", "name: 'a b' must be", NULL);
    refused("{\"name\":\"s\",\"steps\":[{\"name\":\"a\",\"when\":{\"manual\":true}}]}", "step 'a' (steps[0]): do: is required", NULL);
    refused("{\"name\":\"s\",\"steps\":[{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[],\"then\":1}]}",
            "step 'a' (steps[0]): then: unknown field", NULL);
}

static void trigger_mistakes(void **state)
{
    (void)state;
    refused(STEP("{}", ""), "when: must hold exactly one trigger", NULL);
    refused(STEP("{\"manual\":true,\"after_seconds\":3}", ""), "when: must hold exactly one trigger", NULL);
    refused(STEP("{\"after_minutes\":3}", ""), "when.after_minutes: unknown field", NULL);
    refused(STEP("{\"after_seconds\":-1}", ""), "when.after_seconds: must be a number", NULL);
    refused(STEP("{\"after_seconds\":\"10\"}", ""), "when.after_seconds: must be a number", NULL);
    refused(STEP("{\"manual\":false}", ""), "when.manual: must be true", NULL);
    refused(STEP("{\"after_requests\":{\"count\":2}}", ""), "when.after_requests.path: is required", NULL);
    refused(STEP("{\"after_requests\":{\"path\":\"api/x\"}}", ""), "when.after_requests.path: must start with '/'", NULL);
    refused(STEP("{\"after_requests\":{\"path\":\"/x\",\"count\":0}}", ""), "when.after_requests.count: must be an integer", NULL);
    refused(STEP("{\"after_requests\":{\"path\":\"/x\",\"method\":\"FETCH\"}}", ""), "when.after_requests.method", NULL);
    refused(STEP("{\"after_requests\":{\"path\":\"/x\",\"status\":200}}", ""), "when.after_requests.status: unknown field", NULL);
    refused(STEP("\"soon\"", ""), "when: must be an object", NULL);
}

static void action_mistakes(void **state)
{
    (void)state;
    refused(STEP("{\"manual\":true}", "{\"action\":\"explode\"}"), "step 'one' (steps[0]): do[0].action: unknown action 'explode'",
            "expire_connection");
    /* the refusal names every known action, read from the one table */
    for (const struct scenario_action *a = scenario_parse_actions; a->name; a++)
        refused(STEP("{\"manual\":true}", "{\"action\":\"explode\"}"), "unknown action 'explode' (known: ", a->name);
    refused(STEP("{\"manual\":true}", "{\"slug\":\"hubspot\"}"), "do[0].action: is required", NULL);
    refused(WITH_LA("{\"action\":\"expire_connection\",\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\",\"reason\":\"bored\"}"),
            "do[0].reason: 'bored' is not one of expired, revoked, uninstalled", NULL);
    refused(WITH_LA("{\"action\":\"expire_connection\",\"linked_account_id\":\"acme-co\",\"slug\":\"hubspt\"}"),
            "do[0].slug: unknown app 'hubspt'", NULL);
    refused(WITH_LA("{\"action\":\"expire_connection\",\"linked_account_id\":\"acme-c0\",\"slug\":\"hubspot\"}"),
            "do[0].linked_account_id: unknown linked account 'acme-c0'", NULL);
    refused(WITH_LA("{\"action\":\"connect\",\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\",\"colour\":\"red\"}"),
            "do[0].colour: unknown field", NULL);
    refused(WITH_LA("{\"action\":\"connect\",\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\",\"auth_type\":\"keybased\"}"),
            "do[0].auth_type: hubspot does not support keybased", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"fail_requests\",\"path\":\"/x\",\"status\":200}"),
            "do[0].status: must be an integer from 400 to 599", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"fail_requests\",\"status\":429}"), "do[0].path: is required", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"fail_requests\",\"path\":\"/x\",\"status\":429,\"times\":0}"),
            "do[0].times: must be at least 1", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"fail_requests\",\"path\":\"/x\",\"status\":429,\"body\":{\"msg\":\"x\"}}"),
            "do[0].body.msg: unknown field", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"delay_requests\",\"path\":\"/x\"}"), "do[0].ms: is required", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"set_action_result\",\"slug\":\"hubspot\",\"action_id\":\"fly\"}"),
            "do[0].action_id: hubspot has no action 'fly'", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"set_workflow_outcome\",\"workflow_id\":\"nope\",\"outcome\":\"errored\"}"),
            "do[0].workflow_id: unknown workflow 'nope'", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"set_workflow_outcome\",\"outcome\":\"maybe\"}"),
            "do[0].outcome: 'maybe' is not errored or completed", NULL);
    refused(WITH_LA("{\"action\":\"emit_webhook\",\"event\":\"Connection Exploded\",\"linked_account_id\":\"acme-co\"}"),
            "do[0].event: 'Connection Exploded' is not one of", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"advance_clock\",\"seconds\":0}"), "do[0].seconds: must be a number above 0", NULL);
    refused(STEP("{\"manual\":true}", "{\"action\":\"revoke_session_tokens\",\"linked_account_id\":\"who\"}"),
            "do[0].linked_account_id: unknown linked account 'who'", NULL);
}

static void linked_accounts_become_known(void **state)
{
    (void)state;
    char err[512];
    /* created by an earlier action */
    struct sc_script *s = parse("{\"name\":\"s\",\"steps\":["
                                "{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"create_linked_account\",\"linked_account_id\":\"new-co\"}]},"
                                "{\"name\":\"b\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"connect\",\"linked_account_id\":\"new-co\",\"slug\":\"slack\"}]}]}",
                                err, sizeof err);
    if (!s)
        fprintf(stderr, "%s\n", err);
    assert_non_null(s);
    scenario_parse_free(s);
    /* named by a trigger */
    s = parse("{\"name\":\"s\",\"steps\":[{\"name\":\"a\",\"when\":{\"after_requests\":{\"path\":\"/x\",\"linked_account_id\":\"la9\"}},"
              "\"do\":[{\"action\":\"delete_connection\",\"linked_account_id\":\"la9\",\"slug\":\"slack\"}]}]}",
              err, sizeof err);
    assert_non_null(s);
    scenario_parse_free(s);
    /* but not before it is created */
    refused("{\"name\":\"s\",\"steps\":["
            "{\"name\":\"a\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"connect\",\"linked_account_id\":\"new-co\",\"slug\":\"slack\"}]},"
            "{\"name\":\"b\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"create_linked_account\",\"linked_account_id\":\"new-co\"}]}]}",
            "step 'a' (steps[0]): do[0].linked_account_id: unknown linked account 'new-co'", NULL);
}

static void names(void **state)
{
    (void)state;
    assert_true(scenario_parse_valid_name("reauth-demo"));
    assert_true(scenario_parse_valid_name("v1.2_x"));
    assert_false(scenario_parse_valid_name(""));
    assert_false(scenario_parse_valid_name("../etc/passwd"));
    assert_false(scenario_parse_valid_name("a/b"));
    assert_false(scenario_parse_valid_name(".hidden"));
    assert_false(scenario_parse_valid_name("a..b"));
    assert_false(scenario_parse_valid_name("a b"));
}

/* scenarios/README.md's action table lists exactly the actions of scenario_parse_actions, in order. */
static void readme_lists_the_actions(void **state)
{
    (void)state;
    FILE *f = fopen(REFOLD_SOURCE_DIR "/scenarios/README.md", "r");
    assert_non_null(f);
    char line[4096];
    int in = 0, k = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "| action | fields | does |", 26)) {
            in = 1;
            continue;
        }
        if (!in || !strncmp(line, "|---", 4))
            continue;
        if (strncmp(line, "| `", 3))
            break;
        char name[64];
        assert_int_equal(sscanf(line, "| `%63[^`]`", name), 1);
        assert_non_null(scenario_parse_actions[k].name);
        assert_string_equal(name, scenario_parse_actions[k].name);
        k++;
    }
    fclose(f);
    assert_true(in);
    assert_null(scenario_parse_actions[k].name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_scenarios_are_valid),
        cmocka_unit_test(triggers_are_read),
        cmocka_unit_test(top_level_mistakes),
        cmocka_unit_test(step_mistakes),
        cmocka_unit_test(trigger_mistakes),
        cmocka_unit_test(action_mistakes),
        cmocka_unit_test(linked_accounts_become_known),
        cmocka_unit_test(names),
        cmocka_unit_test(readme_lists_the_actions),
    };
    return cmocka_run_group_tests(tests, setup_fx, teardown_fx);
}
