/* patterns.c: API tests for the regular expressions clients send (name filters of tables,
 * workflows and variable definitions, table and datastore searches): a hostile pattern gets a 400
 * naming the limit it broke, never a crash or a minute of CPU, and patterns within the limits
 * still filter. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T "/api/v2/public/tables"
#define KEY "tk_acme_test"

/* depth groups around "a": ((((a)))) */
static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 2), *p = s;
    for (int i = 0; i < depth; i++)
        *p++ = '(';
    *p++ = 'a';
    for (int i = 0; i < depth; i++)
        *p++ = ')';
    *p = 0;
    return s;
}

/* s percent-encoded for a query string (caller frees) */
static char *enc(const char *s)
{
    char *out = malloc(strlen(s) * 3 + 1), *p = out;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            *p++ = (char)c;
        else
            p += sprintf(p, "%%%02X", c);
    }
    *p = 0;
    return out;
}

/* s as a JSON string body value (caller frees) */
static char *search_body(const char *field, const char *pattern)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, field, pattern);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static void assert_alive(refold_mock *m)
{
    th_resp r = th_request(m, "GET", "/__mock/health", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

/* A 400 in the envelope whose hint names the limit (a word of it: "deep", "bytes", ...). */
static void assert_refused(th_resp *r, const char *limit_word)
{
    assert_string_equal(th_assert_error(r, 400), "BAD_REQUEST");
    const char *hint = th_str(r->json, "hint");
    if (!hint || !strstr(hint, limit_word))
        fprintf(stderr, "hint lacks '%s': %s\n", limit_word, r->body);
    assert_non_null(hint);
    assert_non_null(strstr(hint, limit_word));
    /* the message names what was refused */
    assert_non_null(strstr(th_str(r->json, "message"), limit_word));
}

static void make_table(refold_mock *m, const char *name, char out[32])
{
    char body[256];
    snprintf(body, sizeof body, "{\"table_name\":\"%s\",\"columns\":[{\"column_name\":\"note\"}]}", name);
    th_resp r = th_key(m, "POST", T, KEY, "user_12345", body);
    assert_int_equal(r.status, 200);
    snprintf(out, 32, "%s", th_str(r.json, "table_id"));
    th_free(&r);
}

/* GET path?name=<pattern> with Acme's key and user_12345 */
static th_resp list_named(refold_mock *m, const char *path, const char *pattern)
{
    char *e = enc(pattern);
    size_t n = strlen(path) + strlen(e) + 16;
    char *url = malloc(n);
    snprintf(url, n, "%s?name=%s", path, e);
    th_resp r = th_key(m, "GET", url, KEY, "user_12345", NULL);
    free(url);
    free(e);
    return r;
}

static const char *const name_routes[] = {T, "/api/v2/public/workflow", "/api/v2/public/env/definitions", NULL};

/* 127 groups deep, 255 bytes: overflowed a worker's stack inside regcomp and killed the server. */
static void deep_nesting_is_refused_everywhere(void **state)
{
    refold_mock *m = *state;
    char id[32];
    make_table(m, "leads", id);
    char *deep = nested(127);
    assert_int_equal(strlen(deep), 255);
    for (int i = 0; name_routes[i]; i++) {
        th_resp r = list_named(m, name_routes[i], deep);
        assert_refused(&r, "deep");
        th_free(&r);
        assert_alive(m);
    }
    char path[128], *body = search_body("note", deep);
    snprintf(path, sizeof path, T "/%s/search", id);
    th_resp r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_refused(&r, "deep");
    th_free(&r);
    free(body);
    free(deep);
    assert_alive(m);

    /* 16 deep is within the limit, and it still filters */
    deep = nested(16);
    r = list_named(m, T, deep);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1); /* "leads" has an a */
    th_free(&r);
    free(deep);
    deep = nested(17);
    r = list_named(m, T, deep);
    assert_refused(&r, "deep");
    th_free(&r);
    free(deep);
}

/* (.*)(.*)(.*)(.*)(.*)\5\4\3\2\1b on an 80-character record took 99 s of CPU. */
static void back_references_are_refused(void **state)
{
    refold_mock *m = *state;
    char id[32], path[160], rec[256];
    make_table(m, "notes", id);
    snprintf(path, sizeof path, T "/%s", id);
    snprintf(rec, sizeof rec, "{\"data\":[{\"note\":\"%080d\"}]}", 0);
    th_resp r = th_key(m, "PATCH", path, KEY, "user_12345", rec);
    assert_int_equal(r.status, 200);
    th_free(&r);
    char *body = search_body("note", "(.*)(.*)(.*)(.*)(.*)\\5\\4\\3\\2\\1b");
    snprintf(path, sizeof path, T "/%s/search", id);
    r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_refused(&r, "back-reference");
    th_free(&r);
    free(body);
    r = list_named(m, "/api/v2/public/workflow", "(a)\\1");
    assert_refused(&r, "back-reference");
    th_free(&r);
    /* an escaped digit inside a bracket expression is two plain characters, not a back-reference */
    body = search_body("note", "^[\\1-9]+0$");
    r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    free(body);
    body = search_body("note", "^0{80}$");
    r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    free(body);
}

/* A pattern over the length limit used to be dropped silently on the query routes (the whole
 * list came back); bounded repetitions that expand to a huge automaton took seconds to compile. */
static void long_and_expanding_patterns_are_refused(void **state)
{
    refold_mock *m = *state;
    char id[32];
    make_table(m, "leads", id);
    char long_pattern[300];
    memset(long_pattern, 'x', sizeof long_pattern - 1);
    long_pattern[sizeof long_pattern - 1] = 0;
    for (int i = 0; name_routes[i]; i++) {
        th_resp r = list_named(m, name_routes[i], long_pattern);
        assert_refused(&r, "bytes");
        th_free(&r);
    }
    th_resp r = list_named(m, T, "((a{0,100}){0,100}){0,100}");
    assert_refused(&r, "expand");
    th_free(&r);
    r = list_named(m, T, "x{32767}");
    assert_refused(&r, "expand");
    th_free(&r);
    /* x+ is x x* in glibc: stacked, 2^15 copies (found by fuzz_filters: 5 s over 66 bytes) */
    r = list_named(m, T, "A+++++++++++++++ar");
    assert_refused(&r, "repetition");
    th_free(&r);
    /* stacked ? and + (found by fuzz_filters: 3 s over one record) and a repeated interval */
    r = list_named(m, T, "v\x1e??;?????????+++????+^");
    assert_refused(&r, "repetition");
    th_free(&r);
    r = list_named(m, T, "le{1,2}?ad");
    assert_refused(&r, "repetition");
    th_free(&r);
    r = list_named(m, T, "^l+e+a+d+s+$");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    th_free(&r);
    char path[128], *body = search_body("note", "(.{0,255}){0,255}");
    snprintf(path, sizeof path, T "/%s/search", id);
    r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_refused(&r, "expand");
    th_free(&r);
    free(body);
    /* within the limits: still a filter */
    r = list_named(m, T, "^(l|x){1}e{1,3}a[d-z]+$");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 1);
    th_free(&r);
    r = list_named(m, T, "^lx");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "docs")), 0);
    th_free(&r);
    /* a pattern that does not compile is still its own 400 */
    r = list_named(m, T, "(");
    th_assert_error(&r, 400);
    th_free(&r);
    assert_alive(m);
}

