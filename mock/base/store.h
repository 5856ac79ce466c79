/* store.h: the only door to SQLite: tenant-scoped JSON documents, timers on them, meta values. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct store;

struct store *store_open(const char *path, char *err, size_t errlen);
void store_close(struct store *st);
int store_schema_version(struct store *st);

/* Every write path is one transaction. The store lock is recursive and held from begin to
 * commit/rollback, so a handler's reads and writes see one consistent state. */
void store_begin(struct store *st);
int store_commit(struct store *st);   /* 0 on success */
void store_rollback(struct store *st);
/* 1 when a write on this thread failed since the last call (and clears it): the dispatcher
 * turns a request whose handler ignored a failed write into a 500, never a 200 for a change
 * that was not kept. */
int store_take_write_failure(void);
/* Hold the store lock without a transaction (for a consistent multi-read). */
void store_lock(struct store *st);
void store_unlock(struct store *st);
/* 1 while this thread holds the store through store_lock or a transaction: code that takes a
 * lock of its own after the store's (clock.c's advance locks) checks it to keep one lock order. */
int store_held(void);

/* Documents: (tenant, kind, id) is unique; parent groups children (e.g. a linked account's
 * connections). Getters return a new cJSON the caller deletes, or NULL. */
cJSON *store_get(struct store *st, const char *tenant, const char *kind, const char *id);
/* Like store_get, but only the top-level members named in the NULL-terminated list (at most 6,
 * plain names); absent members come back as null. */
cJSON *store_get_members(struct store *st, const char *tenant, const char *kind, const char *id,
                         const char *const *members);
/* A number that moves with every write (read it before reading what it vouches for). */
unsigned long long store_generation(struct store *st);
int store_exists(struct store *st, const char *tenant, const char *kind, const char *id);
/* The parent a document was put under ("" for none) into out; 0 when there is no such document. */
int store_parent(struct store *st, const char *tenant, const char *kind, const char *id, char *out, size_t n);
/* Insert or replace. 0 on success. */
int store_put(struct store *st, const char *tenant, const char *kind, const char *id,
              const char *parent, const cJSON *doc);
/* Insert only: 1 when (tenant, kind, id) already exists and nothing was written. */
int store_insert(struct store *st, const char *tenant, const char *kind, const char *id,
                 const char *parent, const cJSON *doc);
/* 1 when a document was removed, 0 when there was none. */
int store_del(struct store *st, const char *tenant, const char *kind, const char *id);
/* Removes every document of kind under parent; returns how many. */
int store_del_children(struct store *st, const char *tenant, const char *kind, const char *parent);

/* Lists in insertion order. parent NULL = any. field/value (both or neither) keep only
 * documents whose top-level string or number member `field` equals value. limit <= 0 = all.
 * total (may be NULL) receives the count before offset/limit. Returns a new array. */
cJSON *store_list(struct store *st, const char *tenant, const char *kind, const char *parent,
                  const char *field, const char *value, int offset, int limit, int *total);

/* A condition of store_query on a document member, named by a JSON path ("$.status",
 * "$.associated_workflow._id"). Values are bound, never spliced into the SQL. */
enum store_op {
    SQ_EQ,              /* the member (string or number, as text) equals value */
    SQ_IN_NOCASE,       /* value is a comma-separated list; the member is one of them, ASCII case aside */
    SQ_EQ_NOCASE,       /* equals value, ASCII case aside */
    SQ_CONTAINS_NOCASE, /* contains value, ASCII case aside */
    SQ_GE, SQ_LE,       /* text order (ISO 8601 timestamps of one format compare as times) */
    SQ_NOT_TRUE,        /* the member is not JSON true (value unused) */
    SQ_ABSENT_OR_EQ,    /* the member is absent, null or equals value */
};
struct store_cond {
    const char *path;
    enum store_op op;
    const char *value;
};
/* store_list with conditions and an order: only the page asked for is read and parsed, the
 * total is counted by SQLite, so a list costs what it returns (newest first when desc). */
cJSON *store_query(struct store *st, const char *tenant, const char *kind, const char *parent,
                   const struct store_cond *conds, int nconds, int desc, int offset, int limit, int *total);

/* Timers on documents: a document may carry one due time (virtual ms); 0 clears it. */
int store_set_due(struct store *st, const char *tenant, const char *kind, const char *id, long long due_ms);
/* Earliest due time of any document of kind across all tenants, or LLONG_MAX. */
/* Limits store_next_due and store_due on this thread to one tenant's rows (NULL: all). */
void store_scope(const char *tenant);
long long store_next_due(struct store *st, const char *kind);
/* Documents of kind due at or before now: an array of {"tenant","id","due_ms","doc"}. */
cJSON *store_due(struct store *st, const char *kind, long long now_ms);

/* Forgets every document of a tenant (tenant NULL: of all tenants) and its outbox rows. */
int store_wipe(struct store *st, const char *tenant);

/* Small named values that must survive a restart (JWT secret, clock offset). */
int store_meta_get(struct store *st, const char *key, char *out, size_t n);
int store_meta_set(struct store *st, const char *key, const char *value);

/* ---- webhook outbox ---- */
/* The durable delivery queue of webhooks.c. Times are wall-clock ms (real network retries). */
/* Queues one delivery, pending and due now. Returns its id, or -1. */
long long store_outbox_add(struct store *st, const char *tenant, const char *event, const char *la,
                           const char *webhook_id, const char *url, const char *payload,
                           const char *signature, long long now_ms);
/* Claims (marks 'sending') up to limit due pending deliveries, oldest first, at most per_webhook
 * of each webhook and none of the webhooks in busy_json (a JSON array of ids). Returns an array
 * of {id,tenant,webhook_id,url,payload,signature,attempts,attempt_count,event,linked_account_id}. */
cJSON *store_outbox_claim(struct store *st, long long now_ms, const char *busy_json, int per_webhook, int limit);
/* 1 while a claimed delivery is still claimed (a reset may have wiped it meanwhile). */
int store_outbox_claimed(struct store *st, long long id);
/* Records an attempt: status "pending" (due again at next_at_ms), "delivered" or "failed". */
int store_outbox_update(struct store *st, long long id, const char *status, const char *attempts_json,
                        int attempt_count, long long next_at_ms);
/* Earliest next_at_ms of a pending delivery due after now_ms, or LLONG_MAX. */
long long store_outbox_next_after(struct store *st, long long now_ms);
/* Puts deliveries interrupted mid-attempt ('sending') back to pending; returns how many. */
int store_outbox_requeue(struct store *st);
/* Removes tenant's delivered and failed rows beyond its newest keep (pending rows stay): the
 * history stays bounded however many events a tenant makes. Returns the rows removed, or -1. */
int store_outbox_prune(struct store *st, const char *tenant, int keep);
/* Deliveries, oldest first (the newest `limit` with an id below before_id when > 0; limit <= 0 =
 * all); NULL filters match anything. status is "pending" (including in flight), "delivered" or
 * "failed". */
cJSON *store_outbox_list(struct store *st, const char *tenant, const char *event, const char *la,
                         const char *status, long long before_id, int limit);

#endif
