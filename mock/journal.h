/* journal.h: the request journal behind GET /__mock/requests (the last requests, in memory). */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <cjson/cJSON.h>
#include "mock.h"

struct journal *journal_new(int capacity);
void journal_free(struct journal *j);
void journal_record(struct journal *j, req *r, long long virtual_ms, long long duration_us);
/* Newest last; tenant NULL = all tenants. */
cJSON *journal_list(struct journal *j, const char *tenant, int limit);
void journal_clear(struct journal *j, const char *tenant);

#endif
