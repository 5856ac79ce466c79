/* raw.h: requests written byte for byte on a plain socket: what libcurl would refuse to send
 * (broken framing, short bodies, oversized heads), for the limits and hardening tests. */
#ifndef RAW_H
#define RAW_H

#include <stddef.h>
#include "harness.h"

/* A connected socket to the mock (20 s receive timeout). */
int th_raw_connect(refold_mock *m);
/* Reads one response from fd: until the server closes or a complete Content-Length body came. */
th_resp th_raw_read(int fd);
/* Sends bytes as they are on a new connection, half-closing it when shut is set, and reads the
 * response. */
th_resp th_raw_request(refold_mock *m, const char *bytes, size_t len, int shut);
/* 404 for linked account id under key: proof that a refused request stored nothing. */
void th_assert_no_la(refold_mock *m, const char *key, const char *id);

#endif
