/* routes_match.c: matching a request path against the patterns of the route table. */
#include "routes.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compares one pattern with a path. Returns the number of literal segments matched, or -1. */
static int match_one(const char *pat, const char *path, req *r, char **mem, int *too_long)
{
    int literals = 0, np = 0;
    while (*pat == '/' && *path == '/') {
        pat++;
        path++;
        const char *pe = strchr(pat, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl > 1 && pat[0] == '{' && pat[pl - 1] == '}') {
            if (sl == 0)
                return -1;
            if (np < MOCK_MAX_PARAMS && r) {
                if (sl >= MOCK_ID_LEN)
                    *too_long = 1;
                else { /* (param_mem holds the whole path: every segment fits, NUL included) */
                    memcpy(*mem, path, sl);
                    (*mem)[sl] = 0;
                    r->param[np] = *mem;
                    *mem += sl + 1;
                }
            }
            np++;
        } else {
            if (pl != sl || memcmp(pat, path, pl))
                return -1;
            literals++;
        }
        pat += pl;
        path += sl;
    }
    if (*pat || *path)
        return -1;
    if (r)
        r->nparams = np;
    return literals;
}

/* Each pattern cut into segments once (where each starts, how long, whether it is a {param}),
 * and the path cut once per request: a row is then compared by lengths and memcmp, without
 * walking its pattern with strchr/strlen on every request (a fifth of a read route's own work). */
#define MAX_ROUTES 512
#define MAX_SEGS 16
struct seg {
    unsigned short off, len;
    unsigned char param;
};
struct cut {
    char m0, m1; /* a route's first two method letters: GET rows skip POST rows without strcmp */
    int nseg; /* number of '/'; -1 when it does not start with '/' or has more than MAX_SEGS */
    struct seg seg[MAX_SEGS];
};
static struct cut cuts[MAX_ROUTES];
static pthread_once_t cuts_once = PTHREAD_ONCE_INIT;
/* The rows of each segment count, in table order: a path can only match a pattern with as many
 * segments, so a request looks at those rows alone (scanning all 300 rows was a tenth of a small
 * POST's cost). */
static unsigned short rows_by_nseg[MAX_SEGS + 1][MAX_ROUTES];
static int nrows_by_nseg[MAX_SEGS + 1];

static void cut(const char *text, struct cut *c)
{
    const char *s = text;
    c->nseg = -1;
    if (*s != '/')
        return;
    int n = 0;
    while (*s == '/') {
        if (n == MAX_SEGS)
            return;
        const char *start = ++s;
        while (*s && *s != '/')
            s++;
        size_t len = (size_t)(s - start), off = (size_t)(start - text);
        if (len > 0xffff || off > 0xffff)
            return;
        c->seg[n].off = (unsigned short)off;
        c->seg[n].len = (unsigned short)len;
        c->seg[n].param = len > 1 && start[0] == '{' && start[len - 1] == '}';
        n++;
    }
    c->nseg = n;
}

static void cut_all(void)
{
    int n = routes_count();
    if (n > MAX_ROUTES) { /* a table this long needs MAX_ROUTES raised: refuse to run without rows */
        fprintf(stderr, "refold-mock: the route table has %d rows, MAX_ROUTES is %d\n", n, MAX_ROUTES);
        abort();
    }
    for (int i = 0; i < n; i++) {
        cut(routes[i].pattern, &cuts[i]);
        cuts[i].m0 = routes[i].method[0];
        cuts[i].m1 = routes[i].method[0] ? routes[i].method[1] : 0;
        if (cuts[i].nseg >= 0)
            rows_by_nseg[cuts[i].nseg][nrows_by_nseg[cuts[i].nseg]++] = (unsigned short)i;
    }
}

static enum route_result match_path(const char *method, const char *path, req *r, const struct route **out,
                                    char *allow, size_t allow_len);

/* match_one() on the cut forms: the number of literal segments matched, or -1. */
static int match_cut(const struct route *rt, const char *path, const struct cut *pc)
{
    const struct cut *c = &cuts[rt - routes]; /* (cut_all refuses a table longer than MAX_ROUTES) */
    if (c->nseg < 0 || pc->nseg < 0)
        return match_one(rt->pattern, path, NULL, NULL, &(int){0}); /* too many segments: the slow way */
    if (c->nseg != pc->nseg)
        return -1;
    int literals = 0;
    for (int i = 0; i < c->nseg; i++) {
        const struct seg *ps = &c->seg[i], *ss = &pc->seg[i];
        if (ps->param) {
            if (ss->len == 0)
                return -1;
        } else {
            if (ps->len != ss->len || memcmp(rt->pattern + ps->off, path + ss->off, ps->len))
                return -1;
            literals++;
        }
    }
    return literals;
}

enum route_result routes_match(const char *method, const char *path, req *r, const struct route **out,
                               char *allow, size_t allow_len)
{
    /* A trailing slash names the same route as none (the backend SDK builds
     * /slug/hubspot/config/ when it has no config id): one is cut here, for every row. */
    size_t plen = strlen(path);
    char *trimmed = NULL;
    if (plen > 1 && path[plen - 1] == '/') {
        trimmed = strndup(path, plen - 1);
        if (!trimmed)
            return ROUTE_NO_PATH;
        path = trimmed;
    }
    enum route_result res = match_path(method, path, r, out, allow, allow_len);
    free(trimmed);
    return res;
}

static enum route_result match_path(const char *method, const char *path, req *r, const struct route **out,
                                    char *allow, size_t allow_len)
{
    const struct route *best = NULL;
    int best_score = -1, path_seen = 0;
    if (allow_len)
        allow[0] = 0;
    pthread_once(&cuts_once, cut_all);
    struct cut pc;
    cut(path, &pc);
    /* Rows of the request's method and segment count first: the common case never looks at the
     * others. */
    char m1 = method[0] ? method[1] : 0;
    int nrows = pc.nseg >= 0 ? nrows_by_nseg[pc.nseg] : 0;
    for (int k = 0; pc.nseg >= 0 && k < nrows; k++) {
        const struct route *rt = &routes[rows_by_nseg[pc.nseg][k]];
        const struct cut *c = &cuts[rt - routes];
        if (c->m0 != method[0] || c->m1 != m1 || strcmp(rt->method, method))
            continue;
        int score = match_cut(rt, path, &pc);
        if (score > best_score) {
            best = rt;
            best_score = score;
        }
    }
    /* A path of more than MAX_SEGS segments: every row, the slow way. */
    for (const struct route *rt = routes; pc.nseg < 0 && rt->method; rt++) {
        if (strcmp(rt->method, method))
            continue;
        int score = match_cut(rt, path, &pc);
        if (score > best_score) {
            best = rt;
            best_score = score;
        }
    }
    /* No row for this method: does the path exist under another one (405 and Allow)? */
    for (const struct route *rt = routes; !best && rt->method; rt++) {
        if (match_cut(rt, path, &pc) < 0)
            continue;
        path_seen = 1;
        if (allow_len && !strstr(allow, rt->method)) {
            size_t used = strlen(allow);
            snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", rt->method);
        }
    }
    if (!best)
        return path_seen ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
    int too_long = 0;
    free(r->param_mem); /* (a second match on the same req: tests) */
    r->param_mem = NULL;
    if (strchr(best->pattern, '{') && !(r->param_mem = malloc(strlen(path) + 1)))
        return ROUTE_NO_PATH;
    char *mem = r->param_mem;
    match_one(best->pattern, path, r, &mem, &too_long);
    *out = best;
    return too_long ? ROUTE_PARAM_TOO_LONG : ROUTE_FOUND;
}

