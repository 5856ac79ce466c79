/* scenario.c: the scenario engine: load (reset the tenant, apply setup, arm step 1), fire
 * steps in order on the virtual clock, on counted requests or by hand, keep progress in the store. */
#define _GNU_SOURCE
#include "engine/scenario.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/faults.h"
#include "engine/fixtures.h"
#include "engine/overrides.h"
#include "engine/reset.h"
#include "engine/setup.h"
#include "base/store.h"
#include "base/util.h"
#include "engine/webhooks.h"

#include <civetweb.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define DOC_KIND "scenario"
#define DOC_DEF "definition"   /* the scenario as loaded: written once per load */
#define DOC_STATE "progress"   /* which steps fired, when, and what they did */

/* Each tenant plays its own scenario (a slot per tenant that ever loaded one): loading, firing
 * and unloading in one tenant never touch another's.
 * The scripts are guarded by the store lock (recursive), the one lock that clock_advance,
 * handlers and actions already share, so a step never runs beside a half-done request. The gate
 * guards the pending requests and is never held while taking the store lock. Slots are only
 * added (with both locks held), never removed before scenario_free: a reader holding either
 * lock can walk the list. */
struct slot {
    struct slot *next;
    char tenant[80];          /* the tenant id it plays in */
    struct sc_script *s;      /* that tenant's loaded scenario, or NULL */
    unsigned gen;             /* bumped by every load and unload */
    const req *pending;       /* the Nth request of an after_requests step, until it is answered */
    int pending_step;
    unsigned pending_gen;
};

struct scenario {
    pthread_mutex_t gate;
    pthread_cond_t cv;
    struct slot *slots;
    char last[80];            /* the tenant of the latest load: the scenario of calls without a key */
    int active;               /* (atomic) how many slots hold a script: requests skip the store lock at 0 */
    int pending;              /* (gate) how many slots have a pending request */
};

struct scenario *scenario_new(void)
{
    struct scenario *e = calloc(1, sizeof *e);
    pthread_mutex_init(&e->gate, NULL);
    pthread_cond_init(&e->cv, NULL);
    return e;
}

void scenario_free(struct scenario *e)
{
    if (!e)
        return;
    for (struct slot *x = e->slots, *next; x; x = next) {
        next = x->next;
        scenario_parse_free(x->s);
        free(x);
    }
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->gate);
    free(e);
}

/* The slot of tenant id, or NULL; with create, a new empty one (store lock held). */
static struct slot *slot_of(struct scenario *e, const char *tenant, int create)
{
    for (struct slot *x = e->slots; x; x = x->next)
        if (!strcmp(x->tenant, tenant))
            return x;
    if (!create)
        return NULL;
    struct slot *x = calloc(1, sizeof *x);
    snprintf(x->tenant, sizeof x->tenant, "%s", tenant);
    pthread_mutex_lock(&e->gate);
    x->next = e->slots;
    e->slots = x;
    pthread_mutex_unlock(&e->gate);
    return x;
}

/* The slot a call means: its tenant's, or without a key the latest loaded (store lock held). */
static struct slot *slot_for(struct scenario *e, const struct tenant *t)
{
    if (t)
        return slot_of(e, t->id, 0);
    struct slot *x = e->last[0] ? slot_of(e, e->last, 0) : NULL;
    if (x && x->s)
        return x;
    for (x = e->slots; x; x = x->next)
        if (x->s)
            return x;
    return NULL;
}

static void set_script(struct scenario *e, struct slot *x, struct sc_script *s)
{
    int had = x->s != NULL;
    scenario_parse_free(x->s);
    x->s = s;
    x->gen++;
    __atomic_add_fetch(&e->active, (s != NULL) - had, __ATOMIC_ACQ_REL);
}

/* ---- persistence: two documents of the scenario's tenant, so a tenant reset drops them ---- */

