/* events.c: custom event definitions: the fixtures' events seeded on first use, define, update, delete, look up. */
#include "engine/events.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stored as kind "event", id = _id: {"_id","name","response":[{"key","type"}],"raw_response",
 * "json_schema"?,"createdAt","updatedAt"}; the seed's marker is kind "event_seed". */
#define KIND "event"
#define SEED_KIND "event_seed"

/* ---- response keys: a sample payload flattened into [{key, type}] ---- */

static const char *type_of(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return "number";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsObject(v))
        return "object";
    if (cJSON_IsArray(v))
        return "array";
    return "text";
}

static void flatten(cJSON *out, const cJSON *obj, const char *prefix, int depth)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, obj) {
        char key[256];
        if (snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", e->string) >= (int)sizeof key)
            continue; /* a key path this long is no payload a workflow reads */
        cJSON *k = cJSON_CreateObject();
        cJSON_AddStringToObject(k, "key", key);
        cJSON_AddStringToObject(k, "type", type_of(e));
        cJSON_AddItemToArray(out, k);
        if (cJSON_IsObject(e) && depth < 8)
            flatten(out, e, key, depth + 1);
    }
}

cJSON *events_keys(const cJSON *sample)
{
    cJSON *out = cJSON_CreateArray();
    flatten(out, sample, "", 0);
    return out;
}

/* ---- storage ---- */

/* Events the app fixtures' workflows are bound to exist from the start, as if the org had
 * defined them: firing one works without defining it first. Seeded once per tenant (reset
 * wipes the marker with everything else). A fixture's sample is an object (fixtures/README) or
 * a JSON string of one; anything else gives no response keys. */
static void seed(struct mock *m, const struct tenant *t)
{
    if (store_exists(m->store, t->id, SEED_KIND, "fixtures"))
        return;
    store_begin(m->store);
    if (!store_exists(m->store, t->id, SEED_KIND, "fixtures")) {
        char at[32];
        util_iso8601(clock_now_ms(m), at);
        const cJSON *app, *fw;
        cJSON_ArrayForEach(app, m->fx->apps) {
            cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "config"), "workflows")) {
                const cJSON *trig = cJSON_GetObjectItemCaseSensitive(fw, "trigger");
                const char *name = json_str(trig, "event");
                if (!name)
                    continue;
                int total = 0;
                cJSON_Delete(store_list(m->store, t->id, KIND, NULL, "name", name, 0, 1, &total));
                if (total)
                    continue;
                char id[25];
                util_new_id(id);
                cJSON *ev = cJSON_CreateObject();
                cJSON_AddStringToObject(ev, "_id", id);
                cJSON_AddStringToObject(ev, "name", name);
                const cJSON *sample = cJSON_GetObjectItemCaseSensitive(trig, "sample");
                cJSON *parsed = NULL; /* a sample given as a JSON string, as the docs write it */
                if (cJSON_IsString(sample) && json_depth(sample->valuestring, strlen(sample->valuestring)) <= JSON_MAX_DEPTH)
                    parsed = json_parse(sample->valuestring);
                const cJSON *keys_of = cJSON_IsObject(parsed) ? parsed : sample;
                cJSON_AddItemToObject(ev, "response", cJSON_IsObject(keys_of) ? events_keys(keys_of) : cJSON_CreateArray());
                cJSON_Delete(parsed);
                char *raw = sample ? json_print(sample) : NULL;
                cJSON_AddStringToObject(ev, "raw_response", raw ? raw : "{}");
                free(raw);
                cJSON_AddStringToObject(ev, "createdAt", at);
                cJSON_AddStringToObject(ev, "updatedAt", at);
                store_put(m->store, t->id, KIND, id, NULL, ev);
                cJSON_Delete(ev);
            }
        }
        cJSON *mark = cJSON_CreateObject();
        store_put(m->store, t->id, SEED_KIND, "fixtures", NULL, mark);
        cJSON_Delete(mark);
    }
    store_commit(m->store);
}

/* The stored documents are already what the pages show: the spec types `response` as a string,
 * the events pages (events/get-event.mdx, ...) show the flattened keys [{"key", "type"}], and the
 * page wins (tests/contract/overrides.json). */
cJSON *events_list(struct mock *m, const struct tenant *t)
{
    seed(m, t);
    return store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 0, NULL);
}

cJSON *events_get(struct mock *m, const struct tenant *t, const char *id)
{
    seed(m, t);
    return store_get(m->store, t->id, KIND, id);
}

cJSON *events_by_name(struct mock *m, const struct tenant *t, const char *name)
{
    seed(m, t);
    cJSON *l = store_list(m->store, t->id, KIND, NULL, "name", name, 0, 1, NULL);
    cJSON *e = cJSON_DetachItemFromArray(l, 0);
    cJSON_Delete(l);
    return e;
}

cJSON *events_new(struct mock *m)
{
    char id[25], at[32];
    util_new_id(id);
    util_iso8601(clock_now_ms(m), at);
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddStringToObject(ev, "_id", id);
    cJSON_AddStringToObject(ev, "createdAt", at);
    return ev;
}

int events_save(struct mock *m, const struct tenant *t, cJSON *ev, int update, const char *name, const cJSON *response,
                const cJSON *sample, const cJSON *schema)
{
    const char *id = json_str(ev, "_id");
    store_begin(m->store);
    if (update && !store_exists(m->store, t->id, KIND, id)) {
        store_rollback(m->store);
        return 1;
    }
    cJSON *same = events_by_name(m, t, name);
    int clash = same && (!update || strcmp(json_str(same, "_id"), id));
    cJSON_Delete(same);
    if (clash) {
        store_rollback(m->store);
        return 2;
    }
    json_set(ev, "name", cJSON_CreateString(name));
    json_set(ev, "response", events_keys(sample));
    /* the sample as given (the v2 reference's and the backend SDK's raw_response) */
    char *raw = cJSON_IsString(response) ? NULL : json_print(response);
    json_set(ev, "raw_response", cJSON_CreateString(raw ? raw : response->valuestring));
    free(raw);
    if (schema)
        json_set(ev, "json_schema", cJSON_Duplicate(schema, 1));
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    json_set(ev, "updatedAt", cJSON_CreateString(at));
    if (store_put(m->store, t->id, KIND, id, NULL, ev)) {
        store_rollback(m->store);
        return -1;
    }
    return store_commit(m->store) ? -1 : 0;
}

int events_delete(struct mock *m, const struct tenant *t, const char *id)
{
    seed(m, t);
    store_begin(m->store);
    int found = store_del(m->store, t->id, KIND, id);
    if (store_commit(m->store))
        return -1;
    return found ? 0 : 1;
}
