/* workflows_api.c: the workflow routes (public fixture and private per linked account workflows,
 * workflows.c): create, list, get, draft, publish/unpublish with versions, request structure,
 * enabled list, delete, execute. */
#include "engine/executions.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"
#include "engine/workflow_defs.h"
#include "engine/workflows.h"
#include "engine/configs.h"
#include "handlers.h"
#include "base/pattern.h"

#include <civetweb.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int not_found(req *r) { return http_error(r, 404, "SERVER_ERROR", "Workflow not found"); }

/* The Workflow view of a stored or fixture document. */
static cJSON *view(const cJSON *doc, int strip_owner)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    if (strip_owner)
        cJSON_DeleteItemFromObjectCaseSensitive(o, "linked_account_id");
    return o;
}

static int need_la(req *r)
{
    if (r->la[0])
        return 0;
    return http_error(r, 400, "BAD_REQUEST", "linked_account_id is required (header linked_account_id, or a session token)");
}

/* ---- create ---- */

/* The mock's "run" extension (see executions.h): 0, or the 400 it answered. */
static int check_run(req *r, const cJSON *run)
{
    if (!run)
        return 0;
    if (!cJSON_IsObject(run))
        return http_error(r, 400, "BAD_REQUEST", "run must be an object (see the README: duration_seconds, outcome, error, human_task)");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(run, "duration_seconds");
    if (d && (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 31536000))
        return http_error(r, 400, "BAD_REQUEST", "run.duration_seconds must be a number of seconds from 0 to 31536000");
    const char *o = json_str(run, "outcome");
    if (cJSON_GetObjectItemCaseSensitive(run, "outcome") && (!o || (strcmp(o, "completed") && strcmp(o, "errored"))))
        return http_error(r, 400, "BAD_REQUEST", "run.outcome must be \"completed\" or \"errored\"");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(run, "timeout_seconds");
    if (to && (!cJSON_IsNumber(to) || to->valuedouble <= 0 || to->valuedouble > 31536000))
        return http_error(r, 400, "BAD_REQUEST", "run.timeout_seconds must be a number of seconds from 1 to 31536000");
    const cJSON *ht = cJSON_GetObjectItemCaseSensitive(run, "human_task");
    if (ht && !cJSON_IsObject(ht))
        return http_error(r, 400, "BAD_REQUEST", "run.human_task must be an object");
    return 0;
}

/* route: POST /api/v2/public/workflow */
int h_create_workflow(req *r)
{
    if (need_la(r) || !http_need_object(r))
        return r->status;
    const cJSON *b = r->body;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "name");
    if (!cJSON_IsString(name) || !*name->valuestring)
        return http_error(r, 400, "BAD_REQUEST", name ? "name must be a non-empty string" : "name is required");
    const cJSON *app = NULL;
    const char *slug = json_str(b, "slug"), *app_id = json_str(b, "associated_application");
    if (slug && !(app = fixtures_app(r->m->fx, slug)))
        return http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", slug, r->t->org_id);
    if (!app && app_id && !(app = workflows_app_by_id(r->m, app_id)) && strcmp(app_id, r->t->org_id))
        return http_error(r, 404, "INVALID_APP_ID", "Application %s not found for org %s", app_id, r->t->org_id);
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(b, "nodes"), *edges = cJSON_GetObjectItemCaseSensitive(b, "edges");
    if ((nodes && !cJSON_IsArray(nodes)) || (edges && !cJSON_IsArray(edges)))
        return http_error(r, 400, "BAD_REQUEST", "nodes and edges must be arrays");
    const cJSON *n;
    cJSON_ArrayForEach(n, nodes) if (!cJSON_IsObject(n))
        return http_error(r, 400, "BAD_REQUEST", "every node must be an object");
    const cJSON *trigger = cJSON_GetObjectItemCaseSensitive(b, "trigger");
    if (!trigger) /* or on the start node, as the builder stores it */
        trigger = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(nodes, 0), "data"), "trigger");
    if (trigger && (!cJSON_IsObject(trigger) || (cJSON_GetObjectItemCaseSensitive(trigger, "event") && !json_str(trigger, "event"))))
        return http_error(r, 400, "BAD_REQUEST", "trigger must be an object like {\"event\": \"candidate_created\"}");
    if (check_run(r, cJSON_GetObjectItemCaseSensitive(b, "run")))
        return r->status;
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(b, "settings");
    const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(settings, "timeout");
    if ((settings && !cJSON_IsObject(settings)) ||
        (timeout && (!cJSON_IsNumber(timeout) || timeout->valuedouble < 1 || timeout->valuedouble > 31536000 ||
                     timeout->valuedouble != (double)(long long)timeout->valuedouble)))
        return http_error(r, 400, "BAD_REQUEST", "settings must be an object; settings.timeout a whole number of seconds from 1 to 31536000");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(b, "json_schema");
    if (schema && !cJSON_IsObject(schema) && !cJSON_IsNull(schema))
        return http_error(r, 400, "BAD_REQUEST", "json_schema must be an object");

    cJSON *d;
    if (workflows_create(r->m, r->t, r->la, b, app, trigger, &d))
        return http_error(r, 500, "SERVER_ERROR", "could not store the workflow");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "workflow", view(d, 0));
    cJSON_Delete(d);
    return http_json(r, 200, out);
}

