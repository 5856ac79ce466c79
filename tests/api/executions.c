/* executions.c: API tests for workflow executions on the virtual clock: async runs that complete
 * or error (with their signed webhooks), a run whose connection expired, sync runs, list filters
 * and pagination, get, stop, rerun, batch nodes, human tasks (answered and timed out), forced
 * outcomes from scenarios, and starts from other code (schedules). */
#include "flows_util.h"
#include "engine/executions.h"
#include "engine/fixtures.h"
#include "engine/overrides.h"
#include "receiver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LA "user_12345"
#define EX "/api/v2/public/execution"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, LA, "Acme Inc.");
    fu_connect_playground(m, ACME, LA);
    *state = m;
    return 0;
}

static const cJSON *node(const cJSON *ex, int i) { return cJSON_GetArrayItem(cJSON_GetObjectItem(ex, "nodes"), i); }

static void completes_on_the_clock(void **state)
{
    refold_mock *m = *state;
    char id[32], st[16];
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, "{\"item_ids\":[\"itm_1001\"],\"reason\":\"manual\"}", id);
    th_resp r = fu_execution(m, ACME, LA, id);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "_id"), id);
    assert_string_equal(th_str(r.json, "status"), "RUNNING");
    assert_string_equal(th_str(r.json, "name"), "Execution for workflow " PLAYGROUND_SYNC);
    assert_string_equal(th_str(r.json, "type_of_execution"), "ASYNC");
    assert_string_equal(th_str(r.json, "execution_source"), "API_CALL");
    assert_string_equal(th_str(r.json, "linked_account_id"), LA);
    assert_string_equal(th_str(r.json, "config_id"), LA);
    assert_string_equal(th_str(r.json, "org_id"), "645270e37917442c4307297a");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "associated_application"), "name"), "Refold Playground");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "payload"), "reason"), "manual");
    assert_string_equal(th_str(node(r.json, 0), "node_status"), "Success");
    assert_string_equal(th_str(cJSON_GetObjectItem(node(r.json, 0), "latest_output"), "message"), "Workflow started successfully");
    assert_string_equal(th_str(node(r.json, 1), "node_status"), "Running");
    assert_int_equal(cJSON_GetObjectItem(r.json, "completion_percentage")->valueint, 50);
    assert_null(cJSON_GetObjectItem(r.json, "mock")); /* bookkeeping stays inside */
    th_free(&r);

    fu_advance(m, 4);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "RUNNING");
    fu_advance(m, 1);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "COMPLETED");
    assert_int_equal(cJSON_GetObjectItem(r.json, "completion_percentage")->valueint, 100);
    assert_int_equal(cJSON_GetObjectItem(r.json, "instance_execution_time")->valueint, 5000);
    assert_non_null(th_str(r.json, "completion_time"));
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "return_value"), "synced_items")->valueint, 2);
    assert_string_equal(th_str(node(r.json, 1), "node_status"), "Success");
    assert_int_equal(cJSON_GetObjectItem(node(r.json, 1), "execution_time")->valueint, 5000);
    th_free(&r);
}

static void errors_as_the_fixture_says(void **state)
{
    refold_mock *m = *state;
    char id[32], st[16];
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_EXPORT, NULL, id);
    fu_advance(m, 2);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "RUNNING");
    fu_advance(m, 1);
    th_resp r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "ERRORED");
    const char *msg = "Upload to the export destination failed: 413 Payload Too Large";
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "execution_error"), "message"), msg);
    const cJSON *failed = node(r.json, 1);
    assert_string_equal(th_str(failed, "node_status"), "Errored");
    assert_string_equal(th_str(cJSON_GetObjectItem(failed, "latest_output"), "error_message"), msg);
    assert_string_equal(th_str(cJSON_GetObjectItem(failed, "latest_output"), "failed_node_id"), th_str(failed, "node_id"));
    th_free(&r);
}

/* Waits for the receiver to hold n requests and returns the i-th body parsed. */
static cJSON *received(rcv *rc, int n, int i)
{
    assert_int_equal(rcv_wait(rc, n, 5000), n);
    return cJSON_Parse(rcv_get(rc, i)->body);
}

