/* tenant_admin_isolation.c: tenants cannot touch each other through /__mock: each tenant loads,
 * fires and unloads its own scenario (loading never wipes or replaces another tenant's, and its
 * faults stay); each tenant's request journal and MCP log are its own, bounded per tenant, so
 * one tenant's traffic never evicts another's; waiters are capped per tenant as well as in all. */
#include "harness.h"
#include "engine/journal.h"
#include "engine/mcp_logs.h"
#include "mcp_util.h"
#include "base/mock.h"
#include "engine/tenants.h"
#include "raw.h"
#include "receiver.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *new_tenant(refold_mock *m, const char *org)
{
    char body[96];
    snprintf(body, sizeof body, "{\"org\":\"%s\",\"environment\":\"test\"}", org);
    th_resp r = th_request(m, "POST", "/__mock/tenants", body, NULL);
    assert_int_equal(r.status, 200);
    char *key = strdup(th_str(r.json, "api_key"));
    th_free(&r);
    return key;
}

/* B's story: a linked account, a fault on its linked-account list armed at once, a manual step. */
#define B_SCENARIO "{\"name\":\"b-story\",\"setup\":{\"linked_accounts\":[{\"linked_account_id\":\"b-co\"}]}," \
    "\"steps\":[{\"name\":\"b-fault\",\"when\":{\"after_seconds\":0},\"do\":[{\"action\":\"fail_requests\"," \
    "\"path\":\"/api/v2/public/linked-account/b-co\",\"status\":503,\"times\":-1}]}," \
    "{\"name\":\"b-manual\",\"when\":{\"manual\":true},\"do\":[{\"action\":\"revoke_session_tokens\"," \
    "\"linked_account_id\":\"b-co\"}]}]}"

static long status_of(th_resp r)
{
    long s = r.status;
    th_free(&r);
    return s;
}

static cJSON *scenario_of(refold_mock *m, const char *key)
{
    th_resp r = key ? th_key(m, "GET", "/__mock/scenario", key, NULL, NULL) : th_request(m, "GET", "/__mock/scenario", NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *o = r.json;
    r.json = NULL;
    th_free(&r);
    return o;
}

static void scenarios_are_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Globex");
    /* something of the fixtures' own Acme tenant that a reset would wipe */
    th_create_la(m, ACME, "fixture-kept", "Kept");

    th_resp r = th_key(m, "POST", "/__mock/scenario", b, NULL, B_SCENARIO);
    if (r.status != 200)
        fprintf(stderr, "%s\n", r.body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), b);
    th_free(&r);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/b-co", b, NULL, NULL)), 503);

    /* A loads a shipped scenario written for tk_acme_test: it plays in A, its own tenant */
    r = th_key(m, "POST", "/__mock/scenario", a, NULL, "{\"name\":\"reauth-demo\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), a);
    th_free(&r);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/acme-co", a, NULL, NULL)), 200);
    /* the fixtures' Acme tenant was not wiped, and got nothing of the story */
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/fixture-kept", ACME, NULL, NULL)), 200);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/acme-co", ACME, NULL, NULL)), 404);
    /* B's scenario is still loaded, its fault still armed */
    cJSON *st = scenario_of(m, b);
    assert_string_equal(th_str(st, "name"), "b-story");
    assert_string_equal(th_str(st, "armed"), "b-manual");
    char *faults = cJSON_PrintUnformatted(cJSON_GetObjectItem(st, "faults"));
    assert_non_null(strstr(faults, "b-co"));
    free(faults);
    cJSON_Delete(st);
    assert_int_equal(status_of(th_key(m, "GET", "/api/v2/public/linked-account/b-co", b, NULL, NULL)), 503);
    st = scenario_of(m, a);
    assert_string_equal(th_str(st, "name"), "reauth-demo");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "faults")), 0); /* (B's are not A's) */
    cJSON_Delete(st);

    /* A cannot fire B's manual step: A's own scenario has no such step */
    r = th_key(m, "POST", "/__mock/scenario/steps/b-manual", a, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    st = scenario_of(m, b);
    assert_string_equal(th_str(st, "armed"), "b-manual");
    cJSON_Delete(st);
    /* B fires its own */
    r = th_key(m, "POST", "/__mock/scenario/steps/b-manual", b, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "finished")));
    th_free(&r);

    /* with a key, a scenario naming another org's tenant is refused, and nothing changes */
    r = th_key(m, "POST", "/__mock/scenario", a, NULL, "{\"name\":\"x\",\"api_key\":\"tk_globex_test\",\"steps\":[]}");
    th_assert_error(&r, 403);
    th_free(&r);
    st = scenario_of(m, a);
    assert_string_equal(th_str(st, "name"), "reauth-demo");
    cJSON_Delete(st);

    /* a reset with A's key unloads A's only */
    r = th_key(m, "POST", "/__mock/reset", a, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    st = scenario_of(m, a);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(st, "loaded")));
    cJSON_Delete(st);
    st = scenario_of(m, b);
    assert_string_equal(th_str(st, "name"), "b-story");
    cJSON_Delete(st);
    /* the keyless form is the admin's: it loads in the scenario's api_key tenant, as documented */
    r = th_request(m, "POST", "/__mock/scenario", "{\"name\":\"reauth-demo\"}", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "api_key"), ACME);
    th_free(&r);
    st = scenario_of(m, NULL);
    assert_string_equal(th_str(st, "api_key"), ACME);
    cJSON_Delete(st);
    st = scenario_of(m, b);
    assert_string_equal(th_str(st, "name"), "b-story");
    cJSON_Delete(st);
    free(a);
    free(b);
    refold_mock_stop(m);
}