/* ---- list ---- */

struct wf_filter {
    const char *app_id, *slug;
    int published; /* -1 any */
    long long from, to;
    struct pattern name;
    int has_name;
    long long budget; /* what matching the name may still cost */
};

static int parse_date(req *r, const char *name, long long *out)
{
    char v[64];
    *out = -1;
    if (!http_query(r, name, v, sizeof v) || !*v)
        return 0;
    *out = util_parse_iso8601(v);
    if (*out < 0)
        return http_error(r, 400, "BAD_REQUEST", "%s must be an ISO 8601 date-time (e.g. 2026-06-16T13:15:00.000Z)", name);
    return 0;
}

/* 1, 0, or -1 when the name's match budget is spent */
static int matches(const cJSON *d, struct wf_filter *f)
{
    if (f->app_id && (!json_str(d, "associated_application") || strcmp(json_str(d, "associated_application"), f->app_id)))
        return 0;
    if (f->slug && (!json_str(d, "slug") || strcmp(json_str(d, "slug"), f->slug)))
        return 0;
    if (f->published >= 0 && json_bool(d, "published", 0) != f->published)
        return 0;
    if (f->has_name) {
        int hit = pattern_match(&f->name, json_str(d, "name") ? json_str(d, "name") : "", &f->budget);
        if (hit <= 0)
            return hit;
    }
    if (f->from >= 0 || f->to >= 0) {
        long long at = json_str(d, "createdAt") ? util_parse_iso8601(json_str(d, "createdAt")) : -1;
        if (at < 0 || (f->from >= 0 && at < f->from) || (f->to >= 0 && at > f->to))
            return 0;
    }
    return 1;
}

