/* fidelity.c: API tests for the issue-14 differences between the mock and Refold's API-reference
 * pages: each test quotes the page (tests/docs/pages/...) whose example it holds the mock to. */
#include "harness.h"
#include "flows_util.h"
#include "receiver.h"

#include <stdio.h>
#include <string.h>

#define ACME "tk_acme_test"
#define LA "user_12345"
#define WH "/api/v2/public/webhook"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, LA, "Acme customer");
    *state = m;
    return 0;
}

/* Creates and publishes a private workflow from body (session token); its published id into pub. */
static void publish(refold_mock *m, const char *body, char pub[32])
{
    th_resp r = th_key(m, "POST", "/api/v2/public/workflow", ACME, LA, body);
    assert_int_equal(r.status, 200);
    char draft[32], tok[2048], path[128];
    snprintf(draft, sizeof draft, "%s", th_str(cJSON_GetObjectItem(r.json, "workflow"), "_id"));
    th_free(&r);
    th_session_token(m, ACME, LA, tok, sizeof tok);
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/publish", draft);
    r = th_bearer(m, "PUT", path, tok, "{\"published\":true}");
    assert_int_equal(r.status, 200);
    snprintf(pub, 32, "%s", th_str(r.json, "_id"));
    th_free(&r);
}

/* applications/execute-action.mdx: the read example
 *   -d '{ "limit": "1" }'  ->  200 {"node_status": "Success", "data": {"results": [...], "paging": {}}} */
static void read_action_takes_the_list_form(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    th_resp r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\",\"firstname\":\"Jane\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"john@example.com\",\"firstname\":\"John\"}");
    th_free(&r);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", "{ \"limit\": \"1\" }");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "node_status"), "Success");
    const cJSON *data = cJSON_GetObjectItem(r.json, "data");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(data, "results")), 1);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(data, "results"), 0), "properties"), "email"),
                        "jane@example.com");
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(data, "paging")));
    th_free(&r);
}

/* applications/execute-action.mdx, ```json 404:
 *   {"status_code": 404, "http_error_type": "NOT_FOUND", "error_code": "SERVER_ERROR",
 *    "message": "Action no_such_action not found in Application hubspot"}
 * applications/get-application.mdx, ```json 404:
 *   {"status_code": 404, "http_error_type": "EXTERNAL_API_ERROR", "error": "EXTERNAL_API_FAILURE",
 *    "message": "Application with app_type 'test-app' not found for org 6500a1b2c3d4e5f6a7b8c9d0"} */
static void unknown_action_and_application(void **state)
{
    refold_mock *m = *state;
    th_resp r = fu_action(m, ACME, LA, "hubspot", "no_such_action", "{}");
    assert_string_equal(th_assert_error(&r, 404), "SERVER_ERROR");
    assert_string_equal(th_str(r.json, "http_error_type"), "NOT_FOUND");
    assert_string_equal(th_str(r.json, "message"), "Action no_such_action not found in Application hubspot");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/test-app", ACME, LA, NULL);
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "http_error_type"), "EXTERNAL_API_ERROR");
    assert_string_equal(th_str(r.json, "error"), "EXTERNAL_API_FAILURE");
    assert_string_equal(th_str(r.json, "message"), "Application with app_type 'test-app' not found for org 645270e37917442c4307297a");
    th_free(&r);
}

/* webhooks/get-webhook-by-id.mdx (and update-webhook, delete-webhook), ```json 400:
 *   {"status_code": 400, "http_error_type": "BAD_REQUEST", "error": "RESOURCE_NOT_FOUND", "message": "Webhook not found"}
 * webhooks/create-webhook.mdx, ```json 400:
 *   {"error": "INVALID_EVENT", "message": "Invalid event. Check events list in documentation."} */
