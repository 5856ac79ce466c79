/* fuzz_routes.c: libFuzzer target for route matching and scenario path patterns. Input:
 * "METHOD PATH" on the first line, optionally a pattern on the second. Checks what routing
 * promises: a found route's parameters are non-empty, slash-free and fit MOCK_ID_LEN, with a
 * trailing slash or without. */
#include "routes.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = 0;
    if (strlen(in) != size) { /* paths never contain NUL here: the server refuses %00 first */
        free(in);
        return 0;
    }
    char *nl = strchr(in, '\n'), *pattern = NULL;
    if (nl) {
        *nl = 0;
        pattern = nl + 1;
    }
    char *sp = strchr(in, ' ');
    const char *method = "GET", *path = in;
    if (sp) {
        *sp = 0;
        method = in;
        path = sp + 1;
    }
    req *r = calloc(1, sizeof *r);
    const struct route *rt = NULL;
    char allow[128];
    enum route_result res = routes_match(method, path, r, &rt, allow, sizeof allow);
    if (res == ROUTE_FOUND) {
        if (!rt || strcmp(rt->method, method) || r->nparams > MOCK_MAX_PARAMS)
            abort();
        for (int i = 0; i < r->nparams && i < MOCK_MAX_PARAMS; i++)
            if (!r->param[i][0] || strchr(r->param[i], '/') || strlen(r->param[i]) >= MOCK_ID_LEN)
                abort();
    }
    if (pattern)
        util_path_match(pattern, path);
    free(r->param_mem);
    free(r);
    free(in);
    return 0;
}
