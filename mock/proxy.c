/* proxy.c: forwards a public-API request upstream with libcurl and passes the answer back as it came. */
#include "base/json.h"
#include "base/curl_lazy.h" /* (libcurl is opened on first use) */
#include "proxy.h"
#include "base/http.h"
#include "engine/mask.h"
#include "recording.h"
#include "base/util.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* One easy handle per CivetWeb worker, reused: libcurl keeps the upstream connection alive
 * between requests, which is most of the proxy's overhead budget (tests/bench/proxy_bench.c). */
static pthread_key_t easy_key;
static pthread_once_t easy_once = PTHREAD_ONCE_INIT;
static void easy_free(void *e) { curl_easy_cleanup(e); }
static void easy_key_init(void)
{
    curl_lazy_ready(); /* loads and initialises libcurl once */
    pthread_key_create(&easy_key, easy_free);
}

static CURL *thread_easy(void)
{
    CURL *e = pthread_getspecific(easy_key);
    if (e) {
        curl_easy_reset(e); /* options go, the connection cache stays */
        return e;
    }
    e = curl_easy_init();
    pthread_setspecific(easy_key, e);
    return e;
}

int proxy_start(struct mock *m, char *err, size_t errlen)
{
    const char *u = m->opt.upstream;
    if (!u || !*u)
        return 0;
    if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) {
        snprintf(err, errlen, "upstream '%.200s': must start with http:// or https://", u);
        return -1;
    }
    if (m->opt.upstream_timeout_ms <= 0)
        m->opt.upstream_timeout_ms = 30000;
    pthread_once(&easy_once, easy_key_init);
    m->upstream = strdup(u);
    size_t n = strlen(m->upstream);
    while (n && m->upstream[n - 1] == '/')
        m->upstream[--n] = 0;
    if (m->opt.record_dir && *m->opt.record_dir &&
        !(m->recording = recording_open(m->opt.record_dir, m->upstream, err, errlen)))
        return -1;
    return 0;
}

void proxy_stop(struct mock *m)
{
    recording_close(m->recording);
    m->recording = NULL;
    free(m->upstream);
    m->upstream = NULL;
}

int proxy_wanted(const struct mock *m, const char *path)
{
    return m->upstream && strncmp(path, "/__mock", 7) && strncmp(path, "/connect/", 9) && strncmp(path, "/oauth/", 7);
}

/* Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, not to the answer; Host and
 * Content-Length are the proxy's to set on each side. */
static int hop_by_hop(const char *name, size_t n)
{
    static const char *const names[] = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
                                        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
                                        "host", "content-length", "expect", NULL};
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == n && !strncasecmp(name, names[i], n))
            return 1;
    return 0;
}

/* 1 when a Connection header value (a comma-separated list) names this header: the sender
 * declared it hop-by-hop too. */
static int named_by(const char *connection, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = connection; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',' && *end != ' ' && *end != '\t')
            end++;
        if ((size_t)(end - p) == nl && !strncasecmp(p, name, nl))
            return 1;
        p = end;
    }
    return 0;
}

struct buf {
    char *p;
    size_t len, cap;
    int too_big;
};

