/* scenario.h: scenario files: parsing and validation (scenario_parse.c), the engine that plays
 * them on the virtual clock (scenario.c) and the actions a step performs (scenario_actions.c). */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

struct fixtures;

enum sc_trigger { SC_AFTER_SECONDS, SC_AFTER_REQUESTS, SC_MANUAL };

/* One step. Strings point into the script's doc. */
struct sc_step {
    const char *name;
    const char *description;     /* NULL when none */
    const cJSON *when;           /* the trigger as written */
    const cJSON *actions;        /* the "do" array */
    enum sc_trigger kind;
    long long after_ms;          /* SC_AFTER_SECONDS */
    const char *method;          /* SC_AFTER_REQUESTS: NULL = any */
    const char *path;            /*   util_path_match pattern */
    const char *la;              /*   NULL = any linked account */
    int count;                   /*   the Nth matching request fires the step */
    long long armed_at_ms;       /* -1 until armed */
    long long fired_at_ms;       /* -1 until fired */
    cJSON *results;              /* what each action did, once fired (owned) */
};

/* A validated scenario and how far it has played. */
struct sc_script {
    cJSON *doc;                  /* the scenario as loaded (owned) */
    const struct tenant *t;      /* the tenant it plays in (from api_key) */
    const char *name, *description;
    char source[512];            /* file path, "scenarios/NAME.json" or "request body" */
    struct sc_step *steps;
    int nsteps;
    long long loaded_at_ms;
    int armed;                   /* index of the step whose trigger is armed; nsteps = finished */
    int seen;                    /* matching requests counted for an armed after_requests step */
    int firing;                  /* a step's actions are running (no step fires inside them) */
};

/* ---- scenario_parse.c ---- */

/* One scenario action: the fields it takes, how validation checks it (scenario_parse.c) and what
 * a fired step does with it (scenario_actions.c). scenario_parse_actions is the only list. */
struct sc_check; /* the validation context, private to scenario_parse.c */
struct scenario_action {
    const char *name;
    const char *const fields[12];
    int (*check)(struct sc_check *c, const cJSON *a);
    cJSON *(*run)(struct mock *m, const struct tenant *t, const cJSON *a);
};
/* Every action, in the order messages list them; ends with a NULL name. */
extern const struct scenario_action scenario_parse_actions[];
/* The action called name; NULL when there is none. */
const struct scenario_action *scenario_parse_action(const char *name);

/* Validates doc (taking ownership, freed on failure) against the fixtures: fields, triggers,
 * actions, apps, linked accounts, step names. The setup block's content is checked by setup.c
 * when the scenario is applied. fallback = the tenant when the file has no api_key. On failure
 * NULL and err = "SOURCE: step 'NAME' (steps[i]): FIELD: reason". */
struct sc_script *scenario_parse(cJSON *doc, const struct fixtures *fx, const struct tenant *fallback, const char *source,
                           char *err, size_t errlen);
void scenario_parse_free(struct sc_script *s);

/* Whether s is acceptable as a shipped scenario's bare name (no path, no traversal). */
int scenario_parse_valid_name(const char *s);

/* ---- scenario_actions.c ---- */

/* Runs one validated action in the script's tenant through its row of scenario_parse_actions;
 * returns {"action","ok","detail"}. */
cJSON *scenario_actions_run(struct mock *m, struct sc_script *s, const cJSON *action);
/* The rows' runs: each does one action in tenant t and returns its result as above. */
cJSON *scenario_actions_expire_connection(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_connect(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_delete_connection(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_revoke_session_tokens(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_fail_requests(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_delay_requests(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_set_action_result(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_set_workflow_outcome(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_emit_webhook(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_advance_clock(struct mock *m, const struct tenant *t, const cJSON *a);
cJSON *scenario_actions_create_linked_account(struct mock *m, const struct tenant *t, const cJSON *a);

/* ---- scenario.c: the engine (one per mock, m->scenario; a scenario per tenant) ---- */

struct scenario;
struct scenario *scenario_new(void);
void scenario_free(struct scenario *e);

/* At start: loads opt.scenario when given, else picks up a scenario a --db file kept. */
int scenario_start(struct mock *m, char *err, size_t errlen);

/* Loads a scenario document (taking ownership): source names it in messages; fallback is the
 * tenant when the file has no api_key; extra_webhooks (may be NULL) are subscriptions added to
 * its setup. Resets the scenario's tenant to its fixtures, applies setup and arms the first
 * step, all or nothing. 0, or -1 with err (and nothing changed). */
/* only (a tenant's key sent the load, else NULL): the scenario must play in that tenant (a
 * document written for the fixtures' tenant of the same org and environment plays in it);
 * another tenant's is refused with SCENARIO_OTHER_TENANT. Other tenants' scenarios stay loaded. */
#define SCENARIO_OTHER_TENANT (-2)
int scenario_load_doc(struct mock *m, cJSON *doc, const char *source, const struct tenant *fallback,
                      const struct tenant *only, const cJSON *extra_webhooks, char *err, size_t errlen);
/* The same from a bare name (the shipped scenarios/NAME.json) or, when allow_files, a file path
 * (anything with a '/' or ending in .json). A name with a path in it is refused otherwise. */
int scenario_load_ref(struct mock *m, const char *file_or_name, int allow_files, const struct tenant *fallback,
                      const struct tenant *only, const cJSON *extra_webhooks, char *err, size_t errlen);

/* Forgets t's scenario; t NULL: every tenant's. */
void scenario_unload(struct mock *m, const struct tenant *t);

/* Fires a step of t's scenario by name now (manual steps; also skips the wait of the armed
 * step); t NULL (no key): the latest loaded scenario. Returns 0, 404 (no scenario / no such
 * step) or 409 (already fired / not armed yet), with err. */
int scenario_fire_step(struct mock *m, const struct tenant *t, const char *name, char *err, size_t errlen);

/* The status of t's scenario (t NULL: the latest loaded): name, steps, which fired and when,
 * which is armed and what it waits for, and its tenant's faults. */
cJSON *scenario_view(struct mock *m, const struct tenant *t);

/* Request hooks (server.c): begin after auth (counts the request toward an after_requests
 * trigger; waits while a step triggered by an earlier request is firing), end once answered
 * (fires the step whose Nth request this was). */
void scenario_request_begin(req *r);
void scenario_request_end(req *r);

/* The timer row (timers.c): after_seconds steps fire inside clock_advance at their due time. */
long long scenario_next_due(struct mock *m);
void scenario_fire_due(struct mock *m, long long now);

#endif
