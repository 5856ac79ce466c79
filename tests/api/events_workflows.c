/* events_workflows.c: API tests for custom events (define, list, get, update, delete, fire by
 * body and by slug, and what firing starts) and workflows (public list and filters, the private
 * lifecycle: create, draft, publish, versions, unpublish, execute, delete; request structure;
 * enabled list) with their bad-input cases. */
#include "flows_util.h"

#include <stdio.h>
#include <string.h>

#define LA "user_12345"
#define EV "/api/v2/public/application/event"
#define WF "/api/v2/public/workflow"

static int executions_of(refold_mock *m, const char *key, const char *la, const char *query)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v2/public/execution%s", query ? query : "");
    th_resp r = th_key(m, "GET", path, key, la, NULL);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetObjectItem(r.json, "totalDocs")->valueint;
    th_free(&r);
    return n;
}

/* ---- events ---- */

static void event_definitions(void **state)
{
    refold_mock *m = *state;
    /* the events the fixtures' workflows listen to exist from the start */
    th_resp r = th_key(m, "GET", EV, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *seeded = th_find(r.json, "name", "user_signed_up");
    assert_non_null(seeded);
    assert_non_null(th_find(cJSON_GetObjectItem(seeded, "response"), "key", "email"));
    int before = cJSON_GetArraySize(r.json);
    th_free(&r);

    r = th_key(m, "POST", EV, ACME, NULL,
               "{\"name\":\"candidate_created\",\"response\":\"{ \\\"event\\\": \\\"candidate_created\\\", \\\"payload\\\": "
               "{ \\\"jobid\\\": \\\"123\\\", \\\"email\\\": \\\"jane@example.com\\\", \\\"score\\\": 7 } }\"}");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), before + 1);
    const cJSON *ev = th_find(r.json, "name", "candidate_created");
    char id[32];
    snprintf(id, sizeof id, "%s", th_str(ev, "_id"));
    assert_int_equal(strlen(id), 24);
    /* events/create-event.mdx, ```json 200: "response": [{ "key": "event", "type": "text" },
     * { "key": "payload", "type": "object" }] (an array, though the spec says string) */
    const cJSON *keys = cJSON_GetObjectItem(ev, "response");
    assert_true(cJSON_IsArray(keys));
    assert_null(cJSON_GetObjectItem(ev, "response_keys"));
    assert_string_equal(th_str(th_find(keys, "key", "event"), "type"), "text");
    assert_string_equal(th_str(th_find(keys, "key", "payload"), "type"), "object");
    assert_string_equal(th_str(th_find(keys, "key", "payload.jobid"), "type"), "text");
    assert_string_equal(th_str(th_find(keys, "key", "payload.score"), "type"), "number");
    th_free(&r);

    char path[128];
    snprintf(path, sizeof path, EV "/%s", id);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "candidate_created");
    th_free(&r);

    /* bad input changes nothing */
    r = th_key(m, "POST", EV, ACME, NULL, "{\"name\":\"candidate_created\",\"response\":\"{}\"}");
    th_assert_error(&r, 409);
    th_free(&r);
    r = th_key(m, "POST", EV, ACME, NULL, "{\"name\":\"x\"}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "name and response are required");
    th_free(&r);
    r = th_key(m, "POST", EV, ACME, NULL, "{\"name\":\"x\",\"response\":\"not json\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", EV, ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), before + 1);
    th_free(&r);

    /* update, then delete */
    r = th_key(m, "PUT", path, ACME, NULL, "{\"name\":\"candidate_hired\",\"response\":{\"event\":\"candidate_hired\",\"payload\":{}}}");
    assert_int_equal(r.status, 200);
    assert_non_null(th_find(r.json, "name", "candidate_hired"));
    assert_null(th_find(r.json, "name", "candidate_created"));
    th_free(&r);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"name\":\"user_signed_up\",\"response\":\"{}\"}");
    th_assert_error(&r, 409); /* taken by another event */
    th_free(&r);
    r = th_key(m, "GET", path, GLOBEX, NULL, NULL);
    th_assert_error(&r, 404); /* another tenant's */
    th_free(&r);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), before);
    th_free(&r);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Event not found");
    th_free(&r);
    r = th_key(m, "DELETE", path, ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "PUT", path, ACME, NULL, "{\"name\":\"a\",\"response\":\"{}\"}");
    th_assert_error(&r, 404);
    th_free(&r);
}

