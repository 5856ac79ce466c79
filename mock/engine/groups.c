/* groups.c: one implementation of "put these documents in a group" for the families that have it. */
#include "engine/groups.h"
#include "base/json.h"
#include "base/store.h"

int groups_set(struct mock *m, const struct tenant *t, const cJSON *ids, const char *group,
               groups_load_fn load, void *ctx, groups_save_fn save)
{
    const cJSON *id;
    int rc = 0;
    store_begin(m->store);
    cJSON_ArrayForEach(id, ids) {
        cJSON *doc = load(ctx, id->valuestring);
        if (!doc) { /* nothing changes when any id is unknown */
            store_rollback(m->store);
            return 1;
        }
        if (*group)
            json_set(doc, "group", cJSON_CreateString(group));
        else
            cJSON_DeleteItemFromObjectCaseSensitive(doc, "group");
        if (rc == 0)
            rc = save(m, t, doc);
        cJSON_Delete(doc);
    }
    if (rc != 0) {
        store_rollback(m->store);
        return -1;
    }
    return store_commit(m->store) ? -1 : 0;
}