static void save_progress(struct mock *m, const struct sc_script *s)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "armed", s->armed);
    cJSON_AddNumberToObject(p, "seen", s->seen);
    cJSON *steps = cJSON_AddArrayToObject(p, "steps");
    for (int i = 0; i < s->nsteps; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "armed_at_ms", (double)s->steps[i].armed_at_ms);
        cJSON_AddNumberToObject(o, "fired_at_ms", (double)s->steps[i].fired_at_ms);
        if (s->steps[i].results)
            cJSON_AddItemToObject(o, "results", cJSON_Duplicate(s->steps[i].results, 1));
        cJSON_AddItemToArray(steps, o);
    }
    store_put(m->store, s->t->id, DOC_KIND, DOC_STATE, NULL, p);
    cJSON_Delete(p);
}

static void forget_saved(struct mock *m, const struct tenant *t)
{
    store_begin(m->store);
    store_del(m->store, t->id, DOC_KIND, DOC_DEF);
    store_del(m->store, t->id, DOC_KIND, DOC_STATE);
    store_commit(m->store);
}

/* ---- firing ---- */

static void log_line(struct mock *m, const char *fmt, const char *a, const char *b)
{
    if (m->opt.quiet)
        return;
    fprintf(stderr, fmt, a, b);
    fflush(stderr);
}

/* Runs step i's actions, then arms the next step from the clock as it stands after them (an
 * advance_clock inside the step moves that start). Store lock held. */
static void fire_step(struct mock *m, struct sc_script *s, int i)
{
    struct sc_step *st = &s->steps[i];
    const struct tenant *was = clock_scoped();
    clock_scope(s->t); /* a step plays in its tenant's time, whoever fires it (a keyless admin call) */
    s->firing = 1; /* while set, no step fires: an advance_clock action cannot re-enter the script */
    st->fired_at_ms = clock_now_ms(m);
    cJSON *results = cJSON_CreateArray();
    const cJSON *a;
    cJSON_ArrayForEach(a, st->actions)
        cJSON_AddItemToArray(results, scenario_actions_run(m, s, a));
    cJSON_Delete(st->results);
    st->results = results;
    s->firing = 0;
    s->armed = i + 1;
    s->seen = 0;
    if (s->armed < s->nsteps)
        s->steps[s->armed].armed_at_ms = clock_now_ms(m);
    save_progress(m, s);
    clock_scope(was);
    log_line(m, "refold-mock: scenario %s: step '%s' fired\n", s->name, st->name);
}

static long long due_of(const struct sc_script *s)
{
    if (!s || s->firing || s->armed >= s->nsteps || s->steps[s->armed].kind != SC_AFTER_SECONDS)
        return LLONG_MAX;
    const struct sc_step *st = &s->steps[s->armed];
    return st->armed_at_ms + st->after_ms;
}

/* Fires every time step of x already due (after_seconds 0, or due during an advance a step made). */
static void settle(struct mock *m, struct slot *x, long long now)
{
    while (x && x->s && due_of(x->s) <= now)
        fire_step(m, x->s, x->s->armed);
}

/* A timer pass for one tenant (clock.c) sees only that tenant's scenario; without one, all. */
static int in_pass(const struct slot *x)
{
    const struct tenant *t = clock_scoped();
    return x->s && (!t || !strcmp(x->tenant, t->id));
}

long long scenario_next_due(struct mock *m)
{
    struct scenario *e = m->scenario;
    if (!e || !__atomic_load_n(&e->active, __ATOMIC_ACQUIRE))
        return LLONG_MAX;
    long long due = LLONG_MAX;
    store_lock(m->store);
    for (struct slot *x = e->slots; x; x = x->next)
        if (in_pass(x) && due_of(x->s) < due)
            due = due_of(x->s);
    store_unlock(m->store);
    return due;
}

void scenario_fire_due(struct mock *m, long long now)
{
    struct scenario *e = m->scenario;
    if (!e || !__atomic_load_n(&e->active, __ATOMIC_ACQUIRE))
        return;
    store_lock(m->store);
    for (struct slot *x = e->slots; x; x = x->next)
        if (in_pass(x))
            settle(m, x, now);
    store_unlock(m->store);
}

