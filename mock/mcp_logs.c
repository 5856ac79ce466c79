/* mcp_logs.c: the MCP audit log, a ring of printed records in memory. Not in the store: a tool
 * call must not take the store's write lock a second time just to be journaled (it halved the
 * MCP route's throughput), and like /__mock/requests it is a debugging view. */
#include "mcp_logs.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char tenant[80];
    char *text; /* the record, printed */
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
        free(l->e[i].text);
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
            free(x->text);
    }
    free(l->e);
    l->e = kept;
    l->head = 0;
    l->n = keep;
    pthread_mutex_unlock(&l->lock);
}

/* Replaces member key of rec with a cut string when its JSON is longer than max. */
static int cut(cJSON *rec, const char *key, size_t max)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    char *text = v ? json_print(v) : NULL;
    int over = text && strlen(text) > max;
    if (over) {
        text[max] = 0;
        json_set(rec, key, cJSON_CreateString(text));
    }
    free(text);
    return over;
}

void mcp_logs_add(struct mock *m, const struct tenant *t, cJSON *rec)
{
    struct mcp_logs *l = m->mcp_logs;
    char id[25];
    util_new_id(id);
    json_set(rec, "_id", cJSON_CreateString(id));
    json_set(rec, "truncated", cJSON_CreateBool(0));
    char *text = json_print(rec);
    /* (a record shorter than the input limit cannot hold anything to cut: print it once) */
    if (text && strlen(text) > MCP_LOG_INPUT_MAX) {
        int truncated = cut(rec, "request", MCP_LOG_INPUT_MAX);
        truncated |= cut(rec, "response", MCP_LOG_OUTPUT_MAX);
        json_set(rec, "truncated", cJSON_CreateBool(truncated));
        free(text);
        text = json_print(rec);
    }
    cJSON_Delete(rec);
    if (!text)
        return;
    pthread_mutex_lock(&l->lock);
    struct entry *x;
    if (l->n == l->cap) { /* full: the oldest goes */
        x = &l->e[l->head];
        free(x->text);
        l->head = (l->head + 1) % l->cap;
    } else {
        x = &l->e[(l->head + l->n++) % l->cap];
    }
    util_copy(x->tenant, sizeof x->tenant, t->id);
    x->text = text;
    pthread_mutex_unlock(&l->lock);
}

static int same(const char *want, const char *got) { return !want || !*want || (got && !strcmp(want, got)); }

cJSON *mcp_logs_list(struct mock *m, const struct tenant *t, const struct mcp_log_filter *f)
{
    struct mcp_logs *l = m->mcp_logs;
    cJSON *out = cJSON_CreateArray();
    pthread_mutex_lock(&l->lock);
    for (int i = 0; i < l->n; i++) {
        const struct entry *x = &l->e[(l->head + i) % l->cap];
        if (strcmp(x->tenant, t->id))
            continue;
        cJSON *e = cJSON_Parse(x->text);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "identity");
        if (e && same(f->status, json_str(e, "status")) && same(f->application, json_str(e, "application")) &&
            same(f->tool, json_str(e, "tool")) && same(f->action, json_str(e, "action")) &&
            same(f->server, json_str(id, "server")) && same(f->linked_account_id, json_str(id, "linkedAccount")))
            cJSON_AddItemToArray(out, e);
        else
            cJSON_Delete(e);
    }
    pthread_mutex_unlock(&l->lock);
    while (f->limit > 0 && cJSON_GetArraySize(out) > f->limit)
        cJSON_DeleteItemFromArray(out, 0);
    return out;
}
