/* shape.c: the one shape comparer (keys and types recursively; envelope values masked). */
#include "shape.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

/* The envelope keys whose values are compared, and the keys an error may carry beyond what the
 * expected answer shows (every error has the whole envelope, mock/api/README.md: Errors). */
static const char *const envelope[] = {"status_code", "http_error_type", "error_code", "error", "message", NULL};
static const char *const envelope_extra[] = {"hint", "request_id", "error", "error_code", "status_code",
                                             "http_error_type", NULL};

const char *shape_type(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsObject(v))
        return "object";
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return "number";
    return "boolean";
}

static int word(char c) { return isalnum((unsigned char)c) || c == '_'; }
static int hexc(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

static size_t hex_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && hexc(s[i]))
        i++;
    return i == n ? n : 0;
}

/* Length of what starts at s and is masked, with its replacement in *as; 0 for none. */
static size_t masked_at(const char *s, int at_boundary, const char **as)
{
    if (at_boundary) {
        static const int uuid[] = {8, 4, 4, 4, 12};
        size_t i = 0;
        int k;
        for (k = 0; k < 5; k++) {
            if (!hex_run(s + i, (size_t)uuid[k]) || strnlen(s + i, (size_t)uuid[k]) < (size_t)uuid[k])
                break;
            i += (size_t)uuid[k];
            if (k < 4 && s[i++] != '-')
                break;
        }
        if (k == 5 && !word(s[i])) {
            *as = "<id>";
            return i;
        }
        if (strnlen(s, 24) == 24 && hex_run(s, 24) && !word(s[24])) {
            *as = "<id>";
            return 24;
        }
        static const char *const las[] = {"docs_unknown_user", "docs_user", NULL};
        for (int j = 0; las[j]; j++) {
            size_t l = strlen(las[j]);
            if (!strncmp(s, las[j], l) && !word(s[l])) {
                *as = "<la>";
                return l;
            }
        }
        if (!strncmp(s, "user_", 5) && isdigit((unsigned char)s[5])) {
            size_t i2 = 5;
            while (isdigit((unsigned char)s[i2]))
                i2++;
            if (!word(s[i2])) {
                *as = "<la>";
                return i2;
            }
        }
    }
    /* \d{4}-\d\d-\d\dT[\d:.]+Z? */
    static const char pat[] = "dddd-dd-ddT";
    for (int i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
            return 0;
    size_t i = 11, start = 11;
    while (isdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '.')
        i++;
    if (i == start)
        return 0;
    if (s[i] == 'Z')
        i++;
    *as = "<time>";
    return i;
}

char *shape_mask(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 8 * (n / 4 + 1) + 1), *o = out;
    for (size_t i = 0; i < n;) {
        const char *as;
        size_t hit = masked_at(s + i, i == 0 || !word(s[i - 1]), &as);
        if (hit) {
            o += sprintf(o, "%s", as);
            i += hit;
        } else {
            *o++ = s[i++];
        }
    }
    *o = 0;
    return out;
}

static int listed(const char *const *list, const char *k)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], k))
            return 1;
    return 0;
}

static void add(cJSON *diffs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(cJSON *diffs, const char *fmt, ...)
{
    char line[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(diffs, cJSON_CreateString(line));
}

static char *value_text(const cJSON *v)
{
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    char *p = cJSON_PrintUnformatted(v);
    return p ? p : strdup("");
}

static void walk(const cJSON *want, const cJSON *got, const char *path, int flags, int top, const char *wn,
                 const char *gn, cJSON *diffs)
{
    if (cJSON_GetArraySize(diffs) >= SHAPE_MAX_DIFFS)
        return;
    const char *tw = shape_type(want), *tg = shape_type(got);
    if (strcmp(tw, tg)) {
        add(diffs, "%s: %s in %s, %s in %s", *path ? path : "/", tw, wn, tg, gn);
        return;
    }
    char sub[512];
    if (!strcmp(tw, "array")) {
        if (cJSON_GetArraySize(want) && !cJSON_GetArraySize(got))
            add(diffs, "%s: items in %s, empty in %s", *path ? path : "/", wn, gn);
        else if (cJSON_GetArraySize(want)) {
            snprintf(sub, sizeof sub, "%s/0", path);
            walk(want->child, got->child, sub, flags, 0, wn, gn, diffs);
        }
        return;
    }
    if (strcmp(tw, "object"))
        return;
    int is_error = top && (flags & SHAPE_ERROR);
    const cJSON *k;
    cJSON_ArrayForEach(k, want) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, k->string);
        snprintf(sub, sizeof sub, "%s/%s", path, k->string);
        if (!g)
            add(diffs, "%s: missing in %s", sub, gn);
        else
            walk(k, g, sub, flags, 0, wn, gn, diffs);
        if (cJSON_GetArraySize(diffs) >= SHAPE_MAX_DIFFS)
            return;
    }
    if (is_error || (flags & SHAPE_EXTRA)) {
        cJSON_ArrayForEach(k, got) {
            if (cJSON_GetObjectItemCaseSensitive(want, k->string) || (is_error && listed(envelope_extra, k->string)))
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, k->string);
            add(diffs, "%s: not in %s", sub, wn);
        }
    }
    if (!is_error)
        return;
    for (int i = 0; envelope[i]; i++) {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(want, envelope[i]);
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, envelope[i]);
        if (!w || !g)
            continue;
        char *wt = value_text(w), *gt = value_text(g), *wm = shape_mask(wt), *gm = shape_mask(gt);
        if (strcmp(wm, gm))
            add(diffs, "%s/%s: %.200s in %s, %.200s in %s", path, envelope[i], wt, wn, gt, gn);
        free(wt);
        free(gt);
        free(wm);
        free(gm);
    }
}

int shape_compare(const cJSON *want, const cJSON *got, int flags, const char *want_name, const char *got_name,
                  cJSON *diffs)
{
    int before = cJSON_GetArraySize(diffs);
    walk(want, got, "", flags, 1, want_name, got_name, diffs);
    return cJSON_GetArraySize(diffs) - before;
}

int shape_compare_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) > 0) {
        cJSON *in = cJSON_ParseWithLength(line, (size_t)got);
        cJSON *diffs = cJSON_CreateArray();
        if (!in) {
            cJSON_AddItemToArray(diffs, cJSON_CreateString("shape-compare: the line is not JSON"));
        } else {
            const cJSON *err = cJSON_GetObjectItemCaseSensitive(in, "error");
            shape_compare(cJSON_GetObjectItemCaseSensitive(in, "want"), cJSON_GetObjectItemCaseSensitive(in, "got"),
                          cJSON_IsTrue(err) ? SHAPE_ERROR : 0, "the page", "the mock", diffs);
        }
        char *t = cJSON_PrintUnformatted(diffs);
        printf("%s\n", t);
        free(t);
        cJSON_Delete(diffs);
        cJSON_Delete(in);
    }
    free(line);
    fflush(stdout);
    return 0;
}
