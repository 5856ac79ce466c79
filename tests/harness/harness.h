/* harness.h: what API tests share: an in-process mock on port 0 and a libcurl request helper. */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "refold_mock.h"

/* Starts a quiet mock on 127.0.0.1:0 with the shipped fixtures (opts may be NULL). */
refold_mock *th_start(const refold_mock_options *opts);
/* cmocka fixtures: th_setup puts th_start(NULL) in *state, th_teardown stops the mock in *state,
 * th_reset puts it back to its state at start (refold_mock_reset) between the tests of a group. */
int th_setup(void **state);
int th_teardown(void **state);
int th_reset(void **state);
/* th_setup plus the linked account user_12345 ("Acme Inc.") under tk_acme_test; th_setup_two_las
 * adds user_67890 ("Other customer"), the other account of the isolation checks. */
int th_setup_la(void **state);
int th_setup_two_las(void **state);

typedef struct th_resp {
    long status;
    char *body;       /* NUL-terminated */
    cJSON *json;      /* parsed body, or NULL */
    char *headers;    /* raw response header block */
} th_resp;

/* One request. headers: NULL-terminated list of "Name: value" strings (may be NULL). */
th_resp th_request(refold_mock *m, const char *method, const char *path, const char *body, const char *const *headers);
/* POST a multipart/form-data body (libcurl's mime API): fields as name, value pairs ending
 * with NULL, and one file part when file_field is not NULL. */
th_resp th_form(refold_mock *m, const char *path, const char *const *headers, const char *const *fields, const char *file_field,
                const char *filename, const char *data, size_t len);
/* Shorthands with x-api-key (and linked_account_id when la is non-NULL). */
th_resp th_key(refold_mock *m, const char *method, const char *path, const char *key, const char *la, const char *body);
/* With Authorization: Bearer token. */
th_resp th_bearer(refold_mock *m, const char *method, const char *path, const char *token, const char *body);
void th_free(th_resp *r);
/* POST body (may be NULL) to an admin path such as /__mock/reset; asserts a 200. */
void th_admin_ok(refold_mock *m, const char *path, const char *body);

/* A response header's value (case-insensitive name) copied into out; 1 when present. */
int th_header(const th_resp *r, const char *name, char *out, size_t n);
/* JSON member helpers for assertions. */
const char *th_str(const cJSON *o, const char *key);
/* Asserts the error envelope: status, http_error_type and a message, and returns error_code. */
const char *th_assert_error(const th_resp *r, long status);

/* The first object of arr whose string member key equals value, or NULL. */
const cJSON *th_find(const cJSON *arr, const char *key, const char *value);
/* The path part of a URL the mock handed out (asserts it starts with the mock's base URL). */
const char *th_path_of(refold_mock *m, const char *url);
/* The refold-mock binary as a child process: every test that runs the binary goes through
 * th_spawn (th_cli is th_spawn + th_spawn_wait). stdout and stderr go to files in a fresh temp
 * directory (read them with th_spawn_read), so the child never blocks on a full pipe. */
typedef struct th_proc {
    int pid;
    int port;                                         /* with TH_SPAWN_PORT: the bound port */
    char dir[64], out[96], err[96], portfile[96];
} th_proc;
#define TH_SPAWN_PORT 1   /* adds --port-file FILE; returns once the port is bound (args still
                           * say --port 0, or REFOLD_MOCK_PORT=0 in env) */
#define TH_SPAWN_MERGE 2  /* stderr into the stdout file (the order a terminal would show) */
/* Starts REFOLD_MOCK_BIN with args (the words after the program name, NULL-terminated; NULL for
 * none) and env entries "NAME=value" added to this environment (NULL for none). */
void th_spawn(th_proc *p, const char *const *args, const char *const *env, int flags);
/* Waits for it to end, at most seconds (then SIGKILL, and 124, as timeout(1) says); else its exit
 * status, 128+N after signal N. */
int th_spawn_wait(th_proc *p, int seconds);
/* SIGTERM, then th_spawn_wait (10 s). */
int th_spawn_stop(th_proc *p);
/* Waits (at most seconds) until its stdout holds text (a banner line printed after the port
 * file); 1 when it does. */
int th_spawn_await_out(th_proc *p, const char *text, int seconds);
/* A whole file (p->out, p->err), malloc'd and NUL-terminated. */
char *th_spawn_read(const char *path);
/* Removes its directory (after th_spawn_wait or th_spawn_stop). */
void th_spawn_free(th_proc *p);
/* Runs the binary with args (shell words, quotes allowed) for at most seconds, env ("NAME=value
 * ...") may be NULL; its stdout and stderr go into out. Returns the exit status (124: still
 * running). */
int th_cli(const char *env, int seconds, const char *args, char *out, size_t n);
/* Monotonic seconds, for timing a test. */
double th_seconds(void);
/* A fresh database path under /tmp (no file yet), for restart tests; th_remove_db deletes the
 * file and its -wal and -shm companions. path must hold TH_DB_PATH_LEN bytes. */
#define TH_DB_PATH_LEN 64
void th_temp_db(char *path);
void th_remove_db(const char *path);
/* th_start with the database in path (a restart is another call with the same path). */
refold_mock *th_start_db(const char *path);
/* Asserts that a mock with opts (port 0, quiet; the shipped fixtures unless opts names others)
 * refuses to start, and copies the reason into err. */
void th_start_refused(const refold_mock_options *opts, char *err, size_t n);
/* A copy of the shipped fixtures in a fresh directory under /tmp, for a test to change;
 * th_remove_dir deletes a directory and all in it. dir must hold TH_DIR_LEN bytes. */
#define TH_DIR_LEN 64
void th_fixtures_copy(char *dir);
void th_remove_dir(const char *dir);
/* Convenience: creates a linked account for key (asserts 200). */
void th_create_la(refold_mock *m, const char *key, const char *id, const char *name);
/* Convenience: mints a session token for la under key into out (asserts 200). */
void th_session_token(refold_mock *m, const char *key, const char *la, char *out, size_t n);

#endif
