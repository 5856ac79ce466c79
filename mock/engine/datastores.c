/* datastores.c: config datastores: the records fixtures declare per app, listed and searched as Refold answers them. */
#include "engine/datastores.h"
#include "engine/fixtures.h"
#include "base/json.h"

const cJSON *datastores_of_app(struct mock *m, const char *slug)
{
    const cJSON *app = fixtures_app(m->fx, slug);
    if (!app)
        return NULL;
    /* An app whose workflows never wrote anything has no datastores: an empty object. */
    static const cJSON none = {.type = cJSON_Object};
    const cJSON *stores = cJSON_GetObjectItemCaseSensitive(app, "datastores");
    return stores ? stores : &none;
}

cJSON *datastores_names(const cJSON *stores)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *ds;
    cJSON_ArrayForEach(ds, stores)
        cJSON_AddItemToArray(out, cJSON_CreateString(ds->string));
    return out;
}

/* A record as answered: the v2 reference names its id record_id (its datastore pages), the current
 * page id; both are sent, the same value. */
static cJSON *record_view(const cJSON *rec)
{
    cJSON *out = cJSON_Duplicate(rec, 1);
    const char *id = json_str(rec, "id");
    if (id && !cJSON_GetObjectItemCaseSensitive(out, "record_id"))
        cJSON_AddStringToObject(out, "record_id", id);
    return out;
}

cJSON *datastores_records(const cJSON *ds)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *rec;
    cJSON_ArrayForEach(rec, ds)
        cJSON_AddItemToArray(out, record_view(rec));
    return out;
}

int datastores_search(const cJSON *ds, struct record_filter *f, cJSON **out)
{
    cJSON *hits = cJSON_CreateArray();
    const cJSON *rec;
    int ok = 1;
    cJSON_ArrayForEach(rec, ds)
        if ((ok = record_filter_match(f, rec)) < 0)
            break;
        else if (ok)
            cJSON_AddItemToArray(hits, record_view(rec));
    if (ok < 0) {
        cJSON_Delete(hits);
        *out = NULL;
        return -1;
    }
    *out = hits;
    return 0;
}
