/* executions.c: workflow runs as documents moved along by the virtual clock: start, human-task
 * pause/resume, completion or error (with their webhooks), stop. */
#include "engine/executions.h"
#include "engine/linked_accounts.h"
#include "base/json.h"
#include "engine/actions_run.h"
#include "engine/clock.h"
#include "engine/app_gate.h"
#include "engine/configs.h"
#include "engine/fixtures.h"
#include "engine/overrides.h"
#include "base/store.h"
#include "engine/templates.h"
#include "engine/tenants.h"
#include "base/util.h"
#include "engine/webhooks.h"
#include "engine/workflow_defs.h"
#include "engine/workflows.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The documents this module owns (nobody else names them): runs, and their human tasks
 * (parent = the linked account). */
#define EXEC_KIND "execution"
#define HUMAN_TASK_KIND "human_task"

#define DEFAULT_DURATION_MS 2000

/* The mock's bookkeeping inside an execution document; never shown. */
#define BOOK "mock"

static cJSON *book(cJSON *doc) { return cJSON_GetObjectItemCaseSensitive(doc, BOOK); }
/* Where a run is, stored in the bookkeeping as "phase" (the names below). Who moves it (as in
 * SQLite's pager.c):
 *
 *                  executions_run(): run.human_task       advance(): reach_task()
 *     (new) ──┬─────────────────────────────────> TO_TASK ─────────────────────> WAITING
 *             │    executions_run(): no human task              executions_resume() │
 *             └─────────────────────────────────> RUNNING <──────────────────────────┤
 *                                                    │ advance(): finish_run()       │ advance(): the form
 *                                                    v (Completed / Errored)         │ expired (Timed Out)
 *                                                   DONE <───────────────────────────┘
 *     TO_TASK, WAITING, RUNNING ──> DONE also by advance(): time_out() (past the run's timeout,
 *     Workflow Timed Out) and executions_stop() (STOPPED, Workflow Stopped).
 *
 * A sync execution goes through the same moves inside executions_run() (run_sync()), stopping
 * at WAITING. DONE is final: resume and stop refuse it. */
enum exec_phase { PHASE_NONE = 0, PHASE_TO_TASK, PHASE_WAITING, PHASE_RUNNING, PHASE_DONE };
static const char *const phase_names[] = {"", "to_task", "waiting", "running", "done"};

static enum exec_phase phase(cJSON *doc)
{
    const char *p = json_str(book(doc), "phase");
    for (int i = PHASE_TO_TASK; p && i <= PHASE_DONE; i++)
        if (!strcmp(p, phase_names[i]))
            return (enum exec_phase)i;
    return PHASE_NONE;
}
static void set_phase(cJSON *doc, enum exec_phase p) { json_set(book(doc), "phase", cJSON_CreateString(phase_names[p])); }

/* The run's deadline (ms on the virtual clock; 0: none): past it the run times out, whatever
 * step it is at. */
static long long deadline(cJSON *doc) { return (long long)json_num(book(doc), "timeout_at_ms", 0); }

static void set_str(cJSON *o, const char *k, const char *v) { json_set(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull()); }

static void touch(cJSON *doc, long long now)
{
    char at[32];
    util_iso8601(now, at);
    set_str(doc, "updatedAt", at);
}

/* ---- nodes ---- */

static cJSON *exec_node(const char *id, const char *name, const char *type, const char *slug)
{
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "node_id", id);
    cJSON_AddStringToObject(n, "node_name", name);
    cJSON_AddStringToObject(n, "node_type", type);
    cJSON_AddStringToObject(n, "node_status", "Pending");
    cJSON_AddBoolToObject(n, "is_batch", 0);
    cJSON_AddNumberToObject(n, "attempts_made", 0);
    cJSON_AddNumberToObject(n, "maximum_attempts", 1); /* the mock runs a step once: no retries */
    cJSON_AddNumberToObject(n, "execution_time", 0);
    cJSON_AddNullToObject(n, "latest_output");
    if (slug)
        cJSON_AddStringToObject(n, "slug", slug);
    return n;
}

/* An app step that names an action ("data": {"action_id", "slug"?, "input"?}): what the run
 * executes when it reaches it, kept in the bookkeeping as {"node_id","slug","action_id","input"}. */
static void plan_step(cJSON *steps, const char *node_id, const cJSON *data, const cJSON *wdoc)
{
    const char *action = json_str(data, "action_id");
    if (!action)
        return;
    const char *slug = json_str(data, "slug") ? json_str(data, "slug") : json_str(wdoc, "slug");
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "node_id", node_id);
    cJSON_AddStringToObject(st, "slug", slug ? slug : "");
    cJSON_AddStringToObject(st, "action_id", action);
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(data, "input");
    if (input)
        cJSON_AddItemToObject(st, "input", cJSON_Duplicate(input, 1));
    cJSON_AddItemToArray(steps, st);
}

/* The workflow's nodes as execution nodes: a start node first, the human-task node the run
 * needs, and the app step marked as the batch node when the run has batches. The app steps
 * that run an action go into steps. */