static void firing_starts_bound_workflows(void **state)
{
    refold_mock *m = *state;
    fu_connect_playground(m, ACME, LA);
    /* no config yet: the event is accepted, nothing runs */
    th_resp r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA, "{\"event\":\"items_changed\",\"payload\":{\"item_ids\":[\"itm_1001\"]}}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Webhook Fired Success");
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, NULL), 0);

    fu_enable(m, ACME, LA, "playground_app", PLAYGROUND_SYNC);
    r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA, "{\"event\":\"items_changed\",\"payload\":{\"item_ids\":[\"itm_1001\"]}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/execution", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    const cJSON *ex = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0);
    assert_string_equal(th_str(ex, "execution_source"), "Event");
    assert_string_equal(th_str(ex, "trigger_application_event"), "items_changed");
    assert_string_equal(th_str(cJSON_GetObjectItem(ex, "associated_workflow"), "_id"), PLAYGROUND_SYNC);
    assert_string_equal(th_str(ex, "config_id"), LA);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(ex, "payload"), "item_ids"), 0)->valuestring, "itm_1001");
    assert_non_null(th_str(ex, "associated_event_id"));
    th_free(&r);

    /* by slug, with "trigger" instead of "event", a config_id header naming a config that does
     * not have it enabled: nothing more runs */
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, "config_id: staging", NULL};
    r = th_request(m, "POST", "/api/v2/public/event/playground_app", "{\"trigger\":\"items_changed\",\"payload\":{}}", hs);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, NULL), 1);
    r = th_key(m, "POST", "/api/v2/public/event/playground_app", ACME, LA, "{\"event\":\"items_changed\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, NULL), 2);

    /* a session token fires for its own linked account */
    char token[1024];
    th_session_token(m, ACME, LA, token, sizeof token);
    r = th_bearer(m, "POST", "/api/v2/public/event/trigger", token, "{\"event\":\"items_changed\",\"payload\":{}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, "?execution_source=Event"), 3);

    /* bad input */
    r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA, "{\"event\":\"no_such_event\"}");
    assert_string_equal(th_assert_error(&r, 404), "INVALID_EVENT");
    assert_string_equal(th_str(r.json, "message"), "Trigger not found");
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA, "{\"payload\":{}}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, NULL, "{\"event\":\"items_changed\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/event/unknown", ACME, LA, "{\"event\":\"items_changed\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    /* the named app's auth is checked: not connected, then expired */
    r = th_key(m, "POST", "/api/v2/public/event/hubspot", ACME, LA, "{\"event\":\"user_signed_up\"}");
    assert_string_equal(th_assert_error(&r, 400), "APP_NOT_CONNECTED");
    th_free(&r);
    fu_expire(m, ACME, LA, "playground_app", "expired");
    r = th_key(m, "POST", "/api/v2/public/event/playground_app", ACME, LA, "{\"event\":\"items_changed\"}");
    assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED");
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, NULL), 3);
}

static void one_event_several_apps(void **state)
{
    refold_mock *m = *state;
    fu_connect_oauth(m, ACME, LA, "hubspot");
    fu_connect_oauth(m, ACME, LA, "slack");
    fu_enable(m, ACME, LA, "hubspot", "69ac37fc22d70cfd72c3ce48");
    fu_enable(m, ACME, LA, "slack", "69a3998c8ca5dab56ed28d72");
    th_resp r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA,
                       "{\"event\":\"opportunity_won\",\"payload\":{\"opportunity_id\":\"opp_48213\",\"amount\":48000}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, NULL), 2);
    assert_int_equal(executions_of(m, ACME, LA, "?slug=slack"), 1);
    assert_int_equal(executions_of(m, ACME, LA, "?slug=hubspot,slack"), 2);
}

