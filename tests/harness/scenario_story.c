/* scenario_story.c: plays a shipped scenario against a mock with a loopback webhook receiver and
 * asserts steps, connections and each webhook as it arrives. */
#include "scenario_story.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void story_start(struct story *s, const char *name)
{
    memset(s, 0, sizeof *s);
    s->m = th_start(NULL);
    s->rx = rcv_start(0);
    assert_non_null(s->rx);
    char url[128], body[512];
    rcv_url(s->rx, "/refold-hooks", url, sizeof url);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"webhooks\":[{\"url\":\"%s\"}]}", name, url);
    th_resp r = th_request(s->m, "POST", "/__mock/scenario", body, NULL);
    if (r.status != 200)
        fprintf(stderr, "loading %s: %ld %s\n", name, r.status, r.body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), name);
    th_free(&r);
    s->loaded_ms = refold_mock_now_ms(s->m);
}

void story_stop(struct story *s)
{
    refold_mock_stop(s->m);
    rcv_stop(s->rx);
}

cJSON *story_status(struct story *s)
{
    th_resp r = th_request(s->m, "GET", "/__mock/scenario", NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *o = r.json;
    r.json = NULL;
    th_free(&r);
    return o;
}

long long story_step(struct story *s, const char *name, const char *state)
{
    cJSON *st = story_status(s);
    const cJSON *step = NULL, *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(st, "steps")) if (!strcmp(th_str(x, "name"), name)) step = x;
    assert_non_null(step);
    if (strcmp(th_str(step, "state"), state))
        fprintf(stderr, "step %s is %s, expected %s (%s)\n", name, th_str(step, "state"), state,
                th_str(step, "waits_for") ? th_str(step, "waits_for") : "");
    assert_string_equal(th_str(step, "state"), state);
    const cJSON *res;
    cJSON_ArrayForEach(res, cJSON_GetObjectItem(step, "results")) {
        if (!cJSON_IsTrue(cJSON_GetObjectItem(res, "ok")))
            fprintf(stderr, "step %s: %s failed: %s\n", name, th_str(res, "action"), th_str(res, "detail"));
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "ok")));
    }
    const cJSON *f = cJSON_GetObjectItem(step, "fired_at_ms");
    long long at = cJSON_IsNumber(f) ? (long long)f->valuedouble : -1;
    cJSON_Delete(st);
    return at;
}

void story_finished(struct story *s)
{
    cJSON *st = story_status(s);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "finished")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(st, "armed")));
    cJSON_Delete(st);
}

void story_advance(struct story *s, double seconds)
{
    char body[64];
    snprintf(body, sizeof body, "{\"seconds\":%.3f}", seconds);
    th_resp r = th_request(s->m, "POST", "/__mock/clock/advance", body, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void story_fire(struct story *s, const char *step)
{
    char path[160];
    snprintf(path, sizeof path, "/__mock/scenario/steps/%s", step);
    th_resp r = th_request(s->m, "POST", path, NULL, NULL);
    if (r.status != 200)
        fprintf(stderr, "firing %s: %ld %s\n", step, r.status, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

cJSON *story_connection(struct story *s, const char *la, const char *slug)
{
    char path[256];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections", la);
    th_resp r = th_key(s->m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *found = NULL, *c;
    cJSON_ArrayForEach(c, r.json) if (!strcmp(th_str(c, "slug"), slug)) found = cJSON_Duplicate(c, 1);
    th_free(&r);
    assert_non_null(found);
    return found;
}

void story_assert_connection(struct story *s, const char *la, const char *slug, const char *reason)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v2/public/application/%s", slug);
    th_resp r = th_key(s->m, "GET", path, ACME, la, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")), reason != NULL);
    th_free(&r);
    cJSON *c = story_connection(s, la, slug);
    assert_string_equal(th_str(c, "status"), reason ? "expired" : "active");
    if (reason)
        assert_string_equal(th_str(c, "reason"), reason);
    else
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "reason")));
    cJSON_Delete(c);
}

cJSON *story_webhook(struct story *s, const char *event, const char *la, const char *slug, long long at_ms)
{
    int got = rcv_wait(s->rx, s->seen + 1, 5000);
    if (got < s->seen + 1)
        fprintf(stderr, "waiting for webhook %s: only %d arrived\n", event, got);
    assert_true(got >= s->seen + 1);
    const rcv_req *q = rcv_get(s->rx, s->seen++);
    assert_string_equal(q->method, "POST");
    assert_string_equal(q->path, "/refold-hooks");
    cJSON *p = cJSON_Parse(q->body);
    assert_non_null(p);
    if (strcmp(th_str(p, "event"), event))
        fprintf(stderr, "webhook: %s\n", q->body);
    assert_string_equal(th_str(p, "event"), event);
    assert_string_equal(th_str(p, "linked_account_id"), la);
    if (slug && th_str(p, "slug"))
        assert_string_equal(th_str(p, "slug"), slug);
    else if (slug)
        fail_msg("webhook %s has no slug: %s", event, q->body);
    char sig[80], want[65];
    assert_true(rcv_header(q, "x-cobalt-signature", sig, sizeof sig));
    assert_int_equal(rcv_openssl_hmac(ACME, q->body, q->len, want), 0);
    assert_string_equal(sig, want);
    if (!strncmp(event, "Connection", 10)) {
        assert_string_equal(th_str(p, "org_id"), ACME_ORG);
        assert_string_equal(th_str(p, "environment"), "test");
        assert_string_equal(th_str(p, "type"), "General");
        char when[40];
        util_rfc1123(at_ms, when);
        assert_string_equal(th_str(p, "createdAt"), when);
    }
    return p;
}

void story_webhook_checked(struct story *s, const char *event, const char *la, const char *slug, long long at_ms)
{
    cJSON_Delete(story_webhook(s, event, la, slug, at_ms));
}

void story_no_more_webhooks(struct story *s)
{
    cJSON_Delete(rcv_settled(s->m, ACME, 5000));
    if (rcv_count(s->rx) != s->seen)
        fprintf(stderr, "unexpected webhook: %s\n", rcv_get(s->rx, s->seen)->body);
    assert_int_equal(rcv_count(s->rx), s->seen);
}

th_resp story_action(struct story *s, const char *la, const char *slug, const char *action, const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v2/integration-schema/%s/actions/%s/execute", slug, action);
    return th_key(s->m, "POST", path, ACME, la, body);
}
