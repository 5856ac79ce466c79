/* drift.c: `refold-mock drift` finds exactly the differences seeded into an upstream (a renamed
 * field, a changed type, an extra app, a route the mock does not know) and none on an identical
 * run; `refold-mock fixtures-from` turns the recording into fixtures that load and answer as recorded. */
#define _GNU_SOURCE
#include "harness.h"
#include "bad_upstream.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACME "x-api-key: tk_acme_test"
#define LA "linked_account_id: drift_user"
#define JSON_CT "Content-Type: application/json"

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    char **buf = ud;
    size_t old = *buf ? strlen(*buf) : 0;
    *buf = realloc(*buf, old + s * n + 1);
    memcpy(*buf + old, p, s * n);
    (*buf)[old + s * n] = 0;
    return s * n;
}

static cJSON *call(const char *base, const char *method, const char *path, const char *body, const char *h1,
                   const char *h2, long *status)
{
    char url[1024], *out = NULL;
    snprintf(url, sizeof url, "%s%s", base, path);
    CURL *e = curl_easy_init();
    struct curl_slist *hl = curl_slist_append(NULL, JSON_CT);
    if (h1)
        hl = curl_slist_append(hl, h1);
    if (h2)
        hl = curl_slist_append(hl, h2);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &out);
    if (body)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(e);
    cJSON *j = out ? cJSON_Parse(out) : NULL;
    free(out);
    return j;
}

static void expect(const char *base, const char *method, const char *path, const char *body, const char *h1,
                   const char *h2, long want)
{
    long st = 0;
    cJSON *j = call(base, method, path, body, h1, h2, &st);
    if (st != want)
        fail_msg("%s %s: %ld, expected %ld", method, path, st, want);
    cJSON_Delete(j);
}

/* A short run of a team's own tests, through the proxy at base: creates and reads, ids handed
 * from one call to the next, a session token, an error with an id in its message. */
static void session(const char *base, int extra_app_status)
{
    long st;
    expect(base, "POST", "/api/v2/public/linked-account", "{\"linked_account_id\":\"drift_user\",\"name\":\"Drift\"}", ACME, NULL, 200);
    expect(base, "GET", "/api/v2/public/linked-account/drift_user", NULL, ACME, NULL, 200);
    cJSON *t = call(base, "POST", "/api/v2/public/session-token", "{\"linked_account_id\":\"drift_user\"}", ACME, NULL, &st);
    assert_int_equal(st, 200);
    char bearer[1200];
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", th_str(t, "token"));
    cJSON_Delete(t);
    expect(base, "GET", "/api/v2/f-sdk/application", NULL, bearer, NULL, 200);
    expect(base, "GET", "/api/v2/public/application", NULL, ACME, LA, 200);
    expect(base, "GET", "/api/v2/public/application/hubspot", NULL, ACME, LA, 200);
    expect(base, "GET", "/api/v2/public/auth-structure/zendesk", NULL, NULL, NULL, 200);
    cJSON *w = call(base, "POST", "/api/v2/public/webhook",
                    "{\"webhook_url\":\"https://your-app.com/hooks\",\"webhook_events\":[\"Connection Created\"]}", ACME, NULL, &st);
    assert_int_equal(st, 200);
    const char *id = th_str(w, "_id") ? th_str(w, "_id") : th_str(w, "id");
    assert_non_null(id);
    char path[256];
    snprintf(path, sizeof path, "/api/v2/public/webhook/%s", id);
    expect(base, "GET", path, NULL, ACME, NULL, 200);
    expect(base, "GET", "/api/v2/public/webhook/6a0000000000000000000999", NULL, ACME, NULL, 400);
    expect(base, "POST", "/api/v2/public/config", "{\"slug\":\"hubspot\"}", ACME, LA, 200);
    expect(base, "GET", "/api/v2/integration-schema/hubspot/actions", NULL, ACME, LA, 200);
    expect(base, "GET", "/api/v2/integration-schema/hubspot/actions/create_contact", NULL, ACME, LA, 200);
    expect(base, "DELETE", path, NULL, ACME, NULL, 200);
    cJSON_Delete(w);
    /* a route the pages dropped (the backend SDK still calls it): a note, not drift */
    expect(base, "GET", "/api/v2/public/event", NULL, ACME, NULL, 200);
    /* what the seeded upstream changes */
    expect(base, "GET", "/api/v2/public/application/twilio", NULL, ACME, LA, 200);
    expect(base, "GET", "/api/v2/public/application/zendesk", NULL, ACME, LA, 200);
    expect(base, "GET", "/api/v2/public/application/zextra", NULL, ACME, LA, extra_app_status);
    expect(base, "GET", "/api/v2/integration-schema/zextra/actions", NULL, ACME, LA, extra_app_status == 200 ? 200 : 404);
    expect(base, "GET", "/api/v2/integration-schema/zextra/actions/send_sms", NULL, ACME, LA, extra_app_status == 200 ? 200 : 404);
}

