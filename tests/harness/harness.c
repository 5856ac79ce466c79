/* harness.c: starts mocks in-process and drives them over real HTTP with libcurl. */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

refold_mock *th_start(const refold_mock_options *opts)
{
    refold_mock_options o;
    if (opts)
        o = *opts;
    else
        refold_mock_options_init(&o);
    o.port = 0;
    o.quiet = 1;
    if (!o.fixtures_dir)
        o.fixtures_dir = REFOLD_SOURCE_DIR "/fixtures";
    char err[512];
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    if (!m)
        fprintf(stderr, "th_start: %s\n", err);
    assert_non_null(m);
    return m;
}

int th_setup(void **state)
{
    *state = th_start(NULL);
    return 0;
}

int th_teardown(void **state)
{
    refold_mock_stop(*state);
    return 0;
}

int th_reset(void **state)
{
    assert_int_equal(refold_mock_reset(*state), 0);
    return 0;
}

int th_setup_la(void **state)
{
    th_setup(state);
    th_create_la(*state, "tk_acme_test", "user_12345", "Acme Inc.");
    return 0;
}

int th_setup_two_las(void **state)
{
    th_setup_la(state);
    th_create_la(*state, "tk_acme_test", "user_67890", "Other customer");
    return 0;
}

struct buf {
    char *data;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    size_t add = size * n;
    b->data = realloc(b->data, b->len + add + 1);
    memcpy(b->data + b->len, p, add);
    b->len += add;
    b->data[b->len] = 0;
    return add;
}

/* Sends the request c is set up for (headers hl, freed here) and collects the answer. */
static th_resp perform(CURL *c, struct curl_slist *hl, const char *method, const char *path)
{
    th_resp r;
    memset(&r, 0, sizeof r);
    struct buf b = {calloc(1, 1), 0}, h = {calloc(1, 1), 0};
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    /* (TH_REQUEST_TIMEOUT_S: the valgrind stage runs everything ~30 times slower) */
    const char *limit = getenv("TH_REQUEST_TIMEOUT_S");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, limit && atol(limit) > 0 ? atol(limit) : 30L);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        fprintf(stderr, "th_request %s %s: %s\n", method, path, curl_easy_strerror(rc));
    assert_int_equal(rc, CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    r.body = b.data;
    r.headers = h.data;
    r.json = cJSON_Parse(r.body);
    return r;
}

/* A handle aimed at path on m, with the caller's headers in *hl. */
static CURL *handle_for(refold_mock *m, const char *path, const char *const *headers, struct curl_slist **hl)
{
    char url[10000]; /* (paths carry ids of up to 2 KiB, URLs up to the mock's 8 KiB) */
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", refold_mock_port(m), path);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    *hl = NULL;
    for (int i = 0; headers && headers[i]; i++)
        *hl = curl_slist_append(*hl, headers[i]);
    return c;
}

th_resp th_request(refold_mock *m, const char *method, const char *path, const char *body, const char *const *headers)
{
    struct curl_slist *hl;
    CURL *c = handle_for(m, path, headers, &hl);
    if (body)
        hl = curl_slist_append(hl, "Content-Type: application/json");
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    return perform(c, hl, method, path);
}

th_resp th_form(refold_mock *m, const char *path, const char *const *headers, const char *const *fields, const char *file_field,
                const char *filename, const char *data, size_t len)
{
    struct curl_slist *hl;
    CURL *c = handle_for(m, path, headers, &hl);
    hl = curl_slist_append(hl, "Expect:");
    curl_mime *mime = curl_mime_init(c);
    for (int i = 0; fields && fields[i] && fields[i + 1]; i += 2) {
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, fields[i]);
        curl_mime_data(part, fields[i + 1], CURL_ZERO_TERMINATED);
    }
    if (file_field) {
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, file_field);
        curl_mime_filename(part, filename);
        curl_mime_data(part, data, len);
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    th_resp r = perform(c, hl, "POST", path);
    curl_mime_free(mime);
    return r;
}

th_resp th_key(refold_mock *m, const char *method, const char *path, const char *key, const char *la, const char *body)
{
    char kh[256], lh[4200];
    const char *hs[3] = {NULL, NULL, NULL};
    int n = 0;
    if (key) {
        snprintf(kh, sizeof kh, "x-api-key: %s", key);
        hs[n++] = kh;
    }
    if (la) {
        snprintf(lh, sizeof lh, "linked_account_id: %s", la);
        hs[n++] = lh;
    }
    return th_request(m, method, path, body, hs);
}