/* ---- workflows ---- */

static void public_list_and_filters(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", WF "?limit=100", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    int all = cJSON_GetObjectItem(r.json, "totalDocs")->valueint;
    assert_true(all >= 8);
    /* the merged payload schema of the listed workflows (Sync items takes item_ids) */
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "schema"), "properties")));
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "schema"), "properties"), "item_ids"));
    const cJSON *w = th_find(cJSON_GetObjectItem(r.json, "docs"), "_id", PLAYGROUND_SYNC);
    assert_non_null(w);
    assert_string_equal(th_str(w, "slug"), "playground_app");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(w, "published")));
    assert_string_equal(th_str(w, "associated_application"), "6992cc7dc124a392c80e9a00");
    assert_string_equal(th_str(w, "environment"), "test");
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(w, "nodes"), 0), "type"), "start");
    th_free(&r);

    r = th_key(m, "GET", WF "?slug=playground_app", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 3);
    th_free(&r);
    r = th_key(m, "GET", WF "?application_id=6992cc7dc124a392c80e9e9c", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2); /* hubspot */
    th_free(&r);
    r = th_key(m, "GET", WF "?name=%5Esync", ACME, NULL, NULL); /* regex, case-insensitive */
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 2);
    th_free(&r);
    r = th_key(m, "GET", WF "?published=false", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = th_key(m, "GET", WF "?limit=3&page=2", ACME, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 3);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, all);
    th_free(&r);

    static const char *const bad[] = {WF "?scope=team", WF "?published=yes", WF "?name=(", WF "?start_date=yesterday", WF "?limit=0", NULL};
    for (int i = 0; bad[i]; i++) {
        r = th_key(m, "GET", bad[i], ACME, LA, NULL);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    r = th_key(m, "GET", WF "?scope=private", ACME, NULL, NULL);
    th_assert_error(&r, 400); /* private needs a linked account */
    th_free(&r);

    r = th_key(m, "GET", WF "/" PLAYGROUND_SYNC, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Sync items");
    th_free(&r);
    r = th_key(m, "GET", WF "/000000000000000000000000", ACME, NULL, NULL);
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Workflow not found");
    th_free(&r);

    /* request structure from the fixture's JSON schema */
    r = th_key(m, "GET", WF "/request-structure/" PLAYGROUND_SYNC, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *si = cJSON_GetObjectItem(r.json, "schema_interpreted");
    assert_string_equal(th_str(si, "item_ids"), "array (required)");
    assert_string_equal(th_str(si, "reason"), "string");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "payload"), "reason"), "manual");
    th_free(&r);
    r = th_key(m, "GET", WF "/request-structure/" PLAYGROUND_EXPORT, ACME, LA, NULL);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "schema")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "payload")));
    th_free(&r);
}

