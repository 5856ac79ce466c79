/* configs.c: unit tests for the config model (mock/engine/configs.c) over an in-memory store: what a
 * deleted linked account takes with it (its configs only, in its tenant only), refusals that
 * change nothing, one field at a time, toggles and deletes. */
#include "harness.h"
#include "engine/configs.h"
#include "base/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APP_JSON                                                                                                        \
    "{\"slug\":\"demo\",\"config\":{\"fields\":["                                                                       \
    "{\"id\":\"count\",\"name\":\"Count\",\"field_type\":\"number\"},"                                                  \
    "{\"id\":\"mode\",\"name\":\"Mode\",\"field_type\":\"select\",\"options\":[{\"name\":\"A\",\"value\":\"a\"}]}],"    \
    "\"workflows\":[{\"id\":\"w1\",\"name\":\"Sync\",\"enabled\":false,"                                                \
    "\"fields\":[{\"id\":\"note\",\"name\":\"Note\",\"field_type\":\"text\"}]}]}}"

struct fx {
    struct mock m;
    struct tenant acme, globex;
    cJSON *app;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[256];
    f->m.store = store_open(":memory:", err, sizeof err);
    assert_non_null(f->m.store);
    pthread_mutex_init(&f->m.clock_lock, NULL);
    snprintf(f->acme.id, sizeof f->acme.id, "acme:test");
    snprintf(f->globex.id, sizeof f->globex.id, "globex:test");
    f->app = cJSON_Parse(APP_JSON);
    assert_non_null(f->app);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    cJSON_Delete(f->app);
    store_close(f->m.store);
    pthread_mutex_destroy(&f->m.clock_lock);
    free(f);
    return 0;
}

/* Installs la's config of the demo app (config_id NULL = the default one) with body. */
static void install(struct fx *f, const struct tenant *t, const char *la, const char *config_id, const char *body)
{
    cJSON *b = cJSON_Parse(body), *cfg = NULL;
    char why[CONFIGS_WHY_LEN] = "";
    assert_int_equal(configs_get_or_create(&f->m, t, la, f->app, config_id, b, &cfg, why, sizeof why), CONFIGS_OK);
    assert_non_null(cfg);
    cJSON_Delete(cfg);
    cJSON_Delete(b);
}

static int count(struct fx *f, const struct tenant *t, const char *la)
{
    cJSON *l = configs_list(&f->m, t, la, NULL);
    int n = cJSON_GetArraySize(l);
    cJSON_Delete(l);
    return n;
}

static void forget_takes_the_accounts_configs_only(void **state)
{
    struct fx *f = *state;
    install(f, &f->acme, "ann", NULL, "{}");
    install(f, &f->acme, "ann", "second", "{}");
    install(f, &f->acme, "bob", NULL, "{}");
    install(f, &f->globex, "ann", NULL, "{}"); /* the same linked account id in another tenant */
    assert_int_equal(count(f, &f->acme, "ann"), 2);

    store_begin(f->m.store); /* joins the caller's transaction */
    configs_forget_linked_account(&f->m, &f->acme, "ann");
    assert_int_equal(store_commit(f->m.store), 0);

    assert_int_equal(count(f, &f->acme, "ann"), 0);
    assert_int_equal(count(f, &f->acme, "bob"), 1);
    assert_int_equal(count(f, &f->globex, "ann"), 1);
    cJSON *c = configs_load(&f->m, &f->acme, "ann", "demo", "second");
    assert_null(c);
    c = configs_load(&f->m, &f->globex, "ann", "demo", NULL);
    assert_non_null(c);
    cJSON_Delete(c);
}

