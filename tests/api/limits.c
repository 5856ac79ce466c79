/* limits.c: API tests for limits and hostile input: body, URL and header limits (413/414/431 in
 * Refold's envelope), slow clients, invalid UTF-8, deep nesting, huge numbers, NUL bytes, SQL
 * metacharacters in ids, path traversal in scenario names. After each attack the server must
 * still answer and nothing may have changed. */
#define _GNU_SOURCE
#include "harness.h"
#include "raw.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define LA "/api/v2/public/linked-account"

static void assert_alive(refold_mock *m)
{
    th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void body_over_limit_is_413(void **state)
{
    refold_mock *m = *state;
    size_t n = 1024 * 1024 + 64;
    char *body = malloc(n + 1);
    int k = snprintf(body, n, "{\"linked_account_id\":\"too_big\",\"name\":\"");
    memset(body + k, 'a', n - (size_t)k - 2);
    memcpy(body + n - 2, "\"}", 3);
    th_resp r = th_key(m, "POST", LA, "tk_acme_test", NULL, body);
    assert_string_equal(th_assert_error(&r, 413), "PAYLOAD_TOO_LARGE");
    th_free(&r);
    free(body);

    /* A chunked body declares no length: it is cut off at the limit all the same. */
    size_t chunk = 256 * 1024, total = 5 * chunk;
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "POST " LA " HTTP/1.1\r\nHost: x\r\nx-api-key: tk_acme_test\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n");
    char *req = malloc((size_t)hl + total + 64 * 5 + 16), *p = req;
    memcpy(p, head, (size_t)hl);
    p += hl;
    for (int i = 0; i < 5; i++) {
        p += sprintf(p, "%zx\r\n", chunk);
        memset(p, i == 0 ? '[' : '1', chunk);
        p += chunk;
        memcpy(p, "\r\n", 2);
        p += 2;
    }
    memcpy(p, "0\r\n\r\n", 5);
    p += 5;
    r = th_raw_request(m, req, (size_t)(p - req), 0);
    assert_string_equal(th_assert_error(&r, 413), "PAYLOAD_TOO_LARGE");
    th_free(&r);
    free(req);
    th_assert_no_la(m, "tk_acme_test", "too_big");
    assert_alive(m);
}