static cJSON *plan_nodes(const cJSON *wdoc, const cJSON *run, cJSON *steps)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *n;
    char idbuf[32];
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(wdoc, "nodes")) {
        const cJSON *idv = cJSON_GetObjectItemCaseSensitive(n, "id");
        if (cJSON_IsNumber(idv))
            snprintf(idbuf, sizeof idbuf, "%d", idv->valueint);
        else
            snprintf(idbuf, sizeof idbuf, "%s", cJSON_IsString(idv) ? idv->valuestring : "");
        if (!*idbuf)
            snprintf(idbuf, sizeof idbuf, "%d", cJSON_GetArraySize(out) + 1);
        const char *type = json_str(n, "type") ? json_str(n, "type") : "action";
        const char *name = json_str(n, "name") ? json_str(n, "name") : type;
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(n, "data");
        const char *slug = json_str(data, "slug");
        plan_step(steps, idbuf, data, wdoc);
        cJSON_AddItemToArray(out, exec_node(idbuf, !strcmp(type, "start") && !json_str(n, "name") ? "Start" : name, type, slug));
    }
    const cJSON *first = cJSON_GetArrayItem(out, 0);
    if (!first || strcmp(json_str(first, "node_type"), "start"))
        json_insert(out, 0, exec_node("1", "Start", "start", NULL));
    const cJSON *ht = cJSON_GetObjectItemCaseSensitive(run, "human_task");
    if (ht) {
        int has = 0;
        cJSON_ArrayForEach(n, out)
            has |= !strcmp(json_str(n, "node_type"), "human_task");
        if (!has)
            json_insert(out, 1, exec_node("human_task", json_str(ht, "name") ? json_str(ht, "name") : "Human task",
                                                      "human_task", NULL));
    }
    if (cJSON_GetObjectItemCaseSensitive(run, "batches")) {
        cJSON *last = NULL, *e;
        cJSON_ArrayForEach(e, out)
            if (strcmp(json_str(e, "node_type"), "start") && strcmp(json_str(e, "node_type"), "human_task"))
                last = e;
        if (last)
            json_set(last, "is_batch", cJSON_CreateTrue());
    }
    return out;
}

static void node_set(cJSON *n, const char *status, cJSON *output, long long exec_ms)
{
    json_set(n, "node_status", cJSON_CreateString(status));
    if (strcmp(status, "Pending") && strcmp(status, "Stopped"))
        json_set(n, "attempts_made", cJSON_CreateNumber(1));
    if (exec_ms >= 0)
        json_set(n, "execution_time", cJSON_CreateNumber((double)exec_ms));
    if (output)
        json_set(n, "latest_output", output);
}

static cJSON *nodes_of(cJSON *doc) { return cJSON_GetObjectItemCaseSensitive(doc, "nodes"); }

static void update_percentage(cJSON *doc)
{
    int total = 0, done = 0;
    const cJSON *n;
    cJSON_ArrayForEach(n, nodes_of(doc)) {
        total++;
        const char *s = json_str(n, "node_status");
        done += s && (!strcmp(s, "Success") || !strcmp(s, "Errored"));
    }
    json_set(doc, "completion_percentage", cJSON_CreateNumber(total ? (done * 100) / total : 100));
}

/* Marks the first Pending node (after the human task when there is one) Running. */
static void run_next(cJSON *doc)
{
    cJSON *n;
    cJSON_ArrayForEach(n, nodes_of(doc)) {
        if (!strcmp(json_str(n, "node_status"), "Pending")) {
            if (strcmp(json_str(n, "node_type"), "human_task"))
                node_set(n, "Running", NULL, -1);
            return;
        }
    }
}

/* ---- endings ---- */

/* finish()'s errored for a run that ended because its human task expired or it passed its
 * timeout: errored, and the event is Workflow Timed Out. */
#define TIMED_OUT 2

static void emit(struct mock *m, const struct tenant *t, const cJSON *doc, const char *event)
{
    const cJSON *wf = cJSON_GetObjectItemCaseSensitive(doc, "associated_workflow");
    webhooks_emit_workflow(m, t, json_str(doc, "linked_account_id"), event, json_str(doc, "_id"), json_str(wf, "_id"),
                           json_str(doc, "config_id"), json_str(wf, "name"), json_str(doc, "slug"));
}

/* Ends the run. failed: the node that failed (errored runs), or NULL for the last app step. */
static void finish(struct mock *m, const struct tenant *t, cJSON *doc, long long now, int errored, const char *error,
                   cJSON *failed)
{
    cJSON *b = book(doc), *n, *last = NULL;
    long long started = (long long)json_num(b, "started_ms", (double)now);
    long long step_ms = now - (long long)json_num(b, "step_started_ms", (double)now);
    cJSON_ArrayForEach(n, nodes_of(doc))
        if (strcmp(json_str(n, "node_status"), "Success"))
            last = n;
    if (errored && !failed)
        failed = last;
    cJSON_ArrayForEach(n, nodes_of(doc)) {
        const char *s = json_str(n, "node_status");
        if (!strcmp(s, "Success") || !strcmp(s, "Errored"))
            continue;
        if (errored && n == failed) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "error_message", error);
            cJSON_AddStringToObject(o, "failed_node_id", json_str(n, "node_id"));
            cJSON_AddStringToObject(o, "status", "errored");
            node_set(n, "Errored", o, step_ms);
        } else if (errored && failed && !strcmp(json_str(failed, "node_status"), "Errored")) {
            node_set(n, "Pending", NULL, -1); /* after the failure: never ran */
        } else if (errored) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "node_id", json_str(n, "node_id"));
            cJSON_AddStringToObject(o, "status", "completed");
            node_set(n, "Success", o, step_ms);
        } else {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "node_id", json_str(n, "node_id"));
            cJSON_AddStringToObject(o, "node_type", json_str(n, "node_type"));
            cJSON_AddStringToObject(o, "status", "completed");
            node_set(n, "Success", o, step_ms);
        }
    }
    char at[32];
    util_iso8601(now, at);
    set_str(doc, "status", errored == TIMED_OUT ? "TIMED_OUT" : errored ? "ERRORED" : "COMPLETED");
    set_str(doc, "completion_time", at);
    json_set(doc, "instance_execution_time", cJSON_CreateNumber((double)(now - started)));
    if (errored) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "message", error);
        cJSON_AddStringToObject(e, "failed_node_id", failed ? json_str(failed, "node_id") : "");
        json_set(doc, "execution_error", e);
    } else {
        const cJSON *rv = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "run"), "return_value");
        json_set(doc, "return_value", rv ? cJSON_Duplicate(rv, 1) : cJSON_CreateNull());
    }
    set_phase(doc, PHASE_DONE);
    update_percentage(doc);
    touch(doc, now);
    emit(m, t, doc, errored == TIMED_OUT ? EV_WORKFLOW_TIMED_OUT : errored ? EV_WORKFLOW_ERRORED : EV_WORKFLOW_COMPLETED);
}

