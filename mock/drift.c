/* drift.c: replays a recording, in order, against an in-process mock in a fresh ephemeral tenant and
 * compares each answer with the recorded one (route, status, envelope, shape); reports and exits. */
#include "base/curl_lazy.h" /* (libcurl is opened on first use) */
#include "drift.h"
#include "base/mock.h"
#include "recording.h"
#include "routes.h"
#include "shape.h"
#include "base/util.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct text {
    char *p;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    struct text *t = ud;
    char *q = realloc(t->p, t->len + size * n + 1);
    if (!q)
        return 0;
    t->p = q;
    memcpy(t->p + t->len, p, size * n);
    t->len += size * n;
    t->p[t->len] = 0;
    return size * n;
}

/* One request to the mock; the status (0 when it could not be sent) and the body in out. */
static long call(CURL *e, const char *method, const char *url, struct curl_slist *headers, const char *body,
                 struct text *out)
{
    curl_easy_reset(e);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    long status = 0;
    if (curl_easy_perform(e) == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* ---- ids: what the recording's creates returned stands for what the replay's returned ---- */

struct idmap {
    char **from, **to;
    int n, cap;
};

static const char *idmap_get(const struct idmap *m, const char *from)
{
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->from[i], from))
            return m->to[i];
    return NULL;
}

static void idmap_put(struct idmap *m, const char *from, const char *to)
{
    if (strlen(from) < 4 || !strcmp(from, "****") || idmap_get(m, from))
        return;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 32;
        m->from = realloc(m->from, (size_t)m->cap * sizeof *m->from);
        m->to = realloc(m->to, (size_t)m->cap * sizeof *m->to);
    }
    m->from[m->n] = strdup(from);
    m->to[m->n++] = strdup(to);
}

static int id_key(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    return n && (!strcmp(k, "id") || !strcmp(k, "_id") || (n > 3 && !strcmp(k + n - 3, "_id")) ||
                 (n > 2 && !strcmp(k + n - 2, "Id")));
}

/* Walks the recorded and the replayed answer side by side: a value that is an id (by its name
 * or its form) and differs becomes a mapping for the requests that follow. */
static void learn_ids(struct idmap *m, const cJSON *rec, const cJSON *got)
{
    if (!rec || !got)
        return;
    if (cJSON_IsString(rec) && cJSON_IsString(got)) {
        if (strcmp(rec->valuestring, got->valuestring)) {
            char *mk = shape_mask(rec->valuestring);
            if (id_key(rec->string) || !strcmp(mk, "<id>"))
                idmap_put(m, rec->valuestring, got->valuestring);
            free(mk);
        }
        return;
    }
    if (cJSON_IsArray(rec) && cJSON_IsArray(got)) {
        const cJSON *a = rec->child, *b = got->child;
        for (; a && b; a = a->next, b = b->next)
            learn_ids(m, a, b);
        return;
    }
    if (cJSON_IsObject(rec) && cJSON_IsObject(got)) {
        const cJSON *k;
        cJSON_ArrayForEach(k, rec) learn_ids(m, k, cJSON_GetObjectItemCaseSensitive(got, k->string));
    }
}

/* text with every mapped id replaced (malloc'd). */
static char *map_ids(const struct idmap *m, const char *text)
{
    char *out = strdup(text);
    for (int i = 0; i < m->n; i++) {
        size_t fl = strlen(m->from[i]), tl = strlen(m->to[i]);
        char *hit, *from = out;
        while ((hit = strstr(from, m->from[i]))) {
            size_t before = (size_t)(hit - out), ol = strlen(out);
            char *nx = malloc(ol - fl + tl + 1);
            memcpy(nx, out, before);
            memcpy(nx + before, m->to[i], tl);
            memcpy(nx + before + tl, hit + fl, ol - before - fl + 1);
            free(out);
            out = nx;
            from = out + before + tl;
        }
    }
    return out;
}

/* The newest session token a replayed answer handed out stands for the recording's masked one. */
static void learn_token(const cJSON *v, char *token, size_t n)
{
    if (!v)
        return;
    if (cJSON_IsString(v) && v->string && !strcmp(v->string, "token") && !strncmp(v->valuestring, "eyJ", 3)) {
        util_copy(token, n, v->valuestring);
        return;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, v) learn_token(c, token, n);
}

static int skip_header(const char *name)
{
    static const char *const names[] = {"host", "content-length", "connection", "keep-alive", "transfer-encoding",
                                        "expect", "te", "upgrade", "proxy-authorization", "cookie", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcasecmp(name, names[i]))
            return 1;
    return 0;
}

/* ---- one exchange ---- */


static cJSON *parse_body(const struct text *t)
{
    return t->len ? cJSON_ParseWithLength(t->p, t->len) : NULL;
}

