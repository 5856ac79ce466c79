/* admin_datarefs.c: POST /__mock/datarefs/{refName}/records, filling a dataref as Refold's workflow runs would. */
#include "handlers.h"
#include "base/json.h"
#include "engine/datarefs.h"
#include "base/http.h"
#include "base/store.h"
#include "base/util.h"

static int not_found(req *r)
{
    return http_error(r, 404, "NOT_FOUND", "Dataref not found: no dataref %s for linked account %s", r->param[0], r->la);
}

/* route: POST /__mock/datarefs/{refName}/records (param[0] refName) */
/* POST /__mock/datarefs/{refName}/records (x-api-key + linked_account_id):
 * {"records": [{"record_id": "1", "email": "jane@example.com"}, ...]} upserts records, standing in
 * for the workflow runs that fill datarefs in Refold. */
int h_admin_dataref_records(req *r)
{
    if (!r->t)
        return http_error(r, 400, "BAD_REQUEST", "x-api-key is required: datarefs belong to a tenant");
    if (!r->la[0])
        return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required (header linked_account_id): datarefs belong to a linked account");
    if (!http_need_object(r))
        return r->status;
    const cJSON *recs = http_body_array(r, "records"), *rec;
    if (!recs)
        return r->status;
    int i = 0;
    cJSON_ArrayForEach(rec, recs) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "record_id");
        if (!cJSON_IsObject(rec))
            return http_error(r, 400, "BAD_REQUEST", "records[%d] must be an object", i);
        if (id && (!cJSON_IsString(id) || !*id->valuestring))
            return http_error(r, 400, "BAD_REQUEST", "records[%d].record_id must be a non-empty string", i);
        i++;
    }
    store_begin(r->m->store);
    cJSON *doc = datarefs_get(r->m, r->t, r->la, r->param[0]);
    if (!doc) {
        store_rollback(r->m->store);
        return not_found(r);
    }
    cJSON_Delete(doc);
    int rc = 0;
    cJSON_ArrayForEach(rec, recs)
        if (rc == 0)
            rc = datarefs_put_record(r->m, r->t, r->la, r->param[0], json_str(rec, "record_id"), rec, 0);
    if (rc != 0 || store_commit(r->m->store) != 0) {
        if (rc != 0)
            store_rollback(r->m->store);
        return http_error(r, 500, "SERVER_ERROR", "could not store the records");
    }
    doc = datarefs_get(r->m, r->t, r->la, r->param[0]);
    return doc ? http_json(r, 200, doc) : not_found(r);
}
