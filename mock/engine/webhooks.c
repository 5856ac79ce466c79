/* webhooks.c: Refold's webhook events: matching subscriptions, payloads, signing, the durable
 * outbox, and the delivery thread (libcurl multi) with retries and exponential backoff. */
#define _GNU_SOURCE
#include "engine/webhooks.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/notify.h"
#include "base/store.h"
#include "engine/subscriptions.h"
#include "base/util.h"

#include "base/curl_lazy.h" /* libcurl, loaded on first use */
#include <limits.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_FLIGHT 64          /* attempts in progress at once for one tenant, across its subscriptions:
                                * one tenant's dead receivers must not hold back another's */
#define MAX_FLIGHT_ALL 1024    /* and for all tenants together (sockets and handles) */
#define MAX_WAIT_MS 1000       /* the thread looks at the outbox at least this often */

/* ---- payloads ---- */

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

/* The documented payloads, members in the documented order. */
static cJSON *build_payload(struct mock *m, const struct tenant *t, const char *event, const char *la, const cJSON *fields)
{
    cJSON *p = cJSON_CreateObject();
    add_str_or_null(p, "linked_account_id", la);
    if (webhooks_event_kind(event) == 2) {
        static const char *const wf[] = {"instance_id", "workflow_id", "config_id"};
        for (size_t i = 0; i < sizeof wf / sizeof wf[0]; i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, wf[i]);
            cJSON_AddItemToObject(p, wf[i], v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
        }
        cJSON_AddStringToObject(p, "event", event);
        add_str_or_null(p, "workflow_name", json_str(fields, "workflow_name"));
        cJSON_AddStringToObject(p, "status", webhooks_event_of(event)->status);
        return p;
    }
    cJSON_AddStringToObject(p, "org_id", t->org_id);
    cJSON_AddStringToObject(p, "environment", t->environment);
    cJSON_AddStringToObject(p, "type", "General");
    cJSON_AddStringToObject(p, "event", event);
    const cJSON *f;
    cJSON_ArrayForEach(f, fields)
        if (!cJSON_HasObjectItem(p, f->string) && strcmp(f->string, "createdAt"))
            cJSON_AddItemToObject(p, f->string, cJSON_Duplicate(f, 1));
    char at[40];
    util_rfc1123(clock_now(m, t), at); /* the event's tenant's time, whoever emits it */
    cJSON_AddStringToObject(p, "createdAt", at);
    return p;
}

static int has_string(const cJSON *arr, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
        if (cJSON_IsString(e) && s && !strcmp(e->valuestring, s))
            return 1;
    return 0;
}

/* Whether a subscription takes this event: enabled, subscribed to it, and for workflow events
 * within its workflow_ids and slug when it names them. A subscription with a slug takes only
 * workflow events (the spec's rule for registering one). */
static int sub_takes(const cJSON *sub, const char *event, const cJSON *fields)
{
    if (!json_bool(sub, "is_enabled", 1) || !has_string(cJSON_GetObjectItemCaseSensitive(sub, "webhook_events"), event))
        return 0;
    const char *slug = json_str(sub, "slug");
    if (webhooks_event_kind(event) != 2)
        return !(slug && *slug);
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(sub, "workflow_ids");
    if (cJSON_GetArraySize(ids) > 0 && !has_string(ids, json_str(fields, "workflow_id")))
        return 0;
    if (slug && *slug && (!json_str(fields, "slug") || strcmp(slug, json_str(fields, "slug"))))
        return 0;
    return 1;
}

/* Appends text to a growing buffer. */
struct sbuf {
    char *p;
    size_t len, cap;
};
static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* The value a placeholder names: "event" (the payload) or "event.<key>"; NULL when unknown
 * ({{workflow_response}} has no value outside a workflow's Response node). */
static const cJSON *placeholder(const cJSON *payload, const char *name, size_t n)
{
    if (n == 5 && !strncmp(name, "event", 5))
        return payload;
    if (n > 6 && !strncmp(name, "event.", 6)) {
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(n - 6), name + 6);
        return cJSON_GetObjectItemCaseSensitive(payload, key);
    }
    return NULL;
}

/* A custom subscription's body template with {{event}} / {{event.<key>}} filled in. A string
 * that is one placeholder takes the value itself (with its JSON type); placeholders inside
 * longer strings are replaced by their text. */
