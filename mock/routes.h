/* routes.h: the route table and its matcher. */
#ifndef ROUTES_H
#define ROUTES_H

#include "base/mock.h"

extern const struct route routes[];

enum route_result { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD, ROUTE_PARAM_TOO_LONG };

/* Finds the route for method + path, filling r->param. The most specific pattern wins (most
 * literal segments), so /workflow/enabled beats /workflow/{workflowId}. On ROUTE_NO_METHOD,
 * allow receives the methods the path does take ("GET, POST"). */
enum route_result routes_match(const char *method, const char *path, req *r, const struct route **out,
                               char *allow, size_t allow_len);

/* A DEPRECATED row's replacement ("POST /api/v2/public/event/trigger"), or NULL for other rows. */
const char *routes_deprecated_use(const struct route *rt);

/* How many rows the table has (for tests and the coverage report). */
int routes_count(void);

#endif