static void replay(CURL *e, const char *base, const char *key, const cJSON *x, struct idmap *ids, char *token,
                   size_t token_n, struct drift_result *res)
{
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(x, "request");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(x, "response");
    const char *method = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "method"));
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "path"));
    const char *query = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "query"));
    const char *rec_op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "operation"));
    res->seq = (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "seq"));
    res->want = (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(s, "status"));
    res->diffs = cJSON_CreateArray();
    res->notes = cJSON_CreateArray();
    util_copy(res->method, sizeof res->method, method ? method : "?");
    res->path = strdup(path ? path : "/");
    if (!method || !path) {
        cJSON_AddItemToArray(res->diffs, cJSON_CreateString("the exchange has no method or path"));
        return;
    }
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(x, "proxy_error"))) {
        cJSON_AddItemToArray(res->notes, cJSON_CreateString("skipped: the upstream gave no answer when recorded"));
        res->got = res->want;
        return;
    }
    char *mpath = map_ids(ids, path), *mquery = query ? map_ids(ids, query) : NULL;

    /* the route as the mock's table knows it now */
    req probe;
    memset(&probe, 0, sizeof probe);
    const struct route *rt = NULL;
    char allow[128];
    char *decoded = strdup(mpath);
    mg_url_decode(mpath, (int)strlen(mpath), decoded, (int)strlen(mpath) + 1, 0);
    if (routes_match(method, decoded, &probe, &rt, allow, sizeof allow) != ROUTE_FOUND)
        rt = NULL;
    free(probe.param_mem);
    free(decoded);
    util_copy(res->op, sizeof res->op, rt ? rt->operation : rec_op ? rec_op : "");
    if (!rt && res->want == 404) {
        cJSON_AddItemToArray(res->notes, cJSON_CreateString("route: unknown to the mock and to the upstream (404 recorded)"));
    } else if (!rt) {
        char line[300];
        snprintf(line, sizeof line, "route: %s %s is not in the mock's route table", method, path);
        cJSON_AddItemToArray(res->diffs, cJSON_CreateString(line));
    } else if (rt->flags & DEPRECATED) {
        cJSON_AddItemToArray(res->notes, cJSON_CreateString("route: deprecated (the pages no longer list it; the mock answers with Refold-Mock-Warning)"));
    } else if (rec_op && strcmp(rec_op, rt->operation)) {
        char line[300];
        snprintf(line, sizeof line, "route: recorded as %s, the mock now takes it as %s", rec_op, rt->operation);
        cJSON_AddItemToArray(res->notes, cJSON_CreateString(line));
    }
    if (rt && !rt->fn)
        cJSON_AddItemToArray(res->notes, cJSON_CreateString("route: in the table but not built (501)"));

    struct curl_slist *hl = NULL;
    const cJSON *pair;
    char line[8192];
    cJSON_ArrayForEach(pair, cJSON_GetObjectItemCaseSensitive(q, "headers")) {
        const char *n = cJSON_GetStringValue(cJSON_GetArrayItem(pair, 0));
        const char *v = cJSON_GetStringValue(cJSON_GetArrayItem(pair, 1));
        if (!n || !v || skip_header(n))
            continue;
        if (!strcasecmp(n, "x-api-key"))
            snprintf(line, sizeof line, "%s: %s", n, key);
        else if (!strcasecmp(n, "authorization") && !strncasecmp(v, "Bearer ", 7) && *token)
            snprintf(line, sizeof line, "%s: Bearer %s", n, token);
        else {
            char *mv = map_ids(ids, v);
            snprintf(line, sizeof line, "%s: %s", n, mv);
            free(mv);
        }
        hl = curl_slist_append(hl, line);
    }
    hl = curl_slist_append(hl, "Expect:");
    const cJSON *qb = cJSON_GetObjectItemCaseSensitive(q, "body");
    char *body = NULL;
    if (cJSON_IsString(qb)) {
        body = map_ids(ids, qb->valuestring);
    } else if (qb && !cJSON_IsNull(qb)) {
        char *t = cJSON_PrintUnformatted(qb);
        body = map_ids(ids, t);
        free(t);
    }
    size_t ul = strlen(base) + strlen(mpath) + (mquery ? strlen(mquery) : 0) + 3;
    char *url = malloc(ul);
    snprintf(url, ul, "%s%s%s%s", base, mpath, mquery ? "?" : "", mquery ? mquery : "");
    struct text out = {0};
    res->got = call(e, method, url, hl, body, &out);
    free(url);
    free(body);
    free(mpath);
    free(mquery);
    curl_slist_free_all(hl);

    const cJSON *rb = cJSON_GetObjectItemCaseSensitive(s, "body");
    cJSON *gb = parse_body(&out);
    if (res->got != res->want) {
        snprintf(line, sizeof line, "status: %ld recorded, %ld from the mock", res->want, res->got);
        cJSON_AddItemToArray(res->diffs, cJSON_CreateString(line));
    } else if (rb && !cJSON_IsNull(rb) && !cJSON_IsString(rb)) {
        if (!gb) {
            cJSON_AddItemToArray(res->diffs, cJSON_CreateString("body: JSON recorded, the mock's is not JSON"));
        } else {
            cJSON *d = cJSON_CreateArray();
            shape_compare(rb, gb, (res->want >= 400 ? SHAPE_ERROR : 0) | SHAPE_EXTRA, "the recording", "the mock", d);
            cJSON *it;
            cJSON_ArrayForEach(it, d) {
                snprintf(line, sizeof line, "body %s", it->valuestring);
                cJSON_AddItemToArray(res->diffs, cJSON_CreateString(line));
            }
            cJSON_Delete(d);
        }
    }
    if (gb) {
        learn_ids(ids, rb, gb);
        learn_token(gb, token, token_n);
    }
    cJSON_Delete(gb);
    free(out.p);
}

