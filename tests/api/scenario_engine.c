/* scenario_engine.c: API tests for the scenario engine: loading over HTTP and from C, steps
 * firing on the virtual clock (inside the advance), on the Nth answered request and by hand,
 * the actions' effects, reset unloading, and progress surviving a restart with --db. */
#include "harness.h"
#include "engine/scenario.h"
#include "engine/webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"
#define SETUP_ACME "\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"acme-co\",\"name\":\"Acme Co\"}]," \
                   "\"connections\":[{\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]}"

static th_resp load(refold_mock *m, const char *json) { return th_request(m, "POST", "/__mock/scenario", json, NULL); }

static void load_ok(refold_mock *m, const char *json)
{
    th_resp r = load(m, json);
    if (r.status != 200)
        fprintf(stderr, "load: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "loaded")));
    th_free(&r);
}

/* GET /__mock/scenario (caller deletes). */
static cJSON *status(refold_mock *m)
{
    th_resp r = th_request(m, "GET", "/__mock/scenario", NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *o = r.json;
    r.json = NULL;
    th_free(&r);
    return o;
}

static const cJSON *step_of(const cJSON *st, const char *name)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(st, "steps")) if (!strcmp(th_str(s, "name"), name)) return s;
    fail_msg("no step %s", name);
    return NULL;
}

static const char *state_of(const cJSON *st, const char *name) { return th_str(step_of(st, name), "state"); }

/* reauth_required of la's connection to slug as the public API shows it; -1 when not connected. */
static int reauth(refold_mock *m, const char *key, const char *la, const char *slug)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v2/public/application/%s", slug);
    th_resp r = th_key(m, "GET", path, key, la, NULL);
    assert_int_equal(r.status, 200);
    int v = -1;
    if (cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")))
        v = cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required"));
    th_free(&r);
    return v;
}

static long long fired_ms(const cJSON *st, const char *name)
{
    const cJSON *v = cJSON_GetObjectItem(step_of(st, name), "fired_at_ms");
    assert_true(cJSON_IsNumber(v));
    return (long long)v->valuedouble;
}

static void advance(refold_mock *m, double seconds)
{
    char body[64];
    snprintf(body, sizeof body, "{\"seconds\":%g}", seconds);
    th_resp r = th_request(m, "POST", "/__mock/clock/advance", body, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void fire(refold_mock *m, const char *step, long expect)
{
    char path[128];
    snprintf(path, sizeof path, "/__mock/scenario/steps/%s", step);
    th_resp r = th_request(m, "POST", path, NULL, NULL);
    if (r.status != expect)
        fprintf(stderr, "fire %s: %ld %s\n", step, r.status, r.body);
    assert_int_equal(r.status, expect);
    th_free(&r);
}

static void clock_step_then_manual_step(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t1\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"revoke\",\"when\":{\"after_seconds\":120},\"do\":[{\"action\":\"expire_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\",\"reason\":\"revoked\"}]},"
               "{\"name\":\"reconnect\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"connect\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]}]}");
    cJSON *st = status(m);
    assert_string_equal(th_str(st, "name"), "t1");
    assert_string_equal(th_str(st, "armed"), "revoke");
    assert_string_equal(state_of(st, "revoke"), "armed");
    assert_string_equal(state_of(st, "reconnect"), "pending");
    assert_int_equal(cJSON_GetObjectItem(step_of(st, "revoke"), "due_in_seconds")->valueint, 120);
    assert_non_null(strstr(th_str(step_of(st, "revoke"), "waits_for"), "virtual clock"));
    assert_non_null(strstr(th_str(step_of(st, "reconnect"), "waits_for"), "'revoke'"));
    long long loaded = refold_mock_now_ms(m);
    cJSON_Delete(st);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 0);

    /* 119 s: nothing yet. One more second: it fires inside the advance call, at its due time. */
    advance(m, 119);
    st = status(m);
    assert_string_equal(state_of(st, "revoke"), "armed");
    cJSON_Delete(st);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 0);
    advance(m, 1);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    st = status(m);
    assert_string_equal(state_of(st, "revoke"), "fired");
    assert_true(fired_ms(st, "revoke") - loaded == 120000);
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(step_of(st, "revoke"), "results"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "ok")));
    assert_string_equal(th_str(st, "armed"), "reconnect");
    assert_string_equal(th_str(step_of(st, "reconnect"), "waits_for"), "POST /__mock/scenario/steps/reconnect");
    cJSON_Delete(st);

    fire(m, "reconnect", 200);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 0);
    st = status(m);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "finished")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(st, "armed")));
    cJSON_Delete(st);
    th_resp r = th_request(m, "POST", "/__mock/scenario/steps/reconnect", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 409), "STEP_ALREADY_FIRED");
    th_free(&r);
}