int scenario_fire_step(struct mock *m, const struct tenant *t, const char *name, char *err, size_t n)
{
    struct scenario *e = m->scenario;
    int rc = 0;
    store_lock(m->store);
    struct slot *x = slot_for(e, t);
    struct sc_script *s = x ? x->s : NULL;
    int i = -1;
    for (int k = 0; s && k < s->nsteps && i < 0; k++)
        if (!strcmp(s->steps[k].name, name))
            i = k;
    if (!s) {
        rc = 404, snprintf(err, n, "no scenario is loaded%s (POST /__mock/scenario loads one)", t ? " in this tenant" : "");
    } else if (i < 0) {
        rc = 404, snprintf(err, n, "scenario %s has no step '%s'", s->name, name);
    } else if (s->steps[i].fired_at_ms >= 0) {
        char at[32];
        util_iso8601(s->steps[i].fired_at_ms, at);
        rc = 409, snprintf(err, n, "step '%s' already fired at %s", name, at);
    } else if (i != s->armed) {
        rc = 409, snprintf(err, n, "step '%s' is not armed yet: steps run in order and '%s' has not fired", name,
                           s->steps[s->armed].name);
    } else {
        fire_step(m, s, i);
        settle(m, x, clock_now(m, s->t));
    }
    store_unlock(m->store);
    return rc;
}

/* ---- request hooks ---- */

static int request_matches(const struct sc_step *st, const req *r)
{
    if (st->method && strcasecmp(st->method, r->ri->request_method))
        return 0;
    if (st->la && strcmp(st->la, r->la))
        return 0;
    return util_path_match(st->path, r->ri->local_uri);
}

/* Whether r must wait for a pending step (gate held): one of its own tenant's (a request without
 * a tenant, an admin view, waits for any); a subrequest does not wait for the request it runs
 * inside (that one ends after it). */
static int held_back(const struct scenario *e, const req *r)
{
    if (!e->pending)
        return 0;
    for (const struct slot *x = e->slots; x; x = x->next)
        if (x->pending && x->pending != r->parent && (!r->t || !strcmp(x->tenant, r->t->id)))
            return 1;
    return 0;
}

void scenario_request_begin(req *r)
{
    struct scenario *e = r->m->scenario;
    if (!e)
        return;
    /* A request that starts after the Nth was answered must see the step's effects: wait for it. */
    pthread_mutex_lock(&e->gate);
    while (held_back(e, r))
        pthread_cond_wait(&e->cv, &e->gate);
    pthread_mutex_unlock(&e->gate);
    if (!r->t || !__atomic_load_n(&e->active, __ATOMIC_ACQUIRE))
        return;
    store_lock(r->m->store);
    struct slot *x = slot_of(e, r->t->id, 0);
    struct sc_script *s = x ? x->s : NULL;
    if (s && !s->firing && s->armed < s->nsteps) {
        const struct sc_step *st = &s->steps[s->armed];
        if (st->kind == SC_AFTER_REQUESTS && request_matches(st, r)) {
            s->seen++;
            if (s->seen >= st->count) {
                pthread_mutex_lock(&e->gate);
                if (!x->pending) {
                    x->pending = r;
                    x->pending_step = s->armed;
                    x->pending_gen = x->gen;
                    e->pending++;
                }
                pthread_mutex_unlock(&e->gate);
            }
            save_progress(r->m, s);
        }
    }
    store_unlock(r->m->store);
}

void scenario_request_end(req *r)
{
    struct scenario *e = r->m->scenario;
    if (!e || !r->t)
        return;
    pthread_mutex_lock(&e->gate);
    struct slot *x = e->pending ? slot_of(e, r->t->id, 0) : NULL; /* (the gate guards the list too) */
    int mine = x && x->pending == r;
    int step = mine ? x->pending_step : 0;
    unsigned gen = mine ? x->pending_gen : 0;
    pthread_mutex_unlock(&e->gate);
    if (!mine)
        return;
    store_lock(r->m->store);
    struct sc_script *s = x->s;
    if (s && x->gen == gen && s->armed == step && !s->firing) {
        fire_step(r->m, s, step);
        settle(r->m, x, clock_now(r->m, s->t));
    }
    store_unlock(r->m->store);
    pthread_mutex_lock(&e->gate);
    x->pending = NULL;
    e->pending--;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->gate);
}