static cJSON *render(const cJSON *tpl, const cJSON *payload)
{
    if (cJSON_IsString(tpl)) {
        const char *s = tpl->valuestring;
        size_t len = strlen(s);
        if (len > 4 && !strncmp(s, "{{", 2) && !strcmp(s + len - 2, "}}") && !strstr(s + 2, "{{")) {
            const cJSON *v = placeholder(payload, s + 2, len - 4);
            return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
        }
        struct sbuf b = {0};
        sb_add(&b, "", 0);
        for (const char *p = s; *p;) {
            const char *open = strstr(p, "{{"), *close = open ? strstr(open + 2, "}}") : NULL;
            if (!close) {
                sb_add(&b, p, strlen(p));
                break;
            }
            sb_add(&b, p, (size_t)(open - p));
            const cJSON *v = placeholder(payload, open + 2, (size_t)(close - open - 2));
            if (cJSON_IsString(v)) {
                sb_add(&b, v->valuestring, strlen(v->valuestring));
            } else if (v) {
                char *text = cJSON_PrintUnformatted(v);
                sb_add(&b, text, strlen(text));
                free(text);
            }
            p = close + 2;
        }
        cJSON *out = cJSON_CreateString(b.p);
        free(b.p);
        return out;
    }
    if (cJSON_IsObject(tpl) || cJSON_IsArray(tpl)) {
        cJSON *out = cJSON_IsObject(tpl) ? cJSON_CreateObject() : cJSON_CreateArray();
        const cJSON *c;
        cJSON_ArrayForEach(c, tpl) {
            cJSON *v = render(c, payload);
            if (cJSON_IsObject(tpl))
                cJSON_AddItemToObject(out, c->string, v);
            else
                cJSON_AddItemToArray(out, v);
        }
        return out;
    }
    return cJSON_Duplicate(tpl, 1);
}

/* The exact bytes a subscription receives: the payload (default), a Slack message (slack), or
 * the rendered template (custom; a string template is sent as its text). */
static char *body_for(const cJSON *sub, const cJSON *payload)
{
    const char *type = json_str(sub, "webhook_type");
    if (type && !strcmp(type, "slack")) {
        char text[512];
        const char *la = json_str(payload, "linked_account_id"), *slug = json_str(payload, "slug");
        const char *wf = json_str(payload, "workflow_name");
        snprintf(text, sizeof text, "Refold: %s for linked account %s (%s)", json_str(payload, "event"),
                 la ? la : "-", slug ? slug : wf ? wf : "-");
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "text", text);
        char *out = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        return out;
    }
    const cJSON *tpl = cJSON_GetObjectItemCaseSensitive(sub, "webhook_body");
    if (type && !strcmp(type, "custom") && tpl && !(cJSON_IsString(tpl) && !strcmp(tpl->valuestring, "{{event}}"))) {
        cJSON *v = render(tpl, payload);
        char *out = cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
        cJSON_Delete(v);
        return out;
    }
    return cJSON_PrintUnformatted(payload);
}

void webhooks_sign(const char *key, const char *body, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)body, len, mac, &maclen);
    for (unsigned i = 0; i < maclen && i < 32; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = 0;
}

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


void webhooks_emit(struct mock *m, const struct tenant *t, const char *event, const char *la, const cJSON *fields)
{
    if (!webhooks_event_kind(event))
        return;
    cJSON *subs = subscriptions_list(m, t, NULL);
    cJSON *payload = NULL, *sub;
    long long now = wall_ms();
    int queued = 0;
    cJSON_ArrayForEach(sub, subs) {
        if (!sub_takes(sub, event, fields))
            continue;
        /* one a session token registered hears its own linked account's events only */
        char owner[MOCK_ID_LEN] = "";
        if (subscriptions_owner(m, t, json_str(sub, "_id"), owner) && owner[0] &&
            (!la || strcmp(owner, la)))
            continue;
        if (!payload)
            payload = build_payload(m, t, event, la, fields);
        char *body = body_for(sub, payload), sig[65];
        webhooks_sign(t->api_key, body, strlen(body), sig);
        if (store_outbox_add(m->store, t->id, event, la, json_str(sub, "_id"), json_str(sub, "webhook_url"), body, sig, now) > 0)
            queued++;
        free(body);
    }
    cJSON_Delete(payload);
    cJSON_Delete(subs);
    if (queued) {
        webhooks_kick(m);
        notify_bump(m->outbox_changed); /* a waiter re-reads after the commit: the store lock holds it */
    }
}