static void webhook_not_found_and_invalid_event(void **state)
{
    refold_mock *m = *state;
    static const char *const methods[] = {"GET", "PUT", "DELETE"};
    for (int i = 0; i < 3; i++) {
        th_resp r = th_key(m, methods[i], WH "/ffffffffffffffffffffffff", ACME, NULL, i == 1 ? "{\"is_enabled\":false}" : NULL);
        assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND");
        assert_string_equal(th_str(r.json, "error"), "RESOURCE_NOT_FOUND");
        assert_string_equal(th_str(r.json, "http_error_type"), "BAD_REQUEST");
        assert_string_equal(th_str(r.json, "message"), "Webhook not found");
        th_free(&r);
    }
    th_resp r = th_key(m, "POST", WH, ACME, NULL,
                       "{\"webhook_url\":\"https://your-app.com/webhooks\",\"webhook_events\":[\"Workflow Paused\"]}");
    assert_string_equal(th_assert_error(&r, 400), "INVALID_EVENT");
    assert_string_equal(th_str(r.json, "message"), "Invalid event. Check events list in documentation.");
    assert_non_null(strstr(th_str(r.json, "hint"), "Workflow Paused")); /* the detail goes to hint only */
    th_free(&r);
    r = th_key(m, "GET", WH, ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 0); /* nothing stored */
    th_free(&r);
}

/* linked-accounts/get-active-linked-account.mdx, ```json 401:
 *   {"status_code": 401, "http_error_type": "UNAUTHORIZED", "error": "INVALID_TOKEN", "message": "Invalid token"}
 * connect/create-connect-url.mdx and hosted-properties/get-hosted-properties.mdx, ```json 401:
 *   {"error": "INVALID_TOKEN", "message": "Authorization Token Missing"}
 * list pages, ```json 401: {"error": "SERVER_ERROR", "message": "Invalid Credentials"} */
