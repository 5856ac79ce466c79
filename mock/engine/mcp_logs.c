/* mcp_logs.c: the MCP audit log, a ring of tool-call records per tenant in memory, bounded in
 * records and bytes; a payload is kept only as far as a record shows it. Not in the store: a tool
 * call must not take the store's write lock a second time just to be journaled (it halved the
 * MCP route's throughput), and like /__mock/requests it is a debugging view. */
#include "engine/mcp_logs.h"
#include "base/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A record's fields, copied into one block; the JSON is built only when someone lists the log
 * (building and printing it per call was a sixth of a tool call's cost). */
enum { F_STATUS, F_TOOL, F_ACTION, F_APP, F_TYPE, F_LA, F_SERVER, F_REQUEST, F_RESPONSE, F_CLIENT, F_PV, F_REQID, NF };

struct entry {
    char tenant[80];
    char id[25];        /* drawn when first listed: ids are random, so nothing sees the delay */
    char *blob;         /* the fields' strings */
    size_t size;        /* blob's bytes */
    const char *f[NF];  /* into blob; NULL for a field left out */
    int cut;            /* request and/or response were longer than shown: kept cut (1 << F_*) */
    double duration_ms;
    long long at_ms;
};

/* One tenant's records, the oldest at e[head]; grown on demand up to the capacity. */
struct tlog {
    struct tlog *next;
    char tenant[80];
    struct entry *e;
    int cap, head, n;
    size_t bytes;
};

#define BUCKETS 64

struct mcp_logs {
    pthread_mutex_t lock;
    struct tlog *bucket[BUCKETS];
    int capacity; /* records per tenant */
    size_t tenant_bytes, total_bytes; /* MCP_LOG_TENANT_BYTES, MCP_LOG_TOTAL_BYTES */
    size_t bytes; /* held now, all tenants */
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h % BUCKETS;
}

static struct tlog *tlog_of(struct mcp_logs *l, const char *tenant, int create)
{
    struct tlog **at = &l->bucket[hash(tenant)];
    for (struct tlog *x = *at; x; x = x->next)
        if (!strcmp(x->tenant, tenant))
            return x;
    if (!create)
        return NULL;
    struct tlog *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    util_copy(x->tenant, sizeof x->tenant, tenant);
    x->next = *at;
    *at = x;
    return x;
}

static struct entry *rec_at(const struct tlog *x, int i) { return &x->e[(x->head + i) % x->cap]; }

static void tlog_free(struct tlog *x)
{
    for (int i = 0; i < x->n; i++)
        free(rec_at(x, i)->blob);
    free(x->e);
    free(x);
}

struct mcp_logs *mcp_logs_new(int capacity)
{
    struct mcp_logs *l = calloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->capacity = capacity;
    l->tenant_bytes = MCP_LOG_TENANT_BYTES;
    l->total_bytes = MCP_LOG_TOTAL_BYTES;
    return l;
}

void mcp_logs_set_limits(struct mcp_logs *l, size_t tenant_bytes, size_t total_bytes)
{
    pthread_mutex_lock(&l->lock);
    l->tenant_bytes = tenant_bytes;
    l->total_bytes = total_bytes;
    pthread_mutex_unlock(&l->lock);
}

/* x's oldest record goes (lock held). */
static void drop_oldest(struct mcp_logs *l, struct tlog *x)
{
    struct entry *old = rec_at(x, 0);
    x->bytes -= old->size;
    l->bytes -= old->size;
    free(old->blob);
    old->blob = NULL;
    x->head = (x->head + 1) % x->cap;
    x->n--;
}

void mcp_logs_free(struct mcp_logs *l)
{
    if (!l)
        return;
    mcp_logs_clear(l, NULL);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

void mcp_logs_clear(struct mcp_logs *l, const char *tenant)
{
    pthread_mutex_lock(&l->lock);
    for (int b = 0; b < BUCKETS; b++)
        for (struct tlog **p = &l->bucket[b]; *p;) {
            struct tlog *x = *p;
            if (tenant && strcmp(x->tenant, tenant)) {
                p = &x->next;
                continue;
            }
            *p = x->next;
            l->bytes -= x->bytes;
            tlog_free(x);
        }
    pthread_mutex_unlock(&l->lock);
}

size_t mcp_logs_bytes(struct mcp_logs *l, const char *tenant)
{
    pthread_mutex_lock(&l->lock);
    struct tlog *x = tlog_of(l, tenant, 0);
    size_t n = x ? x->bytes : 0;
    pthread_mutex_unlock(&l->lock);
    return n;
}

/* How much of text a record keeps: all of it up to max bytes, else its first max bytes cut
 * back to a whole UTF-8 character (what the listing shows of it anyway). */
static size_t kept_len(const char *text, size_t max, int *cut)
{
    size_t n = strlen(text);
    *cut = n > max;
    if (!*cut)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void mcp_logs_add(struct mock *m, const struct tenant *t, const struct mcp_log_call *c)
{
    struct mcp_logs *l = m->mcp_logs;
    const char *in[NF] = {c->status, c->tool, c->action, c->application, c->target_type, c->linked_account, c->server,
                          c->request, c->response, c->client_name, c->protocol_version, c->request_id};
    static const int optional = 1 << F_ACTION | 1 << F_APP | 1 << F_TYPE;
    size_t len[NF], total = 0;
    int cut = 0;
    for (int i = 0; i < NF; i++) {
        if (!in[i] && !(optional & 1 << i))
            in[i] = "";
        int c1 = 0;
        /* a 1 MB payload is kept as the 32 or 64 KB the record shows, not whole */
        len[i] = !in[i] ? 0 : i == F_REQUEST ? kept_len(in[i], MCP_LOG_INPUT_MAX, &c1) + 1
                            : i == F_RESPONSE ? kept_len(in[i], MCP_LOG_OUTPUT_MAX, &c1) + 1 : strlen(in[i]) + 1;
        cut |= c1 << i;
        total += len[i];
    }
    char *blob = malloc(total ? total : 1);
    if (!blob)
        return;
    struct entry e = {.blob = blob, .size = total, .cut = cut, .duration_ms = c->duration_ms, .at_ms = c->at_ms};
    util_copy(e.tenant, sizeof e.tenant, t->id);
    for (int i = 0; i < NF; i++) {
        if (!in[i])
            continue;
        memcpy(blob, in[i], len[i] - 1);
        blob[len[i] - 1] = 0;
        e.f[i] = blob;
        blob += len[i];
    }
    pthread_mutex_lock(&l->lock);
    struct tlog *x = tlog_of(l, t->id, 1);
    if (!x) {
        pthread_mutex_unlock(&l->lock);
        free(e.blob);
        return;
    }
    /* the tenant's oldest go: at the capacity, or past its bytes */
    while (x->n > 0 && (x->n == l->capacity || x->bytes + e.size > l->tenant_bytes))
        drop_oldest(l, x);
    /* all tenants together stay under the total: the one holding the most gives way */
    while (l->bytes + e.size > l->total_bytes) {
        struct tlog *big = NULL;
        for (int b = 0; b < BUCKETS; b++)
            for (struct tlog *y = l->bucket[b]; y; y = y->next)
                if (y->n > 0 && (!big || y->bytes > big->bytes))
                    big = y;
        if (!big)
            break;
        drop_oldest(l, big);
    }
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 16;
        if (cap > l->capacity)
            cap = l->capacity;
        struct entry *grown = calloc((size_t)cap, sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&l->lock);
            free(e.blob);
            return;
        }
        for (int i = 0; i < x->n; i++)
            grown[i] = *rec_at(x, i);
        free(x->e);
        x->e = grown;
        x->cap = cap;
        x->head = 0;
    }
    *rec_at(x, x->n++) = e;
    x->bytes += e.size;
    l->bytes += e.size;
    pthread_mutex_unlock(&l->lock);
}

/* A captured payload as the record shows it: the JSON, or, when it was cut, its first bytes as a string. */
static cJSON *payload(const char *text, int cut, int *truncated)
{
    if (cut) {
        *truncated = 1;
        return cJSON_CreateString(text);
    }
    cJSON *v = cJSON_Parse(text);
    return v ? v : cJSON_CreateNull();
}

/* The record of x, in the shape docs/mcp/operate-logs.mdx shows. */
static cJSON *record(const struct tenant *t, struct entry *x)
{
    char at[32];
    int truncated = 0;
    if (!x->id[0])
        util_new_id(x->id);
    util_iso8601(x->at_ms, at);
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "status", x->f[F_STATUS]);
    cJSON_AddStringToObject(rec, "tool", x->f[F_TOOL]);
    if (x->f[F_ACTION])
        cJSON_AddStringToObject(rec, "action", x->f[F_ACTION]);
    if (x->f[F_APP])
        cJSON_AddStringToObject(rec, "application", x->f[F_APP]);
    if (x->f[F_TYPE])
        cJSON_AddStringToObject(rec, "target_type", x->f[F_TYPE]);
    cJSON *id = cJSON_AddObjectToObject(rec, "identity");
    cJSON_AddStringToObject(id, "organization", t->org_id);
    cJSON_AddStringToObject(id, "linkedAccount", x->f[F_LA]);
    cJSON_AddStringToObject(id, "server", x->f[F_SERVER]);
    cJSON_AddStringToObject(id, "environment", t->environment);
    cJSON_AddItemToObject(rec, "request", payload(x->f[F_REQUEST], x->cut & 1 << F_REQUEST, &truncated));
    cJSON_AddItemToObject(rec, "response", payload(x->f[F_RESPONSE], x->cut & 1 << F_RESPONSE, &truncated));
    cJSON *cl = cJSON_AddObjectToObject(rec, "client");
    cJSON_AddStringToObject(cl, "name", x->f[F_CLIENT]);
    cJSON_AddStringToObject(cl, "transport", "streamable-http");
    cJSON_AddStringToObject(cl, "protocolVersion", x->f[F_PV]);
    cJSON_AddStringToObject(rec, "request_id", x->f[F_REQID]);
    cJSON_AddNumberToObject(rec, "durationMs", x->duration_ms);
    cJSON_AddStringToObject(rec, "timestamp", at);
    cJSON_AddStringToObject(rec, "_id", x->id);
    cJSON_AddBoolToObject(rec, "truncated", truncated);
    return rec;
}

static int same(const char *want, const char *got) { return !want || !*want || (got && !strcmp(want, got)); }

cJSON *mcp_logs_list(struct mock *m, const struct tenant *t, const struct mcp_log_filter *f)
{
    struct mcp_logs *l = m->mcp_logs;
    cJSON *out = cJSON_CreateArray();
    pthread_mutex_lock(&l->lock);
    struct tlog *tl = tlog_of(l, t->id, 0);
    for (int i = 0; tl && i < tl->n; i++) {
        struct entry *x = rec_at(tl, i);
        if (same(f->status, x->f[F_STATUS]) && same(f->application, x->f[F_APP]) &&
            same(f->tool, x->f[F_TOOL]) && same(f->action, x->f[F_ACTION]) && same(f->server, x->f[F_SERVER]) &&
            same(f->linked_account_id, x->f[F_LA]))
            cJSON_AddItemToArray(out, record(t, x));
    }
    pthread_mutex_unlock(&l->lock);
    while (f->limit > 0 && cJSON_GetArraySize(out) > f->limit)
        cJSON_DeleteItemFromArray(out, 0);
    return out;
}