void webhooks_emit_workflow(struct mock *m, const struct tenant *t, const char *la, const char *event,
                            const char *instance_id, const char *workflow_id, const char *config_id,
                            const char *workflow_name, const char *slug)
{
    cJSON *f = cJSON_CreateObject();
    add_str_or_null(f, "instance_id", instance_id);
    add_str_or_null(f, "workflow_id", workflow_id);
    add_str_or_null(f, "config_id", config_id);
    add_str_or_null(f, "workflow_name", workflow_name);
    if (slug)
        cJSON_AddStringToObject(f, "slug", slug);
    webhooks_emit(m, t, event, la, f);
    cJSON_Delete(f);
}

/* ---- delivery ---- */

/* Each subscription receives its events in order, one attempt at a time; different
 * subscriptions proceed in parallel (one slow or dead endpoint delays only itself); a retry
 * holds its subscription's later events until it is delivered or given up. Claimed rows
 * wait in the subscription's in-memory queue, so the next one starts the moment the previous
 * answer arrives, without a database round; claimed rows are 'sending' in the outbox and go back
 * to pending if the mock stops before sending them. */
#define PREFETCH 32      /* rows claimed per subscription per round */
#define MAX_QUEUED 2048  /* claimed rows held in memory in all */

struct flight {
    cJSON *row;                 /* the claimed outbox row; its payload is the request body */
    CURL *easy;
    struct curl_slist *headers;
    struct subq *q;
    long long started_us, started_wall;
    char errbuf[CURL_ERROR_SIZE];
};

struct subq {
    char id[64];                /* the subscription (webhook _id) */
    cJSON *queue;               /* claimed rows not sent yet, oldest first */
    struct flight *fl;          /* the attempt in progress, or NULL */
};

struct webhooks {
    struct mock *m;
    CURLM *multi;               /* made (and libcurl loaded) by the first delivery; under idle_lock */
    pthread_mutex_t idle_lock;  /* until then the thread waits on idle, not on curl_multi_poll */
    pthread_cond_t idle;
    pthread_t thread;
    atomic_int kicked, stop;
    long timeout_ms;
    struct subq *subs;
    int nsubs, capsubs, nflight, nqueued;
    long long next_due;         /* wall ms of the next scheduled retry, or LLONG_MAX */
    int finished[256];          /* finished attempts since the last prune, by a hash of the tenant
                                 * (tenants sharing a slot are pruned more often, never less) */
};

/* Keeps tenant's outbox history bounded: pruned once per WEBHOOKS_PRUNE_EVERY of its finished
 * deliveries (a loop once left 30,890 rows in 8 s, and nothing ever removed them). */
static void count_finished(struct webhooks *w, const char *tenant)
{
    unsigned h = 5381;
    for (const char *c = tenant; *c; c++)
        h = h * 33 + (unsigned char)*c;
    int *n = &w->finished[h % (sizeof w->finished / sizeof w->finished[0])];
    if (++*n < WEBHOOKS_PRUNE_EVERY)
        return;
    *n = 0;
    store_outbox_prune(w->m->store, tenant, WEBHOOKS_KEEP_FINISHED);
}

struct outbox_wait {
    struct mock *m;
    const char *tenant, *event, *la, *status;
    int want, have;
};

static int outbox_enough(void *arg)
{
    struct outbox_wait *w = arg;
    cJSON *rows = store_outbox_list(w->m->store, w->tenant, w->event, w->la, w->status, 0, w->want);
    w->have = cJSON_GetArraySize(rows);
    cJSON_Delete(rows);
    return w->have >= w->want;
}

int webhooks_wait(struct mock *m, const char *tenant, const char *event, const char *la, const char *status, int count,
                  int timeout_ms)
{
    struct outbox_wait w = {m, tenant, event, la, status, count, 0};
    notify_wait(m->outbox_changed, outbox_enough, &w, timeout_ms);
    return w.have;
}

