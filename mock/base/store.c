/* store.c: the SQLite schema, its migrations, transactions and every SQL statement of the mock. */
#include "base/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Each migration moves the schema one version up; PRAGMA user_version records where a file is. */
static const char *const migrations[] = {
    /* 1: documents, meta, webhook outbox */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE docs("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,"
    "  parent TEXT NOT NULL DEFAULT '',"
    "  body TEXT NOT NULL,"
    "  due_ms INTEGER,"
    "  UNIQUE(tenant, kind, id));"
    "CREATE INDEX docs_parent ON docs(tenant, kind, parent);"
    "CREATE INDEX docs_due ON docs(kind, due_ms) WHERE due_ms IS NOT NULL;"
    "CREATE TABLE outbox("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  tenant TEXT NOT NULL, event TEXT NOT NULL, linked_account_id TEXT,"
    "  webhook_id TEXT, url TEXT NOT NULL, payload TEXT NOT NULL, signature TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'pending',"  /* pending | delivered | failed */
    "  attempts TEXT NOT NULL DEFAULT '[]',"      /* JSON array of attempts */
    "  attempt_count INTEGER NOT NULL DEFAULT 0,"
    "  next_at_ms INTEGER NOT NULL,"               /* wall-clock ms of the next attempt */
    "  created_ms INTEGER NOT NULL);"
    "CREATE INDEX outbox_pending ON outbox(status, next_at_ms);",
    /* 2: the claim walks pending rows in id order (per-subscription order across retries) */
    "CREATE INDEX outbox_order ON outbox(status, id);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* Statements are prepared once and reused: preparing costs more than running them. */
enum {
    Q_GET, Q_GET_MEMBERS, Q_EXISTS, Q_PUT, Q_INSERT, Q_DEL, Q_DEL_CHILDREN, Q_SET_DUE, Q_NEXT_DUE, Q_DUE,
    Q_META_GET, Q_META_SET, Q_BEGIN, Q_COMMIT, Q_ROLLBACK,
    Q_OB_ADD, Q_OB_CLAIM, Q_OB_MARK, Q_OB_CLAIMED, Q_OB_UPDATE, Q_OB_NEXT, Q_OB_REQUEUE, Q_OB_LIST, /* webhook outbox */
    Q_PARENT,
    Q_COUNT
};
static const char *const sql_text[Q_COUNT] = {
    [Q_GET] = "SELECT body FROM docs WHERE tenant=?1 AND kind=?2 AND id=?3",
    /* Only some members, picked by SQLite in one pass: cheaper than parsing a large document. */
    [Q_GET_MEMBERS] = "SELECT json_extract(body, ?4, ?5, ?6, ?7, ?8, ?9) FROM docs WHERE tenant=?1 AND kind=?2 AND id=?3",
    [Q_EXISTS] = "SELECT 1 FROM docs WHERE tenant=?1 AND kind=?2 AND id=?3",
    [Q_PUT] = "INSERT INTO docs(tenant,kind,id,parent,body) VALUES(?1,?2,?3,?4,?5)"
              " ON CONFLICT(tenant,kind,id) DO UPDATE SET parent=excluded.parent, body=excluded.body",
    [Q_INSERT] = "INSERT OR IGNORE INTO docs(tenant,kind,id,parent,body) VALUES(?1,?2,?3,?4,?5)",
    [Q_DEL] = "DELETE FROM docs WHERE tenant=?1 AND kind=?2 AND id=?3",
    [Q_DEL_CHILDREN] = "DELETE FROM docs WHERE tenant=?1 AND kind=?2 AND parent=?3",
    [Q_SET_DUE] = "UPDATE docs SET due_ms=?4 WHERE tenant=?1 AND kind=?2 AND id=?3",
    [Q_NEXT_DUE] = "SELECT min(due_ms) FROM docs WHERE kind=?1 AND due_ms IS NOT NULL AND (?2 IS NULL OR tenant=?2)",
    [Q_DUE] = "SELECT tenant, id, due_ms, body FROM docs WHERE kind=?1 AND due_ms IS NOT NULL"
              " AND due_ms<=?2 AND (?3 IS NULL OR tenant=?3) ORDER BY due_ms, seq",
    [Q_META_GET] = "SELECT value FROM meta WHERE key=?1",
    [Q_META_SET] = "INSERT INTO meta(key,value) VALUES(?1,?2)"
                   " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    /* the webhook outbox (functions at the end of this file) */
    [Q_OB_ADD] = "INSERT INTO outbox(tenant,event,linked_account_id,webhook_id,url,payload,signature,next_at_ms,created_ms)"
                 " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8)",
    [Q_OB_CLAIM] = "SELECT id, tenant, coalesce(webhook_id,''), url, payload, signature, attempts, attempt_count, event,"
                   " coalesce(linked_account_id,'') FROM outbox INDEXED BY outbox_order"
                   " WHERE status='pending' AND next_at_ms<=?1"
                   " AND coalesce(webhook_id,'') NOT IN (SELECT value FROM json_each(?2))"
                   /* per-subscription order: nothing passes an older event waiting for its retry */
                   " AND NOT EXISTS (SELECT 1 FROM outbox AS o INDEXED BY outbox_pending WHERE o.status='pending' AND o.next_at_ms>?1"
                   "  AND coalesce(o.webhook_id,'')=coalesce(outbox.webhook_id,'') AND o.id<outbox.id)"
                   " ORDER BY id LIMIT ?3",
    [Q_OB_MARK] = "UPDATE outbox SET status='sending' WHERE id=?1",
    [Q_OB_CLAIMED] = "SELECT 1 FROM outbox WHERE id=?1 AND status='sending'",
    [Q_OB_UPDATE] = "UPDATE outbox SET status=?2, attempts=?3, attempt_count=?4, next_at_ms=?5 WHERE id=?1",
    [Q_OB_NEXT] = "SELECT min(next_at_ms) FROM outbox WHERE status='pending' AND next_at_ms>?1",
    [Q_OB_REQUEUE] = "UPDATE outbox SET status='pending' WHERE status='sending'",
    /* the newest ?5 matching rows, oldest first; 'sending' (claimed, not yet answered) shows as pending */
    [Q_OB_LIST] = "SELECT * FROM (SELECT id, tenant, event, linked_account_id, webhook_id, url, payload, signature,"
                  "  CASE status WHEN 'sending' THEN 'pending' ELSE status END AS st, attempts, attempt_count,"
                  "  next_at_ms, created_ms FROM outbox"
                  "  WHERE (?1 IS NULL OR tenant=?1) AND (?2 IS NULL OR event=?2) AND (?3 IS NULL OR linked_account_id=?3)"
                  "  AND (?4 IS NULL OR (CASE status WHEN 'sending' THEN 'pending' ELSE status END)=?4)"
                  "  AND (?6 IS NULL OR id<?6)"
                  "  ORDER BY id DESC LIMIT ?5) ORDER BY id",
    [Q_PARENT] = "SELECT parent FROM docs WHERE tenant=?1 AND kind=?2 AND id=?3",
};

struct store {
    sqlite3 *db;
    pthread_mutex_t lock;   /* recursive: one connection, used by one thread at a time */
    int tx_depth;           /* nested begin() calls join the outer transaction */
    int tx_failed;          /* a failed write or a nested rollback dooms the transaction (sticky, like
                             * SQLite's pager error: the commit then rolls everything back) */
    sqlite3_stmt *stmt[Q_COUNT];
    sqlite3_stmt *list_stmt[8];   /* store_list's shapes, see list_stmt() */
    int lock_fd;            /* holds the file's flock: one server per database file */
    unsigned long long serial; /* tells stores apart in exists_cache (an address can be reused) */
};

/* store_exists' last answer in this thread. Every request on a key with a linked account asks
 * whether that account exists, and asking SQLite costs a seventh of a read route's own work.
 * The answer holds while the store's change count (store_generation) stays put; it is kept and
 * used only outside a transaction, so a write rolled back later never leaves a stale answer. */
struct exists_cache {
    unsigned long long serial, gen;
    int found;
    char tenant[128], kind[64], id[128];
};
static _Thread_local struct exists_cache exists_cache;
static unsigned long long store_serial;

static sqlite3_stmt *prep(struct store *st, int q)
{
    if (!st->stmt[q] &&
        sqlite3_prepare_v3(st->db, sql_text[q], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[q], NULL) != SQLITE_OK) {
        fprintf(stderr, "refold-mock: store: %s\n", sqlite3_errmsg(st->db));
        abort(); /* a statement of ours that does not compile is a bug, not a runtime condition */
    }
    return st->stmt[q];
}

static void done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Every write reports here: a failed statement inside a transaction fails the whole
 * transaction, so a handler that ignored one result still cannot commit half a change. */
static __thread int thread_write_failed; /* see store_take_write_failure */

static int wrote(struct store *st, int rc)
{
    if (rc != SQLITE_DONE) {
        thread_write_failed = 1;
        if (st->tx_depth > 0)
            st->tx_failed = 1;
    }
    return rc;
}

int store_take_write_failure(void)
{
    int failed = thread_write_failed;
    thread_write_failed = 0;
    return failed;
}

static int exec_one(struct store *st, int q)
{
    sqlite3_stmt *s = prep(st, q);
    int rc = sqlite3_step(s);
    done(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int migrate(struct store *st, char *err, size_t errlen)
{
    sqlite3_stmt *s;
    int version = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            version = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    if (version > SCHEMA_VERSION) {
        snprintf(err, errlen, "database schema version %d is newer than this mock's %d", version, SCHEMA_VERSION);
        return -1;
    }
    for (int v = version; v < SCHEMA_VERSION; v++) {
        char *msg = NULL;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
        if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(st->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(st->db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(st->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "migration to schema %d failed: %s", v + 1, msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
    struct store *st = calloc(1, sizeof *st);
    if (st)
        st->serial = __atomic_add_fetch(&store_serial, 1, __ATOMIC_RELAXED);
    st->lock_fd = -1;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&st->lock, &a);
    pthread_mutexattr_destroy(&a);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
        store_close(st);
        return NULL;
    }
    /* A second server on the same file would serve from its own caches (memo, scenario, clock)
     * while the first one writes: refuse it. flock is not SQLite's (fcntl) lock, so other
     * readers of the file, sqlite3 included, are not affected; the kernel drops it when the
     * process dies, so a crash leaves no stale lock behind. */
    if (strcmp(path, ":memory:") && strncmp(path, "file:", 5) && *path) {
        st->lock_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (st->lock_fd >= 0 && flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
            snprintf(err, errlen, "database %s is %s", path,
                     errno == EWOULDBLOCK ? "in use by another refold-mock (one server per database file)" : "not lockable");
            store_close(st);
            return NULL;
        }
    }
    sqlite3_busy_timeout(st->db, 5000);
    /* WAL + NORMAL: a write that returned is in the OS before the response goes out, so it
     * survives kill -9 of the mock; only a power cut could lose the last transactions. */
    sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                 NULL, NULL, NULL);
    if (migrate(st, err, errlen) != 0) {
        store_close(st);
        return NULL;
    }
    return st;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < 8; i++)
        sqlite3_finalize(st->list_stmt[i]);
    sqlite3_close(st->db);
    if (st->lock_fd >= 0)
        close(st->lock_fd);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

int store_schema_version(struct store *st)
{
    (void)st;
    return SCHEMA_VERSION;
}

/* How many store_lock/store_begin this thread holds (see store_held). */
static __thread int held_here;

int store_held(void) { return held_here > 0; }

void store_lock(struct store *st)
{
    pthread_mutex_lock(&st->lock);
    held_here++;
}

void store_unlock(struct store *st)
{
    held_here--;
    pthread_mutex_unlock(&st->lock);
}

void store_begin(struct store *st)
{
    pthread_mutex_lock(&st->lock);
    held_here++;
    if (st->tx_depth++ == 0) {
        st->tx_failed = exec_one(st, Q_BEGIN) != 0;
    }
}

/* 0 when the transaction (or, nested, the outer one so far) holds; -1 when it was or is now
 * rolled back. A failed COMMIT counts as a failure too. */
static int end_tx(struct store *st, int ok)
{
    if (!ok)
        st->tx_failed = 1;
    if (--st->tx_depth == 0 && !st->tx_failed && exec_one(st, Q_COMMIT) != 0)
        st->tx_failed = 1;
    if (st->tx_depth == 0 && st->tx_failed && !sqlite3_get_autocommit(st->db))
        exec_one(st, Q_ROLLBACK);
    int rc = st->tx_failed ? -1 : 0;
    held_here--;
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int store_commit(struct store *st) { return end_tx(st, 1); }

void store_rollback(struct store *st) { (void)end_tx(st, 0); }

cJSON *store_get(struct store *st, const char *tenant, const char *kind, const char *id)
{
    cJSON *doc = NULL;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_GET);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, id);
    char *text = NULL;
    if (sqlite3_step(s) == SQLITE_ROW)
        text = strdup((const char *)sqlite3_column_text(s, 0));
    done(s);
    pthread_mutex_unlock(&st->lock);
    if (text) { /* parsed outside the lock (see store_list) */
        doc = cJSON_Parse(text);
        free(text);
    }
    return doc;
}

int store_parent(struct store *st, const char *tenant, const char *kind, const char *id, char *out, size_t n)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_PARENT);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, id);
    int found = sqlite3_step(s) == SQLITE_ROW;
    if (found)
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
    done(s);
    pthread_mutex_unlock(&st->lock);
    return found;
}

cJSON *store_get_members(struct store *st, const char *tenant, const char *kind, const char *id,
                         const char *const *members)
{
    char *text = NULL;
    char path[6][72];
    int n = 0;
    for (; members[n] && n < 6; n++)
        snprintf(path[n], sizeof path[n], "$.%s", members[n]);
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_GET_MEMBERS);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, id);
    for (int i = 0; i < 6; i++)
        bind_text(s, 4 + i, i < n ? path[i] : "$.\"\"");
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        text = strdup((const char *)sqlite3_column_text(s, 0));
    done(s);
    pthread_mutex_unlock(&st->lock);
    if (!text)
        return NULL;
    /* json_extract with several paths answers an array, in path order */
    cJSON *values = cJSON_Parse(text), *doc = cJSON_CreateObject();
    free(text);
    for (int i = 0; i < n; i++) {
        cJSON *v = cJSON_DetachItemFromArray(values, 0);
        cJSON_AddItemToObject(doc, members[i], v ? v : cJSON_CreateNull());
    }
    cJSON_Delete(values);
    return doc;
}

