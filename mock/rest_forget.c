/* rest_forget.c: deleting a linked account takes its datarefs, schedules, env values, tables, PATs and the webhooks its session tokens registered. */
#include "rest_forget.h"
#include "json.h"
#include "pats.h"
#include "schedules.h"
#include "store.h"
#include "subscriptions.h"
#include "util.h"

void rest_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_begin(m->store);
    store_del_children(m->store, t->id, "dataref", la);
    store_del_children(m->store, t->id, SCHEDULE_KIND, la);
    cJSON *values = store_list(m->store, t->id, "env_value", NULL, "linked_account_id", la, 0, 0, NULL), *v;
    cJSON_ArrayForEach(v, values)
        store_del(m->store, t->id, "env_value", json_str(v, "_id"));
    cJSON_Delete(values);
    cJSON *tables = store_list(m->store, t->id, "ptable", NULL, "linked_account_id", la, 0, 0, NULL), *tb;
    cJSON_ArrayForEach(tb, tables) {
        store_del_children(m->store, t->id, "ptable_record", json_str(tb, "_id"));
        store_del(m->store, t->id, "ptable", json_str(tb, "_id"));
    }
    cJSON_Delete(tables);
    pats_revoke(m, t, la); /* the docs: deleting the linked account revokes all its tokens */
    subscriptions_forget_linked_account(m, t, la); /* the webhooks its session tokens registered */
    store_commit(m->store);
}
