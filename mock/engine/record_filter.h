/* record_filter.h: the {"field": value} filters of table and datastore searches. */
#ifndef RECORD_FILTER_H
#define RECORD_FILTER_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct record_filter;

/* Compiles filter (a JSON object): string values are case-insensitive regular expressions over
 * the field's text (numbers and booleans matched as their JSON text), other values must be equal.
 * NULL with the reason in err when a pattern breaks a limit of pattern.h or does not compile. */
struct record_filter *record_filter_new(const cJSON *filter, char *err, size_t n);
/* 1 when rec has every field of the filter and each matches, 0 when not, -1 when the filter's
 * match budget (PATTERN_MATCH_BUDGET, for the filter's whole life) is spent. */
int record_filter_match(struct record_filter *f, const cJSON *rec);
void record_filter_free(struct record_filter *f);

#endif
