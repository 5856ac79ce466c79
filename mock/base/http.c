/* http.c: the response writers (JSON, envelope, CORS headers) and request readers (headers, query). */
#define _GNU_SOURCE /* memmem */
#include "base/http.h"
#include "base/json.h"
#include "base/pattern.h"
#include "base/store.h"
#include "base/util.h"

#include <civetweb.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *http_reason(int status) { return util_status_reason(status); }

const char *http_error_type(int status)
{
    switch (status) {
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 408: return "REQUEST_TIMEOUT";
    case 409: return "CONFLICT";
    case 410: return "GONE";
    case 411: return "LENGTH_REQUIRED";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 414: return "URI_TOO_LONG";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 417: return "EXPECTATION_FAILED";
    case 421: return "MISDIRECTED_REQUEST";
    case 422: return "UNPROCESSABLE_ENTITY";
    case 424: return "FAILED_DEPENDENCY";
    case 429: return "TOO_MANY_REQUESTS";
    case 431: return "REQUEST_HEADER_FIELDS_TOO_LARGE";
    case 501: return "NOT_IMPLEMENTED";
    case 502: return "BAD_GATEWAY";
    case 503: return "SERVICE_UNAVAILABLE";
    case 504: return "GATEWAY_TIMEOUT";
    case 508: return "LOOP_DETECTED";
    case 505: return "HTTP_VERSION_NOT_SUPPORTED";
    default: return status >= 500 ? "INTERNAL_SERVER_ERROR" : "ERROR";
    }
}

void http_add_header(req *r, const char *name, const char *value)
{
    size_t used = strlen(r->extra_headers);
    snprintf(r->extra_headers + used, sizeof r->extra_headers - used, "%s: %s\r\n", name, value);
}

/* Every response carries CORS headers: the SDK runs on the product's origin, not the mock's. */
static void write_cors(req *r, char *buf, size_t n)
{
    const char *origin = http_header(r, "Origin");
    if (r->no_cors)
        *buf = 0;
    else if (origin && *origin && !strpbrk(origin, "\r\n"))
        snprintf(buf, n,
                 "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\nAccess-Control-Allow-Credentials: true\r\n"
                 "Access-Control-Expose-Headers: Retry-After, X-Request-Id, Refold-Mock-Warning\r\n", origin);
    else
        util_copy(buf, n, "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: Retry-After, X-Request-Id, Refold-Mock-Warning\r\n");
}

/* Appends s at *pos when it fits; *pos counts what would have been written, as snprintf does. */
static void put(char *buf, size_t n, size_t *pos, const char *s)
{
    size_t l = strlen(s);
    if (*pos + l < n)
        memcpy(buf + *pos, s, l);
    *pos += l;
}

/* The head's fixed-size start is one snprintf, the rest is appended with memcpy: one snprintf
 * of it all (with the CORS block and the extra headers) cost a tenth of a read route's own work.
 * Returns its length (the length it would have, when n is too small). */
static int format_head(req *r, char *buf, size_t n, int status, const char *content_type, size_t len, const char *cors)
{
    int first = snprintf(buf, n, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nX-Request-Id: ",
                         status, http_reason(status), content_type, len);
    if (first < 0)
        return -1;
    size_t pos = (size_t)first;
    put(buf, n, &pos, r->request_id);
    put(buf, n, &pos, "\r\nCache-Control: no-store\r\n");
    put(buf, n, &pos, cors);
    put(buf, n, &pos, r->extra_headers);
    put(buf, n, &pos, "\r\n");
    if (n)
        buf[pos < n ? pos : n - 1] = 0;
    return pos > INT_MAX ? -1 : (int)pos;
}