/* route: GET /api/v2/public/workflow */
int h_list_workflows(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char scope[16] = "", app_id[64] = "", slug[64] = "", pub[8] = "";
    http_query(r, "scope", scope, sizeof scope);
    if (*scope && strcmp(scope, "private"))
        return http_error(r, 400, "BAD_REQUEST", "scope must be \"private\" (or left out for public workflows)");
    int priv = !strcmp(scope, "private");
    if (priv && need_la(r))
        return r->status;
    struct wf_filter f = {.published = -1};
    if (http_query(r, "application_id", app_id, sizeof app_id) && *app_id)
        f.app_id = app_id;
    if (http_query(r, "slug", slug, sizeof slug) && *slug)
        f.slug = slug;
    if (http_query(r, "published", pub, sizeof pub) && *pub) {
        if (strcmp(pub, "true") && strcmp(pub, "false"))
            return http_error(r, 400, "BAD_REQUEST", "published must be true or false");
        f.published = !strcmp(pub, "true");
    }
    if (parse_date(r, "start_date", &f.from) || parse_date(r, "end_date", &f.to))
        return r->status;
    f.budget = PATTERN_MATCH_BUDGET;
    if ((f.has_name = http_query_pattern(r, "name", &f.name)) < 0)
        return r->status;
    cJSON *all;
    if (priv) {
        all = workflows_list(r->m, r->t, r->la, NULL);
    } else {
        all = workflow_defs_public_list(r->m, r->t, NULL);
    }
    cJSON *docs = cJSON_CreateArray(), *d;
    int total = 0, skip = (int)((page - 1) * limit), hit = 1;
    cJSON_ArrayForEach(d, all) {
        /* A published workflow stands for its draft: list the draft only until it is published. */
        if (json_bool(d, "is_draft", 0) && json_str(d, "associated_workflow"))
            continue;
        if ((hit = matches(d, &f)) <= 0) {
            if (hit < 0)
                break;
            continue;
        }
        if (total++ >= skip && cJSON_GetArraySize(docs) < limit)
            cJSON_AddItemToArray(docs, view(d, 0));
    }
    cJSON_Delete(all);
    if (f.has_name)
        pattern_free(&f.name);
    if (hit < 0) {
        cJSON_Delete(docs);
        return http_error_hint(r, 400, "BAD_REQUEST", PATTERN_BUDGET_MESSAGE, "%s", PATTERN_LIMITS_HINT);
    }
    cJSON *out = cJSON_CreateObject();
    /* The merged schema the spec describes: every listed workflow's payload properties in one. */
    cJSON *merged = cJSON_CreateObject(), *props = cJSON_CreateObject(), *d2;
    cJSON_AddStringToObject(merged, "type", "object");
    cJSON_ArrayForEach(d2, docs) {
        const cJSON *p, *js = cJSON_GetObjectItemCaseSensitive(d2, "json_schema");
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(js, "properties"))
            if (!cJSON_HasObjectItem(props, p->string))
                cJSON_AddItemToObject(props, p->string, cJSON_Duplicate(p, 1));
    }
    cJSON_AddItemToObject(merged, "properties", props);
    cJSON_AddItemToObject(out, "docs", docs);
    cJSON_AddItemToObject(out, "schema", merged);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* ---- read ---- */

/* route: GET /api/v2/public/workflow/{workflowId} (param[0] workflowId) */
int h_get_workflow(req *r)
{
    struct wf w;
    if (workflow_defs_find(r->m, r->t, r->param[0], &w))
        return not_found(r);
    const char *owner = json_str(w.doc, "linked_account_id");
    if (w.is_private && (!r->la[0] || !owner || strcmp(owner, r->la))) {
        workflow_defs_free(&w);
        return http_error(r, 403, "SERVER_ERROR", "Workflow is private to another linked account");
    }
    cJSON *out = view(w.doc, 1);
    workflow_defs_free(&w);
    return http_json(r, 200, out);
}

/* The draft of a private workflow: itself, or the published one's draft (cloned when gone). */
/* route: GET /api/v2/public/workflow/{workflowId}/edit (param[0] workflowId) */
int h_get_draft_workflow(req *r)
{
    cJSON *draft;
    switch (workflows_draft(r->m, r->t, r->la, r->param[0], &draft)) {
    case WORKFLOWS_OK:
        break;
    case WORKFLOWS_NOT_FOUND:
        return not_found(r);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not store the draft");
    }
    cJSON *out = view(draft, 1);
    cJSON_Delete(draft);
    return http_json(r, 200, out);
}

/* ---- publish, versions, delete ---- */

