/* drift.h: `refold-mock drift DIR`: replays a recording against a fresh mock and reports where
 * the mock answers differently from what was recorded (mock/PROXY.md). */
#ifndef DRIFT_H
#define DRIFT_H

#include <cjson/cJSON.h>

/* argv[0] is "drift". Exit status: 0 no drift, 1 drift, 2 bad usage or an unreadable recording. */
int drift_main(int argc, char **argv);

/* One replayed exchange. */
struct drift_result {
    long seq;
    char method[16];
    char *path;
    char op[96];
    long want, got;
    cJSON *diffs; /* strings */
    cJSON *notes; /* strings: not drift (a deprecated route, a skipped exchange) */
};

/* The reports (drift_report.c): the text summary on stdout, the --json document, the JUnit file. */
void drift_print_text(const struct drift_result *res, int n, int drifted, const char *dir);
cJSON *drift_json_report(const struct drift_result *res, int n, int drifted);
int drift_write_junit(const char *file, const struct drift_result *res, int n, int drifted);

#endif
