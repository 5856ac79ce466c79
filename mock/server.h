/* server.h: starting and stopping the HTTP server (CivetWeb). */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>
#include "base/mock.h"

int server_start(struct mock *m, char *err, size_t errlen);
void server_stop(struct mock *m);
/* Waits at most ms for the requests in flight to be answered (call with m->stopping set, before
 * server_stop). */
void server_drain(struct mock *m, int ms);

#endif