static int requests_count(refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/__mock/requests/count", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    int n = cJSON_GetObjectItem(r.json, "count")->valueint;
    th_free(&r);
    return n;
}

/* B's 2,100 requests do not evict A's 3. */
static void journal_is_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Acme");
    for (int i = 0; i < 3; i++)
        status_of(th_key(m, "GET", "/api/v2/public/linked-account", a, NULL, NULL));
    assert_int_equal(requests_count(m, a), 3);
    for (int i = 0; i < 2100; i++)
        status_of(th_key(m, "GET", "/api/v2/public/linked-account", b, NULL, NULL));
    assert_int_equal(requests_count(m, a), 3);
    assert_int_equal(requests_count(m, b), 2000); /* B's own history is bounded */
    th_resp r = th_key(m, "GET", "/__mock/requests?limit=5", a, NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 3);
    th_free(&r);
    free(a);
    free(b);
    refold_mock_stop(m);
}

static int mcp_log_count(refold_mock *m, const char *key)
{
    th_resp r = th_key(m, "GET", "/__mock/mcp/logs?limit=10000", key, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *logs = cJSON_IsArray(r.json) ? r.json : cJSON_GetObjectItem(r.json, "logs");
    int n = cJSON_GetArraySize(logs);
    th_free(&r);
    return n;
}

/* B's tool calls do not evict A's from the MCP log. */
static void mcp_log_is_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Acme");
    char sa[32], sb[32], pa[64], pb[64];
    const char *cfg = "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"get_contact\"]}]}";
    th_create_la(m, a, "la", "A");
    th_create_la(m, b, "la", "B");
    mu_connect_hubspot(m, a, "la");
    mu_connect_hubspot(m, b, "la");
    mu_server(m, a, "la", cfg, sa);
    mu_server(m, b, "la", cfg, sb);
    mu_pat(m, a, "la", pa);
    mu_pat(m, b, "la", pb);
    th_resp r = mu_rpc(m, pa, sa, "tools/call", "{\"name\":\"no_such_tool\",\"arguments\":{}}");
    th_free(&r);
    int mine = mcp_log_count(m, a);
    assert_true(mine >= 1);
    for (int i = 0; i < 5100; i++)
        status_of(mu_rpc(m, pb, sb, "tools/call", "{\"name\":\"no_such_tool\",\"arguments\":{}}"));
    assert_int_equal(mcp_log_count(m, a), mine);
    assert_true(mcp_log_count(m, b) <= 5000);
    free(a);
    free(b);
    refold_mock_stop(m);
}

/* One tenant's waiters are capped at 16: its 17th gets 429 at once while another tenant still
 * waits (and times out with its 408); the places come back when they are answered. */
