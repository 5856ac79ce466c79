/* executions_api.c: listing, reading, stopping and rerunning workflow executions, and a batch
 * node's batches. The runs themselves live in executions.c (engine). */
#include "engine/executions.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"
#include "handlers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int not_found(req *r) { return http_error(r, 404, "RESOURCE_NOT_FOUND", "Execution not found"); }

/* The stored execution, when it exists and the caller may see it (a linked account sees its own
 * only); NULL after answering 404. */
static cJSON *load(req *r, const char *id)
{
    cJSON *doc = executions_find(r->m, r->t, id, r->la);
    if (!doc)
        not_found(r);
    return doc;
}

static int date_q(req *r, const char *name, long long *out)
{
    char v[64];
    *out = -1;
    if (!http_query(r, name, v, sizeof v) || !*v)
        return 0;
    *out = util_parse_iso8601(v);
    return *out < 0 ? http_error(r, 400, "BAD_REQUEST", "%s must be an ISO 8601 date-time (e.g. 2026-06-16T13:15:00.000Z)", name) : 0;
}

/* route: GET /api/v2/public/execution */
int h_list_executions(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    struct exec_filter f;
    memset(&f, 0, sizeof f);
    http_query(r, "slug", f.slug, sizeof f.slug);
    http_query(r, "status", f.status, sizeof f.status);
    http_query(r, "workflow_name", f.wname, sizeof f.wname);
    http_query(r, "workflow_id", f.wid, sizeof f.wid);
    http_query(r, "execution_id", f.eid, sizeof f.eid);
    http_query(r, "execution_type", f.type, sizeof f.type);
    http_query(r, "execution_source", f.source, sizeof f.source);
    /* "All" is no filter: the v2 reference's default for both (executions/list-executions.mdx,
     * whose example sends status=All&execution_source=All); the current page is silent on it. */
    if (!strcasecmp(f.source, "All"))
        *f.source = 0;
    if (!strcasecmp(f.status, "All"))
        *f.status = 0;
    if (*f.source && strcmp(f.source, EXEC_SOURCE_API) && strcmp(f.source, EXEC_SOURCE_SCHEDULE) && strcmp(f.source, EXEC_SOURCE_EVENT))
        return http_error(r, 400, "BAD_REQUEST", "execution_source must be API_CALL, SCHEDULE or Event");
    char sort[8] = "";
    http_query(r, "sortAsc", sort, sizeof sort);
    if (*sort && strcmp(sort, "true") && strcmp(sort, "false"))
        return http_error(r, 400, "BAD_REQUEST", "sortAsc must be true or false");
    if (date_q(r, "start_date", &f.from) || date_q(r, "end_date", &f.to))
        return r->status;
    int total = 0;
    /* With a linked account: its executions; with the org key alone: the whole environment's. */
    cJSON *docs = executions_list(r->m, r->t, r->la, &f, !strcmp(sort, "true"), (int)((page - 1) * limit), (int)limit, &total);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/execution/{execution_id} (param[0] execution_id) */
int h_get_execution(req *r)
{
    cJSON *doc = load(r, r->param[0]);
    if (!doc)
        return r->status;
    cJSON *out = executions_public(doc);
    cJSON_Delete(doc);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/execution/{execution_id}/nodes/{node_id}/batches (param[0] execution_id; param[1] node_id) */
int h_list_execution_batches(req *r)
{
    long page, limit;
    if (http_query_int(r, "page", 1, 1, 1000000, &page) || http_query_int(r, "limit", 10, 1, 1000, &limit))
        return r->status;
    char status[32] = "";
    http_query(r, "status", status, sizeof status);
    cJSON *doc = load(r, r->param[0]);
    if (!doc)
        return r->status;
    int why = 0;
    cJSON *all = executions_batches(doc, r->param[1], &why);
    cJSON_Delete(doc);
    if (!all && why == 1)
        return http_error(r, 404, "RESOURCE_NOT_FOUND", "Node %s not found in execution %s", r->param[1], r->param[0]);
    if (!all)
        return http_error(r, 501, "SERVER_ERROR", "Batch details are not yet available for this execution type");
    cJSON *docs = cJSON_CreateArray(), *b;
    int total = 0, skip = (int)((page - 1) * limit);
    cJSON_ArrayForEach(b, all) {
        if (*status && strcasecmp(json_str(b, "status"), status))
            continue;
        if (total++ >= skip && cJSON_GetArraySize(docs) < limit)
            cJSON_AddItemToArray(docs, cJSON_Duplicate(b, 1));
    }
    cJSON_Delete(all);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "docs", docs);
    http_add_pagination(out, total, (int)page, (int)limit);
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/execution/{instanceId}/stop (param[0] instanceId) */
int h_stop_execution(req *r)
{
    cJSON *doc = load(r, r->param[0]);
    if (!doc)
        return r->status;
    char status[32];
    util_copy(status, sizeof status, json_str(doc, "status") ? json_str(doc, "status") : "");
    cJSON_Delete(doc);
    int rc = executions_stop(r->m, r->t, r->param[0]);
    if (rc == EXEC_NOT_FOUND)
        return not_found(r);
    if (rc == 1)
        return http_error(r, 400, "BAD_REQUEST", "Execution %s is not running (status %s)", r->param[0], status);
    if (rc)
        return http_error(r, 500, "SERVER_ERROR", "could not stop the execution");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Stopping instance");
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/execution/{instanceId}/rerun (param[0] instanceId) */
int h_rerun_execution(req *r)
{
    char id[25], status[32] = "";
    int rc = executions_rerun(r->m, r->t, r->param[0], r->la, id, status);
    if (rc == EXEC_NOT_FOUND)
        return not_found(r);
    if (rc == EXEC_NOT_RERUNNABLE)
        return http_error(r, 400, "BAD_REQUEST", "Only errored, timed-out or stopped executions can be rerun; %s is %s",
                          r->param[0], status[0] ? status : "unknown");
    if (rc == EXEC_NO_WORKFLOW || rc == EXEC_NOT_OWNER)
        return http_error(r, 404, "SERVER_ERROR", "Workflow not found: it was deleted since this execution ran");
    if (rc == EXEC_NOT_PUBLISHED)
        return http_error(r, 400, "INVALID_WORKFLOW_ID", "The workflow of this execution is no longer published");
    if (rc)
        return http_error(r, 500, "SERVER_ERROR", "could not start the rerun");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "status", "success");
    cJSON_AddStringToObject(out, "id", id);
    /* the v2 reference's answer (executions/rerun-execution.mdx) names the same run */
    cJSON_AddStringToObject(out, "message", "Execution queued");
    cJSON_AddStringToObject(out, "instanceId", id);
    return http_json(r, 200, out);
}