static void workflow_webhooks(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    char url[128], done[32], failed[32];
    rcv_url(rc, "/webhooks/refold", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Workflow Completed\",\"Workflow Errored\"]", NULL, 0);

    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, done);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_EXPORT, NULL, failed);
    assert_int_equal(rcv_quiet(m, ACME, rc, 5000), 0); /* nothing ends before the clock moves */
    fu_advance(m, 10);

    /* Export ends first (3 s), Sync at 5 s */
    cJSON *p = received(rc, 2, 0);
    assert_string_equal(th_str(p, "event"), "Workflow Errored");
    assert_string_equal(th_str(p, "status"), "ERRORED");
    assert_string_equal(th_str(p, "instance_id"), failed);
    assert_string_equal(th_str(p, "workflow_id"), PLAYGROUND_EXPORT);
    assert_string_equal(th_str(p, "workflow_name"), "Export report");
    assert_string_equal(th_str(p, "config_id"), LA);
    assert_string_equal(th_str(p, "linked_account_id"), LA);
    cJSON_Delete(p);
    p = received(rc, 2, 1);
    assert_string_equal(th_str(p, "event"), "Workflow Completed");
    assert_string_equal(th_str(p, "status"), "COMPLETED");
    assert_string_equal(th_str(p, "instance_id"), done);
    assert_string_equal(th_str(p, "workflow_name"), "Sync items");
    cJSON_Delete(p);

    /* both signed with the API key (checked with the openssl CLI) */
    for (int i = 0; i < 2; i++) {
        const rcv_req *q = rcv_get(rc, i);
        char sig[128], expect[65];
        assert_true(rcv_header(q, "x-cobalt-signature", sig, sizeof sig));
        assert_int_equal(rcv_openssl_hmac(ACME, q->body, q->len, expect), 0);
        assert_string_equal(sig, expect);
    }
    cJSON *d = rcv_settled(m, ACME, 5000);
    int workflow_events = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, d)
        workflow_events += !strncmp(th_str(e, "event"), "Workflow ", 9) && !strcmp(th_str(e, "status"), "delivered");
    assert_int_equal(workflow_events, 2);
    cJSON_Delete(d);
    rcv_stop(rc);
}

static void expired_connection_errors_the_run(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    char url[128], id[32];
    rcv_url(rc, "/hook", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Workflow Errored\"]", NULL, 0);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, id);
    fu_expire(m, ACME, LA, "playground_app", "revoked");
    fu_advance(m, 5);
    th_resp r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "ERRORED");
    const char *msg = th_str(cJSON_GetObjectItem(r.json, "execution_error"), "message");
    assert_non_null(strstr(msg, "revoked"));
    assert_non_null(strstr(msg, "reconnect"));
    assert_string_equal(th_str(node(r.json, 1), "node_status"), "Errored");
    th_free(&r);
    cJSON *p = received(rc, 1, 0);
    assert_string_equal(th_str(p, "instance_id"), id);
    assert_string_equal(th_str(p, "status"), "ERRORED");
    /* exactly the documented members, in the documented order */
    static const char *const keys[] = {"linked_account_id", "instance_id", "workflow_id", "config_id", "event", "workflow_name", "status"};
    assert_int_equal(cJSON_GetArraySize(p), 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(cJSON_GetArrayItem(p, i)->string, keys[i]);
    cJSON_Delete(p);

    /* reconnected: the next run completes */
    fu_connect_playground(m, ACME, LA);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, id);
    fu_advance(m, 5);
    char st[16];
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");
    rcv_stop(rc);
}

static th_resp sync_execute(refold_mock *m, const char *wid)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/execute", wid);
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: playground_app", "sync_execution: true", NULL};
    return th_request(m, "POST", path, "{\"item_ids\":[]}", hs);
}

static void sync_runs_take_no_virtual_time(void **state)
{
    refold_mock *m = *state;
    long long before = refold_mock_now_ms(m);
    th_resp r = sync_execute(m, PLAYGROUND_SYNC);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "COMPLETED");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "errored")));
    assert_int_equal(cJSON_GetObjectItem(r.json, "status_code")->valueint, 200);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "return_value"), "synced_items")->valueint, 2);
    char id[32];
    snprintf(id, sizeof id, "%s", th_str(r.json, "execution_id"));
    th_free(&r);
    assert_true(refold_mock_now_ms(m) == before);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "type_of_execution"), "SYNC");
    assert_string_equal(th_str(r.json, "status"), "COMPLETED");
    th_free(&r);

    r = sync_execute(m, PLAYGROUND_EXPORT);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "errored")));
    assert_int_equal(cJSON_GetObjectItem(r.json, "status_code")->valueint, 500);
    assert_non_null(strstr(th_str(cJSON_GetObjectItem(r.json, "execution_error"), "message"), "413"));
    th_free(&r);

    /* a human task stops a sync run where it waits */
    r = sync_execute(m, PLAYGROUND_APPROVE);
    assert_string_equal(th_str(r.json, "status"), "WAITING");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "errored")));
    th_free(&r);
}