static void private_lifecycle(void **state)
{
    refold_mock *m = *state;
    fu_connect_playground(m, ACME, LA);
    char token[1024], other[1024];
    th_session_token(m, ACME, LA, token, sizeof token);
    th_create_la(m, ACME, "user_67890", "Other");
    th_session_token(m, ACME, "user_67890", other, sizeof other);

    th_resp r = th_key(m, "POST", WF, ACME, LA,
                       "{\"name\":\"Lead Sync\",\"slug\":\"playground_app\",\"run\":{\"duration_seconds\":1},"
                       "\"json_schema\":{\"type\":\"object\",\"required\":[\"email\"],\"properties\":{\"email\":{\"type\":\"string\"}}}}");
    assert_int_equal(r.status, 200);
    const cJSON *w = cJSON_GetObjectItem(r.json, "workflow");
    char draft[32], path[160];
    snprintf(draft, sizeof draft, "%s", th_str(w, "_id"));
    assert_string_equal(th_str(w, "name"), "Lead Sync");
    assert_string_equal(th_str(w, "org_id"), "645270e37917442c4307297a");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(w, "published")));
    const cJSON *start = cJSON_GetArrayItem(cJSON_GetObjectItem(w, "nodes"), 0);
    assert_string_equal(th_str(start, "id"), "1");
    assert_string_equal(th_str(start, "type"), "start");
    th_free(&r);

    /* listed as private (a draft), not as public */
    r = th_key(m, "GET", WF "?scope=private", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
    r = th_key(m, "GET", WF "?scope=private", ACME, "user_67890", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    snprintf(path, sizeof path, WF "/%s", draft);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_null(cJSON_GetObjectItem(r.json, "linked_account_id"));
    th_free(&r);
    r = th_key(m, "GET", path, ACME, "user_67890", NULL);
    th_assert_error(&r, 403);
    assert_string_equal(th_str(r.json, "message"), "Workflow is private to another linked account");
    th_free(&r);

    /* a draft cannot run */
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: playground_app", NULL};
    snprintf(path, sizeof path, WF "/%s/execute", draft);
    r = th_request(m, "POST", path, "{}", hs);
    assert_string_equal(th_assert_error(&r, 400), "INVALID_WORKFLOW_ID");
    th_free(&r);

    /* publish (draft id) -> a different published id, version 1 with that id */
    snprintf(path, sizeof path, WF "/%s/publish", draft);
    r = th_bearer(m, "PUT", path, token, "{\"published\":true}");
    assert_int_equal(r.status, 200);
    char pub[32];
    snprintf(pub, sizeof pub, "%s", th_str(r.json, "_id"));
    assert_string_not_equal(pub, draft);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "published")));
    assert_int_equal(cJSON_GetObjectItem(r.json, "current_version")->valueint, 1);
    th_free(&r);
    r = th_bearer(m, "PUT", path, other, "{\"published\":true}");
    th_assert_error(&r, 404); /* someone else's */
    th_free(&r);
    r = th_key(m, "PUT", path, ACME, LA, "{\"published\":true}");
    th_assert_error(&r, 401); /* publish takes a session token */
    th_free(&r);
    r = th_key(m, "GET", WF "?scope=private", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "docs"), 0), "_id"), pub);
    th_free(&r);

    /* the draft knows its published workflow; editing the published id opens the same draft */
    snprintf(path, sizeof path, WF "/%s/edit", pub);
    r = th_bearer(m, "GET", path, token, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "_id"), draft);
    assert_string_equal(th_str(r.json, "associated_workflow"), pub);
    th_free(&r);

    /* publish again: version 2, newest first */
    snprintf(path, sizeof path, WF "/%s/publish", draft);
    r = th_bearer(m, "PUT", path, token, "{\"published\":true}");
    assert_string_equal(th_str(r.json, "_id"), pub);
    assert_int_equal(cJSON_GetObjectItem(r.json, "current_version")->valueint, 2);
    th_free(&r);
    snprintf(path, sizeof path, WF "/versions/%s", pub);
    r = th_bearer(m, "GET", path, token, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *docs = cJSON_GetObjectItem(r.json, "docs");
    assert_int_equal(cJSON_GetArraySize(docs), 2);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(docs, 0), "version")->valueint, 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(docs, 1), "_id"), pub);
    char v2[32];
    snprintf(v2, sizeof v2, "%s", th_str(cJSON_GetArrayItem(docs, 0), "_id"));
    th_free(&r);

    /* request structure of the private workflow */
    snprintf(path, sizeof path, WF "/request-structure/%s", pub);
    r = th_bearer(m, "GET", path, token, NULL);
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "schema_interpreted"), "email"), "string (required)");
    th_free(&r);

    /* execute (published id + slug header), with the wrong slug, without one */
    snprintf(path, sizeof path, WF "/%s/execute", pub);
    r = th_request(m, "POST", path, "{\"email\":\"jane@example.com\"}", hs);
    assert_int_equal(r.status, 200);
    assert_int_equal(strlen(th_str(r.json, "execution_id")), 24);
    th_free(&r);
    const char *wrong[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: hubspot", NULL};
    r = th_request(m, "POST", path, "{}", wrong);
    th_assert_error(&r, 400);
    th_free(&r);
    const char *none[] = {"x-api-key: " ACME, "linked_account_id: " LA, NULL};
    r = th_request(m, "POST", path, "{}", none);
    th_assert_error(&r, 400);
    /* workflows/execute-workflow.mdx, ```json 400:
     * {"message": "Server Error", "error": "Workflow ID and slug are required"} */
    assert_string_equal(th_str(r.json, "message"), "Server Error");
    assert_string_equal(th_str(r.json, "error"), "Workflow ID and slug are required");
    th_free(&r);
    const char *theirs[] = {"x-api-key: " ACME, "linked_account_id: user_67890", "slug: playground_app", NULL};
    r = th_request(m, "POST", path, "{}", theirs);
    th_assert_error(&r, 404);
    th_free(&r);

    /* it shows in the enabled list (no config needed for its own workflows) */
    fu_enable(m, ACME, LA, "playground_app", PLAYGROUND_SYNC);
    r = th_bearer(m, "GET", WF "/enabled", token, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(th_find(r.json, "id", pub));
    const cJSON *e = th_find(r.json, "id", PLAYGROUND_SYNC);
    assert_string_equal(th_str(e, "config_id"), LA);
    assert_string_equal(th_str(cJSON_GetObjectItem(e, "application"), "name"), "Refold Playground");
    assert_null(th_find(r.json, "id", PLAYGROUND_EXPORT));
    th_free(&r);

    /* unpublish: not with the draft id; with the published id */
    snprintf(path, sizeof path, WF "/%s/publish", draft);
    r = th_bearer(m, "PUT", path, token, "{\"published\":false}");
    assert_string_equal(th_assert_error(&r, 400), "INVALID_WORKFLOW_ID");
    assert_string_equal(th_str(r.json, "message"), "Only public and published workflows can be unpublished");
    th_free(&r);
    snprintf(path, sizeof path, WF "/%s/publish", pub);
    r = th_bearer(m, "PUT", path, token, "{\"published\":false}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "published")));
    th_free(&r);
    r = th_bearer(m, "PUT", path, token, "{\"version\":3}");
    th_assert_error(&r, 400);
    th_free(&r);
    snprintf(path, sizeof path, WF "/%s/execute", pub);
    r = th_request(m, "POST", path, "{}", hs);
    th_assert_error(&r, 400);
    th_free(&r);

    /* delete: a version id is refused; the workflow takes its draft and versions along */
    snprintf(path, sizeof path, WF "/%s", v2);
    r = th_bearer(m, "DELETE", path, token, NULL);
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "Workflow is a version workflow.");
    th_free(&r);
    snprintf(path, sizeof path, WF "/%s", pub);
    r = th_bearer(m, "DELETE", path, other, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_bearer(m, "DELETE", path, token, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "triggers_deregistered")));
    th_free(&r);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    snprintf(path, sizeof path, WF "/%s/edit", draft);
    r = th_bearer(m, "GET", path, token, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", WF "?scope=private", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    r = th_bearer(m, "DELETE", WF "/" PLAYGROUND_SYNC, token, NULL);
    th_assert_error(&r, 403); /* public workflows are not deleted here */
    th_free(&r);
}

static void create_bad_input(void **state)
{
    refold_mock *m = *state;
    static const char *const bad[] = {
        "{}",
        "{\"name\":\"\"}",
        "{\"name\":\"X\",\"nodes\":{}}",
        "{\"name\":\"X\",\"nodes\":[1]}",
        "{\"name\":\"X\",\"run\":{\"outcome\":\"maybe\"}}",
        "{\"name\":\"X\",\"run\":{\"duration_seconds\":-1}}",
        "{\"name\":\"X\",\"trigger\":\"candidate_created\"}",
        "[]",
        NULL};
    for (int i = 0; bad[i]; i++) {
        th_resp r = th_key(m, "POST", WF, ACME, LA, bad[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = th_key(m, "POST", WF, ACME, LA, "{\"name\":\"X\",\"slug\":\"unknown\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", WF, ACME, NULL, "{\"name\":\"X\"}");
    th_assert_error(&r, 400); /* a private workflow needs its linked account */
    th_free(&r);
    r = th_key(m, "GET", WF "?scope=private", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
}

/* A private workflow of the default custom app bound to an event runs when the event fires. */
static void private_workflow_on_an_event(void **state)
{
    refold_mock *m = *state;
    char token[1024], path[160];
    th_session_token(m, ACME, LA, token, sizeof token);
    th_resp r = th_key(m, "POST", EV, ACME, NULL, "{\"name\":\"candidate_created\",\"response\":\"{\\\"jobid\\\":\\\"123\\\"}\"}");
    th_free(&r);
    r = th_bearer(m, "POST", WF, token, "{\"name\":\"On candidate\",\"trigger\":{\"event\":\"candidate_created\"}}");
    assert_int_equal(r.status, 200);
    const cJSON *w = cJSON_GetObjectItem(r.json, "workflow");
    assert_string_equal(th_str(w, "associated_application"), "645270e37917442c4307297a"); /* the org's default app */
    assert_string_equal(th_str(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(w, "nodes"), 0), "data"), "trigger"), "event"),
                        "candidate_created");
    snprintf(path, sizeof path, WF "/%s/publish", th_str(w, "_id"));
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA, "{\"event\":\"candidate_created\",\"payload\":{\"jobid\":\"123\"}}");
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, NULL), 0); /* a draft does not listen */
    r = th_bearer(m, "PUT", path, token, "{\"published\":true}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/event/trigger", ACME, LA, "{\"event\":\"candidate_created\",\"payload\":{\"jobid\":\"123\"}}");
    th_free(&r);
    assert_int_equal(executions_of(m, ACME, LA, "?workflow_name=candidate"), 1);
    fu_advance(m, 2); /* no app connection needed: it completes */
    assert_int_equal(executions_of(m, ACME, LA, "?status=COMPLETED"), 1);
}

