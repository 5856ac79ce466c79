/* group_edit.c: one implementation of group edit for the families that have it. */
#include "api/group_edit.h"
#include "json.h"
#include "http.h"
#include "store.h"
#include "util.h"

#include <stdio.h>

int group_edit_apply(req *r, const struct group_family *f)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r->body, f->ids_key), *id;
    const cJSON *group = cJSON_GetObjectItemCaseSensitive(r->body, "group");
    if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) == 0) {
        char msg[64]; /* the pages' message verbatim: "refNames is required" */
        snprintf(msg, sizeof msg, "%s is required", f->ids_key);
        return http_error_hint(r, 400, "SERVER_ERROR", msg, "a non-empty array of %s", f->what);
    }
    cJSON_ArrayForEach(id, ids) if (!cJSON_IsString(id))
        return http_error(r, 400, "BAD_REQUEST", "%s must hold strings", f->ids_key);
    if (group && !cJSON_IsString(group) && !cJSON_IsNull(group))
        return http_error(r, 400, "BAD_REQUEST", "group must be a string (empty to clear it)");
    const char *g = cJSON_IsString(group) ? group->valuestring : "";
    store_begin(r->m->store);
    int rc = 0;
    cJSON_ArrayForEach(id, ids) {
        cJSON *doc = f->load(r, id->valuestring);
        if (!doc) { /* nothing changes when any id is unknown */
            store_rollback(r->m->store);
            return r->status;
        }
        if (*g)
            json_set(doc, "group", cJSON_CreateString(g));
        else
            cJSON_DeleteItemFromObjectCaseSensitive(doc, "group");
        if (rc == 0)
            rc = f->save(r->m, r->t, doc);
        cJSON_Delete(doc);
    }
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        return http_error(r, 500, "SERVER_ERROR", "could not update the group");
    }
    return http_send(r, 204, "application/json; charset=utf-8", "", 0);
}