static int total(refold_mock *m, const char *key, const char *la, const char *query)
{
    char path[256];
    snprintf(path, sizeof path, EX "%s", query);
    th_resp r = th_key(m, "GET", path, key, la, NULL);
    if (r.status != 200)
        fprintf(stderr, "%s: %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetObjectItem(r.json, "totalDocs")->valueint;
    th_free(&r);
    return n;
}

static void list_filters_and_pagination(void **state)
{
    refold_mock *m = *state;
    char ids[6][32];
    char start[40];
    th_create_la(m, ACME, "user_67890", "Other");
    fu_connect_playground(m, ACME, "user_67890");
    for (int i = 0; i < 5; i++) {
        fu_execute(m, ACME, LA, "playground_app", i % 2 ? PLAYGROUND_EXPORT : PLAYGROUND_SYNC, NULL, ids[i]);
        if (i == 2) {
            long long ms = refold_mock_now_ms(m);
            snprintf(start, sizeof start, "%lld", ms);
        }
        fu_advance(m, 60);
    }
    fu_execute(m, ACME, "user_67890", "playground_app", PLAYGROUND_SYNC, NULL, ids[5]);

    assert_int_equal(total(m, ACME, LA, ""), 5);
    assert_int_equal(total(m, ACME, "user_67890", ""), 1);
    assert_int_equal(total(m, ACME, NULL, ""), 6); /* the org key alone: the whole environment */
    assert_int_equal(total(m, GLOBEX, NULL, ""), 0);
    assert_int_equal(total(m, ACME, LA, "?status=COMPLETED"), 3);
    assert_int_equal(total(m, ACME, LA, "?status=ERRORED"), 2);
    assert_int_equal(total(m, ACME, LA, "?status=completed,errored"), 5);
    assert_int_equal(total(m, ACME, LA, "?workflow_id=" PLAYGROUND_EXPORT), 2);
    assert_int_equal(total(m, ACME, LA, "?workflow_name=sync"), 3);
    assert_int_equal(total(m, ACME, LA, "?execution_id="), 5);
    char q[128];
    snprintf(q, sizeof q, "?execution_id=%s", ids[3]);
    assert_int_equal(total(m, ACME, LA, q), 1);
    assert_int_equal(total(m, ACME, LA, "?slug=playground_app"), 5);
    assert_int_equal(total(m, ACME, LA, "?slug=hubspot"), 0);
    assert_int_equal(total(m, ACME, LA, "?execution_source=API_CALL"), 5);
    assert_int_equal(total(m, ACME, LA, "?execution_source=SCHEDULE"), 0);
    /* the v2 reference's example: "All" is every source and every status */
    assert_int_equal(total(m, ACME, LA, "?page=1&limit=10&status=All&execution_source=All"), 5);
    assert_int_equal(total(m, ACME, LA, "?execution_type=ASYNC"), 5);

    /* newest first by default; sortAsc=true oldest first; pages */
    th_resp r = th_key(m, "GET", EX "?limit=2", ACME, LA, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "_id"), ids[4]);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalPages")->valueint, 3);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "hasNextPage")));
    th_free(&r);
    r = th_key(m, "GET", EX "?limit=2&page=3", ACME, LA, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "_id"), ids[0]);
    th_free(&r);
    r = th_key(m, "GET", EX "?sortAsc=true&limit=1", ACME, LA, NULL);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "_id"), ids[0]);
    th_free(&r);

    /* dates: from the third run on */
    r = fu_execution(m, ACME, LA, ids[2]);
    snprintf(q, sizeof q, "?start_date=%s", th_str(r.json, "createdAt"));
    th_free(&r);
    assert_int_equal(total(m, ACME, LA, q), 3);
    r = fu_execution(m, ACME, LA, ids[1]);
    snprintf(q + strlen(q), sizeof q - strlen(q), "&end_date=%s", th_str(r.json, "createdAt"));
    th_free(&r);
    assert_int_equal(total(m, ACME, LA, q), 0);

    static const char *const bad[] = {"?execution_source=CRON", "?sortAsc=yes", "?start_date=last+week", "?page=0", "?limit=x", NULL};
    for (int i = 0; bad[i]; i++) {
        char path[128];
        snprintf(path, sizeof path, EX "%s", bad[i]);
        r = th_key(m, "GET", path, ACME, LA, NULL);
        th_assert_error(&r, 400);
        th_free(&r);
    }

    /* get: unknown, another linked account's, another tenant's */
    r = fu_execution(m, ACME, LA, "000000000000000000000000");
    assert_string_equal(th_assert_error(&r, 404), "RESOURCE_NOT_FOUND");
    assert_string_equal(th_str(r.json, "message"), "Execution not found");
    th_free(&r);
    r = fu_execution(m, ACME, LA, ids[5]);
    th_assert_error(&r, 404);
    th_free(&r);
    r = fu_execution(m, GLOBEX, NULL, ids[0]);
    th_assert_error(&r, 404);
    th_free(&r);
    r = fu_execution(m, ACME, NULL, ids[5]);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* and through a session token: its own only */
    char token[1024], path[128];
    th_session_token(m, ACME, LA, token, sizeof token);
    snprintf(path, sizeof path, EX "/%s", ids[0]);
    r = th_bearer(m, "GET", path, token, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(path, sizeof path, EX "/%s", ids[5]);
    r = th_bearer(m, "GET", path, token, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void stop_and_rerun(void **state)
{
    refold_mock *m = *state;
    rcv *rc = rcv_start(0);
    char url[128], id[32], path[128], st[16];
    rcv_url(rc, "/hook", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Workflow Completed\",\"Workflow Errored\"]", NULL, 0);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, "{\"item_ids\":[\"itm_7\"]}", id);
    fu_advance(m, 2);
    snprintf(path, sizeof path, EX "/%s/stop", id);
    th_resp r = th_key(m, "POST", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Stopping instance");
    th_free(&r);
    fu_advance(m, 10);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "STOPPED");
    assert_string_equal(th_str(node(r.json, 1), "node_status"), "Stopped");
    th_free(&r);
    r = th_key(m, "POST", path, ACME, LA, NULL);
    th_assert_error(&r, 400); /* not running any more */
    th_free(&r);

    /* rerun: a new execution with the same payload */
    snprintf(path, sizeof path, EX "/%s/rerun", id);
    r = th_key(m, "POST", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "success");
    char again[32];
    snprintf(again, sizeof again, "%s", th_str(r.json, "id"));
    assert_string_not_equal(again, id);
    /* the v2 reference's form of the same answer */
    assert_string_equal(th_str(r.json, "message"), "Execution queued");
    assert_string_equal(th_str(r.json, "instanceId"), again);
    th_free(&r);
    r = fu_execution(m, ACME, LA, again);
    assert_string_equal(th_str(r.json, "status"), "RUNNING");
    assert_string_equal(th_str(r.json, "rerun_of"), id);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "payload"), "item_ids"), 0)->valuestring, "itm_7");
    th_free(&r);
    fu_advance(m, 5);
    assert_string_equal(fu_status(m, ACME, LA, again, st, sizeof st), "COMPLETED");
    /* only errored or stopped runs are rerun */
    snprintf(path, sizeof path, EX "/%s/rerun", again);
    r = th_key(m, "POST", path, ACME, LA, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", EX "/000000000000000000000000/rerun", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", EX "/000000000000000000000000/stop", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);

    /* the stopped run sent no webhook; the rerun sent one */
    assert_int_equal(rcv_wait(rc, 1, 5000), 1);
    assert_int_equal(rcv_quiet(m, ACME, rc, 5000), 1);
    cJSON *p = cJSON_Parse(rcv_get(rc, 0)->body);
    assert_string_equal(th_str(p, "instance_id"), again);
    cJSON_Delete(p);
    rcv_stop(rc);
}