/* Wakes the delivery thread: in curl_multi_poll once libcurl is in use, else on its condition. */
static void wake(struct webhooks *w)
{
    pthread_mutex_lock(&w->idle_lock);
    if (w->multi)
        curl_multi_wakeup(w->multi);
    else
        pthread_cond_signal(&w->idle);
    pthread_mutex_unlock(&w->idle_lock);
}

void webhooks_kick(struct mock *m)
{
    /* request threads may run before webhooks_start has published the thread's state */
    struct webhooks *w = __atomic_load_n(&m->webhooks, __ATOMIC_ACQUIRE);
    if (!w)
        return;
    atomic_store(&w->kicked, 1);
    wake(w);
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

/* Records the outcome of one attempt: delivered on 2xx; otherwise retried after
 * base * 2^(attempt-1) ms, until WEBHOOK_RETRIES retries have failed too (final: no retry).
 * Returns when the retry is due (wall ms), or 0. */
static long long record(struct webhooks *w, cJSON *row, long long started_wall, long status_code, double latency_ms,
                        const char *error, int final)
{
    cJSON *attempts = cJSON_GetObjectItemCaseSensitive(row, "attempts");
    int n = (int)json_num(row, "attempt_count", 0) + 1;
    char at[32];
    util_iso8601(started_wall, at);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "attempt", n);
    cJSON_AddStringToObject(a, "at", at);
    if (status_code > 0)
        cJSON_AddNumberToObject(a, "status_code", (double)status_code);
    else
        cJSON_AddNullToObject(a, "status_code");
    cJSON_AddNumberToObject(a, "latency_ms", (double)llround(latency_ms * 1000.0) / 1000.0);
    add_str_or_null(a, "error", error);
    cJSON_AddItemToArray(attempts, a);
    const char *status = "delivered";
    long long next = wall_ms() + 1, retry = 0; /* rounded up: the wait is never shorter than the backoff */
    if (error) {
        if (final || n > WEBHOOK_RETRIES) {
            status = "failed";
        } else {
            status = "pending";
            next += (long long)w->m->opt.webhook_backoff_ms << (n - 1);
            retry = next;
        }
    }
    char *text = cJSON_PrintUnformatted(attempts);
    store_outbox_update(w->m->store, (long long)json_num(row, "id", 0), status, text, n, next);
    free(text);
    if (strcmp(status, "pending"))
        count_finished(w, json_str(row, "tenant") ? json_str(row, "tenant") : "");
    notify_bump(w->m->outbox_changed);
    return retry;
}

static void free_flight(struct flight *f)
{
    if (f->easy)
        curl_easy_cleanup(f->easy);
    curl_slist_free_all(f->headers);
    cJSON_Delete(f->row);
    free(f);
}

static struct subq *subq_of(struct webhooks *w, const char *id)
{
    for (int i = 0; i < w->nsubs; i++)
        if (!strcmp(w->subs[i].id, id))
            return &w->subs[i];
    if (w->nsubs == w->capsubs) {
        w->capsubs = w->capsubs ? 2 * w->capsubs : 16;
        w->subs = realloc(w->subs, (size_t)w->capsubs * sizeof *w->subs);
        for (int i = 0; i < w->nsubs; i++) /* flights point at their queue: it moved */
            if (w->subs[i].fl)
                w->subs[i].fl->q = &w->subs[i];
    }
    struct subq *q = &w->subs[w->nsubs++];
    memset(q, 0, sizeof *q);
    util_copy(q->id, sizeof q->id, id);
    q->queue = cJSON_CreateArray();
    return q;
}

/* Starts one attempt for a claimed row, or ends it at once: a row a reset wiped is dropped; a
 * subscription deleted meanwhile fails it. The subscription is read now for its method and
 * custom headers. */
