/* human_tasks.c: API tests for the public human-task routes: a workflow run waits on a form, the
 * form is read without auth, validated on submit, and submitting resumes the run. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define KEY "tk_acme_test"
#define HT "/api/v2/public/human-tasks"

static const char approve_workflow[] =
    "{\"name\":\"Approve discount\",\"run\":{\"duration_seconds\":5,\"human_task\":{"
    "\"name\":\"Approve Discount\",\"description\":\"Review and approve the requested discount.\","
    "\"form_structure\":{\"type\":\"object\",\"required\":[\"approved\"],\"properties\":{"
    "\"approved\":{\"type\":\"boolean\",\"title\":\"Approve?\"},\"notes\":{\"type\":\"string\",\"title\":\"Notes\"},"
    "\"tier\":{\"type\":\"string\",\"enum\":[\"silver\",\"gold\"]},"
    "\"deal_id\":{\"type\":\"string\",\"readOnly\":true}}},"
    "\"ui_structure\":{\"approved\":{\"ui:widget\":\"radio\"}},\"receiver_emails\":[\"approver@example.com\"],"
    "\"expire_in_seconds\":86400}}}";

/* Creates and publishes a private workflow with a human task, runs it, and returns the ids of
 * the waiting execution and its form. */
static void start_waiting_run(refold_mock *m, char exec_id[32], char task_id[32])
{
    th_resp r = th_key(m, "POST", "/api/v2/public/workflow", KEY, "user_12345", approve_workflow);
    if (r.status != 200)
        fprintf(stderr, "create workflow: %s\n", r.body);
    assert_int_equal(r.status, 200);
    char draft[32], path[160], tok[2048];
    snprintf(draft, sizeof draft, "%s", th_str(cJSON_GetObjectItem(r.json, "workflow"), "_id"));
    th_free(&r);
    th_session_token(m, KEY, "user_12345", tok, sizeof tok);
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/publish", draft);
    r = th_bearer(m, "PUT", path, tok, "{\"published\":true}");
    assert_int_equal(r.status, 200);
    char wf[32];
    snprintf(wf, sizeof wf, "%s", th_str(r.json, "_id"));
    th_free(&r);

    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/execute", wf);
    const char *hs[] = {"x-api-key: " KEY, "linked_account_id: user_12345", "slug: hubspot", NULL};
    r = th_request(m, "POST", path, "{\"deal_id\":\"9001\",\"discount\":15}", hs);
    assert_int_equal(r.status, 200);
    snprintf(exec_id, 32, "%s", th_str(r.json, "execution_id"));
    th_free(&r);

    snprintf(path, sizeof path, "/api/v2/public/execution/%s", exec_id);
    r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "WAITING");
    const cJSON *n;
    task_id[0] = 0;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(r.json, "nodes"))
        if (th_str(cJSON_GetObjectItem(n, "latest_output"), "human_task_id"))
            snprintf(task_id, 32, "%s", th_str(cJSON_GetObjectItem(n, "latest_output"), "human_task_id"));
    th_free(&r);
    assert_int_equal(strlen(task_id), 24);
}

static const char *exec_status(refold_mock *m, const char *exec_id, char *out, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", exec_id);
    th_resp r = th_key(m, "GET", path, KEY, "user_12345", NULL);
    snprintf(out, n, "%s", th_str(r.json, "status"));
    th_free(&r);
    return out;
}

