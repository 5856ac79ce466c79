/* subscriptions.c: unit tests for the webhook subscription model, called directly on a started
 * mock: who may reach which subscription (the key all, a linked account its own), a group edit
 * that is all or nothing, the deprecated routes' event edits, and a linked account's part of its
 * deletion. */
#include "harness.h"
#include "engine/fixtures.h"
#include "engine/subscriptions.h"

#include <stdio.h>
#include <string.h>

#define ACME "tk_acme_test"

static int setup(void **state)
{
    *state = th_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    refold_mock_stop(*state);
    return 0;
}

static const struct tenant *acme(void **state) { return fixtures_tenant_by_key(((struct mock *)*state)->fx, ACME); }

/* Registers a subscription to Connection Expired under owner (NULL: the org's); its id in id. */
static void add(void **state, const char *owner, char id[32])
{
    cJSON *req = cJSON_Parse("{\"webhook_url\":\"https://your-app.com/h\",\"webhook_events\":[\"Connection Expired\"]}"), *doc = NULL;
    const char *code = "";
    char err[256] = "";
    assert_int_equal(subscriptions_register_owned((struct mock *)*state, acme(state), owner, req, &doc, &code, err, sizeof err), 0);
    snprintf(id, 32, "%s", th_str(doc, "_id"));
    cJSON_Delete(doc);
    cJSON_Delete(req);
}

static int count(void **state, const char *owner)
{
    cJSON *l = subscriptions_list((struct mock *)*state, acme(state), owner);
    int n = cJSON_GetArraySize(l);
    cJSON_Delete(l);
    return n;
}

static void reach_update_and_delete(void **state)
{
    struct mock *m = *state;
    char org[32], one[32];
    add(state, NULL, org);
    add(state, "sub_one", one);
    const char *code = "";
    char err[256] = "";
    cJSON *change = cJSON_Parse("{\"description\":\"changed\"}"), *out = NULL;
    /* another linked account reaches neither; its own reaches its own only */
    assert_int_equal(subscriptions_update(m, acme(state), one, "sub_two", change, &out, &code, err, sizeof err), SUBS_NOT_FOUND);
    assert_int_equal(subscriptions_update(m, acme(state), org, "sub_one", change, &out, &code, err, sizeof err), SUBS_NOT_FOUND);
    assert_int_equal(subscriptions_update(m, acme(state), one, "sub_one", change, &out, &code, err, sizeof err), SUBS_OK);
    assert_string_equal(th_str(out, "description"), "changed");
    cJSON_Delete(out);
    char owner[MOCK_ID_LEN];
    assert_int_equal(subscriptions_owner(m, acme(state), one, owner), 1);
    assert_string_equal(owner, "sub_one"); /* an update keeps the owner */
    cJSON_Delete(change);
    change = cJSON_Parse("{\"webhook_events\":[\"Coffee Brewed\"]}");
    assert_int_equal(subscriptions_update(m, acme(state), org, NULL, change, &out, &code, err, sizeof err), SUBS_INVALID);
    assert_string_equal(code, "INVALID_EVENT");
    cJSON_Delete(change);

    cJSON *rest = NULL;
    assert_int_equal(subscriptions_delete(m, acme(state), org, "sub_one", &rest), SUBS_NOT_FOUND);
    assert_int_equal(subscriptions_delete(m, acme(state), one, "sub_one", &rest), SUBS_OK);
    assert_int_equal(cJSON_GetArraySize(rest), 0); /* what sub_one may still see */
    cJSON_Delete(rest);
    assert_int_equal(count(state, NULL), 1);
}

static void group_edit_is_all_or_nothing(void **state)
{
    struct mock *m = *state;
    char a[32], b[32];
    add(state, NULL, a);
    add(state, NULL, b);
    cJSON *ids = cJSON_CreateArray(), *out = NULL;
    cJSON_AddItemToArray(ids, cJSON_CreateString(a));
    cJSON_AddItemToArray(ids, cJSON_CreateString("000000000000000000000000"));
    const char *missing = "";
    assert_int_equal(subscriptions_set_group(m, acme(state), ids, "blue", &out, &missing), SUBS_NOT_FOUND);
    assert_string_equal(missing, "000000000000000000000000");
    cJSON *doc = subscriptions_get(m, acme(state), a);
    assert_null(cJSON_GetObjectItem(doc, "group")); /* the first id was not changed either */
    cJSON_Delete(doc);
    cJSON_DeleteItemFromArray(ids, 1);
    cJSON_AddItemToArray(ids, cJSON_CreateString(b));
    cJSON_AddItemToArray(ids, cJSON_CreateString(a));
    assert_int_equal(subscriptions_set_group(m, acme(state), ids, "blue", &out, &missing), SUBS_OK);
    assert_int_equal(cJSON_GetArraySize(out), 2); /* each once */
    cJSON_Delete(out);
    doc = subscriptions_get(m, acme(state), b);
    assert_string_equal(th_str(doc, "group"), "blue");
    cJSON_Delete(doc);
    cJSON_Delete(ids);
}

static void deprecated_event_edits(void **state)
{
    struct mock *m = *state;
    char a[32];
    add(state, NULL, a);
    cJSON *doc = subscriptions_first(m, acme(state)), *out = NULL;
    assert_string_equal(th_str(doc, "_id"), a);
    cJSON *names = cJSON_Parse("[\"workflow-completed\",\"Connection Expired\"]");
    const char *code = "";
    char err[256] = "";
    assert_int_equal(subscriptions_add_events(m, acme(state), doc, names, &out, &code, err, sizeof err), SUBS_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "webhook_events")), 2);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(out, "webhook_events"), 1)->valuestring, "Workflow Completed");
    assert_int_equal(subscriptions_remove_event(m, acme(state), out, "connection-deleted", &doc, &code, err, sizeof err),
                     SUBS_NOT_SUBSCRIBED);
    assert_string_equal(err, "the webhook is not subscribed to Connection Deleted");
    cJSON_Delete(doc);
    doc = NULL;
    assert_int_equal(subscriptions_remove_event(m, acme(state), out, "connection-expired", &doc, &code, err, sizeof err), SUBS_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "webhook_events")), 1);
    cJSON_Delete(doc);
    cJSON_Delete(out);
    cJSON_Delete(names);
}

static void forget_takes_one_accounts_only(void **state)
{
    char x[32];
    add(state, NULL, x);
    add(state, "sub_one", x);
    add(state, "sub_one", x);
    add(state, "sub_two", x);
    subscriptions_forget_linked_account((struct mock *)*state, acme(state), "sub_one");
    assert_int_equal(count(state, "sub_one"), 0);
    assert_int_equal(count(state, "sub_two"), 1);
    assert_int_equal(count(state, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reach_update_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(group_edit_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(deprecated_event_edits, setup, teardown),
        cmocka_unit_test_setup_teardown(forget_takes_one_accounts_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
