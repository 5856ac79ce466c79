/* hardening.c: API tests for issue 13: store errors that stick, short bodies, the admin API's
 * origin and Host gate, NUL in JSON strings, strict HTTP framing, one server per database,
 * request targets CivetWeb would drop, webhook URL checks, bounded logs, per-tenant webhook caps
 * and idle keep-alive clients. */
#define _GNU_SOURCE
#include "harness.h"
#include "raw.h"
#include "receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"
#define LA "/api/v2/public/linked-account"

static th_resp raw(refold_mock *m, const char *text) { return th_raw_request(m, text, strlen(text), 0); }

static void exec_sql(const char *db, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sqlite: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(h);
    assert_int_equal(rc, SQLITE_OK);
}

/* ---- 7: a failed write fails the transaction ---- */

static void failed_write_fails_the_request(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN];
    th_temp_db(db);
    refold_mock *m = th_start_db(db);
    char a[64], b[64], body[256], sql[512];
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/a", "[\"Connection Created\"]", a, sizeof a);
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/b", "[\"Connection Created\"]", b, sizeof b);
    /* The disk refuses the second write of the request (an injected failure, as a full disk or
     * an I/O error would): the first one must not stay. */
    snprintf(sql, sizeof sql,
             "CREATE TRIGGER fail_b BEFORE UPDATE ON docs WHEN NEW.id='%s' BEGIN SELECT RAISE(ABORT,'injected'); END;", b);
    exec_sql(db, sql);
    snprintf(body, sizeof body, "{\"webhookIds\":[\"%s\",\"%s\"],\"group\":\"billing\"}", a, b);
    th_resp r = th_key(m, "PUT", "/api/v2/public/webhooks/group/edit", ACME, NULL, body);
    th_assert_error(&r, 500);
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/webhook/%s", a);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const char *group = th_str(r.json, "group");
    assert_true(group == NULL || !strcmp(group, ""));
    th_free(&r);
    /* A single failed write is a failed request too, not a 200 for something never kept. */
    exec_sql(db, "DROP TRIGGER fail_b;"
                 "CREATE TRIGGER fail_tok BEFORE INSERT ON docs WHEN NEW.kind='session_token' BEGIN SELECT RAISE(ABORT,'injected'); END;");
    th_create_la(m, ACME, "store_fail_la", "Store fail");
    r = th_key(m, "POST", "/api/v2/public/session-token?force_refresh=true", ACME, NULL, "{\"linked_account_id\":\"store_fail_la\"}");
    th_assert_error(&r, 500);
    th_free(&r);
    /* A write outside any transaction whose result the handler ignores: still not a 200. */
    exec_sql(db, "DROP TRIGGER fail_tok;"
                 "CREATE TRIGGER fail_meta BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT,'injected'); END;"
                 "CREATE TRIGGER fail_meta_new BEFORE INSERT ON meta BEGIN SELECT RAISE(ABORT,'injected'); END;");
    th_resp c = th_request(m, "POST", "/__mock/clock/advance", "{\"seconds\":60}", NULL);
    th_assert_error(&c, 500);
    th_free(&c);
    /* Once the disk is back, the same requests succeed. */
    exec_sql(db, "DROP TRIGGER fail_meta; DROP TRIGGER fail_meta_new;");
    r = th_key(m, "PUT", "/api/v2/public/webhooks/group/edit", ACME, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
    th_remove_db(db);
}

/* ---- 2: a body shorter than its Content-Length changes nothing ---- */