static refold_mock *proxy_to(int port, const char *dir)
{
    char up[64];
    snprintf(up, sizeof up, "http://127.0.0.1:%d", port);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.upstream = up;
    o.record_dir = dir;
    return th_start(&o);
}

static void temp_dir(char *dir)
{
    snprintf(dir, TH_DIR_LEN, "/tmp/refold-drift-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static cJSON *read_json(const char *path)
{
    char *text = NULL;
    size_t cap = 0;
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    ssize_t n = getdelim(&text, &cap, 0, f);
    fclose(f);
    assert_true(n > 0);
    cJSON *j = cJSON_Parse(text);
    free(text);
    return j;
}

static void edit_app(const char *fixtures, const char *slug, void (*fn)(cJSON *), const char *save_as)
{
    char path[256];
    snprintf(path, sizeof path, "%s/apps/%s.json", fixtures, slug);
    cJSON *app = read_json(path);
    assert_non_null(app);
    fn(app);
    snprintf(path, sizeof path, "%s/apps/%s.json", fixtures, save_as);
    char *text = cJSON_Print(app);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    cJSON_Delete(app);
}

static void rename_ecosystem(cJSON *app)
{
    cJSON *v = cJSON_DetachItemFromObject(app, "ecosystem");
    cJSON_AddItemToObject(app, "is_ecosystem", v);
}

static void tags_to_string(cJSON *app) { cJSON_ReplaceItemInObject(app, "tags", cJSON_CreateString("Support")); }

static void make_extra(cJSON *app)
{
    cJSON_ReplaceItemInObject(app, "slug", cJSON_CreateString("zextra"));
    cJSON_ReplaceItemInObject(app, "name", cJSON_CreateString("Z Extra"));
    cJSON_ReplaceItemInObject(app, "app_id", cJSON_CreateString("6a00000000000000000000ee"));
}

/* Records the session through a proxy to a mock with fixtures (NULL: the shipped ones); with
 * seeded, the upstream's fixtures carry the four differences and one call goes to a route the
 * mock does not know (through a second proxy session to bad_upstream). */
static void record_session(const char *dir, int seeded)
{
    char fx[TH_DIR_LEN] = "";
    refold_mock_options o;
    refold_mock_options_init(&o);
    if (seeded) {
        th_fixtures_copy(fx);
        edit_app(fx, "twilio", rename_ecosystem, "twilio");
        edit_app(fx, "zendesk", tags_to_string, "zendesk");
        edit_app(fx, "twilio", make_extra, "zextra");
        o.fixtures_dir = fx;
    }
    refold_mock *up = th_start(&o);
    refold_mock *px = proxy_to(refold_mock_port(up), dir);
    session(refold_mock_url(px), seeded ? 200 : 404);
    refold_mock_stop(px);
    refold_mock_stop(up);
    if (seeded) {
        bad_upstream *bu = bu_start();
        px = proxy_to(bu_port(bu), dir);
        expect(refold_mock_url(px), "GET", "/api/v2/public/brand-new-route", NULL, ACME, NULL, 200);
        refold_mock_stop(px);
        bu_stop(bu);
        th_remove_dir(fx);
    }
}

static char out[1 << 20];

/* Runs `refold-mock drift DIR --json ARGS`; returns the exit status, the report in *report. */
static int drift(const char *dir, const char *args, cJSON **report)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "drift '%s' --json %s", dir, args ? args : "");
    int rc = th_cli(NULL, 120, cmd, out, sizeof out);
    *report = cJSON_Parse(out);
    if (!*report)
        fail_msg("drift printed no JSON: %.2000s", out);
    return rc;
}

/* The differing results as "operation-or-path: first difference" lines, for the messages. */
static int differing(const cJSON *report, const char *op, const char *path, const char *needle)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(report, "results")) {
        if (cJSON_IsTrue(cJSON_GetObjectItem(r, "match")))
            continue;
        const char *o = cJSON_GetStringValue(cJSON_GetObjectItem(r, "operation"));
        if ((op && (!o || strcmp(o, op))) || (path && strcmp(th_str(r, "path"), path)))
            continue;
        const cJSON *d;
        cJSON_ArrayForEach(d, cJSON_GetObjectItem(r, "differences"))
            if (strstr(d->valuestring, needle))
                return 1;
    }
    return 0;
}

static void identical_runs_show_no_drift(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN];
    temp_dir(dir);
    record_session(dir, 0);
    for (int round = 0; round < 2; round++) { /* ids, tokens and times differ in every replay */
        cJSON *report;
        int rc = drift(dir, NULL, &report);
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(report, "results"))
            if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "match")))
                fail_msg("false drift: %s", cJSON_PrintUnformatted(r));
        assert_int_equal(rc, 0);
        assert_false(cJSON_IsTrue(cJSON_GetObjectItem(report, "drift")));
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(report, "exchanges")), 20);
        const cJSON *note = NULL;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(report, "results"))
            if (th_str(r, "operation") && !strcmp(th_str(r, "operation"), "sdkListEventsLegacy"))
                note = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "notes"), 0);
        assert_non_null(note);
        assert_non_null(strstr(note->valuestring, "deprecated"));
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(report, "differ")), 0);
        cJSON_Delete(report);
    }
    th_remove_dir(dir);
}