static cJSON *node_by_id(cJSON *doc, const char *id)
{
    cJSON *n;
    cJSON_ArrayForEach(n, nodes_of(doc))
        if (json_str(n, "node_id") && !strcmp(json_str(n, "node_id"), id))
            return n;
    return NULL;
}

/* Runs the app steps that name an action, in order, through actions_run(): the execute route's
 * code, so a run creates (reads, updates) what the route would, for the run's linked account.
 * An action's input is its node's "input" rendered with the payload as {{param.X}}, or the
 * payload itself. Returns the node that failed (msg says why), or NULL when all succeeded. */
static cJSON *run_steps(struct mock *m, const struct tenant *t, cJSON *doc, long long now, char *msg, size_t n)
{
    cJSON *b = book(doc), *st;
    const char *la = json_str(doc, "linked_account_id");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(doc, "payload");
    long long step_ms = now - (long long)json_num(b, "step_started_ms", (double)now);
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(b, "steps")) {
        cJSON *node = node_by_id(doc, json_str(st, "node_id"));
        const char *slug = json_str(st, "slug"), *action_id = json_str(st, "action_id");
        const cJSON *app = fixtures_app(m->fx, slug);
        const cJSON *action = app ? actions_run_find(app, action_id) : NULL;
        if (!node)
            continue;
        if (!action) {
            snprintf(msg, n, "Action %s not found in Application %s", action_id, slug);
            return node;
        }
        const cJSON *tpl = cJSON_GetObjectItemCaseSensitive(st, "input");
        struct tpl_ctx ctx = {.params = payload};
        cJSON *input = tpl ? templates_render(tpl, &ctx) : cJSON_Duplicate(payload, 1);
        struct actions_run_result res;
        actions_run(m, t, la, app, action, cJSON_IsObject(input) ? input : NULL, &res);
        cJSON_Delete(input);
        if (!res.body) {
            snprintf(msg, n, "%s", res.message);
            return node;
        }
        node_set(node, "Success", res.body, step_ms);
    }
    return NULL;
}

/* The app step is due: decide how it ends. */
static void finish_run(struct mock *m, const struct tenant *t, cJSON *doc, long long now)
{
    cJSON *b = book(doc);
    const char *forced = json_str(b, "forced_outcome");
    const cJSON *run = cJSON_GetObjectItemCaseSensitive(b, "run");
    if (forced) {
        int errored = !strcasecmp(forced, "errored");
        const char *msg = json_str(b, "forced_error");
        finish(m, t, doc, now, errored, msg && *msg ? msg : "Workflow errored (outcome forced by the loaded scenario)", NULL);
        return;
    }
    const char *slug = json_str(doc, "slug");
    if (slug) {
        char reason[32], msg[512 + MOCK_ID_LEN];
        enum app_gate_state s = app_gate_state(m, t, json_str(doc, "linked_account_id"), slug, reason, sizeof reason);
        if (s != GATE_OK) {
            app_gate_message(s, json_str(doc, "linked_account_id"), slug, reason, msg, sizeof msg);
            /* The first node talking to that app is the one that fails. */
            cJSON *n, *failed = NULL;
            cJSON_ArrayForEach(n, nodes_of(doc))
                if (!failed && json_str(n, "slug") && !strcmp(json_str(n, "slug"), slug) &&
                    strcmp(json_str(n, "node_status"), "Success"))
                    failed = n;
            finish(m, t, doc, now, 1, msg, failed);
            return;
        }
    }
    char msg[600];
    cJSON *failed = run_steps(m, t, doc, now, msg, sizeof msg);
    if (failed) {
        finish(m, t, doc, now, 1, msg, failed);
        return;
    }
    const char *outcome = json_str(run, "outcome");
    int errored = outcome && !strcasecmp(outcome, "errored");
    const char *error = json_str(run, "error");
    finish(m, t, doc, now, errored, error && *error ? error : "Workflow errored", NULL);
}

/* ---- human tasks ---- */

static cJSON *task_node(cJSON *doc)
{
    cJSON *n;
    cJSON_ArrayForEach(n, nodes_of(doc))
        if (!strcmp(json_str(n, "node_type"), "human_task"))
            return n;
    return NULL;
}

