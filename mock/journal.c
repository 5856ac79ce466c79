/* journal.c: a fixed ring of recent requests, kept in memory so recording costs no SQL; bodies
 * are copied as sent and masked only when listed (most entries are never read). */
#include "journal.h"
#include "http.h"
#include "mask.h"
#include "notify.h"
#include "util.h"

#include <civetweb.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entry {
    long long seq, virtual_ms, duration_us;
    int status, form, secret_body, req_cut, resp_cut;
    char method[12], tenant[80], request_id[40], operation[48];
    /* one block: path, query, linked account id, header lines ("Name: value\n"), request body,
     * response body, each NUL-terminated; the block is reused by the next request in this slot
     * (the id is in it because it may be 2 KiB long: MOCK_ID_LEN) */
    char *buf;
    size_t cap, off_query, off_la, off_headers, off_req, req_len, off_resp, resp_len;
    char warnings[384]; /* the request's spec violations as a JSON array (server.c), "" when none */
};

struct journal {
    pthread_mutex_t lock;
    struct entry *ring;
    int capacity;
    long long next_seq;
    struct notify changed; /* bumped on every record: journal_wait sleeps on it */
};

struct journal *journal_new(int capacity)
{
    struct journal *j = calloc(1, sizeof *j);
    pthread_mutex_init(&j->lock, NULL);
    j->ring = calloc((size_t)capacity, sizeof *j->ring);
    j->capacity = capacity;
    notify_init(&j->changed);
    return j;
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    for (int i = 0; i < j->capacity; i++)
        free(j->ring[i].buf);
    notify_destroy(&j->changed);
    pthread_mutex_destroy(&j->lock);
    free(j->ring);
    free(j);
}

void journal_close(struct journal *j) { notify_close(&j->changed); }

/* Copies a query string with the value of every admin_token parameter blanked: the admin
 * token is a credential, and /__mock/requests is readable by anyone with the admin API.
 * out holds 2 * strlen(qs) + 16 bytes (each blanked value may grow to the 8 of REDACTED). */
static void copy_query(char *out, const char *qs)
{
    size_t o = 0;
    while (*qs) {
        size_t len = strcspn(qs, "&");
        int secret = !strncmp(qs, "admin_token=", 12);
        memcpy(out + o, qs, secret ? 12 : len);
        o += secret ? 12 : len;
        if (secret) {
            memcpy(out + o, "REDACTED", 8);
            o += 8;
        }
        qs += len;
        if (*qs == '&')
            out[o++] = *qs++;
    }
    out[o] = 0;
}

static size_t put(char *buf, size_t at, const char *s, size_t n)
{
    if (n)
        memcpy(buf + at, s, n);
    buf[at + n] = 0;
    return at + n + 1;
}

void journal_record(struct journal *j, req *r, int status, const char *body, size_t len, long long virtual_ms,
                    long long duration_us)
{
    const struct mg_request_info *ri = r->ri;
    char masked[MOCK_ID_LEN + 64]; /* (an MCP path, its token masked: the server id is the rest) */
    const char *path = mask_path(r->path ? r->path : ri->local_uri ? ri->local_uri : "/", masked, sizeof masked);
    const char *raw_query = ri->query_string ? ri->query_string : "";
    char qbuf[512], *query = strlen(raw_query) * 2 + 16 <= sizeof qbuf ? qbuf : malloc(strlen(raw_query) * 2 + 16);
    copy_query(query, raw_query);
    size_t plen = strlen(path), qlen = strlen(query), llen = strlen(r->la), hlen = 0;
    for (int i = 0; i < ri->num_headers; i++)
        hlen += strlen(ri->http_headers[i].name) + strlen(ri->http_headers[i].value) + 3;
    size_t reqlen = r->raw ? r->raw_len : 0, resplen = body ? len : 0;
    int req_cut = reqlen > JOURNAL_KEEP_REQUEST_BODY, resp_cut = resplen > JOURNAL_KEEP_RESPONSE_BODY;
    if (req_cut)
        reqlen = JOURNAL_KEEP_REQUEST_BODY;
    if (resp_cut)
        resplen = JOURNAL_KEEP_RESPONSE_BODY;
    size_t need = plen + qlen + llen + hlen + reqlen + resplen + 6;
    const char *ctype = http_header(r, "Content-Type");

    pthread_mutex_lock(&j->lock);
    struct entry *e = &j->ring[j->next_seq % j->capacity];
    /* grow the slot's block, or give back most of a block a large body left behind */
    if (e->cap < need || (e->cap > 16384 && e->cap > 4 * need)) {
        free(e->buf);
        e->buf = malloc(need);
        e->cap = need;
    }
    e->seq = ++j->next_seq;
    e->virtual_ms = virtual_ms;
    e->duration_us = duration_us;
    e->status = status;
    e->form = ctype && strstr(ctype, "x-www-form-urlencoded") != NULL;
    e->secret_body = r->route && (r->route->flags & SECRET_BODY);
    e->req_cut = req_cut;
    e->resp_cut = resp_cut;
    util_copy(e->method, sizeof e->method, ri->request_method);
    util_copy(e->tenant, sizeof e->tenant, r->t ? r->t->id : "");
    util_copy(e->request_id, sizeof e->request_id, r->request_id);
    util_copy(e->operation, sizeof e->operation, r->route && r->route->operation ? r->route->operation : "");
    size_t at = put(e->buf, 0, path, plen);
    e->off_query = at;
    at = put(e->buf, at, query, qlen);
    e->off_la = at;
    at = put(e->buf, at, r->la, llen);
    e->off_headers = at;
    for (int i = 0; i < ri->num_headers; i++) {
        size_t n = strlen(ri->http_headers[i].name), v = strlen(ri->http_headers[i].value);
        memcpy(e->buf + at, ri->http_headers[i].name, n);
        memcpy(e->buf + at + n, ": ", 2);
        memcpy(e->buf + at + n + 2, ri->http_headers[i].value, v);
        e->buf[at + n + 2 + v] = '\n';
        at += n + v + 3;
    }
    e->buf[at++] = 0;
    e->off_req = at;
    e->req_len = reqlen;
    at = put(e->buf, at, r->raw, reqlen);
    e->off_resp = at;
    e->resp_len = resplen;
    put(e->buf, at, body, resplen);
    util_copy(e->warnings, sizeof e->warnings, r->spec_warnings);
    pthread_mutex_unlock(&j->lock);
    if (query != qbuf)
        free(query);
    notify_bump(&j->changed);
}

