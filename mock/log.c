/* log.c: the per-request log line; each line is one fwrite, so lines of parallel requests never mix. */
#include "log.h"
#include "engine/mask.h"
#include "base/util.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define LOG_KEEP_BODY (64 * 1024) /* --verbose shows this much of each body */

/* A body, masked: parsed JSON, a string, or null. */
static cJSON *body_value(const char *body, size_t len, int form, int all, const struct fixtures *fx)
{
    cJSON *v = mask_body(body, len > LOG_KEEP_BODY ? LOG_KEEP_BODY : len, form, all, fx);
    return v ? v : cJSON_CreateNull();
}

/* Visible ASCII only: a target CivetWeb refused may hold bytes a terminal would act on. */
static int printable(const char *s)
{
    for (; *s; s++)
        if (*s < 33 || *s > 126)
            return 0;
    return 1;
}

void log_request(req *r, int status, const char *body, size_t len, long long duration_us)
{
    struct mock *m = r->m;
    if (!m || m->opt.quiet)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char when[32];
    util_iso8601((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, when);
    /* as sent (still URL-encoded): a decoded path could carry a line break into the log */
    char masked[MOCK_ID_LEN + 64]; /* (an MCP path, its token masked: the server id is the rest) */
    const char *target = r->ri && r->ri->local_uri ? r->ri->local_uri : "/";
    if (r->ri && !r->ri->local_uri && r->ri->request_uri && printable(r->ri->request_uri))
        target = r->ri->request_uri; /* "*" or an absolute-form target CivetWeb did not serve */
    const char *path = mask_path(target, masked, sizeof masked);
    const char *method = r->ri && r->ri->request_method ? r->ri->request_method : "-";
    char *query = mask_query(r->ri && r->ri->query_string ? r->ri->query_string : "", m->fx);
    const char *tenant = r->t ? r->t->id : "";
    cJSON *req_body = NULL, *resp_body = NULL;
    if (m->opt.verbose) {
        const char *ctype = NULL;
        for (int i = 0; r->ri && i < r->ri->num_headers; i++)
            if (!strcasecmp(r->ri->http_headers[i].name, "Content-Type"))
                ctype = r->ri->http_headers[i].value;
        req_body = body_value(r->raw, r->raw ? r->raw_len : 0, ctype && strstr(ctype, "x-www-form-urlencoded"),
                              r->route && (r->route->flags & SECRET_BODY), m->fx);
        resp_body = body_value(body, body ? len : 0, 0, 0, m->fx);
    }
    char *line;
    if (m->opt.log_format && !strcmp(m->opt.log_format, "json")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "time", when);
        cJSON_AddStringToObject(o, "method", method);
        cJSON_AddStringToObject(o, "path", path);
        cJSON_AddStringToObject(o, "query", query);
        cJSON_AddNumberToObject(o, "status", status);
        cJSON_AddNumberToObject(o, "duration_ms", (double)duration_us / 1000.0);
        cJSON_AddStringToObject(o, "tenant", tenant);
        cJSON_AddStringToObject(o, "linked_account_id", r->la);
        cJSON_AddStringToObject(o, "request_id", r->request_id);
        if (req_body) {
            cJSON_AddItemToObject(o, "request_body", req_body);
            cJSON_AddItemToObject(o, "response_body", resp_body);
            req_body = resp_body = NULL; /* o owns them now */
        }
        char *text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        size_t n = strlen(text);
        line = malloc(n + 2);
        memcpy(line, text, n);
        memcpy(line + n, "\n", 2);
        free(text);
    } else {
        char *rq = req_body ? cJSON_PrintUnformatted(req_body) : NULL, *rs = resp_body ? cJSON_PrintUnformatted(resp_body) : NULL;
        size_t n = strlen(path) + strlen(query) + strlen(tenant) + strlen(r->la) + 256 + (rq ? strlen(rq) + strlen(rs) + 32 : 0);
        line = malloc(n);
        int k = snprintf(line, n, "%s %s %s%s%s %d %.2fms tenant=%s la=%s id=%s", when, method, path, *query ? "?" : "",
                         query, status, (double)duration_us / 1000.0, *tenant ? tenant : "-", *r->la ? r->la : "-",
                         r->request_id);
        if (rq)
            k += snprintf(line + k, n - (size_t)k, " request=%s response=%s", rq, rs);
        snprintf(line + k, n - (size_t)k, "\n");
        free(rq);
        free(rs);
    }
    fwrite(line, 1, strlen(line), stderr);
    free(line);
    free(query);
    cJSON_Delete(req_body);
    cJSON_Delete(resp_body);
}