/* ---- loading ---- */

static int add_webhooks(cJSON *doc, const cJSON *extra, char *err, size_t n, const char *source)
{
    if (!extra)
        return 0;
    if (!cJSON_IsArray(extra))
        return snprintf(err, n, "%s: webhooks: must be an array of subscriptions", source), -1;
    cJSON *setup = cJSON_GetObjectItemCaseSensitive(doc, "setup");
    if (!setup) {
        setup = cJSON_AddObjectToObject(doc, "setup");
    }
    if (!cJSON_IsObject(setup))
        return 0; /* the parser names this problem */
    cJSON *hooks = cJSON_GetObjectItemCaseSensitive(setup, "webhooks");
    if (!hooks)
        hooks = cJSON_AddArrayToObject(setup, "webhooks");
    if (!cJSON_IsArray(hooks))
        return 0;
    const cJSON *h;
    cJSON_ArrayForEach(h, extra)
        cJSON_AddItemToArray(hooks, cJSON_Duplicate(h, 1));
    return 0;
}

int scenario_load_doc(struct mock *m, cJSON *doc, const char *source, const struct tenant *fallback,
                      const struct tenant *only, const cJSON *extra_webhooks, char *err, size_t n)
{
    struct scenario *e = m->scenario;
    if (add_webhooks(doc, extra_webhooks, err, n, source)) {
        cJSON_Delete(doc);
        return -1;
    }
    struct sc_script *s = scenario_parse(doc, m->fx, only ? only : fallback, source, err, n);
    if (!s)
        return -1;
    if (only && s->t != only) {
        /* A tenant's key loads into that tenant only. A story written for the fixtures' tenant of
         * the same org and environment (the shipped ones name tk_acme_test) plays in the key's
         * own copy of it (an ephemeral tenant); one naming another org or environment is refused. */
        if (strcmp(s->t->org_id, only->org_id) || strcmp(s->t->environment, only->environment)) {
            snprintf(err, n, "%s: api_key names another tenant (%s %s) than the x-api-key sent (%s %s): a tenant loads "
                             "scenarios into itself only",
                     source, s->t->org_name, s->t->environment, only->org_name, only->environment);
            scenario_parse_free(s);
            return SCENARIO_OTHER_TENANT;
        }
        s->t = only;
    }
    const struct tenant *t = s->t;
    char why[300];
    int rc = 0;
    store_lock(m->store);
    store_begin(m->store);
    /* The story starts from the tenant's fixtures, every time: the data reset (reset.c), then its
     * setup. (Its journal, MCP log and clock stay: a reset through the admin API clears them.) */
    int reset = reset_data(m, t, why, sizeof why);
    if (reset < 0) {
        rc = -1, snprintf(err, n, "%s: could not reset tenant %s", source, t->api_key);
    } else if (reset > 0) {
        rc = -1, snprintf(err, n, "%s: the fixtures' seed data of %s does not apply: %s", source, t->api_key, why);
    } else {
        const cJSON *setup = cJSON_GetObjectItemCaseSensitive(s->doc, "setup");
        if (setup && setup_apply(m, t, setup, why, sizeof why) != 0)
            rc = -1, snprintf(err, n, "%s: %s", source, why);
    }
    if (rc == 0) {
        s->loaded_at_ms = clock_now(m, t); /* (the key's tenant's clock, whoever loads it) */
        s->armed = 0;
        if (s->nsteps)
            s->steps[0].armed_at_ms = s->loaded_at_ms;
        cJSON *def = cJSON_CreateObject();
        cJSON_AddStringToObject(def, "source", s->source);
        cJSON_AddNumberToObject(def, "loaded_at_ms", (double)s->loaded_at_ms);
        cJSON_AddItemReferenceToObject(def, "scenario", s->doc);
        store_put(m->store, t->id, DOC_KIND, DOC_DEF, NULL, def);
        cJSON_Delete(def);
        save_progress(m, s);
        if (store_commit(m->store) != 0)
            rc = -1, snprintf(err, n, "%s: could not store the scenario", source);
    } else {
        store_rollback(m->store);
    }
    if (rc != 0) {
        store_unlock(m->store);
        scenario_parse_free(s);
        return -1;
    }
    /* Faults are the scenario's: the tenant's previous scenario's go with it, like its state.
     * Other tenants' scenarios and faults stay as they are. */
    faults_clear(m->faults, t->id);
    struct slot *x = slot_of(e, t->id, 1);
    set_script(e, x, s);
    snprintf(e->last, sizeof e->last, "%s", t->id);
    log_line(m, "refold-mock: scenario %s loaded from %s\n", s->name, s->source);
    settle(m, x, clock_now(m, t));
    store_unlock(m->store);
    webhooks_kick(m);
    return 0;
}

