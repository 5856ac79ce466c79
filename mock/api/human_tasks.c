/* human_tasks.c: the public (no-auth) human-task form routes: read a waiting execution's form and
 * submit it, which resumes the execution. Tasks are created by executions.c. */
#include "engine/executions.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

#include <math.h>
#include <string.h>

/* The task with this id in whichever tenant holds it: the id is the only credential. */
static cJSON *find_task(req *r, const struct tenant **owner)
{
    cJSON *task = executions_find_task(r->m, r->param[0], owner);
    if (task)
        return task;
    /* human-tasks/get-human-task.mdx, ```json 404: SERVER_ERROR "Specified Form Not Found" */
    http_error_hint(r, 404, "SERVER_ERROR", "Specified Form Not Found", "no human task %s", r->param[0]);
    return NULL;
}

/* WAITING past its expiry counts as TIMEOUT even before the clock's timer has marked it. */
static const char *status_now(req *r, const cJSON *task)
{
    const char *status = json_str(task, "status");
    const char *exp = json_str(task, "expire_in");
    long long exp_ms = exp ? util_parse_iso8601(exp) : -1;
    if (status && !strcmp(status, "WAITING") && exp_ms >= 0 && clock_now_ms(r->m) >= exp_ms)
        return "TIMEOUT";
    return status ? status : "WAITING";
}

static cJSON *public_view(req *r, const cJSON *task)
{
    static const char *const internal[] = {"instance_id", "node_id", "org_id", "linked_account_id",
                                           "delayed_job_id", "associated_form_id", NULL};
    cJSON *o = cJSON_Duplicate(task, 1);
    for (int i = 0; internal[i]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(o, internal[i]);
    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "expire_in")))
        cJSON_DeleteItemFromObjectCaseSensitive(o, "expire_in"); /* a form without expiry */
    json_set(o, "status", cJSON_CreateString(status_now(r, task)));
    return o;
}

/* route: GET /api/v2/public/human-tasks/{id} (param[0] id) */
int h_get_human_task(req *r)
{
    const struct tenant *t;
    cJSON *task = find_task(r, &t);
    if (!task)
        return r->status;
    cJSON *out = public_view(r, task);
    cJSON_Delete(task);
    return http_json(r, 200, out);
}

/* Whether v has the JSON-schema type named (integer: a whole number). */
static int has_type(const cJSON *v, const char *type)
{
    if (!strcmp(type, "string"))
        return cJSON_IsString(v);
    if (!strcmp(type, "number"))
        return cJSON_IsNumber(v);
    if (!strcmp(type, "integer"))
        return cJSON_IsNumber(v) && floor(v->valuedouble) == v->valuedouble;
    if (!strcmp(type, "boolean"))
        return cJSON_IsBool(v);
    if (!strcmp(type, "object"))
        return cJSON_IsObject(v);
    if (!strcmp(type, "array"))
        return cJSON_IsArray(v);
    if (!strcmp(type, "null"))
        return cJSON_IsNull(v);
    return 1; /* a type this check does not know is not held against the answer */
}

/* Checks the answer against the form's JSON schema: required fields, read-only fields left as
 * the workflow set them, property types and enums. 0, or the 400 was sent. */
static int check_answer(req *r, const cJSON *form, const cJSON *prefilled, const cJSON *data, const cJSON *merged)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(form, "properties"), *p, *req_f;
    cJSON_ArrayForEach(p, props) {
        const cJSON *given = cJSON_GetObjectItemCaseSensitive(data, p->string);
        if (given && json_bool(p, "readOnly", 0)) {
            const cJSON *was = cJSON_GetObjectItemCaseSensitive(prefilled, p->string);
            if (!was || !cJSON_Compare(was, given, 1))
                return http_error(r, 400, "BAD_REQUEST", "%s is read-only and cannot be changed", p->string);
        }
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(merged, p->string);
        if (!v)
            continue;
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(p, "type");
        if (cJSON_IsString(type) && !has_type(v, type->valuestring))
            return http_error(r, 400, "BAD_REQUEST", "%s must be of type %s", p->string, type->valuestring);
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(p, "enum"), *e;
        if (cJSON_IsArray(en)) {
            int ok = 0;
            cJSON_ArrayForEach(e, en) ok |= cJSON_Compare(e, v, 1);
            if (!ok)
                return http_error(r, 400, "BAD_REQUEST", "%s must be one of the form's options", p->string);
        }
    }
    cJSON_ArrayForEach(req_f, cJSON_GetObjectItemCaseSensitive(form, "required")) {
        const cJSON *v = cJSON_IsString(req_f) ? cJSON_GetObjectItemCaseSensitive(merged, req_f->valuestring) : NULL;
        if (cJSON_IsString(req_f) && (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring)))
            return http_error(r, 400, "BAD_REQUEST", "Missing required field: %s", req_f->valuestring);
    }
    return 0;
}

/* route: POST /api/v2/public/human-tasks/{id} (param[0] id) */
int h_submit_human_task(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *data = http_body_obj(r, "data");
    if (!data)
        return r->status;
    const struct tenant *t;
    cJSON *task = find_task(r, &t);
    if (!task)
        return r->status;
    const char *status = status_now(r, task);
    if (strcmp(status, "WAITING")) {
        const char *why = strcmp(status, "TIMEOUT") ? "Form has already been submitted" : "Form has expired";
        cJSON_Delete(task);
        return http_error(r, 400, "SERVER_ERROR", "%s", why);
    }
    /* The answer completes what the workflow prefilled. */
    const cJSON *prefilled = cJSON_GetObjectItemCaseSensitive(task, "data"), *f;
    cJSON *merged = cJSON_IsObject(prefilled) ? cJSON_Duplicate(prefilled, 1) : cJSON_CreateObject();
    cJSON_ArrayForEach(f, data)
        json_set(merged, f->string, cJSON_Duplicate(f, 1));
    if (check_answer(r, cJSON_GetObjectItemCaseSensitive(task, "form_structure"), prefilled, data, merged)) {
        cJSON_Delete(merged);
        cJSON_Delete(task);
        return r->status;
    }
    int rc = executions_resume(r->m, t, json_str(task, "instance_id"), merged);
    cJSON_Delete(merged);
    cJSON_Delete(task);
    if (rc == EXEC_NOT_WAITING)
        return http_error(r, 400, "BAD_REQUEST", "Form is no longer waiting: its execution has moved on");
    if (rc == EXEC_NOT_FOUND)
        return http_error_hint(r, 404, "SERVER_ERROR", "Specified Form Not Found", "its execution no longer exists");
    if (rc != EXEC_OK)
        return http_error(r, 500, "SERVER_ERROR", "could not record the answer");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Form submitted successfully");
    return http_json(r, 200, out);
}
