/* handlers.h: every route handler (the h_* functions), declared from the rows of routes.def, so
 * the table and the declarations are one list. Each is defined in its family's file: public API
 * (api/), pages (pages/), admin API (admin/); `grep -rn "^int h_name" mock/` finds it. */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "base/mock.h"

#define ROUTE(method, pattern, flags, fn, operation) int fn(req *r);
#define ROUTE_501(method, pattern, flags, operation) /* no handler yet */
#include "routes.def"
#undef ROUTE
#undef ROUTE_501

#endif
