/* journal.c: a ring of recent requests per tenant, kept in memory so recording costs no SQL;
 * bodies are copied as sent and masked only when listed (most entries are never read). Each
 * tenant's ring is bounded in entries and bytes, so one tenant's traffic never evicts another's;
 * a waiter is woken only by an entry that matches its filter. */
#include "engine/journal.h"
#include "engine/mask.h"
#include "base/util.h"

#include <civetweb.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct entry {
    long long seq, virtual_ms, duration_us;
    int status, form, secret_body, req_cut, resp_cut;
    char method[12], tenant[80], request_id[40], operation[48];
    char parent_request_id[40]; /* a sub-request's: the request it ran inside ("" for others) */
    /* one block: path, query, linked account id, header lines ("Name: value\n"), request body,
     * response body, each NUL-terminated; the block is reused by the next request in this slot
     * (the id is in it because it may be 2 KiB long: MOCK_ID_LEN) */
    char *buf;
    size_t cap, off_query, off_la, off_headers, off_req, req_len, off_resp, resp_len;
    char warnings[384]; /* the request's spec violations as a JSON array (server.c), "" when none */
};

/* One tenant's entries ("" for requests without a tenant), oldest at e[head]; grown on demand
 * up to the journal's capacity, so an idle tenant costs almost nothing. */
struct ring {
    struct ring *next;   /* in its hash bucket */
    char tenant[80];
    struct entry *e;
    int cap, head, n;
    size_t bytes;        /* the blocks its entries hold */
};

/* A request waiting with wait_ms: counted up by every new entry its filter takes. */
struct waiter {
    struct waiter *next;
    const struct journal_filter *f;
    int want, have;
    pthread_cond_t cv;   /* on CLOCK_MONOTONIC, under the journal's lock */
};

#define BUCKETS 64

struct journal {
    pthread_mutex_t lock;
    struct ring *bucket[BUCKETS];
    int capacity;        /* entries per tenant */
    size_t tenant_bytes; /* bytes per tenant (JOURNAL_TENANT_BYTES) */
    size_t total_bytes;  /* bytes of all tenants together (JOURNAL_TOTAL_BYTES) */
    size_t bytes;        /* held now, all rings */
    long long next_seq;  /* one sequence for all tenants: `since` orders across them */
    struct waiter *waiters;
    int closed;
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h % BUCKETS;
}

static struct ring *ring_of(struct journal *j, const char *tenant, int create)
{
    struct ring **at = &j->bucket[hash(tenant)];
    for (struct ring *x = *at; x; x = x->next)
        if (!strcmp(x->tenant, tenant))
            return x;
    if (!create)
        return NULL;
    struct ring *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    util_copy(x->tenant, sizeof x->tenant, tenant);
    x->next = *at;
    *at = x;
    return x;
}

static struct entry *slot_at(const struct ring *x, int i) { return &x->e[(x->head + i) % x->cap]; }

static void ring_free(struct ring *x)
{
    for (int i = 0; i < x->cap; i++)
        free(x->e[i].buf);
    free(x->e);
    free(x);
}

struct journal *journal_new(int capacity)
{
    struct journal *j = calloc(1, sizeof *j);
    pthread_mutex_init(&j->lock, NULL);
    j->capacity = capacity;
    j->tenant_bytes = JOURNAL_TENANT_BYTES;
    j->total_bytes = JOURNAL_TOTAL_BYTES;
    return j;
}

void journal_set_limits(struct journal *j, size_t tenant_bytes, size_t total_bytes)
{
    pthread_mutex_lock(&j->lock);
    j->tenant_bytes = tenant_bytes;
    j->total_bytes = total_bytes;
    pthread_mutex_unlock(&j->lock);
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    for (int b = 0; b < BUCKETS; b++)
        for (struct ring *x = j->bucket[b], *next; x; x = next) {
            next = x->next;
            ring_free(x);
        }
    pthread_mutex_destroy(&j->lock);
    free(j);
}

void journal_close(struct journal *j)
{
    pthread_mutex_lock(&j->lock);
    j->closed = 1;
    for (struct waiter *w = j->waiters; w; w = w->next)
        pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&j->lock);
}

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

static int matches(const struct entry *e, const struct journal_filter *f);

/* The oldest entry of x leaves: the waiters that counted it count it no more. */
static void evict_oldest(struct journal *j, struct ring *x, int free_block)
{
    struct entry *old = slot_at(x, 0);
    for (struct waiter *w = j->waiters; w; w = w->next)
        if (matches(old, w->f))
            w->have--;
    old->seq = 0;
    if (free_block) {
        x->bytes -= old->cap;
        j->bytes -= old->cap;
        free(old->buf);
        old->buf = NULL;
        old->cap = 0;
    }
    x->head = (x->head + 1) % x->cap;
    x->n--;
}