/* One long advance crosses several due times: each step fires at its own time, in order, and
 * a step's after_seconds counts from the moment the one before it fired. */
static void one_advance_fires_steps_at_their_times(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t2\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"a\",\"when\":{\"after_seconds\":10},\"do\":[{\"action\":\"expire_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]},"
               "{\"name\":\"b\",\"when\":{\"after_seconds\":20},\"do\":[{\"action\":\"connect\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]},"
               "{\"name\":\"c\",\"when\":{\"after_seconds\":0},\"do\":[{\"action\":\"delete_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]}]}");
    long long loaded = refold_mock_now_ms(m);
    assert_int_equal(refold_mock_advance_clock(m, 100), 0);
    cJSON *st = status(m);
    assert_true(fired_ms(st, "a") - loaded == 10000);
    assert_true(fired_ms(st, "b") - loaded == 30000);
    assert_true(fired_ms(st, "c") - loaded == 30000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "finished")));
    cJSON_Delete(st);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), -1); /* deleted by c */
    assert_true(refold_mock_now_ms(m) - loaded == 100000);
}

/* advance_clock inside a step that fires inside an advance: no re-entry, the next step is armed
 * from the clock after the inner advance. */
static void advance_clock_action_is_not_reentrant(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t3\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"jump\",\"when\":{\"after_seconds\":10},\"do\":[{\"action\":\"advance_clock\",\"seconds\":30}]},"
               "{\"name\":\"later\",\"when\":{\"after_seconds\":20},\"do\":[{\"action\":\"expire_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]}]}");
    long long loaded = refold_mock_now_ms(m);
    advance(m, 10);
    assert_true(refold_mock_now_ms(m) - loaded == 40000);
    cJSON *st = status(m);
    assert_string_equal(state_of(st, "jump"), "fired");
    assert_string_equal(state_of(st, "later"), "armed");
    assert_int_equal(cJSON_GetObjectItem(step_of(st, "later"), "due_in_seconds")->valueint, 20);
    cJSON_Delete(st);
    advance(m, 19);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 0);
    advance(m, 1);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    st = status(m);
    assert_true(fired_ms(st, "later") - loaded == 60000);
    cJSON_Delete(st);
}

/* The Nth matching request of the scenario's tenant is served normally, then the step fires;
 * other tenants, other methods and other paths do not count. */
static void after_requests_and_injected_failure(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t4\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"throttle\",\"when\":{\"after_requests\":{\"method\":\"GET\",\"path\":\"/api/v2/public/linked-account/*\",\"count\":3}},"
               "\"do\":[{\"action\":\"fail_requests\",\"path\":\"/api/v2/public/linked-account/*\",\"status\":429,\"times\":2,"
               "\"retry_after\":7,\"body\":{\"error_code\":\"RATE_LIMITED\",\"message\":\"slow down\"}}]}]}");
    for (int i = 0; i < 2; i++) {
        th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/nobody", GLOBEX, NULL, NULL); /* other tenant */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account", ACME, NULL, NULL); /* path without the segment */
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "DELETE", "/api/v2/public/linked-account/nobody", ACME, NULL, NULL); /* other method */
    th_free(&r);
    cJSON *st = status(m);
    assert_int_equal(cJSON_GetObjectItem(step_of(st, "throttle"), "seen")->valueint, 2);
    assert_non_null(strstr(th_str(step_of(st, "throttle"), "waits_for"), "1 more GET /api/v2/public/linked-account/*"));
    cJSON_Delete(st);

    r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL); /* the 3rd: served */
    assert_int_equal(r.status, 200);
    th_free(&r);
    for (int i = 0; i < 2; i++) {
        r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
        assert_string_equal(th_assert_error(&r, 429), "RATE_LIMITED");
        assert_string_equal(th_str(r.json, "message"), "slow down");
        char ra[16];
        assert_true(th_header(&r, "Retry-After", ra, sizeof ra));
        assert_string_equal(ra, "7");
        th_free(&r);
    }
    r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* The fault was the Acme tenant's only. */
    st = status(m);
    assert_string_equal(state_of(st, "throttle"), "fired");
    cJSON_Delete(st);
}