unsigned long long store_generation(struct store *st)
{
    /* SQLite counts every row this connection inserted, updated or deleted (rolled back ones
     * too, which only costs a memo miss): with one connection, the count moves with any write. */
    pthread_mutex_lock(&st->lock);
    unsigned long long gen = (unsigned long long)sqlite3_total_changes64(st->db);
    pthread_mutex_unlock(&st->lock);
    return gen;
}

int store_exists(struct store *st, const char *tenant, const char *kind, const char *id)
{
    struct exists_cache *c = &exists_cache;
    size_t tl = strlen(tenant), kl = strlen(kind), il = strlen(id);
    int cacheable = tl < sizeof c->tenant && kl < sizeof c->kind && il < sizeof c->id;
    pthread_mutex_lock(&st->lock);
    unsigned long long gen = (unsigned long long)sqlite3_total_changes64(st->db);
    cacheable = cacheable && st->tx_depth == 0;
    if (cacheable && c->serial == st->serial && c->gen == gen && !strcmp(c->id, id) && !strcmp(c->kind, kind) &&
        !strcmp(c->tenant, tenant)) {
        pthread_mutex_unlock(&st->lock);
        return c->found;
    }
    sqlite3_stmt *s = prep(st, Q_EXISTS);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, id);
    int found = sqlite3_step(s) == SQLITE_ROW;
    done(s);
    if (cacheable) {
        c->serial = st->serial;
        c->gen = gen;
        c->found = found;
        memcpy(c->tenant, tenant, tl + 1);
        memcpy(c->kind, kind, kl + 1);
        memcpy(c->id, id, il + 1);
    }
    pthread_mutex_unlock(&st->lock);
    return found;
}