static void launch(struct webhooks *w, struct subq *q, cJSON *row)
{
    struct mock *m = w->m;
    if (!store_outbox_claimed(m->store, (long long)json_num(row, "id", 0))) {
        cJSON_Delete(row);
        return;
    }
    cJSON *sub = subscriptions_get_in(m, json_str(row, "tenant"), json_str(row, "webhook_id"));
    if (!sub) { /* nothing is subscribed any more: no request, no further attempts */
        record(w, row, wall_ms(), 0, 0, "not sent: the webhook subscription was deleted", 1);
        cJSON_Delete(row);
        return;
    }
    struct flight *f = calloc(1, sizeof *f);
    f->row = row;
    f->q = q;
    f->easy = curl_easy_init();
    char h[160];
    f->headers = curl_slist_append(f->headers, "Content-Type: application/json");
    snprintf(h, sizeof h, "x-cobalt-signature: %s", json_str(row, "signature"));
    f->headers = curl_slist_append(f->headers, h);
    f->headers = curl_slist_append(f->headers, "User-Agent: refold-mock/" REFOLD_VERSION);
    snprintf(h, sizeof h, WEBHOOKS_MARK_HEADER ": %s", m->delivery_mark);
    f->headers = curl_slist_append(f->headers, h);
    f->headers = curl_slist_append(f->headers, "Expect:");
    const cJSON *hv;
    cJSON_ArrayForEach(hv, cJSON_GetObjectItemCaseSensitive(sub, "webhook_headers")) {
        if (!strcasecmp(hv->string, "x-cobalt-signature") || !strcasecmp(hv->string, "content-length") ||
            !strcasecmp(hv->string, "host") || !strcasecmp(hv->string, WEBHOOKS_MARK_HEADER))
            continue; /* the signature and framing are ours to set */
        char *v = cJSON_IsString(hv) ? strdup(hv->valuestring) : cJSON_PrintUnformatted(hv), *line = NULL;
        if (asprintf(&line, "%s: %s", hv->string, v) >= 0) {
            f->headers = curl_slist_append(f->headers, line);
            free(line);
        }
        free(v);
    }
    const char *method = json_str(sub, "method") ? json_str(sub, "method") : "POST";
    const char *body = json_str(row, "payload");
    CURL *e = f->easy;
    curl_easy_setopt(e, CURLOPT_URL, json_str(row, "url"));
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    if (strcmp(method, "POST"))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, w->timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, f->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, f);
    cJSON_Delete(sub);
    f->started_us = util_mono_us();
    f->started_wall = wall_ms();
    curl_multi_add_handle(w->multi, e);
    q->fl = f;
    w->nflight++;
}

/* Claims due rows for the subscriptions that have nothing queued or in flight. */
static void claim(struct webhooks *w, long long now)
{
    if (w->nqueued >= MAX_QUEUED)
        return;
    cJSON *busy = cJSON_CreateArray();
    for (int i = 0; i < w->nsubs; i++)
        if (w->subs[i].fl || cJSON_GetArraySize(w->subs[i].queue) > 0)
            cJSON_AddItemToArray(busy, cJSON_CreateString(w->subs[i].id));
    char *busy_text = cJSON_PrintUnformatted(busy);
    cJSON_Delete(busy);
    cJSON *rows = store_outbox_claim(w->m->store, now, busy_text, PREFETCH, MAX_QUEUED - w->nqueued);
    free(busy_text);
    while (cJSON_GetArraySize(rows) > 0) {
        cJSON *row = cJSON_DetachItemFromArray(rows, 0);
        cJSON_AddItemToArray(subq_of(w, json_str(row, "webhook_id"))->queue, row);
        w->nqueued++;
    }
    cJSON_Delete(rows);
}

/* Starts the next queued row of every subscription not sending; forgets those with nothing left. */
static void dispatch(struct webhooks *w)
{
    /* attempts in flight per tenant (a subscription belongs to one tenant) */
    cJSON *flying = cJSON_CreateObject();
    for (int i = 0; i < w->nsubs; i++)
        if (w->subs[i].fl) {
            const char *t = json_str(w->subs[i].fl->row, "tenant");
            cJSON *n = cJSON_GetObjectItemCaseSensitive(flying, t);
            if (n)
                cJSON_SetNumberValue(n, n->valuedouble + 1);
            else
                cJSON_AddNumberToObject(flying, t, 1);
        }
    store_begin(w->m->store); /* one transaction for the round's reads and failures */
    for (int i = 0; i < w->nsubs; i++) {
        struct subq *q = &w->subs[i];
        while (!q->fl && cJSON_GetArraySize(q->queue) > 0 && w->nflight < MAX_FLIGHT_ALL) {
            const char *t = json_str(cJSON_GetArrayItem(q->queue, 0), "tenant");
            cJSON *n = cJSON_GetObjectItemCaseSensitive(flying, t);
            if (!n)
                n = cJSON_AddNumberToObject(flying, t, 0);
            if (n->valuedouble >= MAX_FLIGHT)
                break;
            cJSON_SetNumberValue(n, n->valuedouble + 1);
            w->nqueued--;
            launch(w, q, cJSON_DetachItemFromArray(q->queue, 0));
        }
    }
    store_commit(w->m->store);
    cJSON_Delete(flying);
    for (int i = 0; i < w->nsubs;) {
        struct subq *q = &w->subs[i];
        if (q->fl || cJSON_GetArraySize(q->queue) > 0) {
            i++;
            continue;
        }
        cJSON_Delete(q->queue);
        w->subs[i] = w->subs[--w->nsubs];
        if (i < w->nsubs && w->subs[i].fl)
            w->subs[i].fl->q = &w->subs[i];
    }
}

