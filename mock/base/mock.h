/* mock.h: the server's internal state and the request context every handler receives. */
#ifndef MOCK_H
#define MOCK_H

#include <pthread.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "refold_mock.h"

struct mg_context;
struct mg_connection;
struct mg_request_info;
struct store;
struct fixtures;
struct journal;
struct webhooks;
struct scenario;
struct faults;
struct memo;
struct doc_cache;
struct notify;
struct mcp_logs;
struct tenants;
struct timer_source;

#define MOCK_MAX_BODY (1024 * 1024)  /* request bodies above this get 413 */
#define MOCK_MAX_PARAMS 6
/* Room for the longest id taken from a path segment, a header or a body (linked account ids,
 * tokens, slugs), NUL included: 2 KiB of id. Refold's own clients send 129-character JWTs as
 * linked account ids and in MCP URLs; the whole URL stays under its 8 KiB (server.c). */
#define MOCK_ID_LEN (2048 + 1)

/* One org + environment: the unit of isolation. Everything stored is keyed by tenant id. */
struct tenant {
    char id[80];            /* "<org_id>:<environment>" */
    char org_id[32];
    char org_name[64];
    char environment[16];   /* "test" or "production" */
    char api_key[128];
    const cJSON *setup;     /* seed data from orgs.json, applied on reset (may be NULL) */
    long long clock_offset_ms; /* this tenant's own advances (clock.c; atomic: tenants are shared const) */
    int waiters;            /* its requests waiting with wait_ms now (atomic; admin/admin_wait.c) */
};

struct mock {
    refold_mock_options opt;     /* strings below are owned copies */
    char *host, *fixtures_dir, *scenarios_dir, *db_path, *public_url_opt, *admin_token;
    char url[256];               /* base URL handed out in links */
    char jwt_secret[65];         /* hex; HS256 key of session tokens, kept in the database */
    int port;
    struct mg_context *ctx;
    int busy_workers;            /* connections CivetWeb workers hold now (atomic; see server.c) */
    int waiters;                 /* requests waiting with wait_ms now (atomic; admin/admin_wait.h) */
    struct store *store;
    struct fixtures *fx;
    struct fixtures *retired_fx; /* sets replaced by a reset's reload, freed at stop */
    struct journal *journal;
    struct webhooks *webhooks;
    struct scenario *scenario;
    struct faults *faults;
    struct memo *memo;
    struct doc_cache *docs;        /* parsed documents read on hot paths (doc_cache.c) */
    struct notify *outbox_changed; /* bumped when a delivery is queued or attempted (wait_ms) */
    struct mcp_logs *mcp_logs;   /* the MCP tool-call log (mcp_logs.c) */
    struct tenants *tenants;     /* ephemeral tenants (tenants.c) */
    pthread_mutex_t clock_lock;
    long long clock_base_ms;     /* virtual now = base + (realtime ? wall elapsed : 0) + offset */
    long long clock_wall_start_ms;
    long long clock_start;       /* --clock-start in ms, or -1: the wall time at the first start */
    long long clock_offset_ms;
    pthread_t ticker;            /* realtime mode: fires due timers as wall time passes */
    int ticker_running;
    char request_prefix[9];      /* request ids: req_<prefix><counter> (server.c) */
    char delivery_mark[33];      /* sent with every webhook delivery; one arriving back is refused (server.c) */
    unsigned long long request_counter;
    int stopping;                /* read and written atomically: the ticker thread polls it */
    char *upstream;              /* proxy mode (proxy.c): the upstream's base URL, no trailing / */
    struct recording *recording; /* proxy mode with --record: where exchanges go (recording.c) */
    int in_flight;               /* requests in dispatch now (atomic): a stop answers them first (server.c) */
    /* Registered once at start, before any thread (refold_mock.c), read-only after: */
    const struct timer_source *timers[8]; /* what moves with the clock (clock_add_source) */
    int ntimers;
    void (*forgets[4])(struct mock *m, const struct tenant *t); /* what a reset forgets above reset.c (reset_add_forget) */
    int nforgets;
};

/* Auth requirements of a route (flags). */
enum {
    AUTH_NONE = 0,
    AUTH_KEY = 1 << 0,      /* x-api-key accepted */
    AUTH_TOKEN = 1 << 1,    /* Authorization: Bearer <session token> accepted */
    AUTH_ADMIN = 1 << 2,    /* /__mock: admin token when configured; key optional */
    NEED_LA = 1 << 3,       /* a linked account is required and must exist */
    OPT_LA = 1 << 4,        /* a linked account is read when given, and must exist then */
    RAW_BODY = 1 << 5,      /* the body is not parsed as JSON (forms, pages) */
    MEMO = 1 << 6,          /* GET whose 200 body depends only on tenant, linked account, URL,
                             * stored state and clock: memoized until a write (memo.c) */
    SECRET_BODY = 1 << 7,   /* the request body is credentials: every value masked when shown */
    FORM_BODY = 1 << 8,     /* a multipart/form-data body is left unread for the handler (form.c) */
    QUERY_ADMIN_TOKEN = 1 << 9, /* ?admin_token= accepted too: a page a browser opens (auth.c) */
    WF_SERVICE_AUTH = 1 << 10,  /* the workflow service's route: a missing token is AUTH_SERVICE_ERROR */
    DEPRECATED = 1 << 14,   /* a route the pages no longer list but Refold's clients call: answered with
                             * Refold-Mock-Warning: deprecated, use <routes_deprecated_use()> */
};

