/* record_filter.c: the {"field": value} filters of table and datastore searches (POSIX regex). */
#include "engine/record_filter.h"
#include "base/json.h"
#include "base/pattern.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>

struct criterion {
    const cJSON *want;
    struct pattern re;
    int is_re;
};

struct record_filter {
    long long budget; /* what matching may still cost (pattern.h) */
    int n;
    struct criterion c[];
};

struct record_filter *record_filter_new(const cJSON *filter, char *err, size_t n)
{
    int count = cJSON_GetArraySize(filter);
    struct record_filter *f = calloc(1, sizeof *f + (size_t)count * sizeof(struct criterion));
    f->budget = PATTERN_MATCH_BUDGET;
    const cJSON *e;
    cJSON_ArrayForEach(e, filter) {
        struct criterion *c = &f->c[f->n];
        c->want = e;
        if (cJSON_IsString(e)) {
            char why[256];
            if (pattern_compile(&c->re, e->valuestring, why, sizeof why) != 0) {
                snprintf(err, n, "%s: %s", e->string, why);
                record_filter_free(f);
                return NULL;
            }
            c->is_re = 1;
        }
        f->n++;
    }
    return f;
}

/* 1, 0, or -1 when the budget is spent */
static int one(const struct criterion *c, const cJSON *have, long long *budget)
{
    if (!have)
        return 0;
    if (!c->is_re)
        return cJSON_Compare(c->want, have, 1);
    if (cJSON_IsString(have))
        return pattern_match(&c->re, have->valuestring, budget);
    if (cJSON_IsNumber(have) || cJSON_IsBool(have)) {
        char *text = json_print(have);
        int ok = pattern_match(&c->re, text, budget);
        free(text);
        return ok;
    }
    return 0;
}

int record_filter_match(struct record_filter *f, const cJSON *rec)
{
    for (int i = 0; i < f->n; i++) {
        int ok = one(&f->c[i], cJSON_GetObjectItemCaseSensitive(rec, f->c[i].want->string), &f->budget);
        if (ok != 1)
            return ok;
    }
    return 1;
}

void record_filter_free(struct record_filter *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        if (f->c[i].is_re)
            pattern_free(&f->c[i].re);
    free(f);
}