int http_send(req *r, int status, const char *content_type, const char *body, size_t len)
{
    if (status < 400 && store_take_write_failure()) /* a write of this request failed: no success */
        return http_error(r, 500, "SERVER_ERROR", "the database refused a write; the request did not complete");
    if (r->capture) {
        free(r->captured);
        r->captured = malloc(len + 1);
        memcpy(r->captured, body ? body : "", body ? len : 0);
        r->captured[body ? len : 0] = 0;
        r->captured_len = body ? len : 0;
        r->captured_json = 0; /* (http_json says otherwise) */
        util_copy(r->captured_type, sizeof r->captured_type, content_type);
        r->status = status;
        if (r->on_answer) /* a sub-request is journaled too (server.c) */
            r->on_answer(r, status, r->captured, r->captured_len);
        return status;
    }
    char cors[512];
    write_cors(r, cors, sizeof cors);
    /* Header block and body leave in one write: a second write costs a second syscall and TCP
     * segment per response, a fifth of the time of a small read route (see the benchmarks in tests/README.md). */
    /* (CivetWeb's own errors may come before any request line was parsed: no method then) */
    int head_only = r->ri && r->ri->request_method && !strcmp(r->ri->request_method, "HEAD");
    size_t body_len = head_only ? 0 : len;
    char stackbuf[4096], *buf = stackbuf; /* handlers run on 100 KB stacks */
    int hl = format_head(r, stackbuf, sizeof stackbuf, status, content_type, len, cors);
    if (hl < 0)
        hl = 0;
    if ((size_t)hl + body_len >= sizeof stackbuf) {
        buf = malloc((size_t)hl + body_len + 1);
        if ((size_t)hl >= sizeof stackbuf)
            format_head(r, buf, (size_t)hl + 1, status, content_type, len, cors);
        else
            memcpy(buf, stackbuf, (size_t)hl);
    }
    if (body_len)
        memcpy(buf + hl, body, body_len);
    r->status = status;
    /* The dispatcher's hook (journal, memo) runs before the answer leaves: a client that reads
     * /__mock/requests right after its response finds its request there. */
    if (r->on_answer)
        r->on_answer(r, status, body_len ? body : NULL, body_len);
    mg_write(r->conn, buf, (size_t)hl + body_len);
    if (buf != stackbuf)
        free(buf);
    r->status = status;
    return status;
}

int http_subrequest(req *r, struct subcall *c)
{
    c->status = 0;
    c->answer = NULL;
    c->answer_len = 0;
    c->type[0] = c->headers[0] = 0;
    if (!r->subrequest) /* (a request the dispatcher did not make: no answer, see http_relay) */
        return c->status = 500;
    return r->subrequest(r, c);
}

int http_relay(req *r, struct subcall *c)
{
    if (!c->answer)
        return http_error(r, 500, "SERVER_ERROR", "the request run inside this one gave no answer");
    size_t used = strlen(r->extra_headers);
    util_copy(r->extra_headers + used, sizeof r->extra_headers - used, c->headers);
    int rc = http_send(r, c->status, c->type[0] ? c->type : "application/json; charset=utf-8", c->answer, c->answer_len);
    free(c->answer);
    c->answer = NULL;
    return rc;
}

int http_json(req *r, int status, cJSON *value)
{
    /* Start with room for a typical response: cJSON grows its buffer by reallocating. */
    char *text = cJSON_PrintBuffered(value, 8192, 0);
    cJSON_Delete(value);
    if (!text)
        return http_error(r, 500, "SERVER_ERROR", "could not encode the response");
    size_t len = strlen(text);
    http_send(r, status, "application/json; charset=utf-8", text, len);
    r->captured_json = r->capture;
    free(text);
    return status;
}

/* The one place an error body is built: every variant below lands here. */
int http_error_env(req *r, int status, const char *type, const char *error_code, const char *error,
                   const char *message, const char *hint)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "status_code", status);
    cJSON_AddStringToObject(e, "http_error_type", type ? type : http_error_type(status));
    cJSON_AddStringToObject(e, "error_code", error_code);
    /* Refold's services name the code "error" on most routes and "error_code" on a few:
     * both are sent so clients written against either read it. */
    cJSON_AddStringToObject(e, "error", error ? error : error_code);
    cJSON_AddStringToObject(e, "message", message);
    /* The documented fields stay verbatim (clients match on them); help for the developer
     * goes here only. */
    if (hint && *hint)
        cJSON_AddStringToObject(e, "hint", hint);
    cJSON_AddStringToObject(e, "request_id", r->request_id);
    char *text = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    http_send(r, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
    return status;
}

/* fmt printed into buf, or into a malloc'd string when it does not fit: a message may quote
 * an id of up to 2 KiB (MOCK_ID_LEN) and must not be cut. Free the result when it is not buf. */
static char *print_fit(char *buf, size_t n, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int need = vsnprintf(buf, n, fmt, ap);
    char *big = need >= (int)n ? malloc((size_t)need + 1) : NULL;
    if (big)
        vsnprintf(big, (size_t)need + 1, fmt, again);
    va_end(again);
    return big ? big : buf;
}

int http_error(req *r, int status, const char *error_code, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    char *message = print_fit(buf, sizeof buf, fmt, ap);
    va_end(ap);
    int rc = http_error_env(r, status, NULL, error_code, NULL, message, NULL);
    if (message != buf)
        free(message);
    return rc;
}

int http_error_hint(req *r, int status, const char *error_code, const char *message, const char *hint_fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, hint_fmt);
    char *hint = print_fit(buf, sizeof buf, hint_fmt, ap);
    va_end(ap);
    int rc = http_error_env(r, status, NULL, error_code, NULL, message, hint);
    if (hint != buf)
        free(hint);
    return rc;
}

const char *http_header(req *r, const char *name)
{
    return mg_get_header(r->conn, name);
}

