/* configs.c: API tests for configs and config fields: get-or-create (skeleton, named configs,
 * seeds), update (map and array forms, workflow fields, validation that changes nothing), get,
 * list, delete, toggle, single-field read/set/clear, rule-engine options, field errors,
 * session-token access and isolation. */
#include "flows_util.h"

#include <stdio.h>
#include <string.h>

#define LA "user_12345"
#define CFG "/api/v2/public/config"
#define F_WORKSPACE "69aa735274ebee39d140d582"
#define F_FREQUENCY "69ab8ea26d2f46c0b79974d0"
#define F_MAX_ITEMS "69a22c351f39239522741ec0"
#define F_MAPPING "69afcd2e3593c49681b0d33d"
#define F_INACTIVE "69a2bbaa41e0f4c90184a163"  /* Sync items' boolean */
#define F_APPROVER "69b1c53a9f2e4d6c8a7b1e05"  /* Approve large order's required text */
#define F_RULES "69a948b783d8994b3779623e"     /* hubspot rule_engine */
#define F_PIPELINE "69a41a02bacff58ef3a35ddf"  /* hubspot select */

static const cJSON *field(const cJSON *view, const char *id) { return th_find(cJSON_GetObjectItem(view, "fields"), "id", id); }
static const cJSON *workflow(const cJSON *view, const char *id) { return th_find(cJSON_GetObjectItem(view, "workflows"), "id", id); }

/* A config-field route with the slug header (and the API key + linked account). */
static th_resp field_call(refold_mock *m, const char *method, const char *path, const char *slug, const char *body)
{
    char hs1[64], hs2[96];
    snprintf(hs1, sizeof hs1, "slug: %s", slug);
    snprintf(hs2, sizeof hs2, "linked_account_id: %s", LA);
    const char *hs[] = {"x-api-key: " ACME, hs2, hs1, NULL};
    return th_request(m, method, path, body, hs);
}

static void get_or_create_installs_the_skeleton(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "slug"), "playground_app");
    assert_string_equal(th_str(r.json, "config_id"), LA);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "field_errors")), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "fields")), 4);
    const cJSON *f = field(r.json, F_FREQUENCY);
    assert_string_equal(th_str(f, "field_type"), "select");
    assert_string_equal(th_str(f, "defaultValue"), "hourly");
    assert_null(cJSON_GetObjectItem(f, "value"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f, "options")), 4);
    const cJSON *w = workflow(r.json, PLAYGROUND_SYNC);
    assert_string_equal(th_str(w, "name"), "Sync items");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(w, "enabled")));
    assert_non_null(th_find(cJSON_GetObjectItem(w, "fields"), "id", F_INACTIVE));
    th_free(&r);

    /* again: the same config, not a second one */
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"workflows\":[{\"id\":\"" PLAYGROUND_SYNC "\",\"enabled\":true}]}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_SYNC), "enabled"))); /* exists: returned as is */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "config_id"), LA);
    assert_int_equal(strlen(th_str(cJSON_GetArrayItem(r.json, 0), "_id")), 24);
    th_free(&r);
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, "disable_field_options: true", NULL};
    r = th_request(m, "GET", "/api/v2/public/slug/playground_app/config", NULL, hs);
    assert_int_equal(r.status, 200);
    assert_null(cJSON_GetObjectItem(field(r.json, F_FREQUENCY), "options"));
    assert_string_equal(th_str(field(r.json, F_FREQUENCY), "defaultValue"), "hourly");
    th_free(&r);
}

static void named_configs_with_seeds(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", CFG, ACME, LA,
                       "{\"slug\":\"playground_app\",\"config_id\":\"production\","
                       "\"workflows\":[{\"id\":\"" PLAYGROUND_SYNC "\",\"enabled\":true}],"
                       "\"labels\":[{\"name\":\"SKU\",\"value\":\"sku\"},{\"name\":\"Price\",\"value\":\"price\"}]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "config_id"), "production");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_SYNC), "enabled")));
    const cJSON *labels = cJSON_GetObjectItem(field(r.json, F_MAPPING), "labels");
    assert_true(cJSON_IsArray(labels)); /* the pages' field shape: [{name, value}] */
    assert_int_equal(cJSON_GetArraySize(labels), 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(labels, 0), "name"), "SKU");
    assert_string_equal(th_str(cJSON_GetArrayItem(labels, 0), "value"), "sku");
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"config_id\":\"staging\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, LA, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config/production", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_SYNC), "enabled")));
    th_free(&r);
    /* the default one was never created */
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Config with config id " LA " not found");
    th_free(&r);
}

