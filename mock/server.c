/* server.c: CivetWeb's lifecycle and the one entry point every request goes through:
 * preflight, route match, injected faults, auth, body, handler, journal. */
#include "auth.h"
#include "faults.h"
#include "http.h"
#include "journal.h"
#include "routes.h"
#include "server.h"
#include "util.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int preflight(req *r)
{
    const char *origin = http_header(r, "Origin");
    const char *asked = http_header(r, "Access-Control-Request-Headers");
    char headers[512];
    /* Echo what the browser asks for on top of the headers the API and SDK use. */
    snprintf(headers, sizeof headers, "authorization, content-type, x-api-key, linked_account_id, slug%s%s",
             asked && *asked && !strpbrk(asked, "\r\n") ? ", " : "", asked && !strpbrk(asked, "\r\n") ? asked : "");
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

/* Reads the body up to the limit. Returns 0, or the error status it answered. */
static int read_body(req *r)
{
    long long declared = r->ri->content_length;
    if (declared > MOCK_MAX_BODY) {
        http_add_header(r, "Connection", "close");
        return http_error(r, 413, "PAYLOAD_TOO_LARGE", "request body is %lld bytes; the limit is %d bytes",
                          declared, MOCK_MAX_BODY);
    }
    if (declared == 0)
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
    if (len > MOCK_MAX_BODY) {
        http_add_header(r, "Connection", "close");
        return http_error(r, 413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit of %d bytes", MOCK_MAX_BODY);
    }
    if (len == 0 || (r->route->auth & RAW_BODY))
        return 0;
    if (memchr(r->raw, 0, len))
        return http_error(r, 400, "BAD_REQUEST", "request body contains a NUL byte");
    const char *end = NULL;
    r->body = cJSON_ParseWithOpts(r->raw, &end, 1);
    if (!r->body) {
        size_t at = end ? (size_t)(end - r->raw) : 0;
        return http_error(r, 400, "BAD_REQUEST", "malformed JSON body at byte %zu", at);
    }
    return 0;
}

static int dispatch(struct mg_connection *conn, void *cbdata)
{
    struct mock *m = cbdata;
    long long started = mono_us();
    req *r = calloc(1, sizeof *r);
    r->m = m;
    r->conn = conn;
    r->ri = mg_get_request_info(conn);
    memcpy(r->request_id, "req_", 4);
    util_random_hex(r->request_id + 4, 8);

    const char *method = r->ri->request_method;
    if (!strcmp(method, "OPTIONS")) {
        preflight(r);
        free(r);
        return 204;
    }
    char allow[128];
    switch (routes_match(method, r->ri->local_uri, r, &r->route, allow, sizeof allow)) {
    case ROUTE_NO_PATH:
        http_error(r, 404, "NOT_FOUND", "no route %s %s", method, r->ri->local_uri);
        goto out;
    case ROUTE_NO_METHOD:
        http_add_header(r, "Allow", allow);
        http_error(r, 405, "METHOD_NOT_ALLOWED", "%s is not allowed on %s (allowed: %s)", method, r->ri->local_uri, allow);
        goto out;
    case ROUTE_PARAM_TOO_LONG:
        http_error(r, 414, "URI_TOO_LONG", "a path parameter is longer than %d bytes", MOCK_ID_LEN - 1);
        goto out;
    case ROUTE_FOUND:
        break;
    }
    if (auth_resolve(r) != 0)
        goto out;
    if (faults_apply(r) != 0)
        goto out;
    if (read_body(r) != 0)
        goto out;
    if (!r->route->fn)
        http_error(r, 501, "NOT_IMPLEMENTED", "%s (%s %s) is not built in refold-mock yet; see the README's coverage table",
                   r->route->operation, r->route->method, r->route->pattern);
    else
        r->route->fn(r);
out:
    if (!r->status) /* a handler that forgot to answer is a bug: still never leave the client hanging */
        http_error(r, 500, "SERVER_ERROR", "the handler sent no response");
    journal_record(m->journal, r, clock_now_ms(m), mono_us() - started);
    int status = r->status;
    cJSON_Delete(r->body);
    free(r->raw);
    free(r);
    return status;
}

/* CivetWeb's own errors (oversized headers, bad request lines, timeouts) in Refold's envelope. */
static int on_http_error(struct mg_connection *conn, int status, const char *msg)
{
    req r;
    memset(&r, 0, sizeof r);
    r.conn = conn;
    r.ri = mg_get_request_info(conn);
    memcpy(r.request_id, "req_", 4);
    util_random_hex(r.request_id + 4, 8);
    if (status == 413 && r.ri && r.ri->request_method == NULL)
        status = 431; /* CivetWeb says 413 when the header block is too large */
    http_error(&r, status, http_error_type(status), "%s", msg && *msg ? msg : http_reason(status));
    return 0;
}

int server_start(struct mock *m, char *err, size_t errlen)
{
    char ports[300], threads[16];
    snprintf(ports, sizeof ports, strchr(m->host, ':') ? "[%s]:%d" : "%s:%d", m->host, m->opt.port);
    snprintf(threads, sizeof threads, "%d", 48);
    const char *options[] = {
        "listening_ports", ports,
        "num_threads", threads,
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", "15000",
        "tcp_nodelay", "1",             /* without it keep-alive responses stall 40 ms (Nagle) */
        "request_timeout_ms", "10000",  /* a slow client cannot hold a worker forever */
        "max_request_size", "32768",    /* header block limit: larger gets 431 */
        "decode_url", "yes",
        NULL};
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.http_error = on_http_error;
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

void server_stop(struct mock *m)
{
    if (m->ctx)
        mg_stop(m->ctx);
    m->ctx = NULL;
}
