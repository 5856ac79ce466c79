/* routes_match.c: matching a request path against the patterns of the route table. */
#include "routes.h"

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

enum route_result routes_match(const char *method, const char *path, req *r, const struct route **out,
                               char *allow, size_t allow_len)
{
    const struct route *best = NULL;
    int best_score = -1, path_seen = 0;
    if (allow_len)
        allow[0] = 0;
    for (const struct route *rt = routes; rt->method; rt++) {
        int dummy = 0;
        int score = match_one(rt->pattern, path, NULL, &dummy);
        if (score < 0)
            continue;
        path_seen = 1;
        if (strcmp(rt->method, method)) {
            if (allow_len && !strstr(allow, rt->method)) {
                size_t used = strlen(allow);
                snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", rt->method);
            }
            continue;
        }
        if (score > best_score) {
            best = rt;
            best_score = score;
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