static void shipped_list(struct mock *m, char *out, size_t n)
{
    DIR *d = opendir(m->scenarios_dir);
    out[0] = 0;
    struct dirent *de;
    char **names = NULL;
    int count = 0;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > 5 && !strcmp(de->d_name + len - 5, ".json")) {
            names = realloc(names, sizeof *names * (size_t)(count + 1));
            names[count++] = strndup(de->d_name, len - 5);
        }
    }
    if (d)
        closedir(d);
    qsort(names, (size_t)count, sizeof *names, (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < count; i++) {
        if (!names[i])
            continue;
        snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? ", " : "", names[i]);
    }
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

static int is_path(const char *ref)
{
    size_t len = strlen(ref);
    return strchr(ref, '/') || (len > 5 && !strcmp(ref + len - 5, ".json"));
}

int scenario_load_ref(struct mock *m, const char *ref, int allow_files, const struct tenant *fallback,
                      const struct tenant *only, const cJSON *extra_webhooks, char *err, size_t n)
{
    char path[4096], source[512];
    if (allow_files && is_path(ref)) {
        util_copy(path, sizeof path, ref);
        util_copy(source, sizeof source, ref);
    } else {
        if (!scenario_parse_valid_name(ref)) {
            snprintf(err, n, "scenario name '%.100s' is not valid: a shipped scenario's name is letters, digits, "
                             "'-', '_' and '.', without a path", ref);
            return -1;
        }
        snprintf(path, sizeof path, "%s/%s.json", m->scenarios_dir, ref);
        snprintf(source, sizeof source, "scenarios/%s.json", ref);
        struct stat sb;
        if (stat(path, &sb) != 0) {
            char list[1024];
            shipped_list(m, list, sizeof list);
            snprintf(err, n, "no shipped scenario '%s' (shipped: %s)", ref, list[0] ? list : "none");
            return -1;
        }
    }
    char why[600];
    cJSON *doc = util_read_json_file(path, why, sizeof why);
    if (!doc) {
        /* util names the full path; a shipped scenario is better named by its short form */
        if (strncmp(why, path, strlen(path)) == 0 && strcmp(path, source))
            snprintf(err, n, "%s%s", source, why + strlen(path));
        else
            snprintf(err, n, "%s", why);
        return -1;
    }
    return scenario_load_doc(m, doc, source, fallback, only, extra_webhooks, err, n);
}

void scenario_unload(struct mock *m, const struct tenant *t)
{
    struct scenario *e = m->scenario;
    if (!e)
        return;
    store_lock(m->store);
    for (struct slot *x = e->slots; x; x = x->next)
        if (x->s && (!t || !strcmp(x->tenant, t->id))) {
            forget_saved(m, x->s->t);
            set_script(e, x, NULL);
        }
    store_unlock(m->store);
}

