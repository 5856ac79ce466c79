/* admin_wait.c: wait_ms/count parsing and the 408 that names what never arrived. */
#include "admin/admin_wait.h"
#include "base/http.h"

#include <stdio.h>
#include <string.h>

int admin_wait_params(req *r, int max_count, int *wait_ms, int *count)
{
    char probe[8];
    long w, c;
    if (http_query_int(r, "wait_ms", 0, 0, ADMIN_WAIT_MAX_MS, &w) || http_query_int(r, "count", 1, 1, max_count, &c))
        return -1;
    *wait_ms = (int)w;
    *count = (int)c;
    if (!(http_query(r, "wait_ms", probe, sizeof probe) && *probe))
        return 0;
    if (w <= 0)
        return 1;
    /* (tenants are handed around const; this count, like the clock offset, is theirs to change) */
    int *mine = r->t ? &((struct tenant *)r->t)->waiters : NULL;
    int all = __atomic_add_fetch(&r->m->waiters, 1, __ATOMIC_RELAXED);
    int own = mine ? __atomic_add_fetch(mine, 1, __ATOMIC_RELAXED) : 0;
    if (all > ADMIN_WAITERS_MAX || own > ADMIN_WAITERS_PER_TENANT) {
        __atomic_sub_fetch(&r->m->waiters, 1, __ATOMIC_RELAXED);
        if (mine)
            __atomic_sub_fetch(mine, 1, __ATOMIC_RELAXED);
        http_add_header(r, "Retry-After", "1");
        if (own > ADMIN_WAITERS_PER_TENANT)
            http_error(r, 429, "TOO_MANY_WAITERS", "%d requests of this tenant are waiting with wait_ms already (the limit "
                       "per tenant); ask again when one has its answer, or ask without wait_ms", ADMIN_WAITERS_PER_TENANT);
        else
            http_error(r, 429, "TOO_MANY_WAITERS", "%d requests are waiting with wait_ms already (the limit); ask again when "
                       "one has its answer, or ask without wait_ms", ADMIN_WAITERS_MAX);
        return -1;
    }
    return 1;
}

void admin_wait_done(req *r, int wait_ms)
{
    if (wait_ms <= 0)
        return;
    __atomic_sub_fetch(&r->m->waiters, 1, __ATOMIC_RELAXED);
    if (r->t)
        __atomic_sub_fetch(&((struct tenant *)r->t)->waiters, 1, __ATOMIC_RELAXED);
}

int admin_wait_timeout(req *r, const char *what, const char *const *filters, int have, int count, int wait_ms)
{
    if (__atomic_load_n(&r->m->stopping, __ATOMIC_ACQUIRE)) { /* woken by the stop, not the timeout */
        http_add_header(r, "Retry-After", "1");
        return http_error(r, 503, "SERVICE_UNAVAILABLE", "the mock is stopping: the wait for %d %s ended with %d matched",
                          count, what, have);
    }
    char desc[1024] = "", v[256];
    size_t used = 0;
    for (int i = 0; filters[i]; i++)
        if (http_query(r, filters[i], v, sizeof v) && *v && used < sizeof desc) {
            int n = snprintf(desc + used, sizeof desc - used, "%s%s=%s", used ? " " : "", filters[i], v);
            used += n > 0 ? (size_t)n : 0;
        }
    return http_error(r, 408, "WAIT_TIMEOUT", "waited %d ms for %d %s%s%s%s; %d matched", wait_ms, count, what,
                      *desc ? " matching " : "", desc, r->t ? "" : " (all tenants)", have);
}