/* Reaching the human task: store the form, wait for an answer (or its expiry). Returns the due time. */
static long long reach_task(struct mock *m, const struct tenant *t, cJSON *doc, long long now)
{
    cJSON *b = book(doc);
    const cJSON *ht = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "run"), "human_task");
    cJSON *node = task_node(doc);
    char id[25], at[32], exp[32];
    util_new_id(id);
    util_iso8601(now, at);
    double expire_s = json_num(ht, "expire_in_seconds", 0);
    long long due = expire_s > 0 ? now + (long long)(expire_s * 1000) : 0;
    cJSON *task = cJSON_CreateObject();
    cJSON_AddStringToObject(task, "_id", id);
    cJSON_AddStringToObject(task, "name", json_str(ht, "name") ? json_str(ht, "name") : "Human task");
    cJSON_AddStringToObject(task, "description", json_str(ht, "description") ? json_str(ht, "description") : "");
    static const char *const objs[] = {"form_structure", "ui_structure", NULL};
    for (int i = 0; objs[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(ht, objs[i]);
        cJSON_AddItemToObject(task, objs[i], v ? cJSON_Duplicate(v, 1) : cJSON_CreateObject());
    }
    if (json_str(ht, "group"))
        cJSON_AddStringToObject(task, "group", json_str(ht, "group"));
    cJSON_AddItemToObject(task, "data", cJSON_CreateObject());
    cJSON_AddStringToObject(task, "status", "WAITING");
    if (due) {
        util_iso8601(due, exp);
        cJSON_AddStringToObject(task, "expire_in", exp);
    } else {
        cJSON_AddNullToObject(task, "expire_in");
    }
    const cJSON *emails = cJSON_GetObjectItemCaseSensitive(ht, "receiver_emails");
    cJSON_AddItemToObject(task, "receiver_emails", emails ? cJSON_Duplicate(emails, 1) : cJSON_CreateArray());
    cJSON_AddStringToObject(task, "createdAt", at);
    cJSON_AddStringToObject(task, "updatedAt", at);
    /* internal: stripped by the public human-task routes */
    cJSON_AddStringToObject(task, "instance_id", json_str(doc, "_id"));
    cJSON_AddStringToObject(task, "node_id", node ? json_str(node, "node_id") : "");
    cJSON_AddStringToObject(task, "org_id", t->org_id);
    cJSON_AddStringToObject(task, "linked_account_id", json_str(doc, "linked_account_id"));
    cJSON_AddNullToObject(task, "delayed_job_id");
    cJSON_AddNullToObject(task, "associated_form_id");
    store_put(m->store, t->id, HUMAN_TASK_KIND, id, json_str(doc, "linked_account_id"), task);
    cJSON_Delete(task);

    if (node) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "human_task_id", id);
        cJSON_AddStringToObject(o, "status", "waiting");
        node_set(node, "Waiting", o, -1);
    }
    json_set(b, "human_task_id", cJSON_CreateString(id));
    set_str(doc, "status", "WAITING");
    set_phase(doc, PHASE_WAITING);
    update_percentage(doc);
    touch(doc, now);
    return due;
}

static void set_task(struct mock *m, const struct tenant *t, const char *task_id, const char *status,
                     const cJSON *data, long long now)
{
    cJSON *task = task_id ? store_get(m->store, t->id, HUMAN_TASK_KIND, task_id) : NULL;
    if (!task)
        return;
    set_str(task, "status", status);
    if (data)
        json_set(task, "data", cJSON_Duplicate(data, 1));
    touch(task, now);
    store_put(m->store, t->id, HUMAN_TASK_KIND, task_id, json_str(task, "linked_account_id"), task);
    cJSON_Delete(task);
}

/* The run passed its timeout (settings.timeout or run.timeout_seconds): it errors at the step
 * it was at (a waiting human task becomes TIMEOUT too) and Workflow Timed Out is emitted. */
static void time_out(struct mock *m, const struct tenant *t, cJSON *doc, long long now)
{
    cJSON *b = book(doc), *n, *at = NULL;
    char msg[128];
    snprintf(msg, sizeof msg, "Workflow timed out after %.0f seconds", json_num(b, "timeout_s", 0));
    if (phase(doc) == PHASE_WAITING)
        set_task(m, t, json_str(b, "human_task_id"), "TIMEOUT", NULL, now);
    cJSON_ArrayForEach(n, nodes_of(doc))
        if (!at && (!strcmp(json_str(n, "node_status"), "Running") || !strcmp(json_str(n, "node_status"), "Waiting")))
            at = n;
    if (!at) /* before the human task is reached: the first step that has not run */
        cJSON_ArrayForEach(n, nodes_of(doc))
            if (!at && strcmp(json_str(n, "node_status"), "Success"))
                at = n;
    finish(m, t, doc, now, TIMED_OUT, msg, at);
}

/* ---- the state machine ---- */