/* A --db file remembers the loaded scenario and its progress: pick it up where it stopped. */
static void restore(struct mock *m)
{
    struct scenario *e = m->scenario;
    for (int i = 0; i < m->fx->ntenants; i++) {
        const struct tenant *t = &m->fx->tenants[i];
        cJSON *def = store_get(m->store, t->id, DOC_KIND, DOC_DEF);
        if (!def)
            continue;
        cJSON *prog = store_get(m->store, t->id, DOC_KIND, DOC_STATE);
        cJSON *doc = cJSON_DetachItemFromObjectCaseSensitive(def, "scenario");
        char err[512];
        struct sc_script *s = doc ? scenario_parse(doc, m->fx, t, json_str(def, "source") ? json_str(def, "source") : "stored scenario",
                                             err, sizeof err)
                                  : NULL;
        struct slot *x = slot_of(e, t->id, 1);
        if (!s || strcmp(s->t->id, t->id) || x->s) {
            if (!m->opt.quiet)
                fprintf(stderr, "refold-mock: dropping the stored scenario of %s: %s\n", t->api_key,
                        s ? "it names another tenant" : doc ? err : "unreadable");
            scenario_parse_free(s);
            forget_saved(m, t);
        } else {
            s->loaded_at_ms = (long long)json_num(def, "loaded_at_ms", 0);
            s->armed = (int)json_num(prog, "armed", 0);
            if (s->armed < 0 || s->armed > s->nsteps)
                s->armed = 0;
            s->seen = (int)json_num(prog, "seen", 0);
            const cJSON *ps = cJSON_GetObjectItemCaseSensitive(prog, "steps");
            for (int k = 0; k < s->nsteps; k++) {
                const cJSON *p = cJSON_GetArrayItem(ps, k);
                s->steps[k].armed_at_ms = (long long)json_num(p, "armed_at_ms", -1);
                s->steps[k].fired_at_ms = (long long)json_num(p, "fired_at_ms", -1);
                const cJSON *res = cJSON_GetObjectItemCaseSensitive(p, "results");
                s->steps[k].results = res ? cJSON_Duplicate(res, 1) : NULL;
            }
            set_script(e, x, s);
            snprintf(e->last, sizeof e->last, "%s", t->id);
        }
        cJSON_Delete(def);
        cJSON_Delete(prog);
    }
}

int scenario_start(struct mock *m, char *err, size_t errlen)
{
    if (m->opt.scenario && *m->opt.scenario)
        return scenario_load_ref(m, m->opt.scenario, 1, &m->fx->tenants[0], NULL, NULL, err, errlen);
    store_lock(m->store);
    restore(m);
    store_unlock(m->store);
    return 0;
}

/* ---- status ---- */

static void add_time(cJSON *o, const char *key, long long ms)
{
    if (ms < 0) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    char iso[32];
    util_iso8601(ms, iso);
    cJSON_AddStringToObject(o, key, iso);
}

