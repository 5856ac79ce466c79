/* journal_filters.c: /__mock/requests as a verification tool: each filter (method, path exact and
 * glob, operation, linked account, status, since), what an entry holds (headers, bodies,
 * response), /count, DELETE per tenant, and secrets masked in every entry. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"
#define AT_SECRET "at_live_9f8e7d6c5b4a"
#define RT_SECRET "rt_live_0a1b2c3d4e5f"

static int count(refold_mock *m, const char *key, const char *query)
{
    char path[1024];
    snprintf(path, sizeof path, "/__mock/requests/count%s%s", *query ? "?" : "", query);
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    if (r.status != 200)
        fprintf(stderr, "%s -> %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetObjectItem(r.json, "count")->valueint;
    th_free(&r);
    return n;
}

/* GET /__mock/requests?query: as many entries as /count says (fewer with a limit). */
static cJSON *list(refold_mock *m, const char *key, const char *query)
{
    char path[1024];
    snprintf(path, sizeof path, "/__mock/requests?%s", query);
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *out = cJSON_Duplicate(r.json, 1);
    th_free(&r);
    int n = cJSON_GetArraySize(out), all = count(m, key, query); /* count takes no limit */
    if (strstr(query, "limit="))
        assert_true(n <= all);
    else
        assert_int_equal(n, all);
    return out;
}

/* A request whose X-Request-Id is copied into id. */
static long req_id(refold_mock *m, const char *method, const char *path, const char *la, const char *body, char *id)
{
    th_resp r = th_key(m, method, path, ACME, la, body);
    long st = r.status;
    assert_true(th_header(&r, "X-Request-Id", id, 64));
    th_free(&r);
    return st;
}

/* The traffic every test filters: 2 creates, a 404, a list, a migrate-token for user_f1. */
static void traffic(refold_mock *m, char first_id[64], char last_id[64])
{
    req_id(m, "POST", "/api/v2/public/linked-account", NULL, "{\"linked_account_id\":\"user_f1\",\"name\":\"F1\"}", first_id);
    th_create_la(m, ACME, "user_f2", "F2");
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/nobody", ACME, NULL, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account", ACME, NULL, NULL);
    th_free(&r);
    assert_int_equal(req_id(m, "PUT", "/api/v2/public/migrate-token", "user_f1",
                            "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"" AT_SECRET
                            "\",\"refresh_token\":\"" RT_SECRET "\"}}}",
                            last_id),
                     200);
    th_create_la(m, GLOBEX, "globex_f", "G"); /* another tenant: never in Acme's journal */
}

static void each_filter_selects(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char first[64], last[64];
    traffic(m, first, last);
    assert_int_equal(count(m, ACME, ""), 5);
    assert_int_equal(count(m, NULL, ""), 6); /* without a key: every tenant */
    assert_int_equal(count(m, ACME, "method=POST"), 2);
    assert_int_equal(count(m, ACME, "method=post"), 2);
    assert_int_equal(count(m, ACME, "method=PUT"), 1);
    assert_int_equal(count(m, ACME, "path=/api/v2/public/linked-account"), 3); /* exact: 2 POST + 1 GET */
    assert_int_equal(count(m, ACME, "path=/api/v2/public/linked-account/*"), 1);
    assert_int_equal(count(m, ACME, "path=/api/v2/public/*"), 5);
    assert_int_equal(count(m, ACME, "path=/api/v2/public/linked-account/nob%3Fdy"), 1); /* ? matches one char */
    assert_int_equal(count(m, ACME, "operation=createLinkedAccount"), 2);
    assert_int_equal(count(m, ACME, "operation=createLinkedAccount&method=GET"), 0);
    assert_int_equal(count(m, ACME, "linked_account_id=user_f1"), 1);
    assert_int_equal(count(m, ACME, "status=404"), 1);
    assert_int_equal(count(m, ACME, "status=4xx"), 1);
    assert_int_equal(count(m, ACME, "status=2XX"), 4);
    char q[128];
    snprintf(q, sizeof q, "since=%s", first);
    assert_int_equal(count(m, ACME, q), 4); /* strictly after it */
    snprintf(q, sizeof q, "since=%s", last);
    assert_int_equal(count(m, ACME, q), 0);

    /* since a time: the virtual clock moves, the requests after it are the ones at or after it */
    th_admin_ok(m, "/__mock/clock/advance", "{\"seconds\":60}");
    th_resp r = th_request(m, "GET", "/__mock/clock", NULL, NULL);
    snprintf(q, sizeof q, "since=%s", th_str(r.json, "now"));
    th_free(&r);
    assert_int_equal(count(m, ACME, q), 0);
    th_create_la(m, ACME, "user_f3", "F3");
    assert_int_equal(count(m, ACME, q), 1);

    cJSON *l = list(m, ACME, "operation=createLinkedAccount&limit=2");
    assert_int_equal(cJSON_GetArraySize(l), 2); /* the newest 2 of 3, oldest first */
    assert_string_equal(th_str(cJSON_GetArrayItem(l, 0), "linked_account_id"), "");
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(l, 0), "seq")->valuedouble <
                cJSON_GetObjectItem(cJSON_GetArrayItem(l, 1), "seq")->valuedouble);
    cJSON_Delete(l);
    refold_mock_stop(m);
}