struct req;

/* A request run inside another one (r->subrequest, server.c): the same dispatch steps as a
 * request from the socket (route match, auth, clock scope, scenario count, faults, spec check,
 * memo, handler, journal), with the identity the parent already resolved instead of auth
 * headers, and the answer kept here for the caller instead of written. */
struct subcall {
    const char *method, *path;   /* the decoded path, as routes.def names it */
    const char *query;           /* its query string, NULL for none */
    const cJSON *body;           /* its JSON body (borrowed: the caller frees it), NULL for none */
    const char *raw;             /* that body's bytes as the client sent them, for the journal
                                  * (NULL: the body is printed) */
    size_t raw_len;
    const struct tenant *t;      /* who calls: what the parent resolved (a key, a token, a PAT) */
    const char *la;              /* its linked account id ("" or NULL: none) */
    int via_token;
    /* the answer (filled by the sub-request; free answer) */
    int status;
    char *answer;                /* the body, NUL-terminated (malloc'd) */
    size_t answer_len;
    int answer_json;             /* printed by cJSON (http_json): valid JSON as it is */
    char type[64];               /* its Content-Type */
    char headers[512];           /* its extra headers ("Name: value\r\n"...: Retry-After, warnings) */
};

/* What a handler gets: everything resolved before it runs. */
typedef struct req {
    struct mock *m;
    struct mg_connection *conn;
    const struct mg_request_info *ri;
    const char *path;                /* the decoded path (NULL until the head is checked) */
    const struct route *route;
    const struct tenant *t;          /* NULL when the route needs no auth and none was sent */
    char la[MOCK_ID_LEN];            /* linked account id ("" when none) */
    int via_token;                   /* authenticated with a session token */
    int no_cors;                     /* admin API or page not asked by its own origin: no CORS headers */
    char token_jti[64];              /* that token's id */
    /* path parameters, in pattern order: NUL-terminated copies in param_mem (routes_match
     * allocates it, the dispatcher frees it), each under MOCK_ID_LEN bytes. Pointers, not
     * arrays: ids of 2 KiB would make req 12 KB on CivetWeb's 100 KB worker stacks. */
    const char *param[MOCK_MAX_PARAMS];
    char *param_mem;
    int nparams;
    char *raw;                       /* request body, NUL-terminated (NULL when none) */
    size_t raw_len;
    cJSON *body;                     /* parsed JSON body (NULL when none or RAW_BODY) */
    char request_id[40];
    int status;                      /* status sent, for the journal */
    char spec_warnings[384];         /* JSON array of spec violations of the body ("" when none) */
    char extra_headers[512];         /* appended to the response (Retry-After, Location, ...) */
    const char *memo_key;            /* MEMO routes: a 200 JSON body is kept under this key */
    unsigned long long memo_gen;     /* the store generation and clock read before the handler */
    long long memo_now_ms;
    long long started_us;            /* monotonic, for the journal's duration */
    int journal;                     /* listed in the journal when the answer is sent */
    /* Set by the dispatcher (server.c): called by http_send just before the answer is written,
     * with the body it carries (NULL for HEAD). Journal and memo hang off it, so the bottom
     * layer (http.c) knows neither. */
    void (*on_answer)(struct req *r, int status, const char *body, size_t len);
    /* Runs a request inside this one (struct subcall above): set by the dispatcher (server.c),
     * so a handler reaches the dispatch steps without naming server.c; call it through
     * http_subrequest (http.h). */
    int (*subrequest)(struct req *parent, struct subcall *c);
    int nsub;                        /* sub-requests run so far: the next one's id is <id>.<nsub+1> */
    /* A sub-request's answer is kept in captured (malloc'd) instead of written; parent is the
     * request it runs in. */
    int capture;
    char *captured;
    size_t captured_len;
    int captured_json;  /* captured was printed by cJSON (http_json): valid JSON as it is */
    char captured_type[64];
    const struct req *parent;
} req;

typedef int (*handler_fn)(req *r);   /* returns the HTTP status it sent */

struct route {
    const char *method;
    const char *pattern;     /* "/api/v2/public/linked-account/{linked_account_id}" */
    unsigned flags;   /* the enum above: AUTH_*, NEED_LA/OPT_LA, body and memo flags */
    handler_fn fn;           /* NULL: not built yet, answered 501 */
    const char *operation;   /* the spec's operationId, or a mock name */
};


#endif