static void token_and_key_errors(void **state)
{
    refold_mock *m = *state;
    char tok[2048];
    th_session_token(m, ACME, LA, tok, sizeof tok);
    fu_advance(m, 24 * 3600 + 1);
    th_resp r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN");
    assert_string_equal(th_str(r.json, "message"), "Invalid token");
    assert_non_null(strstr(th_str(r.json, "hint"), "expired"));
    th_free(&r);
    r = th_request(m, "POST", "/api/v2/public/connect-url", "{\"company\":\"Acme Inc.\"}", NULL);
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN");
    assert_string_equal(th_str(r.json, "message"), "Authorization Token Missing");
    th_free(&r);
    r = th_request(m, "GET", "/api/v2/public/hosted-properties", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN");
    assert_string_equal(th_str(r.json, "message"), "Authorization Token Missing");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account", "tk_not_a_key", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 401), "SERVER_ERROR");
    assert_string_equal(th_str(r.json, "error"), "SERVER_ERROR");
    assert_string_equal(th_str(r.json, "message"), "Invalid Credentials");
    th_free(&r);
}

/* The changelog (changelog/2026-march.mdx): "Webhook subscribers can now register for
 * `Workflow Stopped` and `Workflow Timed Out` events". Stop emits the first; a human task that
 * expires unanswered the second, with the payload fields of the other workflow events. */
static void workflow_stopped_and_timed_out_events(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    assert_non_null(rc);
    char url[128], body[512];
    rcv_url(rc, "/hooks", url, sizeof url);
    snprintf(body, sizeof body, "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Workflow Stopped\",\"Workflow Timed Out\"]}", url);
    th_resp r = th_key(m, "POST", WH, ACME, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* stop a running public workflow ("Sync new contacts") */
    fu_connect_oauth(m, ACME, LA, "hubspot");
    char id[32];
    fu_execute(m, ACME, LA, "hubspot", "69ae87a592145348d38f4ef9", "{}", id);
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s/stop", id);
    r = th_key(m, "POST", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(rcv_wait(rc, 1, 5000), 1);
    cJSON *p = cJSON_Parse(rcv_get(rc, 0)->body);
    assert_string_equal(th_str(p, "event"), "Workflow Stopped");
    assert_string_equal(th_str(p, "status"), "STOPPED");
    assert_string_equal(th_str(p, "instance_id"), id);
    assert_string_equal(th_str(p, "linked_account_id"), LA);
    assert_non_null(cJSON_GetObjectItem(p, "workflow_id"));
    assert_non_null(cJSON_GetObjectItem(p, "workflow_name"));
    cJSON_Delete(p);

    /* a human task that expires unanswered */
    char pub[32];
    publish(m, "{\"name\":\"Approve\",\"run\":{\"duration_seconds\":2,\"human_task\":{\"name\":\"Approve Discount\","
               "\"form_structure\":{\"type\":\"object\",\"properties\":{\"approved\":{\"type\":\"boolean\"}}},"
               "\"expire_in_seconds\":60}}}", pub);
    fu_execute(m, ACME, LA, "hubspot", pub, "{}", id);
    fu_advance(m, 120);
    assert_int_equal(rcv_wait(rc, 2, 5000), 2);
    p = cJSON_Parse(rcv_get(rc, 1)->body);
    assert_string_equal(th_str(p, "event"), "Workflow Timed Out");
    assert_string_equal(th_str(p, "status"), "TIMED_OUT");
    assert_string_equal(th_str(p, "instance_id"), id);
    assert_string_equal(th_str(p, "workflow_name"), "Approve");
    cJSON_Delete(p);
    rcv_stop(rc);
}

/* A private workflow with run.human_task and explicit start + app nodes but no human-task node:
 * its execution gets one, after the start (libcjson 1.7.15 dropped an insert in the middle). */
static void human_task_node_is_planned(void **state)
{
    refold_mock *m = *state;
    char pub[32], id[32];
    publish(m, "{\"name\":\"Lead approval\",\"slug\":\"hubspot\",\"nodes\":[{\"id\":\"1\",\"type\":\"start\",\"name\":\"Start\"},"
               "{\"id\":\"2\",\"type\":\"action\",\"name\":\"Create contact\",\"data\":{\"slug\":\"hubspot\",\"action_id\":\"create_contact\"}}],"
               "\"edges\":[{\"source\":\"1\",\"target\":\"2\"}],"
               "\"run\":{\"duration_seconds\":2,\"human_task\":{\"name\":\"Approve lead\",\"form_structure\":{\"type\":\"object\","
               "\"properties\":{\"approved\":{\"type\":\"boolean\"}}}}}}", pub);
    th_resp r;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    fu_execute(m, ACME, LA, "hubspot", pub, "{}", id);
    r = fu_execution(m, ACME, LA, id);
    const cJSON *nodes = cJSON_GetObjectItem(r.json, "nodes");
    assert_int_equal(cJSON_GetArraySize(nodes), 3);
    assert_string_equal(th_str(cJSON_GetArrayItem(nodes, 0), "node_type"), "start");
    assert_string_equal(th_str(cJSON_GetArrayItem(nodes, 1), "node_type"), "human_task");
    assert_string_equal(th_str(cJSON_GetArrayItem(nodes, 1), "node_name"), "Approve lead");
    assert_string_equal(th_str(cJSON_GetArrayItem(nodes, 2), "node_name"), "Create contact");
    th_free(&r);
}

/* linked-accounts/list-linked-accounts.mdx and get-linked-account.mdx: built-in apps show
 *   "integrations": [{ "type": "hubspot", "name": "Hubspot", "app_id": null }, ...]
 * concepts pages create with "your_app": {}; a wrong type is named: {"linked_account_id": 123}. */
static void linked_account_shapes(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL,
                       "{\"account_id\":\"user_777\",\"name\":\"Acme Inc.\",\"your_app\":{}}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "integrations")));
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":123}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "linked_account_id must be a string");
    th_free(&r);
    fu_connect_oauth(m, ACME, LA, "hubspot");
    r = th_key(m, "GET", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *hub = th_find(cJSON_GetObjectItem(r.json, "integrations"), "type", "hubspot");
    assert_non_null(hub);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(hub, "app_id")));
    th_free(&r);
}

/* environment-variables/list-values.mdx, ```json 200: "variable_definition_id": { "_id":
 * "6a1401de41e63efd08fb3e54", "name": "API_SECRET", "scope": "linked_account", "encrypted": true }
 * environment-variables/get-definition.mdx: "created_at": ..., "updated_at": ... */
static void variable_shapes(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/env/values", ACME, NULL,
                       "{\"variable_definition_id\":\"6a1401de41e63efd08fb3e54\",\"value\":\"s3cr3t\",\"linked_account_id\":\"" LA "\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "variable_definition_id"), "6a1401de41e63efd08fb3e54"); /* the write: the id */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/env/values/linked_account?linked_account_id=" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *def = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "variable_definition_id");
    assert_true(cJSON_IsObject(def));
    assert_string_equal(th_str(def, "_id"), "6a1401de41e63efd08fb3e54");
    assert_string_equal(th_str(def, "name"), "API_SECRET");
    assert_string_equal(th_str(def, "scope"), "linked_account");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(def, "encrypted")));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/env/definitions/6a159a9741e63efd0833773f", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(th_str(cJSON_GetObjectItem(r.json, "definition"), "created_at"));
    assert_non_null(th_str(cJSON_GetObjectItem(r.json, "definition"), "updated_at"));
    th_free(&r);
}