static cJSON *step_view(const struct sc_script *s, int i, long long now)
{
    const struct sc_step *st = &s->steps[i];
    cJSON *o = cJSON_CreateObject();
    char waits[600];
    cJSON_AddStringToObject(o, "name", st->name);
    if (st->description)
        cJSON_AddStringToObject(o, "description", st->description);
    cJSON_AddItemToObject(o, "when", cJSON_Duplicate(st->when, 1));
    cJSON_AddStringToObject(o, "trigger", st->kind == SC_AFTER_SECONDS ? "after_seconds" : st->kind == SC_MANUAL ? "manual" : "after_requests");
    const char *state = st->fired_at_ms >= 0 ? "fired" : i == s->armed ? "armed" : "pending";
    cJSON_AddStringToObject(o, "state", state);
    add_time(o, "armed_at", i <= s->armed ? st->armed_at_ms : -1);
    add_time(o, "fired_at", st->fired_at_ms);
    if (st->fired_at_ms >= 0) {
        cJSON_AddNumberToObject(o, "fired_at_ms", (double)st->fired_at_ms);
        cJSON_AddNullToObject(o, "waits_for");
    } else if (i > s->armed) {
        snprintf(waits, sizeof waits, "step '%s' to fire first", s->steps[i - 1].name);
        cJSON_AddStringToObject(o, "waits_for", waits);
    } else if (st->kind == SC_AFTER_SECONDS) {
        long long due = st->armed_at_ms + st->after_ms;
        char iso[32];
        util_iso8601(due, iso);
        double left = due > now ? (double)(due - now) / 1000.0 : 0;
        snprintf(waits, sizeof waits, "the virtual clock to reach %s (%g s from now)", iso, left);
        cJSON_AddStringToObject(o, "waits_for", waits);
        cJSON_AddStringToObject(o, "due_at", iso);
        cJSON_AddNumberToObject(o, "due_in_seconds", left);
    } else if (st->kind == SC_MANUAL) {
        snprintf(waits, sizeof waits, "POST /__mock/scenario/steps/%s", st->name);
        cJSON_AddStringToObject(o, "waits_for", waits);
    } else {
        int left = st->count - s->seen;
        snprintf(waits, sizeof waits, "%d more %s %s request%s%s%s (%d of %d answered)", left > 0 ? left : 0,
                 st->method ? st->method : "(any method)", st->path, left == 1 ? "" : "s",
                 st->la ? " for linked account " : "", st->la ? st->la : "", s->seen, st->count);
        cJSON_AddStringToObject(o, "waits_for", waits);
        cJSON_AddNumberToObject(o, "seen", s->seen);
        cJSON_AddNumberToObject(o, "count", st->count);
    }
    cJSON *names = cJSON_AddArrayToObject(o, "actions");
    const cJSON *a;
    cJSON_ArrayForEach(a, st->actions)
        cJSON_AddItemToArray(names, cJSON_CreateString(json_str(a, "action")));
    if (st->results)
        cJSON_AddItemToObject(o, "results", cJSON_Duplicate(st->results, 1));
    return o;
}

cJSON *scenario_view(struct mock *m, const struct tenant *t)
{
    struct scenario *e = m->scenario;
    cJSON *o = cJSON_CreateObject();
    store_lock(m->store);
    const struct slot *x = e ? slot_for(e, t) : NULL;
    const struct sc_script *s = x ? x->s : NULL;
    long long now = clock_now(m, s ? s->t : t);
    cJSON_AddBoolToObject(o, "loaded", s != NULL);
    if (!s) {
        cJSON_AddNullToObject(o, "name");
        cJSON_AddNullToObject(o, "armed");
        cJSON_AddItemToObject(o, "steps", cJSON_CreateArray());
        store_unlock(m->store);
        return o;
    }
    cJSON_AddStringToObject(o, "name", s->name);
    if (s->description)
        cJSON_AddStringToObject(o, "description", s->description);
    cJSON_AddStringToObject(o, "source", s->source);
    cJSON_AddStringToObject(o, "api_key", s->t->api_key);
    cJSON_AddStringToObject(o, "org", s->t->org_name);
    cJSON_AddStringToObject(o, "environment", s->t->environment);
    add_time(o, "loaded_at", s->loaded_at_ms);
    add_time(o, "now", now);
    cJSON_AddNumberToObject(o, "elapsed_seconds", (double)(now - s->loaded_at_ms) / 1000.0);
    if (s->armed < s->nsteps)
        cJSON_AddStringToObject(o, "armed", s->steps[s->armed].name);
    else
        cJSON_AddNullToObject(o, "armed");
    cJSON_AddBoolToObject(o, "finished", s->armed >= s->nsteps);
    cJSON *steps = cJSON_AddArrayToObject(o, "steps");
    for (int i = 0; i < s->nsteps; i++)
        cJSON_AddItemToArray(steps, step_view(s, i, now));
    /* What fired steps left in force: pending injected failures and forced results. */
    cJSON *faults = faults_list(m->faults), *f, *mine = cJSON_AddArrayToObject(o, "faults");
    cJSON_ArrayForEach(f, faults) {
        const char *ft = json_str(f, "tenant");
        if (!ft || !*ft || !strcmp(ft, s->t->id))
            cJSON_AddItemToArray(mine, cJSON_Duplicate(f, 1));
    }
    cJSON_Delete(faults);
    cJSON_AddItemToObject(o, "overrides", overrides_list(m, s->t));
    store_unlock(m->store);
    return o;
}

/* ---- the embedding API (refold_mock.h) ---- */

