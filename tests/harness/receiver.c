/* receiver.c: a loopback webhook receiver (CivetWeb) recording what the mock delivers. */
#define _GNU_SOURCE
#include "receiver.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct rcv {
    struct mg_context *ctx;
    int port;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    rcv_req **reqs;
    int n, cap;
    int status, delay_ms, stopping;
    int script[64], nscript;
};

long long rcv_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int on_request(struct mg_connection *c, void *cbdata)
{
    rcv *r = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(c);
    rcv_req *q = calloc(1, sizeof *q);
    snprintf(q->method, sizeof q->method, "%s", ri->request_method);
    snprintf(q->path, sizeof q->path, "%s%s%s", ri->local_uri, ri->query_string ? "?" : "", ri->query_string ? ri->query_string : "");
    size_t hl = 1;
    for (int i = 0; i < ri->num_headers; i++)
        hl += strlen(ri->http_headers[i].name) + strlen(ri->http_headers[i].value) + 4;
    q->headers = calloc(1, hl);
    for (int i = 0; i < ri->num_headers; i++) {
        strcat(q->headers, ri->http_headers[i].name);
        strcat(q->headers, ": ");
        strcat(q->headers, ri->http_headers[i].value);
        strcat(q->headers, "\n");
    }
    size_t cap = 4096;
    q->body = malloc(cap + 1);
    for (;;) {
        if (q->len == cap)
            q->body = realloc(q->body, (cap *= 2) + 1);
        int got = mg_read(c, q->body + q->len, cap - q->len);
        if (got <= 0)
            break;
        q->len += (size_t)got;
    }
    q->body[q->len] = 0;
    q->at_us = rcv_now_us();

    pthread_mutex_lock(&r->lock);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->reqs = realloc(r->reqs, (size_t)r->cap * sizeof *r->reqs);
    }
    r->reqs[r->n++] = q;
    int status = r->status;
    if (r->nscript > 0) {
        status = r->script[0];
        memmove(r->script, r->script + 1, (size_t)(--r->nscript) * sizeof r->script[0]);
    }
    int delay = r->delay_ms;
    pthread_cond_broadcast(&r->cond);
    if (delay > 0) { /* hold the answer, but let a stop cut it short */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += delay / 1000;
        until.tv_nsec += (long)(delay % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!r->stopping && pthread_cond_timedwait(&r->cond, &r->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&r->lock);
    mg_printf(c, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", status,
              status < 300 ? "OK" : "Error");
    return status;
}

rcv *rcv_start(int port)
{
    mg_init_library(0);
    rcv *r = calloc(1, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->status = 200;
    char ports[32];
    snprintf(ports, sizeof ports, "127.0.0.1:%d", port);
    const char *options[] = {"listening_ports", ports, "num_threads", "16", "enable_keep_alive", "yes",
                             "tcp_nodelay", "1", "request_timeout_ms", "30000", "keep_alive_timeout_ms", "500", NULL};
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    r->ctx = mg_start(&cb, NULL, options);
    if (!r->ctx) {
        pthread_mutex_destroy(&r->lock);
        pthread_cond_destroy(&r->cond);
        free(r);
        mg_exit_library();
        return NULL;
    }
    mg_set_request_handler(r->ctx, "/", on_request, r);
    struct mg_server_port sp[2];
    r->port = mg_get_server_ports(r->ctx, 2, sp) > 0 ? sp[0].port : port;
    return r;
}

int rcv_port(const rcv *r) { return r->port; }

void rcv_url(const rcv *r, const char *path, char *out, size_t n)
{
    snprintf(out, n, "http://127.0.0.1:%d%s", r->port, path ? path : "/");
}

/* CivetWeb looks at its stop flag between 2 s polls of the listening socket: connecting to it
 * while mg_stop() runs ends the poll, so a stop takes milliseconds (as server.c does). */
struct knocker {
    int port;
    atomic_int done;
};

static void *knock(void *arg)
{
    struct knocker *k = arg;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)k->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < 400 && !atomic_load(&k->done); i++) {
        struct timespec ts = {0, 5 * 1000000L}; /* a bounded loop until mg_stop has returned */
        nanosleep(&ts, NULL);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            connect(fd, (struct sockaddr *)&a, sizeof a);
            close(fd);
        }
    }
    return NULL;
}

