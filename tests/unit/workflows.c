/* workflows.c: unit tests for the private-workflow model (workflows.c): publishing records
 * versions newest first, the outcomes of unpublish and delete, and forgetting a linked account
 * takes its workflows and versions but not another account's. */
#include "harness.h"
#include "engine/fixtures.h"
#include "base/json.h"
#include "base/mock.h"
#include "engine/workflows.h"

#include <string.h>

#define KEY "tk_acme_test"

static const struct tenant *acme(struct mock *m) { return fixtures_tenant_by_key(m->fx, KEY); }

/* A new draft of la named name; its id in id. */
static void create(struct mock *m, const char *la, const char *name, char id[32])
{
    cJSON *body = cJSON_CreateObject(), *d = NULL;
    cJSON_AddStringToObject(body, "name", name);
    assert_int_equal(workflows_create(m, acme(m), la, body, NULL, NULL, &d), WORKFLOWS_OK);
    cJSON_Delete(body);
    strcpy(id, json_str(d, "_id"));
    assert_string_equal(json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "nodes"), 0), "type"), "start");
    cJSON_Delete(d);
}

/* Publishes la's draft id; the published id in pid. */
static void publish(struct mock *m, const char *la, const char *id, int version, char pid[32])
{
    cJSON *p = NULL;
    assert_int_equal(workflows_publish(m, acme(m), la, id, version, &p), WORKFLOWS_OK);
    strcpy(pid, json_str(p, "_id"));
    cJSON_Delete(p);
}

static void publishing_keeps_versions_newest_first(void **state)
{
    struct mock *m = (struct mock *)*state;
    char id[32], pid[32], pid2[32];
    create(m, "la_a", "Sync", id);
    publish(m, "la_a", id, 0, pid);
    publish(m, "la_a", id, 0, pid2);
    assert_string_equal(pid, pid2); /* the published copy keeps its id */
    cJSON *vs = NULL;
    assert_int_equal(workflows_versions(m, acme(m), "la_a", pid, &vs), WORKFLOWS_OK);
    assert_int_equal(cJSON_GetArraySize(vs), 2);
    assert_int_equal((int)json_num(cJSON_GetArrayItem(vs, 0), "version", 0), 2);
    assert_int_equal((int)json_num(cJSON_GetArrayItem(vs, 1), "version", 0), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(vs, 1), "_id"), pid); /* the first version takes the workflow's id */
    cJSON_Delete(vs);
    assert_int_equal(workflows_versions(m, acme(m), "la_b", pid, &vs), WORKFLOWS_NOT_FOUND);
}

static void unpublish_and_delete_outcomes(void **state)
{
    struct mock *m = (struct mock *)*state;
    const struct tenant *t = acme(m);
    char id[32], pid[32], vid[32];
    cJSON *out = NULL;
    create(m, "la_a", "Export", id);
    assert_int_equal(workflows_unpublish(m, t, "la_a", id, &out), WORKFLOWS_NOT_PUBLISHED); /* a draft */
    publish(m, "la_a", id, 0, pid);
    publish(m, "la_a", id, 0, pid); /* version 2 gets an id of its own */
    cJSON *vs = NULL;
    assert_int_equal(workflows_versions(m, t, "la_a", pid, &vs), WORKFLOWS_OK);
    strcpy(vid, json_str(cJSON_GetArrayItem(vs, 0), "_id"));
    cJSON_Delete(vs);
    assert_int_equal(workflows_delete(m, t, "la_a", vid), WORKFLOWS_IS_VERSION);
    assert_int_equal(workflows_delete(m, t, "la_b", vid), WORKFLOWS_NOT_FOUND);
    assert_int_equal(workflows_delete(m, t, "la_b", pid), WORKFLOWS_NOT_OWNER);
    assert_int_equal(workflows_unpublish(m, t, "la_a", pid, &out), WORKFLOWS_OK);
    assert_false(json_bool(out, "published", 1));
    cJSON_Delete(out);
    assert_int_equal(workflows_delete(m, t, "la_a", pid), WORKFLOWS_OK);
    assert_null(workflows_get(m, t, pid));
    assert_null(workflows_get(m, t, id)); /* its draft went with it */
    assert_int_equal(workflows_delete(m, t, "la_a", vid), WORKFLOWS_NOT_FOUND); /* and its versions */
}

static void forgetting_an_account_keeps_the_others(void **state)
{
    struct mock *m = (struct mock *)*state;
    const struct tenant *t = acme(m);
    char a[32], apub[32], b[32], bpub[32];
    create(m, "la_a", "Mine", a);
    publish(m, "la_a", a, 0, apub);
    create(m, "la_b", "Theirs", b);
    publish(m, "la_b", b, 0, bpub);
    workflows_forget_linked_account(m, t, "la_a");
    cJSON *l = workflows_list(m, t, "la_a", NULL);
    assert_int_equal(cJSON_GetArraySize(l), 0);
    cJSON_Delete(l);
    cJSON *vs = NULL;
    assert_int_equal(workflows_versions(m, t, "la_a", apub, &vs), WORKFLOWS_NOT_FOUND);
    assert_int_equal(workflows_delete(m, t, "la_a", apub), WORKFLOWS_NOT_FOUND); /* no version left either */
    l = workflows_list(m, t, "la_b", NULL);
    assert_int_equal(cJSON_GetArraySize(l), 2); /* the draft and the published copy */
    cJSON_Delete(l);
    assert_int_equal(workflows_versions(m, t, "la_b", bpub, &vs), WORKFLOWS_OK);
    assert_int_equal(cJSON_GetArraySize(vs), 1);
    cJSON_Delete(vs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(publishing_keeps_versions_newest_first, th_reset),
        cmocka_unit_test_setup(unpublish_and_delete_outcomes, th_reset),
        cmocka_unit_test_setup(forgetting_an_account_keeps_the_others, th_reset),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
