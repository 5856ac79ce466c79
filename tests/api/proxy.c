/* proxy.c: proxy mode (--upstream): answers passed through byte for byte, the request forwarded as
 * sent, a misbehaving upstream answered with 502/504 envelopes, recordings with no secret on disk. */
#define _GNU_SOURCE
#include "harness.h"
#include "bad_upstream.h"

#include <curl/curl.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct got {
    long status;
    char *body;
    size_t len;
    char *head;
    size_t head_len;
};

struct acc {
    char *p;
    size_t len, cap;
};

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    struct acc *a = ud;
    if (a->len + s * n + 1 > a->cap) { /* doubling: 20 MB in 16 KB pieces stays linear */
        a->cap = (a->len + s * n + 1) * 2;
        a->p = realloc(a->p, a->cap);
    }
    memcpy(a->p + a->len, p, s * n);
    a->len += s * n;
    a->p[a->len] = 0;
    return s * n;
}

/* One request to base + path; headers NULL-terminated "Name: value". */
static struct got call(const char *base, const char *method, const char *path, const char *body,
                       const char *const *headers)
{
    struct acc b = {0}, h = {0};
    char url[1024];
    snprintf(url, sizeof url, "%s%s", base, path);
    CURL *e = curl_easy_init();
    struct curl_slist *hl = NULL;
    for (int i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, sink);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 60L);
    if (body)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    struct got g = {0};
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &g.status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(e);
    g.body = b.p ? b.p : strdup("");
    g.len = b.len;
    g.head = h.p ? h.p : strdup("");
    g.head_len = h.len;
    return g;
}

static void got_free(struct got *g)
{
    free(g->body);
    free(g->head);
}

/* Number of header lines named name (case-insensitive) in the head. */
static int header_count(const struct got *g, const char *name)
{
    int n = 0;
    size_t nl = strlen(name);
    for (const char *p = g->head; (p = strstr(p, "\r\n")); p += 2)
        if (!strncasecmp(p + 2, name, nl) && p[2 + nl] == ':')
            n++;
    return n;
}

static int header_value(const struct got *g, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = g->head; (p = strstr(p, "\r\n")); p += 2)
        if (!strncasecmp(p + 2, name, nl) && p[2 + nl] == ':') {
            const char *v = p + 3 + nl, *end = strstr(v, "\r\n");
            while (*v == ' ')
                v++;
            snprintf(out, n, "%.*s", (int)(end - v), v);
            return 1;
        }
    return 0;
}

static int has_line(const struct got *g, const char *line)
{
    char want[512];
    snprintf(want, sizeof want, "\r\n%s\r\n", line);
    return strstr(g->head, want) != NULL;
}

static refold_mock *start_proxy(int port, const char *record, int timeout_ms)
{
    char up[64];
    snprintf(up, sizeof up, "http://127.0.0.1:%d", port);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.upstream = up; /* copied by the start: the string need not outlive it */
    o.record_dir = record;
    o.upstream_timeout_ms = timeout_ms;
    return th_start(&o);
}

static void assert_proxy_error(const struct got *g, long status, const char *code)
{
    assert_int_equal(g->status, status);
    cJSON *j = cJSON_Parse(g->body);
    assert_non_null(j);
    assert_int_equal((long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "status_code")), status);
    assert_string_equal(th_str(j, "error_code"), code);
    assert_non_null(th_str(j, "http_error_type"));
    assert_non_null(th_str(j, "message"));
    const char *hint = th_str(j, "hint");
    assert_non_null(hint);
    assert_true(strlen(hint) > 10);
    cJSON_Delete(j);
}

/* ---- pass-through ---- */

