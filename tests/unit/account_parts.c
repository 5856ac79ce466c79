/* account_parts.c: unit tests for the engine parts a deleted linked account takes with it
 * (datarefs, schedules, session tokens): one account's go, the other's stay; token reuse. */
#include "harness.h"
#include "engine/datarefs.h"
#include "base/doc_cache.h"
#include "engine/schedules.h"
#include "engine/session_tokens.h"
#include "base/store.h"

#include <stdio.h>
#include <string.h>

static struct mock m;
static struct tenant t = {.id = "org1:test", .org_id = "org1", .environment = "test"};

static int up(void **state)
{
    (void)state;
    memset(&m, 0, sizeof m); /* (a zeroed clock lock is an unlocked mutex; the clock stands at 0) */
    snprintf(m.jwt_secret, sizeof m.jwt_secret, "%s", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    char err[128];
    m.store = store_open(":memory:", err, sizeof err);
    m.docs = doc_cache_new();
    assert_non_null(m.store);
    return 0;
}

static int down(void **state)
{
    (void)state;
    doc_cache_free(m.docs);
    store_close(m.store);
    return 0;
}

/* One of each part for la; the access token's jti in jti. */
static void give(const char *la, char jti[40])
{
    cJSON *doc = NULL;
    assert_int_equal(datarefs_create(&m, &t, la, "contacts", &doc), 0);
    cJSON_Delete(doc);
    cJSON *s = schedules_new(&m, &t, la, "wf1", NULL), *body = cJSON_Parse("{\"trigger_type\":\"cron\",\"regex\":\"0 * * * *\"}");
    char err[128];
    assert_int_equal(schedules_apply_trigger(s, body, err, sizeof err), 0);
    assert_int_equal(schedules_register(&m, &t, s), 0);
    cJSON_Delete(s);
    cJSON_Delete(body);
    assert_int_equal(session_tokens_mint(&m, &t, la, 0, &doc), 0);
    snprintf(jti, 40, "%s", cJSON_GetObjectItem(doc, "jti")->valuestring);
    cJSON_Delete(doc);
}

static int count(cJSON *(*list)(struct mock *, const struct tenant *, const char *, int, int, int *), const char *la)
{
    int total = -1;
    cJSON_Delete(list(&m, &t, la, 0, 10, &total));
    return total;
}

static void forgetting_one_account_keeps_the_other(void **state)
{
    (void)state;
    char gone[40], kept[40];
    give("gone", gone);
    give("kept", kept);
    store_begin(m.store); /* the parts join the caller's transaction */
    datarefs_forget_linked_account(&m, &t, "gone");
    schedules_forget_linked_account(&m, &t, "gone");
    session_tokens_forget_linked_account(&m, &t, "gone");
    assert_int_equal(store_commit(m.store), 0);
    assert_int_equal(count(datarefs_list, "gone"), 0);
    assert_int_equal(count(datarefs_list, "kept"), 1);
    assert_int_equal(count(schedules_list, "gone"), 0);
    assert_int_equal(count(schedules_list, "kept"), 1);
    assert_false(session_tokens_exists(&m, &t, gone));
    assert_true(session_tokens_exists(&m, &t, kept));
}

/* A token is reused until a minute before it expires (24 h), and revoking takes it. */
static void tokens_are_reused_until_near_expiry(void **state)
{
    (void)state;
    cJSON *doc = NULL;
    assert_int_equal(session_tokens_mint(&m, &t, "reuser", 1000, &doc), 0);
    cJSON *list = cJSON_CreateArray();
    cJSON_AddItemToArray(list, doc);
    assert_ptr_equal(session_tokens_reusable(list, 1000), doc);
    assert_ptr_equal(session_tokens_reusable(list, 1000 + 24LL * 3600 * 1000 - 60001), doc);
    assert_null(session_tokens_reusable(list, 1000 + 24LL * 3600 * 1000 - 60000));
    const char *jti = cJSON_GetObjectItem(doc, "jti")->valuestring;
    assert_true(session_tokens_exists(&m, &t, jti));
    assert_int_equal(session_tokens_revoke_all(&m, &t, "reuser"), 1);
    assert_false(session_tokens_exists(&m, &t, jti));
    cJSON_Delete(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forgetting_one_account_keeps_the_other, up, down),
        cmocka_unit_test_setup_teardown(tokens_are_reused_until_near_expiry, up, down),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
