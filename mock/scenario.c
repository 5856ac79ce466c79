/* scenario.c: the scenario engine: load (reset the tenant, apply setup, arm step 1), fire
 * steps in order on the virtual clock, on counted requests or by hand, keep progress in the store. */
#define _GNU_SOURCE
#include "scenario.h"
#include "json.h"
#include "clock.h"
#include "faults.h"
#include "fixtures.h"
#include "overrides.h"
#include "setup.h"
#include "store.h"
#include "util.h"
#include "webhooks.h"

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

/* The script itself is guarded by the store lock (recursive), the one lock that clock_advance,
 * handlers and actions already share, so a step never runs beside a half-done request. The gate
 * is separate and never held while taking the store lock. */
struct scenario {
    pthread_mutex_t gate;
    pthread_cond_t cv;
    const req *pending;       /* the Nth request of an after_requests step, until it is answered */
    int pending_step;
    unsigned pending_gen;
    struct sc_script *s;      /* the loaded scenario, or NULL */
    unsigned gen;             /* bumped by every load and unload */
    int active;               /* (atomic) s != NULL: lets requests skip the store lock when idle */
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
    scenario_parse_free(e->s);
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->gate);
    free(e);
}

static void set_script(struct scenario *e, struct sc_script *s)
{
    scenario_parse_free(e->s);
    e->s = s;
    e->gen++;
    __atomic_store_n(&e->active, s != NULL, __ATOMIC_RELEASE);
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
    log_line(m, "refold-mock: scenario %s: step '%s' fired\n", s->name, st->name);
}

static long long due_of(const struct sc_script *s)
{
    if (!s || s->firing || s->armed >= s->nsteps || s->steps[s->armed].kind != SC_AFTER_SECONDS)
        return LLONG_MAX;
    const struct sc_step *st = &s->steps[s->armed];
    return st->armed_at_ms + st->after_ms;
}

/* Fires every time step already due (after_seconds 0, or due during an advance a step made). */
static void settle(struct mock *m, struct scenario *e, long long now)
{
    while (e->s && due_of(e->s) <= now)
        fire_step(m, e->s, e->s->armed);
}

/* A timer pass for one tenant (clock.c) leaves a scenario playing in another alone. */
static int other_tenant(const struct scenario *e)
{
    const struct tenant *t = clock_scoped();
    return t && e->s && strcmp(e->s->t->id, t->id);
}

long long scenario_next_due(struct mock *m)
{
    struct scenario *e = m->scenario;
    if (!e || !__atomic_load_n(&e->active, __ATOMIC_ACQUIRE))
        return LLONG_MAX;
    store_lock(m->store);
    long long due = other_tenant(e) ? LLONG_MAX : due_of(e->s);
    store_unlock(m->store);
    return due;
}

void scenario_fire_due(struct mock *m, long long now)
{
    struct scenario *e = m->scenario;
    if (!e || !__atomic_load_n(&e->active, __ATOMIC_ACQUIRE))
        return;
    store_lock(m->store);
    if (other_tenant(e)) {
        store_unlock(m->store);
        return;
    }
    settle(m, e, now);
    store_unlock(m->store);
}

