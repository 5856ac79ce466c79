/* layers.c: the engine speaks no HTTP: no file of mock/engine/ includes base/http.h or calls an
 * http_* function (handlers answer; app_gate returns a state); and no handler
 * calls another route's handler (a sub-request runs it: http_subrequest). */
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The .c files of mock/engine/ (the folder is the layer: what sits there is the engine). */
static int engine_files(char names[][64], int max)
{
    DIR *d = opendir(REFOLD_SOURCE_DIR "/mock/engine");
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < max;) {
        size_t len = strlen(e->d_name);
        if (len > 2 && len < 64 && !strcmp(e->d_name + len - 2, ".c"))
            memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    return n;
}

static void engine_has_no_http(void **state)
{
    (void)state;
    char names[128][64];
    int n = engine_files(names, 128), apps = 0;
    assert_true(n > 10);
    for (int i = 0; i < n; i++) {
        char path[sizeof REFOLD_SOURCE_DIR + 96], line[4096];
        snprintf(path, sizeof path, "%s/mock/engine/%.63s", REFOLD_SOURCE_DIR, names[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            fail_msg("mock/engine/%s cannot be read", names[i]);
        apps += !strcmp(names[i], "app_gate.c");
        for (int ln = 1; fgets(line, sizeof line, f); ln++) {
            if (strstr(line, "#include \"base/http.h\""))
                fail_msg("%s:%d includes http.h: the engine speaks no HTTP", names[i], ln);
            for (const char *p = line; (p = strstr(p, "http_")); p += 5) {
                int word = p == line || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
                const char *e = p + 5;
                while (isalnum((unsigned char)*e) || *e == '_')
                    e++;
                if (word && *e == '(')
                    fail_msg("%s:%d calls %.*s: the engine speaks no HTTP (handlers answer)", names[i], ln, (int)(e - p), p);
            }
        }
        fclose(f);
    }
    assert_int_equal(apps, 1);
}

/* The handler names of mock/routes.def (ROUTE rows' fourth argument). */
static int handler_names(char names[][64], int max)
{
    FILE *f = fopen(REFOLD_SOURCE_DIR "/mock/routes.def", "r");
    assert_non_null(f);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        if (strncmp(line, "ROUTE(", 6))
            continue;
        char *p = line;
        for (int commas = 0; p && commas < 3; commas++)
            p = strchr(p + 1, ',');
        assert_non_null(p);
        p += strspn(p, ", ");
        size_t len = strcspn(p, ", ");
        assert_true(len > 2 && len < 64 && !strncmp(p, "h_", 2));
        memcpy(names[n], p, len);
        names[n++][len] = 0;
    }
    fclose(f);
    return n;
}

/* Outside its own definition line ("int h_x(req *r)"), no file of mock/api, mock/admin or
 * mock/pages names a handler followed by "(": an operation served by another route runs as a
 * sub-request of it, through the dispatcher's steps, never as a direct call. */
static void no_handler_calls_a_handler(void **state)
{
    (void)state;
    static char names[512][64];
    int n = handler_names(names, 512), files = 0;
    assert_true(n > 100);
    const char *const dirs[] = {"api", "admin", "pages"};
    for (int d = 0; d < 3; d++) {
        char dir[sizeof REFOLD_SOURCE_DIR + 32];
        snprintf(dir, sizeof dir, "%s/mock/%s", REFOLD_SOURCE_DIR, dirs[d]);
        DIR *dp = opendir(dir);
        assert_non_null(dp);
        for (struct dirent *de; (de = readdir(dp));) {
            size_t nl = strlen(de->d_name);
            if (nl < 3 || strcmp(de->d_name + nl - 2, ".c"))
                continue;
            char path[sizeof dir + 300], line[4096];
            snprintf(path, sizeof path, "%s/%.255s", dir, de->d_name);
            FILE *f = fopen(path, "r");
            assert_non_null(f);
            files++;
            for (int ln = 1; fgets(line, sizeof line, f); ln++) {
                for (const char *p = line; (p = strstr(p, "h_")); p += 2) {
                    if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                        continue;
                    const char *e = p;
                    while (isalnum((unsigned char)*e) || *e == '_')
                        e++;
                    if (*e != '(' || (p - line == 4 && !strncmp(line, "int ", 4))) /* (its definition) */
                        continue;
                    for (int i = 0; i < n; i++)
                        if (strlen(names[i]) == (size_t)(e - p) && !strncmp(names[i], p, (size_t)(e - p)))
                            fail_msg("mock/%s/%s:%d calls %s: run that route as a sub-request (http_subrequest)", dirs[d],
                                     de->d_name, ln, names[i]);
                }
            }
            fclose(f);
        }
        closedir(dp);
    }
    assert_true(files > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_has_no_http),
        cmocka_unit_test(no_handler_calls_a_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
