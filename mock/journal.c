/* journal.c: a fixed ring of recent requests, kept in memory so recording costs no SQL. */
#include "journal.h"
#include "util.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    long long seq, virtual_ms, duration_us;
    int status;
    char method[12], path[256], query[256], tenant[80], la[MOCK_ID_LEN], request_id[40], operation[48];
};

struct journal {
    pthread_mutex_t lock;
    struct entry *ring;
    int capacity;
    long long next_seq;
};

struct journal *journal_new(int capacity)
{
    struct journal *j = calloc(1, sizeof *j);
    pthread_mutex_init(&j->lock, NULL);
    j->ring = calloc((size_t)capacity, sizeof *j->ring);
    j->capacity = capacity;
    return j;
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    pthread_mutex_destroy(&j->lock);
    free(j->ring);
    free(j);
}

void journal_record(struct journal *j, req *r, long long virtual_ms, long long duration_us)
{
    pthread_mutex_lock(&j->lock);
    struct entry *e = &j->ring[j->next_seq % j->capacity];
    memset(e, 0, sizeof *e);
    e->seq = ++j->next_seq;
    e->virtual_ms = virtual_ms;
    e->duration_us = duration_us;
    e->status = r->status;
    util_copy(e->method, sizeof e->method, r->ri->request_method);
    util_copy(e->path, sizeof e->path, r->ri->local_uri);
    util_copy(e->query, sizeof e->query, r->ri->query_string ? r->ri->query_string : "");
    util_copy(e->tenant, sizeof e->tenant, r->t ? r->t->id : "");
    util_copy(e->la, sizeof e->la, r->la);
    util_copy(e->request_id, sizeof e->request_id, r->request_id);
    util_copy(e->operation, sizeof e->operation, r->route && r->route->operation ? r->route->operation : "");
    pthread_mutex_unlock(&j->lock);
}

cJSON *journal_list(struct journal *j, const char *tenant, int limit)
{
    cJSON *out = cJSON_CreateArray();
    pthread_mutex_lock(&j->lock);
    long long first = j->next_seq > j->capacity ? j->next_seq - j->capacity : 0;
    for (long long s = first; s < j->next_seq; s++) {
        const struct entry *e = &j->ring[s % j->capacity];
        if (!e->seq || (tenant && strcmp(e->tenant, tenant)))
            continue;
        char at[32];
        util_iso8601(e->virtual_ms, at);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "seq", (double)e->seq);
        cJSON_AddStringToObject(o, "request_id", e->request_id);
        cJSON_AddStringToObject(o, "at", at);
        cJSON_AddStringToObject(o, "method", e->method);
        cJSON_AddStringToObject(o, "path", e->path);
        cJSON_AddStringToObject(o, "query", e->query);
        cJSON_AddStringToObject(o, "operation", e->operation);
        cJSON_AddNumberToObject(o, "status", e->status);
        cJSON_AddStringToObject(o, "linked_account_id", e->la);
        cJSON_AddNumberToObject(o, "duration_us", (double)e->duration_us);
        cJSON_AddItemToArray(out, o);
    }
    pthread_mutex_unlock(&j->lock);
    while (limit > 0 && cJSON_GetArraySize(out) > limit)
        cJSON_DeleteItemFromArray(out, 0);
    return out;
}

void journal_clear(struct journal *j, const char *tenant)
{
    pthread_mutex_lock(&j->lock);
    for (int i = 0; i < j->capacity; i++)
        if (!tenant || !strcmp(j->ring[i].tenant, tenant))
            j->ring[i].seq = 0;
    pthread_mutex_unlock(&j->lock);
}
