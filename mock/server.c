/* server.c: CivetWeb's lifecycle and the one entry point every request goes through: preflight,
 * head limits, route match, auth, injected faults, body, memo, handler; journal on the answer;
 * and the same steps for a request run inside another (subrequest). */
#include "request_auth.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/faults.h"
#include "base/form.h"
#include "base/http.h"
#include "engine/journal.h"
#include "log.h"
#include "memo.h"
#include "base/origin.h"
#include "proxy.h"
#include "routes.h"
#include "engine/scenario.h"
#include "server.h"
#include "spec_check.h"
#include "base/store.h"
#include "base/util.h"
#include "engine/webhooks.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Request ids only need to be unique: a per-mock prefix (drawn at start, so a seeded run gets
 * the same one) and a counter cost a fraction of drawing 8 random bytes on every request. */
static void new_request_id(struct mock *m, char out[40])
{
    unsigned long long n = __atomic_add_fetch(&m->request_counter, 1, __ATOMIC_RELAXED);
    /* req_ + prefix + the counter's low 32 bits as 8 hex digits (an snprintf cost more than the
     * route match) */
    static const char hex[] = "0123456789abcdef";
    size_t pl = strnlen(m->request_prefix, sizeof m->request_prefix - 1);
    memcpy(out, "req_", 4);
    memcpy(out + 4, m->request_prefix, pl);
    for (int i = 0; i < 8; i++)
        out[4 + pl + i] = hex[(n >> (28 - 4 * i)) & 15];
    out[4 + pl + 8] = 0;
}

/* The admin API and the pages belong to the machine, not to every web page its user visits:
 * they answer only under one of the mock's own host names (no DNS rebinding), only to their own
 * pages' origin (no cross-site fetch), and admin writes only with a JSON body (no cross-site
 * "simple" form or text/plain POST). The public API keeps its CORS: the frontend SDK needs it.
 * Returns 0, or the error status it answered. */
static int gate(req *r, const char *path)
{
    if (!origin_gated_path(path))
        return 0;
    r->no_cors = 1; /* CORS headers only for the mock's own origin, below */
    const char *host = http_header(r, "Host"), *origin = http_header(r, "Origin");
    char target_host[256];
    const char *scheme_end = strstr(r->ri->request_uri, "://");
    if (r->ri->request_uri[0] != '/' && scheme_end) { /* absolute form: its host, not Host (RFC 9112 3.2.2) */
        const char *h = scheme_end + 3;
        size_t n = strcspn(h, "/?#");
        snprintf(target_host, sizeof target_host, "%.*s", (int)(n < sizeof target_host ? n : sizeof target_host - 1), h);
        host = target_host;
    }
    if (!origin_host_ok(r->m, host))
        return http_error(r, 403, "FORBIDDEN", "%s is only served under the mock's own address or a loopback name, not Host %s",
                          path, host);
    if (origin && !origin_is_own(r->m, origin))
        return http_error(r, 403, "FORBIDDEN", "%s is not served to pages of another origin (%s)", path, origin);
    r->no_cors = !origin;
    const char *method = r->ri->request_method, *type = http_header(r, "Content-Type");
    int has_body = r->ri->content_length > 0 || (r->ri->content_length < 0 && http_header(r, "Transfer-Encoding"));
    if (strncmp(path, "/__mock", 7) || !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "OPTIONS"))
        return 0;
    if ((type && strncasecmp(type, "application/json", 16)) || (!type && has_body))
        return http_error(r, 415, "UNSUPPORTED_MEDIA_TYPE", "admin requests with a body take Content-Type: application/json, not %s",
                          type ? type : "none");
    return 0;
}