static void waiters_are_capped_per_tenant(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Acme");
    enum { MINE = 16 };
    int fds[MINE];
    char wait[512];
    snprintf(wait, sizeof wait, "GET /__mock/requests/count?method=PATCH&wait_ms=30000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "x-api-key: %s\r\nConnection: close\r\n\r\n", a);
    for (int i = 0; i < MINE; i++) {
        fds[i] = th_raw_connect(m);
        assert_int_equal(send(fds[i], wait, strlen(wait), MSG_NOSIGNAL), (ssize_t)strlen(wait));
    }
    /* a bounded poll on health's "waiting" counter: no event tells a client that others wait */
    th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    for (int tries = 0; cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")) < MINE && tries < 5000; tries++) {
        th_free(&r);
        rcv_sleep_ms(5);
        r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    }
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")), MINE);
    th_free(&r);
    r = th_key(m, "GET", "/__mock/requests?wait_ms=4000&method=PUT", a, NULL, NULL);
    assert_string_equal(th_assert_error(&r, 429), "TOO_MANY_WAITERS");
    assert_non_null(strstr(th_str(r.json, "message"), "this tenant"));
    th_free(&r);
    r = th_key(m, "GET", "/__mock/requests/count?wait_ms=50&method=PUT", b, NULL, NULL);
    th_assert_error(&r, 408); /* B waited: its places are its own */
    th_free(&r);
    /* B's PATCH does not answer A's waiters; A's own does */
    status_of(th_key(m, "PATCH", "/api/v2/public/tables/nothing", b, NULL, "{}"));
    r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "waiting")), MINE);
    th_free(&r);
    status_of(th_key(m, "PATCH", "/api/v2/public/tables/nothing", a, NULL, "{}"));
    for (int i = 0; i < MINE; i++) {
        r = th_raw_read(fds[i]);
        assert_int_equal(r.status, 200);
        assert_int_equal(cJSON_GetObjectItem(r.json, "count")->valueint, 1);
        th_free(&r);
        close(fds[i]);
    }
    r = th_key(m, "GET", "/__mock/requests/count?wait_ms=50&method=PUT", a, NULL, NULL);
    th_assert_error(&r, 408); /* A's places are free again */
    th_free(&r);
    free(a);
    free(b);
    refold_mock_stop(m);
}

/* This process's resident memory in MB (the mock runs in it); -1 where it says nothing about
 * the mock's own memory (sanitizers keep freed memory, valgrind its own). */
static long rss_mb(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return -1;
#endif
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        return -1;
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

/* What the logs keep is bounded in bytes per tenant: large bodies do not pile up. */
static void histories_are_bounded_in_bytes(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char *a = new_tenant(m, "Acme");
    /* 200 requests with 60 KB bodies: 12 MB, more than the 8 MB a tenant's journal keeps */
    size_t n = 60 * 1024;
    char *body = malloc(n + 32);
    snprintf(body, n + 32, "{\"linked_account_id\":\"x\",\"pad\":\"");
    size_t at = strlen(body);
    memset(body + at, 'p', n - at);
    strcpy(body + n, "\"}");
    for (int i = 0; i < 200; i++)
        status_of(th_key(m, "POST", "/api/v2/public/linked-account", a, NULL, body));
    int kept = requests_count(m, a);
    assert_true(kept > 50);
    assert_true(kept < 200);
    struct mock *mm = (struct mock *)m;
    const char *aid = tenants_by_key(mm, a)->id;
    assert_true(journal_bytes(mm->journal, aid) <= JOURNAL_TENANT_BYTES);
    th_resp r = th_key(m, "GET", "/__mock/requests?limit=1", a, NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "seq")->valueint >= 200, 1); /* the newest stay */
    th_free(&r);

    /* an MCP call with a 900 KB argument is kept as the 32 KB its record shows */
    char sa[32], pat[64];
    th_create_la(m, a, "la", "A");
    mu_connect_hubspot(m, a, "la");
    mu_server(m, a, "la", "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"get_contact\"]}]}", sa);
    mu_pat(m, a, "la", pat);
    size_t big = 900 * 1024;
    char *args = malloc(big + 128);
    snprintf(args, big + 128, "{\"name\":\"no_such_tool\",\"arguments\":{\"pad\":\"");
    at = strlen(args);
    memset(args + at, 'q', big - at);
    strcpy(args + big, "\"}}");
    status_of(mu_rpc(m, pat, sa, "tools/call", args)); /* (the buffers a call needs, once) */
    long before = rss_mb();
    /* 200 calls, 180 MB of arguments: kept whole they would stay resident. The count is for the
     * resident-memory check; where there is none (sanitizers, valgrind) 40 calls make the same
     * checks below (the byte bound, 40 records of 32 KB each) at a fifth of the cost under them. */
    int calls = before >= 0 ? 200 : 40;
    for (int i = 0; i < calls; i++)
        status_of(mu_rpc(m, pat, sa, "tools/call", args));
    /* what the log holds: 201 (or 41) records of about 32 KB, under the tenant's 8 MB, not 180 MB */
    assert_true(mcp_logs_bytes(mm->mcp_logs, aid) <= MCP_LOG_TENANT_BYTES);
    if (before >= 0) {
        long grew = rss_mb() - before;
        if (grew >= 64)
            fprintf(stderr, "resident memory grew %ld MB over 200 calls of 900 KB\n", grew);
        assert_true(grew < 64);
    }
    r = th_key(m, "GET", "/__mock/mcp/logs?limit=40", a, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *logs = cJSON_GetObjectItem(r.json, "logs"), *rec;
    assert_int_equal(cJSON_GetArraySize(logs), 40); /* 40 x 32 KB fit in the tenant's 8 MB */
    cJSON_ArrayForEach(rec, logs) {
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(rec, "truncated")));
        assert_int_equal(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(rec, "request"))), 32 * 1024);
    }
    th_free(&r);
    free(args);
    free(body);
    free(a);
    refold_mock_stop(m);
}

