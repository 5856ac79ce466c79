/* receiver.h: a webhook receiver on loopback for tests and benchmarks: records every request
 * (headers, raw body, arrival time) and answers with a scripted status, delay or not at all. */
#ifndef RECEIVER_H
#define RECEIVER_H

#include <stddef.h>

typedef struct rcv rcv;

typedef struct rcv_req {
    char method[16];
    char path[512];
    char *headers;          /* "Name: value\n" lines, as received */
    char *body;             /* the raw body, NUL-terminated */
    size_t len;
    long long at_us;        /* arrival (body read), CLOCK_MONOTONIC microseconds */
} rcv_req;

/* Starts on 127.0.0.1:port (0 picks a free one); NULL when the port cannot be bound. */
rcv *rcv_start(int port);
int rcv_port(const rcv *r);
/* "http://127.0.0.1:PORT" + path into out. */
void rcv_url(const rcv *r, const char *path, char *out, size_t n);
/* Stops listening (later connections are refused) and frees everything. */
void rcv_stop(rcv *r);

/* The status every request gets (default 200). */
void rcv_set_status(rcv *r, int status);
/* The next n requests get these statuses, in order; then the default again. */
void rcv_script(rcv *r, const int *statuses, int n);
/* Holds each answer this long (ms): a receiver slower than the sender's timeout. */
void rcv_set_delay_ms(rcv *r, int ms);

/* Requests received so far. */
int rcv_count(rcv *r);
/* Waits (real time: network arrival) until at least n requests arrived or timeout_ms passed;
 * returns how many arrived. */
int rcv_wait(rcv *r, int n, int timeout_ms);
/* The i-th request (0-based), valid until rcv_stop; NULL past the end. */
const rcv_req *rcv_get(rcv *r, int i);
/* A header of a recorded request (case-insensitive name) into out; 1 when present. */
int rcv_header(const rcv_req *q, const char *name, char *out, size_t n);

/* A loopback port nothing listens on right now (for "receiver down" tests). */
int rcv_free_port(void);
/* CLOCK_MONOTONIC microseconds, the clock of at_us. */
long long rcv_now_us(void);

/* ---- with a mock (API tests, benchmark) ---- */
#include <cjson/cJSON.h>
#include "refold_mock.h"

/* Registers a webhook subscription for key: url, events as JSON text ('["Connection Created"]').
 * Asserts 200 and copies the new _id into id (may be NULL). */
void rcv_subscribe(refold_mock *m, const char *key, const char *url, const char *events_json, char *id, size_t n);
/* GET /__mock/webhooks/deliveries[?query] with key (NULL: all tenants): the parsed array. */
cJSON *rcv_deliveries(refold_mock *m, const char *key, const char *query);
/* Waits (real time) until key's tenant has no pending delivery; returns all its deliveries. */
cJSON *rcv_settled(refold_mock *m, const char *key, int timeout_ms);
/* For a negative check ("nothing more arrived"): waits (real time) until key's tenant has no
 * pending delivery, then returns how many requests r holds. Every delivery the mock queued has
 * then reached r or failed, so a count that should not have grown is checked without a fixed wait. */
int rcv_quiet(refold_mock *m, const char *key, rcv *r, int timeout_ms);
/* The hex HMAC-SHA256 of data keyed with key as the openssl command line computes it: a check
 * independent of the mock's own libcrypto call. 0 on success. */
int rcv_openssl_hmac(const char *key, const char *data, size_t len, char out[65]);
/* Sleeps ms of real time (waiting for network I/O, never for virtual time). */
void rcv_sleep_ms(int ms);

#endif
