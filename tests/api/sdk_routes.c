/* sdk_routes.c: API tests for the routes @cobaltio/cobalt-js and @refoldai/refold-js call
 * (session-token auth): app list and state, key-based save, integrate (by grant), universal
 * connectors, disconnect, org basics, configs, ecosystem leads; shared state with the public API;
 * reason phrases, JSON bodies and CORS the SDK depends on. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "tk_acme_test"
#define LA_ID "sdk_user_1"

struct fx {
    refold_mock *m;
    char token[4096];
};

static struct fx F;

static int setup(void **state)
{
    F.m = th_start(NULL);
    th_create_la(F.m, KEY, LA_ID, "Umbrella Health");
    th_session_token(F.m, KEY, LA_ID, F.token, sizeof F.token);
    *state = F.m;
    return 0;
}

static th_resp sdk(const char *method, const char *path, const char *body)
{
    return th_bearer(F.m, method, path, F.token, body);
}

/* The first line of the response headers, e.g. "HTTP/1.1 404 Not Found". */
static void status_line(const th_resp *r, char *out, size_t n)
{
    const char *eol = strstr(r->headers, "\r\n");
    snprintf(out, n, "%.*s", eol ? (int)(eol - r->headers) : 0, r->headers);
}

static void apps_and_org(void **state)
{
    (void)state;
    th_resp r = sdk("GET", "/api/v2/f-sdk/application", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsArray(r.json));
    const cJSON *tw = th_find(r.json, "slug", "twilio");
    assert_non_null(tw);
    assert_string_equal(th_str(tw, "auth_type"), "keybased");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(tw, "connected")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(tw, "reauth_required")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tw, "auth_input_map")), 2);
    assert_null(cJSON_GetObjectItem(tw, "oauth")); /* mock-only fixture sections stay hidden */
    th_free(&r);

    r = sdk("GET", "/api/v2/f-sdk/application/hubspot", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Hubspot");
    th_free(&r);

    r = sdk("GET", "/api/v2/f-sdk/application/nope", NULL);
    th_assert_error(&r, 404);
    char line[128];
    status_line(&r, line, sizeof line);
    assert_string_equal(line, "HTTP/1.1 404 Not Found"); /* the SDK throws statusText */
    th_free(&r);

    r = sdk("GET", "/api/v3/org/basics", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Acme");
    assert_string_equal(th_str(r.json, "environment"), "test");
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "customer"), "linked_account_id"), LA_ID);
    assert_string_equal(th_str(cJSON_GetObjectItem(r.json, "customer"), "name"), "Umbrella Health");
    th_free(&r);

    /* These routes take the session token only. */
    r = th_key(F.m, "GET", "/api/v2/f-sdk/application", KEY, LA_ID, NULL);
    th_assert_error(&r, 401);
    status_line(&r, line, sizeof line);
    assert_string_equal(line, "HTTP/1.1 401 Unauthorized");
    th_free(&r);
    r = th_bearer(F.m, "GET", "/api/v2/f-sdk/application", "not.a.token", NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

static void keybased_save_shares_state_with_the_api(void **state)
{
    (void)state;
    /* Missing a required field: 400 with the reason, nothing saved. */
    th_resp r = sdk("POST", "/api/v2/app/twilio/save", "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\"}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "number"));
    char line[128];
    status_line(&r, line, sizeof line);
    assert_string_equal(line, "HTTP/1.1 400 Bad Request");
    th_free(&r);
    r = sdk("POST", "/api/v2/app/twilio/save", "{\"sid\":\"AC1\",\"number\":{\"x\":1}}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = sdk("POST", "/api/v2/app/twilio/save", "{\"sid\":");
    th_assert_error(&r, 400);
    th_free(&r);
    r = sdk("POST", "/api/v2/app/hubspot/save", "{}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = sdk("POST", "/api/v2/app/nope/save", "{}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(F.m, "GET", "/api/v2/public/application/twilio", KEY, LA_ID, NULL);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);

    r = sdk("POST", "/api/v2/app/twilio/save",
            "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\",\"auth_token\":\"extra\"}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    th_free(&r);

    /* Visible through the API key, and through the SDK. */
    r = th_key(F.m, "GET", "/api/v2/public/application/twilio", KEY, LA_ID, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    const cJSON *acct = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    assert_string_equal(th_str(acct, "identifier"), "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f");
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/application/twilio", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    th_free(&r);

    /* Another tenant sees none of it. */
    th_create_la(F.m, "tk_globex_test", LA_ID, "Same id, other org");
    r = th_key(F.m, "GET", "/api/v2/public/application/twilio", "tk_globex_test", LA_ID, NULL);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
}

static void disconnect(void **state)
{
    (void)state;
    th_resp r = sdk("POST", "/api/v2/app/playground_app/save", "{\"api_key\":\"pg_test_4f9a2c71e8\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = sdk("DELETE", "/api/v1/linked-acc/integration/playground_app", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json); /* a JSON body, never an empty 204 */
    assert_string_equal(th_str(r.json, "account_id"), LA_ID);
    th_free(&r);
    r = th_key(F.m, "GET", "/api/v2/public/application/playground_app", KEY, LA_ID, NULL);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    r = sdk("DELETE", "/api/v1/linked-acc/integration/nope", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void integrate_gives_an_absolute_consent_url(void **state)
{
    (void)state;
    /* Exactly as the SDK builds it: a bare "?" when there are no params. */
    th_resp r = sdk("GET", "/api/v1/hubspot/integrate?", NULL);
    assert_int_equal(r.status, 200);
    const char *url = th_str(r.json, "auth_url");
    char want[256];
    snprintf(want, sizeof want, "%s/oauth/hubspot/authorize?", refold_mock_url(F.m));
    assert_memory_equal(url, want, strlen(want));
    const char *st = strstr(url, "state=");
    assert_non_null(st);
    char consent[256], body[128];
    snprintf(consent, sizeof consent, "/oauth/hubspot/authorize?state=%.32s", st + 6);
    th_free(&r);
    r = th_request(F.m, "GET", consent, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Acme wants to access your HubSpot account"));
    th_free(&r);
    snprintf(body, sizeof body, "state=%.32s&decision=approve&popup=1", strstr(consent, "state=") + 6);
    r = th_request(F.m, "POST", "/oauth/hubspot/authorize", body, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/application/hubspot", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);

    r = sdk("GET", "/api/v1/twilio/integrate?", NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = sdk("GET", "/api/v1/nope/integrate?", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

/* refold-js: POST /integrate resolves the grant; a client_credentials app connects from its fields
 * (a missing one and a refused secret change nothing); a universal connector's own routes. */
static void integrate_by_grant_and_universal_connectors(void **state)
{
    (void)state;
    th_resp r = sdk("POST", "/api/v1/hubspot/integrate", "{}");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(th_str(r.json, "auth_url"), "/oauth/hubspot/authorize?"));
    th_free(&r);
    r = sdk("POST", "/api/v1/paypal/integrate", "{\"client_id\":\"AYSq3RDGsmBLJE\"}");
    th_assert_error(&r, 400);
    assert_string_equal(th_str(r.json, "error_code"), "MISSING_CREDENTIALS");
    th_free(&r);
    r = sdk("POST", "/api/v1/paypal/integrate", "[1]");
    th_assert_error(&r, 400);
    th_free(&r);
    r = sdk("POST", "/api/v1/paypal/integrate", "{\"client_id\":\"AYSq3RDGsmBLJE\",\"client_secret\":\"revoked-secret\"}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/application/paypal", NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected")));
    assert_string_equal(th_str(r.json, "grant_type"), "client_credentials");
    assert_string_equal(th_str(r.json, "kind"), "native");
    th_free(&r);
    r = sdk("GET", "/api/v1/paypal/integrate?client_id=AYSq3RDGsmBLJE&client_secret=EGnHDxD_qRPd", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    assert_null(cJSON_GetObjectItem(r.json, "auth_url"));
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/application/paypal", NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    assert_string_equal(th_str(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0), "auth_type"), "oauth2");
    th_free(&r);

#define UC "/api/v1/auth-service/f-sdk/universal-connector/"
    r = sdk("POST", UC "hubspot/save-credentials", "{\"api_key\":\"x\"}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = sdk("POST", UC "northwind_connector/save-credentials", "{\"base_url\":\"https://a.example\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = sdk("POST", UC "northwind_connector/save-credentials", "{\"api_key\":\"nw_live_3f9a27c4d1e84b6a\"}");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/application/northwind_connector", NULL);
    assert_string_equal(th_str(r.json, "kind"), "universal_connector");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    r = sdk("GET", UC "northwind_connector/integrate?", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(th_str(r.json, "auth_url"), "/oauth/northwind_connector/authorize?"));
    th_free(&r);
    r = sdk("POST", UC "northwind_connector/revoke", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/application/northwind_connector", NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
#undef UC
}

/* cobalt-js 8.5: ecosystem leads, and the GET form of a config field. */
static void ecosystem_leads_and_the_field_get(void **state)
{
    (void)state;
    th_resp r = sdk("POST", "/api/v1/ecosystem/leads", "{\"slug\":\"salesforce\",\"email\":\"dana@umbrella.example\",\"name\":\"Dana\"}");
    assert_int_equal(r.status, 200);
    assert_int_equal(strlen(th_str(r.json, "_id")), 24);
    assert_string_equal(th_str(r.json, "email"), "dana@umbrella.example");
    assert_string_equal(th_str(r.json, "linked_account_id"), LA_ID);
    assert_non_null(th_str(r.json, "created_at"));
    th_free(&r);
    const char *bad[] = {"{\"slug\":\"salesforce\",\"email\":\"dana\"}", "{\"email\":\"a@b.example\"}",
                         "{\"slug\":\"salesforce\",\"email\":\"a@b.example\",\"description\":[]}", NULL};
    for (int i = 0; bad[i]; i++) {
        r = sdk("POST", "/api/v1/ecosystem/leads", bad[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    r = sdk("POST", "/api/v1/ecosystem/leads", "{\"slug\":\"nope\",\"email\":\"a@b.example\"}");
    th_assert_error(&r, 404);
    th_free(&r);

    char auth[4200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", F.token);
    const char *h[] = {"slug: hubspot", auth, NULL};
    r = th_request(F.m, "GET", "/api/v2/public/config/field/69a41a02bacff58ef3a35ddf", NULL, h);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "id"), "69a41a02bacff58ef3a35ddf");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "options")) > 0);
    th_free(&r);
    r = sdk("GET", "/api/v2/public/config/field/69a41a02bacff58ef3a35ddf", NULL); /* no slug header */
    th_assert_error(&r, 400);
    th_free(&r);
}

/* The app list: ?ecosystem=true is the enabled apps and the ecosystem ones; without it the
 * enabled ones. The public API keeps its filter. A fixture's kind and grant_type are checked. */
static void ecosystem_list_and_fixture_checks(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], cmd[1024], err[512];
    th_fixtures_copy(dir);
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; p=sys.argv[1]+'/apps/slack.json'; d=json.load(open(p)); d['ecosystem']=True; "
             "json.dump(d,open(p,'w'))\" '%s'", dir);
    assert_int_equal(system(cmd), 0);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = dir;
    refold_mock *m = th_start(&o);
    th_create_la(m, KEY, "eco_user", "Eco");
    char token[4096];
    th_session_token(m, KEY, "eco_user", token, sizeof token);
    th_resp r = th_bearer(m, "GET", "/api/v2/f-sdk/application?ecosystem=true", token, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(th_find(r.json, "slug", "slack"));
    assert_non_null(th_find(r.json, "slug", "hubspot"));
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/f-sdk/application", token, NULL);
    assert_null(th_find(r.json, "slug", "slack"));
    assert_non_null(th_find(r.json, "slug", "hubspot"));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application?ecosystem=true", KEY, "eco_user", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_non_null(th_find(r.json, "slug", "slack"));
    th_free(&r);
    refold_mock_stop(m);

    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; p=sys.argv[1]+'/apps/twilio.json'; d=json.load(open(p)); d['grant_type']='client_credentials'; "
             "json.dump(d,open(p,'w'))\" '%s'", dir);
    assert_int_equal(system(cmd), 0);
    th_start_refused(&o, err, sizeof err);
    assert_non_null(strstr(err, "grant_type"));
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; p=sys.argv[1]+'/apps/twilio.json'; d=json.load(open(p)); del d['grant_type']; d['kind']='plugin'; "
             "json.dump(d,open(p,'w'))\" '%s'", dir);
    assert_int_equal(system(cmd), 0);
    th_start_refused(&o, err, sizeof err);
    assert_non_null(strstr(err, "kind"));
    th_remove_dir(dir);
}

static void config_routes_share_the_public_configs(void **state)
{
    (void)state;
    th_resp r = sdk("POST", "/api/v2/f-sdk/config", "{\"slug\":\"hubspot\",\"labels\":[]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "slug"), "hubspot");
    assert_string_equal(th_str(r.json, "config_id"), LA_ID); /* the default config is the linked account's */
    const cJSON *field = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "fields"), 0);
    char field_id[64], body[256];
    snprintf(field_id, sizeof field_id, "%s", th_str(field, "id"));
    th_free(&r);

    snprintf(body, sizeof body, "{\"slug\":\"hubspot\",\"fields\":{\"%s\":\"7581443\"},\"workflows\":[]}", field_id);
    r = sdk("PUT", "/api/v2/f-sdk/config", body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* The public API reads the value the SDK wrote. */
    r = th_key(F.m, "GET", "/api/v2/public/slug/hubspot/config", KEY, LA_ID, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "7581443"));
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/slug/hubspot/config", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "7581443"));
    th_free(&r);

    /* deleteConfig reads a JSON body: never an empty 204. */
    r = sdk("DELETE", "/api/v2/f-sdk/slug/hubspot/config", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsObject(r.json));
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/slug/hubspot/config", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = sdk("GET", "/api/v2/f-sdk/slug/hubspot/config/other_cfg", NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = sdk("POST", "/api/v2/f-sdk/config", "{\"labels\":[]}");
    th_assert_error(&r, 400);
    th_free(&r);
}

static void cors_for_a_product_origin(void **state)
{
    (void)state;
    const char *pre[] = {"Origin: http://localhost:3000", "Access-Control-Request-Method: POST",
                         "Access-Control-Request-Headers: authorization,content-type", NULL};
    th_resp r = th_request(F.m, "OPTIONS", "/api/v2/app/twilio/save", NULL, pre);
    assert_int_equal(r.status, 204);
    char v[512];
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, "http://localhost:3000");
    assert_true(th_header(&r, "Vary", v, sizeof v));
    assert_non_null(strstr(v, "Origin"));
    assert_true(th_header(&r, "Access-Control-Allow-Methods", v, sizeof v));
    assert_non_null(strstr(v, "POST"));
    assert_non_null(strstr(v, "DELETE"));
    assert_true(th_header(&r, "Access-Control-Allow-Headers", v, sizeof v));
    const char *need[] = {"authorization", "content-type", "x-api-key", "linked_account_id"};
    for (int i = 0; i < 4; i++)
        assert_non_null(strstr(v, need[i]));
    th_free(&r);
    /* Preflight needs no auth, even on a path that does not exist. */
    r = th_request(F.m, "OPTIONS", "/api/v2/f-sdk/no/such/thing", NULL, pre);
    assert_int_equal(r.status, 204);
    th_free(&r);

    /* Responses, errors included, carry the allow-origin header. */
    char ah[4200];
    snprintf(ah, sizeof ah, "Authorization: Bearer %s", F.token);
    const char *get[] = {"Origin: http://localhost:3000", ah, NULL};
    r = th_request(F.m, "GET", "/api/v2/f-sdk/application/hubspot", NULL, get);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, "http://localhost:3000");
    th_free(&r);
    const char *bad[] = {"Origin: http://localhost:3000", "Authorization: Bearer nope", NULL};
    r = th_request(F.m, "GET", "/api/v2/f-sdk/application", NULL, bad);
    th_assert_error(&r, 401);
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, "http://localhost:3000");
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(apps_and_org, setup, th_teardown),
        cmocka_unit_test_setup_teardown(keybased_save_shares_state_with_the_api, setup, th_teardown),
        cmocka_unit_test_setup_teardown(disconnect, setup, th_teardown),
        cmocka_unit_test_setup_teardown(integrate_gives_an_absolute_consent_url, setup, th_teardown),
        cmocka_unit_test_setup_teardown(integrate_by_grant_and_universal_connectors, setup, th_teardown),
        cmocka_unit_test_setup_teardown(ecosystem_leads_and_the_field_get, setup, th_teardown),
        cmocka_unit_test_setup_teardown(ecosystem_list_and_fixture_checks, setup, th_teardown),
        cmocka_unit_test_setup_teardown(config_routes_share_the_public_configs, setup, th_teardown),
        cmocka_unit_test_setup_teardown(cors_for_a_product_origin, setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