static void short_body_changes_nothing(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    static const char body[] = "{\"linked_account_id\":\"short_body\",\"name\":\"Short\"}";
    char req[512];
    /* The declared length is longer than what comes: the client half-closes after the JSON. */
    int n = snprintf(req, sizeof req,
                     "POST " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " ACME "\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s", sizeof body + 20, body);
    th_resp r = th_raw_request(m, req, (size_t)n, 1);
    th_assert_error(&r, 400);
    th_free(&r);
    th_assert_no_la(m, ACME, "short_body");
    refold_mock_stop(m);
}

/* ---- 4: \u0000 in a JSON string is refused ---- */

static void nul_escape_is_refused(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "victim", "Victim");
    th_resp r = th_key(m, "POST", LA, ACME, NULL, "{\"linked_account_id\":\"victim\\u0000y\",\"name\":\"Mallory\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", LA, ACME, NULL, "{\"linked_account_id\":\"nul_name\",\"name\":\"cut\\u0000here\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    th_assert_no_la(m, ACME, "nul_name");
    r = th_key(m, "GET", LA "/victim", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "name"), "Victim");
    th_free(&r);
    /* An escaped backslash before u0000 is text, not a NUL. */
    r = th_key(m, "POST", LA, ACME, NULL, "{\"linked_account_id\":\"slash_ok\",\"name\":\"a\\\\u0000b\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "GET", LA "/slash_ok", ACME, NULL, NULL);
    assert_string_equal(th_str(r.json, "name"), "a\\u0000b");
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- 3: the admin API belongs to the machine ---- */

static void admin_api_refuses_other_origins_and_hosts(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "kept_la", "Kept");
    char v[256], own[96], own_origin[128];
    /* A page of another site: no CORS grant, and its requests are refused. */
    const char *evil_pre[] = {"Origin: https://evil.example", "Access-Control-Request-Method: POST", NULL};
    th_resp r = th_request(m, "OPTIONS", "/__mock/reset", NULL, evil_pre);
    assert_false(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    th_free(&r);
    const char *evil[] = {"Origin: https://evil.example", NULL};
    r = th_request(m, "GET", "/__mock/tenants", NULL, evil);
    th_assert_error(&r, 403);
    assert_false(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_null(strstr(r.body, "tk_acme_test"));
    th_free(&r);
    /* A cross-site "simple" POST (text/plain, no preflight) resets nothing. */
    const char *plain[] = {"Content-Type: text/plain", NULL};
    r = th_request(m, "POST", "/__mock/reset", "{}", plain);
    th_assert_error(&r, 415);
    th_free(&r);
    r = th_request(m, "POST", "/__mock/reset", "{}", evil);
    th_assert_error(&r, 403);
    th_free(&r);
    r = th_key(m, "GET", LA "/kept_la", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* DNS rebinding: the attacker's name in Host. */
    const char *rebind[] = {"Host: evil.example", NULL};
    r = th_request(m, "GET", "/__mock/tenants", NULL, rebind);
    th_assert_error(&r, 403);
    th_free(&r);
    r = th_request(m, "GET", "/connect/sometoken", NULL, rebind);
    th_assert_error(&r, 403);
    th_free(&r);
    /* The mock's own pages, loopback names and the public API are served as before. */
    snprintf(own_origin, sizeof own_origin, "Origin: http://127.0.0.1:%d", refold_mock_port(m));
    snprintf(own, sizeof own, "Host: localhost:%d", refold_mock_port(m));
    const char *mine[] = {own_origin, own, NULL};
    r = th_request(m, "GET", "/__mock/tenants", NULL, mine);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, own_origin + 8);
    th_free(&r);
    const char *api[] = {"Origin: https://evil.example", "Host: api.example", "x-api-key: " ACME, NULL};
    r = th_request(m, "GET", LA "/kept_la", NULL, api);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    assert_string_equal(v, "https://evil.example");
    th_free(&r);
    th_admin_ok(m, "/__mock/reset", NULL); /* bodyless, no Origin: the CLI and test suites */
    refold_mock_stop(m);
    /* Reached under another name (a compose service): --public-url names it. */
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.public_url = "http://refold-mock.internal:8080";
    m = th_start(&o);
    const char *named[] = {"Host: refold-mock.internal:8080", NULL}, *other[] = {"Host: refold-mock.evil:8080", NULL};
    r = th_request(m, "GET", "/__mock/health", NULL, named);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(m, "GET", "/__mock/health", NULL, other);
    th_assert_error(&r, 403);
    th_free(&r);
    refold_mock_stop(m);
}

static void admin_token_only_on_the_dashboard_and_never_journaled(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.admin_token = "adm_h13_secret";
    refold_mock *m = th_start(&o);
    th_resp r = th_request(m, "GET", "/__mock/tenants?admin_token=adm_h13_secret", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_request(m, "GET", "/__mock/ui?admin_token=adm_h13_secret", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    const char *bearer[] = {"Authorization: Bearer adm_h13_secret", NULL};
    r = th_request(m, "GET", "/__mock/requests", NULL, bearer);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "/__mock/ui"));
    assert_null(strstr(r.body, "adm_h13_secret"));
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- 5: strict HTTP framing ---- */

/* Sends a request, expects an envelope with status, then the connection closed by the mock.
 * Returns the envelope's message (static until the next call). */
static const char *expect_error_and_close(refold_mock *m, const char *text, long status)
{
    static char message[512];
    int fd = th_raw_connect(m);
    assert_int_equal(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
    th_resp r = th_raw_read(fd);
    if (r.status != status)
        fprintf(stderr, "for %s\ngot %ld %s\n", text, r.status, r.body);
    th_assert_error(&r, status);
    snprintf(message, sizeof message, "%s", th_str(r.json, "message"));
    th_free(&r);
    struct timeval tv = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char c;
    assert_int_equal(recv(fd, &c, 1, 0), 0); /* end of file, not a timeout */
    close(fd);
    return message;
}

static void expect_400_and_close(refold_mock *m, const char *text) { expect_error_and_close(m, text, 400); }

static void http_framing_is_strict(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
#define POST_LA "POST " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " ACME "\r\nContent-Type: application/json\r\n"
#define SMUGGLE_BODY "{\"linked_account_id\":\"smuggled_1\"}"
    char req[1024];
    /* Two lengths: one reading sees a second request in the body. */
    snprintf(req, sizeof req, POST_LA "Content-Length: %zu\r\nContent-Length: 2\r\n\r\n%s", strlen(SMUGGLE_BODY), SMUGGLE_BODY);
    expect_400_and_close(m, req);
    snprintf(req, sizeof req, POST_LA "Content-Length: %zu\r\nTransfer-Encoding: chunked\r\n\r\n%s", strlen(SMUGGLE_BODY), SMUGGLE_BODY);
    expect_400_and_close(m, req);
    th_assert_no_la(m, ACME, "smuggled_1");
    expect_400_and_close(m, "GET " LA " HTTP/1.1\r\nHost : 127.0.0.1\r\nx-api-key: " ACME "\r\n\r\n");
    expect_400_and_close(m, "GET " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " ACME "\r\nX-Folded: a\r\n b\r\n\r\n");
    expect_400_and_close(m, "GET " LA " HTTP/1.1\r\nx-api-key: " ACME "\r\n\r\n");
    /* Two different keys: which tenant is meant is unknown. */
    th_resp r = raw(m, "GET " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " ACME "\r\nx-api-key: " GLOBEX "\r\n"
                       "Connection: close\r\n\r\n");
    th_assert_error(&r, 400);
    th_free(&r);
    /* Well-formed requests on the same server still work, with and without a body. */
    r = raw(m, "GET " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " ACME "\r\nConnection: close\r\n\r\n");
    assert_int_equal(r.status, 200);
    th_free(&r);
    snprintf(req, sizeof req, POST_LA "Connection: close\r\nContent-Length: %zu\r\n\r\n%s", strlen(SMUGGLE_BODY), SMUGGLE_BODY);
    r = raw(m, req);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
}

/* "*" and absolute-form targets: CivetWeb drops the ones it does not serve without a word. */
static void every_request_target_gets_an_answer(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    int port = refold_mock_port(m);
    char req[512];
    assert_non_null(strstr(expect_error_and_close(m, "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400), "OPTIONS *"));
    expect_error_and_close(m, "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    /* another server (another port): the mock is no proxy */
    const char *msg = expect_error_and_close(m, "GET http://example.com/__mock/reset HTTP/1.1\r\nHost: example.com\r\n\r\n", 421);
    assert_non_null(strstr(msg, "http://example.com/__mock/reset"));
    snprintf(req, sizeof req, "POST http://127.0.0.1:%d/__mock/reset HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", port + 1, port);
    expect_error_and_close(m, req, 421);
    /* this port: served as its path (RFC 9112 3.2.2), the target's host standing for Host */
    snprintf(req, sizeof req, "GET http://127.0.0.1:%d" LA " HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nx-api-key: " ACME "\r\n"
             "Connection: close\r\n\r\n", port, port);
    th_resp r = raw(m, req);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsArray(r.json) || cJSON_IsObject(r.json));
    th_free(&r);
    snprintf(req, sizeof req, "GET http://evil.example:%d/__mock/tenants HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
             port, port);
    r = raw(m, req);
    th_assert_error(&r, 403);
    assert_non_null(strstr(th_str(r.json, "message"), "evil.example"));
    assert_null(strstr(r.body, ACME)); /* no keys handed out */
    th_free(&r);
    snprintf(req, sizeof req, "GET http://localhost:%d/__mock/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", port);
    r = raw(m, req);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- 6: one database, one server ---- */

static void one_server_per_database(void **state)
{
    (void)state;
    char db[TH_DB_PATH_LEN], err[512] = "";
    th_temp_db(db);
    refold_mock *m = th_start_db(db);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.db_path = db;
    o.fixtures_dir = REFOLD_SOURCE_DIR "/fixtures";
    o.port = 0;
    o.quiet = 1;
    assert_null(refold_mock_start(&o, err, sizeof err));
    assert_non_null(strstr(err, "in use by another refold-mock"));
    /* The command line: exit status 2 and one line on stderr. */
    th_proc p;
    const char *args[] = {"--port", "0", "--quiet", "--fixtures", REFOLD_SOURCE_DIR "/fixtures", "--db", db, NULL};
    th_spawn(&p, args, NULL, 0);
    assert_int_equal(th_spawn_wait(&p, 10), 2);
    char *said = th_spawn_read(p.err), *nl = strchr(said, '\n');
    th_spawn_free(&p);
    assert_non_null(strstr(said, "in use by another refold-mock"));
    assert_true(nl && nl[1] == 0); /* one line */
    free(said);
    /* Once the first one stops, the file is free again. */
    refold_mock_stop(m);
    m = th_start_db(db);
    refold_mock_stop(m);
    th_remove_db(db);
}

/* ---- 10: webhook URLs ---- */

static void webhook_urls_need_a_host_that_is_not_the_mock(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    char body[512];
    const char *bad[] = {"http:///hook", "https:///", "http://:8080/x", NULL};
    for (int i = 0; bad[i]; i++) {
        snprintf(body, sizeof body, "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Connection Created\"]}", bad[i]);
        th_resp r = th_key(m, "POST", "/api/v2/public/webhook", ACME, NULL, body);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    const char *self[] = {"http://127.0.0.1:%d/hook", "http://localhost:%d/", "http://[::1]:%d/x", NULL};
    for (int i = 0; self[i]; i++) {
        char url[128];
        snprintf(url, sizeof url, self[i], refold_mock_port(m));
        snprintf(body, sizeof body, "{\"webhook_url\":\"%s\",\"webhook_events\":[\"Connection Created\"]}", url);
        th_resp r = th_key(m, "POST", "/api/v2/public/webhook", ACME, NULL, body);
        th_assert_error(&r, 400);
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", "/api/v2/public/webhook", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    /* Another port on loopback is an ordinary receiver. */
    snprintf(body, sizeof body, "{\"webhook_url\":\"http://127.0.0.1:%d/hook\",\"webhook_events\":[\"Connection Created\"]}",
             refold_mock_port(m) == 9 ? 10 : 9);
    r = th_key(m, "POST", "/api/v2/public/webhook", ACME, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- 8: bounded logs ---- */

static void connection_log_and_delivery_list_are_bounded(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, "relog_la", "Relog");
    /* Reconnecting again and again adds a log entry each time: only the last 20 stay. */
    for (int i = 0; i < 30; i++) {
        char body[160];
        snprintf(body, sizeof body, "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e%02d\",\"number\":\"+14155550123\"}", i);
        th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", ACME, "relog_la", body);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    th_resp r = th_key(m, "GET", "/__mock/linked-accounts/relog_la/connections", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *log = cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "log");
    assert_int_equal(cJSON_GetArraySize(log), 20);
    assert_string_equal(th_str(cJSON_GetArrayItem(log, 19), "event"), "Reauthenticated");
    th_free(&r);

    /* 150 deliveries: the list gives the newest 100 unless asked, and where older ones start. */
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rcv_free_port());
    rcv_subscribe(m, ACME, url, "[\"Connection Created\",\"Connection Deleted\"]", NULL, 0);
    for (int i = 0; i < 75; i++) {
        char la[32], path[96];
        snprintf(la, sizeof la, "dl_%d", i);
        th_create_la(m, ACME, la, "D");
        th_resp x = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", ACME, la,
                           "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
        assert_int_equal(x.status, 200);
        th_free(&x);
        snprintf(path, sizeof path, "/api/v2/public/linked-account/integration/twilio");
        x = th_key(m, "DELETE", path, ACME, la, NULL);
        th_free(&x);
    }
    r = th_key(m, "GET", "/__mock/webhooks/deliveries", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    int total = cJSON_GetArraySize(r.json);
    assert_int_equal(total, 100);
    char before[32], path[96];
    assert_true(th_header(&r, "X-Next-Before", before, sizeof before));
    assert_int_equal(atoll(before), (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "id")));
    th_free(&r);
    snprintf(path, sizeof path, "/__mock/webhooks/deliveries?before=%s&limit=1000", before);
    r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) >= 40); /* the rest: 150 emitted in all */
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, cJSON_GetArraySize(r.json) - 1), "id")) < atoll(before));
    th_free(&r);
    r = th_key(m, "GET", "/__mock/webhooks/deliveries?limit=1001", ACME, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- 9: one tenant's dead receivers do not hold back another's ---- */

static void webhook_cap_is_per_tenant(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.webhook_timeout_ms = 8000;
    refold_mock *m = th_start(&o);
    /* A receiver that accepts connections (the kernel's backlog) and never answers. */
    int dead = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(dead, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(dead, 512), 0);
    socklen_t al = sizeof a;
    getsockname(dead, (struct sockaddr *)&a, &al);
    for (int i = 0; i < 70; i++) {
        char url[96];
        snprintf(url, sizeof url, "http://127.0.0.1:%d/dead/%d", ntohs(a.sin_port), i);
        rcv_subscribe(m, ACME, url, "[\"Connection Created\"]", NULL, 0);
    }
    rcv *live = rcv_start(0);
    char url[96];
    rcv_url(live, "/live", url, sizeof url);
    rcv_subscribe(m, GLOBEX, url, "[\"Connection Created\"]", NULL, 0);
    th_create_la(m, ACME, "cap_acme", "A");
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", ACME, "cap_acme",
                       "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* Acme's 70 attempts are now hanging. A wait kept on purpose: an attempt in flight shows in
     * no counter (the dead port accepts into its backlog and never answers), and without it
     * Globex's delivery could go out before Acme's even started, proving nothing. */
    rcv_sleep_ms(300);
    th_create_la(m, GLOBEX, "cap_globex", "G");
    double t0 = th_seconds();
    r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", GLOBEX, "cap_globex",
               "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    int got = rcv_wait(live, 1, 6000);
    double waited = th_seconds() - t0;
    fprintf(stderr, "hardening: Globex's delivery arrived after %.2f s behind Acme's 70 hanging ones\n", waited);
    assert_int_equal(got, 1);
    assert_true(waited < 1.0);
    refold_mock_stop(m);
    rcv_stop(live);
    close(dead);
}

/* ---- 1: idle keep-alive connections do not starve new clients ---- */

static void idle_keepalive_clients_do_not_starve_new_ones(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    enum { IDLE = 200 };
    int fds[IDLE];
    /* A pool of clients: each sends one keep-alive request and keeps its connection open, as
     * HTTP client pools do, unless the answer said Connection: close. */
    const char *req = "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < IDLE; i++) {
        fds[i] = th_raw_connect(m);
        assert_int_equal(send(fds[i], req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    }
    int answered = 0, kept = 0;
    double t0 = th_seconds();
    for (int i = 0; i < IDLE; i++) {
        struct timeval tv = {3, 0};
        setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        th_resp r = th_raw_read(fds[i]);
        answered += r.status == 200;
        if (r.status == 200 && !strcasestr(r.headers, "Connection: close")) {
            kept++;
        } else {
            close(fds[i]);
            fds[i] = -1;
        }
        th_free(&r);
    }
    fprintf(stderr, "hardening: %d of %d pooled clients answered in %.2f s, %d kept alive\n", answered, IDLE, th_seconds() - t0, kept);
    assert_int_equal(answered, IDLE);
    /* A new client while they idle. */
    for (int k = 0; k < 5; k++) {
        double t1 = th_seconds();
        th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
        double waited = th_seconds() - t1;
        fprintf(stderr, "hardening: new client answered in %.1f ms behind %d idle keep-alive connections\n", waited * 1000, kept);
        assert_int_equal(r.status, 200);
        assert_true(waited < 0.5);
        th_free(&r);
    }
    for (int i = 0; i < IDLE; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_write_fails_the_request),
        cmocka_unit_test(short_body_changes_nothing),
        cmocka_unit_test(nul_escape_is_refused),
        cmocka_unit_test(admin_api_refuses_other_origins_and_hosts),
        cmocka_unit_test(admin_token_only_on_the_dashboard_and_never_journaled),
        cmocka_unit_test(http_framing_is_strict),
        cmocka_unit_test(every_request_target_gets_an_answer),
        cmocka_unit_test(one_server_per_database),
        cmocka_unit_test(webhook_urls_need_a_host_that_is_not_the_mock),
        cmocka_unit_test(connection_log_and_delivery_list_are_bounded),
        cmocka_unit_test(webhook_cap_is_per_tenant),
        cmocka_unit_test(idle_keepalive_clients_do_not_starve_new_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
