/* faults.c: the rules that make matching requests fail or slow down, consumed one use at a time. */
#include "engine/faults.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_FAULTS 64

/* Lock order: the store's lock, then this one. Every change is written to the store's meta
 * table while both are held, so a restart with --db finds the rules (and what is left of their
 * counts) exactly as the last answered request left them. */
struct faults {
    pthread_mutex_t lock;
    struct fault rules[MAX_FAULTS];
    int n;
    int any;                 /* n > 0, read without the lock to skip the common case of no rules */
    struct store *store;     /* NULL until faults_attach */
};

#define META_KEY "faults"
#define META_MAX (512 * 1024)

struct faults *faults_new(void)
{
    struct faults *f = calloc(1, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    return f;
}

void faults_free(struct faults *f)
{
    if (!f)
        return;
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* One rule as the scenario status shows it and as the store keeps it. */
static cJSON *rule_json(const struct fault *x)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "tenant", x->tenant);
    cJSON_AddStringToObject(o, "method", x->method);
    cJSON_AddStringToObject(o, "path", x->path);
    cJSON_AddNumberToObject(o, "status", x->status);
    cJSON_AddNumberToObject(o, "remaining", x->times); /* -1: until cleared */
    cJSON_AddNumberToObject(o, "retry_after", x->retry_after);
    cJSON_AddNumberToObject(o, "delay_ms", x->delay_ms);
    cJSON_AddStringToObject(o, "error_code", x->error_code);
    cJSON_AddStringToObject(o, "message", x->message);
    return o;
}

/* The rules as an array; f->lock is held. */
static cJSON *rules_json(struct faults *f)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < f->n; i++)
        cJSON_AddItemToArray(arr, rule_json(&f->rules[i]));
    return arr;
}

/* Writes the rules to the store; both locks are held. */
static void persist(struct faults *f)
{
    if (!f->store)
        return;
    cJSON *arr = rules_json(f);
    char *text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    if (text)
        store_meta_set(f->store, META_KEY, text);
    free(text);
}

static void lock_both(struct faults *f)
{
    if (f->store)
        store_lock(f->store);
    pthread_mutex_lock(&f->lock);
}

static void unlock_both(struct faults *f)
{
    __atomic_store_n(&f->any, f->n > 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&f->lock);
    if (f->store)
        store_unlock(f->store);
}

void faults_attach(struct faults *f, struct store *st)
{
    char *text = malloc(META_MAX);
    cJSON *arr = text && store_meta_get(st, META_KEY, text, META_MAX) ? cJSON_Parse(text) : NULL;
    free(text);
    pthread_mutex_lock(&f->lock);
    f->store = st;
    f->n = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, arr) {
        if (f->n == MAX_FAULTS)
            break;
        struct fault *x = &f->rules[f->n++];
        memset(x, 0, sizeof *x);
        util_copy(x->tenant, sizeof x->tenant, json_str(o, "tenant"));
        util_copy(x->method, sizeof x->method, json_str(o, "method"));
        util_copy(x->path, sizeof x->path, json_str(o, "path"));
        util_copy(x->error_code, sizeof x->error_code, json_str(o, "error_code"));
        util_copy(x->message, sizeof x->message, json_str(o, "message"));
        x->status = (int)json_num(o, "status", 0);
        x->times = (int)json_num(o, "remaining", 0);
        x->retry_after = (int)json_num(o, "retry_after", 0);
        x->delay_ms = (int)json_num(o, "delay_ms", 0);
    }
    __atomic_store_n(&f->any, f->n > 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&f->lock);
    cJSON_Delete(arr);
}

void faults_add(struct faults *f, const struct fault *rule)
{
    lock_both(f);
    if (f->n == MAX_FAULTS) /* the oldest rule makes room: scenarios add a handful at most */
        memmove(f->rules, f->rules + 1, sizeof f->rules[0] * (MAX_FAULTS - 1)), f->n--;
    f->rules[f->n++] = *rule;
    persist(f);
    unlock_both(f);
}

void faults_clear(struct faults *f, const char *tenant)
{
    lock_both(f);
    int keep = 0;
    for (int i = 0; i < f->n; i++)
        if (tenant && strcmp(f->rules[i].tenant, tenant))
            f->rules[keep++] = f->rules[i];
    int changed = keep != f->n;
    f->n = keep;
    if (changed)
        persist(f);
    unlock_both(f);
}

cJSON *faults_list(struct faults *f)
{
    pthread_mutex_lock(&f->lock);
    cJSON *out = rules_json(f);
    pthread_mutex_unlock(&f->lock);
    return out;
}

static int matches(const struct fault *x, const char *tenant, const char *method, const char *path)
{
    if (x->tenant[0] && (!tenant || strcmp(x->tenant, tenant)))
        return 0;
    if (x->method[0] && strcasecmp(x->method, method))
        return 0;
    return util_path_match(x->path, path);
}

int faults_take(struct faults *f, const char *tenant, const char *method, const char *path, const int *stopping,
                struct fault *hit)
{
    int found = 0, delay_ms = 0, used_up = 0;
    if (!__atomic_load_n(&f->any, __ATOMIC_ACQUIRE)) /* no rules: no locks on the hot path */
        return 0;
    lock_both(f);
    for (int i = 0; i < f->n; i++) {
        struct fault *x = &f->rules[i];
        if (!matches(x, tenant, method, path))
            continue;
        if (x->status == 0 && !delay_ms) {
            delay_ms = x->delay_ms;
        } else if (x->status && !found) {
            *hit = *x;
            found = 1;
        } else {
            continue;
        }
        if (x->times > 0) {
            used_up = 1; /* a count moved: persist it */
            if (--x->times == 0) {
                memmove(x, x + 1, sizeof *x * (size_t)(f->n - i - 1));
                f->n--;
                i--;
            }
        }
    }
    if (used_up)
        persist(f);
    unlock_both(f);
    for (int slept = 0; slept < delay_ms && !__atomic_load_n(stopping, __ATOMIC_ACQUIRE); slept += 10) {
        /* in 10 ms slices: a stop answers the held request instead of waiting out its delay */
        int ms = delay_ms - slept < 10 ? delay_ms - slept : 10;
        struct timespec ts = {0, (long)ms * 1000000L};
        nanosleep(&ts, NULL);
    }
    return found;
}