static int preflight(req *r)
{
    const char *origin = http_header(r, "Origin");
    const char *asked = http_header(r, "Access-Control-Request-Headers");
    char headers[512];
    /* Echo what the browser asks for on top of the headers the API and SDK use. */
    snprintf(headers, sizeof headers, "authorization, content-type, x-api-key, linked_account_id, slug%s%s",
             asked && *asked && !strpbrk(asked, "\r\n") ? ", " : "", asked && !strpbrk(asked, "\r\n") ? asked : "");
    if (r->no_cors) { /* the admin API or a page asked without an Origin: nothing to allow */
        mg_printf(r->conn, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
        r->status = 204;
        return 204;
    }
    mg_printf(r->conn,
              "HTTP/1.1 204 No Content\r\n"
              "Access-Control-Allow-Origin: %s\r\n"
              "Vary: Origin\r\n"
              "Access-Control-Allow-Credentials: true\r\n"
              "Access-Control-Allow-Methods: GET, POST, PUT, PATCH, DELETE, OPTIONS\r\n"
              "Access-Control-Allow-Headers: %s\r\n"
              "Access-Control-Max-Age: 600\r\n"
              "Content-Length: 0\r\n\r\n",
              origin && *origin && !strpbrk(origin, "\r\n") ? origin : "*", headers);
    r->status = 204;
    return 204;
}

/* Limits on what precedes the body. CivetWeb itself refuses anything over MAX_HEAD_HARD (it
 * cannot tell "too large" from "malformed" then, see on_http_error); below that, these give the
 * precise 414 and 431 answers. */
#define MAX_URL 8192            /* path + query, encoded */
#define MAX_HEAD 32768          /* request line + header fields */
#define MAX_HEAD_HARD "65536"   /* CivetWeb's max_request_size */
#define REQUEST_TIMEOUT_MS "10000" /* a slow client cannot hold a worker longer */

/* CivetWeb gives each connection a worker thread for as long as it stays open, idle keep-alive
 * time included: with every worker held by an idle connection of some client's pool, a new
 * client waited out the keep-alive timeout. So: enough workers for many slow or idle clients
 * (about 20 KB of memory each), and once KEEP_ALIVE_MAX of them are taken, answers carry
 * "Connection: close": the client closes after reading it, and the workers past KEEP_ALIVE_MAX
 * stay free for new clients. */
#define WORKERS 256
#define KEEP_ALIVE_MAX (__atomic_load_n(&workers, __ATOMIC_RELAXED) * 3 / 4)
/* REFOLD_MOCK_WORKERS (16 to 256) lowers the count for the test suite under valgrind and TSan,
 * where starting 256 threads is much of a short test's cost (tests/README.md); not for users. */
static int workers = WORKERS;
#define LISTEN_BACKLOG "1024"

static struct mock *mock_of(const struct mg_connection *conn)
{
    return mg_get_user_data(mg_get_context(conn));
}

static int on_connection_start(const struct mg_connection *conn, void **conn_data)
{
    (void)conn_data;
    __atomic_add_fetch(&mock_of(conn)->busy_workers, 1, __ATOMIC_RELAXED);
    return 0;
}

static void on_answer(req *r, int status, const char *body, size_t len);

/* A request CivetWeb answers no callback for (its own errors, the targets it drops): logged, not
 * journaled (r.journal stays 0: no route, no tenant), and the connection closes after it, as
 * CivetWeb closes it after these. */
static void bare_req(req *r, struct mg_connection *conn)
{
    memset(r, 0, sizeof *r);
    r->conn = conn;
    r->m = mock_of(conn);
    r->on_answer = on_answer;
    r->started_us = util_mono_us();
    r->ri = mg_get_request_info(conn);
    new_request_id(r->m, r->request_id);
    http_add_header(r, "Connection", "close");
}

/* on_http_error's mark on a connection: CivetWeb answered its request itself */
static char answered_by_civetweb;

/* CivetWeb 1.15 parses a "*" target (OPTIONS *) and an absolute-form target naming another port,
 * then drops the request unanswered (it is no proxy; its code says TODO) and closes. Its socket
 * is still open when the connection ends, with that request still in request_info: answered
 * here in the envelope. (An absolute-form target naming this port is served as its path, see
 * enable_auth_domain_check in server_start.) */
static void answer_dropped(struct mg_connection *conn)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    if (!ri || !ri->request_method || !ri->request_uri || ri->local_uri ||
        mg_get_user_connection_data(conn) == &answered_by_civetweb)
        return;
    int star = !strcmp(ri->request_uri, "*");
    if (!star && !strstr(ri->request_uri, "://"))
        return;
    req r;
    bare_req(&r, conn);
    if (star)
        http_error(&r, 400, "BAD_REQUEST", "%s * (the server as a whole) is not served: the mock answers OPTIONS per path, "
                   "e.g. OPTIONS /api/v2/public/session-token for a CORS preflight", ri->request_method);
    else
        http_error(&r, 421, "MISDIRECTED_REQUEST", "%s names another server; refold-mock is not a proxy and serves only its own "
                   "port (%d)", ri->request_uri, r.m->port);
}

static void on_connection_end(const struct mg_connection *conn)
{
    answer_dropped((struct mg_connection *)conn); /* (CivetWeb hands a const pointer to a connection it still writes to) */
    __atomic_sub_fetch(&mock_of(conn)->busy_workers, 1, __ATOMIC_RELAXED);
}

/* Ends the connection of r once its answer is written. CivetWeb 1.15 has no call for it in a
 * handler (it keeps a connection alive by the request's headers alone), so the socket is found
 * by its two ends and shut down: CivetWeb's next read sees end of file and closes it. Costs a
 * scan of the descriptor table, which only error paths pay. */
static void close_connection(req *r)
{
    unsigned char want[16];
    int v6 = strchr(r->ri->remote_addr, ':') != NULL;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, r->ri->remote_addr, want) != 1)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++) {
        struct sockaddr_storage peer, self;
        socklen_t pl = sizeof peer, sl = sizeof self;
        if (getpeername(fd, (struct sockaddr *)&peer, &pl) != 0 || getsockname(fd, (struct sockaddr *)&self, &sl) != 0)
            continue;
        int match;
        if (peer.ss_family == AF_INET && !v6)
            match = ntohs(((struct sockaddr_in *)&peer)->sin_port) == r->ri->remote_port &&
                    !memcmp(&((struct sockaddr_in *)&peer)->sin_addr, want, 4) &&
                    ntohs(((struct sockaddr_in *)&self)->sin_port) == r->ri->server_port;
        else if (peer.ss_family == AF_INET6 && v6)
            match = ntohs(((struct sockaddr_in6 *)&peer)->sin6_port) == r->ri->remote_port &&
                    !memcmp(&((struct sockaddr_in6 *)&peer)->sin6_addr, want, 16) &&
                    ntohs(((struct sockaddr_in6 *)&self)->sin6_port) == r->ri->server_port;
        else
            match = 0;
        if (match) {
            shutdown(fd, SHUT_RDWR);
            return;
        }
    }
}

