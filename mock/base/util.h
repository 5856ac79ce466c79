/* util.h: small shared helpers: ids (one generator, seedable), timestamps, bounded string copies, JSON conveniences. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Seeds the generator below (NULL: libcrypto randomness again): with a seed every id, token
 * and secret is a function of the seed and the order of draws. Process-wide. */
void util_seed(const char *seed);
/* n bytes from the generator. */
void util_random_bytes(unsigned char *out, size_t n);
/* 24 lowercase hex chars from libcrypto randomness, like Refold's document ids. */
void util_new_id(char out[25]);
/* A random hex string of n bytes (2n chars + NUL in out). */
void util_random_hex(char *out, size_t nbytes);

/* "2026-04-28T12:13:25.968Z" */
/* Monotonic time in microseconds, for durations. */
long long util_mono_us(void);
void util_iso8601(long long ms, char out[32]);
/* "Tue, 07 Nov 2023 08:38:33 GMT" */
void util_rfc1123(long long ms, char out[40]);
/* Parses the ISO form above (fractions optional); -1 when it is not one. */
long long util_parse_iso8601(const char *s);

/* strncpy that always terminates; returns 0 when the source did not fit. */
int util_copy(char *dst, size_t n, const char *src);
/* 1 when s[0..n) is UTF-8 as JSON needs it (no overlong forms, surrogates, or past U+10FFFF). */
int util_utf8_valid(const char *s, size_t n);




/* Reads and parses a JSON file; on failure NULL and err = "PATH: line L: reason". */
cJSON *util_read_json_file(const char *path, char *err, size_t errlen);
/* Parses text named `name` for messages; on failure NULL and err = "NAME: line L: reason". */
cJSON *util_parse_json_named(const char *text, const char *name, char *err, size_t errlen);
/* Path patterns of scenarios: '*' matches one segment; a final '*' matches one or more. A
 * trailing slash on path is ignored, as the router ignores it. */
int util_path_match(const char *pattern, const char *path);

/* The reason phrase of an HTTP status ("Too Many Requests"); "OK" / "Error" for others. */
const char *util_status_reason(int status);

#endif