/* Deleting a linked account takes its private workflows and their versions; another account's
 * stay (the cascade through DELETE, workflows_forget_linked_account). */
static void deleting_the_account_takes_its_workflows(void **state)
{
    refold_mock *m = *state;
    char mine[32], theirs[32], path[160], token[1024];
    th_create_la(m, ACME, "user_67890", "Other");
    const char *owners[] = {LA, "user_67890"};
    char *ids[] = {mine, theirs};
    for (int i = 0; i < 2; i++) {
        th_resp r = th_key(m, "POST", WF, ACME, owners[i], "{\"name\":\"Kept or not\"}");
        assert_int_equal(r.status, 200);
        snprintf(path, sizeof path, WF "/%s/publish", th_str(cJSON_GetObjectItem(r.json, "workflow"), "_id"));
        th_free(&r);
        th_session_token(m, ACME, owners[i], token, sizeof token); /* (publishing takes a session token) */
        r = th_bearer(m, "PUT", path, token, "{\"published\":true}");
        assert_int_equal(r.status, 200);
        snprintf(ids[i], 32, "%s", th_str(r.json, "_id"));
        th_free(&r);
    }
    th_resp r = th_key(m, "DELETE", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_create_la(m, ACME, LA, "Acme Inc."); /* the same id again starts empty */
    r = th_key(m, "GET", WF "?scope=private", ACME, LA, NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 0);
    th_free(&r);
    snprintf(path, sizeof path, WF "/versions/%s", mine);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    snprintf(path, sizeof path, WF "/%s", mine);
    r = th_key(m, "GET", path, ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", WF "?scope=private", ACME, "user_67890", NULL);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
    snprintf(path, sizeof path, WF "/versions/%s", theirs);
    r = th_key(m, "GET", path, ACME, "user_67890", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetObjectItem(r.json, "totalDocs")->valueint, 1);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(event_definitions, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(firing_starts_bound_workflows, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(one_event_several_apps, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(public_list_and_filters, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(private_lifecycle, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(create_bad_input, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(private_workflow_on_an_event, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(deleting_the_account_takes_its_workflows, th_setup_la, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
