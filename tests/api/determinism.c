/* determinism.c: --seed and --clock-start: the quick start run twice in two fresh mocks with the
 * same seed gives byte-identical responses (ids, tokens, links, timestamps, error request ids)
 * and webhook bodies and signatures; another seed gives other bytes. */
#include "flows_util.h"
#include "receiver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LA "demo-user-1"

struct transcript {
    char *buf;
    size_t len;
};

static void add(struct transcript *t, const char *what, long status, const char *text)
{
    size_t need = strlen(what) + strlen(text) + 32;
    t->buf = realloc(t->buf, t->len + need);
    t->len += (size_t)sprintf(t->buf + t->len, "%s %ld\n%s\n", what, status, text);
}

/* Sends, records status and body, and returns the response for the next step. */
static th_resp step(struct transcript *t, th_resp r, const char *what)
{
    add(t, what, r.status, r.body);
    return r;
}

/* The quick start: linked account, session token, hosted portal and OAuth consent for HubSpot,
 * a contact written and read back, an hour of virtual time, a revoked token, an error. */
static char *quickstart(rcv *hooks, const char *seed)
{
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.seed = seed;
    o.clock_start = "2026-01-01T09:00:00Z";
    o.public_url = "http://mock.test"; /* the port of each fresh mock differs; links must not */
    refold_mock *m = th_start(&o);
    struct transcript t = {calloc(1, 1), 0};
    int before = rcv_count(hooks);
    char url[256];
    rcv_url(hooks, "/hooks", url, sizeof url);
    rcv_subscribe(m, ACME, url, "[\"Connection Created\",\"Connection Expired\"]", NULL, 0);

    th_resp r = step(&t, th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL,
                                "{\"linked_account_id\":\"" LA "\",\"name\":\"Demo Customer\"}"), "linked-account");
    th_free(&r);
    r = step(&t, th_key(m, "POST", "/api/v2/public/session-token", ACME, LA, "{}"), "session-token");
    th_free(&r);
    r = step(&t, th_key(m, "POST", "/api/v2/public/connect-url", ACME, LA, "{}"), "connect-url");
    char page[600], app_path[700], consent[700], loc[700], body[160];
    snprintf(page, sizeof page, "%s", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
    snprintf(app_path, sizeof app_path, "%s/hubspot", page);
    r = step(&t, th_request(m, "GET", app_path, NULL, NULL), "portal");
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    add(&t, "location", 0, loc);
    snprintf(consent, sizeof consent, "%s", th_path_of(m, loc));
    th_free(&r);
    r = step(&t, th_request(m, "GET", consent, NULL, NULL), "consent");
    th_free(&r);
    const char *st = strstr(consent, "state=");
    assert_non_null(st);
    snprintf(body, sizeof body, "state=%.32s&decision=approve&popup=0", st + 6);
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = step(&t, th_request(m, "POST", "/oauth/hubspot/authorize", body, form), "approve");
    th_free(&r);
    r = step(&t, fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"jane@example.com\"}"), "create");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = step(&t, th_request(m, "POST", "/__mock/clock/advance", "{\"seconds\":3600}", NULL), "advance");
    th_free(&r);
    r = step(&t, th_key(m, "GET", "/__mock/linked-accounts/" LA "/connections", ACME, NULL, NULL), "connections");
    th_free(&r);
    fu_expire(m, ACME, LA, "hubspot", "revoked");
    r = step(&t, fu_action(m, ACME, LA, "hubspot", "create_contact", "{\"email\":\"john@example.com\"}"), "after-revoke");
    th_free(&r);

    cJSON_Delete(rcv_settled(m, ACME, 5000));
    assert_int_equal(rcv_wait(hooks, before + 2, 5000), before + 2);
    for (int i = before; i < rcv_count(hooks); i++) {
        const rcv_req *q = rcv_get(hooks, i);
        char sig[128] = "";
        rcv_header(q, "x-cobalt-signature", sig, sizeof sig);
        add(&t, "webhook signature", 0, sig);
        add(&t, "webhook body", 0, q->body);
    }
    refold_mock_stop(m);
    return t.buf;
}

static void same_seed_same_bytes_other_seed_other_bytes(void **state)
{
    (void)state;
    rcv *hooks = rcv_start(0);
    assert_non_null(hooks);
    char *first = quickstart(hooks, "42");
    char *second = quickstart(hooks, "42");
    assert_string_equal(first, second);
    /* the transcript holds what a seed decides: ids, tokens, a signature */
    assert_non_null(strstr(first, "\"linked_account_id\":\"" LA "\""));
    assert_non_null(strstr(first, "2026-01-01T10:00:00"));
    char *other = quickstart(hooks, "43");
    assert_string_not_equal(first, other);
    free(first);
    free(second);
    free(other);
    rcv_stop(hooks);
}

/* Without a seed each run draws fresh randomness, as before. */
static void no_seed_differs(void **state)
{
    (void)state;
    rcv *hooks = rcv_start(0);
    char *first = quickstart(hooks, NULL);
    char *second = quickstart(hooks, NULL);
    assert_string_not_equal(first, second);
    free(first);
    free(second);
    rcv_stop(hooks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes_other_seed_other_bytes),
        cmocka_unit_test(no_seed_differs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
