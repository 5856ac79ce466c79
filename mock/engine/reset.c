/* reset.c: a tenant's data from and back to the fixtures' state: a new tenant's seed, the reset
 * of one tenant or all (the admin reset, a scenario's load, start-up seeding, fixture reload), a
 * dropped tenant's wipe. The tenant registry (tenants.c) only lists tenants. */
#include "engine/reset.h"
#include "engine/clock.h"
#include "engine/faults.h"
#include "engine/fixtures.h"
#include "engine/journal.h"
#include "engine/mcp_logs.h"
#include "engine/setup.h"
#include "base/store.h"
#include "engine/tenants.h"

#include <stdio.h>

int reset_add_forget(struct mock *m, void (*forget)(struct mock *m, const struct tenant *t))
{
    if (m->nforgets == (int)(sizeof m->forgets / sizeof *m->forgets))
        return -1;
    m->forgets[m->nforgets++] = forget;
    return 0;
}

static void forget_above(struct mock *m, const struct tenant *t)
{
    for (int i = 0; i < m->nforgets; i++)
        m->forgets[i](m, t); /* (a scenario playing in t goes with the state it made) */
}

/* Seeds every tenant from the fixtures; on a file database only the first time, so a restart
 * keeps what users created and deleted. */
int reset_seed(struct mock *m, int force, char *err, size_t errlen)
{
    char done[8];
    if (!force && store_meta_get(m->store, "seeded", done, sizeof done))
        return 0;
    for (int i = 0; i < m->fx->ntenants; i++)
        if (reset_tenant(m, &m->fx->tenants[i]) != 0) {
            snprintf(err, errlen, "fixtures: seed data of %s does not apply", m->fx->tenants[i].api_key);
            return -1;
        }
    return store_meta_set(m->store, "seeded", "1");
}

int reset_data(struct mock *m, const struct tenant *t, char *err, size_t n)
{
    if (store_wipe(m->store, t->id) != 0)
        return -1;
    return t->setup && setup_apply(m, t, t->setup, err, n) != 0 ? 1 : 0;
}

/* What t has outside the store goes: its scenario, faults, journal, MCP log, own clock. */
static void forget_tenant(struct mock *m, const struct tenant *t)
{
    forget_above(m, t);
    faults_clear(m->faults, t->id);
    journal_clear(m->journal, t->id);
    mcp_logs_clear(m->mcp_logs, t->id);
    clock_reset_tenant(m, t); /* (before the seed: its rows are stamped with t's time) */
}

int reset_tenant(struct mock *m, const struct tenant *t)
{
    char err[256];
    forget_tenant(m, t);
    return reset_data(m, t, err, sizeof err) ? -1 : 0;
}

const struct tenant *reset_create_tenant(struct mock *m, const char *org, const char *environment, char *err, size_t n)
{
    char why[256];
    store_lock(m->store); /* the fixtures cannot be swapped by a reset meanwhile */
    struct tenant *t = tenants_make(m, org, environment, err, n);
    if (!t) {
        store_unlock(m->store);
        return NULL;
    }
    clock_reset_tenant(m, t);
    if (reset_data(m, t, why, sizeof why) != 0) { /* (nothing of a new id to forget but a --db file's rows) */
        store_wipe(m->store, t->id);
        store_unlock(m->store);
        snprintf(err, n, "the seed data of %.64s (%.16s) does not apply", t->org_name, t->environment);
        tenants_discard(t);
        return NULL;
    }
    tenants_add(m, t);
    store_unlock(m->store);
    return t;
}

int reset_drop_tenant(struct mock *m, const char *api_key)
{
    if (fixtures_tenant_by_key(m->fx, api_key))
        return 1;
    store_lock(m->store);
    const struct tenant *t = tenants_unlist(m, api_key); /* unknown to auth from here on */
    if (t) {
        forget_tenant(m, t);
        store_wipe(m->store, t->id);
    }
    store_unlock(m->store);
    return t ? 0 : -1;
}

/* Re-reads the fixtures directory. Unchanged files keep the loaded set; a changed one replaces
 * it, and the old set is kept until stop (a request in flight may still hold its tenant or app
 * pointers). A broken file is refused with its file and field, and the old set stays. */
static int reload_fixtures(struct mock *m, char *err, size_t errlen)
{
    struct fixtures *fresh = fixtures_load(m->fixtures_dir, err, errlen);
    if (!fresh)
        return -1;
    struct fixtures *old = m->fx;
    if (cJSON_Compare(old->orgs, fresh->orgs, 1) && cJSON_Compare(old->apps, fresh->apps, 1) &&
        cJSON_Compare(old->env_definitions, fresh->env_definitions, 1)) {
        fixtures_free(fresh);
        return 0;
    }
    old->retired_next = m->retired_fx;
    m->retired_fx = old;
    __atomic_store_n(&m->fx, fresh, __ATOMIC_RELEASE);
    return 0;
}

int reset_all(struct mock *m, char *err, size_t errlen)
{
    store_lock(m->store);
    if (reload_fixtures(m, err, errlen) != 0) {
        store_unlock(m->store);
        return 1; /* refused: nothing was reset */
    }
    forget_above(m, NULL);
    tenants_drop_all(m); /* back to the fixtures: ephemeral tenants go too */
    int rc = store_wipe(m->store, NULL);
    faults_clear(m->faults, NULL);
    journal_clear(m->journal, NULL);
    mcp_logs_clear(m->mcp_logs, NULL);
    clock_rewind(m);
    if (rc == 0)
        rc = reset_seed(m, 1, err, errlen);
    store_unlock(m->store);
    return rc ? -1 : 0;
}
