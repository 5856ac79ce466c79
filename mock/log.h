/* log.h: one line per answered request on stderr, as text or JSON (--log-format), with the
 * masked request and response bodies under --verbose. */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>
#include "base/mock.h"

/* Writes r's line: method, path, status, duration, tenant, linked account, request id. body is
 * the response body (NULL for none). Does nothing when the mock runs quiet. */
void log_request(req *r, int status, const char *body, size_t len, long long duration_us);

#endif
