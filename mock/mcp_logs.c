/* mcp_logs.c: the MCP audit log, a ring of tool-call records in memory. Not in the store: a tool
 * call must not take the store's write lock a second time just to be journaled (it halved the
 * MCP route's throughput), and like /__mock/requests it is a debugging view. */
#include "mcp_logs.h"
#include "util.h"

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
    const char *f[NF];  /* into blob; NULL for a field left out */
    double duration_ms;
    long long at_ms;
};

struct mcp_logs {
    pthread_mutex_t lock;
    struct entry *e;
    int cap, head, n; /* the oldest is e[head] */
};

struct mcp_logs *mcp_logs_new(int capacity)
{
    struct mcp_logs *l = calloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->cap = capacity;
    l->e = calloc((size_t)capacity, sizeof *l->e);
    return l;
}

void mcp_logs_free(struct mcp_logs *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->cap; i++)
        free(l->e[i].blob);
    free(l->e);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

void mcp_logs_clear(struct mcp_logs *l, const char *tenant)
{
    pthread_mutex_lock(&l->lock);
    int keep = 0;
    struct entry *kept = calloc((size_t)l->cap, sizeof *kept);
    for (int i = 0; i < l->n; i++) {
        struct entry *x = &l->e[(l->head + i) % l->cap];
        if (tenant && strcmp(x->tenant, tenant))
            kept[keep++] = *x;
        else
            free(x->blob);
    }
    free(l->e);
    l->e = kept;
    l->head = 0;
    l->n = keep;
    pthread_mutex_unlock(&l->lock);
}

void mcp_logs_add(struct mock *m, const struct tenant *t, const struct mcp_log_call *c)
{
    struct mcp_logs *l = m->mcp_logs;
    const char *in[NF] = {c->status, c->tool, c->action, c->application, c->target_type, c->linked_account, c->server,
                          c->request, c->response, c->client_name, c->protocol_version, c->request_id};
    static const int optional = 1 << F_ACTION | 1 << F_APP | 1 << F_TYPE;
    size_t len[NF], total = 0;
    for (int i = 0; i < NF; i++) {
        if (!in[i] && !(optional & 1 << i))
            in[i] = "";
        len[i] = in[i] ? strlen(in[i]) + 1 : 0;
        total += len[i];
    }
    char *blob = malloc(total ? total : 1);
    if (!blob)
        return;
    struct entry e = {.blob = blob, .duration_ms = c->duration_ms, .at_ms = c->at_ms};
    util_copy(e.tenant, sizeof e.tenant, t->id);
    for (int i = 0; i < NF; i++) {
        if (!in[i])
            continue;
        memcpy(blob, in[i], len[i]);
        e.f[i] = blob;
        blob += len[i];
    }
    pthread_mutex_lock(&l->lock);
    struct entry *x;
    if (l->n == l->cap) { /* full: the oldest goes */
        x = &l->e[l->head];
        free(x->blob);
        l->head = (l->head + 1) % l->cap;
    } else {
        x = &l->e[(l->head + l->n++) % l->cap];
    }
    *x = e;
    pthread_mutex_unlock(&l->lock);
}

/* A captured payload as the record shows it: the JSON, or its first max characters as a string. */
static cJSON *payload(const char *text, size_t max, int *truncated)
{
    if (strlen(text) > max) {
        *truncated = 1;
        char *cut = strndup(text, max);
        cJSON *v = cJSON_CreateString(cut ? cut : "");
        free(cut);
        return v;
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
    cJSON_AddItemToObject(rec, "request", payload(x->f[F_REQUEST], MCP_LOG_INPUT_MAX, &truncated));
    cJSON_AddItemToObject(rec, "response", payload(x->f[F_RESPONSE], MCP_LOG_OUTPUT_MAX, &truncated));
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
    for (int i = 0; i < l->n; i++) {
        struct entry *x = &l->e[(l->head + i) % l->cap];
        if (!strcmp(x->tenant, t->id) && same(f->status, x->f[F_STATUS]) && same(f->application, x->f[F_APP]) &&
            same(f->tool, x->f[F_TOOL]) && same(f->action, x->f[F_ACTION]) && same(f->server, x->f[F_SERVER]) &&
            same(f->linked_account_id, x->f[F_LA]))
            cJSON_AddItemToArray(out, record(t, x));
    }
    pthread_mutex_unlock(&l->lock);
    while (f->limit > 0 && cJSON_GetArraySize(out) > f->limit)
        cJSON_DeleteItemFromArray(out, 0);
    return out;
}