static int write_doc(struct store *st, int q, const char *tenant, const char *kind, const char *id,
                     const char *parent, const cJSON *doc)
{
    char *body = cJSON_PrintUnformatted(doc);
    if (!body)
        return -1;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, q);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, id);
    bind_text(s, 4, parent ? parent : "");
    sqlite3_bind_text(s, 5, body, -1, SQLITE_TRANSIENT);
    int rc = wrote(st, sqlite3_step(s));
    int changed = sqlite3_changes(st->db);
    done(s);
    pthread_mutex_unlock(&st->lock);
    free(body);
    if (rc != SQLITE_DONE)
        return -1;
    return (q == Q_INSERT && changed == 0) ? 1 : 0;
}

int store_put(struct store *st, const char *tenant, const char *kind, const char *id,
              const char *parent, const cJSON *doc)
{
    return write_doc(st, Q_PUT, tenant, kind, id, parent, doc);
}

int store_insert(struct store *st, const char *tenant, const char *kind, const char *id,
                 const char *parent, const cJSON *doc)
{
    return write_doc(st, Q_INSERT, tenant, kind, id, parent, doc);
}

static int delete_by(struct store *st, int q, const char *tenant, const char *kind, const char *key)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, q);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, key);
    int n = wrote(st, sqlite3_step(s)) == SQLITE_DONE ? sqlite3_changes(st->db) : 0;
    done(s);
    pthread_mutex_unlock(&st->lock);
    return n;
}

