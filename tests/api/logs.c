/* logs.c: the refold-mock binary's request log on stderr as a user reads it: one line per
 * request (text and JSON, flags and environment), bodies with --verbose, secrets masked,
 * --quiet silent, and --port-file giving the port to a script. */
#include "harness.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define AT_SECRET "at_live_log_5e6f7a8b"

/* Starts the binary with args (NULL-terminated) plus --port 0 and the shipped fixtures, env
 * "NAME=value" entries (may be NULL); returns once it listens (th_spawn). */
static void start(th_proc *p, const char *const *args, const char *const *env)
{
    const char *argv[32] = {"--port", "0", "--fixtures", REFOLD_SOURCE_DIR "/fixtures"};
    int n = 4;
    for (int i = 0; args && args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    th_spawn(p, argv, env, TH_SPAWN_PORT);
}

/* Stops it (SIGTERM, exit 0) and returns its stderr; *out gets stdout when out is non-NULL. */
static char *stop(th_proc *p, char **out)
{
    assert_int_equal(th_spawn_stop(p), 0);
    char *err = th_spawn_read(p->err);
    if (out)
        *out = th_spawn_read(p->out);
    th_spawn_free(p);
    return err;
}

static size_t sink(char *d, size_t s, size_t n, void *u)
{
    (void)d;
    (void)u;
    return s * n;
}

static size_t header_cb(char *d, size_t s, size_t n, void *u)
{
    if (!strncasecmp(d, "X-Request-Id: ", 14)) {
        size_t len = s * n - 14;
        while (len && (d[14 + len - 1] == '\r' || d[14 + len - 1] == '\n'))
            len--;
        snprintf(u, 64, "%.*s", (int)len, d + 14);
    }
    return s * n;
}

/* One request to the running binary; returns the status, the request id in id. */
static long call(const th_proc *p, const char *method, const char *path, const char *la, const char *body, char id[64])
{
    char url[512], lah[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", p->port, path);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "x-api-key: tk_acme_test");
    h = curl_slist_append(h, "Content-Type: application/json");
    if (la) {
        snprintf(lah, sizeof lah, "linked_account_id: %s", la);
        h = curl_slist_append(h, lah);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, id);
    id[0] = 0;
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    long status;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

#define MIGRATE_BODY "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"" AT_SECRET "\",\"refresh_token\":\"rt_x\"}}}"

/* The traffic of each run; ids[i] is the request id of the i-th call. */
static void traffic(const th_proc *p, char ids[4][64])
{
    assert_int_equal(call(p, "POST", "/api/v2/public/linked-account", NULL, "{\"linked_account_id\":\"log_user\"}", ids[0]), 200);
    assert_int_equal(call(p, "PUT", "/api/v2/public/migrate-token", "log_user", MIGRATE_BODY, ids[1]), 200);
    assert_int_equal(call(p, "GET", "/api/v2/public/linked-account/nobody", NULL, NULL, ids[2]), 404);
    assert_int_equal(call(p, "POST", "/api/v2/public/session-token", NULL, "{\"linked_account_id\":\"log_user\"}", ids[3]), 200);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The log line holding id, copied into out. */
static void line_of(const char *log, const char *id, char *out, size_t n)
{
    const char *at = strstr(log, id);
    assert_non_null(at);
    const char *start = at;
    while (start > log && start[-1] != '\n')
        start--;
    const char *end = strchr(at, '\n');
    assert_non_null(end);
    snprintf(out, n, "%.*s", (int)(end - start), start);
}

static void text_lines(void **state)
{
    (void)state;
    th_proc p;
    start(&p, NULL, NULL);
    char ids[4][64];
    traffic(&p, ids);
    char *log = stop(&p, NULL), line[4096];
    assert_int_equal(count_lines(log), 4); /* one per request, nothing else */
    line_of(log, ids[1], line, sizeof line);
    assert_non_null(strstr(line, " PUT /api/v2/public/migrate-token 200 "));
    assert_non_null(strstr(line, "ms tenant="));
    assert_non_null(strstr(line, " la=log_user "));
    assert_null(strstr(line, "request=")); /* bodies only with --verbose */
    line_of(log, ids[2], line, sizeof line);
    assert_non_null(strstr(line, " GET /api/v2/public/linked-account/nobody 404 "));
    assert_null(strstr(log, AT_SECRET));
    assert_null(strstr(log, "tk_acme_test"));
    free(log);
}

static void json_verbose_lines(void **state)
{
    (void)state;
    th_proc p;
    static const char *const args[] = {"--log-format", "json", "--verbose", NULL};
    start(&p, args, NULL);
    char ids[4][64];
    traffic(&p, ids);
    char *log = stop(&p, NULL), line[8192];
    assert_int_equal(count_lines(log), 4);
    line_of(log, ids[1], line, sizeof line);
    cJSON *o = cJSON_Parse(line);
    assert_non_null(o);
    assert_string_equal(th_str(o, "method"), "PUT");
    assert_string_equal(th_str(o, "path"), "/api/v2/public/migrate-token");
    assert_int_equal(cJSON_GetObjectItem(o, "status")->valueint, 200);
    assert_string_equal(th_str(o, "linked_account_id"), "log_user");
    assert_string_equal(th_str(o, "request_id"), ids[1]);
    assert_non_null(strstr(th_str(o, "tenant"), ":test"));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(o, "duration_ms")));
    const cJSON *rb = cJSON_GetObjectItem(o, "request_body");
    assert_string_equal(th_str(rb, "slug"), "hubspot"); /* the body is there, its credentials are not */
    assert_string_equal(th_str(cJSON_GetObjectItem(o, "response_body"), "message"), "Token migrated successfully");
    cJSON_Delete(o);
    line_of(log, ids[3], line, sizeof line);
    o = cJSON_Parse(line);
    assert_string_equal(th_str(cJSON_GetObjectItem(o, "response_body"), "token"), "****");
    cJSON_Delete(o);
    assert_null(strstr(log, AT_SECRET));
    assert_null(strstr(log, "eyJ")); /* no session token, whole or in part */
    free(log);
}

static void environment_sets_the_format(void **state)
{
    (void)state;
    th_proc p;
    static const char *const env[] = {"REFOLD_MOCK_LOG_FORMAT=json", "REFOLD_MOCK_VERBOSE=1", NULL};
    start(&p, NULL, env);
    char ids[4][64];
    traffic(&p, ids);
    char *log = stop(&p, NULL), line[8192];
    line_of(log, ids[0], line, sizeof line);
    cJSON *o = cJSON_Parse(line);
    assert_non_null(o);
    assert_string_equal(th_str(cJSON_GetObjectItem(o, "request_body"), "linked_account_id"), "log_user");
    cJSON_Delete(o);
    free(log);
}

static void quiet_is_silent_and_port_file_works(void **state)
{
    (void)state;
    th_proc p;
    static const char *const args[] = {"--quiet", NULL};
    start(&p, args, NULL);
    char ids[4][64];
    traffic(&p, ids); /* the port from the file serves the API */
    char *out, *log = stop(&p, &out);
    assert_string_equal(log, "");
    assert_string_equal(out, "");
    free(log);
    free(out);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_lines),
        cmocka_unit_test(json_verbose_lines),
        cmocka_unit_test(environment_sets_the_format),
        cmocka_unit_test(quiet_is_silent_and_port_file_works),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