/* What matching may cost: a pattern of the largest allowed expansion over a record of most of a
 * megabyte is refused before it runs (it took seconds), a plain pattern over the same record
 * is answered. */
static void matching_has_a_budget(void **state)
{
    refold_mock *m = *state;
    char id[32], path[160];
    make_table(m, "big", id);
    size_t n = 900 * 1024;
    char *rec = malloc(n + 64);
    int k = sprintf(rec, "{\"data\":[{\"note\":\"");
    memset(rec + k, 'a', n);
    strcpy(rec + k + n, "\"}]}");
    snprintf(path, sizeof path, T "/%s", id);
    th_resp r = th_key(m, "PATCH", path, KEY, "user_12345", rec);
    assert_int_equal(r.status, 200);
    th_free(&r);
    free(rec);
    snprintf(path, sizeof path, T "/%s/search", id);
    char *body = search_body("note", "(a{0,16}){0,15}b");
    r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_refused(&r, "budget");
    th_free(&r);
    free(body);
    body = search_body("note", "a$");
    r = th_key(m, "POST", path, KEY, "user_12345", body);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deep_nesting_is_refused_everywhere, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(long_and_expanding_patterns_are_refused, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(matching_has_a_budget, th_setup_la, th_teardown),
        cmocka_unit_test_setup_teardown(back_references_are_refused, th_setup_la, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