static void create_bad_input(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", CFG, ACME, LA, "{}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "slug is required");
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"unknown\"}");
    assert_string_equal(th_assert_error(&r, 404), "INVALID_APP_ID");
    assert_string_equal(th_str(r.json, "message"), "Application with app_type 'unknown' not found for org 645270e37917442c4307297a");
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"config_id\":\"a/b\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"workflows\":[{\"id\":\"000000000000000000000000\",\"enabled\":true}]}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"fields\":{\"" F_FREQUENCY "\":\"yearly\"}}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, NULL, "{\"slug\":\"playground_app\"}");
    th_assert_error(&r, 400); /* no linked account */
    th_free(&r);
    /* none of it created anything */
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, LA, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
}

static void update_values_workflows_and_errors(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "PUT", CFG, ACME, LA, "{\"slug\":\"playground_app\"}");
    th_assert_error(&r, 404); /* not installed yet */
    assert_string_equal(th_str(r.json, "message"), "Config with config id " LA " not found");
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\"}");
    th_free(&r);

    /* the SDK's map form */
    r = th_key(m, "PUT", CFG, ACME, LA,
               "{\"slug\":\"playground_app\",\"fields\":{\"" F_FREQUENCY "\":\"daily\",\"" F_MAX_ITEMS "\":250,"
               "\"" F_MAPPING "\":{\"product_name\":\"name\",\"stock_level\":\"quantity\"}},"
               "\"workflows\":[{\"id\":\"" PLAYGROUND_SYNC "\",\"enabled\":true,\"fields\":{\"" F_INACTIVE "\":true}}]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(field(r.json, F_FREQUENCY), "value"), "daily");
    assert_int_equal(cJSON_GetObjectItem(field(r.json, F_MAX_ITEMS), "value")->valueint, 250);
    assert_string_equal(th_str(cJSON_GetObjectItem(field(r.json, F_MAPPING), "value"), "stock_level"), "quantity");
    const cJSON *w = workflow(r.json, PLAYGROUND_SYNC);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(w, "enabled")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(th_find(cJSON_GetObjectItem(w, "fields"), "id", F_INACTIVE), "value")));
    th_free(&r);

    /* the spec's array form; a field sent without value changes nothing */
    r = th_key(m, "PUT", CFG, ACME, LA,
               "{\"slug\":\"playground_app\",\"fields\":[{\"id\":\"" F_WORKSPACE "\",\"value\":\"Initech sandbox\"},{\"id\":\"" F_FREQUENCY "\"}]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(field(r.json, F_WORKSPACE), "value"), "Initech sandbox");
    assert_string_equal(th_str(field(r.json, F_FREQUENCY), "value"), "daily");
    th_free(&r);

    /* a required workflow field without value or default is a field error while enabled */
    r = th_key(m, "PUT", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"workflows\":[{\"id\":\"" PLAYGROUND_APPROVE "\",\"enabled\":true}]}");
    assert_int_equal(r.status, 200);
    const cJSON *errs = cJSON_GetObjectItem(r.json, "field_errors");
    assert_int_equal(cJSON_GetArraySize(errs), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(errs, 0), "field_id"), F_APPROVER);
    assert_string_equal(th_str(cJSON_GetArrayItem(errs, 0), "workflow_id"), PLAYGROUND_APPROVE);
    th_free(&r);
    r = th_key(m, "PUT", CFG, ACME, LA,
               "{\"slug\":\"playground_app\",\"workflows\":[{\"id\":\"" PLAYGROUND_APPROVE "\",\"fields\":[{\"id\":\"" F_APPROVER "\",\"value\":\"approver@acme.example\"}]}]}");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "field_errors")), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_APPROVE), "enabled"))); /* untouched */
    th_free(&r);

    /* every bad value is refused and nothing changes */
    static const char *const bad[] = {
        "{\"slug\":\"playground_app\",\"fields\":{\"" F_FREQUENCY "\":\"yearly\"}}",
        "{\"slug\":\"playground_app\",\"fields\":{\"" F_MAX_ITEMS "\":\"many\"}}",
        "{\"slug\":\"playground_app\",\"fields\":{\"" F_WORKSPACE "\":42}}",
        "{\"slug\":\"playground_app\",\"fields\":{\"" F_MAPPING "\":{\"notes\":\"price\"}}}",
        "{\"slug\":\"playground_app\",\"fields\":{\"000000000000000000000000\":1}}",
        "{\"slug\":\"playground_app\",\"fields\":\"daily\"}",
        "{\"slug\":\"playground_app\",\"workflows\":[{\"id\":\"" PLAYGROUND_SYNC "\",\"enabled\":\"yes\"}]}",
        "{\"slug\":\"playground_app\",\"workflows\":[{\"id\":\"" PLAYGROUND_SYNC "\",\"fields\":{\"" F_INACTIVE "\":\"true\"}}]}",
        "{\"slug\":\"playground_app\",\"workflows\":{}}",
        "{\"slug\":\"playground_app\",\"fields\":{\"" F_FREQUENCY "\":\"weekly\"},\"workflows\":[{\"enabled\":false}]}",
        NULL};
    for (int i = 0; bad[i]; i++) {
        r = th_key(m, "PUT", CFG, ACME, LA, bad[i]);
        if (r.status != 400)
            fprintf(stderr, "case %d: %s\n", i, bad[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    assert_string_equal(th_str(field(r.json, F_FREQUENCY), "value"), "daily");
    assert_int_equal(cJSON_GetObjectItem(field(r.json, F_MAX_ITEMS), "value")->valueint, 250);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_SYNC), "enabled")));
    th_free(&r);

    /* a session token updates its own linked account's config */
    char token[1024];
    th_session_token(m, ACME, LA, token, sizeof token);
    r = th_bearer(m, "PUT", CFG, token, "{\"slug\":\"playground_app\",\"fields\":{\"" F_FREQUENCY "\":\"15m\"}}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(field(r.json, F_FREQUENCY), "value"), "15m");
    th_free(&r);
}