static int buf_add(struct buf *b, const char *s, size_t n, size_t limit)
{
    if (b->len + n > limit) {
        b->too_big = 1;
        return -1;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

struct answer {
    int status;
    char reason[64];
    cJSON *headers;  /* [[name, value], ...] as they came */
    struct buf body;
    char length[24]; /* the upstream's Content-Length: a HEAD answer keeps it */
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct answer *a = ud;
    return buf_add(&a->body, p, size * n, PROXY_MAX_ANSWER) == 0 ? size * n : 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct answer *a = ud;
    size_t len = size * n;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    if (len >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new status line (after a 1xx): start over */
        cJSON_Delete(a->headers);
        a->headers = cJSON_CreateArray();
        const char *sp = memchr(p, ' ', len);
        a->status = sp ? atoi(sp + 1) : 0;
        const char *sp2 = sp ? memchr(sp + 1, ' ', len - (size_t)(sp + 1 - p)) : NULL;
        size_t rl = sp2 ? len - (size_t)(sp2 + 1 - p) : 0;
        snprintf(a->reason, sizeof a->reason, "%.*s", (int)(rl < sizeof a->reason ? rl : sizeof a->reason - 1),
                 sp2 ? sp2 + 1 : "");
        return size * n;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || colon == p)
        return size * n;
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1;
    while (v < p + len && (*v == ' ' || *v == '\t'))
        v++;
    size_t vl = (size_t)(p + len - v);
    char name[128], *value = malloc(vl + 1);
    snprintf(name, sizeof name, "%.*s", (int)(nl < sizeof name ? nl : sizeof name - 1), p);
    memcpy(value, v, vl);
    value[vl] = 0;
    cJSON *pair = cJSON_CreateArray();
    cJSON_AddItemToArray(pair, cJSON_CreateString(name));
    cJSON_AddItemToArray(pair, cJSON_CreateString(value));
    cJSON_AddItemToArray(a->headers, pair);
    free(value);
    if (nl == 14 && !strncasecmp(p, "content-length", 14))
        snprintf(a->length, sizeof a->length, "%.*s", (int)(vl < sizeof a->length ? vl : sizeof a->length - 1), v);
    return size * n;
}

/* The request body, whole (CivetWeb de-chunks); -1 after answering 413 or 400. */
static int read_request_body(req *r, struct buf *b)
{
    char chunk[8192];
    for (;;) {
        int got = mg_read(r->conn, chunk, sizeof chunk);
        if (got < 0)
            return http_error(r, 400, "BAD_REQUEST", "the request body could not be read"), -1;
        if (got == 0)
            return 0;
        if (buf_add(b, chunk, (size_t)got, MOCK_MAX_BODY) != 0)
            return http_error(r, 413, "PAYLOAD_TOO_LARGE", "request body over %d bytes", MOCK_MAX_BODY), -1;
    }
}

/* What a failed transfer tells the caller: status, code, message and a hint to act on. */
static int answer_failure(req *r, CURLcode rc, const struct answer *a, const char *upstream, char *code_out)
{
    int status = 502;
    const char *code = "UPSTREAM_BAD_ANSWER", *msg = "The upstream's answer could not be read";
    char hint[512];
    snprintf(hint, sizeof hint, "%s answered with something that is not HTTP (%s)", upstream, curl_easy_strerror(rc));
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        status = 504;
        code = "UPSTREAM_TIMEOUT";
        msg = "The upstream did not answer in time";
        snprintf(hint, sizeof hint, "%s took longer than --upstream-timeout-ms %d; raise it or check the upstream",
                 upstream, r->m->opt.upstream_timeout_ms);
    } else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
        code = "UPSTREAM_UNREACHABLE";
        msg = "The upstream could not be reached";
        snprintf(hint, sizeof hint, "cannot connect to %s (%s): is --upstream right, and is it up?", upstream,
                 curl_easy_strerror(rc));
    } else if (rc == CURLE_WRITE_ERROR && a->body.too_big) {
        code = "UPSTREAM_TOO_LARGE";
        msg = "The upstream's answer is too large to pass through";
        snprintf(hint, sizeof hint, "the answer of %s is over %u bytes, the proxy's limit", upstream, PROXY_MAX_ANSWER);
    } else if (rc == CURLE_RECV_ERROR || rc == CURLE_PARTIAL_FILE || rc == CURLE_GOT_NOTHING || rc == CURLE_SEND_ERROR) {
        code = "UPSTREAM_RESET";
        msg = "The upstream closed the connection before its answer was complete";
        snprintf(hint, sizeof hint, "%s dropped the connection (%s); nothing of its partial answer was passed on",
                 upstream, curl_easy_strerror(rc));
    } else if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
        code = "UPSTREAM_TLS";
        msg = "The TLS handshake with the upstream failed";
        snprintf(hint, sizeof hint, "%s: %s (the system CA store is used)", upstream, curl_easy_strerror(rc));
    }
    strcpy(code_out, code);
    return http_error_env(r, status, NULL, code, NULL, msg, hint);
}

