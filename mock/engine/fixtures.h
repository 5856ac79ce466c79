/* fixtures.h: the loaded fixtures: orgs and their tenants (API keys), and the app catalogue. */
#ifndef FIXTURES_H
#define FIXTURES_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

struct fixtures {
    struct tenant *tenants;
    int ntenants;
    cJSON *orgs;      /* orgs.json as loaded (tenants point into it for their setup) */
    cJSON *apps;      /* array of app documents, sorted by slug */
    cJSON *public_apps; /* the same apps as the API shows them (mock-only sections left out) */
    struct fixtures *retired_next; /* mock.c's list of replaced sets */
    cJSON *env_definitions; /* env_definitions.json's "definitions" (each names its org_id); empty when absent */
};

/* Loads DIR/orgs.json and DIR/apps/\*.json; NULL with "FILE: field: reason" in err. */
struct fixtures *fixtures_load(const char *dir, char *err, size_t errlen);
void fixtures_free(struct fixtures *fx);

const struct tenant *fixtures_tenant_by_key(const struct fixtures *fx, const char *api_key);
const struct tenant *fixtures_tenant_by_id(const struct fixtures *fx, const char *id);
const cJSON *fixtures_app(const struct fixtures *fx, const char *slug);

/* The catalogue entry of app as the API returns it (without the mock's own sections). */
const cJSON *fixtures_app_public(const struct fixtures *fx, const cJSON *app);

/* Whether an app supports an auth type ("oauth2" / "keybased"). */
int fixtures_app_supports(const cJSON *app, const char *auth_type);

#endif