static int matches(const struct entry *e, const struct journal_filter *f)
{
    if (!e->seq || e->seq <= f->after_seq)
        return 0;
    if (f->tenant && strcmp(e->tenant, f->tenant))
        return 0;
    if (f->method && *f->method && strcasecmp(e->method, f->method))
        return 0;
    if (f->operation && *f->operation && strcmp(e->operation, f->operation))
        return 0;
    if (f->la && *f->la && strcmp(e->buf + e->off_la, f->la))
        return 0;
    if (f->status_lo && (e->status < f->status_lo || e->status > f->status_hi))
        return 0;
    if (f->since_ms && e->virtual_ms < f->since_ms)
        return 0;
    if (f->path && *f->path) {
        if (strpbrk(f->path, "*?[") ? fnmatch(f->path, e->buf, 0) != 0 : strcmp(f->path, e->buf) != 0)
            return 0;
    }
    return 1;
}

static long long first_seq(const struct journal *j)
{
    return j->next_seq > j->capacity ? j->next_seq - j->capacity : 0;
}

static cJSON *headers_view(const char *lines, const struct fixtures *fx)
{
    cJSON *o = cJSON_CreateObject();
    for (const char *p = lines; *p;) {
        const char *nl = strchr(p, '\n'), *colon = memchr(p, ':', (size_t)(nl - p));
        if (colon) {
            char name[256];
            size_t n = (size_t)(colon - p) < sizeof name ? (size_t)(colon - p) : sizeof name - 1;
            memcpy(name, p, n);
            name[n] = 0;
            size_t vl = (size_t)(nl - colon - 2);
            char *raw = malloc(vl + 1);
            memcpy(raw, colon + 2, vl);
            raw[vl] = 0;
            char *v = mask_header(name, raw, fx);
            cJSON *had = cJSON_GetObjectItem(o, name);
            if (had && cJSON_IsString(had)) { /* a repeated field: one value, as HTTP joins them */
                size_t hl = strlen(had->valuestring);
                char *both = malloc(hl + strlen(v) + 3);
                memcpy(both, had->valuestring, hl);
                memcpy(both + hl, ", ", 2);
                strcpy(both + hl + 2, v);
                cJSON_SetValuestring(had, both);
                free(both);
            } else {
                cJSON_AddStringToObject(o, name, v);
            }
            free(v);
            free(raw);
        }
        p = nl + 1;
    }
    return o;
}

static cJSON *body_view(const char *body, size_t len, int form, int all, const struct fixtures *fx)
{
    cJSON *v = mask_body(body, len, form, all, fx);
    return v ? v : cJSON_CreateNull();
}