static void manual_steps_run_in_order(void **state)
{
    refold_mock *m = *state;
    fire(m, "anything", 404); /* nothing loaded */
    load_ok(m, "{\"name\":\"t5\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"first\",\"when\":{\"manual\":true},\"do\":[]},"
               "{\"name\":\"second\",\"when\":{\"manual\":true},\"do\":[]}]}");
    th_resp r = th_request(m, "POST", "/__mock/scenario/steps/second", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 409), "STEP_NOT_ARMED");
    assert_non_null(strstr(th_str(r.json, "message"), "'first'"));
    th_free(&r);
    fire(m, "third", 404);
    fire(m, "first", 200);
    fire(m, "second", 200);
}

/* The armed step may be fired by hand whatever its trigger (a presenter skipping a wait). */
static void armed_time_step_fired_by_hand(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t6\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"later\",\"when\":{\"after_seconds\":3600},\"do\":[{\"action\":\"expire_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\",\"reason\":\"uninstalled\"}]}]}");
    long long before = refold_mock_now_ms(m);
    fire(m, "later", 200);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    assert_true(refold_mock_now_ms(m) == before); /* the clock did not move */
}

static void reset_unloads_and_load_resets_only_its_tenant(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "stray", "Stray");
    th_create_la(m, GLOBEX, "globex-keeps", "Kept");
    load_ok(m, "{\"name\":\"t7\"," SETUP_ACME ",\"steps\":[]}");
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/stray", ACME, NULL, NULL);
    th_assert_error(&r, 404); /* the story starts from Acme's fixtures */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/globex-keeps", GLOBEX, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* Resetting another tenant leaves the scenario; resetting its tenant unloads it. */
    r = th_key(m, "POST", "/__mock/reset", GLOBEX, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    cJSON *st = status(m);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "loaded")));
    cJSON_Delete(st);
    r = th_key(m, "POST", "/__mock/reset", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    st = status(m);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(st, "loaded")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "steps")), 0);
    cJSON_Delete(st);
    r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);

    load_ok(m, "{\"name\":\"t7b\"," SETUP_ACME ",\"steps\":[]}");
    r = th_request(m, "POST", "/__mock/reset", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    st = status(m);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(st, "loaded")));
    cJSON_Delete(st);
}

/* api_key absent: the tenant of the key the load was sent with. */
static void tenant_from_the_request_key(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/__mock/scenario", GLOBEX, NULL,
                       "{\"name\":\"t8\",\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"g-co\"}]},\"steps\":[]}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), GLOBEX);
    assert_string_equal(th_str(r.json, "org"), "Globex");
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/g-co", GLOBEX, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/g-co", ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void session_tokens_revoked(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t9\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"kick-out\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"revoke_session_tokens\",\"linked_account_id\":\"acme-co\"}]}]}");
    char token[2048];
    th_session_token(m, ACME, "acme-co", token, sizeof token);
    th_resp r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", token, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    fire(m, "kick-out", 200);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", token, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    cJSON *st = status(m);
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(step_of(st, "kick-out"), "results"), 0);
    assert_string_equal(th_str(res, "detail"), "revoked 1 session token of acme-co");
    cJSON_Delete(st);
}

static void create_linked_account_and_overrides(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"t10\",\"steps\":["
               "{\"name\":\"signup\",\"when\":{\"after_seconds\":0},\"do\":["
               "{\"action\":\"create_linked_account\",\"linked_account_id\":\"late-co\",\"name\":\"Late Co\",\"udf\":{\"plan\":\"pro\"}},"
               "{\"action\":\"connect\",\"linked_account_id\":\"late-co\",\"slug\":\"slack\"},"
               "{\"action\":\"set_action_result\",\"slug\":\"slack\",\"action_id\":\"send_message\",\"status\":502,\"times\":2},"
               "{\"action\":\"set_workflow_outcome\",\"outcome\":\"errored\",\"message\":\"boom\"}]}]}");
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/late-co", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Late Co");
    th_free(&r);
    assert_int_equal(reauth(m, ACME, "late-co", "slack"), 0);
    cJSON *st = status(m);
    const cJSON *ov = cJSON_GetObjectItem(st, "overrides");
    assert_int_equal(cJSON_GetArraySize(ov), 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(ov, 0), "action"), "send_message");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ov, 0), "remaining")->valueint, 2);
    assert_string_equal(th_str(cJSON_GetArrayItem(ov, 1), "outcome"), "ERRORED");
    cJSON_Delete(st);
}