/* Moves doc past whatever is due at now. Returns the next due time (0: none). */
static long long advance(struct mock *m, const struct tenant *t, cJSON *doc, long long now)
{
    enum exec_phase p = phase(doc);
    cJSON *b = book(doc);
    if (p == PHASE_NONE || p == PHASE_DONE)
        return 0;
    long long limit = deadline(doc), next = (long long)json_num(b, "next_ms", 0);
    if (limit && now >= limit && (!next || next > limit)) {
        time_out(m, t, doc, now);
        return 0;
    }
    if (p == PHASE_TO_TASK)
        return reach_task(m, t, doc, now);
    if (p == PHASE_WAITING) { /* the form expired unanswered */
        const cJSON *ht = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "run"), "human_task");
        char msg[300];
        snprintf(msg, sizeof msg, "Human task \"%s\" was not answered before it expired",
                 json_str(ht, "name") ? json_str(ht, "name") : "Human task");
        set_task(m, t, json_str(b, "human_task_id"), "TIMEOUT", NULL, now);
        finish(m, t, doc, now, TIMED_OUT, msg, task_node(doc));
        return 0;
    }
    finish_run(m, t, doc, now); /* PHASE_RUNNING: the app step is due */
    return 0;
}

/* Stores the run and when it next needs the clock: its next step, or its deadline when that
 * comes first (next_ms keeps the step's own time, for advance() to tell which one fell due). */
static int save(struct mock *m, const struct tenant *t, cJSON *doc, long long due)
{
    const char *id = json_str(doc, "_id");
    long long limit = deadline(doc);
    json_set(book(doc), "next_ms", cJSON_CreateNumber((double)due));
    if (limit && phase(doc) != PHASE_NONE && phase(doc) != PHASE_DONE && (!due || due > limit))
        due = limit;
    if (store_put(m->store, t->id, EXEC_KIND, id, json_str(doc, "linked_account_id"), doc))
        return -1;
    return store_set_due(m->store, t->id, EXEC_KIND, id, due);
}

/* The run-level timeout in seconds (0: none): the workflow's settings.timeout (the spec's
 * WorkflowSettings; changelog/2026-march.mdx "Configurable Workflow Timeouts"), else the run
 * definition's timeout_seconds. */
static double run_timeout(const cJSON *wdoc, const cJSON *run)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(wdoc, "settings"), "timeout");
    if (cJSON_IsNumber(v) && v->valuedouble > 0)
        return v->valuedouble;
    return json_num(run, "timeout_seconds", 0);
}

static const char *by_source(const char *source)
{
    if (!strcmp(source, EXEC_SOURCE_SCHEDULE))
        return "Schedule";
    if (!strcmp(source, EXEC_SOURCE_EVENT))
        return "Event";
    return "API_CALL";
}

/* The workflow s names, if s may run it: EXEC_OK and *w filled (the caller frees it), or why not. */
static int resolve(struct mock *m, const struct tenant *t, const struct exec_start *s, struct wf *w)
{
    if (!s->la || !s->workflow_id || workflow_defs_find(m, t, s->workflow_id, w))
        return EXEC_NO_WORKFLOW;
    int rc = EXEC_OK;
    if (!linked_accounts_exists(m, t, s->la))
        rc = EXEC_NO_LINKED_ACCOUNT;
    else if (w->is_private) {
        const char *owner = json_str(w->doc, "linked_account_id");
        rc = owner && strcmp(owner, s->la) ? EXEC_NOT_OWNER
             : (!json_bool(w->doc, "published", 0) || json_bool(w->doc, "is_draft", 0)) ? EXEC_NOT_PUBLISHED : EXEC_OK;
    }
    if (rc)
        workflow_defs_free(w);
    return rc;
}

/* The execution document as the API shows it (nodes planned, app steps into steps). */
static cJSON *new_doc(const struct tenant *t, const struct exec_start *s, const struct wf *w, const char *id,
                      const char *at, cJSON *steps)
{
    const char *source = s->source ? s->source : EXEC_SOURCE_API;
    char name[160];
    snprintf(name, sizeof name, "Execution for workflow %s", s->workflow_id);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_id", id);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "org_id", t->org_id);
    cJSON_AddStringToObject(doc, "environment", t->environment);
    cJSON_AddStringToObject(doc, "status", "RUNNING");
    cJSON_AddNumberToObject(doc, "completion_percentage", 0);
    cJSON_AddItemToObject(doc, "associated_application", workflow_defs_app_summary(t, w->app));
    cJSON *aw = cJSON_CreateObject();
    cJSON_AddStringToObject(aw, "_id", s->workflow_id);
    cJSON_AddStringToObject(aw, "name", json_str(w->doc, "name") ? json_str(w->doc, "name") : "");
    cJSON_AddStringToObject(aw, "icon", json_str(w->doc, "icon") ? json_str(w->doc, "icon") : "");
    cJSON_AddItemToObject(doc, "associated_workflow", aw);
    /* Every run has a trigger record in Refold: an event's id, else (API call, schedule) a fresh
     * id that names only this trigger (refold-js types both as always present). */
    char trigger_id[25];
    if (s->event_id)
        util_copy(trigger_id, sizeof trigger_id, s->event_id);
    else
        util_new_id(trigger_id);
    cJSON_AddStringToObject(doc, "associated_event_id", s->event_id ? s->event_id : trigger_id);
    const char *trigger = s->trigger_event ? s->trigger_event : by_source(source);
    cJSON *ta = workflow_defs_app_summary(t, w->app), *origin = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(ta, "description");
    cJSON_AddStringToObject(ta, "app_type", w->app && json_str(w->app, "slug") ? json_str(w->app, "slug") : "custom");
    cJSON_AddStringToObject(origin, "_id", trigger_id);
    cJSON_AddStringToObject(origin, "name", trigger);
    cJSON_AddItemToObject(ta, "origin_trigger", origin);
    cJSON_AddItemToObject(doc, "associated_trigger_application", ta);
    cJSON_AddStringToObject(doc, "trigger_application_event", trigger);
    cJSON_AddStringToObject(doc, "execution_source", source);
    cJSON_AddStringToObject(doc, "linked_account_id", s->la);
    cJSON_AddStringToObject(doc, "config_id", s->config_id && *s->config_id ? s->config_id : s->la);
    cJSON_AddStringToObject(doc, "type_of_execution", s->sync ? "SYNC" : "ASYNC");
    if (s->instance_tag)
        cJSON_AddStringToObject(doc, "instance_tag", s->instance_tag);
    set_str(doc, "slug", workflow_defs_slug(w->doc));
    cJSON_AddStringToObject(doc, "workflow_id", s->workflow_id);
    cJSON_AddItemToObject(doc, "payload", s->input ? cJSON_Duplicate(s->input, 1) : cJSON_CreateObject());
    cJSON_AddItemToObject(doc, "nodes", plan_nodes(w->doc, workflow_defs_run(w->doc), steps));
    cJSON_AddBoolToObject(doc, "executed_by_thanos", 0);
    cJSON_AddBoolToObject(doc, "is_child_instance", 0);
    cJSON_AddBoolToObject(doc, "is_seed", 0);
    if (s->rerun_of)
        cJSON_AddStringToObject(doc, "rerun_of", s->rerun_of);
    /* completion_time appears when the run ends (the spec types it as a date-time, not null) */
    cJSON_AddNullToObject(doc, "execution_error");
    cJSON_AddStringToObject(doc, "createdAt", at);
    cJSON_AddStringToObject(doc, "updatedAt", at);
    return doc;
}