/* An entry as /__mock/requests shows it; runs without the lock, on a copy. */
static cJSON *entry_view(const struct entry *e, const struct fixtures *fx)
{
    char at[32];
    util_iso8601(e->virtual_ms, at);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)e->seq);
    cJSON_AddStringToObject(o, "request_id", e->request_id);
    cJSON_AddStringToObject(o, "at", at);
    cJSON_AddStringToObject(o, "method", e->method);
    cJSON_AddStringToObject(o, "path", e->buf);
    char *q = mask_query(e->buf + e->off_query, fx);
    cJSON_AddStringToObject(o, "query", q);
    free(q);
    cJSON_AddStringToObject(o, "operation", e->operation);
    cJSON_AddNumberToObject(o, "status", e->status);
    cJSON_AddStringToObject(o, "linked_account_id", e->buf + e->off_la);
    cJSON_AddStringToObject(o, "tenant", e->tenant);
    cJSON_AddNumberToObject(o, "duration_us", (double)e->duration_us);
    cJSON *w = e->warnings[0] ? cJSON_Parse(e->warnings) : NULL; /* spec violations (spec_check.c) */
    cJSON_AddItemToObject(o, "warnings", w ? w : cJSON_CreateArray());
    cJSON *rq = cJSON_AddObjectToObject(o, "request");
    cJSON_AddItemToObject(rq, "headers", headers_view(e->buf + e->off_headers, fx));
    cJSON_AddItemToObject(rq, "body", body_view(e->buf + e->off_req, e->req_len, e->form, e->secret_body, fx));
    cJSON_AddBoolToObject(rq, "body_truncated", e->req_cut);
    cJSON *rs = cJSON_AddObjectToObject(o, "response");
    cJSON_AddNumberToObject(rs, "status", e->status);
    cJSON_AddItemToObject(rs, "body", body_view(e->buf + e->off_resp, e->resp_len, 0, 0, fx));
    cJSON_AddBoolToObject(rs, "body_truncated", e->resp_cut);
    return o;
}

cJSON *journal_list(struct journal *j, const struct journal_filter *f, int limit, const struct fixtures *fx)
{
    /* copied under the lock, rendered and masked outside it: recording never waits on a listing */
    int cap = limit > 0 && limit < j->capacity ? limit : j->capacity, n = 0;
    struct entry *picked = malloc((size_t)cap * sizeof *picked);
    pthread_mutex_lock(&j->lock);
    for (long long s = j->next_seq - 1; s >= first_seq(j) && n < cap; s--) {
        const struct entry *e = &j->ring[s % j->capacity];
        if (!matches(e, f))
            continue;
        picked[n] = *e;
        size_t used = e->off_resp + e->resp_len + 1;
        picked[n].buf = malloc(used);
        memcpy(picked[n].buf, e->buf, used);
        n++;
    }
    pthread_mutex_unlock(&j->lock);
    cJSON *out = cJSON_CreateArray();
    for (int i = n - 1; i >= 0; i--) { /* oldest first */
        cJSON_AddItemToArray(out, entry_view(&picked[i], fx));
        free(picked[i].buf);
    }
    free(picked);
    return out;
}

int journal_count(struct journal *j, const struct journal_filter *f)
{
    int n = 0;
    pthread_mutex_lock(&j->lock);
    for (long long s = first_seq(j); s < j->next_seq; s++)
        n += matches(&j->ring[s % j->capacity], f);
    pthread_mutex_unlock(&j->lock);
    return n;
}

struct wait_ctx {
    struct journal *j;
    const struct journal_filter *f;
    int want, have;
};

static int enough(void *arg)
{
    struct wait_ctx *w = arg;
    w->have = journal_count(w->j, w->f);
    return w->have >= w->want;
}

int journal_wait(struct journal *j, const struct journal_filter *f, int count, int timeout_ms)
{
    struct wait_ctx w = {j, f, count, 0};
    notify_wait(&j->changed, enough, &w, timeout_ms);
    return w.have;
}

long long journal_seq_of(struct journal *j, const char *request_id)
{
    long long seq = -1;
    pthread_mutex_lock(&j->lock);
    for (long long s = first_seq(j); s < j->next_seq && seq < 0; s++)
        if (j->ring[s % j->capacity].seq && !strcmp(j->ring[s % j->capacity].request_id, request_id))
            seq = j->ring[s % j->capacity].seq;
    pthread_mutex_unlock(&j->lock);
    return seq;
}

void journal_clear(struct journal *j, const char *tenant)
{
    pthread_mutex_lock(&j->lock);
    for (int i = 0; i < j->capacity; i++)
        if (!tenant || !strcmp(j->ring[i].tenant, tenant))
            j->ring[i].seq = 0;
    pthread_mutex_unlock(&j->lock);
}
