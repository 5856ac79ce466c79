/* events.c: unit tests for the event model (events.c): the fixtures' events are there on first use,
 * a sample's keys are flattened, a name is taken once, update and delete of a gone event. */
#include "harness.h"
#include "engine/events.h"
#include "engine/fixtures.h"
#include "base/json.h"
#include "base/mock.h"

#include <string.h>

static const struct tenant *acme(struct mock *m) { return fixtures_tenant_by_key(m->fx, "tk_acme_test"); }

static void fixture_events_are_seeded(void **state)
{
    struct mock *m = (struct mock *)*state;
    cJSON *ev = events_by_name(m, acme(m), "order_needs_approval");
    assert_non_null(ev);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "response")) > 0);
    cJSON_Delete(ev);
    assert_null(events_by_name(m, acme(m), "never_defined"));
}

static void define_update_delete(void **state)
{
    struct mock *m = (struct mock *)*state;
    const struct tenant *t = acme(m);
    cJSON *sample = json_parse("{\"job\":{\"id\":\"1\",\"open\":true},\"n\":2}");
    cJSON *ev = events_new(m);
    char id[32];
    strcpy(id, json_str(ev, "_id"));
    assert_int_equal(events_save(m, t, ev, 0, "job_opened", sample, sample, NULL), 0);
    cJSON_Delete(ev);
    ev = events_get(m, t, id);
    assert_non_null(ev);
    const char *want[][2] = {{"job", "object"}, {"job.id", "text"}, {"job.open", "boolean"}, {"n", "number"}};
    cJSON *keys = cJSON_GetObjectItem(ev, "response");
    assert_int_equal(cJSON_GetArraySize(keys), 4);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(json_str(cJSON_GetArrayItem(keys, i), "key"), want[i][0]);
        assert_string_equal(json_str(cJSON_GetArrayItem(keys, i), "type"), want[i][1]);
    }
    assert_string_equal(json_str(ev, "raw_response"), "{\"job\":{\"id\":\"1\",\"open\":true},\"n\":2}");
    assert_int_equal(events_save(m, t, ev, 1, "job_opened", sample, sample, NULL), 0); /* its own name */
    cJSON *other = events_new(m);
    assert_int_equal(events_save(m, t, other, 0, "job_opened", sample, sample, NULL), 2); /* taken */
    assert_null(events_get(m, t, json_str(other, "_id")));
    cJSON_Delete(other);
    assert_int_equal(events_delete(m, t, id), 0);
    assert_int_equal(events_save(m, t, ev, 1, "job_opened", sample, sample, NULL), 1); /* gone */
    assert_null(events_get(m, t, id));
    assert_int_equal(events_delete(m, t, id), 1);
    cJSON_Delete(ev);
    cJSON_Delete(sample);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fixture_events_are_seeded, th_reset),
        cmocka_unit_test_setup(define_update_delete, th_reset),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
