/* overrides.c: forced action results and workflow outcomes, stored as documents and used up one call at a time. */
#include "engine/overrides.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define KIND "override"

static int add(struct mock *m, const struct tenant *t, cJSON *doc, int times)
{
    char id[25], at[32];
    util_new_id(id);
    util_iso8601(clock_now_ms(m), at);
    cJSON_AddStringToObject(doc, "id", id); /* store_list returns bodies only: the id rides along */
    cJSON_AddNumberToObject(doc, "remaining", times);
    cJSON_AddStringToObject(doc, "createdAt", at);
    store_begin(m->store);
    int rc = store_put(m->store, t->id, KIND, id, NULL, doc);
    if (rc)
        store_rollback(m->store);
    else
        rc = store_commit(m->store);
    cJSON_Delete(doc);
    return rc;
}

int overrides_set_action_result(struct mock *m, const struct tenant *t, const char *slug, const char *action_id,
                                int status, const cJSON *body, int times)
{
    char key[2 * MOCK_ID_LEN + 16];
    snprintf(key, sizeof key, "action:%s/%s", slug, action_id);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "key", key);
    cJSON_AddStringToObject(doc, "type", "action_result");
    cJSON_AddStringToObject(doc, "slug", slug);
    cJSON_AddStringToObject(doc, "action", action_id);
    cJSON_AddNumberToObject(doc, "status", status);
    cJSON_AddItemToObject(doc, "body", body ? cJSON_Duplicate(body, 1) : cJSON_CreateNull());
    return add(m, t, doc, times);
}

int overrides_set_workflow_outcome(struct mock *m, const struct tenant *t, const char *workflow_id,
                                   const char *outcome, const char *message, int times)
{
    if (!workflow_id || !*workflow_id)
        workflow_id = "*";
    char key[MOCK_ID_LEN + 16];
    snprintf(key, sizeof key, "workflow:%s", workflow_id);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "key", key);
    cJSON_AddStringToObject(doc, "type", "workflow_outcome");
    cJSON_AddStringToObject(doc, "workflow_id", workflow_id);
    cJSON_AddStringToObject(doc, "outcome", outcome);
    cJSON_AddStringToObject(doc, "message", message ? message : "");
    return add(m, t, doc, times);
}

/* Consumes one use of the oldest override stored under key; returns its document (caller
 * deletes) or NULL. One transaction, so two concurrent calls never share a use. */
static cJSON *take(struct mock *m, const struct tenant *t, const char *key)
{
    store_begin(m->store);
    int total = 0;
    cJSON *list = store_list(m->store, t->id, KIND, NULL, "key", key, 0, 1, &total);
    cJSON *found = NULL;
    cJSON *first = cJSON_GetArrayItem(list, 0);
    if (first) {
        found = cJSON_Duplicate(first, 1);
        const char *id = json_str(first, "id");
        double left = json_num(first, "remaining", 1);
        if (id) {
            if (left > 1) {
                json_set(first, "remaining", cJSON_CreateNumber(left - 1));
                store_put(m->store, t->id, KIND, id, NULL, first);
            } else if (left == 1) {
                store_del(m->store, t->id, KIND, id);
            } /* left < 0: until reset */
        }
    }
    cJSON_Delete(list);
    store_commit(m->store);
    return found;
}

int overrides_take_action_result(struct mock *m, const struct tenant *t, const char *slug, const char *action_id,
                                 int *status, cJSON **body)
{
    char key[2 * MOCK_ID_LEN + 16];
    snprintf(key, sizeof key, "action:%s/%s", slug, action_id);
    cJSON *o = take(m, t, key);
    if (!o)
        return 0;
    *status = (int)json_num(o, "status", 200);
    cJSON *b = cJSON_DetachItemFromObjectCaseSensitive(o, "body");
    if (cJSON_IsNull(b)) {
        cJSON_Delete(b);
        b = NULL;
    }
    *body = b;
    cJSON_Delete(o);
    return 1;
}

int overrides_take_workflow_outcome(struct mock *m, const struct tenant *t, const char *workflow_id,
                                    char *outcome, size_t outcome_len, char *message, size_t message_len)
{
    char key[MOCK_ID_LEN + 16];
    snprintf(key, sizeof key, "workflow:%s", workflow_id ? workflow_id : "*");
    cJSON *o = take(m, t, key);
    if (!o)
        o = take(m, t, "workflow:*");
    if (!o)
        return 0;
    snprintf(outcome, outcome_len, "%s", json_str(o, "outcome") ? json_str(o, "outcome") : "ERRORED");
    snprintf(message, message_len, "%s", json_str(o, "message") ? json_str(o, "message") : "");
    cJSON_Delete(o);
    return 1;
}

cJSON *overrides_list(struct mock *m, const struct tenant *t)
{
    return store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 0, NULL);
}