int http_query(req *r, const char *name, char *out, size_t n)
{
    const char *qs = r->ri->query_string;
    if (!qs)
        return 0;
    return mg_get_var(qs, strlen(qs), name, out, n) >= 0;
}

cJSON *http_query_object(req *r)
{
    cJSON *out = cJSON_CreateObject();
    const char *qs = r->ri->query_string;
    if (!qs || !*qs)
        return out;
    char *copy = strdup(qs);
    struct mg_header kv[64];
    int n = copy ? mg_split_form_urlencoded(copy, kv, 64) : 0;
    for (int i = 0; i < n; i++)
        if (kv[i].name && *kv[i].name)
            json_set(out, kv[i].name, cJSON_CreateString(kv[i].value ? kv[i].value : ""));
    free(copy);
    return out;
}

int http_query_int(req *r, const char *name, long def, long min, long max, long *out)
{
    char buf[32], *end;
    if (!http_query(r, name, buf, sizeof buf) || !*buf) {
        *out = def;
        return 0;
    }
    long v = strtol(buf, &end, 10);
    if (*end || v < min || v > max) {
        http_error(r, 400, "BAD_REQUEST", "query parameter %s must be an integer from %ld to %ld", name, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int http_query_pattern(req *r, const char *name, struct pattern *p)
{
    const char *qs = r->ri->query_string;
    if (!qs)
        return 0;
    size_t n = strlen(qs) + 1; /* a decoded value is never longer than the query */
    char *v = malloc(n), err[512];
    int got = mg_get_var(qs, n - 1, name, v, n) > 0, rc = 0;
    if (got && pattern_compile(p, v, err, sizeof err) != 0) {
        char message[600];
        snprintf(message, sizeof message, "%s: %s", name, err);
        http_error_hint(r, 400, "BAD_REQUEST", message, "%s", PATTERN_LIMITS_HINT);
        rc = -1;
    } else if (got) {
        rc = 1;
    }
    free(v);
    return rc;
}

int http_json_nul_escape(const char *s, size_t n)
{
    if (!memmem(s, n, "u0000", 5)) /* the common case: one fast scan */
        return 0;
    int in_string = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = 0;
        } else if (s[i] == '\\') {
            if (i + 5 < n && !memcmp(s + i + 1, "u0000", 5))
                return 1;
            i++; /* the escaped character, a backslash included */
        }
    }
    return 0;
}

void http_add_pagination(cJSON *obj, int total, int page, int limit)
{
    int pages = limit > 0 ? (total + limit - 1) / limit : 1;
    if (pages < 1)
        pages = 1;
    cJSON_AddNumberToObject(obj, "totalDocs", total);
    cJSON_AddNumberToObject(obj, "limit", limit);
    cJSON_AddNumberToObject(obj, "page", page);
    cJSON_AddNumberToObject(obj, "totalPages", pages);
    cJSON_AddBoolToObject(obj, "hasNextPage", page < pages);
    cJSON_AddBoolToObject(obj, "hasPrevPage", page > 1);
    if (page < pages)
        cJSON_AddNumberToObject(obj, "nextPage", page + 1);
    else
        cJSON_AddNullToObject(obj, "nextPage");
    if (page > 1)
        cJSON_AddNumberToObject(obj, "prevPage", page - 1);
    else
        cJSON_AddNullToObject(obj, "prevPage");
    cJSON_AddNumberToObject(obj, "pagingCounter", (page - 1) * limit + 1);
}

int http_need_object(req *r)
{
    if (cJSON_IsObject(r->body))
        return 1;
    http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object");
    return 0;
}

const char *http_body_str(req *r, const char *key)
{
    if (!http_need_object(r))
        return NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, key);
    if (cJSON_IsString(v) && *v->valuestring)
        return v->valuestring;
    /* (the pages code a missing field SERVER_ERROR: datarefs/create-dataref, ...) */
    http_error(r, 400, v ? "BAD_REQUEST" : "SERVER_ERROR", v ? "%s must be a non-empty string" : "%s is required", key);
    return NULL;
}

static const cJSON *body_member(req *r, const char *key, cJSON_bool (*is)(const cJSON *), const char *what)
{
    if (!http_need_object(r))
        return NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->body, key);
    if (v && is(v))
        return v;
    if (v)
        http_error(r, 400, "BAD_REQUEST", "%s must be %s", key, what);
    else
        http_error(r, 400, "SERVER_ERROR", "%s is required", key);
    return NULL;
}

const cJSON *http_body_obj(req *r, const char *key) { return body_member(r, key, cJSON_IsObject, "an object"); }
const cJSON *http_body_array(req *r, const char *key) { return body_member(r, key, cJSON_IsArray, "an array"); }

int http_no_linked_account(req *r)
{
    return http_error(r, 404, "INVALID_LINKED_ACCOUNT_ID", "No linked account found for account id : %s in environment %s",
                      r->la, r->t->environment);
}
