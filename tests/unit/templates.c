/* templates.c: unit tests for action templates (placeholders, types, dropped parameters, deep
 * merge) and the flows fixture check, run over every shipped app and over broken ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/flows_fixture.h"
#include "base/json.h"
#include "engine/templates.h"
#include "base/util.h"

static cJSON *parse(const char *s)
{
    cJSON *v = cJSON_Parse(s);
    assert_non_null(v);
    return v;
}

static void assert_json(const cJSON *got, const char *want)
{
    cJSON *w = parse(want);
    if (!cJSON_Compare(got, w, 1)) {
        char *g = cJSON_PrintUnformatted(got);
        fprintf(stderr, "got  %s\nwant %s\n", g, want);
        free(g);
    }
    assert_true(cJSON_Compare(got, w, 1));
    cJSON_Delete(w);
}

static void placeholders(void **state)
{
    (void)state;
    cJSON *params = parse("{\"email\":\"jane@example.com\",\"n\":3,\"flag\":false,\"tags\":[\"a\"],\"obj\":{\"k\":1}}");
    cJSON *rec = parse("{\"id\":\"r1\"}"), *recs = parse("[{\"id\":\"r1\"},{\"id\":\"r2\"}]");
    struct tpl_ctx c = {.params = params, .record = rec, .records = recs, .now = "2026-06-16T13:15:00.000Z", .id = "abc"};
    cJSON *tpl = parse("{\"id\":\"{{id}}\",\"email\":\"{{param.email}}\",\"n\":\"{{param.n}}\",\"flag\":\"{{param.flag}}\","
                       "\"tags\":\"{{param.tags}}\",\"obj\":\"{{param.obj}}\",\"missing\":\"{{param.phone}}\",\"at\":\"{{now}}\","
                       "\"rec\":\"{{record}}\",\"all\":\"{{records}}\",\"text\":\"Hello {{param.email}}\",\"list\":[\"{{param.n}}\",\"{{param.nope}}\",7],"
                       "\"deep\":{\"x\":{\"y\":\"{{param.email}}\"}},\"unknown\":\"{{whatever}}\",\"n2\":5,\"nul\":null}");
    cJSON *out = templates_render(tpl, &c);
    assert_json(out, "{\"id\":\"abc\",\"email\":\"jane@example.com\",\"n\":3,\"flag\":false,\"tags\":[\"a\"],\"obj\":{\"k\":1},"
                     "\"at\":\"2026-06-16T13:15:00.000Z\",\"rec\":{\"id\":\"r1\"},\"all\":[{\"id\":\"r1\"},{\"id\":\"r2\"}],"
                     "\"text\":\"Hello {{param.email}}\",\"list\":[3,7],\"deep\":{\"x\":{\"y\":\"jane@example.com\"}},"
                     "\"unknown\":\"{{whatever}}\",\"n2\":5,\"nul\":null}");
    /* the template itself is untouched */
    assert_string_equal(json_str(tpl, "email"), "{{param.email}}");
    cJSON_Delete(out);

    /* nothing to stand for: record -> null, records -> [] */
    struct tpl_ctx empty = {0};
    cJSON *t2 = parse("{\"a\":\"{{record}}\",\"b\":\"{{records}}\"}");
    out = templates_render(t2, &empty);
    assert_json(out, "{\"a\":null,\"b\":[]}");
    cJSON_Delete(out);
    cJSON *t3 = parse("\"{{param.x}}\"");
    out = templates_render(t3, &empty);
    assert_true(cJSON_IsNull(out)); /* a dropped top level */
    cJSON_Delete(out);
    cJSON_Delete(t3);
    cJSON_Delete(t2);
    cJSON_Delete(tpl);
    cJSON_Delete(params);
    cJSON_Delete(rec);
    cJSON_Delete(recs);
}

static void merge(void **state)
{
    (void)state;
    cJSON *target = parse("{\"id\":\"1\",\"properties\":{\"email\":\"a@b.c\",\"firstname\":\"Jane\"},\"tags\":[1,2],\"archived\":false}");
    cJSON *patch = parse("{\"properties\":{\"firstname\":\"Janet\",\"jobtitle\":\"CTO\"},\"tags\":[3],\"archived\":true,\"new\":{\"k\":1}}");
    templates_merge(target, patch);
    assert_json(target, "{\"id\":\"1\",\"properties\":{\"email\":\"a@b.c\",\"firstname\":\"Janet\",\"jobtitle\":\"CTO\"},"
                        "\"tags\":[3],\"archived\":true,\"new\":{\"k\":1}}");
    cJSON_Delete(target);
    cJSON_Delete(patch);
}