/* The spec's executeWorkflow: "can return sanitized request headers via `include-headers`":
 * the request's headers come back, the credentials do not. */
static void execute_include_headers(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: hubspot", "include-headers: true",
                        "X-Trace-Id: trace-42", NULL};
    th_resp r = th_request(m, "POST", "/api/v2/public/workflow/69ae87a592145348d38f4ef9/execute", "{}", hs);
    assert_int_equal(r.status, 200);
    const cJSON *h = cJSON_GetObjectItem(r.json, "headers");
    assert_true(cJSON_IsObject(h));
    assert_string_equal(th_str(h, "x-trace-id"), "trace-42");
    assert_string_equal(th_str(h, "slug"), "hubspot");
    assert_null(cJSON_GetObjectItem(h, "x-api-key"));
    th_free(&r);
    const char *plain[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: hubspot", NULL};
    r = th_request(m, "POST", "/api/v2/public/workflow/69ae87a592145348d38f4ef9/execute", "{}", plain);
    assert_null(cJSON_GetObjectItem(r.json, "headers"));
    th_free(&r);
}


#define SYNC_CONTACT_WF                                                                                              \
    "{\"name\":\"Sync contact\",\"slug\":\"hubspot\",\"nodes\":[{\"id\":\"1\",\"type\":\"start\",\"name\":\"Start\"},"     \
    "{\"id\":\"2\",\"type\":\"action\",\"name\":\"Create contact\",\"data\":{\"slug\":\"hubspot\",\"action_id\":"          \
    "\"create_contact\",\"input\":{\"email\":\"{{param.email}}\",\"firstname\":\"{{param.first_name}}\"}}}],"              \
    "\"edges\":[{\"source\":\"1\",\"target\":\"2\"}],\"run\":{\"duration_seconds\":2}}"

/* A workflow's app step runs its action through the execute route's code
 * (applications/execute-action.mdx: create_contact, then get_contact with "contact_id"): the
 * contact a "sync contact" run creates is the one get_contact reads. */