int store_del(struct store *st, const char *tenant, const char *kind, const char *id)
{
    return delete_by(st, Q_DEL, tenant, kind, id) > 0;
}

int store_del_children(struct store *st, const char *tenant, const char *kind, const char *parent)
{
    return delete_by(st, Q_DEL_CHILDREN, tenant, kind, parent);
}

/* The statement of one store_list shape: bit 0 parent, bit 1 field filter, bit 2 rows (else
 * the count). Prepared once, like the fixed statements. */
static sqlite3_stmt *list_stmt(struct store *st, int shape)
{
    if (!st->list_stmt[shape]) {
        /* The filter is built from fixed fragments only; every value is bound, never spliced. */
        char where[256] = "tenant=?1 AND kind=?2", sql[512];
        if (shape & 1)
            strcat(where, " AND parent=?3");
        if (shape & 2)
            strcat(where, " AND CAST(json_extract(body, '$.' || ?4) AS TEXT)=?5");
        if (shape & 4)
            snprintf(sql, sizeof sql, "SELECT body FROM docs WHERE %s ORDER BY seq LIMIT ?6 OFFSET ?7", where);
        else
            snprintf(sql, sizeof sql, "SELECT count(*) FROM docs WHERE %s", where);
        if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->list_stmt[shape], NULL) != SQLITE_OK) {
            fprintf(stderr, "refold-mock: store: %s\n", sqlite3_errmsg(st->db));
            abort(); /* a statement of ours that does not compile is a bug */
        }
    }
    return st->list_stmt[shape];
}

