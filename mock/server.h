/* server.h: starting and stopping the HTTP server (CivetWeb). */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>
#include "mock.h"

int server_start(struct mock *m, char *err, size_t errlen);
void server_stop(struct mock *m);

#endif