static void workflow_step_runs_its_action(void **state)
{
    refold_mock *m = *state;
    char pub[32], id[32], st[16], cid[64], body[160];
    publish(m, SYNC_CONTACT_WF, pub);
    fu_connect_oauth(m, ACME, LA, "hubspot");
    fu_execute(m, ACME, LA, "hubspot", pub, "{\"email\":\"ada@example.com\",\"first_name\":\"Ada\"}", id);
    th_resp r = fu_action(m, ACME, LA, "hubspot", "get_contact", "{\"limit\":\"10\"}");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 0);
    th_free(&r); /* nothing yet: the step runs when it falls due */
    fu_advance(m, 2);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");
    r = fu_execution(m, ACME, LA, id);
    const cJSON *step = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "nodes"), 1);
    assert_string_equal(th_str(step, "node_status"), "Success");
    const cJSON *out = cJSON_GetObjectItem(step, "latest_output");
    assert_string_equal(th_str(out, "node_status"), "Success");
    snprintf(cid, sizeof cid, "%s", th_str(cJSON_GetObjectItem(out, "data"), "id"));
    th_free(&r);
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", cid);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", body);
    assert_int_equal(r.status, 200);
    const cJSON *props = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties");
    assert_string_equal(th_str(props, "email"), "ada@example.com");
    assert_string_equal(th_str(props, "firstname"), "Ada");
    th_free(&r);

    /* a payload the action refuses errors the run at that node with the action's message */
    fu_execute(m, ACME, LA, "hubspot", pub, "{\"first_name\":\"No email\"}", id);
    fu_advance(m, 2);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "ERRORED");
    step = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "nodes"), 1);
    assert_string_equal(th_str(step, "node_status"), "Errored");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "execution_error"), "message"), "Missing required parameters: email");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "execution_error"), "failed_node_id"), "2");
    th_free(&r);
}

/* The same workflow on an expired connection errors at that node, as before, and creates nothing. */
static void workflow_step_on_an_expired_connection(void **state)
{
    refold_mock *m = *state;
    char pub[32], id[32];
    publish(m, SYNC_CONTACT_WF, pub);
    fu_connect_oauth(m, ACME, LA, "hubspot");
    fu_expire(m, ACME, LA, "hubspot", "revoked");
    fu_execute(m, ACME, LA, "hubspot", pub, "{\"email\":\"ada@example.com\"}", id);
    fu_advance(m, 2);
    th_resp r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "ERRORED");
    const cJSON *step = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "nodes"), 1);
    assert_string_equal(th_str(step, "node_status"), "Errored");
    assert_non_null(strstr(th_str(cJSON_GetObjectItem(step, "latest_output"), "error_message"), "must reconnect hubspot"));
    th_free(&r);
    fu_connect_oauth(m, ACME, LA, "hubspot");
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", "{\"limit\":\"10\"}");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 0);
    th_free(&r);
}

/* changelog/2026-march.mdx: "Configurable Workflow Timeouts" and "Webhook subscribers can now
 * register for `Workflow Stopped` and `Workflow Timed Out` events"; the spec's WorkflowSettings
 * has "timeout": a run that passes it errors where it is and Workflow Timed Out arrives, signed,
 * with the fields of the other workflow events. */