static void read_submit_resume(void **state)
{
    refold_mock *m = *state;
    char exec_id[32], task_id[32], path[128], st[32];
    start_waiting_run(m, exec_id, task_id);
    snprintf(path, sizeof path, HT "/%s", task_id);

    /* no credentials: the id is the secret; internals are stripped */
    th_resp r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "_id"), task_id);
    assert_string_equal(th_str(r.json, "name"), "Approve Discount");
    assert_string_equal(th_str(r.json, "status"), "WAITING");
    assert_non_null(th_str(r.json, "expire_in"));
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "receiver_emails"), 0)->valuestring, "approver@example.com");
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "form_structure"), "properties"));
    static const char *const internal[] = {"instance_id", "node_id", "org_id", "delayed_job_id", "associated_form_id", NULL};
    for (int i = 0; internal[i]; i++)
        assert_null(cJSON_GetObjectItem(r.json, internal[i]));
    th_free(&r);

    /* invalid answers: 400 and the run keeps waiting */
    static const char *const bad[] = {
        "{}", "{\"data\":[]}", "{\"data\":{}}", "{\"data\":{\"notes\":\"forgot\"}}", "{\"data\":{\"approved\":\"yes\"}}",
        "{\"data\":{\"approved\":true,\"tier\":\"platinum\"}}", "{\"data\":{\"approved\":true,\"deal_id\":\"1\"}}",
        "{\"data\":", NULL};
    for (int i = 0; bad[i]; i++) {
        r = th_request(m, "POST", path, bad[i], NULL);
        if (r.status != 400)
            fprintf(stderr, "case %d: %s -> %s\n", i, bad[i], r.body);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    assert_string_equal(exec_status(m, exec_id, st, sizeof st), "WAITING");

    r = th_request(m, "POST", path, "{\"data\":{\"approved\":true,\"notes\":\"Looks good\",\"tier\":\"gold\"}}", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Form submitted successfully");
    th_free(&r);
    assert_string_equal(exec_status(m, exec_id, st, sizeof st), "RUNNING");
    r = th_request(m, "GET", path, NULL, NULL);
    assert_string_equal(th_str(r.json, "status"), "SUBMITTED");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "approved")));
    th_free(&r);

    /* a second answer is refused */
    r = th_request(m, "POST", path, "{\"data\":{\"approved\":false}}", NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    /* the resumed run ends duration_seconds later */
    refold_mock_advance_clock(m, 5);
    assert_string_equal(exec_status(m, exec_id, st, sizeof st), "COMPLETED");
}

static void expiry_and_unknown(void **state)
{
    refold_mock *m = *state;
    char exec_id[32], task_id[32], path[128], st[32];
    start_waiting_run(m, exec_id, task_id);
    snprintf(path, sizeof path, HT "/%s", task_id);
    refold_mock_advance_clock(m, 86400);
    th_resp r = th_request(m, "GET", path, NULL, NULL);
    assert_string_equal(th_str(r.json, "status"), "TIMEOUT");
    th_free(&r);
    r = th_request(m, "POST", path, "{\"data\":{\"approved\":true}}", NULL);
    th_assert_error(&r, 400);
    if (!strstr(th_str(r.json, "message"), "expired"))
        fprintf(stderr, "%s\n", r.body);
    assert_non_null(strstr(th_str(r.json, "message"), "expired"));
    th_free(&r);
    assert_string_equal(exec_status(m, exec_id, st, sizeof st), "TIMED_OUT");

    r = th_request(m, "GET", HT "/6a31a2f0d396207fd2510000", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_request(m, "POST", HT "/6a31a2f0d396207fd2510000", "{\"data\":{\"approved\":true}}", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

/* A stopped run no longer takes an answer, and a reset forgets the form. */
static void stopped_run_and_reset(void **state)
{
    refold_mock *m = *state;
    char exec_id[32], task_id[32], path[128];
    start_waiting_run(m, exec_id, task_id);
    snprintf(path, sizeof path, "/api/v2/public/execution/%s/stop", exec_id);
    th_resp r = th_key(m, "POST", path, KEY, "user_12345", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(path, sizeof path, HT "/%s", task_id);
    r = th_request(m, "POST", path, "{\"data\":{\"approved\":true}}", NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    assert_int_equal(refold_mock_reset(m), 0);
    r = th_request(m, "GET", path, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(read_submit_resume, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(expiry_and_unknown, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(stopped_run_and_reset, th_setup_la, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