static void embedding_api(void **state)
{
    refold_mock *m = *state;
    char err[512];
    assert_int_equal(refold_mock_load_scenario(m, "app-uninstalled", err, sizeof err), 0);
    assert_int_equal(reauth(m, ACME, "acme-co", "slack"), 0);
    assert_int_equal(refold_mock_advance_clock(m, 300), 0);
    assert_int_equal(reauth(m, ACME, "acme-co", "slack"), 1);

    assert_int_equal(refold_mock_load_scenario(m, "no-such-story", err, sizeof err), -1);
    assert_non_null(strstr(err, "no shipped scenario 'no-such-story'"));
    assert_non_null(strstr(err, "reauth-demo"));
    /* a path is a file, read as it is */
    char path[] = "/tmp/refold-scen-XXXXXX.json";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    const char *text = "{\"name\":\"from-file\",\n\"steps\":[\n{\"name\":\"x\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"nope\"}]}]}";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(refold_mock_load_scenario(m, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "step 'x' (steps[0]): do[0].action: unknown action 'nope'"));
    /* the failed loads left the loaded one alone */
    cJSON *st = status(m);
    assert_string_equal(th_str(st, "name"), "app-uninstalled");
    cJSON_Delete(st);
    unlink(path);
}

static void progress_survives_restart_with_db(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN];
    th_temp_db(db);
    refold_mock *m = th_start_db(db);
    load_ok(m, "{\"name\":\"durable\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"one\",\"when\":{\"after_seconds\":60},\"do\":[{\"action\":\"expire_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]},"
               "{\"name\":\"two\",\"when\":{\"after_requests\":{\"method\":\"GET\",\"path\":\"/api/v2/public/linked-account/*\",\"count\":2}},\"do\":[]},"
               "{\"name\":\"three\",\"when\":{\"after_seconds\":60},\"do\":[{\"action\":\"connect\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]}]}");
    advance(m, 60);
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
    th_free(&r);
    cJSON *st = status(m);
    long long one = fired_ms(st, "one");
    cJSON_Delete(st);
    refold_mock_stop(m);

    m = th_start_db(db);
    st = status(m);
    assert_string_equal(th_str(st, "name"), "durable");
    assert_string_equal(state_of(st, "one"), "fired");
    assert_true(fired_ms(st, "one") == one);
    assert_string_equal(th_str(st, "armed"), "two");
    assert_int_equal(cJSON_GetObjectItem(step_of(st, "two"), "seen")->valueint, 1);
    cJSON_Delete(st);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    r = th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL);
    th_free(&r);
    advance(m, 60);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 0);
    st = status(m);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "finished")));
    cJSON_Delete(st);
    refold_mock_stop(m);
    th_remove_db(db);
}

/* --realtime: the clock follows wall time, and an advance still fires what falls due at once. */
static void realtime_advance_fires(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.realtime = 1;
    refold_mock *m = th_start(&o);
    load_ok(m, "{\"name\":\"rt\"," SETUP_ACME ",\"steps\":["
               "{\"name\":\"soon\",\"when\":{\"after_seconds\":600},\"do\":[{\"action\":\"expire_connection\","
               "\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}]}]}");
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 0);
    advance(m, 600);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    refold_mock_stop(m);
}