/* A failed attempt will be retried: the subscription's rows claimed after it go back to pending,
 * to wait behind the retry (the claim query passes none of them before it). */
static void hold_behind_retry(struct webhooks *w, struct subq *q)
{
    while (cJSON_GetArraySize(q->queue) > 0) {
        cJSON *row = cJSON_DetachItemFromArray(q->queue, 0);
        char *attempts = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(row, "attempts"));
        store_outbox_update(w->m->store, (long long)json_num(row, "id", 0), "pending", attempts,
                            (int)json_num(row, "attempt_count", 0), wall_ms());
        free(attempts);
        cJSON_Delete(row);
        w->nqueued--;
    }
}

/* Collects finished attempts; returns how many finished. */
static int reap(struct webhooks *w)
{
    int done = 0, left;
    CURLMsg *msg;
    store_begin(w->m->store); /* one commit for every outcome of this round */
    while ((msg = curl_multi_info_read(w->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct flight *f = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&f);
        CURLcode res = msg->data.result;
        long code = 0;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
        double latency = (double)(util_mono_us() - f->started_us) / 1000.0;
        char err[CURL_ERROR_SIZE + 32];
        const char *error = NULL;
        if (res != CURLE_OK) {
            snprintf(err, sizeof err, "%s", f->errbuf[0] ? f->errbuf : curl_easy_strerror(res));
            error = err;
        } else if (code < 200 || code > 299) {
            snprintf(err, sizeof err, "HTTP %ld", code);
            error = err;
        }
        long long retry = record(w, f->row, f->started_wall, res == CURLE_OK ? code : 0, latency, error, 0);
        if (retry && retry < w->next_due)
            w->next_due = retry;
        if (retry)
            hold_behind_retry(w, f->q);
        curl_multi_remove_handle(w->multi, f->easy);
        f->q->fl = NULL;
        w->nflight--;
        free_flight(f);
        done++;
    }
    store_commit(w->m->store);
    return done;
}

static int any_idle(struct webhooks *w)
{
    for (int i = 0; i < w->nsubs; i++)
        if (!w->subs[i].fl && cJSON_GetArraySize(w->subs[i].queue) == 0)
            return 1;
    return 0;
}

/* Until the first delivery is claimed the thread sleeps here (a kick, a stop or the next retry
 * wakes it), so a mock that never delivers a webhook never loads libcurl. */
static void idle_wait(struct webhooks *w)
{
    long long wait = w->next_due == LLONG_MAX ? MAX_WAIT_MS : w->next_due - wall_ms();
    if (wait > MAX_WAIT_MS)
        wait = MAX_WAIT_MS;
    pthread_mutex_lock(&w->idle_lock);
    if (wait > 0 && !atomic_load(&w->kicked) && !atomic_load(&w->stop)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += wait / 1000;
        ts.tv_nsec += (wait % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->idle, &w->idle_lock, &ts);
    }
    pthread_mutex_unlock(&w->idle_lock);
}

/* 1 when there is something to send and libcurl is ready for it. */
static int ensure_multi(struct webhooks *w)
{
    if (w->nqueued == 0)
        return 0;
    pthread_mutex_lock(&w->idle_lock);
    if (!w->multi)
        w->multi = curl_multi_init();
    pthread_mutex_unlock(&w->idle_lock);
    if (!w->multi) { /* (curl_lazy said why, once) the rows stay claimed until the stop requeues them */
        return 0;
    }
    return 1;
}

static void *run(void *arg)
{
    struct webhooks *w = arg;
    int again = 1;
    w->next_due = 0;
    while (!atomic_load(&w->stop)) {
        long long now = wall_ms();
        if (atomic_exchange(&w->kicked, 0) || again || now >= w->next_due) {
            claim(w, now);
            w->next_due = store_outbox_next_after(w->m->store, now);
            again = 0;
        }
        if (!w->multi && !ensure_multi(w)) { /* nothing to send yet: no libcurl either */
            idle_wait(w);
            continue;
        }
        dispatch(w);
        int running = 0;
        curl_multi_perform(w->multi, &running);
        if (reap(w) > 0) {
            /* a subscription whose queue ran dry may have more waiting in the outbox */
            again = any_idle(w);
            continue;
        }
        long long wait = w->next_due == LLONG_MAX ? MAX_WAIT_MS : w->next_due - wall_ms();
        if (wait < 0)
            wait = 0;
        if (wait > MAX_WAIT_MS)
            wait = MAX_WAIT_MS;
        curl_multi_poll(w->multi, NULL, 0, (int)wait, NULL);
    }
    return NULL;
}

int webhooks_start(struct mock *m)
{
    struct webhooks *w = calloc(1, sizeof *w);
    w->m = m;
    w->timeout_ms = m->opt.webhook_timeout_ms > 0 ? m->opt.webhook_timeout_ms : WEBHOOK_TIMEOUT_MS;
    pthread_mutex_init(&w->idle_lock, NULL);
    pthread_cond_init(&w->idle, NULL);
    /* A previous run stopped mid-attempt: those deliveries go again (at least once, as the
     * docs warn receivers to expect). */
    store_outbox_requeue(m->store);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        pthread_mutex_destroy(&w->idle_lock);
        pthread_cond_destroy(&w->idle);
        free(w);
        return -1;
    }
    __atomic_store_n(&m->webhooks, w, __ATOMIC_RELEASE);
    return 0;
}

