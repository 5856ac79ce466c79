/* refold_mock.h: the embedding API; run the Refold mock inside a C program or test binary. */
#ifndef REFOLD_MOCK_H
#define REFOLD_MOCK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct refold_mock refold_mock;

typedef struct refold_mock_options {
    const char *host;          /* address to bind; default "127.0.0.1" */
    int port;                  /* 0 picks a free port; default 8080 */
    const char *fixtures_dir;  /* default: the shipped fixtures/ */
    const char *db_path;       /* SQLite path; default ":memory:" */
    const char *scenario;      /* file, or bare name under scenarios_dir; NULL for none */
    const char *public_url;    /* base of handed-out links; NULL = http://host:port */
    int webhook_backoff_ms;    /* base of the webhook retry backoff; default 1000 */
    int webhook_timeout_ms;    /* a receiver slower than this fails the attempt; default 10000 */
    const char *admin_token;   /* when set, the admin API needs "Authorization: Bearer T" */
    int realtime;              /* 1: the virtual clock follows wall time (plus advances) */
    int quiet;                 /* 1: no banner or log lines on stdout/stderr */
    const char *log_format;    /* the per-request line on stderr: "text" (default) or "json" */
    int verbose;               /* 1: log lines also carry the request and response bodies (masked) */
    const char *scenarios_dir; /* where bare scenario names are looked up; default: scenarios/
                                * beside fixtures_dir, else the installed share directory */
    const char *seed;          /* when set, every generated id, token, secret and signature is a
                                * function of this text and the order of requests */
    const char *clock_start;   /* ISO 8601 start of the virtual clock; default: wall time at start */
    int strict;                /* 1: a request body breaking the spec's schema gets 400 */
    const char *upstream;      /* proxy mode: public-API requests go to this base URL (the real
                                * Refold) and its answers come back unchanged (mock/PROXY.md) */
    const char *record_dir;    /* with upstream: each exchange is recorded (secrets masked) here */
    int upstream_timeout_ms;   /* an upstream slower than this gets 504; default 30000 */
} refold_mock_options;

/* Fills the defaults above. */
void refold_mock_options_init(refold_mock_options *opts);

/* Starts a server; NULL on failure with a one-line reason in err. */
refold_mock *refold_mock_start(const refold_mock_options *opts, char *err, size_t errlen);

/* The port actually bound (useful after port 0) and the base URL links use. */
int refold_mock_port(const refold_mock *m);
const char *refold_mock_url(const refold_mock *m);

/* The i-th loaded API key (0-based) with its org name and environment; -1 past the end. */
int refold_mock_api_key(const refold_mock *m, int i, const char **org, const char **environment, const char **api_key);

/* Back to the fixtures' state for every tenant; unloads any scenario. 0 on success. */
int refold_mock_reset(refold_mock *m);

/* Loads a scenario file (or a shipped scenario by bare name). 0 on success, else err says why. */
int refold_mock_load_scenario(refold_mock *m, const char *file_or_name, char *err, size_t errlen);

/* Moves the virtual clock forward; expiries and scenario steps due meanwhile fire inside the call.
 * 0; 1 when it would start more than 10,000 scheduled runs in a tenant (nothing moved: advance
 * in smaller steps); -1 on a negative value or a store failure. */
int refold_mock_advance_clock(refold_mock *m, long long seconds);

/* The virtual clock, in milliseconds since the Unix epoch. */
long long refold_mock_now_ms(refold_mock *m);

/* Waits (real time, at most timeout_ms) until at least count webhook deliveries match: api_key's
 * tenant (NULL: any), event, linked_account_id and status ("pending", "delivered", "failed"),
 * each NULL for any. Returns how many matched when it returned (>= count unless it timed out),
 * or -1 for an unknown api_key. Wakes on the change, without polling. */
int refold_mock_wait_deliveries(refold_mock *m, const char *api_key, const char *event, const char *linked_account_id,
                                const char *status, int count, int timeout_ms);

/* The same for the request journal: requests of api_key's tenant (NULL: any) with that method
 * and path (exact, or an fnmatch(3) glob), each NULL for any. */
int refold_mock_wait_requests(refold_mock *m, const char *api_key, const char *method, const char *path, int count,
                              int timeout_ms);

/* Stops the server and frees everything. */
void refold_mock_stop(refold_mock *m);

#ifdef __cplusplus
}
#endif
#endif