static void passes_a_mock_upstream_through_byte_for_byte(void **state)
{
    (void)state;
    refold_mock *up = th_start(NULL);
    th_create_la(up, "tk_acme_test", "user_12345", "Acme Inc.");
    refold_mock *px = start_proxy(refold_mock_port(up), NULL, 0);
    const char *hs[] = {"x-api-key: tk_acme_test", "linked_account_id: user_12345", NULL};
    const char *paths[] = {"/api/v2/public/application", "/api/v2/public/application/hubspot",
                           "/api/v2/public/application/no_such_app", "/api/v2/public/linked-account/user_12345", NULL};
    for (int i = 0; paths[i]; i++) {
        struct got direct = call(refold_mock_url(up), "GET", paths[i], NULL, hs);
        struct got via = call(refold_mock_url(px), "GET", paths[i], NULL, hs);
        assert_int_equal(via.status, direct.status);
        /* each answer has its own request id: the one the proxied answer carries in its header
         * (the upstream's, passed on) stands in the body at the same place */
        char id_direct[64] = "", id_via[64] = "";
        assert_true(header_value(&direct, "X-Request-Id", id_direct, sizeof id_direct));
        assert_true(header_value(&via, "X-Request-Id", id_via, sizeof id_via));
        assert_int_equal(strlen(id_direct), strlen(id_via));
        char *at = strstr(direct.body, id_direct);
        if (at)
            memcpy(at, id_via, strlen(id_via));
        assert_int_equal(via.len, direct.len);
        assert_memory_equal(via.body, direct.body, direct.len);
        assert_int_equal(header_count(&via, "Content-Type"), 1);
        assert_non_null(strcasestr(via.head, "Content-Type: application/json; charset=utf-8"));
        got_free(&direct);
        got_free(&via);
    }
    /* a write goes upstream once: the account exists there, not in the proxy's own store */
    struct got c = call(refold_mock_url(px), "POST", "/api/v2/public/linked-account",
                        "{\"linked_account_id\":\"via_proxy\",\"name\":\"P\"}",
                        (const char *[]){"x-api-key: tk_acme_test", "Content-Type: application/json", NULL});
    assert_int_equal(c.status, 200);
    got_free(&c);
    th_resp onup = th_key(up, "GET", "/api/v2/public/linked-account/via_proxy", "tk_acme_test", NULL, NULL);
    assert_int_equal(onup.status, 200);
    th_free(&onup);
    /* the mock's own routes stay the proxy's */
    th_resp health = th_request(px, "GET", "/__mock/health", NULL, NULL);
    assert_int_equal(health.status, 200);
    assert_string_equal(th_str(health.json, "status"), "ok");
    th_free(&health);
    refold_mock_stop(px);
    refold_mock_stop(up);
}

static void passes_odd_answers_through(void **state)
{
    (void)state;
    bad_upstream *bu = bu_start();
    assert_non_null(bu);
    refold_mock *px = start_proxy(bu_port(bu), NULL, 0);
    const char *base = refold_mock_url(px);

    struct got g = call(base, "GET", "/api/v2/public/chunked", NULL, NULL);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.len, strlen(BU_CHUNKED_BODY));
    assert_memory_equal(g.body, BU_CHUNKED_BODY, g.len);
    assert_int_equal(header_count(&g, "Transfer-Encoding"), 0); /* re-framed with a length */
    got_free(&g);

    g = call(base, "GET", "/api/v2/public/unavailable", NULL, NULL);
    assert_int_equal(g.status, 503); /* the upstream's own 5xx is an answer: passed on as it is */
    assert_string_equal(g.body, BU_503_BODY);
    assert_true(has_line(&g, "Retry-After: 7"));
    got_free(&g);

    g = call(base, "GET", "/api/v2/public/hop", NULL, NULL);
    assert_int_equal(g.status, 200);
    assert_non_null(strstr(g.head, "HTTP/1.1 200 Fine Thanks\r\n")); /* its reason phrase too */
    assert_string_equal(g.body, BU_HOP_BODY);
    assert_true(has_line(&g, "Content-Type: application/vnd.refold+json"));
    assert_true(has_line(&g, "X-Custom: a  b"));
    assert_true(has_line(&g, "Set-Cookie: s=1"));
    assert_true(has_line(&g, "Set-Cookie: t=2"));
    const char *hop[] = {"Keep-Alive", "Proxy-Authenticate", "Upgrade", "Trailer", "X-Hop-Only", NULL};
    for (int i = 0; hop[i]; i++)
        assert_int_equal(header_count(&g, hop[i]), 0);
    got_free(&g);

    g = call(base, "DELETE", "/api/v2/public/nocontent", NULL, NULL);
    assert_int_equal(g.status, 204);
    assert_int_equal(g.len, 0);
    assert_true(has_line(&g, "X-Deleted: yes"));
    assert_int_equal(header_count(&g, "Content-Length"), 0); /* a 204 carries no length */
    got_free(&g);

    g = call(base, "GET", "/api/v2/public/big", NULL, NULL);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.len, BU_BIG_LEN);
    size_t bad = 0;
    for (size_t i = 0; i < g.len; i++)
        bad += (unsigned char)g.body[i] != bu_big_byte(i);
    assert_int_equal(bad, 0);
    got_free(&g);
    refold_mock_stop(px);
    bu_stop(bu);
}

