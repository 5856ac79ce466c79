/* deprecated_routes.c: API tests for the routes the pages no longer list that Refold's backend SDK
 * and crm-demo still call: each answers as its replacement, with the deprecation header; the
 * one-webhook subscribe/unsubscribe/delete change the stored webhook; bad input changes nothing. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"
#define LA "user_12345"

static void warns(const th_resp *r, const char *use)
{
    char got[256], want[256];
    assert_true(th_header(r, "Refold-Mock-Warning", got, sizeof got));
    snprintf(want, sizeof want, "deprecated, use %s", use);
    assert_string_equal(got, want);
}

static int events_of(refold_mock *m, const char *key, const char *id, char *out, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/webhook/%s", id);
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    int status = (int)r.status;
    char *txt = r.json ? cJSON_PrintUnformatted(cJSON_GetObjectItem(r.json, "webhook_events")) : NULL;
    snprintf(out, n, "%s", txt ? txt : "");
    cJSON_free(txt);
    th_free(&r);
    return status;
}

static void one_webhook_routes_change_the_first_webhook(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/webhook/subscribe", ACME, NULL, "{\"webhook_events\":[\"Workflow Errored\"]}");
    assert_string_equal(th_assert_error(&r, 400), "RESOURCE_NOT_FOUND"); /* none yet */
    warns(&r, "PUT /api/v2/public/webhook/{id}");
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/webhook", ACME, NULL, "{\"webhook_url\":\"http://127.0.0.1:9/a\",\"webhook_events\":[\"Workflow Completed\"]}");
    assert_int_equal(r.status, 200);
    char first[32], second[32], ev[256];
    snprintf(first, sizeof first, "%s", th_str(r.json, "_id"));
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/webhook", ACME, NULL, "{\"webhook_url\":\"http://127.0.0.1:9/b\",\"webhook_events\":[\"Workflow Completed\"]}");
    snprintf(second, sizeof second, "%s", th_str(r.json, "_id"));
    th_free(&r);

    /* the v2 page's kebab names and the current names, duplicates folded */
    r = th_key(m, "POST", "/api/v2/public/webhook/subscribe", ACME, NULL,
               "{\"webhook_events\":[\"workflow-errored\",\"Connection Expired\",\"workflow-completed\"]}");
    assert_int_equal(r.status, 200);
    warns(&r, "PUT /api/v2/public/webhook/{id}");
    assert_string_equal(th_str(r.json, "_id"), first);
    th_free(&r);
    assert_int_equal(events_of(m, ACME, first, ev, sizeof ev), 200);
    assert_string_equal(ev, "[\"Workflow Completed\",\"Workflow Errored\",\"Connection Expired\"]");
    assert_int_equal(events_of(m, ACME, second, ev, sizeof ev), 200);
    assert_string_equal(ev, "[\"Workflow Completed\"]"); /* the other webhook is untouched */

    /* an event that does not exist: 400, nothing stored */
    r = th_key(m, "POST", "/api/v2/public/webhook/subscribe", ACME, NULL, "{\"webhook_events\":[\"Coffee Brewed\"]}");
    assert_string_equal(th_assert_error(&r, 400), "INVALID_EVENT");
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/webhook/subscribe", ACME, NULL, "{\"webhook_events\":[]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/webhook/unsubscribe", ACME, NULL, "{\"webhook_event\":\"Connection Deleted\"}");
    assert_string_equal(th_assert_error(&r, 400), "INVALID_EVENT"); /* not subscribed */
    th_free(&r);
    events_of(m, ACME, first, ev, sizeof ev);
    assert_string_equal(ev, "[\"Workflow Completed\",\"Workflow Errored\",\"Connection Expired\"]");

    r = th_key(m, "POST", "/api/v2/public/webhook/unsubscribe", ACME, NULL, "{\"webhook_event\":\"workflow-completed\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    events_of(m, ACME, first, ev, sizeof ev);
    assert_string_equal(ev, "[\"Workflow Errored\",\"Connection Expired\"]");

    /* another tenant has no webhook: its calls reach nothing of Acme's */
    r = th_key(m, "DELETE", "/api/v2/public/webhook", GLOBEX, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);

    r = th_key(m, "DELETE", "/api/v2/public/webhook", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    warns(&r, "DELETE /api/v2/public/webhook/{id}");
    assert_string_equal(th_str(r.json, "_id"), first);
    th_free(&r);
    assert_int_equal(events_of(m, ACME, first, ev, sizeof ev), 400);
    assert_int_equal(events_of(m, ACME, second, ev, sizeof ev), 200);
}

static void event_routes_without_application(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", "/api/v2/public/event", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    warns(&r, "GET /api/v2/public/application/event");
    const cJSON *ev = th_find(r.json, "name", "user_signed_up");
    assert_non_null(ev);
    char id[32], path[96];
    snprintf(id, sizeof id, "%s", th_str(ev, "_id"));
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/public/event/%s", id);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"event_id\":\"x\",\"name\":\"user_signed_up\",\"response\":{\"email\":\"a@b.c\"}}");
    assert_int_equal(r.status, 200);
    warns(&r, "PUT /api/v2/public/application/event/{event_id}");
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "response"), 0), "key"), "email");
    assert_string_equal(th_str(r.json, "raw_response"), "{\"email\":\"a@b.c\"}"); /* the sample as sent */
    th_free(&r);
    r = th_key(m, "DELETE", path, GLOBEX, NULL, NULL); /* another tenant's id */
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    warns(&r, "GET /api/v2/public/application/event/{event_id}"); /* refusals say so too */
    th_free(&r);

    /* POST /event: the trigger, the linked account from its header */
    r = th_key(m, "POST", "/api/v2/public/event", ACME, LA, "{\"linked_account_id\":\"" LA "\",\"event\":\"opportunity_won\",\"payload\":{}}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Webhook Fired Success");
    warns(&r, "POST /api/v2/public/event/trigger");
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/event", ACME, NULL, "{\"event\":\"opportunity_won\"}");
    th_assert_error(&r, 400); /* no linked account */
    th_free(&r);
}

