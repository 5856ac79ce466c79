/* faults.c: the rules that make matching requests fail or slow down, consumed one use at a time. */
#include "faults.h"
#include "http.h"
#include "util.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_FAULTS 64

struct faults {
    pthread_mutex_t lock;
    struct fault rules[MAX_FAULTS];
    int n;
};

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

void faults_add(struct faults *f, const struct fault *rule)
{
    pthread_mutex_lock(&f->lock);
    if (f->n == MAX_FAULTS) /* the oldest rule makes room: scenarios add a handful at most */
        memmove(f->rules, f->rules + 1, sizeof f->rules[0] * (MAX_FAULTS - 1)), f->n--;
    f->rules[f->n++] = *rule;
    pthread_mutex_unlock(&f->lock);
}

void faults_clear(struct faults *f, const char *tenant)
{
    pthread_mutex_lock(&f->lock);
    int keep = 0;
    for (int i = 0; i < f->n; i++)
        if (tenant && strcmp(f->rules[i].tenant, tenant))
            f->rules[keep++] = f->rules[i];
    f->n = keep;
    pthread_mutex_unlock(&f->lock);
}

cJSON *faults_list(struct faults *f)
{
    cJSON *out = cJSON_CreateArray();
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < f->n; i++) {
        const struct fault *x = &f->rules[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "method", x->method);
        cJSON_AddStringToObject(o, "path", x->path);
        cJSON_AddNumberToObject(o, "status", x->status);
        cJSON_AddNumberToObject(o, "remaining", x->times);
        cJSON_AddNumberToObject(o, "retry_after", x->retry_after);
        cJSON_AddNumberToObject(o, "delay_ms", x->delay_ms);
        cJSON_AddItemToArray(out, o);
    }
    pthread_mutex_unlock(&f->lock);
    return out;
}

static int matches(const struct fault *x, req *r)
{
    if (x->tenant[0] && (!r->t || strcmp(x->tenant, r->t->id)))
        return 0;
    if (x->method[0] && strcasecmp(x->method, r->ri->request_method))
        return 0;
    return util_path_match(x->path, r->ri->local_uri);
}

int faults_apply(req *r)
{
    struct faults *f = r->m->faults;
    struct fault hit;
    int found = 0, delay_ms = 0;
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < f->n; i++) {
        struct fault *x = &f->rules[i];
        if (!matches(x, r))
            continue;
        if (x->status == 0 && !delay_ms) {
            delay_ms = x->delay_ms;
        } else if (x->status && !found) {
            hit = *x;
            found = 1;
        } else {
            continue;
        }
        if (x->times > 0 && --x->times == 0) {
            memmove(x, x + 1, sizeof *x * (size_t)(f->n - i - 1));
            f->n--;
            i--;
        }
    }
    pthread_mutex_unlock(&f->lock);
    if (delay_ms > 0) {
        struct timespec ts = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (!found)
        return 0;
    if (hit.retry_after > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", hit.retry_after);
        http_add_header(r, "Retry-After", v);
    }
    if (hit.message[0])
        return http_error(r, hit.status, hit.error_code[0] ? hit.error_code : "INJECTED_FAULT", "%s", hit.message);
    return http_error(r, hit.status, hit.error_code[0] ? hit.error_code : "INJECTED_FAULT",
                      "%s (injected by the loaded scenario)", http_reason(hit.status));
}
