/* record_filter.c: the {"field": value} filters of table and datastore searches (POSIX regex). */
#include "record_filter.h"
#include "json.h"
#include "util.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

struct criterion {
    const cJSON *want;
    regex_t re;
    int is_re;
};

struct record_filter {
    int n;
    struct criterion c[];
};

struct record_filter *record_filter_new(const cJSON *filter, char *err, size_t n)
{
    int count = cJSON_GetArraySize(filter);
    struct record_filter *f = calloc(1, sizeof *f + (size_t)count * sizeof(struct criterion));
    const cJSON *e;
    cJSON_ArrayForEach(e, filter) {
        struct criterion *c = &f->c[f->n];
        c->want = e;
        if (cJSON_IsString(e)) {
            if (regcomp(&c->re, e->valuestring, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
                snprintf(err, n, "%s: '%s' is not a valid regular expression", e->string, e->valuestring);
                record_filter_free(f);
                return NULL;
            }
            c->is_re = 1;
        }
        f->n++;
    }
    return f;
}

static int one(const struct criterion *c, const cJSON *have)
{
    if (!have)
        return 0;
    if (!c->is_re)
        return cJSON_Compare(c->want, have, 1);
    if (cJSON_IsString(have))
        return regexec(&c->re, have->valuestring, 0, NULL, 0) == 0;
    if (cJSON_IsNumber(have) || cJSON_IsBool(have)) {
        char *text = json_print(have);
        int ok = regexec(&c->re, text, 0, NULL, 0) == 0;
        free(text);
        return ok;
    }
    return 0;
}

int record_filter_match(const struct record_filter *f, const cJSON *rec)
{
    for (int i = 0; i < f->n; i++)
        if (!one(&f->c[i], cJSON_GetObjectItemCaseSensitive(rec, f->c[i].want->string)))
            return 0;
    return 1;
}

void record_filter_free(struct record_filter *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        if (f->c[i].is_re)
            regfree(&f->c[i].re);
    free(f);
}
