/* admin.c: the mock's own API under /__mock: health, reset, virtual clock, routes. */
#include "engine/fixtures.h"
#include "engine/reset.h"
#include "engine/clock.h"
#include "base/http.h"
#include "routes.h"
#include "base/store.h"
#include "base/util.h"
#include "handlers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* route: GET /__mock/health */
int h_admin_health(req *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", "ok");
    cJSON_AddStringToObject(o, "version", REFOLD_VERSION);
    cJSON_AddNumberToObject(o, "schema_version", store_schema_version(r->m->store));
    cJSON_AddNumberToObject(o, "apps", cJSON_GetArraySize(r->m->fx->apps));
    cJSON_AddNumberToObject(o, "tenants", r->m->fx->ntenants);
    /* requests holding a worker with wait_ms now (at most ADMIN_WAITERS_MAX) */
    cJSON_AddNumberToObject(o, "waiting", __atomic_load_n(&r->m->waiters, __ATOMIC_RELAXED));
    /* requests being served now, this one included (a stop answers them before it ends) */
    cJSON_AddNumberToObject(o, "in_flight", __atomic_load_n(&r->m->in_flight, __ATOMIC_RELAXED));
    return http_json(r, 200, o);
}

/* route: POST /__mock/reset */
int h_admin_reset(req *r)
{
    /* With a key, only that tenant goes back to its fixtures; without, everything does. */
    char err[512] = "";
    int rc = r->t ? reset_tenant(r->m, r->t) : reset_all(r->m, err, sizeof err);
    if (rc == 1) /* a broken fixture file: the loaded fixtures and all state stay */
        return http_error(r, 400, "INVALID_FIXTURES", "%s", err);
    if (rc != 0)
        return http_error(r, 500, "SERVER_ERROR", "reset failed");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "success", 1);
    cJSON_AddStringToObject(o, "scope", r->t ? r->t->api_key : "all");
    return http_json(r, 200, o);
}

static cJSON *clock_view(struct mock *m)
{
    long long now = clock_now_ms(m);
    char iso[32];
    util_iso8601(now, iso);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "now_ms", (double)now);
    cJSON_AddStringToObject(o, "now", iso);
    cJSON_AddNumberToObject(o, "offset_ms", (double)clock_offset(m, clock_scoped()));
    cJSON_AddStringToObject(o, "mode", m->opt.realtime ? "realtime" : "frozen");
    return o;
}

/* route: GET /__mock/clock */
int h_admin_clock(req *r) { return http_json(r, 200, clock_view(r->m)); }

/* route: POST /__mock/clock/advance */
int h_admin_clock_advance(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(r->body, "seconds");
    if (!cJSON_IsNumber(s) || s->valuedouble < 0 || s->valuedouble > 10.0 * 365 * 86400 || isnan(s->valuedouble))
        return http_error(r, 400, "BAD_REQUEST", "seconds must be a number from 0 to 315360000");
    /* with a key only that tenant's clock moves (a parallel worker's); without, every tenant's */
    long long ms = (long long)llround(s->valuedouble * 1000.0), would = 0;
    int rc = r->t ? clock_advance_tenant_n(r->m, r->t, ms, &would) : clock_advance_n(r->m, ms, &would);
    if (rc == ADVANCE_TOO_LARGE) { /* counted before it started: nothing moved */
        char msg[160];
        snprintf(msg, sizeof msg, "this advance would start more than %d scheduled runs in one tenant (the limit per advance)",
                 ADVANCE_MAX_RUNS);
        return http_error_hint(r, 400, "ADVANCE_TOO_LARGE", msg,
                               "advance in smaller steps: a per-minute schedule allows about %d days per advance",
                               ADVANCE_MAX_RUNS / 1440);
    }
    if (clock_stopping(r->m)) { /* the advance may have been cut short between two steps */
        char iso[32];
        util_iso8601(clock_now_ms(r->m), iso);
        return http_error(r, 503, "SERVICE_UNAVAILABLE", "the mock is stopping: the advance may have been cut short; the clock "
                          "reads %s", iso);
    }
    if (rc)
        return http_error(r, 500, "SERVER_ERROR", "the advance could not be stored; the clock stopped at its last kept step");
    return http_json(r, 200, clock_view(r->m));
}

/* route: GET /__mock/routes */
int h_admin_routes(req *r)
{
    cJSON *out = cJSON_CreateArray();
    for (const struct route *rt = routes; rt->method; rt++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "method", rt->method);
        cJSON_AddStringToObject(o, "path", rt->pattern);
        cJSON_AddStringToObject(o, "operation", rt->operation);
        cJSON_AddBoolToObject(o, "implemented", rt->fn != NULL);
        if (routes_deprecated_use(rt))
            cJSON_AddStringToObject(o, "deprecated", routes_deprecated_use(rt));
        cJSON_AddItemToArray(out, o);
    }
    return http_json(r, 200, out);
}
