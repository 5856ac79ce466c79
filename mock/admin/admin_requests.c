/* admin_requests.c: the request journal under /__mock/requests: list, count, clear, and wait for
 * requests, filtered by method, path, operation, linked account, status and since. */
#include "admin/admin_wait.h"
#include "base/http.h"
#include "engine/journal.h"
#include "routes.h"
#include "base/util.h"
#include "handlers.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const filter_names[] = {"method", "path", "operation", "linked_account_id", "status", "since", NULL};

struct query {
    struct journal_filter f;
    char method[16], path[3 * MOCK_ID_LEN], operation[64], la[MOCK_ID_LEN], status[8], since[64];
};

static int bad(req *r, const char *name, const char *why)
{
    http_error(r, 400, "BAD_REQUEST", "query parameter %s %s", name, why);
    return -1;
}

static int known_operation(const char *op)
{
    for (const struct route *rt = routes; rt->method; rt++)
        if (rt->operation && !strcmp(rt->operation, op))
            return 1;
    return 0;
}

/* The journal filter of the query string; -1 when a value is invalid (400 sent). */
static int parse_filter(req *r, struct query *q)
{
    memset(q, 0, sizeof *q);
    struct journal_filter *f = &q->f;
    f->tenant = r->t ? r->t->id : NULL;
    if (http_query(r, "method", q->method, sizeof q->method) && *q->method) {
        for (char *c = q->method; *c; c++)
            if (!isalpha((unsigned char)*c))
                return bad(r, "method", "must be an HTTP method such as GET or POST");
        f->method = q->method;
    }
    if (http_query(r, "path", q->path, sizeof q->path) && *q->path)
        f->path = q->path;
    if (http_query(r, "operation", q->operation, sizeof q->operation) && *q->operation) {
        if (!known_operation(q->operation))
            return bad(r, "operation", "is not an operationId of the route table (GET /__mock/routes lists them)");
        f->operation = q->operation;
    }
    if (!http_query(r, "linked_account_id", q->la, sizeof q->la))
        util_copy(q->la, sizeof q->la, r->la); /* the linked_account_id header counts too */
    if (*q->la)
        f->la = q->la;
    if (http_query(r, "status", q->status, sizeof q->status) && *q->status) {
        /* 404, or a class: 4xx */
        const char *s = q->status;
        if (strlen(s) != 3 || s[0] < '1' || s[0] > '5')
            return bad(r, "status", "must be a status code (404) or a class (4xx)");
        if ((s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X')) {
            f->status_lo = (s[0] - '0') * 100;
            f->status_hi = f->status_lo + 99;
        } else if (isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])) {
            f->status_lo = f->status_hi = atoi(s);
        } else {
            return bad(r, "status", "must be a status code (404) or a class (4xx)");
        }
    }
    if (http_query(r, "since", q->since, sizeof q->since) && *q->since) {
        /* a request id (what came after it), a seq number, or a time on the virtual clock */
        if (!strncmp(q->since, "req_", 4)) {
            f->after_seq = journal_seq_of(r->m->journal, q->since);
            if (f->after_seq < 0)
                return bad(r, "since", "names a request the journal does not hold (it keeps the last 2000)");
        } else if (strspn(q->since, "0123456789") == strlen(q->since)) {
            f->after_seq = atoll(q->since);
        } else if ((f->since_ms = util_parse_iso8601(q->since)) < 0) {
            return bad(r, "since", "must be a request id (req_...), a seq number or an ISO 8601 time");
        }
    }
    return 0;
}

/* Waits when wait_ms was given; answers 408 when count entries never matched. Returns 0 to go
 * on, or the status sent. */
static int wait_if_asked(req *r, const struct query *q)
{
    int wait_ms, count;
    int asked = admin_wait_params(r, JOURNAL_CAPACITY, &wait_ms, &count);
    if (asked < 0)
        return r->status;
    if (!asked)
        return 0;
    int have = journal_wait(r->m->journal, &q->f, count, wait_ms);
    admin_wait_done(r, wait_ms);
    return have >= count ? 0 : admin_wait_timeout(r, "requests", filter_names, have, count, wait_ms);
}

/* route: GET /__mock/requests */
int h_admin_requests(req *r)
{
    r->journal = 0; /* reading the journal is not a request to verify: it would count itself */
    struct query q;
    long limit;
    if (http_query_int(r, "limit", 200, 1, 100000, &limit) || parse_filter(r, &q) || wait_if_asked(r, &q))
        return r->status;
    return http_json(r, 200, journal_list(r->m->journal, &q.f, (int)limit, r->m->fx));
}

/* route: GET /__mock/requests/count */
int h_admin_requests_count(req *r)
{
    r->journal = 0;
    struct query q;
    if (parse_filter(r, &q) || wait_if_asked(r, &q))
        return r->status;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count", journal_count(r->m->journal, &q.f));
    return http_json(r, 200, o);
}

/* route: DELETE /__mock/requests */
int h_admin_requests_clear(req *r)
{
    r->journal = 0;
    /* With a key, only that tenant's requests go; without, everyone's. */
    journal_clear(r->m->journal, r->t ? r->t->id : NULL);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "success", 1);
    cJSON_AddStringToObject(o, "scope", r->t ? r->t->api_key : "all");
    return http_json(r, 200, o);
}