/* The issue's example file, verbatim: version 1 files keep working. */
static const char *example =
    "{\n"
    "  \"name\": \"hubspot-token-revoked\",\n"
    "  \"description\": \"Acme's HubSpot is revoked 120 s in; the next action fails until they reconnect.\",\n"
    "  \"api_key\": \"tk_acme_test\",\n"
    "  \"setup\": {\n"
    "    \"linked_accounts\": [{\"linked_account_id\": \"acme-co\", \"name\": \"Acme Co\"}],\n"
    "    \"connections\": [{\"linked_account_id\": \"acme-co\", \"slug\": \"hubspot\",\n"
    "                     \"identifier\": {\"portalId\": 12345678, \"hub_domain\": \"acme.example\"}}],\n"
    "    \"webhooks\": [{\"url\": \"http://127.0.0.1:9000/refold\", \"events\": [\"Connection Expired\"]}]\n"
    "  },\n"
    "  \"steps\": [\n"
    "    {\"name\": \"revoke\", \"when\": {\"after_seconds\": 120},\n"
    "     \"do\": [{\"action\": \"expire_connection\", \"linked_account_id\": \"acme-co\",\n"
    "             \"slug\": \"hubspot\", \"reason\": \"revoked\"}]},\n"
    "    {\"name\": \"throttle\", \"when\": {\"after_requests\": {\"method\": \"POST\",\n"
    "       \"path\": \"/api/v2/integration-schema/hubspot/actions/*/execute\", \"count\": 1}},\n"
    "     \"do\": [{\"action\": \"fail_requests\", \"path\": \"/api/v2/integration-schema/hubspot/*\",\n"
    "             \"status\": 429, \"times\": 2, \"retry_after\": 1}]},\n"
    "    {\"name\": \"uninstall\", \"when\": {\"manual\": true},\n"
    "     \"do\": [{\"action\": \"expire_connection\", \"linked_account_id\": \"acme-co\",\n"
    "             \"slug\": \"hubspot\", \"reason\": \"uninstalled\"}]}\n"
    "  ]\n"
    "}\n";

static void issue_example_plays(void **state)
{
    refold_mock *m = *state;
    load_ok(m, example);
    th_resp r = th_key(m, "GET", "/api/v2/public/webhook", ACME, NULL, NULL); /* setup registered the subscription */
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(th_str(cJSON_GetArrayItem(r.json, 0), "webhook_url"), "http://127.0.0.1:9000/refold");
    th_free(&r);
    advance(m, 120);
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    r = th_key(m, "POST", "/api/v2/integration-schema/hubspot/actions/create_contact/execute", ACME, "acme-co",
               "{\"email\":\"jane@example.com\"}");
    assert_string_equal(th_assert_error(&r, 401), "REAUTH_REQUIRED"); /* served normally: it is the 1st */
    th_free(&r);
    for (int i = 0; i < 2; i++) { /* a final '*' matches the rest of the path */
        r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions", ACME, "acme-co", NULL);
        th_assert_error(&r, 429);
        char ra[16];
        assert_true(th_header(&r, "Retry-After", ra, sizeof ra));
        assert_string_equal(ra, "1");
        th_free(&r);
    }
    r = th_key(m, "GET", "/api/v2/integration-schema/hubspot/actions", ACME, "acme-co", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    fire(m, "uninstall", 200);
    cJSON *st = status(m);
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(step_of(st, "uninstall"), "results"), 0);
    assert_string_equal(th_str(res, "detail"), "acme-co's hubspot connection was already expired: nothing changed");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "finished")));
    cJSON_Delete(st);
}

/* Every action of the one table (scenario_parse_actions) validates and runs: a step doing each
 * once loads, fires, and each result is ok. A row added without a sample here fails the test. */