static void toggle_delete_and_isolation(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\"}");
    th_free(&r);
    const char *toggle = "/api/v2/public/slug/playground_app/config/" LA "/workflows/" PLAYGROUND_EXPORT;
    r = th_key(m, "PATCH", toggle, ACME, LA, "{\"enabled\":true}");
    assert_int_equal(r.status, 200);
    const cJSON *w = th_find(cJSON_GetObjectItem(r.json, "workflows"), "id", PLAYGROUND_EXPORT);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(w, "enabled")));
    assert_string_equal(th_str(w, "name"), "Export report");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(w, "data_slots")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(th_find(cJSON_GetObjectItem(r.json, "workflows"), "id", PLAYGROUND_SYNC), "enabled")));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_EXPORT), "enabled")));
    th_free(&r);
    r = th_key(m, "PATCH", toggle, ACME, LA, "{}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PATCH", toggle, ACME, LA, "{\"enabled\":\"no\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "PATCH", "/api/v2/public/slug/playground_app/config/" LA "/workflows/000000000000000000000000", ACME, LA, "{\"enabled\":true}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "PATCH", "/api/v2/public/slug/playground_app/config/nope/workflows/" PLAYGROUND_EXPORT, ACME, LA, "{\"enabled\":true}");
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Config with config id nope not found");
    th_free(&r);

    /* other tenants and linked accounts see nothing */
    th_create_la(m, GLOBEX, LA, "Same id, other org");
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", GLOBEX, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    th_create_la(m, ACME, "user_67890", "Other");
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, "user_67890", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);

    /* delete: default, then by id */
    r = th_key(m, "DELETE", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Installation Deleted Success");
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"config_id\":\"staging\"}");
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/slug/playground_app/config/staging", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config/staging", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/slug/unknown/config", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void single_fields(void **state)
{
    refold_mock *m = *state;
    /* before any config: the skeleton, and writes need an installed config */
    th_resp r = field_call(m, "POST", "/api/v2/public/config/field", "playground_app", "{}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "slug"), "playground_app");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "fields")), 4);
    th_free(&r);
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", "{\"value\":\"daily\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\"}");
    th_free(&r);

    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", "{\"value\":\"daily\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "id"), F_FREQUENCY);
    assert_string_equal(th_str(r.json, "value"), "daily");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "options")), 4);
    th_free(&r);
    r = field_call(m, "POST", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "value"), "daily");
    th_free(&r);
    /* disable_field_options leaves the options out */
    {
        const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, "slug: playground_app", "disable_field_options: true", NULL};
        r = th_request(m, "POST", "/api/v2/public/config/field/" F_FREQUENCY, "{}", hs);
        assert_int_equal(r.status, 200);
        assert_null(cJSON_GetObjectItem(r.json, "options"));
        th_free(&r);
    }
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", "{\"value\":\"yearly\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", "{}");
    th_assert_error(&r, 400);
    th_free(&r);

    /* a workflow's field */
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_INACTIVE "?workflow_id=" PLAYGROUND_SYNC, "playground_app", "{\"value\":true}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "value")));
    th_free(&r);
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_INACTIVE, "playground_app", "{\"value\":true}");
    th_assert_error(&r, 400); /* not an app-level field */
    assert_string_equal(th_str(r.json, "message"), "Field with id " F_INACTIVE " not found");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config", ACME, LA, NULL);
    assert_string_equal(th_str(field(r.json, F_FREQUENCY), "value"), "daily");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(th_find(cJSON_GetObjectItem(workflow(r.json, PLAYGROUND_SYNC), "fields"), "id", F_INACTIVE), "value")));
    th_free(&r);

    /* clear */
    r = field_call(m, "DELETE", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", NULL);
    assert_int_equal(r.status, 200);
    assert_null(cJSON_GetObjectItem(r.json, "value"));
    assert_string_equal(th_str(r.json, "defaultValue"), "hourly");
    th_free(&r);
    r = field_call(m, "POST", "/api/v2/public/config/field/" F_FREQUENCY, "playground_app", "{}");
    assert_null(cJSON_GetObjectItem(r.json, "value"));
    th_free(&r);

    /* missing slug header, unknown field, named config that does not exist */
    {
        const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " LA, NULL};
        r = th_request(m, "POST", "/api/v2/public/config/field", "{}", hs);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    r = field_call(m, "POST", "/api/v2/public/config/field/699fec7a5bd27ed2af7243ad", "playground_app", "{}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "Field with id 699fec7a5bd27ed2af7243ad not found");
    th_free(&r);
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_FREQUENCY "?config_id=production", "playground_app", "{\"value\":\"daily\"}");
    th_assert_error(&r, 404);
    assert_string_equal(th_str(r.json, "message"), "Config with config id production not found");
    th_free(&r);

    /* a session token reads its own fields */
    char token[1024], auth[1100];
    th_session_token(m, ACME, LA, token, sizeof token);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *hs[] = {auth, "slug: playground_app", NULL};
    r = th_request(m, "POST", "/api/v2/public/config/field", "{}", hs);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "config_id"), LA);
    th_free(&r);
}