/* The bodies a list read found, copied under the lock and parsed after it: parsing is most of
 * the time a read takes, and every other request waits for the lock meanwhile. */
struct rows {
    char **text;
    size_t n, cap;
};

/* Steps s: pass 0 is the count (into *total), pass 1 the page's bodies (into rows). */
static void rows_take(sqlite3_stmt *s, int pass, int *total, struct rows *rows)
{
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (pass == 0) {
            *total = sqlite3_column_int(s, 0);
        } else {
            if (rows->n == rows->cap)
                rows->text = realloc(rows->text, (rows->cap = rows->cap ? rows->cap * 2 : 16) * sizeof *rows->text);
            rows->text[rows->n++] = strdup((const char *)sqlite3_column_text(s, 0));
        }
    }
}

/* The bodies as a JSON array (call without the lock); frees rows. */
static cJSON *rows_parse(struct rows *rows)
{
    cJSON *out = cJSON_CreateArray();
    for (size_t i = 0; i < rows->n; i++) {
        cJSON *doc = cJSON_Parse(rows->text[i]);
        if (doc)
            cJSON_AddItemToArray(out, doc);
        free(rows->text[i]);
    }
    free(rows->text);
    return out;
}

cJSON *store_list(struct store *st, const char *tenant, const char *kind, const char *parent,
                  const char *field, const char *value, int offset, int limit, int *total)
{
    int shape = (parent ? 1 : 0) | (field && value ? 2 : 0);
    struct rows rows = {0};
    pthread_mutex_lock(&st->lock);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !total)
            continue;
        sqlite3_stmt *s = list_stmt(st, shape | (pass ? 4 : 0));
        bind_text(s, 1, tenant);
        bind_text(s, 2, kind);
        if (parent)
            bind_text(s, 3, parent);
        if (field && value) {
            bind_text(s, 4, field);
            bind_text(s, 5, value);
        }
        if (pass == 1) {
            sqlite3_bind_int(s, 6, limit > 0 ? limit : -1);
            sqlite3_bind_int(s, 7, offset > 0 ? offset : 0);
        }
        rows_take(s, pass, total, &rows);
        done(s);
    }
    pthread_mutex_unlock(&st->lock);
    return rows_parse(&rows);
}

/* One condition as SQL over bound parameters ?a (the path) and ?a+1 (the value). */
static void cond_sql(char *out, size_t n, const struct store_cond *c, int a)
{
    char m[64];
    snprintf(m, sizeof m, "CAST(json_extract(body, ?%d) AS TEXT)", a);
    switch (c->op) {
    case SQ_EQ: snprintf(out, n, " AND %s=?%d", m, a + 1); break;
    case SQ_IN_NOCASE: snprintf(out, n, " AND lower(%s) IN (SELECT lower(trim(value)) FROM json_each(?%d))", m, a + 1); break;
    case SQ_EQ_NOCASE: snprintf(out, n, " AND lower(%s)=lower(?%d)", m, a + 1); break;
    case SQ_CONTAINS_NOCASE: snprintf(out, n, " AND instr(lower(%s), lower(?%d))>0", m, a + 1); break;
    case SQ_GE: snprintf(out, n, " AND %s>=?%d", m, a + 1); break;
    case SQ_LE: snprintf(out, n, " AND %s<=?%d", m, a + 1); break;
    case SQ_NOT_TRUE: snprintf(out, n, " AND coalesce(json_type(body, ?%d),'')<>'true'", a); break; /* (?a+1 unused) */
    case SQ_ABSENT_OR_EQ: snprintf(out, n, " AND (json_extract(body, ?%d) IS NULL OR %s=?%d)", a, m, a + 1); break;
    }
}

/* "a, b,c" -> ["a","b","c"] for SQ_IN_NOCASE (json_each reads it). */
static char *list_json(const char *csv)
{
    cJSON *arr = cJSON_CreateArray();
    char *copy = strdup(csv ? csv : ""), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        cJSON_AddItemToArray(arr, cJSON_CreateString(tok));
    free(copy);
    char *text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return text;
}