static void every_action_validates_and_runs(void **state)
{
    refold_mock *m = *state;
    static const char *const samples[][2] = {
        {"create_linked_account", "{\"action\":\"create_linked_account\",\"linked_account_id\":\"late-co\",\"name\":\"Late Co\"}"},
        {"connect", "{\"action\":\"connect\",\"linked_account_id\":\"late-co\",\"slug\":\"slack\"}"},
        {"set_action_result", "{\"action\":\"set_action_result\",\"slug\":\"slack\",\"action_id\":\"send_message\",\"status\":502}"},
        {"set_workflow_outcome", "{\"action\":\"set_workflow_outcome\",\"outcome\":\"errored\",\"message\":\"boom\"}"},
        {"emit_webhook", "{\"action\":\"emit_webhook\",\"event\":\"Workflow Timed Out\",\"linked_account_id\":\"acme-co\"}"},
        {"expire_connection", "{\"action\":\"expire_connection\",\"linked_account_id\":\"acme-co\",\"slug\":\"hubspot\"}"},
        {"delete_connection", "{\"action\":\"delete_connection\",\"linked_account_id\":\"late-co\",\"slug\":\"slack\"}"},
        {"revoke_session_tokens", "{\"action\":\"revoke_session_tokens\"}"},
        {"fail_requests", "{\"action\":\"fail_requests\",\"path\":\"/api/v2/public/application\",\"status\":429}"},
        {"delay_requests", "{\"action\":\"delay_requests\",\"path\":\"/api/v2/public/nothing\",\"ms\":1}"},
        {"advance_clock", "{\"action\":\"advance_clock\",\"seconds\":1}"},
    };
    size_t n = sizeof samples / sizeof samples[0], rows = 0;
    for (const struct scenario_action *a = scenario_parse_actions; a->name; a++, rows++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= !strcmp(samples[i][0], a->name);
        if (!found)
            fail_msg("no sample for the action %s: add one", a->name);
        assert_non_null(a->check);
        assert_non_null(a->run);
    }
    assert_int_equal(rows, n);
    char doc[8192];
    int len = snprintf(doc, sizeof doc, "{\"name\":\"all\"," SETUP_ACME ",\"steps\":[{\"name\":\"all\",\"when\":{\"manual\":true},\"do\":[");
    for (size_t i = 0; i < n; i++)
        len += snprintf(doc + len, sizeof doc - (size_t)len, "%s%s", i ? "," : "", samples[i][1]);
    snprintf(doc + len, sizeof doc - (size_t)len, "]}]}");
    load_ok(m, doc);
    fire(m, "all", 200);
    cJSON *st = status(m);
    const cJSON *results = cJSON_GetObjectItem(step_of(st, "all"), "results"), *r;
    assert_int_equal(cJSON_GetArraySize(results), (int)n);
    size_t i = 0;
    cJSON_ArrayForEach(r, results) {
        if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
            fprintf(stderr, "%s: %s\n", th_str(r, "action"), th_str(r, "detail"));
        assert_string_equal(th_str(r, "action"), samples[i++][0]);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    }
    cJSON_Delete(st);
    /* and they did what they say: the expired connection shows it, the fault answers */
    assert_int_equal(reauth(m, ACME, "acme-co", "hubspot"), 1);
    th_resp q = th_key(m, "GET", "/api/v2/public/application", ACME, "acme-co", NULL);
    assert_int_equal(q.status, 429);
    th_free(&q);
}

/* A setup webhook without events subscribes to every event Refold documents (all of
 * webhooks_events: the seven, Stopped and Timed Out included), not five of them. */
static void setup_webhook_defaults_to_every_event(void **state)
{
    refold_mock *m = *state;
    load_ok(m, "{\"name\":\"hooks\",\"setup\":{\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\"}]},\"steps\":[]}");
    th_resp r = th_key(m, "GET", "/api/v2/public/webhook", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *list = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "docs");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *events = cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "webhook_events");
    int n = 0;
    for (const struct webhooks_event *e = webhooks_events; e->name; e++, n++) {
        const cJSON *x = cJSON_GetArrayItem(events, n);
        assert_true(cJSON_IsString(x));
        assert_string_equal(x->valuestring, e->name);
    }
    assert_int_equal(cJSON_GetArraySize(events), n);
    assert_int_equal(n, 7);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(clock_step_then_manual_step, th_reset),
        cmocka_unit_test_setup(one_advance_fires_steps_at_their_times, th_reset),
        cmocka_unit_test_setup(advance_clock_action_is_not_reentrant, th_reset),
        cmocka_unit_test_setup(after_requests_and_injected_failure, th_reset),
        cmocka_unit_test_setup(manual_steps_run_in_order, th_reset),
        cmocka_unit_test_setup(armed_time_step_fired_by_hand, th_reset),
        cmocka_unit_test_setup(reset_unloads_and_load_resets_only_its_tenant, th_reset),
        cmocka_unit_test_setup(tenant_from_the_request_key, th_reset),
        cmocka_unit_test_setup(session_tokens_revoked, th_reset),
        cmocka_unit_test_setup(create_linked_account_and_overrides, th_reset),
        cmocka_unit_test_setup(embedding_api, th_reset),
        cmocka_unit_test_setup(issue_example_plays, th_reset),
        cmocka_unit_test_setup(every_action_validates_and_runs, th_reset),
        cmocka_unit_test_setup(setup_webhook_defaults_to_every_event, th_reset),
        cmocka_unit_test(progress_survives_restart_with_db),
        cmocka_unit_test(realtime_advance_fires),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
