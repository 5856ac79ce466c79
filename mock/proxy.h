/* proxy.h: proxy mode (--upstream): public-API requests forwarded to the real Refold with libcurl,
 * its answers returned unchanged and, with --record, each exchange recorded (mock/PROXY.md). */
#ifndef PROXY_H
#define PROXY_H

#include <stddef.h>
#include "base/mock.h"

/* Largest upstream answer passed through; a bigger one gets 502 UPSTREAM_TOO_LARGE. */
#define PROXY_MAX_ANSWER (64u * 1024 * 1024)
/* Recorded bodies longer than this keep their size only (body_omitted). */
#define PROXY_MAX_RECORDED_BODY (1024 * 1024)

/* Checks the options (upstream URL, timeout) and opens the recording. 0, or -1 with err. */
int proxy_start(struct mock *m, char *err, size_t errlen);
void proxy_stop(struct mock *m);

/* 1 when this request goes upstream: proxy mode and a public-API path (not /__mock, not the
 * pages, which stay the mock's own). */
int proxy_wanted(const struct mock *m, const char *path);

/* Forwards r (head checked; r->route is its row in the route table or NULL) and answers it:
 * the upstream's answer, or 502/504 in the envelope with a hint. Returns the status sent. */
int proxy_forward(req *r);

#endif