void webhooks_stop(struct mock *m)
{
    struct webhooks *w = m->webhooks;
    if (!w)
        return;
    atomic_store(&w->stop, 1);
    wake(w);
    pthread_join(w->thread, NULL);
    __atomic_store_n(&m->webhooks, NULL, __ATOMIC_RELEASE);
    for (int i = 0; i < w->nsubs; i++) {
        if (w->subs[i].fl) {
            curl_multi_remove_handle(w->multi, w->subs[i].fl->easy);
            free_flight(w->subs[i].fl);
        }
        cJSON_Delete(w->subs[i].queue);
    }
    free(w->subs);
    /* Attempts cut short by the stop, and rows claimed but not sent, stay pending for the next start. */
    store_outbox_requeue(m->store);
    if (w->multi)
        curl_multi_cleanup(w->multi);
    pthread_mutex_destroy(&w->idle_lock);
    pthread_cond_destroy(&w->idle);
    free(w);
}

cJSON *webhooks_deliveries(struct mock *m, const char *tenant, const char *event, const char *la, const char *status,
                           long long before_id, int limit)
{
    cJSON *rows = store_outbox_list(m->store, tenant, event, la, status, before_id, limit);
    cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        /* the body as sent (for checking the signature byte for byte) and parsed */
        cJSON *payload = cJSON_Parse(json_str(row, "body"));
        cJSON_AddItemToObject(row, "payload", payload ? payload : cJSON_CreateNull());
        char at[32];
        util_iso8601((long long)json_num(row, "created_ms", 0), at);
        cJSON_AddStringToObject(row, "created_at", at);
        if (!strcmp(json_str(row, "status"), "pending")) {
            util_iso8601((long long)json_num(row, "next_at_ms", 0), at);
            cJSON_AddStringToObject(row, "next_attempt_at", at);
        } else {
            cJSON_AddNullToObject(row, "next_attempt_at");
        }
        cJSON_DeleteItemFromObjectCaseSensitive(row, "created_ms");
        cJSON_DeleteItemFromObjectCaseSensitive(row, "next_at_ms");
    }
    return rows;
}