void rcv_stop(rcv *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = 1;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    struct knocker k = {r->port, 0};
    pthread_t th;
    int knocking = pthread_create(&th, NULL, knock, &k) == 0;
    mg_stop(r->ctx);
    atomic_store(&k.done, 1);
    if (knocking)
        pthread_join(th, NULL);
    for (int i = 0; i < r->n; i++) {
        free(r->reqs[i]->headers);
        free(r->reqs[i]->body);
        free(r->reqs[i]);
    }
    free(r->reqs);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->cond);
    free(r);
    mg_exit_library();
}

void rcv_set_status(rcv *r, int status)
{
    pthread_mutex_lock(&r->lock);
    r->status = status;
    pthread_mutex_unlock(&r->lock);
}

void rcv_script(rcv *r, const int *statuses, int n)
{
    pthread_mutex_lock(&r->lock);
    for (int i = 0; i < n && r->nscript < 64; i++)
        r->script[r->nscript++] = statuses[i];
    pthread_mutex_unlock(&r->lock);
}

void rcv_set_delay_ms(rcv *r, int ms)
{
    pthread_mutex_lock(&r->lock);
    r->delay_ms = ms;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

int rcv_count(rcv *r)
{
    pthread_mutex_lock(&r->lock);
    int n = r->n;
    pthread_mutex_unlock(&r->lock);
    return n;
}

int rcv_wait(rcv *r, int n, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&r->lock);
    while (r->n < n && pthread_cond_timedwait(&r->cond, &r->lock, &until) != ETIMEDOUT)
        ;
    int got = r->n;
    pthread_mutex_unlock(&r->lock);
    return got;
}

const rcv_req *rcv_get(rcv *r, int i)
{
    pthread_mutex_lock(&r->lock);
    const rcv_req *q = i >= 0 && i < r->n ? r->reqs[i] : NULL;
    pthread_mutex_unlock(&r->lock);
    return q;
}

int rcv_header(const rcv_req *q, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *line = q->headers; line && *line;) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            break;
        if (!strncasecmp(line, name, nl) && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(out, n, "%.*s", (int)(eol - v), v);
            return 1;
        }
        line = eol + 1;
    }
    return 0;
}

int rcv_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

/* ---- with a mock ---- */
#include "harness.h"

void rcv_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void rcv_subscribe(refold_mock *m, const char *key, const char *url, const char *events_json, char *id, size_t n)
{
    char body[2048];
    snprintf(body, sizeof body, "{\"webhook_url\":\"%s\",\"webhook_events\":%s}", url, events_json);
    th_resp r = th_key(m, "POST", "/api/v2/public/webhook", key, NULL, body);
    if (r.status != 200)
        fprintf(stderr, "rcv_subscribe: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    if (id)
        snprintf(id, n, "%s", th_str(r.json, "_id"));
    th_free(&r);
}

cJSON *rcv_deliveries(refold_mock *m, const char *key, const char *query)
{
    char path[512];
    snprintf(path, sizeof path, "/__mock/webhooks/deliveries%s%s", query && *query ? "?" : "", query ? query : "");
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    if (r.status != 200)
        fprintf(stderr, "rcv_deliveries: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    cJSON *out = r.json;
    r.json = NULL;
    th_free(&r);
    assert_true(cJSON_IsArray(out));
    return out;
}

cJSON *rcv_settled(refold_mock *m, const char *key, int timeout_ms)
{
    long long until = rcv_now_us() + (long long)timeout_ms * 1000;
    for (;;) {
        cJSON *waiting = rcv_deliveries(m, key, "status=pending&limit=1");
        int pending = cJSON_GetArraySize(waiting);
        cJSON_Delete(waiting);
        if (!pending || rcv_now_us() > until)
            return rcv_deliveries(m, key, "limit=1000");
        rcv_sleep_ms(5); /* a bounded poll: the admin API has no "settled" event to wait on */
    }
}

int rcv_quiet(refold_mock *m, const char *key, rcv *r, int timeout_ms)
{
    cJSON_Delete(rcv_settled(m, key, timeout_ms));
    return rcv_count(r);
}

int rcv_openssl_hmac(const char *key, const char *data, size_t len, char out[65])
{
    char path[] = "/tmp/refold-hmac-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if (write(fd, data, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    for (const char *p = key; *p; p++)
        if (*p == '\'')
            return -1;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "openssl dgst -sha256 -hmac '%s' -r '%s'", key, path);
    FILE *f = popen(cmd, "r");
    int rc = -1;
    if (f) {
        char line[256] = "";
        if (fgets(line, sizeof line, f) && strlen(line) >= 64) {
            memcpy(out, line, 64);
            out[64] = 0;
            rc = 0;
        }
        pclose(f);
    }
    unlink(path);
    return rc;
}