#define QUERY_MAX_CONDS 8

cJSON *store_query(struct store *st, const char *tenant, const char *kind, const char *parent,
                   const struct store_cond *conds, int nconds, int desc, int offset, int limit, int *total)
{
    if (nconds > QUERY_MAX_CONDS)
        nconds = QUERY_MAX_CONDS;
    char where[2048] = "tenant=?1 AND kind=?2", frag[256], sql[2400];
    if (parent)
        strcat(where, " AND parent=?3");
    char *lists[QUERY_MAX_CONDS] = {0};
    for (int i = 0; i < nconds; i++) {
        cond_sql(frag, sizeof frag, &conds[i], 4 + 2 * i);
        strcat(where, frag);
        if (conds[i].op == SQ_IN_NOCASE)
            lists[i] = list_json(conds[i].value);
    }
    struct rows rows = {0};
    pthread_mutex_lock(&st->lock);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !total)
            continue;
        if (pass == 0)
            snprintf(sql, sizeof sql, "SELECT count(*) FROM docs WHERE %s", where);
        else
            snprintf(sql, sizeof sql, "SELECT body FROM docs WHERE %s ORDER BY seq %s LIMIT ?%d OFFSET ?%d", where,
                     desc ? "DESC" : "ASC", 4 + 2 * nconds, 5 + 2 * nconds);
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
            fprintf(stderr, "refold-mock: store: %s\n", sqlite3_errmsg(st->db));
            abort(); /* built from our fixed fragments: a statement that does not compile is a bug */
        }
        bind_text(s, 1, tenant);
        bind_text(s, 2, kind);
        if (parent)
            bind_text(s, 3, parent);
        for (int i = 0; i < nconds; i++) {
            bind_text(s, 4 + 2 * i, conds[i].path);
            if (conds[i].op != SQ_NOT_TRUE)
                bind_text(s, 5 + 2 * i, lists[i] ? lists[i] : conds[i].value);
        }
        if (pass == 1) {
            sqlite3_bind_int(s, 4 + 2 * nconds, limit > 0 ? limit : -1);
            sqlite3_bind_int(s, 5 + 2 * nconds, offset > 0 ? offset : 0);
        }
        rows_take(s, pass, total, &rows);
        sqlite3_finalize(s);
    }
    pthread_mutex_unlock(&st->lock);
    for (int i = 0; i < nconds; i++)
        free(lists[i]);
    return rows_parse(&rows);
}

int store_set_due(struct store *st, const char *tenant, const char *kind, const char *id, long long due_ms)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_SET_DUE);
    bind_text(s, 1, tenant);
    bind_text(s, 2, kind);
    bind_text(s, 3, id);
    if (due_ms > 0)
        sqlite3_bind_int64(s, 4, due_ms);
    else
        sqlite3_bind_null(s, 4);
    int rc = wrote(st, sqlite3_step(s));
    done(s);
    pthread_mutex_unlock(&st->lock);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The tenant whose timers this thread's timer pass looks at (clock.c steps one tenant at a time). */
static __thread char due_scope[96];

void store_scope(const char *tenant) { snprintf(due_scope, sizeof due_scope, "%s", tenant ? tenant : ""); }

static void bind_scope(sqlite3_stmt *s, int at)
{
    if (due_scope[0])
        sqlite3_bind_text(s, at, due_scope, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, at);
}

long long store_next_due(struct store *st, const char *kind)
{
    long long due = LLONG_MAX;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_NEXT_DUE);
    bind_text(s, 1, kind);
    bind_scope(s, 2);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        due = sqlite3_column_int64(s, 0);
    done(s);
    pthread_mutex_unlock(&st->lock);
    return due;
}

cJSON *store_due(struct store *st, const char *kind, long long now_ms)
{
    cJSON *out = cJSON_CreateArray();
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_DUE);
    bind_text(s, 1, kind);
    sqlite3_bind_int64(s, 2, now_ms);
    bind_scope(s, 3);
    while (sqlite3_step(s) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "tenant", (const char *)sqlite3_column_text(s, 0));
        cJSON_AddStringToObject(row, "id", (const char *)sqlite3_column_text(s, 1));
        cJSON_AddNumberToObject(row, "due_ms", (double)sqlite3_column_int64(s, 2));
        cJSON *doc = cJSON_Parse((const char *)sqlite3_column_text(s, 3));
        cJSON_AddItemToObject(row, "doc", doc ? doc : cJSON_CreateNull());
        cJSON_AddItemToArray(out, row);
    }
    done(s);
    pthread_mutex_unlock(&st->lock);
    return out;
}

