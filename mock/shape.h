/* shape.h: THE comparer of an expected JSON answer with an actual one (status aside): types and
 * keys recursively, error-envelope values with ids, times and tokens masked. Used by drift
 * (drift.c) and by the docs stage (tests/docs/docs.mjs, through `refold-mock shape-compare`). */
#ifndef SHAPE_H
#define SHAPE_H

#include <stddef.h>
#include <cjson/cJSON.h>

enum {
    SHAPE_ERROR = 1 << 0, /* an error answer: extra envelope keys are allowed, its values compared */
    SHAPE_EXTRA = 1 << 1, /* keys the actual answer has and the expected one lacks are differences too */
};

#define SHAPE_MAX_DIFFS 7 /* a completely different body is told in a few lines, not hundreds */

/* Appends to diffs (an array of strings) each difference of got from want:
 * "PATH: missing", "PATH: TYPE in <want_name>, TYPE in <got_name>", "PATH: not in <want_name>",
 * "PATH: items in <want_name>, empty in <got_name>", "PATH: VALUE in <want_name>, VALUE in <got_name>".
 * Arrays compare their first items. Returns how many were appended. */
int shape_compare(const cJSON *want, const cJSON *got, int flags, const char *want_name, const char *got_name,
                  cJSON *diffs);

/* The type name the comparer uses: "null", "array", "object", "string", "number", "boolean". */
const char *shape_type(const cJSON *v);

/* s with ids (24 hex, UUIDs) as <id>, ISO times as <time> and linked-account ids of the docs'
 * seeds as <la> (malloc'd): values that vary by run compare equal. */
char *shape_mask(const char *s);

/* `refold-mock shape-compare` (argv[0]): reads JSON lines {"want", "got", "error"} on stdin and
 * writes one JSON array of differences per line: the docs stage compares through it. */
int shape_compare_main(int argc, char **argv);

#endif
