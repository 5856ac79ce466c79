/* group_edit.c: the group-edit routes' request half (checking the body, answering) for the
 * families that have it; the change itself is groups.c's. */
#include "api/group_edit.h"
#include "engine/groups.h"
#include "base/http.h"

#include <stdio.h>

/* A family's load, which answers its own 404, behind the engine's plain callback. */
struct through {
    req *r;
    const struct group_family *f;
};

static cJSON *load_through(void *ctx, const char *id)
{
    struct through *c = ctx;
    return c->f->load(c->r, id);
}

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
    struct through ctx = {r, f};
    int rc = groups_set(r->m, r->t, ids, g, load_through, &ctx, f->save);
    if (rc > 0) /* the family's load answered its 404 */
        return r->status;
    if (rc < 0)
        return http_error(r, 500, "SERVER_ERROR", "could not update the group");
    return http_send(r, 204, "application/json; charset=utf-8", "", 0);
}