static void forwards_the_request_as_sent(void **state)
{
    (void)state;
    bad_upstream *bu = bu_start();
    refold_mock *px = start_proxy(bu_port(bu), NULL, 0);
    const char *hs[] = {"x-api-key: sk_caller_own_key_0001", "linked_account_id: user_12345", "Content-Type: application/json",
                        "X-Trace: abc", "Connection: keep-alive, X-Trace", NULL};
    struct got g = call(refold_mock_url(px), "PATCH", "/api/v2/public/echo?a=1&b=%20x", "{\"k\": [1, 2]}", hs);
    assert_int_equal(g.status, 200);
    assert_non_null(strstr(g.body, "PATCH /api/v2/public/echo?a=1&b=%20x HTTP/1.1\r\n"));
    assert_non_null(strstr(g.body, "\r\nx-api-key: sk_caller_own_key_0001\r\n"));
    assert_non_null(strstr(g.body, "\r\nlinked_account_id: user_12345\r\n"));
    assert_null(strstr(g.body, "X-Trace")); /* named by the caller's Connection: hop-by-hop too */
    char host[64];
    snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%d\r\n", bu_port(bu));
    assert_non_null(strstr(g.body, host)); /* the upstream's own name, not the proxy's */
    assert_null(strstr(g.body, "keep-alive")); /* the caller's hop-by-hop header stays here */
    assert_non_null(strstr(g.body, "\r\n\r\n{\"k\": [1, 2]}"));
    got_free(&g);
    refold_mock_stop(px);
    bu_stop(bu);
}

/* ---- a misbehaving upstream ---- */

static void upstream_failures_answer_502_or_504(void **state)
{
    (void)state;
    bad_upstream *bu = bu_start();
    /* (a short timeout on its own proxy: under valgrind a quick answer may take longer than it) */
    refold_mock *impatient = start_proxy(bu_port(bu), NULL, 300);
    struct got g = call(refold_mock_url(impatient), "GET", "/api/v2/public/slow", NULL, NULL);
    assert_proxy_error(&g, 504, "UPSTREAM_TIMEOUT");
    assert_non_null(strstr(g.body, "--upstream-timeout-ms 300"));
    got_free(&g);
    refold_mock_stop(impatient);
    refold_mock *px = start_proxy(bu_port(bu), NULL, 0);
    const char *base = refold_mock_url(px);
    g = call(base, "GET", "/api/v2/public/reset", NULL, NULL);
    assert_proxy_error(&g, 502, "UPSTREAM_RESET");
    assert_null(strstr(g.body, "{\"partial\":")); /* nothing of the half answer */
    got_free(&g);
    g = call(base, "GET", "/api/v2/public/garbage", NULL, NULL);
    assert_proxy_error(&g, 502, "UPSTREAM_BAD_ANSWER");
    got_free(&g);
    /* and the proxy is still there, for the next caller */
    g = call(base, "GET", "/api/v2/public/chunked", NULL, NULL);
    assert_int_equal(g.status, 200);
    got_free(&g);
    refold_mock_stop(px);

    refold_mock *dead = start_proxy(bu_dead_port(), NULL, 2000);
    g = call(refold_mock_url(dead), "GET", "/api/v2/public/application", NULL, NULL);
    assert_proxy_error(&g, 502, "UPSTREAM_UNREACHABLE");
    got_free(&g);
    refold_mock_stop(dead);
    bu_stop(bu);
}

