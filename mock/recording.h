/* recording.h: the proxy's recordings on disk (format v1, mock/PROXY.md): writing exchanges with
 * their secrets masked, and reading them back in order for drift and fixtures-from. */
#ifndef RECORDING_H
#define RECORDING_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define RECORDING_FORMAT "refold-mock-recording"
#define RECORDING_VERSION 1

struct recording;

/* Opens (creating when needed) DIR for recording exchanges proxied to upstream: writes
 * DIR/recording.json, and numbers new exchanges after those already in DIR. NULL with err. */
struct recording *recording_open(const char *dir, const char *upstream, char *err, size_t errlen);
void recording_close(struct recording *rec);

/* The next exchange number, drawn when a request arrives (so the order is the callers'). */
long recording_next_seq(struct recording *rec);

/* Writes exchange (already masked by the caller) as DIR/<seq>.json; every occurrence of the
 * secrets (NULL-terminated list of literal values: the caller's key and tokens) is replaced by
 * "****" in the text before it is written, so nothing the caller authenticated with reaches the
 * disk whatever field echoed it. 0 on success. */
int recording_write(struct recording *rec, long seq, const cJSON *exchange, const char *const *secrets);

/* Reads DIR: its manifest checked (format and version), the exchanges sorted by seq. Returns
 * the array (caller frees), NULL with err. */
cJSON *recording_load(const char *dir, char *err, size_t errlen);

#endif