int scenario_fire_step(struct mock *m, const char *name, char *err, size_t n)
{
    struct scenario *e = m->scenario;
    int rc = 0;
    store_lock(m->store);
    struct sc_script *s = e->s;
    int i = -1;
    for (int k = 0; s && k < s->nsteps && i < 0; k++)
        if (!strcmp(s->steps[k].name, name))
            i = k;
    if (!s) {
        rc = 404, snprintf(err, n, "no scenario is loaded (POST /__mock/scenario loads one)");
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
        settle(m, e, clock_now_ms(m));
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

void scenario_request_begin(req *r)
{
    struct scenario *e = r->m->scenario;
    if (!e)
        return;
    /* A request that starts after the Nth was answered must see the step's effects: wait for it. */
    pthread_mutex_lock(&e->gate);
    /* (a subrequest does not wait for the request it runs inside: that one ends after it) */
    while (e->pending && e->pending != r->parent)
        pthread_cond_wait(&e->cv, &e->gate);
    pthread_mutex_unlock(&e->gate);
    if (!r->t || !__atomic_load_n(&e->active, __ATOMIC_ACQUIRE))
        return;
    store_lock(r->m->store);
    struct sc_script *s = e->s;
    if (s && !s->firing && s->armed < s->nsteps && !strcmp(s->t->id, r->t->id)) {
        const struct sc_step *st = &s->steps[s->armed];
        if (st->kind == SC_AFTER_REQUESTS && request_matches(st, r)) {
            s->seen++;
            if (s->seen >= st->count) {
                pthread_mutex_lock(&e->gate);
                if (!e->pending) {
                    e->pending = r;
                    e->pending_step = s->armed;
                    e->pending_gen = e->gen;
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
    if (!e)
        return;
    pthread_mutex_lock(&e->gate);
    int mine = e->pending == r;
    int step = e->pending_step;
    unsigned gen = e->pending_gen;
    pthread_mutex_unlock(&e->gate);
    if (!mine)
        return;
    store_lock(r->m->store);
    struct sc_script *s = e->s;
    if (s && e->gen == gen && s->armed == step && !s->firing) {
        fire_step(r->m, s, step);
        settle(r->m, e, clock_now_ms(r->m));
    }
    store_unlock(r->m->store);
    pthread_mutex_lock(&e->gate);
    e->pending = NULL;
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
                      const cJSON *extra_webhooks, char *err, size_t n)
{
    struct scenario *e = m->scenario;
    if (add_webhooks(doc, extra_webhooks, err, n, source)) {
        cJSON_Delete(doc);
        return -1;
    }
    struct sc_script *s = scenario_parse(doc, m->fx, fallback, source, err, n);
    if (!s)
        return -1;
    const struct tenant *t = s->t;
    char why[300];
    int rc = 0;
    store_lock(m->store);
    store_begin(m->store);
    /* The story starts from the tenant's fixtures, every time: wipe, seed, then its setup. */
    if (store_wipe(m->store, t->id) != 0) {
        rc = -1, snprintf(err, n, "%s: could not reset tenant %s", source, t->api_key);
    } else if (t->setup && setup_apply(m, t, t->setup, why, sizeof why) != 0) {
        rc = -1, snprintf(err, n, "%s: the fixtures' seed data of %s does not apply: %s", source, t->api_key, why);
    } else {
        const cJSON *setup = cJSON_GetObjectItemCaseSensitive(s->doc, "setup");
        if (setup && setup_apply(m, t, setup, why, sizeof why) != 0)
            rc = -1, snprintf(err, n, "%s: %s", source, why);
    }
    if (rc == 0) {
        if (e->s && strcmp(e->s->t->id, t->id)) {
            store_del(m->store, e->s->t->id, DOC_KIND, DOC_DEF);
            store_del(m->store, e->s->t->id, DOC_KIND, DOC_STATE);
        }
        s->loaded_at_ms = clock_now_ms(m);
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
    /* Faults are the scenario's: the previous scenario's go with it, like the tenant's state. */
    if (e->s && strcmp(e->s->t->id, t->id))
        faults_clear(m->faults, e->s->t->id);
    faults_clear(m->faults, t->id);
    set_script(e, s);
    log_line(m, "refold-mock: scenario %s loaded from %s\n", s->name, s->source);
    settle(m, e, clock_now_ms(m));
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
                      const cJSON *extra_webhooks, char *err, size_t n)
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
    return scenario_load_doc(m, doc, source, fallback, extra_webhooks, err, n);
}

void scenario_unload(struct mock *m, const struct tenant *t)
{
    struct scenario *e = m->scenario;
    if (!e)
        return;
    store_lock(m->store);
    if (e->s && (!t || !strcmp(e->s->t->id, t->id))) {
        forget_saved(m, e->s->t);
        set_script(e, NULL);
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
        if (!s || strcmp(s->t->id, t->id) || e->s) {
            if (!m->opt.quiet)
                fprintf(stderr, "refold-mock: dropping the stored scenario of %s: %s\n", t->api_key,
                        s ? "another one is loaded" : doc ? err : "unreadable");
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
            set_script(e, s);
        }
        cJSON_Delete(def);
        cJSON_Delete(prog);
    }
}

int scenario_start(struct mock *m, char *err, size_t errlen)
{
    if (m->opt.scenario && *m->opt.scenario)
        return scenario_load_ref(m, m->opt.scenario, 1, &m->fx->tenants[0], NULL, err, errlen);
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

cJSON *scenario_view(struct mock *m)
{
    struct scenario *e = m->scenario;
    cJSON *o = cJSON_CreateObject();
    store_lock(m->store);
    const struct sc_script *s = e ? e->s : NULL;
    long long now = clock_now_ms(m);
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
    cJSON_AddItemToObject(o, "faults", faults_list(m->faults));
    cJSON_AddItemToObject(o, "overrides", overrides_list(m, s->t));
    store_unlock(m->store);
    return o;
}

/* ---- the embedding API (refold_mock.h) ---- */

