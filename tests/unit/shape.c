/* shape.c: the shape comparer drift and the docs stage share: types, keys, arrays, the error
 * envelope's values with ids and times masked, extra keys. */
#include "harness.h"
#include "shape.h"

#include <stdlib.h>
#include <string.h>

static int diffs(const char *want, const char *got, int flags, cJSON **out)
{
    cJSON *w = cJSON_Parse(want), *g = cJSON_Parse(got);
    assert_non_null(w);
    assert_non_null(g);
    *out = cJSON_CreateArray();
    int n = shape_compare(w, g, flags, "the recording", "the mock", *out);
    cJSON_Delete(w);
    cJSON_Delete(g);
    return n;
}

static void has(const cJSON *d, const char *line)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, d) if (!strcmp(it->valuestring, line)) return;
    fail_msg("no \"%s\" in %s", line, cJSON_PrintUnformatted(d));
}

static void types_and_keys_recursively(void **state)
{
    (void)state;
    cJSON *d;
    assert_int_equal(diffs("{\"a\":1,\"b\":{\"c\":[{\"d\":\"x\"}]}}", "{\"a\":2,\"b\":{\"c\":[{\"d\":\"y\"}]}}", 0, &d), 0);
    cJSON_Delete(d);
    assert_int_equal(diffs("{\"a\":1,\"b\":{\"c\":[{\"d\":\"x\"}]}}", "{\"a\":\"1\",\"b\":{\"c\":[{\"e\":1}]}}", 0, &d), 2);
    has(d, "/a: number in the recording, string in the mock");
    has(d, "/b/c/0/d: missing in the mock");
    cJSON_Delete(d);
    assert_int_equal(diffs("[1]", "[]", 0, &d), 1);
    has(d, "/: items in the recording, empty in the mock");
    cJSON_Delete(d);
    assert_int_equal(diffs("[]", "[{\"x\":1}]", 0, &d), 0); /* an empty example says nothing of items */
    cJSON_Delete(d);
    assert_int_equal(diffs("{\"a\":null}", "{\"a\":false}", 0, &d), 1);
    has(d, "/a: null in the recording, boolean in the mock");
    cJSON_Delete(d);
}

static void extra_keys_only_when_asked(void **state)
{
    (void)state;
    cJSON *d;
    assert_int_equal(diffs("{\"a\":1}", "{\"a\":1,\"b\":2}", 0, &d), 0);
    cJSON_Delete(d);
    assert_int_equal(diffs("{\"a\":{\"x\":1}}", "{\"a\":{\"x\":1,\"y\":2}}", SHAPE_EXTRA, &d), 1);
    has(d, "/a/y: not in the recording");
    cJSON_Delete(d);
}

static void error_envelope_values_with_ids_and_times_masked(void **state)
{
    (void)state;
    cJSON *d;
    assert_int_equal(diffs("{\"status_code\":404,\"error_code\":\"NOT_FOUND\",\"message\":\"Webhook 64f1c0ffee0000000000abcd not found at 2026-01-01T00:00:00.000Z\"}",
                           "{\"status_code\":404,\"error_code\":\"NOT_FOUND\",\"message\":\"Webhook 6a0000000000000000000999 not found at 2026-12-04T17:00:19Z\",\"hint\":\"h\",\"request_id\":\"r\"}",
                           SHAPE_ERROR, &d), 0);
    cJSON_Delete(d);
    assert_int_equal(diffs("{\"status_code\":404,\"error_code\":\"NOT_FOUND\",\"message\":\"gone\"}",
                           "{\"status_code\":404,\"error_code\":\"RESOURCE_NOT_FOUND\",\"message\":\"gone\",\"extra\":1}", SHAPE_ERROR, &d), 2);
    has(d, "/error_code: NOT_FOUND in the recording, RESOURCE_NOT_FOUND in the mock");
    has(d, "/extra: not in the recording");
    cJSON_Delete(d);
}

static void masks(void **state)
{
    (void)state;
    char *m = shape_mask("id 64f1c0ffee0000000000abcd, uuid 123e4567-e89b-12d3-a456-426614174000 at 2026-01-01T00:00:00.5Z for user_42 x64f1c0ffee0000000000abcd");
    assert_string_equal(m, "id <id>, uuid <id> at <time> for <la> x64f1c0ffee0000000000abcd");
    free(m);
}

static void many_differences_are_capped(void **state)
{
    (void)state;
    cJSON *d;
    diffs("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1}", "{}", 0, &d);
    assert_int_equal(cJSON_GetArraySize(d), SHAPE_MAX_DIFFS);
    cJSON_Delete(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(types_and_keys_recursively),
        cmocka_unit_test(extra_keys_only_when_asked),
        cmocka_unit_test(error_envelope_values_with_ids_and_times_masked),
        cmocka_unit_test(masks),
        cmocka_unit_test(many_differences_are_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