static cJSON *masked_headers_of_request(req *r, const struct fixtures *fx)
{
    cJSON *out = cJSON_CreateArray();
    for (int i = 0; i < r->ri->num_headers; i++) {
        const char *name = r->ri->http_headers[i].name, *value = r->ri->http_headers[i].value;
        char *v = mask_header(name, value ? value : "", fx);
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(name));
        cJSON_AddItemToArray(pair, cJSON_CreateString(v));
        cJSON_AddItemToArray(out, pair);
        free(v);
    }
    return out;
}

static void mask_header_pairs(cJSON *pairs, const struct fixtures *fx)
{
    cJSON *pair;
    cJSON_ArrayForEach(pair, pairs) {
        cJSON *n = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
        char *mv = mask_header(n->valuestring, v->valuestring, fx);
        cJSON_SetValuestring(v, mv);
        free(mv);
    }
}

static const char *pair_value(const cJSON *pairs, const char *name)
{
    const cJSON *pair;
    cJSON_ArrayForEach(pair, pairs) {
        const cJSON *n = cJSON_GetArrayItem(pair, 0);
        if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name))
            return cJSON_GetArrayItem(pair, 1)->valuestring;
    }
    return NULL;
}

/* A body as recorded: JSON (masked), text (masked), or only its size when binary or big. */
static void record_body(cJSON *into, const char *body, size_t len, const char *content_type, int all,
                        const struct fixtures *fx)
{
    cJSON_AddNumberToObject(into, "body_bytes", (double)len);
    if (!len) {
        cJSON_AddNullToObject(into, "body");
        return;
    }
    if (len > PROXY_MAX_RECORDED_BODY || !util_utf8_valid(body, len) || memchr(body, 0, len)) {
        cJSON_AddNullToObject(into, "body");
        cJSON_AddStringToObject(into, "body_omitted", len > PROXY_MAX_RECORDED_BODY ? "over 1 MiB" : "not UTF-8 text");
        return;
    }
    int form = content_type && !strncasecmp(content_type, "application/x-www-form-urlencoded", 33);
    cJSON *v = mask_body(body, len, form, all, fx);
    cJSON_AddItemToObject(into, "body", v ? v : cJSON_CreateNull());
}

/* The values the masks hide in the original (secret-named members, credential fields), so that an
 * upstream echoing them in any form (text, a different field) does not carry them to disk. */
static void masked_values(const cJSON *orig, const cJSON *masked, char **out, int *n, int max)
{
    for (const cJSON *a = orig ? orig->child : NULL, *b = masked ? masked->child : NULL; a && b && *n < max;
         a = a->next, b = b->next) {
        if (cJSON_IsString(b) && !strcmp(b->valuestring, MASK) && cJSON_IsString(a) && strlen(a->valuestring) >= 6)
            out[(*n)++] = strdup(a->valuestring);
        else if (cJSON_IsObject(a) || cJSON_IsArray(a))
            masked_values(a, b, out, n, max);
    }
}

static int collect_sent_secrets(const struct buf *body, const char *qs, const struct fixtures *fx, char **out, int max)
{
    int n = 0;
    cJSON *orig = body->len && json_depth(body->p, body->len) <= JSON_MAX_DEPTH
                      ? cJSON_ParseWithLength(body->p, body->len) : NULL;
    if (orig) {
        cJSON *masked = cJSON_Duplicate(orig, 1);
        mask_json(masked, fx);
        masked_values(orig, masked, out, &n, max);
        cJSON_Delete(masked);
        cJSON_Delete(orig);
    }
    char *q = qs ? strdup(qs) : NULL, *save = NULL;
    for (char *pair = q ? strtok_r(q, "&", &save) : NULL; pair && n < max; pair = strtok_r(NULL, "&", &save)) {
        char *m = mask_query(pair, fx), *eq = strchr(pair, '=');
        if (eq && strcmp(m, pair) && strlen(eq + 1) >= 6)
            out[n++] = strdup(eq + 1); /* as sent, URL-encoded: the form an echo shows */
        free(m);
    }
    free(q);
    return n;
}

