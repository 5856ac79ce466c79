/* groups.c: unit tests for group edit's engine half (mock/engine/groups.c) over an in-memory store: every
 * document or none, a group set and cleared, a failed save keeping nothing. */
#include "harness.h"
#include "engine/groups.h"
#include "base/json.h"
#include "base/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tenant acme = {.id = "acme:test"};

static cJSON *load(void *ctx, const char *id)
{
    struct mock *m = ctx;
    return store_get(m->store, acme.id, "thing", id);
}

static int save(struct mock *m, const struct tenant *t, cJSON *doc)
{
    return store_put(m->store, t->id, "thing", json_str(doc, "id"), NULL, doc);
}

/* Saves t0, then fails on t1 (a store error after a write): the rollback must undo t0's. */
static int refuse(struct mock *m, const struct tenant *t, cJSON *doc)
{
    return strcmp(json_str(doc, "id"), "t1") ? save(m, t, doc) : -1;
}

static const char *group_of(struct mock *m, const char *id, char *out, size_t n)
{
    cJSON *d = store_get(m->store, acme.id, "thing", id);
    snprintf(out, n, "%s", json_str(d, "group") ? json_str(d, "group") : "(none)");
    cJSON_Delete(d);
    return out;
}

static void all_or_none(void **state)
{
    (void)state;
    char err[256], g[32];
    struct mock m = {0};
    m.store = store_open(":memory:", err, sizeof err);
    assert_non_null(m.store);
    for (int i = 0; i < 2; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%d", i);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "id", id);
        store_put(m.store, acme.id, "thing", id, NULL, d);
        cJSON_Delete(d);
    }
    cJSON *both = cJSON_Parse("[\"t0\",\"t1\"]"), *with_unknown = cJSON_Parse("[\"t0\",\"nope\"]");
    assert_int_equal(groups_set(&m, &acme, both, "sales", load, &m, save), 0);
    assert_string_equal(group_of(&m, "t0", g, sizeof g), "sales");
    assert_string_equal(group_of(&m, "t1", g, sizeof g), "sales");

    assert_int_equal(groups_set(&m, &acme, with_unknown, "ops", load, &m, save), 1);
    assert_string_equal(group_of(&m, "t0", g, sizeof g), "sales"); /* the known one unchanged too */
    assert_int_equal(groups_set(&m, &acme, both, "ops", load, &m, refuse), -1);
    assert_string_equal(group_of(&m, "t0", g, sizeof g), "sales");
    assert_string_equal(group_of(&m, "t1", g, sizeof g), "sales");
    assert_false(store_held());

    assert_int_equal(groups_set(&m, &acme, both, "", load, &m, save), 0); /* "" clears */
    assert_string_equal(group_of(&m, "t0", g, sizeof g), "(none)");
    cJSON_Delete(both);
    cJSON_Delete(with_unknown);
    store_close(m.store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_or_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