/* Makes CivetWeb end r's connection once the handler returns, without reading another byte of
 * it. CivetWeb 1.15 has no call for it: it keeps a connection alive by the request's own
 * Connection header and HTTP version, and then parses the next request from what it has already
 * read with this one: a request smuggled in the same packet behind a refused one still ran, even
 * with the socket shut down. So the request is made to read as "Connection: close". */
static void no_keep_alive(req *r)
{
    struct mg_request_info *ri = (struct mg_request_info *)r->ri; /* (CivetWeb's own, parsed in place) */
    int said = 0;
    for (int i = 0; i < ri->num_headers; i++)
        if (!strcasecmp(ri->http_headers[i].name, "Connection")) {
            ri->http_headers[i].value = "close";
            said = 1;
        }
    if (said)
        return;
    if (ri->num_headers < MG_MAX_HEADERS) {
        ri->http_headers[ri->num_headers].name = "Connection";
        ri->http_headers[ri->num_headers].value = "close";
        ri->num_headers++;
    } else {
        ri->http_version = "1.0"; /* no Connection header and not 1.1: not kept alive */
    }
}

/* After a framing error where the next request starts is unknown: 400, and the connection ends. */
static int framing_error(req *r, const char *why)
{
    http_add_header(r, "Connection", "close");
    http_error(r, 400, "BAD_REQUEST", "%s", why);
    no_keep_alive(r);
    close_connection(r);
    return 400;
}

/* Expect (RFC 9110 10.1.1): a client sending Expect: 100-continue waits for "100 Continue"
 * before its body (curl 1 s, strict clients 10 s and then give up); CivetWeb 1.15 never sends
 * it to a request handler. Called once everything before the body has passed (auth, faults, the
 * declared size): a refusal up to there is the final answer instead, and the body is never
 * read. Returns 0, or the error status it answered (417 for another expectation). */
