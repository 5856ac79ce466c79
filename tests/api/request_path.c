/* request_path.c: the shortcuts of the request path (pre-cut route patterns, the per-thread
 * answer to "does this linked account exist") give the answers the long way gave. */
#include "harness.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define APP "/api/v2/public/application/hubspot"
#define LA "/api/v2/public/linked-account"

struct sink {
    char *data;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    s->data = realloc(s->data, s->len + size * n + 1);
    memcpy(s->data + s->len, p, size * n);
    s->len += size * n;
    s->data[s->len] = 0;
    return size * n;
}

/* One request on the kept-alive connection of c; *reused is 1 when no new connection was made
 * (the same connection stays with the same CivetWeb worker thread). Returns the status and puts
 * the parsed body in *json. */
static long on_conn(CURL *c, refold_mock *m, const char *method, const char *path, const char *la, int *reused,
                    cJSON **json)
{
    char url[512], lah[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", refold_mock_port(m), path);
    snprintf(lah, sizeof lah, "linked_account_id: %s", la ? la : "");
    struct curl_slist *h = curl_slist_append(NULL, "x-api-key: tk_acme_test");
    if (la)
        h = curl_slist_append(h, lah);
    struct sink s = {calloc(1, 1), 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    long status = 0, connects = -1;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
    *reused = connects == 0;
    *json = cJSON_Parse(s.data);
    free(s.data);
    curl_slist_free_all(h);
    return status;
}

/* The account is asked about, deleted, and asked about again on the same connection (so in the
 * same worker thread, where the last answer is remembered): the second answer is a 404. */
static void deleted_account_is_gone_on_the_same_connection(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, "tk_acme_test", "kept_alive", "Kept alive");
    CURL *c = curl_easy_init();
    int reused = 0;
    cJSON *j = NULL;
    assert_int_equal(on_conn(c, m, "GET", APP, "kept_alive", &reused, &j), 200);
    assert_string_equal(th_str(j, "slug"), "hubspot");
    cJSON_Delete(j);
    assert_int_equal(on_conn(c, m, "GET", APP, "kept_alive", &reused, &j), 200);
    assert_true(reused);
    cJSON_Delete(j);
    assert_int_equal(on_conn(c, m, "DELETE", LA "/kept_alive", NULL, &reused, &j), 200);
    assert_true(reused);
    cJSON_Delete(j);
    assert_int_equal(on_conn(c, m, "GET", APP, "kept_alive", &reused, &j), 404);
    assert_true(reused);
    assert_string_equal(th_str(j, "error_code"), "INVALID_LINKED_ACCOUNT_ID");
    cJSON_Delete(j);
    /* and created again, it is found again */
    th_create_la(m, "tk_acme_test", "kept_alive", "Kept alive");
    assert_int_equal(on_conn(c, m, "GET", APP, "kept_alive", &reused, &j), 200);
    cJSON_Delete(j);
    curl_easy_cleanup(c);
}

/* Paths the pre-cut patterns treat apart: an empty parameter, a trailing slash, more segments
 * than any pattern has, a method with no row for the path. */
static void unusual_paths_get_the_envelope(void **state)
{
    refold_mock *m = *state;
    /* a trailing slash is the same route as none: an unknown path stays unknown, a known one is
     * found (and asks for its linked account like the plain path below) */
    th_resp r = th_key(m, "GET", "/api/v2/public/applications/", "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 404), "NOT_FOUND");
    th_free(&r);
    r = th_key(m, "GET", APP "/", "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "BAD_REQUEST");
    assert_non_null(strstr(th_str(r.json, "message"), "linked_account_id is required"));
    th_free(&r);
    r = th_key(m, "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t", "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 404), "NOT_FOUND");
    th_free(&r);
    r = th_key(m, "PATCH", APP, "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 405), "METHOD_NOT_ALLOWED");
    char allow[64];
    assert_true(th_header(&r, "Allow", allow, sizeof allow));
    assert_string_equal(allow, "GET");
    th_free(&r);
    /* and the plain path still finds its row (which then asks for the linked account) */
    r = th_key(m, "GET", APP, "tk_acme_test", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "BAD_REQUEST");
    assert_non_null(strstr(th_str(r.json, "message"), "linked_account_id is required"));
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deleted_account_is_gone_on_the_same_connection, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(unusual_paths_get_the_envelope, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