/* route: PUT /api/v2/public/workflow/{workflowId}/publish (param[0] workflowId) */
int h_publish_workflow(req *r)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(r->body, "published");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(r->body, "version");
    if (!cJSON_IsBool(pub))
        return http_error(r, 400, "BAD_REQUEST", pub ? "published must be true or false" : "published is required");
    if (ver && (!cJSON_IsNumber(ver) || ver->valuedouble < 1 || ver->valuedouble != (double)ver->valueint))
        return http_error(r, 400, "BAD_REQUEST", "version must be a positive integer");
    cJSON *p;
    int rc = cJSON_IsFalse(pub) ? workflows_unpublish(r->m, r->t, r->la, r->param[0], &p)
                                : workflows_publish(r->m, r->t, r->la, r->param[0], ver ? ver->valueint : 0, &p);
    switch (rc) {
    case WORKFLOWS_OK:
        break;
    case WORKFLOWS_NOT_FOUND:
        return not_found(r);
    case WORKFLOWS_NOT_PUBLISHED:
        return http_error(r, 400, "INVALID_WORKFLOW_ID", "Only public and published workflows can be unpublished");
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not store the workflow");
    }
    cJSON *out = view(p, 1);
    cJSON_Delete(p);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/workflow/versions/{workflowId} (param[0] workflowId) */