/* The slot of x's next entry, with a block of need bytes (lock held): the oldest entries go
 * while x holds the journal's capacity or would pass JOURNAL_TENANT_BYTES. NULL: no memory. */
static struct entry *make_room(struct journal *j, struct ring *x, size_t need)
{
    if (!x)
        return NULL;
    for (;;) {
        int full = x->n == j->capacity, heavy = x->n > 0 && x->bytes + need > j->tenant_bytes;
        if (!full && !heavy)
            break;
        evict_oldest(j, x, heavy); /* (a full ring reuses the oldest's block for the newest) */
    }
    /* Many tenants together stay under the total too: the tenant holding the most gives way, so
     * a tenant with a short history keeps it while another floods the mock. */
    while (j->bytes + need > j->total_bytes) {
        struct ring *big = NULL;
        for (int b = 0; b < BUCKETS; b++)
            for (struct ring *y = j->bucket[b]; y; y = y->next)
                if (y->n > 0 && (!big || y->bytes > big->bytes))
                    big = y;
        if (!big)
            break;
        evict_oldest(j, big, 1);
    }
    if (x->n == x->cap) { /* grow, oldest first from 0 */
        int cap = x->cap ? x->cap * 2 : 16;
        if (cap > j->capacity)
            cap = j->capacity;
        struct entry *e = calloc((size_t)cap, sizeof *e);
        if (!e)
            return NULL;
        for (int i = 0; i < x->n; i++)
            e[i] = *slot_at(x, i);
        free(x->e);
        x->e = e;
        x->cap = cap;
        x->head = 0;
    }
    struct entry *e = slot_at(x, x->n);
    /* grow the slot's block, or give back most of a block a large body left behind */
    if (e->cap < need || (e->cap > 16384 && e->cap > 4 * need)) {
        x->bytes -= e->cap;
        j->bytes -= e->cap;
        free(e->buf);
        e->buf = malloc(need);
        e->cap = e->buf ? need : 0;
        x->bytes += e->cap;
        j->bytes += e->cap;
        if (!e->buf)
            return NULL;
    }
    x->n++;
    return e;
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
    const char *ctype = NULL; /* (read from CivetWeb's list: the journal is the engine, not HTTP) */
    for (int i = 0; i < ri->num_headers && !ctype; i++)
        if (!strcasecmp(ri->http_headers[i].name, "Content-Type"))
            ctype = ri->http_headers[i].value;