int store_wipe(struct store *st, const char *tenant)
{
    int rc = 0;
    store_begin(st);
    const char *sql[2] = {"DELETE FROM docs WHERE ?1 IS NULL OR tenant=?1",
                          "DELETE FROM outbox WHERE ?1 IS NULL OR tenant=?1"};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) != SQLITE_OK) {
            rc = -1;
            continue;
        }
        bind_text(s, 1, tenant);
        if (wrote(st, sqlite3_step(s)) != SQLITE_DONE)
            rc = -1;
        sqlite3_finalize(s);
    }
    if (rc)
        store_rollback(st);
    else
        rc = store_commit(st);
    return rc;
}

int store_meta_get(struct store *st, const char *key, char *out, size_t n)
{
    int found = 0;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_META_GET);
    bind_text(s, 1, key);
    if (sqlite3_step(s) == SQLITE_ROW) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
        found = 1;
    }
    done(s);
    pthread_mutex_unlock(&st->lock);
    return found;
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_META_SET);
    bind_text(s, 1, key);
    bind_text(s, 2, value);
    int rc = wrote(st, sqlite3_step(s));
    done(s);
    pthread_mutex_unlock(&st->lock);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- webhook outbox ---- */
/* The durable queue between webhooks_emit (inside a state change's transaction) and the delivery
 * thread. Times here are wall-clock ms: retries wait on real networks, not on the virtual clock.
 * The statements are in sql_text (Q_OB_*). */

long long store_outbox_add(struct store *st, const char *tenant, const char *event, const char *la,
                           const char *webhook_id, const char *url, const char *payload,
                           const char *signature, long long now_ms)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_OB_ADD);
    bind_text(s, 1, tenant);
    bind_text(s, 2, event);
    bind_text(s, 3, la);
    bind_text(s, 4, webhook_id);
    bind_text(s, 5, url);
    bind_text(s, 6, payload);
    bind_text(s, 7, signature);
    sqlite3_bind_int64(s, 8, now_ms);
    long long id = wrote(st, sqlite3_step(s)) == SQLITE_DONE ? sqlite3_last_insert_rowid(st->db) : -1;
    done(s);
    pthread_mutex_unlock(&st->lock);
    return id;
}

cJSON *store_outbox_claim(struct store *st, long long now_ms, const char *busy_json, int per_webhook, int limit)
{
    cJSON *out = cJSON_CreateArray(), *taken = cJSON_CreateObject();
    int n = 0;
    store_begin(st);
    /* Oldest due first, per_webhook at most for each webhook, none for the busy ones. */
    sqlite3_stmt *s = prep(st, Q_OB_CLAIM), *u = prep(st, Q_OB_MARK);
    sqlite3_bind_int64(s, 1, now_ms);
    bind_text(s, 2, busy_json && *busy_json ? busy_json : "[]");
    /* A busy webhook's rows are excluded by the query itself; the rows of one not busy beyond
     * per_webhook are skipped here, so a round looks at a bounded window; the next round, with
     * that webhook busy, sees past it. */
    sqlite3_bind_int(s, 3, limit + 1024 < 4096 ? limit + 1024 : 4096);
    while (n < limit && sqlite3_step(s) == SQLITE_ROW) {
        const char *wh = (const char *)sqlite3_column_text(s, 2);
        cJSON *count = cJSON_GetObjectItemCaseSensitive(taken, wh);
        if (!count)
            count = cJSON_AddNumberToObject(taken, wh, 0);
        if (count->valueint >= per_webhook)
            continue;
        cJSON_SetNumberValue(count, count->valueint + 1);
        long long id = sqlite3_column_int64(s, 0);
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "id", (double)id);
        cJSON_AddStringToObject(row, "tenant", (const char *)sqlite3_column_text(s, 1));
        cJSON_AddStringToObject(row, "webhook_id", wh);
        cJSON_AddStringToObject(row, "url", (const char *)sqlite3_column_text(s, 3));
        cJSON_AddStringToObject(row, "payload", (const char *)sqlite3_column_text(s, 4));
        cJSON_AddStringToObject(row, "signature", (const char *)sqlite3_column_text(s, 5));
        cJSON *attempts = cJSON_Parse((const char *)sqlite3_column_text(s, 6));
        cJSON_AddItemToObject(row, "attempts", cJSON_IsArray(attempts) ? attempts : (cJSON_Delete(attempts), cJSON_CreateArray()));
        cJSON_AddNumberToObject(row, "attempt_count", sqlite3_column_int(s, 7));
        cJSON_AddStringToObject(row, "event", (const char *)sqlite3_column_text(s, 8));
        cJSON_AddStringToObject(row, "linked_account_id", (const char *)sqlite3_column_text(s, 9));
        cJSON_AddItemToArray(out, row);
        n++;
        sqlite3_bind_int64(u, 1, id);
        wrote(st, sqlite3_step(u));
        sqlite3_reset(u);
    }
    done(u);
    done(s);
    if (store_commit(st) != 0) { /* nothing was claimed: the rows stay pending for a later round */
        cJSON_Delete(out);
        out = cJSON_CreateArray();
    }
    cJSON_Delete(taken);
    return out;
}