static void record(req *r, long seq, double took_ms, const struct buf *body, const struct answer *a, const char *failure)
{
    const struct fixtures *fx = r->m->fx;
    cJSON *x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "version", RECORDING_VERSION);
    cJSON_AddNumberToObject(x, "seq", (double)seq);
    char iso[32];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    util_iso8601((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, iso);
    cJSON_AddStringToObject(x, "time", iso);
    cJSON_AddNumberToObject(x, "duration_ms", (double)(long long)(took_ms * 1000) / 1000);
    if (r->route) {
        cJSON_AddStringToObject(x, "operation", r->route->operation);
        cJSON_AddStringToObject(x, "route", r->route->pattern);
    } else {
        cJSON_AddNullToObject(x, "operation");
        cJSON_AddNullToObject(x, "route");
    }
    cJSON *q = cJSON_AddObjectToObject(x, "request");
    cJSON_AddStringToObject(q, "method", r->ri->request_method);
    char pbuf[2048];
    const char *raw_path = r->ri->local_uri_raw ? r->ri->local_uri_raw : r->ri->local_uri;
    cJSON_AddStringToObject(q, "path", mask_path(raw_path ? raw_path : "/", pbuf, sizeof pbuf));
    if (r->ri->query_string) {
        char *mq = mask_query(r->ri->query_string, fx);
        cJSON_AddStringToObject(q, "query", mq);
        free(mq);
    } else {
        cJSON_AddNullToObject(q, "query");
    }
    cJSON *qh = masked_headers_of_request(r, fx);
    cJSON_AddItemToObject(q, "headers", qh);
    record_body(q, body->p, body->len, http_header(r, "Content-Type"), r->route && (r->route->flags & SECRET_BODY), fx);
    cJSON *s = cJSON_AddObjectToObject(x, "response");
    if (failure) { /* the proxy answered itself: the envelope it sent is the answer recorded */
        cJSON_AddNumberToObject(s, "status", r->status);
        cJSON_AddItemToObject(s, "headers", cJSON_CreateArray());
        cJSON_AddNullToObject(s, "body");
        cJSON_AddStringToObject(x, "proxy_error", failure);
    } else {
        cJSON_AddNumberToObject(s, "status", a->status);
        cJSON *sh = cJSON_Duplicate(a->headers, 1);
        mask_header_pairs(sh, fx);
        cJSON_AddItemToObject(s, "headers", sh);
        record_body(s, a->body.p, a->body.len, pair_value(a->headers, "content-type"), 0, fx);
        cJSON_AddNullToObject(x, "proxy_error");
    }
    /* The caller's own credentials, whatever field or header echoes them: a real Refold key is
     * not in the fixtures, so mask.c's value sweep would not know it. */
    const char *secrets[40] = {0};
    int ns = 0;
    char *owned[20] = {0};
    int no = collect_sent_secrets(body, r->ri->query_string, fx, owned, 20);
    for (int i = 0; i < no; i++)
        secrets[ns++] = owned[i];
    const char *key = http_header(r, "x-api-key"), *auth = http_header(r, "Authorization");
    const char *cookie = http_header(r, "Cookie");
    if (key)
        secrets[ns++] = key;
    if (auth && strchr(auth, ' '))
        secrets[ns++] = strchr(auth, ' ') + 1;
    else if (auth)
        secrets[ns++] = auth;
    char *values = cookie ? strdup(cookie) : NULL, *save = NULL; /* "a=1; b=2": each value */
    for (char *c = values ? strtok_r(values, ";", &save) : NULL; c && ns < 39; c = strtok_r(NULL, ";", &save))
        if (strchr(c, '='))
            secrets[ns++] = strchr(c, '=') + 1;
    recording_write(r->m->recording, seq, x, secrets);
    free(values);
    for (int i = 0; i < no; i++)
        free(owned[i]);
    cJSON_Delete(x);
}

