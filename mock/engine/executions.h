/* executions.h: workflow executions on the virtual clock: start, advance (timer), human-task
 * pause and resume, stop, rerun. Everything that runs a workflow (the execute API, events,
 * schedules, reruns) starts it here, so every run looks and behaves the same.
 *
 * A run follows the workflow's "run" definition (app fixture config.workflows[].run, or the
 * "run" member of a private workflow's create body):
 *   {"duration_seconds": 5,              virtual seconds from start (or resume) to the end; default 2
 *    "outcome": "completed"|"errored",   default "completed"
 *    "error": "message",                 the execution_error message when errored
 *    "return_value": {...},              what a sync execute returns when completed
 *    "batches": {"count": 3, "size": 50},  the app step is a batch node with these batches
 *    "human_task": {                     a human-in-the-loop step before the app step:
 *       "after_seconds": 0,              reached this long after the start
 *       "name", "description", "form_structure", "ui_structure", "receiver_emails",
 *       "expire_in_seconds": 86400},     unanswered this long: TIMEOUT and the run errors
 *    "timeout_seconds": 600}             past this the run errors (Workflow Timed Out); the
 *                                        workflow's settings.timeout, when set, wins
 * Statuses: RUNNING -> COMPLETED | ERRORED, RUNNING -> WAITING (human task) -> RUNNING, and
 * STOPPED (stop API). A run whose app connection is missing or expired when it reaches its app
 * step errors with a reconnect message. App steps naming an action ("data": {"action_id",
 * "slug", "input"}) run it then through actions_run(), the execute route's code. A scenario's forced outcome
 * (overrides_take_workflow_outcome) is taken when the run starts and beats everything else.
 * Ending emits "Workflow Completed" / "Workflow Errored" with instance_id, workflow_id,
 * config_id, workflow_name and status.
 *
 * Human tasks: reaching the step stores a document of kind "human_task" (id = the task id,
 * parent = the linked account) shaped like the spec's HumanTaskPublic plus the internal
 * members instance_id, node_id, org_id, linked_account_id, delayed_job_id, associated_form_id
 * (the public GET strips them): {"_id","name","description","form_structure","ui_structure",
 * "data":{},"status":"WAITING","expire_in":ISO|null,"receiver_emails":[],"createdAt",
 * "updatedAt",...}. The human-task routes find it by id (it is tenant-scoped: look it up in
 * each fixtures tenant), validate the submission, and call executions_resume(), which marks
 * the task SUBMITTED with the data and continues the run. */
#ifndef EXECUTIONS_H
#define EXECUTIONS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* Sources, as the list filter execution_source names them. */
#define EXEC_SOURCE_API "API_CALL"
#define EXEC_SOURCE_SCHEDULE "SCHEDULE"
#define EXEC_SOURCE_EVENT "Event"

struct exec_start {
    const char *la;             /* required */
    const char *workflow_id;    /* required: public (fixture) or the linked account's private workflow */
    const char *config_id;      /* NULL: the linked account id (its default config) */
    const cJSON *input;         /* the trigger payload (copied); NULL: {} */
    const char *source;         /* EXEC_SOURCE_*; NULL: API_CALL */
    const char *trigger_event;  /* trigger_application_event; NULL: "API_CALL" / "Schedule" by source */
    const char *event_id;       /* associated_event_id, or NULL */
    const char *instance_tag;   /* or NULL */
    const char *rerun_of;       /* the execution this one reruns, or NULL */
    int sync;                   /* 1: run to its end (or its human task) inside this call: a sync
                                 * execution takes no virtual time, whatever duration_seconds says */
};