static void batch_nodes(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    char id[32], path[160];
    fu_execute(m, ACME, LA, "hubspot", HUBSPOT_SYNC, NULL, id);
    th_resp r = fu_execution(m, ACME, LA, id);
    const cJSON *batch = node(r.json, 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(batch, "is_batch")));
    char nid[16];
    snprintf(nid, sizeof nid, "%s", th_str(batch, "node_id"));
    th_free(&r);
    fu_advance(m, 5);
    snprintf(path, sizeof path, EX "/%s/nodes/%s/batches", id, nid);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    const cJSON *b0 = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0);
    assert_int_equal(cJSON_GetObjectItem(b0, "batch_index")->valueint, 0);
    assert_string_equal(th_str(b0, "status"), "Success");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(b0, "output"), "processed")->valueint, 50);
    th_free(&r);
    snprintf(path, sizeof path, EX "/%s/nodes/%s/batches?limit=2&page=2", id, nid);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    th_free(&r);
    snprintf(path, sizeof path, EX "/%s/nodes/%s/batches?status=Errored", id, nid);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    snprintf(path, sizeof path, EX "/%s/nodes/1/batches", id);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    th_assert_error(&r, 501); /* the documented answer for a non-batch node */
    assert_string_equal(th_str(r.json, "message"), "Batch details are not yet available for this execution type");
    th_free(&r);
    snprintf(path, sizeof path, EX "/%s/nodes/99/batches", id);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void human_task_answered_and_timed_out(void **state)
{
    refold_mock *m = *state;
    char id[32], st[16], task[32], path[128];
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_APPROVE, "{\"order_id\":\"ord_7731\",\"amount\":12500}", id);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "RUNNING");
    fu_advance(m, 1);
    th_resp r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "WAITING");
    const cJSON *tn = node(r.json, 1);
    assert_string_equal(th_str(tn, "node_type"), "human_task");
    assert_string_equal(th_str(tn, "node_status"), "Waiting");
    snprintf(task, sizeof task, "%s", th_str(cJSON_GetObjectItem(tn, "latest_output"), "human_task_id"));
    th_free(&r);

    /* the public form (no auth) */
    snprintf(path, sizeof path, "/api/v2/public/human-tasks/%s", task);
    r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Approve order");
    assert_string_equal(th_str(r.json, "status"), "WAITING");
    assert_null(cJSON_GetObjectItem(r.json, "instance_id"));
    th_free(&r);
    fu_advance(m, 3600); /* waiting does not end by itself before the expiry */
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "WAITING");

    r = th_request(m, "POST", path, "{\"data\":{\"approved\":true,\"notes\":\"Within budget\"}}", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "RUNNING");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(node(r.json, 1), "latest_output"), "approved")));
    th_free(&r);
    r = th_request(m, "POST", path, "{\"data\":{\"approved\":false}}", NULL);
    th_assert_error(&r, 400); /* answered once */
    th_free(&r);
    fu_advance(m, 2);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "COMPLETED");
    assert_int_equal(cJSON_GetObjectItem(r.json, "instance_execution_time")->valueint, (1 + 3600 + 2) * 1000);
    th_free(&r);

    /* unanswered for a day: TIMEOUT, and the run ends TIMED_OUT */
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_APPROVE, NULL, id);
    fu_advance(m, 1 + 86400);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "TIMED_OUT");
    assert_string_equal(th_str(node(r.json, 1), "node_status"), "Errored");
    assert_string_equal(th_str(node(r.json, 2), "node_status"), "Pending"); /* never reached */
    snprintf(task, sizeof task, "%s", th_str(cJSON_GetObjectItem(node(r.json, 1), "latest_output"), "failed_node_id"));
    th_free(&r);

    /* resume from C (what the human-task route calls) on a run that no longer waits */
    const struct tenant *t = fixtures_tenant_by_key(((struct mock *)m)->fx, ACME);
    assert_int_equal(executions_resume((struct mock *)m, t, id, NULL), EXEC_NOT_WAITING);
    assert_int_equal(executions_resume((struct mock *)m, t, "000000000000000000000000", NULL), EXEC_NOT_FOUND);
}