/* The mock's bookkeeping (never shown): clock marks, a copy of the run definition, its steps,
 * timeout and a scenario's forced outcome. Takes steps. */
static cJSON *new_book(struct mock *m, const struct tenant *t, const struct exec_start *s, const struct wf *w,
                       long long now, cJSON *steps)
{
    const cJSON *run = workflow_defs_run(w->doc);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "started_ms", (double)now);
    cJSON_AddNumberToObject(b, "step_started_ms", (double)now);
    double dur = json_num(run, "duration_seconds", DEFAULT_DURATION_MS / 1000.0);
    cJSON_AddNumberToObject(b, "duration_ms", dur > 0 ? dur * 1000 : 0);
    cJSON_AddItemToObject(b, "run", run ? cJSON_Duplicate(run, 1) : cJSON_CreateObject());
    cJSON_AddItemToObject(b, "steps", steps);
    double timeout_s = run_timeout(w->doc, run);
    if (timeout_s > 0) {
        cJSON_AddNumberToObject(b, "timeout_s", timeout_s);
        cJSON_AddNumberToObject(b, "timeout_at_ms", (double)now + timeout_s * 1000);
    }
    char forced[16] = "", forced_error[512] = "";
    if (overrides_take_workflow_outcome(m, t, s->workflow_id, forced, sizeof forced, forced_error, sizeof forced_error)) {
        cJSON_AddStringToObject(b, "forced_outcome", forced);
        cJSON_AddStringToObject(b, "forced_error", forced_error);
    }
    return b;
}

/* The start node runs at once; then the run heads for its human task or its app step.
 * Returns when it next needs the clock. */
static long long first_step(struct mock *m, const struct tenant *t, cJSON *doc, long long now)
{
    cJSON *start = cJSON_GetArrayItem(nodes_of(doc), 0);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "message", "Workflow started successfully");
    cJSON_AddStringToObject(o, "node_id", json_str(start, "node_id"));
    cJSON_AddStringToObject(o, "node_type", "start");
    cJSON_AddStringToObject(o, "status", "initialized");
    node_set(start, "Success", o, 0);

    long long due;
    const cJSON *ht = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(book(doc), "run"), "human_task");
    if (ht) {
        set_phase(doc, PHASE_TO_TASK);
        double after = json_num(ht, "after_seconds", 0);
        due = after > 0 ? now + (long long)(after * 1000) : 0;
        if (!due)
            due = reach_task(m, t, doc, now);
    } else {
        set_phase(doc, PHASE_RUNNING);
        run_next(doc);
        due = now + (long long)json_num(book(doc), "duration_ms", DEFAULT_DURATION_MS);
    }
    update_percentage(doc);
    return due;
}

/* A sync execution takes no virtual time: every step that would fall due runs now, up to the
 * end or up to a human task, which must be answered first. */
static long long run_sync(struct mock *m, const struct tenant *t, cJSON *doc, long long now, long long due)
{
    for (int guard = 0; guard < 8; guard++) {
        if (phase(doc) != PHASE_TO_TASK && phase(doc) != PHASE_RUNNING)
            break;
        due = advance(m, t, doc, now);
    }
    return due;
}

int executions_run(struct mock *m, const struct tenant *t, const struct exec_start *s, char out_id[25])
{
    struct wf w;
    int rc = resolve(m, t, s, &w);
    if (rc)
        return rc;
    long long now = clock_now_ms(m);
    char at[32];
    util_iso8601(now, at);
    util_new_id(out_id);
    cJSON *steps = cJSON_CreateArray();
    cJSON *doc = new_doc(t, s, &w, out_id, at, steps);
    cJSON_AddItemToObject(doc, BOOK, new_book(m, t, s, &w, now, steps));
    workflow_defs_free(&w);

    store_begin(m->store);
    long long due = first_step(m, t, doc, now);
    if (s->sync)
        due = run_sync(m, t, doc, now, due);
    rc = save(m, t, doc, due);
    cJSON_Delete(doc);
    if (rc) {
        store_rollback(m->store);
        return EXEC_FAILED;
    }
    if (store_commit(m->store))
        return EXEC_FAILED;
    webhooks_kick(m);
    return EXEC_OK;
}