static void bad_upstream_options_are_refused(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.upstream = "ftp://example.com";
    char err[512];
    th_start_refused(&o, err, sizeof err);
    assert_non_null(strstr(err, "http:// or https://"));
    char out[4096];
    assert_int_equal(th_cli(NULL, 10, "--record /tmp/x", out, sizeof out), 2);
    assert_non_null(strstr(out, "needs --upstream"));
    assert_int_equal(th_cli(NULL, 10, "--upstream http://127.0.0.1:1 --upstream-timeout-ms 0", out, sizeof out), 2);
    assert_int_equal(th_cli("REFOLD_MOCK_UPSTREAM_TIMEOUT_MS=abc", 10, "--upstream http://127.0.0.1:1", out, sizeof out), 2);
    assert_non_null(strstr(out, "REFOLD_MOCK_UPSTREAM_TIMEOUT_MS"));
}

/* ---- recordings ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

static void records_exchanges_and_no_secret_reaches_disk(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN];
    snprintf(dir, sizeof dir, "/tmp/refold-rec-XXXXXX");
    assert_non_null(mkdtemp(dir));
    refold_mock *up = th_start(NULL);
    refold_mock *px = start_proxy(refold_mock_port(up), dir, 0);
    const char *base = refold_mock_url(px);
    const char *key[] = {"x-api-key: tk_acme_test", "Content-Type: application/json", NULL};
    struct got g = call(base, "POST", "/api/v2/public/linked-account", "{\"linked_account_id\":\"rec_user\",\"name\":\"R\"}", key);
    assert_int_equal(g.status, 200);
    got_free(&g);
    const char *la[] = {"x-api-key: tk_acme_test", "linked_account_id: rec_user", "Content-Type: application/json", NULL};
    g = call(base, "POST", "/api/v2/public/session-token", "{\"linked_account_id\":\"rec_user\"}", la);
    assert_int_equal(g.status, 200);
    cJSON *tj = cJSON_Parse(g.body);
    char token[1024];
    snprintf(token, sizeof token, "%s", th_str(tj, "token"));
    cJSON_Delete(tj);
    got_free(&g);
    /* key-based credentials: every value of the body is masked where the body is recorded; the
     * password field's value nowhere (the subdomain is the account's identifier, which the API
     * itself shows in connected_accounts) */
    g = call(base, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/zendesk",
             "{\"subdomain\":\"acme-support\",\"email\":\"ops@acme.test\",\"api_token\":\"zd_SECRET_TOKEN_77777\"}", la);
    assert_int_equal(g.status, 200);
    got_free(&g);
    char bearer[1100];
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", token);
    const char *tok[] = {bearer, NULL};
    g = call(base, "GET", "/api/v2/f-sdk/application", NULL, tok);
    assert_int_equal(g.status, 200);
    got_free(&g);
    g = call(base, "GET", "/api/v2/public/nothing-here?password=hunter2hunter2", NULL, key);
    assert_int_equal(g.status, 404);
    got_free(&g);
    refold_mock_stop(px);

    /* a second session against the echoing upstream, appended: a real key, echoed in a body */
    bad_upstream *bu = bu_start();
    px = start_proxy(bu_port(bu), dir, 0);
    const char *real[] = {"x-api-key: sk_live_REALSECRET_abcdef123456", "Authorization: Bearer opaque_refold_token_998877",
                          "Cookie: session=cookie_secret_5544", NULL};
    g = call(refold_mock_url(px), "POST", "/api/v2/public/echo", "{\"client_secret\":\"cs_shh_112233\"}", real);
    assert_int_equal(g.status, 200);
    assert_non_null(strstr(g.body, "sk_live_REALSECRET_abcdef123456")); /* the caller still gets it all */
    got_free(&g);
    refold_mock_stop(px);
    bu_stop(bu);
    refold_mock_stop(up);

    /* the format: a manifest, and one file per exchange in order */
    char path[512];
    snprintf(path, sizeof path, "%s/recording.json", dir);
    char *text = slurp(path);
    cJSON *man = cJSON_Parse(text);
    free(text);
    assert_string_equal(th_str(man, "format"), "refold-mock-recording");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(man, "version")), 1);
    cJSON_Delete(man);
    static const char *const ops[] = {"createLinkedAccount", "generateSessionTokenForLinkedAccount",
                                      "saveKeyBasedAppCredentials", "sdkGetApps", NULL, NULL};
    static const long statuses[] = {200, 200, 200, 200, 404, 200};
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%06d.json", dir, i + 1);
        text = slurp(path);
        cJSON *x = cJSON_Parse(text);
        free(text);
        assert_non_null(x);
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(x, "seq")), i + 1);
        const cJSON *op = cJSON_GetObjectItem(x, "operation");
        if (ops[i])
            assert_string_equal(cJSON_GetStringValue(op), ops[i]);
        else
            assert_true(cJSON_IsNull(op));
        const cJSON *resp = cJSON_GetObjectItem(x, "response");
        assert_int_equal((long)cJSON_GetNumberValue(cJSON_GetObjectItem(resp, "status")), statuses[i]);
        assert_true(cJSON_IsNumber(cJSON_GetObjectItem(x, "duration_ms")));
        assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "request"), "headers"));
        cJSON_Delete(x);
    }
    snprintf(path, sizeof path, "%s/000007.json", dir);
    assert_int_not_equal(access(path, F_OK), 0);

    /* no secret in any file of the recording */
    const char *secrets[] = {"tk_acme_test", token, "zd_SECRET_TOKEN_77777", "hunter2hunter2",
                             "sk_live_REALSECRET_abcdef123456", "opaque_refold_token_998877", "cookie_secret_5544",
                             "cs_shh_112233", NULL};
    DIR *d = opendir(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        text = slurp(path);
        files++;
        for (int i = 0; secrets[i]; i++) {
            if (strstr(text, secrets[i]))
                fail_msg("%s holds the secret %s", path, secrets[i]);
        }
        free(text);
    }
    closedir(d);
    assert_int_equal(files, 7);
    th_remove_dir(dir);
}