int proxy_forward(req *r)
{
    struct mock *m = r->m;
    long seq = m->recording ? recording_next_seq(m->recording) : 0;
    long long t0 = util_mono_us();
    struct buf body = {0};
    if (read_request_body(r, &body) != 0) {
        free(body.p);
        return r->status;
    }
    const char *raw_path = r->ri->local_uri_raw ? r->ri->local_uri_raw : r->ri->local_uri;
    size_t ul = strlen(m->upstream) + strlen(raw_path ? raw_path : "/") + (r->ri->query_string ? strlen(r->ri->query_string) : 0) + 3;
    char *url = malloc(ul);
    snprintf(url, ul, "%s%s%s%s", m->upstream, raw_path ? raw_path : "/", r->ri->query_string ? "?" : "",
             r->ri->query_string ? r->ri->query_string : "");

    struct curl_slist *hl = NULL;
    int has_accept = 0;
    const char *connection = http_header(r, "Connection");
    for (int i = 0; i < r->ri->num_headers; i++) {
        const char *name = r->ri->http_headers[i].name, *value = r->ri->http_headers[i].value;
        if (hop_by_hop(name, strlen(name)) || named_by(connection, name))
            continue;
        has_accept |= !strcasecmp(name, "Accept");
        size_t n = strlen(name) + strlen(value ? value : "") + 3;
        char *line = malloc(n);
        /* "Name;" is libcurl's way to send a header with an empty value */
        if (value && *value)
            snprintf(line, n, "%s: %s", name, value);
        else
            snprintf(line, n, "%s;", name);
        hl = curl_slist_append(hl, line);
        free(line);
    }
    hl = curl_slist_append(hl, "Expect:"); /* no 100-continue round trip: the body is at hand */
    if (!has_accept)
        hl = curl_slist_append(hl, "Accept:"); /* libcurl would add its own */

    struct answer a = {0};
    a.headers = cJSON_CreateArray();
    CURL *e = thread_easy();
    const char *method = r->ri->request_method;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)m->opt.upstream_timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)m->opt.upstream_timeout_ms);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &a);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &a);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    if (body.len || !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH")) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)body.len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.p ? body.p : "");
    }
    CURLcode rc = curl_easy_perform(e);
    char failure[32] = "";
    if (rc != CURLE_OK || a.status < 100 || a.status > 999) {
        if (rc == CURLE_OK)
            rc = CURLE_WEIRD_SERVER_REPLY;
        answer_failure(r, rc, &a, m->upstream, failure);
    } else {
        /* The answer as it came: status line, its headers (hop-by-hop ones excepted) and body,
         * byte for byte; Content-Length is ours since the framing is. */
        int head_only = !strcmp(method, "HEAD");
        int no_body = a.status < 200 || a.status == 204 || a.status == 304; /* no length may be sent */
        char length[64] = "";
        if (head_only && *a.length)
            snprintf(length, sizeof length, "Content-Length: %s\r\n", a.length);
        else if (!head_only && !no_body)
            snprintf(length, sizeof length, "Content-Length: %zu\r\n", a.body.len);
        struct buf head = {0};
        char line[160];
        int ln = snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", a.status, *a.reason ? a.reason : http_reason(a.status));
        buf_add(&head, line, (size_t)ln, (size_t)-1);
        const char *up_connection = pair_value(a.headers, "connection");
        const cJSON *pair;
        cJSON_ArrayForEach(pair, a.headers) {
            const char *n = cJSON_GetArrayItem(pair, 0)->valuestring, *v = cJSON_GetArrayItem(pair, 1)->valuestring;
            if (hop_by_hop(n, strlen(n)) || named_by(up_connection, n))
                continue;
            buf_add(&head, n, strlen(n), (size_t)-1);
            buf_add(&head, ": ", 2, (size_t)-1);
            buf_add(&head, v, strlen(v), (size_t)-1);
            buf_add(&head, "\r\n", 2, (size_t)-1);
        }
        buf_add(&head, length, strlen(length), (size_t)-1);
        buf_add(&head, r->extra_headers, strlen(r->extra_headers), (size_t)-1);
        buf_add(&head, "\r\n", 2, (size_t)-1);
        if (no_body)
            head_only = 1;
        r->status = a.status;
        if (r->on_answer)
            r->on_answer(r, a.status, head_only ? NULL : a.body.p, head_only ? 0 : a.body.len);
        mg_write(r->conn, head.p, head.len);
        if (!head_only && a.body.len)
            mg_write(r->conn, a.body.p, a.body.len);
        free(head.p);
    }
    if (m->recording)
        record(r, seq, (double)(util_mono_us() - t0) / 1000.0, &body, &a, *failure ? failure : NULL);
    curl_slist_free_all(hl);
    cJSON_Delete(a.headers);
    free(a.body.p);
    free(body.p);
    free(url);
    return r->status;
}