int h_list_workflow_versions(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    cJSON *vs, *v;
    if (workflows_versions(r->m, r->t, r->la, r->param[0], &vs))
        return not_found(r);
    /* (workflows_versions lists them newest first) */
    cJSON *docs = cJSON_CreateArray();
    int total = 0, skip = (int)((page - 1) * limit);
    cJSON_ArrayForEach(v, vs)
        if (total++ >= skip && cJSON_GetArraySize(docs) < limit)
            cJSON_AddItemToArray(docs, cJSON_Duplicate(v, 1));
    cJSON_Delete(vs);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: DELETE /api/v2/public/workflow/{workflowId} (param[0] workflowId) */
int h_delete_workflow(req *r)
{
    switch (workflows_delete(r->m, r->t, r->la, r->param[0])) {
    case WORKFLOWS_OK:
        break;
    case WORKFLOWS_IS_VERSION:
        return http_error(r, 400, "SERVER_ERROR", "Workflow is a version workflow.");
    case WORKFLOWS_NOT_FOUND: {
        struct wf w;
        if (!workflow_defs_find(r->m, r->t, r->param[0], &w)) {
            workflow_defs_free(&w);
            return http_error(r, 403, "FORBIDDEN", "Workflow %s is a public workflow of the org; only private workflows are deleted here",
                              r->param[0]);
        }
        return not_found(r);
    }
    case WORKFLOWS_NOT_OWNER:
        return not_found(r);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not delete the workflow");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "success", 1);
    cJSON_AddBoolToObject(out, "triggers_deregistered", 1);
    cJSON_AddStringToObject(out, "message", "Workflow deleted");
    cJSON_AddBoolToObject(out, "successfullyDeletedTriggers", 1);
    return http_json(r, 200, out);
}

/* ---- execute, enabled, request structure ---- */

/* include-headers (header or query "true"): the spec's "sanitized request headers": every
 * request header by its lowercase name except the credentials (x-api-key, authorization, cookie). */
static void add_request_headers(req *r, cJSON *out)
{
    char q[8] = "";
    const char *h = http_header(r, "include-headers");
    http_query(r, "include-headers", q, sizeof q);
    if (!(h && !strcmp(h, "true")) && strcmp(q, "true"))
        return;
    cJSON *hs = cJSON_CreateObject();
    for (int i = 0; i < r->ri->num_headers; i++) {
        char name[128];
        util_copy(name, sizeof name, r->ri->http_headers[i].name);
        for (char *p = name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!strcmp(name, "x-api-key") || !strcmp(name, "authorization") || !strcmp(name, "cookie"))
            continue;
        json_set(hs, name, cJSON_CreateString(r->ri->http_headers[i].value));
    }
    cJSON_AddItemToObject(out, "headers", hs);
}

/* route: POST /api/v2/public/workflow/{workflowId}/execute (param[0] workflowId) */
int h_execute_workflow(req *r)
{
    if (need_la(r))
        return r->status;
    const char *slug = http_header(r, "slug");
    if (!slug || !*slug)
        /* workflows/execute-workflow.mdx: {"message": "Server Error", "error": "Workflow ID and slug are required"} */
        return http_error_env(r, 400, NULL, "SERVER_ERROR", "Workflow ID and slug are required", "Server Error",
                              "send the slug header: the application the workflow belongs to");
    if (r->body && !cJSON_IsObject(r->body))
        return http_error(r, 400, "BAD_REQUEST", "the request body must be a JSON object (the workflow's payload)");
    struct wf w;
    if (workflow_defs_find(r->m, r->t, r->param[0], &w))
        return not_found(r);
    const char *wslug = workflow_defs_slug(w.doc);
    int mismatch = wslug && strcmp(wslug, slug);
    char wslug_copy[64];
    util_copy(wslug_copy, sizeof wslug_copy, wslug ? wslug : "");
    workflow_defs_free(&w);
    if (mismatch)
        return http_error(r, 400, "BAD_REQUEST", "Workflow %s belongs to application %s, not %s", r->param[0], wslug_copy, slug);
    const char *sync_h = http_header(r, "sync_execution"), *cfg = http_header(r, "config_id"), *tag = http_header(r, "instance_tag");
    int sync = sync_h && !strcmp(sync_h, "true");
    struct exec_start s = {
        .la = r->la, .workflow_id = r->param[0], .config_id = cfg && *cfg && strlen(cfg) < MOCK_ID_LEN ? cfg : NULL,
        .input = r->body, .source = EXEC_SOURCE_API, .instance_tag = tag && *tag ? tag : NULL, .sync = sync,
    };
    char id[25];
    switch (executions_run(r->m, r->t, &s, id)) {
    case EXEC_OK:
        break;
    case EXEC_NOT_PUBLISHED:
        return http_error(r, 400, "INVALID_WORKFLOW_ID", "Workflow %s is not published; publish it (with its draft id) first", r->param[0]);
    case EXEC_NOT_OWNER:
    case EXEC_NO_WORKFLOW:
        return not_found(r);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not start the execution");
    }
    cJSON *out = cJSON_CreateObject();
    if (!sync) {
        cJSON_AddStringToObject(out, "message", "Workflow execution started");
        cJSON_AddStringToObject(out, "execution_id", id);
        add_request_headers(r, out);
        return http_json(r, 200, out);
    }
    cJSON *ex = executions_get(r->m, r->t, id);
    const char *status = json_str(ex, "status") ? json_str(ex, "status") : "RUNNING";
    int errored = !strcmp(status, "ERRORED");
    const cJSON *rv = cJSON_GetObjectItemCaseSensitive(ex, "return_value");
    cJSON_AddStringToObject(out, "execution_id", id);
    cJSON_AddStringToObject(out, "status", status);
    cJSON_AddItemToObject(out, "return_value", rv ? cJSON_Duplicate(rv, 1) : cJSON_CreateNull());
    cJSON_AddBoolToObject(out, "errored", errored);
    cJSON_AddNumberToObject(out, "status_code", errored ? 500 : 200);
    cJSON_AddBoolToObject(out, "executed_by_thanos", 0);
    if (errored)
        cJSON_AddItemToObject(out, "execution_error", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(ex, "execution_error"), 1));
    cJSON_Delete(ex);
    add_request_headers(r, out);
    return http_json(r, 200, out);
}

static cJSON *enabled_entry(const cJSON *def, const char *config_id, cJSON *application)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", json_str(def, "id") ? json_str(def, "id") : json_str(def, "_id"));
    cJSON_AddStringToObject(o, "name", json_str(def, "name") ? json_str(def, "name") : "");
    cJSON_AddStringToObject(o, "description", json_str(def, "description") ? json_str(def, "description") : "");
    cJSON_AddStringToObject(o, "icon", json_str(def, "icon") ? json_str(def, "icon") : "");
    cJSON_AddStringToObject(o, "config_id", config_id);
    cJSON_AddItemToObject(o, "application", application);
    return o;
}