enum {
    EXEC_OK = 0,
    EXEC_NO_WORKFLOW = -1,      /* unknown workflow id */
    EXEC_NO_LINKED_ACCOUNT = -2,
    EXEC_NOT_PUBLISHED = -3,    /* a private workflow that is a draft or unpublished */
    EXEC_NOT_OWNER = -4,        /* a private workflow of another linked account */
    EXEC_NOT_WAITING = -5,      /* resume: the execution is not waiting for a human task */
    EXEC_NOT_FOUND = -6,        /* resume/stop/rerun: unknown execution */
    EXEC_FAILED = -7,           /* the store refused the write */
    EXEC_NOT_RERUNNABLE = -8,   /* rerun: the execution has not errored, timed out or been stopped */
};

/* Starts an execution; out_id gets its id. Returns EXEC_OK or a negative EXEC_* code. */
int executions_run(struct mock *m, const struct tenant *t, const struct exec_start *s, char out_id[25]);

/* The short form other code uses (schedules: source EXEC_SOURCE_SCHEDULE): async, default config. */
int executions_start(struct mock *m, const struct tenant *t, const char *la, const char *workflow_id,
                     const cJSON *input, const char *source, char out_id[25]);

/* Runs again an execution la (NULL or "": any) may see that ended ERRORED, STOPPED or TIMED_OUT:
 * same linked account, workflow, config, input, source, trigger and tag, marked as its rerun;
 * out_id gets the new run's id. EXEC_OK, EXEC_NOT_FOUND, EXEC_NOT_RERUNNABLE (status gets the
 * execution's status, "" when it has none) or executions_run's codes. */
int executions_rerun(struct mock *m, const struct tenant *t, const char *execution_id, const char *la, char out_id[25],
                     char status[32]);

/* A human task was answered: marks the execution's task SUBMITTED with output (its form data),
 * records it as the task node's output and lets the run go on (RUNNING again, ending
 * duration_seconds later). EXEC_OK, EXEC_NOT_FOUND or EXEC_NOT_WAITING (already submitted,
 * timed out, stopped). */
int executions_resume(struct mock *m, const struct tenant *t, const char *execution_id, const cJSON *output);

/* Stops a RUNNING or WAITING execution (status STOPPED, Workflow Stopped). EXEC_OK, EXEC_NOT_FOUND,
 * or 1 when it had already ended (nothing changed). */
int executions_stop(struct mock *m, const struct tenant *t, const char *execution_id);

/* The stored document, bookkeeping included (what executions_public and executions_batches
 * take; caller deletes), when it exists and la may see it (NULL or "": the org key sees every
 * linked account's; a linked account its own only); else NULL. */
cJSON *executions_find(struct mock *m, const struct tenant *t, const char *execution_id, const char *la);

/* The list route's filters (an empty string, or -1 for a date, is no filter). */
struct exec_filter {
    char slug[256], status[128], wname[256], wid[64], eid[64], type[32], source[32];
    long long from, to; /* createdAt bounds, ms (inclusive) */
};
/* One page of executions in their public form, of la's (NULL: the whole environment's), in start
 * order, newest first unless asc; *total gets how many match. A new array (caller deletes). */
cJSON *executions_list(struct mock *m, const struct tenant *t, const char *la, const struct exec_filter *f, int asc,
                       int offset, int limit, int *total);

/* The human task with this id in whichever tenant holds it (*owner; the id is its only
 * credential), as stored (caller deletes), or NULL. */
cJSON *executions_find_task(struct mock *m, const char *task_id, const struct tenant **owner);

/* The stored document without the mock's bookkeeping (caller deletes), or NULL. */
cJSON *executions_get(struct mock *m, const struct tenant *t, const char *execution_id);
cJSON *executions_public(const cJSON *doc);

/* The batches of a batch node of a stored execution document: an array of
 * {"batch_index","status","output"} (caller deletes), or NULL with *why = 1 (no such node) or
 * 2 (not a batch node). */
cJSON *executions_batches(const cJSON *doc, const char *node_id, int *why);

/* The timer source (timers.c row "executions"). */
long long executions_next_due(struct mock *m);
void executions_fire(struct mock *m, long long now);

/* Deleting linked account la: its runs and human tasks go. Joins the caller's transaction. */
void executions_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