/* ---- many callers at once ---- */

struct caller {
    const char *base;
    int ok;
};

static void *caller_run(void *arg)
{
    struct caller *c = arg;
    const char *hs[] = {"x-api-key: tk_acme_test", "linked_account_id: user_12345", NULL};
    for (int i = 0; i < 25; i++) {
        struct got g = call(c->base, "GET", i % 2 ? "/api/v2/public/application/slack" : "/api/v2/public/linked-account/user_12345",
                            NULL, hs);
        c->ok += g.status == 200;
        got_free(&g);
    }
    return NULL;
}

static void concurrent_callers_each_get_their_answer_and_file(void **state)
{
    (void)state;
    char dir[TH_DIR_LEN];
    snprintf(dir, sizeof dir, "/tmp/refold-rec-XXXXXX");
    assert_non_null(mkdtemp(dir));
    refold_mock *up = th_start(NULL);
    th_create_la(up, "tk_acme_test", "user_12345", "Acme Inc.");
    refold_mock *px = start_proxy(refold_mock_port(up), dir, 0);
    pthread_t t[8];
    struct caller c[8];
    for (int i = 0; i < 8; i++) {
        c[i] = (struct caller){refold_mock_url(px), 0};
        assert_int_equal(pthread_create(&t[i], NULL, caller_run, &c[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(c[i].ok, 25);
    }
    refold_mock_stop(px);
    refold_mock_stop(up);
    /* one file per exchange, numbered 1..200 without a gap or a clash */
    for (int i = 1; i <= 200; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%06d.json", dir, i);
        if (access(path, F_OK) != 0)
            fail_msg("no %s", path);
    }
    th_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passes_a_mock_upstream_through_byte_for_byte),
        cmocka_unit_test(passes_odd_answers_through),
        cmocka_unit_test(forwards_the_request_as_sent),
        cmocka_unit_test(upstream_failures_answer_502_or_504),
        cmocka_unit_test(bad_upstream_options_are_refused),
        cmocka_unit_test(records_exchanges_and_no_secret_reaches_disk),
        cmocka_unit_test(concurrent_callers_each_get_their_answer_and_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
