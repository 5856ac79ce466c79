/* actions_run.h: running one of an app's actions for a linked account: parameter checks, the
 * connection gate, a scenario's override, then the action's record operation. The execute route
 * and a workflow's app steps both run actions here, so a workflow creates what the route would. */
#ifndef ACTIONS_RUN_H
#define ACTIONS_RUN_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* What running an action came to: a success body (status < 400), or an error for the envelope. */
struct actions_run_result {
    int status;
    cJSON *body;            /* status < 400: the answer (the caller deletes it); otherwise NULL */
    char error_code[64];    /* status >= 400 */
    char message[600];
};

/* The action of app (a fixture) named action_id, or NULL. */
const cJSON *actions_run_find(const cJSON *app, const char *action_id);

/* Runs action of app for linked account la with params (an object; not modified). Writes go
 * through one store transaction, nested in the caller's when there is one (an error before a
 * write leaves the caller's transaction intact). Returns res->status. */
int actions_run(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, const cJSON *action,
                const cJSON *params, struct actions_run_result *res);

/* Deleting linked account la: the records its actions created go. Joins the caller's transaction. */
void actions_run_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
