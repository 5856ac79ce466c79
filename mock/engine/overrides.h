/* overrides.h: one-off replacements a scenario puts in front of the mock's own answers:
 * forced action results (set_action_result) and forced workflow outcomes. Stored as documents,
 * used up one call at a time. */
#ifndef OVERRIDES_H
#define OVERRIDES_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Stores an override of slug/action_id's result: status and body (may be NULL; copied) for
 * `times` calls (-1: until reset). 0 on success. */
int overrides_set_action_result(struct mock *m, const struct tenant *t, const char *slug, const char *action_id,
                                int status, const cJSON *body, int times);
/* Stores a forced outcome for the next `times` executions of workflow_id (NULL or "" = any
 * workflow), with an error message (may be NULL). 0 on success. */
int overrides_set_workflow_outcome(struct mock *m, const struct tenant *t, const char *workflow_id,
                                   const char *outcome, const char *message, int times);

/* Called by actions before the fixture's result is used: when an override for
 * (tenant, slug, action_id) applies, consumes one use, sets *status and *body (caller deletes;
 * NULL when none was given) and returns 1. Returns 0 when none applies. */
int overrides_take_action_result(struct mock *m, const struct tenant *t, const char *slug, const char *action_id,
                                 int *status, cJSON **body);

/* Called when an execution of workflow_id starts: when a forced outcome applies (for that
 * workflow, else for any workflow), consumes one use, copies the outcome and the message
 * (may be empty) and returns 1. Returns 0 when none applies. */
int overrides_take_workflow_outcome(struct mock *m, const struct tenant *t, const char *workflow_id,
                                    char *outcome, size_t outcome_len, char *message, size_t message_len);

/* Every stored override of the tenant (array, caller deletes). */
cJSON *overrides_list(struct mock *m, const struct tenant *t);

#endif