/* Many tenants together stay under a total too, and the tenant holding the most gives way: a
 * tenant with a short history (under its share) keeps all of it while others flood the mock.
 * (Limits scaled down from 8 MB per tenant and 256 MB in all.) */
static void histories_share_a_total_bound(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    struct mock *mm = (struct mock *)m;
    journal_set_limits(mm->journal, 1024 * 1024, 2048 * 1024);
    char *a = new_tenant(m, "Acme"), *b = new_tenant(m, "Acme"), *c = new_tenant(m, "Acme");
    const char *aid = tenants_by_key(mm, a)->id;
    size_t n = 30 * 1024;
    char *body = malloc(n + 32);
    snprintf(body, n + 32, "{\"linked_account_id\":\"x\",\"pad\":\"");
    size_t at = strlen(body);
    memset(body + at, 'p', n - at);
    strcpy(body + n, "\"}");
    for (int i = 0; i < 20; i++) /* about 600 KB */
        status_of(th_key(m, "POST", "/api/v2/public/linked-account", a, NULL, body));
    size_t mine = journal_bytes(mm->journal, aid);
    for (int i = 0; i < 60; i++) { /* about 1.8 MB each: past their own 1 MB and the 2 MB in all */
        status_of(th_key(m, "POST", "/api/v2/public/linked-account", b, NULL, body));
        status_of(th_key(m, "POST", "/api/v2/public/linked-account", c, NULL, body));
    }
    assert_int_equal(requests_count(m, a), 20);
    assert_int_equal(journal_bytes(mm->journal, aid), mine);
    size_t all = journal_bytes(mm->journal, aid) + journal_bytes(mm->journal, tenants_by_key(mm, b)->id) +
                 journal_bytes(mm->journal, tenants_by_key(mm, c)->id) + journal_bytes(mm->journal, "");
    assert_true(all <= 2048 * 1024);
    assert_true(requests_count(m, b) < 60 && requests_count(m, b) > 0);
    assert_true(requests_count(m, c) < 60 && requests_count(m, c) > 0);

    /* the MCP log the same way: A's 5 calls stay while B's 40 of 32 KB each push the total */
    char sa[32], sb[32], pa[64], pb[64];
    const char *cfg = "{\"associated_apps\":[{\"slug\":\"hubspot\",\"actions\":[\"get_contact\"]}]}";
    th_create_la(m, a, "la", "A");
    th_create_la(m, b, "la", "B");
    mu_connect_hubspot(m, a, "la");
    mu_connect_hubspot(m, b, "la");
    mu_server(m, a, "la", cfg, sa);
    mu_server(m, b, "la", cfg, sb);
    mu_pat(m, a, "la", pa);
    mu_pat(m, b, "la", pb);
    size_t big = 40 * 1024;
    char *args = malloc(big + 128);
    snprintf(args, big + 128, "{\"name\":\"no_such_tool\",\"arguments\":{\"pad\":\"");
    at = strlen(args);
    memset(args + at, 'q', big - at);
    strcpy(args + big, "\"}}");
    for (int i = 0; i < 5; i++)
        status_of(mu_rpc(m, pa, sa, "tools/call", args));
    assert_int_equal(mcp_log_count(m, a), 5);
    mcp_logs_set_limits(mm->mcp_logs, 1024 * 1024, 1024 * 1024 + 5 * 34 * 1024);
    for (int i = 0; i < 40; i++)
        status_of(mu_rpc(m, pb, sb, "tools/call", args));
    assert_int_equal(mcp_log_count(m, a), 5);
    assert_true(mcp_log_count(m, b) < 40);
    free(args);
    free(body);
    free(a);
    free(b);
    free(c);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenarios_are_per_tenant),
        cmocka_unit_test(journal_is_per_tenant),
        cmocka_unit_test(mcp_log_is_per_tenant),
        cmocka_unit_test(waiters_are_capped_per_tenant),
        cmocka_unit_test(histories_are_bounded_in_bytes),
        cmocka_unit_test(histories_share_a_total_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