static void forced_outcomes_and_other_starters(void **state)
{
    refold_mock *m = *state;
    struct mock *mk = (struct mock *)m;
    const struct tenant *t = fixtures_tenant_by_key(mk->fx, ACME);
    char id[32], st[16];
    assert_int_equal(overrides_set_workflow_outcome(mk, t, PLAYGROUND_SYNC, "errored", "Forced: HubSpot returned 502", 1), 0);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, id);
    fu_advance(m, 5);
    th_resp r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "status"), "ERRORED");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "execution_error"), "message"), "Forced: HubSpot returned 502");
    th_free(&r);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, id); /* used up */
    fu_advance(m, 5);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");
    overrides_set_workflow_outcome(mk, t, PLAYGROUND_EXPORT, "completed", NULL, 1);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_EXPORT, NULL, id);
    fu_advance(m, 3);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");

    /* a schedule's start (executions_start from C) */
    cJSON *in = cJSON_Parse("{\"sync_type\":\"full\"}");
    assert_int_equal(executions_start(mk, t, LA, PLAYGROUND_SYNC, in, EXEC_SOURCE_SCHEDULE, id), EXEC_OK);
    cJSON_Delete(in);
    r = fu_execution(m, ACME, LA, id);
    assert_string_equal(th_str(r.json, "execution_source"), "SCHEDULE");
    assert_string_equal(th_str(r.json, "trigger_application_event"), "Schedule");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "payload"), "sync_type"), "full");
    th_free(&r);
    assert_int_equal(executions_start(mk, t, LA, "000000000000000000000000", NULL, NULL, id), EXEC_NO_WORKFLOW);
    assert_int_equal(executions_start(mk, t, "nobody", PLAYGROUND_SYNC, NULL, NULL, id), EXEC_NO_LINKED_ACCOUNT);

    /* execute API bad input */
    const char *hs[] = {"x-api-key: " ACME, "slug: playground_app", NULL};
    r = th_request(m, "POST", "/api/v2/public/workflow/" PLAYGROUND_SYNC "/execute", "{}", hs);
    th_assert_error(&r, 400); /* no linked account */
    th_free(&r);
    const char *hs2[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: playground_app", NULL};
    r = th_request(m, "POST", "/api/v2/public/workflow/000000000000000000000000/execute", "{}", hs2);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_request(m, "POST", "/api/v2/public/workflow/" PLAYGROUND_SYNC "/execute", "[1]", hs2);
    th_assert_error(&r, 400);
    th_free(&r);
}

