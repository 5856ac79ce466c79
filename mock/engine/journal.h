/* journal.h: the request journal behind /__mock/requests: each tenant's last requests in memory,
 * with their headers and bodies, filtered, counted and waited on. */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <cjson/cJSON.h>
#include "base/mock.h"

struct fixtures;

#define JOURNAL_CAPACITY 2000                  /* entries kept per tenant */
#define JOURNAL_TENANT_BYTES (8 * 1024 * 1024)  /* and at most this much of their bodies and headers */
#define JOURNAL_TOTAL_BYTES (256 * 1024 * 1024) /* all tenants together: the one holding most gives way */
#define JOURNAL_KEEP_REQUEST_BODY (64 * 1024)   /* longer bodies are kept cut, flagged truncated */
/* Answers are kept shorter: catalogue reads (12 KB) on every request would make the ring hold
 * 24 MB and cost the hot read routes a copy through cold memory; what tests verify is small. */
#define JOURNAL_KEEP_RESPONSE_BODY (4 * 1024)

/* Which entries a list, count or wait takes; zeroed = all. */
struct journal_filter {
    const char *tenant;       /* tenant id; NULL = every tenant */
    const char *method;       /* case-insensitive */
    const char *path;         /* the decoded path without the query: exact, or an fnmatch(3)
                               * glob when it holds * ? or [ ('*' also crosses '/') */
    const char *operation;    /* the route table's operationId */
    const char *la;           /* linked account id */
    int status_lo, status_hi; /* inclusive; 0 = any */
    long long after_seq;      /* only entries recorded after this one */
    long long since_ms;       /* only entries at or after this virtual time; 0 = any */
};

struct journal *journal_new(int capacity);
void journal_free(struct journal *j);
/* Other byte limits than JOURNAL_TENANT_BYTES and JOURNAL_TOTAL_BYTES (tests). */
void journal_set_limits(struct journal *j, size_t tenant_bytes, size_t total_bytes);
/* Records r as answered with status and body (NULL for none). */
void journal_record(struct journal *j, req *r, int status, const char *body, size_t len, long long virtual_ms,
                    long long duration_us);
/* The newest limit matching entries, oldest first, secrets masked with fx's names and keys. */
cJSON *journal_list(struct journal *j, const struct journal_filter *f, int limit, const struct fixtures *fx);
int journal_count(struct journal *j, const struct journal_filter *f);
/* Waits until count entries match or timeout_ms pass; returns how many match then. Only an
 * entry the filter takes wakes the wait (no rescans per request). */
int journal_wait(struct journal *j, const struct journal_filter *f, int count, int timeout_ms);
/* The seq of the entry with that request id, or -1 when the journal has none. */
long long journal_seq_of(struct journal *j, const char *request_id);
/* The bytes tenant's entries hold now (what JOURNAL_TENANT_BYTES bounds). */
size_t journal_bytes(struct journal *j, const char *tenant);
/* Drops tenant's entries and their memory (NULL: all). */
void journal_clear(struct journal *j, const char *tenant);
/* Ends every wait at once (the server is stopping). */
void journal_close(struct journal *j);

#endif