static void bad_filters_are_refused(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "user_b", "B");
    static const char *const bad[] = {"status=abc", "status=99", "status=4x", "operation=noSuchOperation",
                                      "since=req_00000000deadbeef", "since=yesterday", "method=P0ST",
                                      "limit=0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[256];
        for (int k = 0; k < 2; k++) {
            snprintf(path, sizeof path, "/__mock/requests%s?%s", k ? "/count" : "", bad[i]);
            if (k && !strncmp(bad[i], "limit", 5))
                continue; /* count takes no limit */
            th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
            th_assert_error(&r, 400);
            assert_non_null(strstr(th_str(r.json, "message"), "query parameter"));
            th_free(&r);
        }
    }
    assert_int_equal(count(m, ACME, ""), 1); /* the refused reads changed nothing */
    refold_mock_stop(m);
}

static const cJSON *member(const cJSON *o, const char *a, const char *b)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b);
}

static void entries_hold_request_and_response(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char first[64], last[64];
    traffic(m, first, last);
    cJSON *l = list(m, ACME, "operation=createLinkedAccount&limit=1");
    const cJSON *e = cJSON_GetArrayItem(l, 0);
    const cJSON *h = member(e, "request", "headers");
    assert_string_equal(th_str(h, "Content-Type"), "application/json");
    assert_string_equal(th_str(h, "x-api-key"), "****");
    assert_string_equal(th_str(member(e, "request", "body"), "linked_account_id"), "user_f2");
    assert_int_equal(member(e, "response", "status")->valueint, 200);
    assert_string_equal(th_str(member(e, "response", "body"), "account_id"), "user_f2");
    assert_false(cJSON_IsTrue(member(e, "request", "body_truncated")));
    cJSON_Delete(l);
    l = list(m, ACME, "status=404");
    e = cJSON_GetArrayItem(l, 0);
    assert_true(cJSON_IsNull(member(e, "request", "body")));
    assert_string_equal(th_str(member(e, "response", "body"), "http_error_type"), "NOT_FOUND");
    cJSON_Delete(l);
    /* the journal's own reads are not listed: reading it does not change what it shows */
    assert_int_equal(count(m, ACME, "path=/__mock/*"), 0);
    refold_mock_stop(m);
}

static void delete_clears_one_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char first[64], last[64];
    traffic(m, first, last);
    th_resp r = th_key(m, "DELETE", "/__mock/requests", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    th_free(&r);
    assert_int_equal(count(m, ACME, ""), 0);
    assert_int_equal(count(m, GLOBEX, ""), 1);
    th_create_la(m, ACME, "after", "A");
    assert_int_equal(count(m, ACME, ""), 1);
    r = th_request(m, "DELETE", "/__mock/requests", NULL, NULL); /* no key: everyone's */
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(count(m, NULL, ""), 0);
    refold_mock_stop(m);
}

/* Every secret the traffic carried, looked for in the whole journal as served. */
static void secrets_are_masked(void **state)
{
    (void)state;
    /* fixtures where an app declares a password field named "desk_pin": masked by that name */
    char dir[] = "/tmp/refold-journal-XXXXXX", cmd[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "cp -r '%s/fixtures/.' '%s/' && python3 -c \"import json,sys; p=sys.argv[1]+'/apps/freshdesk.json'; "
             "d=json.load(open(p)); d['auth_input_map'][1]['name']='desk_pin'; "
             "d['auth_type_options']['keybased'][1]['name']='desk_pin'; d['auth_structure']['keybased']={'domain':'string','desk_pin':'string'}; "
             "json.dump(d,open(p,'w'))\" '%s'",
             REFOLD_SOURCE_DIR, dir, dir);
    assert_int_equal(system(cmd), 0);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = dir;
    refold_mock *m = th_start(&o);
    char first[64], last[64];
    traffic(m, first, last);
    char token[2048];
    th_session_token(m, ACME, "user_f1", token, sizeof token); /* the token is in a response body */
    th_resp r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", token, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", ACME, "user_f1",
               "{\"sid\":\"ACsecretsid0001\",\"number\":\"+14155550199\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* a password field of the catalogue, sent to a route that is not about credentials */
    r = th_key(m, "PUT", "/api/v2/public/linked-account", ACME, NULL,
               "{\"linked_account_id\":\"user_f1\",\"name\":\"F1\",\"udf\":[{\"desk_pin\":\"pin-4417\",\"domain\":\"shown.example\"}]}");
    th_free(&r);
    r = th_key(m, "GET", "/__mock/requests?limit=100", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const char *never[] = {AT_SECRET, RT_SECRET, ACME, token, "ACsecretsid0001", "+14155550199", "pin-4417"};
    for (size_t i = 0; i < sizeof never / sizeof *never; i++)
        if (strstr(r.body, never[i]))
            fail_msg("/__mock/requests shows the secret %s", never[i]);
    assert_non_null(strstr(r.body, "shown.example")); /* a field that is not a password stays */
    assert_non_null(strstr(r.body, "\"slug\":\"hubspot\"")); /* credential bodies keep which app */
    assert_non_null(strstr(r.body, "Bearer ****"));          /* the scheme says what kind came */
    th_free(&r);
    refold_mock_stop(m);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_filter_selects),
        cmocka_unit_test(bad_filters_are_refused),
        cmocka_unit_test(entries_hold_request_and_response),
        cmocka_unit_test(delete_clears_one_tenant),
        cmocka_unit_test(secrets_are_masked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