/* Deleting a linked account takes its runs, forms, configs, records and workflows along. */
static void forgetting_a_linked_account(void **state)
{
    refold_mock *m = *state;
    char id[32], path[160];
    fu_enable(m, ACME, LA, "playground_app", PLAYGROUND_SYNC);
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, id);
    th_resp r = fu_action(m, ACME, LA, "playground_app", "create_item", "{\"name\":\"Widget\"}");
    snprintf(path, sizeof path, "{\"item_id\":\"%s\"}", th_str(cJSON_GetObjectItem(r.json, "data"), "id"));
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_create_la(m, ACME, LA, "Acme Inc."); /* the same id again: nothing of the old one comes back */
    fu_connect_playground(m, ACME, LA);
    r = fu_execution(m, ACME, LA, id);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = fu_action(m, ACME, LA, "playground_app", "get_item", path);
    th_assert_error(&r, 404);
    th_free(&r);
    fu_advance(m, 10); /* its timer went with it */
    assert_int_equal(total(m, ACME, NULL, ""), 0);
}

/* A run in flight survives a restart with a file database: its timer is stored with it. */
static void survives_a_restart(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN];
    th_temp_db(db);
    refold_mock *m = th_start_db(db);
    th_create_la(m, ACME, LA, "Acme Inc.");
    fu_connect_playground(m, ACME, LA);
    char id[32], st[16];
    fu_execute(m, ACME, LA, "playground_app", PLAYGROUND_SYNC, NULL, id);
    fu_advance(m, 2);
    refold_mock_stop(m);
    m = th_start_db(db);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "RUNNING");
    fu_advance(m, 2);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "RUNNING");
    fu_advance(m, 1);
    assert_string_equal(fu_status(m, ACME, LA, id, st, sizeof st), "COMPLETED");
    refold_mock_stop(m);
    th_remove_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(completes_on_the_clock, setup, th_teardown),
        cmocka_unit_test_setup_teardown(errors_as_the_fixture_says, setup, th_teardown),
        cmocka_unit_test_setup_teardown(workflow_webhooks, setup, th_teardown),
        cmocka_unit_test_setup_teardown(expired_connection_errors_the_run, setup, th_teardown),
        cmocka_unit_test_setup_teardown(sync_runs_take_no_virtual_time, setup, th_teardown),
        cmocka_unit_test_setup_teardown(list_filters_and_pagination, setup, th_teardown),
        cmocka_unit_test_setup_teardown(stop_and_rerun, setup, th_teardown),
        cmocka_unit_test_setup_teardown(batch_nodes, setup, th_teardown),
        cmocka_unit_test_setup_teardown(human_task_answered_and_timed_out, setup, th_teardown),
        cmocka_unit_test_setup_teardown(forced_outcomes_and_other_starters, setup, th_teardown),
        cmocka_unit_test_setup_teardown(forgetting_a_linked_account, setup, th_teardown),
        cmocka_unit_test(survives_a_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
