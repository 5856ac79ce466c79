/* tenant_clock.c: a tenant's own clock is its clock everywhere, also where the tenant is found
 * only from the credential (session tokens on the API and the MCP endpoint, connect links,
 * OAuth states) and in what those pages then write. Every test moves one tenant's clock only. */
#include "harness.h"
#include "mcp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LA "clock_user"

static char *new_tenant(refold_mock *m)
{
    th_resp r = th_request(m, "POST", "/__mock/tenants", "{\"org\":\"Acme\",\"environment\":\"test\"}", NULL);
    assert_int_equal(r.status, 200);
    char *key = strdup(th_str(r.json, "api_key"));
    th_free(&r);
    th_create_la(m, key, LA, "Clock user");
    return key;
}

static void advance(refold_mock *m, const char *key, long long seconds)
{
    char body[64];
    snprintf(body, sizeof body, "{\"seconds\":%lld}", seconds);
    th_resp r = th_key(m, "POST", "/__mock/clock/advance", key, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static long token_status(refold_mock *m, const char *token)
{
    th_resp r = th_bearer(m, "GET", "/api/v2/public/mcp-servers", token, NULL);
    long s = r.status;
    th_free(&r);
    return s;
}

/* A session token lives 24 h of its tenant's time: the tenant's own advance expires it. */
static void session_token_expires_on_tenant_clock(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *key = new_tenant(m), token[1024];
    th_session_token(m, key, LA, token, sizeof token);
    assert_int_equal(token_status(m, token), 200);
    advance(m, key, 23 * 3600);
    assert_int_equal(token_status(m, token), 200);
    advance(m, key, 2 * 3600);
    th_resp r = th_bearer(m, "GET", "/api/v2/public/mcp-servers", token, NULL);
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN");
    th_free(&r);
    /* the fixtures tenant moved on its own too */
    char acme[1024];
    th_create_la(m, ACME, LA, "Clock user");
    th_session_token(m, ACME, LA, acme, sizeof acme);
    advance(m, ACME, 25 * 3600);
    assert_int_equal(token_status(m, acme), 401);
    free(key);
    refold_mock_stop(m);
}

/* The MCP endpoint checks a session token itself: expired on the tenant's clock there too. */
static void mcp_session_token_expires_on_tenant_clock(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *key = new_tenant(m), token[1024], server[32];
    mu_connect_hubspot(m, key, LA);
    mu_server(m, key, LA, "{\"name\":\"clock\"}", server);
    th_session_token(m, key, LA, token, sizeof token);
    char path[64];
    snprintf(path, sizeof path, "/mcp/v1/%s", server);
    const char *list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
    th_resp r = mu_post(m, path, token, list);
    assert_int_equal(r.status, 200);
    th_free(&r);
    advance(m, key, 25 * 3600);
    r = mu_post(m, path, token, list);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "expired"));
    th_free(&r);
    free(key);
    refold_mock_stop(m);
}

/* A connect link lasts 24 h, an OAuth consent state 1 h, of the tenant's time. */
static void links_expire_on_tenant_clock(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *key = new_tenant(m), page[600], consent[600];
    th_resp r = th_key(m, "POST", "/api/v2/public/connect-url", key, LA, "{}");
    assert_int_equal(r.status, 200);
    snprintf(page, sizeof page, "%s", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/hubspot", key, LA, NULL);
    assert_int_equal(r.status, 200);
    const char *url = th_str(r.json, "auth_url") ? th_str(r.json, "auth_url") : th_str(r.json, "url");
    if (!url)
        url = r.json && cJSON_IsString(r.json) ? r.json->valuestring : NULL;
    assert_non_null(url);
    snprintf(consent, sizeof consent, "%s", th_path_of(m, url));
    th_free(&r);

    r = th_request(m, "GET", consent, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    advance(m, key, 2 * 3600);
    r = th_request(m, "GET", consent, NULL, NULL);
    assert_int_equal(r.status, 410);
    th_free(&r);

    r = th_request(m, "GET", page, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    advance(m, key, 23 * 3600);
    r = th_request(m, "GET", page, NULL, NULL);
    assert_int_equal(r.status, 410);
    th_free(&r);
    free(key);
    refold_mock_stop(m);
}

/* What a page writes is stamped with the tenant's time: a connection approved on the consent
 * page 30 days into the tenant's own time is connected "now" for that tenant. */
static void page_writes_use_tenant_clock(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *key = new_tenant(m), consent[600], st[40], body[200];
    advance(m, key, 30 * 86400);
    th_resp r = th_key(m, "GET", "/__mock/clock", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    char now[32];
    snprintf(now, sizeof now, "%.16s", th_str(r.json, "now")); /* to the minute */
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/hubspot", key, LA, NULL);
    assert_int_equal(r.status, 200);
    const char *url = th_str(r.json, "auth_url") ? th_str(r.json, "auth_url") : th_str(r.json, "url");
    if (!url)
        url = r.json && cJSON_IsString(r.json) ? r.json->valuestring : NULL;
    snprintf(consent, sizeof consent, "%s", th_path_of(m, url));
    th_free(&r);
    const char *s = strstr(consent, "state=");
    assert_non_null(s);
    snprintf(st, sizeof st, "%.32s", s + 6);
    snprintf(body, sizeof body, "state=%s&decision=approve&popup=1", st);
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = th_request(m, "POST", "/oauth/hubspot/authorize", body, form);
    assert_true(r.status == 200 || r.status == 303);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", key, LA, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    r = th_key(m, "GET", "/__mock/linked-accounts/" LA "/connections", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    const char *at = strstr(r.body, "\"connectedAt\":\"");
    assert_non_null(at);
    assert_memory_equal(at + 15, now, strlen(now));
    th_free(&r);
    free(key);
    refold_mock_stop(m);
}

/* A PAT never expires, whatever its tenant's clock does; it is stamped with the tenant's time. */
static void pat_outlives_tenant_clock(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *key = new_tenant(m), pat[64];
    advance(m, key, 400LL * 86400);
    th_resp r = th_key(m, "GET", "/__mock/clock", key, NULL, NULL);
    char day[16];
    snprintf(day, sizeof day, "%.10s", th_str(r.json, "now"));
    th_free(&r);
    mu_pat(m, key, LA, pat);
    r = th_key(m, "GET", "/__mock/linked-accounts/" LA "/personal-access-token", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_memory_equal(th_str(r.json, "created_at"), day, strlen(day));
    th_free(&r);
    advance(m, key, 400LL * 86400);
    assert_int_equal(token_status(m, pat), 200);
    free(key);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_token_expires_on_tenant_clock),
        cmocka_unit_test(mcp_session_token_expires_on_tenant_clock),
        cmocka_unit_test(links_expire_on_tenant_clock),
        cmocka_unit_test(page_writes_use_tenant_clock),
        cmocka_unit_test(pat_outlives_tenant_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