/* route: GET /api/v2/public/workflow/enabled */
int h_list_enabled_workflows(req *r)
{
    if (need_la(r))
        return r->status;
    cJSON *out = cJSON_CreateArray();
    cJSON *cfgs = configs_list(r->m, r->t, r->la, NULL), *c;
    cJSON_ArrayForEach(c, cfgs) {
        const cJSON *app = fixtures_app(r->m->fx, json_str(c, "slug"));
        if (!app)
            continue;
        cJSON *defs = configs_workflow_defs(r->m, r->t, r->la, app), *d;
        cJSON_ArrayForEach(d, defs)
            if (configs_workflow_enabled(c, d))
                cJSON_AddItemToArray(out, enabled_entry(d, json_str(c, "config_id"), workflow_defs_app_summary(r->t, app)));
        cJSON_Delete(defs);
    }
    cJSON_Delete(cfgs);
    /* Published private workflows of the default custom app have no config: always on. */
    cJSON *priv = workflows_list(r->m, r->t, r->la, NULL), *p;
    cJSON_ArrayForEach(p, priv)
        if (!workflow_defs_slug(p) && json_bool(p, "published", 0) && !json_bool(p, "is_draft", 0))
            cJSON_AddItemToArray(out, enabled_entry(p, r->la, workflow_defs_app_summary(r->t, NULL)));
    cJSON_Delete(priv);
    return http_json(r, 200, out);
}

/* {"email": "string (required)"} from a JSON schema's properties, nested objects included. */
static cJSON *interpret(const cJSON *schema, int depth)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties"), *p, *req_;
    if (!cJSON_IsObject(props) || depth > 8)
        return NULL;
    cJSON *out = cJSON_CreateObject();
    cJSON_ArrayForEach(p, props) {
        int required = 0;
        cJSON_ArrayForEach(req_, cJSON_GetObjectItemCaseSensitive(schema, "required"))
            required |= cJSON_IsString(req_) && !strcmp(req_->valuestring, p->string);
        cJSON *nested = interpret(p, depth + 1);
        if (nested) {
            cJSON_AddItemToObject(out, p->string, nested);
            continue;
        }
        char s[128];
        snprintf(s, sizeof s, "%s%s", json_str(p, "type") ? json_str(p, "type") : "any", required ? " (required)" : "");
        cJSON_AddStringToObject(out, p->string, s);
    }
    return out;
}

/* route: GET /api/v2/public/workflow/request-structure/{workflowId} (param[0] workflowId) */
int h_get_workflow_request_structure(req *r)
{
    struct wf w;
    if (workflow_defs_find(r->m, r->t, r->param[0], &w))
        return not_found(r);
    const char *owner = json_str(w.doc, "linked_account_id");
    if (w.is_private && (!owner || strcmp(owner, r->la))) {
        workflow_defs_free(&w);
        return not_found(r);
    }
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(w.doc, "manual_execution_payload");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(w.doc, "json_schema");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "payload", payload ? cJSON_Duplicate(payload, 1) : cJSON_CreateNull());
    cJSON_AddItemToObject(out, "schema", cJSON_IsObject(schema) ? cJSON_Duplicate(schema, 1) : cJSON_CreateNull());
    cJSON *interp = cJSON_IsObject(schema) ? interpret(schema, 0) : NULL;
    cJSON_AddItemToObject(out, "schema_interpreted", interp ? interp : cJSON_CreateNull());
    workflow_defs_free(&w);
    return http_json(r, 200, out);
}
