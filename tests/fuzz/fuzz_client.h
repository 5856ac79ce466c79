/* fuzz_client.h: what the HTTP fuzz targets share: one in-process mock for the whole run and a
 * plain-socket keep-alive client, so an input costs one round trip and no process start. */
#ifndef FUZZ_CLIENT_H
#define FUZZ_CLIENT_H

#include <stddef.h>
#include "refold_mock.h"

/* Starts the mock once (quiet, port 0, the shipped fixtures); later calls return it. */
refold_mock *fz_mock(void);

/* Sends bytes on a fresh connection and half-closes it, so CivetWeb never waits for more; reads
 * the answer until the server closes. Returns the first status code, or 0 when none came; the
 * answer's first bytes (head and the start of the body) go to out (NUL-terminated, may be NULL). */
int fz_raw(const char *bytes, size_t len, char *out, size_t outlen);

/* 1 when an answer is a finding: a 500, except the one a page documents (an app without an auth
 * schema). answer: the body, or the whole answer. */
int fz_unexpected(int status, const char *answer);

/* One request on the kept-alive connection (reconnects when the server closed it). headers are
 * complete "Name: value\r\n" lines. Returns the status; the body goes to out (NUL-terminated,
 * may be NULL). */
int fz_request(const char *method, const char *path, const char *headers, const char *body, size_t len, char *out,
               size_t outlen);

/* A string member of a JSON text, found anywhere in it, into out; 1 when found. */
int fz_json_find(const char *json, const char *key, char *out, size_t n);

#endif
