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
/* Hold the store lock without a transaction (for a consistent multi-read). */
void store_lock(struct store *st);
void store_unlock(struct store *st);

/* Documents: (tenant, kind, id) is unique; parent groups children (e.g. a linked account's
 * connections). Getters return a new cJSON the caller deletes, or NULL. */
cJSON *store_get(struct store *st, const char *tenant, const char *kind, const char *id);
int store_exists(struct store *st, const char *tenant, const char *kind, const char *id);
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

/* Timers on documents: a document may carry one due time (virtual ms); 0 clears it. */
int store_set_due(struct store *st, const char *tenant, const char *kind, const char *id, long long due_ms);
/* Earliest due time of any document of kind across all tenants, or LLONG_MAX. */
long long store_next_due(struct store *st, const char *kind);
/* Documents of kind due at or before now: an array of {"tenant","id","due_ms","doc"}. */
cJSON *store_due(struct store *st, const char *kind, long long now_ms);

/* Forgets every document of a tenant (tenant NULL: of all tenants) and its outbox rows. */
int store_wipe(struct store *st, const char *tenant);

/* Small named values that must survive a restart (JWT secret, clock offset). */
int store_meta_get(struct store *st, const char *key, char *out, size_t n);
int store_meta_set(struct store *st, const char *key, const char *value);

#endif