static void url_over_limit_is_414(void **state)
{
    refold_mock *m = *state;
    /* (raw: the harness's URL buffer is smaller than the limit) */
    char *req = malloc(12000), *p = req;
    p += sprintf(p, "GET " LA "?page=1&pad=");
    memset(p, 'a', 9000);
    p += 9000;
    p += sprintf(p, " HTTP/1.1\r\nHost: x\r\nx-api-key: tk_acme_test\r\n\r\n");
    th_resp r = th_raw_request(m, req, (size_t)(p - req), 0);
    assert_string_equal(th_assert_error(&r, 414), "URI_TOO_LONG");
    th_free(&r);
    /* Just under the limit is served. */
    p = req + sprintf(req, "GET " LA "?page=1&pad=");
    memset(p, 'a', 8000);
    p += 8000;
    p += sprintf(p, " HTTP/1.1\r\nHost: x\r\nx-api-key: tk_acme_test\r\n\r\n");
    r = th_raw_request(m, req, (size_t)(p - req), 0);
    assert_int_equal(r.status, 200);
    th_free(&r);
    free(req);
    /* A path parameter of 2 KiB is an id like any other (Refold's clients send 129-character
     * JWTs as ids); one byte more is longer than an id can be. */
    char path[2200];
    strcpy(path, LA "/");
    memset(path + strlen(LA) + 1, 'b', 2048);
    path[strlen(LA) + 1 + 2048] = 0;
    r = th_key(m, "GET", path, "tk_acme_test", NULL, NULL);
    assert_int_equal(th_assert_error(&r, 404) != NULL, 1); /* served: no such linked account */
    assert_non_null(strstr(th_str(r.json, "message"), path + strlen(LA) + 1));
    th_free(&r);
    strcat(path, "b");
    r = th_key(m, "GET", path, "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 414), "URI_TOO_LONG");
    assert_non_null(strstr(th_str(r.json, "message"), "2048"));
    th_free(&r);
    assert_alive(m);
}

static void headers_over_limit_are_431(void **state)
{
    refold_mock *m = *state;
    /* 40 KB of header fields: over the 32 KB limit, under CivetWeb's hard cap. */
    char *big = malloc(41000);
    strcpy(big, "X-Padding: ");
    memset(big + 11, 'h', 40000);
    big[40011] = 0;
    const char *hs[] = {"x-api-key: tk_acme_test", big, NULL};
    th_resp r = th_request(m, "GET", LA, NULL, hs);
    assert_string_equal(th_assert_error(&r, 431), "REQUEST_HEADER_FIELDS_TOO_LARGE");
    th_free(&r);
    free(big);

    /* More fields than CivetWeb keeps (it would drop the rest silently). */
    char *req = malloc(8192), *p = req;
    p += sprintf(p, "GET " LA " HTTP/1.1\r\nHost: x\r\nx-api-key: tk_acme_test\r\n");
    for (int i = 0; i < 80; i++)
        p += sprintf(p, "X-Field-%d: %d\r\n", i, i);
    p += sprintf(p, "\r\n");
    r = th_raw_request(m, req, (size_t)(p - req), 0);
    assert_string_equal(th_assert_error(&r, 431), "REQUEST_HEADER_FIELDS_TOO_LARGE");
    th_free(&r);

    /* Past the hard cap (and in the same way, bytes that are not HTTP): still the envelope. */
    size_t n = 100 * 1024;
    char *huge = malloc(n + 64);
    p = huge + sprintf(huge, "GET /__mock/health HTTP/1.1\r\nX-Huge: ");
    memset(p, 'x', n);
    p += n;
    p += sprintf(p, "\r\n\r\n");
    r = th_raw_request(m, huge, (size_t)(p - huge), 0);
    th_assert_error(&r, 400);
    th_free(&r);
    free(huge);
    r = th_raw_request(m, "GET /\x01 HTTP/1.1\r\n\r\n", 20, 0);
    th_assert_error(&r, 400);
    th_free(&r);
    free(req);
    assert_alive(m);
}

/* Half-sent requests: each holds a worker until the request timeout (10 s) cuts it off; a
 * well-behaved client still gets its answer (from one of the workers they do not hold). */
static void slow_clients_cannot_pin_all_threads(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    enum { SLOW = 60 };
    int fds[SLOW];
    for (int i = 0; i < SLOW; i++) {
        fds[i] = th_raw_connect(m);
        const char *partial = "GET /__mock/health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        assert_int_equal(send(fds[i], partial, strlen(partial), MSG_NOSIGNAL), (ssize_t)strlen(partial));
    }
    double t0 = th_seconds();
    th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    double waited = th_seconds() - t0;
    assert_int_equal(r.status, 200);
    th_free(&r);
    fprintf(stderr, "limits: answered after %.1f s behind %d slow clients\n", waited, SLOW);
    assert_true(waited < 13.0);
    /* Each held a worker of its own (there are more workers than slow clients): all of them are
     * cut off once the 10 s request timeout has passed (an error envelope or EOF is waiting). */
    while (th_seconds() - t0 < 11.0) /* kept: the server's own 10 s request timeout, in real time */
        usleep(100000);
    int cut = 0;
    for (int i = 0; i < SLOW; i++) {
        struct timeval tv = {0, 200000};
        setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[512];
        ssize_t n = recv(fds[i], buf, sizeof buf - 1, 0);
        if (n > 0) {
            buf[n] = 0;
            assert_true(strncmp(buf, "HTTP/1.1 400 ", 13) == 0 || strncmp(buf, "HTTP/1.1 408 ", 13) == 0);
            assert_non_null(strstr(buf, "\"status_code\""));
        }
        cut += n >= 0;
        close(fds[i]);
    }
    assert_true(cut >= SLOW / 2);
    refold_mock_stop(m);
}

static void invalid_utf8_is_refused(void **state)
{
    refold_mock *m = *state;
    static const char *const bodies[] = {
        "{\"linked_account_id\":\"utf8_bad\",\"name\":\"\xff\xfe\"}",            /* not UTF-8 at all */
        "{\"linked_account_id\":\"utf8_bad\",\"name\":\"\xc0\xaf\"}",            /* overlong '/' */
        "{\"linked_account_id\":\"utf8_bad\",\"name\":\"\xed\xa0\x80\"}",        /* a surrogate */
        "{\"linked_account_id\":\"utf8_bad\",\"name\":\"\xf4\x90\x80\x80\"}",    /* past U+10FFFF */
        "{\"linked_account_id\":\"utf8_bad\",\"name\":\"\xe2\x82\"}",            /* truncated */
        "{\"linked_account_id\":\"utf8_bad\",\"name\":\"\\udc00\"}",             /* lone surrogate escape */
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        th_resp r = th_key(m, "POST", LA, "tk_acme_test", NULL, bodies[i]);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_assert_no_la(m, "tk_acme_test", "utf8_bad");
    th_resp r = th_key(m, "GET", LA "/utf8%FF", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", LA "?linked_account_id=%C3%28", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", "tk_acme_test", "bad\xff", NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    /* Valid multi-byte UTF-8 goes through and comes back byte for byte. */
    r = th_key(m, "POST", LA, "tk_acme_test", NULL,
               "{\"linked_account_id\":\"utf8_ok_\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"name\":\"Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", LA "/utf8_ok_%C3%A9%E2%82%AC%F0%9F%98%80", "tk_acme_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale");
    th_free(&r);
}

/* Nests [ ... ] depth times around 0 as the member "x" of an otherwise valid clock advance. */
static char *nested_advance(size_t depth)
{
    char *body = malloc(depth * 2 + 64), *p = body;
    p += sprintf(p, "{\"seconds\":0,\"x\":");
    memset(p, '[', depth);
    p += depth;
    *p++ = '0';
    memset(p, ']', depth);
    p += depth;
    strcpy(p, "}");
    return body;
}

static void deep_nesting_is_refused(void **state)
{
    refold_mock *m = *state;
    /* Handlers run on CivetWeb's 100 KB stacks: a few hundred levels used to overflow one inside
     * cJSON and kill the server. The limit is 100 levels, counted before parsing. */
    static const size_t refused[] = {101, 365, 900, 200000};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char *body = nested_advance(refused[i]);
        th_resp r = th_request(m, "POST", "/__mock/clock/advance", body, NULL);
        th_assert_error(&r, 400);
        assert_non_null(strstr(th_str(r.json, "message"), "deeper"));
        th_free(&r);
        free(body);
    }
    char *body = nested_advance(99); /* 99 + the outer object = 100: allowed */
    th_resp r = th_request(m, "POST", "/__mock/clock/advance", body, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    free(body);
    /* Brackets inside strings are text, not nesting. */
    char *s = malloc(5000), *p = s;
    p += sprintf(p, "{\"linked_account_id\":\"brackets\",\"name\":\"");
    memset(p, '[', 4000);
    strcpy(p + 4000, "\"}");
    r = th_key(m, "POST", LA, "tk_acme_test", NULL, s);
    assert_int_equal(r.status, 200);
    th_free(&r);
    free(s);
    /* JSON carried inside a string field and parsed by the handler (an event's sample
     * "response") must be guarded the same way: this one killed the server. */
    s = malloc(8192);
    p = s + sprintf(s, "{\"name\":\"deep_event\",\"response\":\"");
    memset(p, '[', 3000);
    memset(p + 3000, ']', 3000);
    strcpy(p + 6000, "\"}");
    r = th_key(m, "POST", "/api/v2/public/application/event", "tk_acme_test", NULL, s);
    th_assert_error(&r, 400);
    th_free(&r);
    free(s);
    assert_alive(m);
    /* The scenario upload parses its own body: it is guarded the same way. */
    body = nested_advance(5000);
    r = th_key(m, "POST", "/__mock/scenario", "tk_acme_test", NULL, body);
    th_assert_error(&r, 400);
    th_free(&r);
    free(body);
    assert_alive(m);
}

static void huge_numbers_are_refused(void **state)
{
    refold_mock *m = *state;
    static const char *const paths[] = {
        LA "?limit=99999999999999999999999", LA "?page=-1", LA "?page=1e400", LA "?limit=0x10",
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        th_resp r = th_key(m, "GET", paths[i], "tk_acme_test", NULL, NULL);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp before = th_request(m, "GET", "/__mock/clock", NULL, NULL);
    assert_int_equal(before.status, 200);
    static const char *const bodies[] = {"{\"seconds\":1e400}", "{\"seconds\":-1e400}", "{\"seconds\":1e308}",
                                         "{\"seconds\":123456789012345678901234567890}"};
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        th_resp r = th_request(m, "POST", "/__mock/clock/advance", bodies[i], NULL);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp after = th_request(m, "GET", "/__mock/clock", NULL, NULL);
    assert_true(cJSON_GetObjectItem(before.json, "now_ms")->valuedouble == cJSON_GetObjectItem(after.json, "now_ms")->valuedouble);
    th_free(&before);
    th_free(&after);
}

static void nul_bytes_are_refused(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, "tk_acme_test", "nul_target", "Target");
    /* An encoded NUL must not cut the path short and read another account. */
    th_resp r = th_key(m, "GET", LA "/nul_target%00ignored", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", LA "?linked_account_id=nul%00target", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    static const char body[] = "{\"linked_account_id\":\"nul_body\",\"name\":\"a\0b\"}";
    char req[512];
    int n = snprintf(req, sizeof req,
                     "POST " LA " HTTP/1.1\r\nHost: x\r\nx-api-key: tk_acme_test\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n", sizeof body - 1);
    memcpy(req + n, body, sizeof body - 1);
    r = th_raw_request(m, req, (size_t)n + sizeof body - 1, 0);
    th_assert_error(&r, 400);
    th_free(&r);
    th_assert_no_la(m, "tk_acme_test", "nul_body");
}

static void sql_metacharacters_are_data(void **state)
{
    refold_mock *m = *state;
    static const char *const ids[] = {
        "x'); DROP TABLE docs;--", "\" OR 1=1 --", "%", "_", "a' OR 'a'='a", "Robert'); DELETE FROM docs WHERE ('1'='1",
    };
    th_create_la(m, "tk_globex_test", "sql_bystander", "Bystander");
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "linked_account_id", ids[i]);
        cJSON_AddStringToObject(b, "name", ids[i]);
        char *text = cJSON_PrintUnformatted(b);
        cJSON_Delete(b);
        th_resp r = th_key(m, "POST", LA, "tk_globex_test", NULL, text);
        free(text);
        assert_int_equal(r.status, 200);
        assert_string_equal(th_str(r.json, "account_id"), ids[i]);
        th_free(&r);
        char *esc = curl_easy_escape(NULL, ids[i], 0), path[512];
        snprintf(path, sizeof path, LA "/%s", esc);
        curl_free(esc);
        r = th_key(m, "GET", path, "tk_globex_test", NULL, NULL);
        assert_int_equal(r.status, 200);
        assert_string_equal(th_str(r.json, "name"), ids[i]); /* stored verbatim */
        th_free(&r);
    }
    /* Nothing was executed: every account (and the bystander) is there, and "%" and "_" matched
     * only themselves. */
    th_resp r = th_key(m, "GET", LA "?limit=100", "tk_globex_test", NULL, NULL);
    assert_int_equal(r.status, 200);
    int found = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs")) {
        const char *id = th_str(d, "account_id");
        for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
            found += id && !strcmp(id, ids[i]);
        found += id && !strcmp(id, "sql_bystander");
    }
    assert_int_equal(found, (int)(sizeof ids / sizeof *ids) + 1);
    th_free(&r);
    r = th_key(m, "GET", LA "/nul_target", "tk_globex_test", NULL, NULL);
    th_assert_error(&r, 404); /* "%" did not turn into a wildcard across tenants either */
    th_free(&r);
}

static void scenario_names_cannot_traverse(void **state)
{
    refold_mock *m = *state;
    static const char *const names[] = {"../../../../etc/passwd", "../fixtures/orgs", "/etc/passwd", "..", "a/../../b",
                                        "quickstart-hubspot/../../x"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "name", names[i]);
        char *text = cJSON_PrintUnformatted(b);
        cJSON_Delete(b);
        th_resp r = th_key(m, "POST", "/__mock/scenario", "tk_acme_test", NULL, text);
        free(text);
        if (r.status == 501) { /* the scenario engine is not built into this tree */
            th_free(&r);
            skip();
        }
        th_assert_error(&r, 400);
        assert_null(strstr(r.body, "root:")); /* no file content leaks into the message */
        th_free(&r);
        char err[512] = "";
        assert_int_not_equal(refold_mock_load_scenario(m, names[i], err, sizeof err), 0);
    }
    /* The same names given at start-up: refused, nothing starts. */
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.scenario = "../../../../etc/passwd";
    char err[512];
    th_start_refused(&o, err, sizeof err);
    assert_true(strlen(err) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(body_over_limit_is_413),
        cmocka_unit_test(url_over_limit_is_414),
        cmocka_unit_test(headers_over_limit_are_431),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(deep_nesting_is_refused),
        cmocka_unit_test(huge_numbers_are_refused),
        cmocka_unit_test(nul_bytes_are_refused),
        cmocka_unit_test(sql_metacharacters_are_data),
        cmocka_unit_test(scenario_names_cannot_traverse),
        cmocka_unit_test(slow_clients_cannot_pin_all_threads),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
