/* env_vars.c: unit tests for the environment-variable model (mock/engine/env_vars.c) on an in-memory
 * store: a linked account's part of the delete cascade, the accounts-with-a-value lookup, the
 * reach of a value delete. */
#include "harness.h"
#include "engine/env_vars.h"
#include "engine/fixtures.h"
#include "base/store.h"

#include <stdlib.h>
#include <string.h>

#define ORG "org1"
#define LA_DEF "def_la"   /* a linked_account variable */
#define ENC_DEF "def_enc" /* an encrypted linked_account variable */
#define ORG_DEF "def_org" /* an org variable */

struct world {
    struct mock m;
    struct fixtures fx;
    struct tenant t;
};

static cJSON *definition(const char *id, const char *name, const char *scope, int encrypted)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "_id", id);
    cJSON_AddStringToObject(d, "org_id", ORG);
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddStringToObject(d, "scope", scope);
    cJSON_AddStringToObject(d, "var_format", "string");
    cJSON_AddBoolToObject(d, "encrypted", encrypted);
    return d;
}

static void add_account(struct world *w, const char *la)
{
    cJSON *d = cJSON_CreateObject();
    assert_int_equal(store_put(w->m.store, w->t.id, "linked_account", la, NULL, d), 0);
    cJSON_Delete(d);
}

static void set(struct world *w, const char *def_id, const char *la, const char *value)
{
    cJSON *out = NULL;
    const cJSON *def = env_vars_definition(&w->m, &w->t, def_id);
    assert_non_null(def);
    assert_int_equal(env_vars_set(&w->m, &w->t, def, la, "", value, "api_key:test", &out), ENV_VARS_OK);
    cJSON_Delete(out);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    char err[256];
    w->m.store = store_open(":memory:", err, sizeof err);
    assert_non_null(w->m.store);
    pthread_mutex_init(&w->m.clock_lock, NULL);
    w->fx.env_definitions = cJSON_CreateArray();
    cJSON_AddItemToArray(w->fx.env_definitions, definition(LA_DEF, "PLAN", "linked_account", 0));
    cJSON_AddItemToArray(w->fx.env_definitions, definition(ENC_DEF, "SECRET", "linked_account", 1));
    cJSON_AddItemToArray(w->fx.env_definitions, definition(ORG_DEF, "BASE", "org", 0));
    w->m.fx = &w->fx;
    strcpy(w->t.id, ORG ":test");
    strcpy(w->t.org_id, ORG);
    strcpy(w->t.environment, "test");
    add_account(w, "a");
    add_account(w, "b");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    store_close(w->m.store);
    cJSON_Delete(w->fx.env_definitions);
    pthread_mutex_destroy(&w->m.clock_lock);
    free(w);
    return 0;
}

static int count(struct world *w, const char *scope, const char *la)
{
    int total = -1;
    cJSON_Delete(env_vars_list_values(&w->m, &w->t, scope, "", la, "", 0, 100, &total));
    return total;
}

/* Deleting linked account a takes a's values, and leaves b's and the org's. */
static void forget_takes_only_that_accounts_values(void **state)
{
    struct world *w = *state;
    set(w, LA_DEF, "a", "pro");
    set(w, ENC_DEF, "a", "s3cret");
    set(w, LA_DEF, "b", "free");
    set(w, ORG_DEF, "", "https://x.example");
    assert_int_equal(count(w, "linked_account", ""), 3);
    store_begin(w->m.store);
    env_vars_forget_linked_account(&w->m, &w->t, "a");
    assert_int_equal(store_commit(w->m.store), 0);
    assert_int_equal(count(w, "linked_account", "a"), 0);
    assert_int_equal(count(w, "linked_account", "b"), 1);
    assert_int_equal(count(w, "org", ""), 1);
    cJSON *doc = NULL;
    assert_int_equal(env_vars_get(&w->m, &w->t, env_vars_definition(&w->m, &w->t, LA_DEF), "a", "", &doc), ENV_VARS_NOT_FOUND);
    assert_int_equal(env_vars_get(&w->m, &w->t, env_vars_definition(&w->m, &w->t, LA_DEF), "b", "", &doc), ENV_VARS_OK);
    cJSON_Delete(doc);
}

/* Encrypted values are matched with what was set; an unknown variable is NULL, not an empty set. */
static void accounts_with_a_value(void **state)
{
    struct world *w = *state;
    set(w, ENC_DEF, "a", "s3cret");
    set(w, ENC_DEF, "b", "other");
    cJSON *set_ = env_vars_accounts_with(&w->m, &w->t, "SECRET", "s3cret");
    assert_non_null(set_);
    assert_true(cJSON_HasObjectItem(set_, "a"));
    assert_false(cJSON_HasObjectItem(set_, "b"));
    cJSON_Delete(set_);
    set_ = env_vars_accounts_with(&w->m, &w->t, "SECRET", "");
    assert_int_equal(cJSON_GetArraySize(set_), 2);
    cJSON_Delete(set_);
    assert_null(env_vars_accounts_with(&w->m, &w->t, "NOPE", ""));
}

/* A set for an unknown linked account writes nothing; reads never show the plaintext. */
static void set_checks_and_redacts(void **state)
{
    struct world *w = *state;
    const cJSON *def = env_vars_definition(&w->m, &w->t, ENC_DEF);
    cJSON *out = NULL;
    assert_int_equal(env_vars_set(&w->m, &w->t, def, "ghost", "", "x", "api_key:test", &out), ENV_VARS_NO_ACCOUNT);
    assert_null(out);
    assert_int_equal(env_vars_set(&w->m, &w->t, def, "", "", "x", "api_key:test", &out), ENV_VARS_NEED_LA);
    set(w, ENC_DEF, "a", "s3cret");
    int total = 0;
    cJSON *docs = env_vars_list_values(&w->m, &w->t, "linked_account", "", "", "", 0, 10, &total);
    assert_int_equal(total, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(docs, 0), "value"), ENV_VARS_REDACTED);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(docs, 0), "plaintext"));
    cJSON_Delete(docs);
}

/* A session token (own_only) reaches only its account's values; the key reaches any. */
static void delete_reach(void **state)
{
    struct world *w = *state;
    set(w, LA_DEF, "a", "pro");
    int total = 0;
    cJSON *docs = env_vars_list_values(&w->m, &w->t, "linked_account", "", "a", "", 0, 10, &total);
    char id[64], name[64];
    strcpy(id, th_str(cJSON_GetArrayItem(docs, 0), "_id"));
    cJSON_Delete(docs);
    assert_int_equal(env_vars_delete(&w->m, &w->t, id, "b", 1, name, sizeof name), 1);
    assert_int_equal(env_vars_delete(&w->m, &w->t, id, "b", 0, name, sizeof name), 1);
    assert_int_equal(count(w, "linked_account", "a"), 1);
    assert_int_equal(env_vars_delete(&w->m, &w->t, id, "", 0, name, sizeof name), 0);
    assert_string_equal(name, "PLAN");
    assert_int_equal(count(w, "linked_account", "a"), 0);
    assert_int_equal(env_vars_delete(&w->m, &w->t, id, "", 0, name, sizeof name), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forget_takes_only_that_accounts_values, setup, teardown),
        cmocka_unit_test_setup_teardown(accounts_with_a_value, setup, teardown),
        cmocka_unit_test_setup_teardown(set_checks_and_redacts, setup, teardown),
        cmocka_unit_test_setup_teardown(delete_reach, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