static void run_passing_its_timeout(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    assert_non_null(rc);
    char url[128], pub[32], id[32], st[16];
    rcv_url(rc, "/hooks", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Workflow Timed Out\",\"Workflow Completed\"]", NULL, 0);
    th_resp r = th_key(m, "POST", "/api/v2/public/workflow", ACME, LA, "{\"name\":\"Slow\",\"settings\":{\"timeout\":\"ten\"}}");
    th_assert_error(&r, 400);
    th_free(&r);
    publish(m, "{\"name\":\"Slow export\",\"nodes\":[{\"id\":\"1\",\"type\":\"start\"},{\"id\":\"2\",\"type\":\"action\",\"name\":\"Export\"}],"
               "\"settings\":{\"timeout\":10},\"run\":{\"duration_seconds\":30}}", pub);
    fu_execute(m, ACME, LA, "hubspot", pub, "{}", id);
    fu_advance(m, 9);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "RUNNING");
    fu_advance(m, 1);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "TIMED_OUT");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "execution_error"), "message"), "Workflow timed out after 10 seconds");
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "nodes"), 1), "node_status"), "Errored");
    th_free(&r);
    assert_int_equal(rcv_wait(rc, 1, 5000), 1);
    const rcv_req *q = rcv_get(rc, 0);
    cJSON *p = cJSON_Parse(q->body);
    assert_string_equal(th_str(p, "event"), "Workflow Timed Out");
    assert_string_equal(th_str(p, "status"), "TIMED_OUT");
    assert_string_equal(th_str(p, "instance_id"), id);
    assert_string_equal(th_str(p, "workflow_id"), pub);
    assert_string_equal(th_str(p, "workflow_name"), "Slow export");
    assert_string_equal(th_str(p, "linked_account_id"), LA);
    assert_non_null(cJSON_GetObjectItem(p, "config_id"));
    cJSON_Delete(p);
    char sig[128], expect[65];
    assert_true(rcv_header(q, "x-cobalt-signature", sig, sizeof sig));
    assert_int_equal(rcv_openssl_hmac(ACME, q->body, q->len, expect), 0);
    assert_string_equal(sig, expect);

    /* a run that ends before its timeout completes as usual (the run definition's own timeout) */
    publish(m, "{\"name\":\"Quick\",\"run\":{\"duration_seconds\":2,\"timeout_seconds\":60}}", pub);
    fu_execute(m, ACME, LA, "hubspot", pub, "{}", id);
    fu_advance(m, 120);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");
    assert_int_equal(rcv_wait(rc, 2, 5000), 2);
    p = cJSON_Parse(rcv_get(rc, 1)->body);
    assert_string_equal(th_str(p, "event"), "Workflow Completed");
    cJSON_Delete(p);
    rcv_stop(rc);
}

/* events/trigger-event-by-slug.mdx: "This is an alias for Trigger Event — same body and
 * behavior — and additionally supports multipart uploads" (the spec: "event", "payload" as a
 * JSON string, file fields merge into the payload under their names). */
static void multipart_trigger(void **state)
{
    refold_mock *m = *state;
    char pub[32], id[32], st[16], cid[64], body[160];
    publish(m, "{\"name\":\"Signup to contact\",\"slug\":\"hubspot\",\"trigger\":{\"event\":\"user_signed_up\"},"
               "\"nodes\":[{\"id\":\"1\",\"type\":\"start\"},{\"id\":\"2\",\"type\":\"action\",\"name\":\"Create contact\","
               "\"data\":{\"action_id\":\"create_contact\",\"input\":{\"email\":\"{{param.email}}\",\"firstname\":\"{{param.firstname}}\"}}}],"
               "\"run\":{\"duration_seconds\":1}}", pub);
    fu_connect_oauth(m, ACME, LA, "hubspot");
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, NULL};
    const char *fields[] = {"event", "user_signed_up", "payload", "{\"email\":\"grace@example.com\"}", "firstname", "Grace", NULL};
    static const char cv[] = "Grace Hopper\nRear admiral\n";
    th_resp r = th_form(m, "/api/v2/public/event/hubspot", hs, fields, "resume", "cv.txt", cv, sizeof cv - 1);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Webhook Fired Success");
    assert_true(th_header(&r, "X-Refold-Mock-Executions", id, sizeof id));
    th_free(&r);
    r = fu_execution(m, ACME, LA, id);
    const cJSON *payload = cJSON_GetObjectItem(r.json, "payload");
    assert_string_equal(th_str(payload, "email"), "grace@example.com");
    assert_string_equal(th_str(payload, "firstname"), "Grace");
    const cJSON *file = cJSON_GetObjectItem(payload, "resume");
    assert_string_equal(th_str(file, "filename"), "cv.txt");
    assert_int_equal(cJSON_GetObjectItem(file, "size")->valueint, (int)(sizeof cv - 1));
    th_free(&r);
    fu_advance(m, 1);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");
    r = fu_execution(m, ACME, LA, id);
    snprintf(cid, sizeof cid, "%s", th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
                                         cJSON_GetObjectItem(r.json, "nodes"), 1), "latest_output"), "data"), "id"));
    th_free(&r);
    snprintf(body, sizeof body, "{\"contact_id\":\"%s\"}", cid);
    r = fu_action(m, ACME, LA, "hubspot", "get_contact", body);
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "properties"), "firstname"), "Grace");
    th_free(&r);

    /* a payload field that is not a JSON object, and an unknown event, as the JSON form answers */
    const char *bad[] = {"event", "user_signed_up", "payload", "not json", NULL};
    r = th_form(m, "/api/v2/public/event/hubspot", hs, bad, NULL, NULL, NULL, 0);
    th_assert_error(&r, 400);
    th_free(&r);
    const char *unknown[] = {"event", "no_such_event", NULL};
    r = th_form(m, "/api/v2/public/event/hubspot", hs, unknown, NULL, NULL, NULL, 0);
    assert_string_equal(th_assert_error(&r, 404), "INVALID_EVENT");
    assert_string_equal(th_str(r.json, "message"), "Trigger not found");
    th_free(&r);
}

