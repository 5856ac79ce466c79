/* mcp_logs.c: the MCP audit log, stored as documents of their tenant under the linked account. */
#include "mcp_logs.h"
#include "store.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define KIND "mcp_log"

/* Replaces member key of rec with a cut string when its JSON is longer than max. */
static int cut(cJSON *rec, const char *key, size_t max)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    char *text = v ? json_print(v) : NULL;
    int cut = text && strlen(text) > max;
    if (cut) {
        text[max] = 0;
        json_set(rec, key, cJSON_CreateString(text));
    }
    free(text);
    return cut;
}

void mcp_logs_add(struct mock *m, const struct tenant *t, const char *la, cJSON *rec)
{
    char id[25];
    util_new_id(id);
    json_set(rec, "_id", cJSON_CreateString(id));
    int truncated = cut(rec, "request", MCP_LOG_INPUT_MAX);
    truncated |= cut(rec, "response", MCP_LOG_OUTPUT_MAX);
    json_set(rec, "truncated", cJSON_CreateBool(truncated));
    store_begin(m->store);
    if (store_put(m->store, t->id, KIND, id, la, rec) == 0)
        store_commit(m->store);
    else
        store_rollback(m->store);
    cJSON_Delete(rec);
}

static int same(const char *want, const char *got) { return !want || !*want || (got && !strcmp(want, got)); }

cJSON *mcp_logs_list(struct mock *m, const struct tenant *t, const struct mcp_log_filter *f)
{
    cJSON *all = store_list(m->store, t->id, KIND, f->linked_account_id && *f->linked_account_id ? f->linked_account_id : NULL,
                            NULL, NULL, 0, 0, NULL);
    cJSON *out = cJSON_CreateArray(), *e;
    while ((e = cJSON_DetachItemFromArray(all, 0))) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "identity");
        if (same(f->status, json_str(e, "status")) && same(f->application, json_str(e, "application")) &&
            same(f->tool, json_str(e, "tool")) && same(f->action, json_str(e, "action")) &&
            same(f->server, json_str(id, "server")))
            cJSON_AddItemToArray(out, e);
        else
            cJSON_Delete(e);
    }
    cJSON_Delete(all);
    while (f->limit > 0 && cJSON_GetArraySize(out) > f->limit)
        cJSON_DeleteItemFromArray(out, 0);
    return out;
}
