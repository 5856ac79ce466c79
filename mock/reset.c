/* reset.c: back to the fixtures' state, for one tenant or all (the admin reset, start-up seeding,
 * fixture reload). */
#include "reset.h"
#include "clock.h"
#include "faults.h"
#include "fixtures.h"
#include "journal.h"
#include "mcp_logs.h"
#include "scenario.h"
#include "setup.h"
#include "store.h"
#include "tenants.h"

#include <pthread.h>
#include <stdio.h>

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

int reset_wipe_tenant(struct mock *m, const struct tenant *t)
{
    scenario_unload(m, t); /* a scenario playing in t goes with the state it made */
    if (store_wipe(m->store, t->id) != 0)
        return -1;
    faults_clear(m->faults, t->id);
    journal_clear(m->journal, t->id);
    mcp_logs_clear(m->mcp_logs, t->id);
    clock_reset_tenant(m, t);
    return 0;
}

int reset_tenant(struct mock *m, const struct tenant *t)
{
    char err[256];
    if (reset_wipe_tenant(m, t) != 0)
        return -1;
    return t->setup ? setup_apply(m, t, t->setup, err, sizeof err) : 0;
}

int reset_new_tenant(struct mock *m, const struct tenant *t)
{
    char err[256];
    if (store_wipe(m->store, t->id) != 0)
        return -1;
    clock_reset_tenant(m, t);
    return t->setup ? setup_apply(m, t, t->setup, err, sizeof err) : 0;
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
    scenario_unload(m, NULL);
    tenants_drop_all(m); /* back to the fixtures: ephemeral tenants go too */
    int rc = store_wipe(m->store, NULL);
    faults_clear(m->faults, NULL);
    journal_clear(m->journal, NULL);
    mcp_logs_clear(m->mcp_logs, NULL);
    pthread_mutex_lock(&m->clock_lock);
    m->clock_offset_ms = 0;
    pthread_mutex_unlock(&m->clock_lock);
    store_meta_set(m->store, "clock_offset_ms", "0");
    if (rc == 0)
        rc = reset_seed(m, 1, err, errlen);
    store_unlock(m->store);
    return rc ? -1 : 0;
}
