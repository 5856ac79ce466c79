/* origin.h: which Host and Origin values name this mock (loopback names, its own addresses, its
 * public URL): the gate that keeps web pages and DNS rebinding away from /__mock and the pages. */
#ifndef ORIGIN_H
#define ORIGIN_H

struct mock;

/* 1 when path is the admin API or one of the mock's own pages (gated), 0 for the public API. */
int origin_gated_path(const char *path);
/* 1 when a Host header value (host[:port]) names this mock: a loopback name or address, the
 * address it listens on (any local interface when it listens on all), or its --public-url host.
 * An absent Host (HTTP/1.0) is not a browser's: 1. */
int origin_host_ok(const struct mock *m, const char *host);
/* 1 when an Origin header value is one of the mock's own pages: scheme://host:port with a host
 * origin_host_ok accepts and the mock's port, or exactly the --public-url origin. */
int origin_is_own(const struct mock *m, const char *origin);
/* 1 when a request to host (a name, an address in any spelling, or [v6]) on port would reach
 * this mock: port is the mock's and host names it (origin_host_ok's names) or resolves to a
 * loopback, unspecified or local interface address. For webhook URLs: delivering to the mock
 * itself feeds it its own events. May ask the resolver (only when port is the mock's). */
int origin_reaches_mock(const struct mock *m, const char *host, int port);

#endif