static void refusals_change_nothing(void **state)
{
    struct fx *f = *state;
    cJSON *cfg = NULL, *body = cJSON_Parse("{\"fields\":{\"count\":\"7\"}}");
    char why[CONFIGS_WHY_LEN] = "";
    assert_int_equal(configs_update(&f->m, &f->acme, "ann", f->app, NULL, body, &cfg, why, sizeof why), CONFIGS_NO_CONFIG);
    assert_null(cfg);
    /* created with a numeric string: stored as the number (what <input type="number"> sends) */
    assert_int_equal(configs_get_or_create(&f->m, &f->acme, "ann", f->app, NULL, body, &cfg, why, sizeof why), CONFIGS_OK);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "values"), "count")->valuedouble, 7);
    cJSON_Delete(cfg);
    cJSON_Delete(body);

    body = cJSON_Parse("{\"fields\":{\"count\":3,\"mode\":\"z\"}}");
    assert_int_equal(configs_update(&f->m, &f->acme, "ann", f->app, NULL, body, &cfg, why, sizeof why), CONFIGS_BAD_INPUT);
    assert_string_equal(why, "Field Mode: \"z\" is not one of its options");
    assert_null(cfg);
    cJSON_Delete(body);
    body = cJSON_Parse("{\"workflows\":[{\"id\":\"nope\",\"enabled\":true}]}");
    assert_int_equal(configs_update(&f->m, &f->acme, "ann", f->app, NULL, body, &cfg, why, sizeof why), CONFIGS_BAD_INPUT);
    assert_string_equal(why, "Workflow with id nope not found in application demo");
    cJSON_Delete(body);
    cJSON *stored = configs_load(&f->m, &f->acme, "ann", "demo", NULL);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(stored, "values"), "count")->valuedouble, 7); /* not 3 */
    cJSON_Delete(stored);
    assert_false(store_held()); /* every refusal ended its transaction */
}

static void fields_toggles_and_deletes(void **state)
{
    struct fx *f = *state;
    cJSON *cfg = NULL, *def = NULL, *defs = NULL, *v = cJSON_CreateString("hello");
    char why[400] = "";
    assert_int_equal(configs_write_field(&f->m, &f->acme, "ann", f->app, NULL, "w1", "note", v, &cfg, &def, why, sizeof why),
                     CONFIGS_NO_CONFIG);
    install(f, &f->acme, "ann", NULL, "{}");
    assert_int_equal(configs_write_field(&f->m, &f->acme, "ann", f->app, NULL, "w1", "count", v, &cfg, &def, why, sizeof why),
                     CONFIGS_NO_FIELD); /* an app-level field is no field of the workflow */
    assert_int_equal(configs_write_field(&f->m, &f->acme, "ann", f->app, NULL, NULL, "count", v, &cfg, &def, why, sizeof why),
                     CONFIGS_BAD_INPUT);
    assert_int_equal(configs_write_field(&f->m, &f->acme, "ann", f->app, NULL, "w1", "note", v, &cfg, &def, why, sizeof why),
                     CONFIGS_OK);
    cJSON *view = configs_field_view(def, cfg, "w1");
    assert_string_equal(cJSON_GetObjectItem(view, "value")->valuestring, "hello");
    cJSON_Delete(view);
    cJSON_Delete(cfg);
    cJSON_Delete(def);
    cJSON_Delete(v);

    assert_int_equal(configs_toggle_workflow(&f->m, &f->acme, "ann", f->app, NULL, "nope", 1, &cfg, &defs), CONFIGS_NO_WORKFLOW);
    assert_int_equal(configs_toggle_workflow(&f->m, &f->acme, "ann", f->app, NULL, "w1", 1, &cfg, &defs), CONFIGS_OK);
    assert_true(configs_workflow_enabled(cfg, cJSON_GetArrayItem(defs, 0)));
    cJSON_Delete(cfg);
    cJSON_Delete(defs);
    cfg = configs_load(&f->m, &f->acme, "ann", "demo", NULL);
    assert_true(configs_workflow_enabled(cfg, cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(f->app, "config"), "workflows"), 0)));
    cJSON_Delete(cfg);

    assert_int_equal(configs_delete(&f->m, &f->acme, "ann", "demo", NULL), 0);
    assert_int_equal(configs_delete(&f->m, &f->acme, "ann", "demo", NULL), 1);
    assert_int_equal(count(f, &f->acme, "ann"), 0);
    assert_false(store_held());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forget_takes_the_accounts_configs_only, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(fields_toggles_and_deletes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