    const char *tenant = r->t ? r->t->id : "";
    pthread_mutex_lock(&j->lock);
    struct entry *e = make_room(j, ring_of(j, tenant, 1), need);
    if (!e) { /* (out of memory: the request goes unlisted) */
        pthread_mutex_unlock(&j->lock);
        if (query != qbuf)
            free(query);
        return;
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
    util_copy(e->tenant, sizeof e->tenant, tenant);
    util_copy(e->request_id, sizeof e->request_id, r->request_id);
    util_copy(e->parent_request_id, sizeof e->parent_request_id, r->parent ? r->parent->request_id : "");
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
    /* wake only the waiters this entry completes (the others' filters do not take it) */
    for (struct waiter *w = j->waiters; w; w = w->next)
        if (matches(e, w->f) && ++w->have >= w->want)
            pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&j->lock);
    if (query != qbuf)
        free(query);
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
    if (e->parent_request_id[0]) /* a sub-request (an MCP tool call's action, an SDK alias's route) */
        cJSON_AddStringToObject(o, "parent_request_id", e->parent_request_id);
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

/* An entry picked for a listing: its seq and where it is (lock held while picking). */
struct pick {
    long long seq;
    const struct entry *e;
};

static int newest_first(const void *a, const void *b)
{
    long long x = ((const struct pick *)a)->seq, y = ((const struct pick *)b)->seq;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The rings a filter looks at: its tenant's only, or every one. */
#define EACH_RING(j, f, x)                                                                  \
    for (int b_ = 0; b_ < BUCKETS; b_++)                                                   \
        for (struct ring *x = (j)->bucket[b_]; x; x = x->next)                              \
            if (!(f)->tenant || !strcmp(x->tenant, (f)->tenant))

cJSON *journal_list(struct journal *j, const struct journal_filter *f, int limit, const struct fixtures *fx)
{
    /* copied under the lock, rendered and masked outside it: recording never waits on a listing */
    int cap = limit > 0 && limit < j->capacity ? limit : j->capacity, n = 0, npicks = 0, room = cap;
    struct pick *picks = malloc((size_t)room * sizeof *picks);
    struct entry *picked = malloc((size_t)cap * sizeof *picked);
    pthread_mutex_lock(&j->lock);
    EACH_RING(j, f, x) {
        int taken = 0; /* each ring's newest cap at most */
        for (int i = x->n - 1; i >= 0 && taken < cap; i--) {
            const struct entry *e = slot_at(x, i);
            if (!matches(e, f))
                continue;
            if (npicks == room) {
                room *= 2;
                struct pick *more = realloc(picks, (size_t)room * sizeof *picks);
                if (!more)
                    break;
                picks = more;
            }
            picks[npicks++] = (struct pick){e->seq, e};
            taken++;
        }
    }
    qsort(picks, (size_t)npicks, sizeof *picks, newest_first);
    for (int i = 0; i < npicks && n < cap; i++) {
        const struct entry *e = picks[i].e;
        picked[n] = *e;
        size_t used = e->off_resp + e->resp_len + 1;
        picked[n].buf = malloc(used);
        memcpy(picked[n].buf, e->buf, used);
        n++;
    }
    pthread_mutex_unlock(&j->lock);
    free(picks);
    cJSON *out = cJSON_CreateArray();
    for (int i = n - 1; i >= 0; i--) { /* oldest first */
        cJSON_AddItemToArray(out, entry_view(&picked[i], fx));
        free(picked[i].buf);
    }
    free(picked);
    return out;
}

static int count_locked(struct journal *j, const struct journal_filter *f)
{
    int n = 0;
    EACH_RING(j, f, x)
        for (int i = 0; i < x->n; i++)
            n += matches(slot_at(x, i), f);
    return n;
}

int journal_count(struct journal *j, const struct journal_filter *f)
{
    pthread_mutex_lock(&j->lock);
    int n = count_locked(j, f);
    pthread_mutex_unlock(&j->lock);
    return n;
}

int journal_wait(struct journal *j, const struct journal_filter *f, int count, int timeout_ms)
{
    struct waiter w = {.f = f, .want = count};
    pthread_mutex_lock(&j->lock);
    w.have = count_locked(j, f); /* the one scan: from here on each new entry counts itself */
    if (w.have < count && !j->closed && timeout_ms > 0) {
        pthread_condattr_t a;
        pthread_condattr_init(&a);
        pthread_condattr_setclock(&a, CLOCK_MONOTONIC); /* a wall-clock jump cannot cut it short */
        pthread_cond_init(&w.cv, &a);
        pthread_condattr_destroy(&a);
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        w.next = j->waiters;
        j->waiters = &w;
        while (w.have < count && !j->closed)
            if (pthread_cond_timedwait(&w.cv, &j->lock, &deadline) != 0)
                break;
        for (struct waiter **p = &j->waiters; *p; p = &(*p)->next)
            if (*p == &w) {
                *p = w.next;
                break;
            }
        pthread_cond_destroy(&w.cv);
    }
    int have = w.have;
    pthread_mutex_unlock(&j->lock);
    return have;
}

long long journal_seq_of(struct journal *j, const char *request_id)
{
    long long seq = -1;
    struct journal_filter all = {0};
    pthread_mutex_lock(&j->lock);
    EACH_RING(j, &all, x)
        for (int i = 0; i < x->n && seq < 0; i++)
            if (slot_at(x, i)->seq && !strcmp(slot_at(x, i)->request_id, request_id))
                seq = slot_at(x, i)->seq;
    pthread_mutex_unlock(&j->lock);
    return seq;
}

size_t journal_bytes(struct journal *j, const char *tenant)
{
    pthread_mutex_lock(&j->lock);
    struct ring *x = ring_of(j, tenant, 0);
    size_t n = x ? x->bytes : 0;
    pthread_mutex_unlock(&j->lock);
    return n;
}

void journal_clear(struct journal *j, const char *tenant)
{
    pthread_mutex_lock(&j->lock);
    for (int b = 0; b < BUCKETS; b++)
        for (struct ring **p = &j->bucket[b]; *p;) {
            struct ring *x = *p;
            if (tenant && strcmp(x->tenant, tenant)) {
                p = &x->next;
                continue;
            }
            *p = x->next; /* the tenant's memory goes with its entries (a dropped tenant's too) */
            j->bytes -= x->bytes;
            ring_free(x);
        }
    for (struct waiter *w = j->waiters; w; w = w->next)
        w->have = count_locked(j, w->f);
    pthread_mutex_unlock(&j->lock);
}
