/* faults.h: injected failures and delays (scenario fail_requests / delay_requests). */
#ifndef FAULTS_H
#define FAULTS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

struct fault {
    char tenant[80];      /* "" = every tenant */
    char method[12];      /* "" = any method */
    char path[256];       /* util_path_match pattern */
    int status;           /* 0 = a delay only */
    int times;            /* how many matching requests it affects; -1 = until cleared */
    int retry_after;      /* seconds for Retry-After; 0 = none */
    int delay_ms;
    char error_code[64];
    char message[256];
};

struct faults *faults_new(void);
void faults_free(struct faults *f);
/* Loads the rules a --db file kept and persists every later change there. */
struct store;
void faults_attach(struct faults *f, struct store *st);
void faults_add(struct faults *f, const struct fault *rule);
void faults_clear(struct faults *f, const char *tenant); /* NULL = all */
cJSON *faults_list(struct faults *f);

/* Before a handler: sleeps for the first matching delay rule (in slices, until *stopping), then
 * copies the first matching failure rule into *hit and returns 1, or returns 0 when the request
 * goes on. Each rule it used counts one use. The dispatcher answers the failure (server.c). */
int faults_take(struct faults *f, const char *tenant, const char *method, const char *path, const int *stopping,
                struct fault *hit);

#endif
