/* applications.h: the app catalogue as a linked account sees it (shared with the SDK routes). */
#ifndef APPLICATIONS_H
#define APPLICATIONS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* The ApplicationItem of app for linked account la (la "" = no connection fields). */
cJSON *applications_view(struct mock *m, const struct tenant *t, const char *la, const cJSON *app);
/* 1 when app passes the slug / tags / ecosystem / auth_type query filters of r. */
int applications_matches_query(req *r, const cJSON *app);
/* The same without the ecosystem filter (the SDK's list reads ecosystem=true differently). */
int applications_matches_query_but_ecosystem(req *r, const cJSON *app);

#endif