int executions_start(struct mock *m, const struct tenant *t, const char *la, const char *workflow_id,
                     const cJSON *input, const char *source, char out_id[25])
{
    struct exec_start s = {.la = la, .workflow_id = workflow_id, .input = input, .source = source};
    return executions_run(m, t, &s, out_id);
}

int executions_rerun(struct mock *m, const struct tenant *t, const char *execution_id, const char *la, char out_id[25],
                     char status[32])
{
    cJSON *doc = executions_find(m, t, execution_id, la);
    if (!doc)
        return EXEC_NOT_FOUND;
    const char *st = json_str(doc, "status");
    util_copy(status, 32, st ? st : "");
    if (!st || (strcmp(st, "ERRORED") && strcmp(st, "STOPPED") && strcmp(st, "TIMED_OUT"))) {
        cJSON_Delete(doc);
        return EXEC_NOT_RERUNNABLE;
    }
    struct exec_start s = {
        .la = json_str(doc, "linked_account_id"),
        .workflow_id = json_str(cJSON_GetObjectItemCaseSensitive(doc, "associated_workflow"), "_id"),
        .config_id = json_str(doc, "config_id"),
        .input = cJSON_GetObjectItemCaseSensitive(doc, "payload"),
        .source = json_str(doc, "execution_source"),
        .trigger_event = json_str(doc, "trigger_application_event"),
        .event_id = json_str(doc, "associated_event_id"),
        .instance_tag = json_str(doc, "instance_tag"),
        .rerun_of = execution_id,
    };
    int rc = executions_run(m, t, &s, out_id);
    cJSON_Delete(doc);
    return rc;
}

int executions_resume(struct mock *m, const struct tenant *t, const char *execution_id, const cJSON *output)
{
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, EXEC_KIND, execution_id);
    if (!doc) {
        store_rollback(m->store);
        return EXEC_NOT_FOUND;
    }
    if (phase(doc) != PHASE_WAITING) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return EXEC_NOT_WAITING;
    }
    long long now = clock_now_ms(m);
    cJSON *b = book(doc);
    set_task(m, t, json_str(b, "human_task_id"), "SUBMITTED", output, now);
    cJSON *node = task_node(doc);
    if (node)
        node_set(node, "Success", output ? cJSON_Duplicate(output, 1) : cJSON_CreateObject(), -1);
    set_str(doc, "status", "RUNNING");
    set_phase(doc, PHASE_RUNNING);
    json_set(b, "step_started_ms", cJSON_CreateNumber((double)now));
    run_next(doc);
    update_percentage(doc);
    touch(doc, now);
    int rc = save(m, t, doc, now + (long long)json_num(b, "duration_ms", DEFAULT_DURATION_MS));
    cJSON_Delete(doc);
    if (rc) {
        store_rollback(m->store);
        return EXEC_FAILED;
    }
    return store_commit(m->store) ? EXEC_FAILED : EXEC_OK;
}

int executions_stop(struct mock *m, const struct tenant *t, const char *execution_id)
{
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, EXEC_KIND, execution_id);
    if (!doc) {
        store_rollback(m->store);
        return EXEC_NOT_FOUND;
    }
    if (phase(doc) == PHASE_NONE || phase(doc) == PHASE_DONE) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return 1;
    }
    long long now = clock_now_ms(m);
    cJSON *n;
    cJSON_ArrayForEach(n, nodes_of(doc)) {
        const char *s = json_str(n, "node_status");
        if (!strcmp(s, "Running") || !strcmp(s, "Waiting"))
            node_set(n, "Stopped", NULL, -1);
    }
    char at[32];
    util_iso8601(now, at);
    set_str(doc, "status", "STOPPED");
    set_str(doc, "completion_time", at);
    json_set(doc, "instance_execution_time", cJSON_CreateNumber((double)(now - (long long)json_num(book(doc), "started_ms", (double)now))));
    set_phase(doc, PHASE_DONE);
    touch(doc, now);
    emit(m, t, doc, EV_WORKFLOW_STOPPED); /* queued inside this transaction: only if the stop commits */
    int rc = save(m, t, doc, 0);
    cJSON_Delete(doc);
    if (rc) {
        store_rollback(m->store);
        return EXEC_FAILED;
    }
    return store_commit(m->store) ? EXEC_FAILED : EXEC_OK;
}

cJSON *executions_public(const cJSON *doc)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(o, BOOK);
    return o;
}

cJSON *executions_get(struct mock *m, const struct tenant *t, const char *execution_id)
{
    cJSON *doc = store_get(m->store, t->id, EXEC_KIND, execution_id);
    if (!doc)
        return NULL;
    cJSON *o = executions_public(doc);
    cJSON_Delete(doc);
    return o;
}