int store_outbox_claimed(struct store *st, long long id)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_OB_CLAIMED);
    sqlite3_bind_int64(s, 1, id);
    int found = sqlite3_step(s) == SQLITE_ROW;
    done(s);
    pthread_mutex_unlock(&st->lock);
    return found;
}

int store_outbox_update(struct store *st, long long id, const char *status, const char *attempts_json,
                        int attempt_count, long long next_at_ms)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_OB_UPDATE);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, status);
    bind_text(s, 3, attempts_json);
    sqlite3_bind_int(s, 4, attempt_count);
    sqlite3_bind_int64(s, 5, next_at_ms);
    int rc = wrote(st, sqlite3_step(s)) == SQLITE_DONE ? 0 : -1;
    done(s);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

long long store_outbox_next_after(struct store *st, long long now_ms)
{
    long long at = LLONG_MAX;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_OB_NEXT);
    sqlite3_bind_int64(s, 1, now_ms);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        at = sqlite3_column_int64(s, 0);
    done(s);
    pthread_mutex_unlock(&st->lock);
    return at;
}

int store_outbox_requeue(struct store *st)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_OB_REQUEUE);
    int rc = wrote(st, sqlite3_step(s)) == SQLITE_DONE ? sqlite3_changes(st->db) : -1;
    done(s);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int store_outbox_prune(struct store *st, const char *tenant, int keep)
{
    /* prepared on each call (every few dozen deliveries), not among the hot statements */
    static const char sql[] =
        "DELETE FROM outbox WHERE tenant=?1 AND status IN ('delivered','failed') AND id <= ("
        " SELECT id FROM outbox WHERE tenant=?1 AND status IN ('delivered','failed') ORDER BY id DESC LIMIT 1 OFFSET ?2)";
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s;
    int rc = -1;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
        bind_text(s, 1, tenant);
        sqlite3_bind_int(s, 2, keep);
        rc = wrote(st, sqlite3_step(s)) == SQLITE_DONE ? sqlite3_changes(st->db) : -1;
        sqlite3_finalize(s);
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

cJSON *store_outbox_list(struct store *st, const char *tenant, const char *event, const char *la,
                         const char *status, long long before_id, int limit)
{
    cJSON *out = cJSON_CreateArray();
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = prep(st, Q_OB_LIST);
    bind_text(s, 1, tenant);
    bind_text(s, 2, event);
    bind_text(s, 3, la);
    bind_text(s, 4, status);
    sqlite3_bind_int(s, 5, limit > 0 ? limit : -1);
    if (before_id > 0)
        sqlite3_bind_int64(s, 6, before_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "id", (double)sqlite3_column_int64(s, 0));
        cJSON_AddStringToObject(row, "tenant", (const char *)sqlite3_column_text(s, 1));
        cJSON_AddStringToObject(row, "event", (const char *)sqlite3_column_text(s, 2));
        if (sqlite3_column_type(s, 3) == SQLITE_NULL)
            cJSON_AddNullToObject(row, "linked_account_id");
        else
            cJSON_AddStringToObject(row, "linked_account_id", (const char *)sqlite3_column_text(s, 3));
        cJSON_AddStringToObject(row, "webhook_id", sqlite3_column_text(s, 4) ? (const char *)sqlite3_column_text(s, 4) : "");
        cJSON_AddStringToObject(row, "url", (const char *)sqlite3_column_text(s, 5));
        cJSON_AddStringToObject(row, "body", (const char *)sqlite3_column_text(s, 6));
        cJSON_AddStringToObject(row, "signature", (const char *)sqlite3_column_text(s, 7));
        cJSON_AddStringToObject(row, "status", (const char *)sqlite3_column_text(s, 8));
        cJSON *attempts = cJSON_Parse((const char *)sqlite3_column_text(s, 9));
        cJSON_AddItemToObject(row, "attempts", cJSON_IsArray(attempts) ? attempts : (cJSON_Delete(attempts), cJSON_CreateArray()));
        cJSON_AddNumberToObject(row, "attempt_count", sqlite3_column_int(s, 10));
        cJSON_AddNumberToObject(row, "next_at_ms", (double)sqlite3_column_int64(s, 11));
        cJSON_AddNumberToObject(row, "created_ms", (double)sqlite3_column_int64(s, 12));
        cJSON_AddItemToArray(out, row);
    }
    done(s);
    pthread_mutex_unlock(&st->lock);
    return out;
}