static int expect_continue(req *r)
{
    const char *expect = http_header(r, "Expect");
    if (!expect)
        return 0;
    if (strcasecmp(expect, "100-continue")) {
        http_add_header(r, "Connection", "close");
        return http_error(r, 417, "EXPECTATION_FAILED", "Expect: %s is not an expectation the mock can meet (only 100-continue)",
                          expect);
    }
    int has_body = r->ri->content_length > 0 || (r->ri->content_length < 0 && http_header(r, "Transfer-Encoding"));
    if (has_body && r->ri->http_version && !strcmp(r->ri->http_version, "1.1"))
        mg_write(r->conn, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    return 0;
}

/* RFC 9112 framing: what an intermediary could read differently from the mock must not be
 * guessed at (request smuggling). CivetWeb parses the head in place, ending each name and
 * value with NULs and leaving every other byte where it was: whitespace before a colon and
 * folded continuation lines, which it drops silently, show in the bytes between the parsed
 * fields. Returns 0, or the error status it answered. */
static int check_framing(req *r)
{
    const struct mg_request_info *ri = r->ri;
    const char *cl = NULL, *key = NULL;
    int has_host = 0, has_te = 0;
    if (ri->num_headers >= MG_MAX_HEADERS) /* fields were dropped: check_head answers 431 */
        return 0;
    for (int i = 0; i < ri->num_headers; i++) {
        const char *name = ri->http_headers[i].name, *value = ri->http_headers[i].value;
        size_t nl = strlen(name);
        for (const char *p = name + nl + 1; p < value; p++)
            if (*p != ' ' && *p != '\t')
                return framing_error(r, "whitespace between a header field name and its colon");
        const char *after = value + strlen(value) + 1, *next = i + 1 < ri->num_headers ? ri->http_headers[i + 1].name : NULL;
        for (const char *p = after; next ? p < next : p < after + 2; p++)
            if (*p != 0 && *p != '\r' && *p != '\n')
                return framing_error(r, "a folded header line (obsolete line folding)");
        if (!strcasecmp(name, "Host"))
            has_host = 1;
        else if (!strcasecmp(name, "Transfer-Encoding"))
            has_te = 1;
        else if (!strcasecmp(name, "Content-Length")) {
            if (cl && strcmp(cl, value))
                return framing_error(r, "two different Content-Length values");
            cl = value;
        } else if (!strcasecmp(name, "x-api-key")) {
            if (key && strcmp(key, value))
                return http_error(r, 400, "BAD_REQUEST", "two different x-api-key values");
            key = value;
        }
    }
    if (cl && has_te)
        return framing_error(r, "both Content-Length and Transfer-Encoding");
    if (!has_host && ri->http_version && !strcmp(ri->http_version, "1.1"))
        return framing_error(r, "an HTTP/1.1 request without a Host header");
    return 0;
}

/* Checks the request line and headers against the limits and decodes the path into path
 * (CivetWeb runs with decode_url=no so that an encoded NUL cannot silently cut the path short,
 * e.g. /linked-account/abc%00def reading "abc"). Returns 0, or the error status it answered. */
static int check_head(req *r, char *path, size_t n)
{
    const struct mg_request_info *ri = r->ri;
    const char *raw = ri->local_uri ? ri->local_uri : "/", *qs = ri->query_string ? ri->query_string : "";
    size_t rawlen = strlen(raw), qslen = strlen(qs);
    if (rawlen + qslen > MAX_URL)
        return http_error(r, 414, "URI_TOO_LONG", "the URL is %zu bytes; the limit is %d bytes", rawlen + qslen, MAX_URL);
    size_t head = strlen(ri->request_method) + rawlen + qslen + 16;
    for (int i = 0; i < ri->num_headers; i++)
        head += strlen(ri->http_headers[i].name) + strlen(ri->http_headers[i].value) + 4;
    if (head > MAX_HEAD)
        return http_error(r, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "the request line and headers are %zu bytes; the limit is %d bytes",
                          head, MAX_HEAD);
    if (ri->num_headers >= MG_MAX_HEADERS) /* CivetWeb drops fields past its table: refuse rather than guess */
        return http_error(r, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "more than %d header fields", MG_MAX_HEADERS - 1);
    for (int i = 0; i < ri->num_headers; i++)
        if (!util_utf8_valid(ri->http_headers[i].value, strlen(ri->http_headers[i].value)))
            return http_error(r, 400, "BAD_REQUEST", "header %s is not valid UTF-8", ri->http_headers[i].name);
    if (strstr(raw, "%00") || strstr(qs, "%00"))
        return http_error(r, 400, "BAD_REQUEST", "the URL contains an encoded NUL byte (%%00)");
    int len = mg_url_decode(raw, (int)rawlen, path, (int)n, 0);
    if (len < 0 || !util_utf8_valid(path, (size_t)len))
        return http_error(r, 400, "BAD_REQUEST", "the URL path is not valid UTF-8 once decoded");
    if (qslen) {
        char *q = malloc(qslen + 1);
        int ql = mg_url_decode(qs, (int)qslen, q, (int)qslen + 1, 1);
        int ok = ql >= 0 && util_utf8_valid(q, (size_t)ql);
        free(q);
        if (!ok)
            return http_error(r, 400, "BAD_REQUEST", "the query string is not valid UTF-8 once decoded");
    }
    return 0;
}

/* Reads the body up to the limit. Returns 0, or the error status it answered. */
/* A scenario's fail_requests / delay_requests rule for this request (faults.c keeps the rules and
 * sleeps the delay): the failure is answered here, in Refold's envelope. 0 when it goes on. */
static int answer_fault(req *r)
{
    struct fault hit;
    if (!faults_take(r->m->faults, r->t ? r->t->id : NULL, r->ri->request_method, r->ri->local_uri, &r->m->stopping, &hit))
        return 0;
    if (hit.retry_after > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", hit.retry_after);
        http_add_header(r, "Retry-After", v);
    }
    const char *code = hit.error_code[0] ? hit.error_code : "INJECTED_FAULT";
    if (hit.message[0])
        return http_error(r, hit.status, code, "%s", hit.message);
    return http_error(r, hit.status, code, "%s (injected by the loaded scenario)", http_reason(hit.status));
}

static int read_body(req *r)
{
    long long declared = r->ri->content_length;
    if (declared > MOCK_MAX_BODY) {
        http_add_header(r, "Connection", "close");
        return http_error(r, 413, "PAYLOAD_TOO_LARGE", "request body is %lld bytes; the limit is %d bytes",
                          declared, MOCK_MAX_BODY);
    }
    if (expect_continue(r) != 0)
        return r->status;
    if (declared == 0 || ((r->route->flags & FORM_BODY) && form_is_multipart(r)))
        return 0;
    size_t cap = declared > 0 ? (size_t)declared : 4096, len = 0;
    r->raw = malloc(cap + 1);
    for (;;) {
        if (len == cap) {
            if (declared > 0 || cap > MOCK_MAX_BODY)
                break;
            cap *= 2;
            r->raw = realloc(r->raw, cap + 1);
        }
        int n = mg_read(r->conn, r->raw + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    r->raw[len] = 0;
    r->raw_len = len;
    /* A body cut short (the client half-closed, vanished or stalled past request_timeout_ms) is
     * not the request the client meant: apply nothing of it. */
    if (declared > 0 && len < (size_t)declared) {
        http_add_header(r, "Connection", "close");
        return http_error(r, 400, "BAD_REQUEST", "request body ended after %zu of the %lld bytes of its Content-Length",
                          len, declared);
    }
    if (len > MOCK_MAX_BODY) {
        http_add_header(r, "Connection", "close");
        return http_error(r, 413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit of %d bytes", MOCK_MAX_BODY);
    }
    if (len && json_depth(r->raw, len) > JSON_MAX_DEPTH) /* also RAW_BODY: the scenario upload is JSON */
        return http_error(r, 400, "BAD_REQUEST", "request body nests deeper than %d levels", JSON_MAX_DEPTH);
    if (len && http_json_nul_escape(r->raw, len))
        return http_error(r, 400, "BAD_REQUEST", "a string in the request body contains \\u0000 (NUL)");
    if (len == 0 || (r->route->flags & RAW_BODY))
        return 0;
    if (memchr(r->raw, 0, len))
        return http_error(r, 400, "BAD_REQUEST", "request body contains a NUL byte");
    if (!util_utf8_valid(r->raw, len))
        return http_error(r, 400, "BAD_REQUEST", "request body is not valid UTF-8");
    const char *end = NULL;
    r->body = cJSON_ParseWithOpts(r->raw, &end, 1);
    if (!r->body) {
        size_t at = end ? (size_t)(end - r->raw) : 0;
        return http_error(r, 400, "BAD_REQUEST", "malformed JSON body at byte %zu", at);
    }
    return 0;
}

/* MEMO routes: answers from the memo when the store and the clock are where they were when the
 * body was rendered (returns 1); otherwise arms r so that the handler's 200 is kept (returns 0).
 * Auth, faults and the journal have run or will run as for any request: only the rendering is
 * saved. */
static int memo_answer(req *r, char *key, size_t n)
{
    if (r->m->opt.realtime) /* the clock moves every millisecond: a kept body would never be used */
        return 0;
    const char *qs = r->ri->query_string ? r->ri->query_string : "";
    /* tenant \n linked account \n path ? query, pieced with memcpy (cheaper than snprintf) */
    const char *parts[] = {r->t ? r->t->id : "", "\n", r->la, "\n", r->ri->local_uri, "?", qs};
    size_t len = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t l = strlen(parts[i]);
        if (len + l >= n)
            return 0;
        memcpy(key + len, parts[i], l);
        len += l;
    }
    key[len] = 0;
    /* generation first: what the handler then reads is at least that new */
    r->memo_gen = store_generation(r->m->store);
    r->memo_now_ms = clock_now_ms(r->m);
    const struct memo_body *b = memo_get(r->m->memo, key, r->memo_gen, r->memo_now_ms);
    if (!b) {
        r->memo_key = key;
        return 0;
    }
    size_t blen;
    const char *text = memo_body_text(b, &blen);
    http_send(r, 200, "application/json; charset=utf-8", text, blen);
    memo_release(b);
    return 1;
}

/* A JSON body checked against the spec's request schema: violations become a
 * Refold-Mock-Warning header and the journal entry's warnings, the answer unchanged (the real
 * API accepts them); with --strict they are a 400 instead (returns -1 then). */
static int check_spec(req *r)
{
    if (!r->body || !r->route->operation)
        return 0;
    cJSON *w = spec_check_body(r->route->operation, r->body);
    if (!w)
        return 0;
    char joined[1024] = "";
    const cJSON *m;
    cJSON_ArrayForEach(m, w) {
        size_t n = strlen(joined);
        snprintf(joined + n, sizeof joined - n, "%s%s", n ? "; " : "", m->valuestring);
    }
    for (char *c = joined; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?'; /* field names come from the client: nothing may break the header */
    char *text = json_print(w);
    if (strlen(text) < sizeof r->spec_warnings)
        util_copy(r->spec_warnings, sizeof r->spec_warnings, text);
    else
        util_copy(r->spec_warnings, sizeof r->spec_warnings, "[\"(too many to keep: see the Refold-Mock-Warning header)\"]");
    free(text);
    cJSON_Delete(w);
    if (r->m->opt.strict) {
        http_error(r, 400, "REQUEST_VALIDATION", "request body does not match the spec (--strict): %s", joined);
        return -1;
    }
    char header[320];
    snprintf(header, sizeof header, "%s", joined);
    if (strlen(joined) >= sizeof header)
        memcpy(header + sizeof header - 4, "...", 4);
    http_add_header(r, "Refold-Mock-Warning", header);
    return 0;
}

/* What happens to every answer just before it is written (see req.on_answer). */
static void on_answer(req *r, int status, const char *body, size_t len)
{
    long long took = util_mono_us() - r->started_us;
    if (r->journal)
        journal_record(r->m->journal, r, status, body, len, clock_now_ms(r->m), took);
    log_request(r, status, body, len, took);
    if (r->memo_key && status == 200 && body)
        memo_put(r->m->memo, r->memo_key, r->memo_gen, r->memo_now_ms, body, len);
}

/* Route match (step 9): r->route and r->param filled, or the refusal sent (returns its status). */
static int match_route(req *r, const char *method, const char *path)
{
    char allow[128];
    switch (routes_match(method, path, r, &r->route, allow, sizeof allow)) {
    case ROUTE_NO_PATH:
        return http_error(r, 404, "NOT_FOUND", "no route %s %s", method, path);
    case ROUTE_NO_METHOD:
        http_add_header(r, "Allow", allow);
        return http_error(r, 405, "METHOD_NOT_ALLOWED", "%s is not allowed on %s (allowed: %s)", method, path, allow);
    case ROUTE_PARAM_TOO_LONG:
        return http_error(r, 414, "URI_TOO_LONG", "a path parameter is longer than %d bytes", MOCK_ID_LEN - 1);
    case ROUTE_FOUND:
        break;
    }
    const char *use = routes_deprecated_use(r->route);
    if (use) { /* every answer of such a route says so, refusals included */
        char warning[200];
        snprintf(warning, sizeof warning, "deprecated, use %s", use);
        http_add_header(r, "Refold-Mock-Warning", warning);
    }
    return 0;
}

/* A sub-request's body (step 14 for it): parsed already; its bytes for the journal are the
 * client's when the caller has them, else printed (freed by subrequest). */
static int sub_body(req *r, const struct subcall *c)
{
    if (c->body && (r->route->flags & (RAW_BODY | FORM_BODY))) /* (no such caller: a bug if one appears) */
        return http_error(r, 500, "SERVER_ERROR", "%s %s reads its body's bytes: it cannot run inside another request",
                          c->method, c->path);
    r->body = (cJSON *)c->body; /* borrowed: the caller frees it */
    if (c->raw) {
        r->raw = (char *)c->raw;
        r->raw_len = c->raw_len;
    } else if (c->body) {
        r->raw = json_print(c->body);
        r->raw_len = r->raw ? strlen(r->raw) : 0;
    }
    return 0;
}

/* Steps 10 to 17 of a matched request, the same for one from the socket (c NULL) and a
 * sub-request (c: the identity its parent resolved and its parsed body): auth, clock scope,
 * scenario count, faults, body, spec check, memo, handler. The caller ends it (500 when nothing
 * was sent, scenario_request_end, the clock scope). */
static void run_route(req *r, const struct subcall *c)
{
    if ((c ? request_auth_inherit(r, c->t, c->la, c->via_token) : request_auth_resolve(r)) != 0)
        return;
    clock_scope(r->t); /* "now" in this request is its tenant's clock */
    scenario_request_begin(r); /* counts it for an after_requests step; paired with _end by the caller */
    if (answer_fault(r) != 0)
        return;
    if ((c ? sub_body(r, c) : read_body(r)) != 0 || check_spec(r) != 0)
        return;
    char memo_key[1024]; /* longer URLs are answered without the memo (the key is used before this returns) */
    if ((r->route->flags & MEMO) && memo_answer(r, memo_key, sizeof memo_key))
        return;
    if (!r->route->fn)
        http_error(r, 501, "NOT_IMPLEMENTED", "%s (%s %s) is not built in refold-mock yet (GET /__mock/routes lists what is)",
                   r->route->operation, r->route->method, r->route->pattern);
    else
        r->route->fn(r);
}

static int serve(req *r);
static int subrequest(req *parent, struct subcall *c);

static int dispatch(struct mg_connection *conn, void *cbdata)
{
    struct mock *m = cbdata;
    req rq; /* on the stack: a 2 KB heap block per request made malloc consolidate its bins */
    memset(&rq, 0, sizeof rq);
    req *r = &rq;
    r->m = m;
    r->conn = conn;
    r->on_answer = on_answer;
    r->subrequest = subrequest;
    r->started_us = util_mono_us();
    r->ri = mg_get_request_info(conn);
    new_request_id(r->m, r->request_id);
    store_take_write_failure(); /* only this request's writes count (see http_send) */
    __atomic_add_fetch(&m->in_flight, 1, __ATOMIC_ACQ_REL);
    int status = serve(r);
    __atomic_sub_fetch(&m->in_flight, 1, __ATOMIC_ACQ_REL);
    return status;
}

/* dispatch's walk (see mock/README.md, "Follow a request"). */
static int serve(req *r)
{
    struct mock *m = r->m;
    if (__atomic_load_n(&m->stopping, __ATOMIC_ACQUIRE)) { /* see server_drain */
        http_add_header(r, "Connection", "close");
        http_add_header(r, "Retry-After", "1");
        http_error(r, 503, "SERVICE_UNAVAILABLE", "the mock is stopping: requests in flight are answered, new ones are not served");
        no_keep_alive(r);
        return r->status;
    }

    const char *method = r->ri->request_method;
    if (check_framing(r) != 0)
        return r->status;
    if (__atomic_load_n(&m->busy_workers, __ATOMIC_RELAXED) >= KEEP_ALIVE_MAX)
        http_add_header(r, "Connection", "close"); /* see WORKERS */
    if (!strcmp(method, "OPTIONS")) {
        const char *target = r->ri->local_uri ? r->ri->local_uri : "/";
        if (gate(r, target) == 0) { /* (a refusal was logged on its way out, see on_answer) */
            preflight(r);
            log_request(r, 204, NULL, 0, util_mono_us() - r->started_us);
        }
        return r->status;
    }
    r->journal = 1; /* every other request is listed in /__mock/requests (see on_answer) */
    const char *mark = http_header(r, WEBHOOKS_MARK_HEADER);
    if (mark && !strcmp(mark, m->delivery_mark)) /* a webhook URL that reached the mock after all */
        return http_error(r, 508, "LOOP_DETECTED", "this request is one of this mock's own webhook deliveries (header %s): "
                          "a subscription's URL leads back to the mock, and serving it would feed the mock its own events",
                          WEBHOOKS_MARK_HEADER);
    char allow[128];
    /* (on the heap: CivetWeb's worker stacks are 100 KB and the handler still has to run) */
    size_t pathcap = strlen(r->ri->local_uri ? r->ri->local_uri : "/") + 1;
    char *path = malloc(pathcap < 2 ? 2 : pathcap);
    if (check_head(r, path, pathcap) != 0 || gate(r, path) != 0)
        goto out;
    r->path = path;
    if (proxy_wanted(m, path)) { /* proxy mode: the upstream answers; the row only names it */
        if (routes_match(method, path, r, &r->route, allow, sizeof allow) != ROUTE_FOUND)
            r->route = NULL;
        int proxied = proxy_forward(r);
        free(path);
        free(r->param_mem);
        return proxied;
    }
    if (match_route(r, method, path) == 0)
        run_route(r, NULL);
out:
    if (!r->status) /* a handler that forgot to answer is a bug: still never leave the client hanging */
        http_error(r, 500, "SERVER_ERROR", "the handler sent no response");
    if (strstr(r->extra_headers, "Connection: close")) /* what the answer told the client, CivetWeb does */
        no_keep_alive(r);
    scenario_request_end(r); /* the Nth matching request is answered: its step fires now */
    clock_scope(NULL);
    int status = r->status;
    free(path);
    free(r->param_mem);
    cJSON_Delete(r->body);
    free(r->raw);
    return status;
}

/* How deep sub-requests may nest (a tool call's action is one level): a route that ran itself
 * would otherwise recurse until the worker's stack ran out. */
#define SUBREQUEST_DEPTH 4

/* A request inside parent (struct subcall, mock.h): serve()'s own steps from the route match on
 * (match_route, run_route), with what the socket gave serve() taken from the parent (its
 * connection's headers, its resolved identity) and the answer captured for the caller (http.c)
 * instead of written. It has its own id, <parent's id>.<n>, and its own journal entry, which
 * names the parent (parent_request_id). Head checks, the gate, framing and the body's byte
 * checks were the parent's: c's body is already parsed. (Redis runs its internal commands
 * through call() the same way: one path, so every step applies once and the same way.) */
static int subrequest(req *parent, struct subcall *c)
{
    int depth = 1;
    for (const req *p = parent; p->parent; p = p->parent)
        depth++;
    struct mg_request_info ri = *parent->ri; /* the parent's headers; this request's line */
    ri.request_method = c->method;
    ri.local_uri = c->path;
    ri.query_string = c->query;
    req sub;
    memset(&sub, 0, sizeof sub);
    sub.m = parent->m;
    sub.conn = parent->conn;
    sub.ri = &ri;
    sub.path = c->path;
    sub.no_cors = parent->no_cors;
    sub.on_answer = on_answer;
    sub.subrequest = subrequest;
    sub.started_us = util_mono_us();
    sub.capture = 1;
    sub.parent = parent;
    sub.journal = 1;
    snprintf(sub.request_id, sizeof sub.request_id, "%.24s.%d", parent->request_id, ++parent->nsub % 1000);
    const struct tenant *scoped = clock_scoped();
    if (depth > SUBREQUEST_DEPTH)
        http_error(&sub, 508, "LOOP_DETECTED", "sub-requests nested more than %d deep (%s %s)", SUBREQUEST_DEPTH, c->method,
                   c->path);
    else if (match_route(&sub, c->method, c->path) == 0)
        run_route(&sub, c);
    if (!sub.status)
        http_error(&sub, 500, "SERVER_ERROR", "the handler sent no response");
    scenario_request_end(&sub);
    clock_scope(scoped);
    c->status = sub.status;
    c->answer = sub.captured;
    c->answer_len = sub.captured_len;
    c->answer_json = sub.captured_json;
    util_copy(c->type, sizeof c->type, sub.captured_type);
    util_copy(c->headers, sizeof c->headers, sub.extra_headers);
    free(sub.param_mem);
    if (!c->raw && sub.raw) /* printed by sub_body */
        free(sub.raw);
    return c->status;
}

/* CivetWeb's own errors (oversized headers, bad request lines, timeouts) in Refold's envelope. */
static int on_http_error(struct mg_connection *conn, int status, const char *msg)
{
    req r;
    bare_req(&r, conn);
    const char *why = msg && *msg ? msg : http_reason(status);
    if (status == 413 && r.ri && r.ri->request_method == NULL)
        status = 431; /* CivetWeb says 413 when the header block is too large */
    /* With no request line parsed, CivetWeb says 400 "Malformed message" alike for bytes it cannot
     * parse, a head still incomplete when request_timeout_ms ran out, and a head larger than
     * max_request_size: name all three (check_head gives the exact 414/431 below that size). */
    if (status == 400 && r.ri && r.ri->request_method == NULL)
        why = "malformed request, request head incomplete after " REQUEST_TIMEOUT_MS " ms, or request line and headers "
              "larger than " MAX_HEAD_HARD " bytes";
    http_error(&r, status, http_error_type(status), "%s", why);
    mg_set_user_connection_data(conn, &answered_by_civetweb); /* (see answer_dropped) */
    return 0;
}

int server_start(struct mock *m, char *err, size_t errlen)
{
    char ports[300], threads[16];
    snprintf(ports, sizeof ports, strchr(m->host, ':') ? "[%s]:%d" : "%s:%d", m->host, m->opt.port);
    const char *w = getenv("REFOLD_MOCK_WORKERS");
    __atomic_store_n(&workers, w && atoi(w) >= 16 && atoi(w) <= WORKERS ? atoi(w) : WORKERS, __ATOMIC_RELAXED);
    snprintf(threads, sizeof threads, "%d", __atomic_load_n(&workers, __ATOMIC_RELAXED));
    const char *options[] = {
        "listening_ports", ports,
        "num_threads", threads,
        /* A CI run's workers all connect at the same moment: with CivetWeb's backlog of 200, the
         * 201st SYN was dropped and its client waited out TCP's 1 s retransmit. */
        "listen_backlog", LISTEN_BACKLOG,
        "connection_queue", LISTEN_BACKLOG,
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", "15000",
        "tcp_nodelay", "1",             /* without it keep-alive responses stall 40 ms (Nagle) */
        "request_timeout_ms", REQUEST_TIMEOUT_MS,
        "max_request_size", MAX_HEAD_HARD, /* CivetWeb's hard limit; check_head() enforces the real ones */
        "decode_url", "no",             /* check_head() decodes: it must see an encoded NUL */
        /* An absolute-form target (GET http://host:port/path) naming this port is served as its
         * path, as RFC 9112 asks of a server; with the check on, CivetWeb dropped every one whose
         * host was not its authentication_domain. gate() reads the host from the target then. */
        "enable_auth_domain_check", "no",
        /* CivetWeb answers CORS preflights itself unless these are empty, with 200, a bare "*"
         * and only the asked method: preflight() must see them to answer for the SDK. */
        "access_control_allow_methods", "",
        "access_control_allow_origin", "",
        NULL};
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.http_error = on_http_error;
    cb.init_connection = on_connection_start;
    cb.connection_close = on_connection_end;
    struct mg_init_data init = {&cb, m, options};
    struct mg_error_data errdata;
    char msg[256] = "";
    memset(&errdata, 0, sizeof errdata);
    errdata.text = msg;
    errdata.text_buffer_size = sizeof msg;
    m->ctx = mg_start2(&init, &errdata);
    if (!m->ctx) {
        snprintf(err, errlen, "cannot listen on %s: %s", ports, msg[0] ? msg : "unknown error");
        return -1;
    }
    mg_set_request_handler(m->ctx, "/", dispatch, m);
    struct mg_server_port sp[4];
    int n = mg_get_server_ports(m->ctx, 4, sp);
    m->port = n > 0 ? sp[0].port : m->opt.port;
    return 0;
}

/* Once CivetWeb's stop flag is up it writes nothing more (its send loop checks the flag): a
 * write in flight was committed and its client got no answer, and a client retrying it applied
 * it twice. So a stop first waits, at most ms, for the requests in flight to be answered: new
 * requests get 503 meanwhile (serve), wait_ms waiters 503 (admin_wait_timeout), and a long
 * clock advance gives up between two timers (clock_stopping). m->stopping is already set. */
void server_drain(struct mock *m, int ms)
{
    long long until = util_mono_us() + (long long)ms * 1000;
    while (__atomic_load_n(&m->in_flight, __ATOMIC_ACQUIRE) > 0 && util_mono_us() < until) {
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* CivetWeb's accept thread polls its listening socket in 2 s slices and looks at the stop flag
 * only between them, so a bare mg_stop() takes up to 2 s (every test binary paid it). While
 * mg_stop() runs, this thread knocks on the listening port: the poll returns at once, the
 * accept thread sees the flag, and stopping takes a few ms. */
struct knocker {
    struct mock *m;
    int done;              /* set (atomically) once mg_stop() has returned */
};

static void *knock(void *arg)
{
    struct knocker *k = arg;
    int v6 = strchr(k->m->host, ':') != NULL;
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((unsigned short)k->m->port);
        if (!strcmp(k->m->host, "::") || inet_pton(AF_INET6, k->m->host, &a->sin6_addr) != 1)
            a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((unsigned short)k->m->port);
        if (!strcmp(k->m->host, "0.0.0.0") || inet_pton(AF_INET, k->m->host, &a->sin_addr) != 1)
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    for (int i = 0; i < 400 && !__atomic_load_n(&k->done, __ATOMIC_ACQUIRE); i++) { /* gives up after ~2 s: then mg_stop ends anyway */
        struct timespec ts = {0, 5 * 1000000L};
        nanosleep(&ts, NULL);
        int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            continue;
        connect(fd, (struct sockaddr *)&ss, len);
        close(fd);
    }
    return NULL;
}

void server_stop(struct mock *m)
{
    if (!m->ctx)
        return;
    struct knocker k = {m, 0};
    pthread_t th;
    int knocking = m->port > 0 && pthread_create(&th, NULL, knock, &k) == 0;
    mg_stop(m->ctx);
    __atomic_store_n(&k.done, 1, __ATOMIC_RELEASE);
    if (knocking)
        pthread_join(th, NULL);
    m->ctx = NULL;
}
