/* scenario_workflow_errors.c: replays scenarios/workflow-errors.json: the next run of HubSpot's
 * "Sync new contacts" ends ERRORED with Workflow Errored; the run after it completes. */
#include "scenario_story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WF "69ae87a592145348d38f4ef9"

static void execute(struct story *s, char *id, size_t n)
{
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: acme-co", "slug: hubspot", NULL};
    th_resp r = th_request(s->m, "POST", "/api/v2/public/workflow/" WF "/execute", "{\"email\":\"jane@example.com\"}", hs);
    if (r.status != 200)
        fprintf(stderr, "execute: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    snprintf(id, n, "%s", th_str(r.json, "execution_id"));
    th_free(&r);
}

static cJSON *execution(struct story *s, const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", id);
    th_resp r = th_key(s->m, "GET", path, ACME, "acme-co", NULL);
    assert_int_equal(r.status, 200);
    cJSON *o = r.json;
    r.json = NULL;
    th_free(&r);
    return o;
}

static void check_workflow_webhook(struct story *s, const char *event, const char *status, const char *id)
{
    cJSON *p = story_webhook(s, event, "acme-co", NULL, 0);
    assert_string_equal(th_str(p, "workflow_id"), WF);
    assert_string_equal(th_str(p, "instance_id"), id);
    assert_string_equal(th_str(p, "status"), status);
    assert_string_equal(th_str(p, "workflow_name"), "Sync new contacts");
    cJSON_Delete(p);
}

static void workflow_errors_once(void **state)
{
    (void)state;
    struct story s;
    story_start(&s, "workflow-errors");
    story_step(&s, "sync-will-fail", "fired"); /* after_seconds 0: at load */
    story_step(&s, "run-errored", "armed");
    cJSON *st = story_status(&s);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "overrides")), 1);
    cJSON_Delete(st);

    char id[64];
    execute(&s, id, sizeof id);
    story_step(&s, "run-errored", "fired");
    cJSON *ex = execution(&s, id);
    assert_string_equal(th_str(ex, "status"), "RUNNING");
    cJSON_Delete(ex);
    story_advance(&s, 4.999); /* the fixture's duration_seconds is 5 */
    ex = execution(&s, id);
    assert_string_equal(th_str(ex, "status"), "RUNNING");
    cJSON_Delete(ex);
    story_advance(&s, 0.001);
    ex = execution(&s, id);
    assert_string_equal(th_str(ex, "status"), "ERRORED");
    char *err = cJSON_PrintUnformatted(cJSON_GetObjectItem(ex, "execution_error"));
    assert_non_null(strstr(err, "cannot move backwards"));
    free(err);
    cJSON_Delete(ex);
    check_workflow_webhook(&s, "Workflow Errored", "ERRORED", id);
    st = story_status(&s);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "overrides")), 0); /* used up */
    cJSON_Delete(st);

    /* The next run goes as the fixture says. */
    char id2[64];
    execute(&s, id2, sizeof id2);
    story_advance(&s, 5);
    ex = execution(&s, id2);
    assert_string_equal(th_str(ex, "status"), "COMPLETED");
    cJSON_Delete(ex);
    check_workflow_webhook(&s, "Workflow Completed", "COMPLETED", id2);
    story_finished(&s);
    story_no_more_webhooks(&s);
    story_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(workflow_errors_once)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