static void valid_strings(void **state)
{
    (void)state;
    assert_true(templates_valid_string("plain"));
    assert_true(templates_valid_string("{{id}}"));
    assert_true(templates_valid_string("{{now}}"));
    assert_true(templates_valid_string("{{record}}"));
    assert_true(templates_valid_string("{{records}}"));
    assert_true(templates_valid_string("{{param.email}}"));
    assert_false(templates_valid_string("{{recrod}}"));
    assert_false(templates_valid_string("{{}}"));
}

static void shipped_fixtures_pass(void **state)
{
    (void)state;
    DIR *d = opendir(REFOLD_SOURCE_DIR "/fixtures/apps");
    assert_non_null(d);
    struct dirent *e;
    int checked = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        char path[512], err[512] = "";
        snprintf(path, sizeof path, REFOLD_SOURCE_DIR "/fixtures/apps/%s", e->d_name);
        cJSON *app = util_read_json_file(path, err, sizeof err);
        assert_non_null(app);
        if (flows_fixture_check(app, err, sizeof err))
            fprintf(stderr, "%s: %s\n", e->d_name, err);
        assert_int_equal(flows_fixture_check(app, err, sizeof err), 0);
        cJSON_Delete(app);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 10);
}

static void broken_fixtures_are_named(void **state)
{
    (void)state;
    static const struct {
        const char *app, *where;
    } cases[] = {
        {"{\"actions\":{}}", "actions"},
        {"{\"actions\":[{\"name\":\"X\"}]}", "actions[0]"},
        {"{\"actions\":[{\"action_id\":\"a\",\"name\":\"A\",\"records\":{\"op\":\"upsert\",\"collection\":\"c\"},\"result\":{}}]}", "actions[0].records.op"},
        {"{\"actions\":[{\"action_id\":\"a\",\"name\":\"A\",\"records\":{\"op\":\"get\",\"collection\":\"c\",\"id_param\":\"id\"},\"result\":{}}]}", "actions[0].records.id_param"},
        {"{\"actions\":[{\"action_id\":\"a\",\"name\":\"A\",\"parameters\":[{\"name\":\"x\"}],\"result\":{\"v\":\"{{param.y}}\"}}]}", "actions[0].result.v"},
        {"{\"actions\":[{\"action_id\":\"a\",\"name\":\"A\",\"result\":{\"v\":[\"{{recrod}}\"]}}]}", "actions[0].result.v[]"},
        {"{\"actions\":[{\"action_id\":\"a\",\"name\":\"A\",\"records\":{\"op\":\"create\",\"collection\":\"c\"},\"result\":{}}]}", "actions[0].record"},
        {"{\"actions\":[{\"action_id\":\"a\",\"name\":\"A\",\"result\":{}},{\"action_id\":\"a\",\"name\":\"B\",\"result\":{}}]}", "actions[1].action_id"},
        {"{\"config\":{\"fields\":[{\"id\":\"f\",\"name\":\"F\",\"field_type\":\"select\"}]}}", "config.fields[0].options"},
        {"{\"config\":{\"fields\":[{\"id\":\"f\",\"name\":\"F\",\"field_type\":\"map\",\"options\":[]}]}}", "config.fields[0].labels"},
        {"{\"config\":{\"fields\":[{\"id\":\"f\",\"name\":\"F\",\"field_type\":\"text\"},{\"id\":\"f\",\"name\":\"G\",\"field_type\":\"text\"}]}}", "config.fields[1].id"},
        {"{\"config\":{\"workflows\":[{\"id\":\"w1\",\"name\":\"W\"}]}}", "config.workflows[0].id"},
        {"{\"config\":{\"workflows\":[{\"id\":\"69ae87a592145348d38f4ef9\",\"name\":\"W\",\"run\":{\"outcome\":\"maybe\"}}]}}", "config.workflows[0].run.outcome"},
        {"{\"config\":{\"workflows\":[{\"id\":\"69ae87a592145348d38f4ef9\",\"name\":\"W\",\"run\":{\"batches\":{\"count\":0}}}]}}", "config.workflows[0].run.batches"},
        {"{\"config\":{\"workflows\":[{\"id\":\"69ae87a592145348d38f4ef9\",\"name\":\"W\",\"trigger\":{}}]}}", "config.workflows[0].trigger"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *app = parse(cases[i].app);
        char err[512] = "";
        assert_int_equal(flows_fixture_check(app, err, sizeof err), -1);
        if (strncmp(err, cases[i].where, strlen(cases[i].where)))
            fprintf(stderr, "case %zu: %s\n", i, err);
        assert_memory_equal(err, cases[i].where, strlen(cases[i].where));
        cJSON_Delete(app);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(placeholders),
        cmocka_unit_test(merge),
        cmocka_unit_test(valid_strings),
        cmocka_unit_test(shipped_fixtures_pass),
        cmocka_unit_test(broken_fixtures_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