/* connectors/my-app/webhooks.mdx (a guide) registers with
 *   -d '{ "url": "https://your-app.com/webhooks/refold", "events": ["Connection Created", "Workflow Errored"] }'
 * where webhooks/create-webhook.mdx sends webhook_url / webhook_events: requests take both. */
static void webhook_request_aliases(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", WH, ACME, NULL,
                       "{ \"url\": \"https://your-app.com/webhooks/refold\", \"events\": [\"Connection Created\", \"Workflow Errored\"] }");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "webhook_url"), "https://your-app.com/webhooks/refold");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "webhook_events")), 2);
    assert_null(cJSON_GetObjectItem(r.json, "url"));
    char path[128];
    snprintf(path, sizeof path, WH "/%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"events\":[\"Workflow Completed\"],\"url\":\"https://your-app.com/v2\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "webhook_url"), "https://your-app.com/v2");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "webhook_events"), 0)->valuestring, "Workflow Completed");
    th_free(&r);
    /* an alias is checked like the field it stands for */
    r = th_key(m, "POST", WH, ACME, NULL, "{\"url\":\"ftp://x\",\"events\":[\"Connection Created\"]}");
    th_assert_error(&r, 400);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(read_action_takes_the_list_form, setup, th_teardown),
        cmocka_unit_test_setup_teardown(unknown_action_and_application, setup, th_teardown),
        cmocka_unit_test_setup_teardown(webhook_not_found_and_invalid_event, setup, th_teardown),
        cmocka_unit_test_setup_teardown(token_and_key_errors, setup, th_teardown),
        cmocka_unit_test_setup_teardown(workflow_stopped_and_timed_out_events, setup, th_teardown),
        cmocka_unit_test_setup_teardown(human_task_node_is_planned, setup, th_teardown),
        cmocka_unit_test_setup_teardown(linked_account_shapes, setup, th_teardown),
        cmocka_unit_test_setup_teardown(variable_shapes, setup, th_teardown),
        cmocka_unit_test_setup_teardown(execute_include_headers, setup, th_teardown),
        cmocka_unit_test_setup_teardown(workflow_step_runs_its_action, setup, th_teardown),
        cmocka_unit_test_setup_teardown(workflow_step_on_an_expired_connection, setup, th_teardown),
        cmocka_unit_test_setup_teardown(run_passing_its_timeout, setup, th_teardown),
        cmocka_unit_test_setup_teardown(multipart_trigger, setup, th_teardown),
        cmocka_unit_test_setup_teardown(webhook_request_aliases, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
