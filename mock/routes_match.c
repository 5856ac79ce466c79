/* routes_match.c: matching a request path against the patterns of the route table. */
#include "routes.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Compares one pattern with a path. Returns the number of literal segments matched, or -1. */
static int match_one(const char *pat, const char *path, req *r, int *too_long)
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
                else {
                    memcpy(r->param[np], path, sl);
                    r->param[np][sl] = 0;
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

/* Each pattern's segment count, computed once: a row with another count cannot match, and
 * comparing two numbers is cheaper than walking the pattern. */
#define MAX_ROUTES 512
static unsigned char segments[MAX_ROUTES];
static pthread_once_t segments_once = PTHREAD_ONCE_INIT;

static unsigned char count_segments(const char *p)
{
    unsigned n = 0;
    for (; *p; p++)
        n += *p == '/';
    return (unsigned char)(n > 255 ? 255 : n);
}

static void count_all(void)
{
    for (int i = 0; routes[i].method && i < MAX_ROUTES; i++)
        segments[i] = count_segments(routes[i].pattern);
}

enum route_result routes_match(const char *method, const char *path, req *r, const struct route **out,
                               char *allow, size_t allow_len)
{
    const struct route *best = NULL;
    int best_score = -1, path_seen = 0;
    if (allow_len)
        allow[0] = 0;
    pthread_once(&segments_once, count_all);
    unsigned char nseg = count_segments(path);
    /* Rows of the request's method first: the common case never looks at the others. */
    for (const struct route *rt = routes; rt->method; rt++) {
        if (segments[rt - routes] != nseg || strcmp(rt->method, method))
            continue;
        int dummy = 0;
        int score = match_one(rt->pattern, path, NULL, &dummy);
        if (score > best_score) {
            best = rt;
            best_score = score;
        }
    }
    /* No row for this method: does the path exist under another one (405 and Allow)? */
    for (const struct route *rt = routes; !best && rt->method; rt++) {
        int dummy = 0;
        if (segments[rt - routes] != nseg || match_one(rt->pattern, path, NULL, &dummy) < 0)
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
    match_one(best->pattern, path, r, &too_long);
    *out = best;
    return too_long ? ROUTE_PARAM_TOO_LONG : ROUTE_FOUND;
}

int routes_count(void)
{
    int n = 0;
    while (routes[n].method)
        n++;
    return n;
}