cJSON *executions_find(struct mock *m, const struct tenant *t, const char *execution_id, const char *la)
{
    cJSON *doc = store_get(m->store, t->id, EXEC_KIND, execution_id);
    const char *owner = json_str(doc, "linked_account_id");
    if (doc && la && la[0] && (!owner || strcmp(owner, la))) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* The filters as store conditions: SQLite picks the page, so a list of 50,000 runs costs what
 * one page costs plus a count (it used to parse every run and walk them by index). Returns how
 * many; from/to receive the ISO forms the date conditions point at. */
static int conditions(const struct exec_filter *f, struct store_cond *c, char from[32], char to[32])
{
    int n = 0;
    if (*f->slug)
        c[n++] = (struct store_cond){"$.slug", SQ_IN_NOCASE, f->slug};
    if (*f->status)
        c[n++] = (struct store_cond){"$.status", SQ_IN_NOCASE, f->status};
    if (*f->wname)
        c[n++] = (struct store_cond){"$.associated_workflow.name", SQ_CONTAINS_NOCASE, f->wname};
    if (*f->wid)
        c[n++] = (struct store_cond){"$.associated_workflow._id", SQ_EQ, f->wid};
    if (*f->eid)
        c[n++] = (struct store_cond){"$._id", SQ_EQ, f->eid};
    if (*f->type)
        c[n++] = (struct store_cond){"$.type_of_execution", SQ_EQ_NOCASE, f->type};
    if (*f->source)
        c[n++] = (struct store_cond){"$.execution_source", SQ_EQ, f->source};
    /* createdAt is written by util_iso8601, one fixed format: text order is time order */
    if (f->from >= 0) {
        util_iso8601(f->from, from);
        c[n++] = (struct store_cond){"$.createdAt", SQ_GE, from};
    }
    if (f->to >= 0) {
        util_iso8601(f->to, to);
        c[n++] = (struct store_cond){"$.createdAt", SQ_LE, to};
    }
    return n;
}

cJSON *executions_list(struct mock *m, const struct tenant *t, const char *la, const struct exec_filter *f, int asc,
                       int offset, int limit, int *total)
{
    struct store_cond c[9];
    char from[32], to[32];
    int nc = conditions(f, c, from, to);
    /* Stored in start order: newest first unless asc. */
    cJSON *page_docs = store_query(m->store, t->id, EXEC_KIND, la && la[0] ? la : NULL, c, nc, !asc, offset, limit, total), *d;
    cJSON *docs = cJSON_CreateArray();
    cJSON_ArrayForEach(d, page_docs)
        cJSON_AddItemToArray(docs, executions_public(d));
    cJSON_Delete(page_docs);
    return docs;
}

cJSON *executions_find_task(struct mock *m, const char *task_id, const struct tenant **owner)
{
    const struct tenant *each;
    for (int i = 0; (each = tenants_at(m, i)); i++) {
        cJSON *task = store_get(m->store, each->id, HUMAN_TASK_KIND, task_id);
        if (task) {
            *owner = each;
            return task;
        }
    }
    return NULL;
}

cJSON *executions_batches(const cJSON *doc, const char *node_id, int *why)
{
    const cJSON *n, *node = NULL;
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(doc, "nodes"))
        if (json_str(n, "node_id") && !strcmp(json_str(n, "node_id"), node_id))
            node = n;
    if (!node)
        return *why = 1, NULL;
    if (!json_bool(node, "is_batch", 0))
        return *why = 2, NULL;
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, BOOK), "run"), "batches");
    int count = (int)json_num(def, "count", 1), size = (int)json_num(def, "size", 1);
    const char *ns = json_str(node, "node_status");
    cJSON *out = cJSON_CreateArray();
    for (int i = 0; i < count && i < 10000; i++) {
        cJSON *b = cJSON_CreateObject(), *o = cJSON_CreateObject();
        /* An errored batch node failed in its last batch; the ones before it went through. */
        const char *st = !strcmp(ns, "Errored") ? (i == count - 1 ? "Errored" : "Success") : ns;
        cJSON_AddNumberToObject(b, "batch_index", i);
        cJSON_AddStringToObject(b, "status", st);
        if (!strcmp(st, "Success"))
            cJSON_AddNumberToObject(o, "processed", size);
        else if (!strcmp(st, "Errored"))
            cJSON_AddStringToObject(o, "error_message", json_str(cJSON_GetObjectItemCaseSensitive(node, "latest_output"), "error_message")
                                                            ? json_str(cJSON_GetObjectItemCaseSensitive(node, "latest_output"), "error_message") : "");
        cJSON_AddItemToObject(b, "output", o);
        cJSON_AddItemToArray(out, b);
    }
    return out;
}

long long executions_next_due(struct mock *m) { return store_next_due(m->store, EXEC_KIND); }

void executions_fire(struct mock *m, long long now)
{
    cJSON *rows = store_due(m->store, EXEC_KIND, now), *row;
    int emitted = 0;
    cJSON_ArrayForEach(row, rows) {
        const char *tid = json_str(row, "tenant"), *id = json_str(row, "id");
        const struct tenant *t = tenants_by_id(m, tid);
        store_begin(m->store);
        cJSON *doc = store_get(m->store, tid, EXEC_KIND, id);
        if (!t || !doc) { /* a tenant no longer in the fixtures: nothing can read it; stop its clock */
            store_set_due(m->store, tid, EXEC_KIND, id, 0);
        } else {
            long long due = advance(m, t, doc, now);
            save(m, t, doc, due);
            emitted = 1;
        }
        cJSON_Delete(doc);
        store_commit(m->store);
    }
    cJSON_Delete(rows);
    if (emitted)
        webhooks_kick(m);
}

void executions_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, EXEC_KIND, la);
    store_del_children(m->store, t->id, HUMAN_TASK_KIND, la);
}