static void v1_execute_runs_the_workflow(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "PUT", "/api/v2/public/migrate-token", ACME, LA,
                       "{\"linked_account_id\":\"" LA "\",\"slug\":\"hubspot\",\"auth_object\":{\"access_token\":\"a\",\"refresh_token\":\"b\"}}");
    assert_int_equal(r.status, 200); /* the SDK's flat auth_object */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", ACME, LA, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    const char *h[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: hubspot", "sync_execution: false", "Content-Type: application/json", NULL};
    r = th_request(m, "POST", "/api/v1/workflow/69ae87a592145348d38f4ef9/execute", "{\"email\":\"a@b.c\"}", h);
    assert_int_equal(r.status, 200);
    warns(&r, "POST /api/v2/public/workflow/{workflowId}/execute");
    char path[96];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", th_str(r.json, "execution_id"));
    th_free(&r);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "linked_account_id"), LA);
    th_free(&r);
    /* a flat auth_object with a non-string value is not the flat form: refused, nothing changes */
    r = th_key(m, "PUT", "/api/v2/public/migrate-token", ACME, LA, "{\"slug\":\"hubspot\",\"auth_object\":{\"access_token\":\"a\",\"n\":1}}");
    th_assert_error(&r, 400);
    th_free(&r);
}

static void linked_acc_by_query(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "DELETE", "/api/v1/linked-acc", ACME, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v1/linked-acc?account_id=" LA "&org_id=x&environment=production", GLOBEX, NULL, NULL);
    th_assert_error(&r, 404); /* Globex's key cannot reach Acme's account */
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v1/linked-acc?account_id=" LA "&org_id=645270e37917442c4307297a&environment=production", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    warns(&r, "DELETE /api/v2/public/linked-account/{linked_account_id}");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void current_routes_carry_no_warning(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", "/api/v2/public/application/event", ACME, NULL, NULL);
    char got[64];
    assert_int_equal(r.status, 200);
    assert_false(th_header(&r, "Refold-Mock-Warning", got, sizeof got));
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(one_webhook_routes_change_the_first_webhook, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(event_routes_without_application, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(v1_execute_runs_the_workflow, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(linked_acc_by_query, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(current_routes_carry_no_warning, th_setup_la, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