static void rule_engine_options(void **state)
{
    refold_mock *m = *state;
    const char *path = "/api/v2/public/config/rule-engine/" F_RULES;
    th_resp r = field_call(m, "POST", path, "hubspot", "{\"rule_column\":{\"name\":\"Stage\",\"field_type\":\"select\"}}");
    assert_int_equal(r.status, 200);
    const cJSON *opts = cJSON_GetObjectItem(r.json, "options");
    assert_int_equal(cJSON_GetArraySize(opts), 7);
    assert_string_equal(th_str(cJSON_GetArrayItem(opts, 0), "value"), "appointmentscheduled");
    th_free(&r);
    r = field_call(m, "POST", path, "hubspot", "{\"rule_column\":{\"name\":\"Owner\",\"field_type\":\"select\"}}");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "options")), 3);
    th_free(&r);
    r = field_call(m, "POST", path, "hubspot", "{\"rule_column\":{\"field_type\":\"select\"}}");
    assert_int_equal(r.status, 200); /* no column named: the columns */
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "options"), 1), "value"), "amount");
    th_free(&r);
    r = field_call(m, "POST", path, "hubspot", "{\"rule_column\":{\"name\":\"Region\"}}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = field_call(m, "POST", path, "hubspot", "{}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = field_call(m, "POST", "/api/v2/public/config/rule-engine/" F_PIPELINE, "hubspot", "{\"rule_column\":{\"name\":\"Stage\"}}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "message"), "Field with id " F_PIPELINE " is not of type rule engine or has undefined columns");
    th_free(&r);

    /* a rule-engine value is stored as given */
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"hubspot\"}");
    th_free(&r);
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_RULES, "hubspot",
                   "{\"value\":[{\"when\":{\"stage\":\"closedwon\",\"amount\":{\"gt\":10000}},\"then\":{\"owner\":\"81234567\"}}]}");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "value")), 1);
    th_free(&r);
    r = field_call(m, "PUT", "/api/v2/public/config/field/" F_RULES, "hubspot", "{\"value\":\"owner=81234567\"}");
    th_assert_error(&r, 400);
    th_free(&r);
}

/* Deleting a linked account takes its configs (the cascade through DELETE, configs.c's part):
 * a linked account created again under the same id starts with none; another account's stay. */
static void deleting_the_account_takes_its_configs(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, LA, "{\"slug\":\"playground_app\",\"config_id\":\"second\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "POST", CFG, ACME, "user_67890", "{\"slug\":\"playground_app\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);

    r = th_key(m, "DELETE", "/api/v2/public/linked-account/" LA, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_create_la(m, ACME, LA, "Acme Inc.");
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/config/second", ACME, LA, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/slug/playground_app/configs", ACME, "user_67890", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(get_or_create_installs_the_skeleton, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(named_configs_with_seeds, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(create_bad_input, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(update_values_workflows_and_errors, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(toggle_delete_and_isolation, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(single_fields, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(rule_engine_options, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(deleting_the_account_takes_its_configs, th_setup_two_las, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