th_resp th_bearer(refold_mock *m, const char *method, const char *path, const char *token, const char *body)
{
    char ah[9000];
    snprintf(ah, sizeof ah, "Authorization: Bearer %s", token);
    const char *hs[2] = {ah, NULL};
    return th_request(m, method, path, body, hs);
}

void th_free(th_resp *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

int th_header(const th_resp *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        if ((size_t)(eol - line) > nl && !strncasecmp(line, name, nl) && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(out, n, "%.*s", (int)(eol - v), v);
            return 1;
        }
        line = eol + 2;
    }
    return 0;
}

const char *th_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *th_assert_error(const th_resp *r, long status)
{
    if (r->status != status)
        fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
    assert_int_equal(r->status, status);
    assert_non_null(r->json);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(r->json, "status_code");
    assert_true(cJSON_IsNumber(sc));
    assert_int_equal(sc->valueint, status);
    assert_non_null(th_str(r->json, "http_error_type"));
    assert_non_null(th_str(r->json, "message"));
    assert_non_null(th_str(r->json, "error_code"));
    return th_str(r->json, "error_code");
}

void th_admin_ok(refold_mock *m, const char *path, const char *body)
{
    th_resp r = th_request(m, "POST", path, body, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

const cJSON *th_find(const cJSON *arr, const char *key, const char *value)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
        if (th_str(e, key) && !strcmp(th_str(e, key), value))
            return e;
    return NULL;
}

const char *th_path_of(refold_mock *m, const char *url)
{
    const char *base = refold_mock_url(m);
    assert_non_null(url);
    assert_memory_equal(url, base, strlen(base));
    return url + strlen(base);
}

static long long ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void th_spawn(th_proc *p, const char *const *args, const char *const *env, int flags)
{
    memset(p, 0, sizeof *p);
    snprintf(p->dir, sizeof p->dir, "/tmp/refold-spawn-XXXXXX");
    assert_non_null(mkdtemp(p->dir));
    snprintf(p->out, sizeof p->out, "%s/stdout", p->dir);
    snprintf(p->err, sizeof p->err, "%s/stderr", p->dir);
    snprintf(p->portfile, sizeof p->portfile, "%s/port", p->dir);
    const char *argv[64] = {REFOLD_MOCK_BIN};
    int n = 1;
    if (flags & TH_SPAWN_PORT) {
        argv[n++] = "--port-file";
        argv[n++] = p->portfile;
    }
    for (int i = 0; args && args[i]; i++) {
        assert_true(n < 63);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    int o = open(p->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int e = (flags & TH_SPAWN_MERGE) ? o : open(p->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(o >= 0 && e >= 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(o, 1);
        dup2(e, 2);
        for (int i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        execv(REFOLD_MOCK_BIN, (char *const *)argv);
        _exit(127);
    }
    close(o);
    if (e != o)
        close(e);
    p->pid = pid;
    if (!(flags & TH_SPAWN_PORT))
        return;
    /* A bounded poll for the port file (the binary writes it once it listens; no event to wait
     * on across processes without changing the binary), ended early if the child died. */
    long long until = ms_now() + 20000;
    int st = 0, ended = 0;
    while (!p->port && ms_now() < until) {
        FILE *f = fopen(p->portfile, "r");
        if (f) {
            if (fscanf(f, "%d", &p->port) != 1)
                p->port = 0;
            fclose(f);
        }
        if (p->port || (ended = waitpid(pid, &st, WNOHANG) == pid))
            break;
        usleep(5000);
    }
    if (!p->port) {
        char *err = th_spawn_read((flags & TH_SPAWN_MERGE) ? p->out : p->err);
        fprintf(stderr, "th_spawn: %s did not write its port file (%s %d); it said:\n%s\n", REFOLD_MOCK_BIN,
                !ended ? "still running after ms" : WIFEXITED(st) ? "exit" : "signal",
                !ended ? 20000 : WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), err);
        free(err);
    }
    assert_true(p->port > 0);
}

int th_spawn_wait(th_proc *p, int seconds)
{
    int st = 0;
    /* Its end as an event (a pidfd polls readable when it exits); where pidfd_open is missing
     * (an old kernel, a checker that does not know the call), a bounded waitpid poll. */
    int fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
    pid_t got = 0;
    if (fd >= 0) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        long long until = ms_now() + seconds * 1000LL;
        int r;
        do
            r = poll(&pf, 1, (int)(until - ms_now() > 0 ? until - ms_now() : 0));
        while (r < 0 && errno == EINTR);
        close(fd);
        got = waitpid(p->pid, &st, WNOHANG);
    } else {
        long long until = ms_now() + seconds * 1000LL;
        while ((got = waitpid(p->pid, &st, WNOHANG)) == 0 && ms_now() < until)
            usleep(5000);
    }
    if (got == 0) { /* still running: as timeout(1) */
        kill(p->pid, SIGKILL);
        waitpid(p->pid, &st, 0);
        p->pid = 0;
        return 124;
    }
    assert_int_equal(got, p->pid);
    p->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int th_spawn_stop(th_proc *p)
{
    assert_true(p->pid > 0);
    kill(p->pid, SIGTERM);
    return th_spawn_wait(p, 10);
}

int th_spawn_await_out(th_proc *p, const char *text, int seconds)
{
    /* a bounded poll of the output file: the child writes it, nothing signals a line */
    long long until = ms_now() + seconds * 1000LL;
    for (;;) {
        char *s = th_spawn_read(p->out);
        int found = strstr(s, text) != NULL;
        free(s);
        if (found || ms_now() >= until)
            return found;
        usleep(5000);
    }
}

char *th_spawn_read(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t k;
    while ((k = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    s[len] = 0;
    fclose(f);
    return s;
}

void th_spawn_free(th_proc *p)
{
    if (p->dir[0])
        th_remove_dir(p->dir);
    p->dir[0] = 0;
}

int th_cli(const char *env, int seconds, const char *args, char *out, size_t n)
{
    wordexp_t a, e;
    assert_int_equal(wordexp(args, &a, WRDE_NOCMD | WRDE_UNDEF), 0);
    assert_int_equal(wordexp(env ? env : "", &e, WRDE_NOCMD | WRDE_UNDEF), 0);
    th_proc p;
    th_spawn(&p, (const char *const *)a.we_wordv, (const char *const *)e.we_wordv, TH_SPAWN_MERGE);
    int rc = th_spawn_wait(&p, seconds);
    char *s = th_spawn_read(p.out);
    snprintf(out, n, "%s", s);
    free(s);
    th_spawn_free(&p);
    wordfree(&a);
    wordfree(&e);
    return rc;
}

double th_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void th_temp_db(char *path)
{
    snprintf(path, TH_DB_PATH_LEN, "/tmp/refold-test-XXXXXX.db");
    int fd = mkstemps(path, 3);
    assert_true(fd >= 0);
    close(fd);
    unlink(path); /* the mock creates it: only the unique name was wanted */
}

refold_mock *th_start_db(const char *path)
{
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.db_path = path;
    return th_start(&o);
}

void th_start_refused(const refold_mock_options *opts, char *err, size_t n)
{
    refold_mock_options o = *opts;
    o.port = 0;
    o.quiet = 1;
    if (!o.fixtures_dir)
        o.fixtures_dir = REFOLD_SOURCE_DIR "/fixtures";
    err[0] = 0;
    refold_mock *m = refold_mock_start(&o, err, n);
    if (m)
        refold_mock_stop(m);
    assert_null(m);
}

void th_fixtures_copy(char *dir)
{
    char cmd[1024];
    snprintf(dir, TH_DIR_LEN, "/tmp/refold-fixtures-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp -r '%s/fixtures/.' '%s/'", REFOLD_SOURCE_DIR, dir);
    assert_int_equal(system(cmd), 0);
}

void th_remove_dir(const char *dir)
{
    char cmd[TH_DIR_LEN + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

void th_remove_db(const char *path)
{
    char side[TH_DB_PATH_LEN + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

void th_create_la(refold_mock *m, const char *key, const char *id, const char *name)
{
    char body[4700];
    snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\",\"name\":\"%s\"}", id, name);
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", key, NULL, body);
    if (r.status != 200)
        fprintf(stderr, "th_create_la: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void th_session_token(refold_mock *m, const char *key, const char *la, char *out, size_t n)
{
    char body[4300];
    snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\"}", la);
    th_resp r = th_key(m, "POST", "/api/v2/public/session-token?force_refresh=true", key, NULL, body);
    assert_int_equal(r.status, 200);
    snprintf(out, n, "%s", th_str(r.json, "token"));
    th_free(&r);
}