static void seeded_differences_are_found_exactly(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], junit[TH_DIR_LEN + 16];
    temp_dir(dir);
    record_session(dir, 1);
    snprintf(junit, sizeof junit, "%s.xml", dir);
    char args[128];
    snprintf(args, sizeof args, "--junit '%s'", junit);
    cJSON *report;
    assert_int_equal(drift(dir, args, &report), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(report, "drift")));
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(report, "exchanges")), 21);
    /* the renamed field, the changed type, the extra app (its get, actions and action schema)
     * and the unknown route: nothing else */
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(report, "differ")), 6);
    assert_true(differing(report, NULL, "/api/v2/public/application/twilio", "/is_ecosystem: missing in the mock"));
    assert_true(differing(report, NULL, "/api/v2/public/application/twilio", "/ecosystem: not in the recording"));
    assert_true(differing(report, NULL, "/api/v2/public/application/zendesk", "/tags: string in the recording, array in the mock"));
    assert_true(differing(report, NULL, "/api/v2/public/application/zextra", "status: 200 recorded, 404 from the mock"));
    assert_true(differing(report, "listActions", "/api/v2/integration-schema/zextra/actions", "status: 200 recorded"));
    assert_true(differing(report, "getActionSchema", NULL, "status: 200 recorded"));
    assert_true(differing(report, NULL, "/api/v2/public/brand-new-route", "is not in the mock's route table"));
    cJSON_Delete(report);
    /* the same for CI: a JUnit file with one failing case per difference */
    FILE *f = fopen(junit, "r");
    assert_non_null(f);
    char *xml = NULL;
    size_t cap = 0;
    assert_true(getdelim(&xml, &cap, 0, f) > 0);
    fclose(f);
    assert_non_null(strstr(xml, "tests=\"21\" failures=\"6\""));
    int failures = 0;
    for (const char *p = xml; (p = strstr(p, "<failure ")); p++)
        failures++;
    assert_int_equal(failures, 6);
    free(xml);
    unlink(junit);
    /* and the text a person reads */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "drift '%s'", dir);
    assert_int_equal(th_cli(NULL, 120, cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "DRIFT"));
    assert_non_null(strstr(out, "getApplicationBySlug"));
    assert_non_null(strstr(out, "drift: 21 exchanges"));
    assert_non_null(strstr(out, "6 differ"));
    th_remove_dir(dir);
}

static void fixtures_from_the_recording_load_and_answer_as_recorded(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN], fx[TH_DIR_LEN];
    temp_dir(dir);
    temp_dir(fx);
    record_session(dir, 1);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "fixtures-from '%s' --out '%s'", dir, fx);
    int rc = th_cli(NULL, 60, cmd, out, sizeof out);
    if (rc != 0)
        fail_msg("fixtures-from: %s", out);
    assert_non_null(strstr(out, "they load"));
    /* replayed against a mock on the generated fixtures, only the route no fixture can add differs */
    snprintf(cmd, sizeof cmd, "--fixtures '%s'", fx);
    cJSON *report;
    assert_int_equal(drift(dir, cmd, &report), 1);
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(report, "results"))
        if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "match")) && strcmp(th_str(r, "path"), "/api/v2/public/brand-new-route"))
            fail_msg("still differs: %s", cJSON_PrintUnformatted(r));
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(report, "differ")), 1);
    cJSON_Delete(report);
    /* the mock starts on them (the loader is the fixture validator) and shows the new app */
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = fx;
    refold_mock *m = th_start(&o);
    th_create_la(m, "tk_acme_test", "drift_user", "Drift");
    th_resp a = th_key(m, "GET", "/api/v2/public/application/zextra", "tk_acme_test", "drift_user", NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_str(a.json, "name"), "Z Extra");
    assert_non_null(cJSON_GetObjectItem(a.json, "is_ecosystem"));
    th_free(&a);
    a = th_key(m, "GET", "/api/v2/integration-schema/zextra/actions/send_sms", "tk_acme_test", "drift_user", NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(th_find(a.json, "name", "to"));
    th_free(&a);
    refold_mock_stop(m);
    th_remove_dir(fx);
    th_remove_dir(dir);
}

static void drift_refuses_what_is_not_a_recording(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN];
    temp_dir(dir);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "drift '%s'", dir);
    assert_int_equal(th_cli(NULL, 30, cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "recording.json"));
    snprintf(cmd, sizeof cmd, "fixtures-from '%s'", dir);
    assert_int_equal(th_cli(NULL, 30, cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "usage"));
    th_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical_runs_show_no_drift),
        cmocka_unit_test(seeded_differences_are_found_exactly),
        cmocka_unit_test(fixtures_from_the_recording_load_and_answer_as_recorded),
        cmocka_unit_test(drift_refuses_what_is_not_a_recording),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