static int usage(void)
{
    fprintf(stderr, "usage: refold-mock drift DIR [--json] [--junit FILE] [--fixtures DIR] [--org NAME]\n"
                    "Replays the recording in DIR against a fresh mock (an ephemeral tenant of the fixtures' first\n"
                    "org, or --org) and reports each difference. Exit 0: no drift, 1: drift, 2: error.\n");
    return 2;
}

int drift_main(int argc, char **argv)
{
    const char *dir = NULL, *junit = NULL, *fixtures = NULL, *org = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--junit") && i + 1 < argc)
            junit = argv[++i];
        else if (!strcmp(argv[i], "--fixtures") && i + 1 < argc)
            fixtures = argv[++i];
        else if (!strcmp(argv[i], "--org") && i + 1 < argc)
            org = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return usage(), 0;
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "refold-mock drift: '%s': unknown or missing its value\n", argv[i]);
            return usage();
        }
    }
    if (!dir)
        return usage();
    char err[1024];
    cJSON *xs = recording_load(dir, err, sizeof err);
    if (!xs) {
        fprintf(stderr, "refold-mock drift: %s\n", err);
        return 2;
    }
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.port = 0;
    o.quiet = 1;
    o.fixtures_dir = fixtures;
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    if (!m) {
        fprintf(stderr, "refold-mock drift: %s\n", err);
        cJSON_Delete(xs);
        return 2;
    }
    const char *first_org = NULL, *env, *k;
    refold_mock_api_key(m, 0, &first_org, &env, &k);
    char base[300];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", refold_mock_port(m));
    CURL *e = curl_easy_init();

    /* a fresh ephemeral tenant: the recording's own creates set up what its later calls need */
    cJSON *req_body = cJSON_CreateObject();
    cJSON_AddStringToObject(req_body, "org", org ? org : first_org);
    cJSON_AddStringToObject(req_body, "environment", "test");
    char *tb = cJSON_PrintUnformatted(req_body);
    cJSON_Delete(req_body);
    struct curl_slist *th = curl_slist_append(NULL, "Content-Type: application/json");
    char url[400];
    snprintf(url, sizeof url, "%s/__mock/tenants", base);
    struct text out = {0};
    long st = call(e, "POST", url, th, tb, &out);
    curl_slist_free_all(th);
    free(tb);
    cJSON *tenant = parse_body(&out);
    free(out.p);
    const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tenant, "api_key"));
    if (st != 200 || !key) {
        fprintf(stderr, "refold-mock drift: cannot create an ephemeral tenant for org %s (status %ld)\n",
                org ? org : first_org, st);
        cJSON_Delete(tenant);
        curl_easy_cleanup(e);
        refold_mock_stop(m);
        cJSON_Delete(xs);
        return 2;
    }
    int n = cJSON_GetArraySize(xs), drifted = 0;
    struct drift_result *res = calloc((size_t)n + 1, sizeof *res);
    struct idmap ids = {0};
    char token[2048] = "";
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, xs) {
        replay(e, base, key, x, &ids, token, sizeof token, &res[i]);
        drifted += cJSON_GetArraySize(res[i].diffs) > 0;
        i++;
    }
    cJSON_Delete(tenant);
    curl_easy_cleanup(e);
    refold_mock_stop(m);

    int rc = drifted ? 1 : 0;
    if (json) {
        cJSON *rep = drift_json_report(res, n, drifted);
        char *t = cJSON_Print(rep);
        printf("%s\n", t);
        free(t);
        cJSON_Delete(rep);
    } else {
        drift_print_text(res, n, drifted, dir);
    }
    if (junit && drift_write_junit(junit, res, n, drifted) != 0) {
        fprintf(stderr, "refold-mock drift: --junit '%s': cannot write\n", junit);
        rc = 2;
    }
    for (int j = 0; j < n; j++) {
        free(res[j].path);
        cJSON_Delete(res[j].diffs);
        cJSON_Delete(res[j].notes);
    }
    free(res);
    for (int j = 0; j < ids.n; j++) {
        free(ids.from[j]);
        free(ids.to[j]);
    }
    free(ids.from);
    free(ids.to);
    cJSON_Delete(xs);
    return rc;
}
