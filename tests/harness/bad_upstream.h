/* bad_upstream.h: a small HTTP server that misbehaves on purpose, the upstream of the proxy tests:
 * slow, reset mid-body, chunked, 5xx, 20 MB, garbage, hop-by-hop headers, an echo. */
#ifndef BAD_UPSTREAM_H
#define BAD_UPSTREAM_H

#include <stddef.h>

/* What each path answers (any method):
 *   /api/v2/public/slow         nothing, until the client gives up and closes
 *   /api/v2/public/reset        a head promising 1000 bytes, 11 of them, then a TCP reset
 *   /api/v2/public/garbage      bytes that are not HTTP, then close
 *   /api/v2/public/chunked      200 JSON in three chunks (BU_CHUNKED_BODY once joined)
 *   /api/v2/public/unavailable  503 with Retry-After: 7 and BU_503_BODY
 *   /api/v2/public/big          200 application/octet-stream, BU_BIG_LEN bytes: bu_big_byte(i)
 *   /api/v2/public/hop          200 BU_HOP_BODY with hop-by-hop headers (X-Hop-Only named by Connection) and two Set-Cookie
 *   /api/v2/public/nocontent    204 with X-Deleted: yes and no body
 *   /api/v2/public/echo         200 text/plain: the request exactly as received (head and body)
 *   /api/v2/public/brand-new-route   200 {"items": [{"id": "...", "kind": "new"}]}
 *   anything else               404 in Refold's envelope */
#define BU_CHUNKED_BODY "{\"chunks\":[\"one\",\"two\",\"three\"],\"ok\":true}"
#define BU_503_BODY "{\"status_code\":503,\"error_code\":\"MAINTENANCE\",\"message\":\"back soon\"}"
#define BU_HOP_BODY "{\"ok\":true}"
#define BU_BIG_LEN (20u * 1024 * 1024)
static inline unsigned char bu_big_byte(size_t i) { return (unsigned char)((i * 31u + (i >> 13)) % 251u); }

typedef struct bad_upstream bad_upstream;

bad_upstream *bu_start(void);
int bu_port(const bad_upstream *b);
/* Requests answered so far. */
int bu_requests(const bad_upstream *b);
void bu_stop(bad_upstream *b);

/* A loopback port nothing listens on (bound, then closed). */
int bu_dead_port(void);

#endif
