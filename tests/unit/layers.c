/* layers.c: the engine speaks no HTTP: no file the engine table of mock/README.md names includes
 * http.h or calls an http_* function (handlers answer; app_gate returns a state). */
#include "harness.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The .c files the first cells of mock/README.md's engine table name ("The engine" to "The bottom"). */
static int engine_files(char names[][64], int max)
{
    FILE *f = fopen(REFOLD_SOURCE_DIR "/mock/README.md", "r");
    assert_non_null(f);
    char line[4096];
    int in = 0, n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "The engine", 10))
            in = 1;
        else if (!strncmp(line, "The bottom", 10))
            break;
        if (!in || strncmp(line, "| `", 3))
            continue;
        char *cell_end = strchr(line + 1, '|'); /* the first cell names the files */
        if (cell_end)
            *cell_end = 0;
        for (char *p = line; (p = strchr(p, '`')) && n < max;) {
            char *q = strchr(p + 1, '`');
            if (!q)
                break;
            size_t len = (size_t)(q - p - 1);
            if (len > 2 && len < 64 && !strncmp(q - 2, ".c", 2)) {
                memcpy(names[n], p + 1, len);
                names[n++][len] = 0;
            }
            p = q + 1;
        }
    }
    fclose(f);
    return n;
}

static void engine_has_no_http(void **state)
{
    (void)state;
    char names[128][64];
    int n = engine_files(names, 128), apps = 0;
    assert_true(n > 10);
    for (int i = 0; i < n; i++) {
        char path[sizeof REFOLD_SOURCE_DIR + 80], line[4096];
        snprintf(path, sizeof path, "%s/mock/%.63s", REFOLD_SOURCE_DIR, names[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            fail_msg("mock/README.md names %s, which does not exist", names[i]);
        apps += !strcmp(names[i], "app_gate.c");
        for (int ln = 1; fgets(line, sizeof line, f); ln++) {
            if (strstr(line, "#include \"http.h\""))
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_has_no_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
