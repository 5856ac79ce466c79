/* mcp_tools.c: an MCP server's tools (direct mode, agent mode, skills) and running a tool call
 * as a sub-request of the REST execute route, with its MCP log record. */
#define _GNU_SOURCE /* strcasestr */
#include "api/mcp.h"
#include "base/json.h"
#include "engine/app_gate.h"
#include "engine/clock.h"
#include "engine/executions.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "engine/mcp_logs.h"
#include "engine/links.h"
#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the server's actions and workflows ---- */

/* One action or workflow of the server's associated_apps, under its direct-mode tool name. */
struct binding {
    char name[192];
    const char *slug, *id;  /* the app; the action id or the workflow id */
    int workflow;
    const cJSON *def;       /* the fixture's action or workflow */
};

/* Lowercased, anything but letters and digits an underscore (Refold's tool-name rule). */
static void slugify(const char *in, char *out, size_t n)
{
    size_t j = 0;
    for (; *in && j + 1 < n; in++)
        out[j++] = isalnum((unsigned char)*in) ? (char)tolower((unsigned char)*in) : '_';
    out[j] = 0;
}

static const cJSON *find_def(const cJSON *list, const char *key, const char *alt_key, const char *want)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *a = json_str(e, key), *b = alt_key ? json_str(e, alt_key) : NULL;
        if ((a && !strcmp(a, want)) || (b && !strcmp(b, want)))
            return e;
    }
    return NULL;
}

static void add_binding(struct binding *b, int *n, int max, const char *slug, const char *id, const char *label,
                        int workflow, const cJSON *def)
{
    if (*n >= max)
        return;
    struct binding *x = &b[*n];
    char base[160], part[128];
    slugify(label, part, sizeof part);
    snprintf(base, sizeof base, "%s_%s_%s", slug, part, workflow ? "workflow" : "action");
    util_copy(x->name, sizeof x->name, base);
    /* Refold deduplicates colliding names with numeric suffixes. */
    for (int k = 2, clash = 1; clash; k++) {
        clash = 0;
        for (int i = 0; i < *n && !clash; i++)
            clash = !strcmp(b[i].name, x->name);
        if (clash)
            snprintf(x->name, sizeof x->name, "%s_%d", base, k);
    }
    x->slug = slug;
    x->id = id;
    x->workflow = workflow;
    x->def = def;
    (*n)++;
}

#define MAX_BINDINGS 512

/* The server's actions and workflows that exist in the catalogue (unknown ones are skipped:
 * the agent cannot call what Refold cannot run), in an array sized to the configuration (a
 * large fixed block per call made malloc consolidate its bins on every request). Caller frees. */
static struct binding *bindings(const struct mcp_scope *s, int *count)
{
    int n = 0, cap = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, cJSON_GetObjectItemCaseSensitive(s->server, "associated_apps"))
        cap += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(entry, "actions")) +
               cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(entry, "workflows"));
    cap = cap > MAX_BINDINGS ? MAX_BINDINGS : cap;
    struct binding *b = malloc(sizeof *b * (size_t)(cap ? cap : 1));
    cJSON_ArrayForEach(entry, cJSON_GetObjectItemCaseSensitive(s->server, "associated_apps")) {
        const char *slug = json_str(entry, "slug");
        const cJSON *app = slug ? fixtures_app(s->r->m->fx, slug) : NULL, *v;
        if (!app)
            continue;
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(entry, "actions")) {
            const cJSON *def = cJSON_IsString(v) ? find_def(cJSON_GetObjectItemCaseSensitive(app, "actions"), "action_id", NULL, v->valuestring) : NULL;
            if (def)
                add_binding(b, &n, cap, slug, json_str(def, "action_id"), json_str(def, "action_id"), 0, def);
        }
        const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "config"), "workflows");
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(entry, "workflows")) {
            const cJSON *def = cJSON_IsString(v) ? find_def(wfs, "id", "name", v->valuestring) : NULL;
            if (def)
                add_binding(b, &n, cap, slug, json_str(def, "id"), json_str(def, "name"), 1, def);
        }
    }
    *count = n;
    return b;
}

/* The binding called name, found without building the list: only candidates whose base name
 * (before Refold's _2, _3 suffixes) starts name are looked up in the catalogue. Same answer as
 * searching bindings(), which it falls back to where the two could differ (over MAX_BINDINGS
 * entries, or a base cut to its buffer). 1 and *out filled, or 0. */
static int binding_named(const struct mcp_scope *s, const char *name, struct binding *out)
{
    const cJSON *apps = cJSON_GetObjectItemCaseSensitive(s->server, "associated_apps"), *entry, *v;
    int listed = 0, fallback = 0, found = 0;
    cJSON_ArrayForEach(entry, apps)
        listed += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(entry, "actions")) +
                  cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(entry, "workflows"));
    struct { char base[160]; int seen; } bases[8]; /* the bases met that start name, with their count */
    int nbases = 0;
    cJSON_ArrayForEach(entry, apps) {
        const char *slug = json_str(entry, "slug");
        size_t sl = slug ? strlen(slug) : 0;
        if (!slug || strncmp(name, slug, sl) || name[sl] != '_')
            continue;
        const cJSON *app = fixtures_app(s->r->m->fx, slug);
        if (!app)
            continue;
        for (int wf = 0; wf < 2 && !found && !fallback; wf++) {
            const cJSON *defs = wf ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "config"), "workflows")
                                   : cJSON_GetObjectItemCaseSensitive(app, "actions");
            cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(entry, wf ? "workflows" : "actions")) {
                if (!cJSON_IsString(v))
                    continue;
                /* the label is the id for an action; a workflow's is its name, known only from its def */
                const cJSON *def = wf ? find_def(defs, "id", "name", v->valuestring) : NULL;
                const char *label = wf ? json_str(def, "name") : v->valuestring;
                if (wf && !def)
                    continue;
                char base[160], part[128];
                slugify(label, part, sizeof part);
                int bl = snprintf(base, sizeof base, "%s_%s_%s", slug, part, wf ? "workflow" : "action");
                if (bl < 0 || (size_t)bl >= sizeof base - 1 || strlen(label) >= sizeof part - 1) {
                    fallback = 1;
                    break;
                }
                if (strncmp(name, base, (size_t)bl) || (name[bl] && name[bl] != '_'))
                    continue;
                if (!wf && !(def = find_def(defs, "action_id", NULL, v->valuestring)))
                    continue;
                int b = 0;
                while (b < nbases && strcmp(bases[b].base, base))
                    b++;
                if (b == nbases) {
                    if (nbases == (int)(sizeof bases / sizeof bases[0])) {
                        fallback = 1;
                        break;
                    }
                    util_copy(bases[nbases].base, sizeof bases[0].base, base);
                    bases[nbases++].seen = 0;
                }
                char full[192];
                if (++bases[b].seen == 1)
                    util_copy(full, sizeof full, base);
                else
                    snprintf(full, sizeof full, "%s_%d", base, bases[b].seen);
                if (!strcmp(full, name)) {
                    util_copy(out->name, sizeof out->name, full);
                    out->slug = slug;
                    out->id = wf ? json_str(def, "id") : json_str(def, "action_id");
                    out->workflow = wf;
                    out->def = def;
                    found = 1;
                    break;
                }
            }
        }
        if (found || fallback)
            break;
    }
    if (listed > MAX_BINDINGS || fallback) {
        int n;
        struct binding *b = bindings(s, &n);
        found = 0;
        for (int i = 0; i < n && !found; i++)
            if (!strcmp(b[i].name, name))
                *out = b[i], found = 1;
        free(b);
    }
    return found;
}

/* JSON Schema of an action's parameters (types, required, descriptions from the fixture). */
static cJSON *params_schema(const cJSON *def, int workflow)
{
    cJSON *sch = cJSON_CreateObject(), *props = cJSON_CreateObject(), *req = cJSON_CreateArray();
    cJSON_AddStringToObject(sch, "type", "object");
    const cJSON *p, *params = workflow ? NULL : cJSON_GetObjectItemCaseSensitive(def, "parameters");
    cJSON_ArrayForEach(p, params) {
        const char *name = json_str(p, "name"), *type = json_str(p, "type") ? json_str(p, "type") : "text";
        if (!name)
            continue;
        cJSON *ps = cJSON_CreateObject();
        cJSON_AddStringToObject(ps, "type", !strcmp(type, "number") ? "number" : !strcmp(type, "boolean") ? "boolean" : "string");
        const char *desc = json_str(p, "description") ? json_str(p, "description") : json_str(p, "label");
        if (desc)
            cJSON_AddStringToObject(ps, "description", desc);
        const cJSON *o, *opts = cJSON_GetObjectItemCaseSensitive(p, "options");
        if (!strcmp(type, "select") && cJSON_GetArraySize(opts) > 0) {
            cJSON *en = cJSON_AddArrayToObject(ps, "enum");
            cJSON_ArrayForEach(o, opts) if (cJSON_GetObjectItemCaseSensitive(o, "value"))
                cJSON_AddItemToArray(en, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(o, "value"), 1));
        }
        cJSON_AddItemToObject(props, name, ps);
        if (json_bool(p, "required", 0))
            cJSON_AddItemToArray(req, cJSON_CreateString(name));
    }
    cJSON_AddItemToObject(sch, "properties", props);
    if (cJSON_GetArraySize(req))
        cJSON_AddItemToObject(sch, "required", req);
    else
        cJSON_Delete(req);
    return sch;
}

static cJSON *tool(const char *name, const char *description, cJSON *input_schema)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "name", name);
    cJSON_AddStringToObject(t, "description", description ? description : name);
    cJSON_AddItemToObject(t, "inputSchema", input_schema);
    return t;
}

/* The meta-tools' input schemas (docs/mcp/tools.mdx). */
static const char RESOLVE_SCHEMA[] =
    "{\"type\":\"object\",\"properties\":{\"integration_query\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
    "\"description\":\"Action descriptions extracted from the user's request, one per action, each naming the action and "
    "the target app (e.g. \\\"Create Contact HubSpot\\\")\"}},\"required\":[\"integration_query\"]}";
static const char EXECUTE_SCHEMA[] =
    "{\"type\":\"object\",\"properties\":{\"application_slug\":{\"type\":\"string\",\"description\":\"slug from RESOLVE_ACTIONS\"},"
    "\"action_id\":{\"type\":\"string\",\"description\":\"identifier from RESOLVE_ACTIONS\"},"
    "\"type\":{\"type\":\"string\",\"enum\":[\"action\",\"workflow\"]},"
    "\"input_payload\":{\"type\":[\"object\",\"string\"],\"description\":\"the action's input, matching json_schema, as an object or a JSON string\"}},"
    "\"required\":[\"application_slug\",\"action_id\",\"input_payload\",\"type\"]}";
static const char INDEX_SCHEMA[] =
    "{\"type\":\"object\",\"properties\":{\"limit\":{\"type\":\"integer\",\"default\":50},\"offset\":{\"type\":\"integer\",\"default\":0}}}";
static const char LOAD_SCHEMA[] =
    "{\"type\":\"object\",\"properties\":{\"skill_id\":{\"type\":\"string\"},\"skill_name\":{\"type\":\"string\"}}}";

cJSON *mcp_tools_list(const struct mcp_scope *s)
{
    cJSON *out = cJSON_CreateArray();
    if (json_bool(s->server, "agent_mode", 0)) {
        cJSON_AddItemToArray(out, tool("RESOLVE_ACTIONS", "Resolves the user's request to the specific actions to run. "
                                       "Call it first; it returns a plan (or a plain message when nothing matches).", cJSON_Parse(RESOLVE_SCHEMA)));
        cJSON_AddItemToArray(out, tool("EXECUTE_ACTION", "Runs one action or workflow from the plan RESOLVE_ACTIONS returned; "
                                       "call it only after RESOLVE_ACTIONS.", cJSON_Parse(EXECUTE_SCHEMA)));
    } else {
        int n;
        struct binding *b = bindings(s, &n);
        for (int i = 0; i < n; i++) {
            cJSON *sch = cJSON_CreateObject(), *props = cJSON_AddObjectToObject(sch, "properties");
            cJSON_AddStringToObject(sch, "type", "object");
            cJSON *payload = params_schema(b[i].def, b[i].workflow);
            cJSON_AddStringToObject(payload, "description", b[i].workflow ? "The workflow's input payload" : "The action's input");
            cJSON_AddItemToObject(props, "input_payload", payload);
            cJSON *req = cJSON_AddArrayToObject(sch, "required");
            cJSON_AddItemToArray(req, cJSON_CreateString("input_payload"));
            cJSON_AddItemToArray(out, tool(b[i].name, json_str(b[i].def, "description"), sch));
        }
        free(b);
    }
    if (json_bool(s->server, "retrieve_skill", 0)) {
        cJSON_AddItemToArray(out, tool("GET_KNOWLEDGE_INDEX", "Lists the skills (tested procedures) available on this server; "
                                       "load one with LOAD_SKILL.", cJSON_Parse(INDEX_SCHEMA)));
        cJSON_AddItemToArray(out, tool("LOAD_SKILL", "Loads the full content of one skill by skill_id or skill_name.",
                                       cJSON_Parse(LOAD_SCHEMA)));
    }
    return out;
}

/* ---- running a call ---- */

/* What a call did, for its result and its log record. */
struct outcome {
    cJSON *result;          /* {"success": ...}, or a plain string (RESOLVE_ACTIONS with no match) */
    const char *status;     /* success, validation_error, execution_error */
    const char *app, *action, *type;
};

static cJSON *failure(struct outcome *o, const char *status, const char *fmt, const char *a, const char *b)
{
    char msg[1400];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    cJSON *res = cJSON_CreateObject();
    cJSON_AddBoolToObject(res, "success", 0);
    cJSON_AddStringToObject(res, "error", msg);
    o->status = status;
    return o->result = res;
}

/* A missing or expired connection: the agent gets a sentence to relay and a hosted connect URL
 * of this linked account (valid 24 h) that the customer opens to reconnect. */
static cJSON *reauth(const struct mcp_scope *s, struct outcome *o, const char *slug, const char *why)
{
    struct mock *m = s->r->m;
    char token[LINKS_TOKEN_LEN], url[768], msg[1400];
    if (links_hosted_create(m, s->t, s->la, NULL, NULL, NULL, clock_now_ms(m) + HOSTED_TTL_MS, token) != 0)
        return failure(o, "execution_error", "%s%s", why, "");
    links_hosted_url(m, token, url, sizeof url);
    const cJSON *app = fixtures_app(m->fx, slug);
    const char *name = json_str(app, "name") ? json_str(app, "name") : slug;
    snprintf(msg, sizeof msg, "%s. Ask the customer to open %s and connect %s, then call this tool again.", why, url, name);
    cJSON *res = cJSON_CreateObject();
    cJSON_AddBoolToObject(res, "success", 0);
    cJSON_AddStringToObject(res, "error", msg);
    cJSON_AddBoolToObject(res, "reauth_required", 1);
    cJSON_AddStringToObject(res, "application", slug);
    cJSON_AddStringToObject(res, "connect_url", url);
    o->status = "execution_error";
    return o->result = res;
}

/* Runs the action as POST /api/v2/integration-schema/{slug}/actions/{id}/execute, a sub-request
 * through the dispatcher's own steps (http_subrequest): the route's faults, scenario counts,
 * spec check and journal entry apply to the tool call exactly as to the REST call, and what it
 * creates is what REST sees. */
static cJSON *run_action(const struct mcp_scope *s, struct outcome *o, const char *slug, const char *id, cJSON *payload)
{
    char path[3 * MOCK_ID_LEN];
    snprintf(path, sizeof path, "/api/v2/integration-schema/%s/actions/%s/execute", slug, id);
    /* the token (a PAT or a session token) named the tenant and the linked account */
    struct subcall sub = {.method = "POST", .path = path, .body = payload, .t = s->t, .la = s->la, .via_token = 1};
    http_subrequest(s->r, &sub);

    if (sub.status == 200) {
        /* The execute handler's printed JSON goes in as it is: parsing it only to print it again
         * cost a tenth of a tool call. */
        cJSON *res = cJSON_CreateObject();
        cJSON_AddBoolToObject(res, "success", 1);
        cJSON_AddItemToObject(res, "data", sub.answer && sub.answer_json ? cJSON_CreateRaw(sub.answer) : cJSON_CreateNull());
        free(sub.answer);
        o->status = "success";
        return o->result = res;
    }
    cJSON *body = sub.answer ? cJSON_Parse(sub.answer) : NULL;
    free(sub.answer);
    char code[64], msg[600];
    util_copy(code, sizeof code, json_str(body, "error_code") ? json_str(body, "error_code") : "");
    util_copy(msg, sizeof msg, json_str(body, "message") ? json_str(body, "message") : http_reason(sub.status));
    cJSON_Delete(body);
    if (!strcmp(code, "REAUTH_REQUIRED") || !strcmp(code, "APP_NOT_CONNECTED"))
        return reauth(s, o, slug, msg);
    if (sub.status == 400)
        return failure(o, "validation_error", "%s%s", msg, "");
    failure(o, "execution_error", "%s%s", msg, "");
    cJSON_AddNumberToObject(o->result, "status_code", sub.status);
    const char *ra = strstr(sub.headers, "Retry-After: ");
    if (ra) /* throttled: the agent should wait this long before calling again */
        cJSON_AddNumberToObject(o->result, "retry_after", atoi(ra + 13));
    return o->result;
}

/* Runs the workflow with the engine the REST execute route uses, synchronously. */
static cJSON *run_workflow(const struct mcp_scope *s, struct outcome *o, const char *slug, const char *id, cJSON *payload)
{
    struct mock *m = s->r->m;
    char reason[32], msg[512 + MOCK_ID_LEN];
    enum app_gate_state g = app_gate_state(m, s->t, s->la, slug, reason, sizeof reason);
    if (g != GATE_OK) { /* it would error at its app step: say so before it runs */
        app_gate_message(g, s->la, slug, reason, msg, sizeof msg);
        return reauth(s, o, slug, msg);
    }
    struct exec_start st = {.la = s->la, .workflow_id = id, .input = payload, .source = EXEC_SOURCE_API, .sync = 1};
    char eid[25];
    if (executions_run(m, s->t, &st, eid) != EXEC_OK)
        return failure(o, "execution_error", "workflow %s could not be started for linked account %s", id, s->la);
    cJSON *ex = executions_get(m, s->t, eid);
    const char *status = json_str(ex, "status") ? json_str(ex, "status") : "RUNNING";
    cJSON *res = cJSON_CreateObject();
    if (!strcmp(status, "ERRORED")) {
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(ex, "execution_error");
        const char *em = json_str(err, "message") ? json_str(err, "message") : cJSON_IsString(err) ? err->valuestring : "the workflow errored";
        cJSON_AddBoolToObject(res, "success", 0);
        cJSON_AddStringToObject(res, "error", em);
        cJSON_AddStringToObject(res, "execution_id", eid);
        o->status = "execution_error";
    } else {
        cJSON_AddBoolToObject(res, "success", 1);
        cJSON *data = cJSON_AddObjectToObject(res, "data");
        cJSON_AddStringToObject(data, "execution_id", eid);
        cJSON_AddStringToObject(data, "status", status);
        const cJSON *rv = cJSON_GetObjectItemCaseSensitive(ex, "return_value");
        cJSON_AddItemToObject(data, "return_value", rv ? cJSON_Duplicate(rv, 1) : cJSON_CreateNull());
        o->status = "success";
    }
    cJSON_Delete(ex);
    return o->result = res;
}

/* input_payload as an object or a JSON string of one; NULL (and a failure) otherwise. */
static cJSON *payload_of(const cJSON *args, struct outcome *o)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(args, "input_payload");
    if (!p || cJSON_IsNull(p))
        return cJSON_CreateObject();
    if (cJSON_IsObject(p))
        return cJSON_Duplicate(p, 1);
    if (cJSON_IsString(p) && json_depth(p->valuestring, strlen(p->valuestring)) <= JSON_MAX_DEPTH) {
        cJSON *v = cJSON_Parse(p->valuestring);
        if (cJSON_IsObject(v))
            return v;
        cJSON_Delete(v);
    }
    failure(o, "validation_error", "input_payload must be a JSON object (or a string holding one)%s%s", "", "");
    return NULL;
}

static cJSON *run_binding(const struct mcp_scope *s, struct outcome *o, const struct binding *b, const cJSON *args)
{
    o->app = b->slug;
    o->action = b->id;
    o->type = b->workflow ? "workflow" : "action";
    cJSON *payload = payload_of(args, o);
    if (!payload)
        return o->result;
    b->workflow ? run_workflow(s, o, b->slug, b->id, payload) : run_action(s, o, b->slug, b->id, payload);
    cJSON_Delete(payload);
    return o->result;
}

/* ---- agent mode ---- */

/* How many of the query's words (3+ letters) occur in the entity's app and action texts. */
static int score(const char *query, const cJSON *app, const struct binding *b)
{
    char hay[2048], word[64];
    snprintf(hay, sizeof hay, "%s %s %s %s %s", json_str(app, "slug"), json_str(app, "name") ? json_str(app, "name") : "",
             b->id, json_str(b->def, "name") ? json_str(b->def, "name") : "",
             json_str(b->def, "description") ? json_str(b->def, "description") : "");
    for (char *c = hay; *c; c++)
        if (*c == '_')
            *c = ' ';
    int n = 0;
    for (const char *q = query; *q;) {
        size_t len = 0;
        while (*q && !isalnum((unsigned char)*q))
            q++;
        while (q[len] && isalnum((unsigned char)q[len]))
            len++;
        if (len >= 3 && len < sizeof word) {
            memcpy(word, q, len);
            word[len] = 0;
            n += strcasestr(hay, word) != NULL;
        }
        q += len;
    }
    return n;
}

static cJSON *resolve_actions(const struct mcp_scope *s, struct outcome *o, const cJSON *args)
{
    const cJSON *qs = cJSON_GetObjectItemCaseSensitive(args, "integration_query"), *q;
    if (!cJSON_IsArray(qs) || !json_is_string_array(qs) || !cJSON_GetArraySize(qs))
        return failure(o, "validation_error", "integration_query must be a non-empty list of strings%s%s", "", "");
    int n;
    struct binding *b = bindings(s, &n);
    char *picked = calloc((size_t)n + 1, 1);
    /* Per query, the best-scoring entities: "List Contacts Salesforce" prefers the action that
     * matches all three words over every other Salesforce action. */
    cJSON_ArrayForEach(q, qs) {
        int best = 0, sc[MAX_BINDINGS];
        for (int i = 0; i < n; i++) {
            sc[i] = score(q->valuestring, fixtures_app(s->r->m->fx, b[i].slug), &b[i]);
            best = sc[i] > best ? sc[i] : best;
        }
        for (int i = 0; i < n && best > 0; i++)
            picked[i] |= sc[i] == best;
    }
    cJSON *plan = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        if (!picked[i])
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "slug", b[i].slug);
        cJSON_AddStringToObject(e, "type", b[i].workflow ? "workflow" : "action");
        cJSON_AddStringToObject(e, "identifier", b[i].id);
        cJSON_AddItemToObject(e, "json_schema", params_schema(b[i].def, b[i].workflow));
        cJSON_AddItemToArray(plan, e);
    }
    free(picked);
    free(b);
    o->status = "success";
    if (cJSON_GetArraySize(plan))
        return o->result = plan;
    cJSON_Delete(plan);
    return o->result = cJSON_CreateString("Couldn't find any matching actions on this server for that request. "
                                          "Rephrase each entry as an action and an app, e.g. \"Create Contact HubSpot\".");
}

static cJSON *execute_action(const struct mcp_scope *s, struct outcome *o, const cJSON *args)
{
    const char *slug = json_str(args, "application_slug"), *id = json_str(args, "action_id"), *type = json_str(args, "type");
    if (!slug || !id || !type || (strcmp(type, "action") && strcmp(type, "workflow")))
        return failure(o, "validation_error", "application_slug, action_id and type (\"action\" or \"workflow\") are required%s%s", "", "");
    o->app = slug;
    o->action = id;
    o->type = type;
    int n, hit = -1;
    struct binding *b = bindings(s, &n);
    for (int i = 0; i < n && hit < 0; i++)
        if (!strcmp(b[i].slug, slug) && !strcmp(b[i].id, id) && b[i].workflow == !strcmp(type, "workflow"))
            hit = i;
    if (hit < 0)
        failure(o, "validation_error", "%s is not an action or workflow of this MCP server (%s); call RESOLVE_ACTIONS first", id, slug);
    else
        run_binding(s, o, &b[hit], args);
    free(b);
    return o->result;
}

/* ---- skills ---- */

static cJSON *knowledge_index(const struct mcp_scope *s, struct outcome *o, const cJSON *args)
{
    int limit = (int)json_num(args, "limit", 50), offset = (int)json_num(args, "offset", 0);
    if (limit < 0 || offset < 0)
        return failure(o, "validation_error", "limit and offset must not be negative%s%s", "", "");
    const cJSON *skills = cJSON_GetObjectItemCaseSensitive(s->server, "skills"), *k;
    cJSON *res = cJSON_CreateObject(), *list = cJSON_CreateArray();
    int i = 0;
    cJSON_ArrayForEach(k, skills) {
        if (!json_bool(k, "is_enabled", 1))
            continue;
        if (i++ < offset || cJSON_GetArraySize(list) >= limit)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "skill_id", json_str(k, "skill_id"));
        cJSON_AddStringToObject(e, "skill_name", json_str(k, "name"));
        cJSON_AddStringToObject(e, "description", json_str(k, "description") ? json_str(k, "description") : "");
        cJSON_AddItemToArray(list, e);
    }
    cJSON_AddBoolToObject(res, "success", 1);
    cJSON_AddNumberToObject(res, "total", i);
    cJSON_AddItemToObject(res, "results", list);
    o->status = "success";
    return o->result = res;
}

#define SKILL_MAX 100000 /* Refold cuts longer content with a marker */

static cJSON *load_skill(const struct mcp_scope *s, struct outcome *o, const cJSON *args)
{
    const char *id = json_str(args, "skill_id"), *name = json_str(args, "skill_name");
    if (!id && !name)
        return failure(o, "validation_error", "give skill_id or skill_name%s%s", "", "");
    const cJSON *k, *hit = NULL;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(s->server, "skills")) {
        const char *kid = json_str(k, "skill_id"), *kname = json_str(k, "name");
        if (json_bool(k, "is_enabled", 1) && ((id && kid && !strcmp(id, kid)) || (!id && name && kname && !strcasecmp(name, kname))))
            hit = k;
    }
    if (!hit) /* LOAD_SKILL never throws: a clean success:false */
        return failure(o, "validation_error", "no skill %s on this MCP server%s", id ? id : name, "");
    const char *content = json_str(hit, "content") ? json_str(hit, "content") : "";
    cJSON *res = cJSON_CreateObject(), *e = cJSON_CreateObject();
    cJSON_AddBoolToObject(res, "success", 1);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "results"), e);
    cJSON_AddStringToObject(e, "file_id", json_str(hit, "skill_id"));
    if (strlen(content) > SKILL_MAX) {
        char *cut = malloc(SKILL_MAX + 64);
        memcpy(cut, content, SKILL_MAX);
        strcpy(cut + SKILL_MAX, "\n\n[truncated: skill content over 100000 characters]");
        cJSON_AddStringToObject(e, "snippet", cut);
        free(cut);
    } else {
        cJSON_AddStringToObject(e, "snippet", content);
    }
    cJSON_AddStringToObject(e, "skill_name", json_str(hit, "name"));
    cJSON_AddStringToObject(e, "category", json_str(hit, "category") ? json_str(hit, "category") : "");
    const cJSON *apps = cJSON_GetObjectItemCaseSensitive(hit, "apps");
    cJSON_AddItemToObject(e, "apps", cJSON_IsArray(apps) ? cJSON_Duplicate(apps, 1) : cJSON_CreateArray());
    o->status = "success";
    return o->result = res;
}

/* ---- the call ---- */

/* The call's MCP log record; response is the printed result the agent got. */
static void log_call(const struct mcp_scope *s, const char *name, const cJSON *args, const struct outcome *o,
                     const char *response, long long started_us, long long started_ms)
{
    req *r = s->r;
    /* What the agent sent and got: the token (path or header) is never part of either. */
    char *request = args ? json_print(args) : NULL;
    struct mcp_log_call c = {
        .status = o->status, .tool = name, .action = o->action, .application = o->app, .target_type = o->type,
        .linked_account = s->la, .server = s->server_id,
        .request = request ? request : "{}", .response = response ? response : "null",
        .client_name = http_header(r, "User-Agent"), .protocol_version = http_header(r, "MCP-Protocol-Version"),
        .request_id = r->request_id,
        .duration_ms = (double)(util_mono_us() - started_us) / 1000.0, .at_ms = started_ms,
    };
    mcp_logs_add(r->m, s->t, &c);
    free(request);
}

/* The CallToolResult around the printed result (text); a plain-string result is sent as it is. */
static cJSON *as_call_result(const cJSON *result, const char *text)
{
    cJSON *out = cJSON_CreateObject(), *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "type", "text");
    cJSON_AddStringToObject(c, "text", cJSON_IsString(result) ? result->valuestring : text ? text : "null");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(out, "content"), c);
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(result, "success");
    cJSON_AddBoolToObject(out, "isError", cJSON_IsFalse(ok));
    return out;
}

cJSON *mcp_tools_call(const struct mcp_scope *s, const char *name, const cJSON *args)
{
    long long started_us = util_mono_us(), started_ms = clock_now_ms(s->r->m);
    struct outcome o = {0};
    int agent = json_bool(s->server, "agent_mode", 0), skills = json_bool(s->server, "retrieve_skill", 0);
    if (agent && !strcmp(name, "RESOLVE_ACTIONS"))
        resolve_actions(s, &o, args);
    else if (agent && !strcmp(name, "EXECUTE_ACTION"))
        execute_action(s, &o, args);
    else if (skills && !strcmp(name, "GET_KNOWLEDGE_INDEX"))
        knowledge_index(s, &o, args);
    else if (skills && !strcmp(name, "LOAD_SKILL"))
        load_skill(s, &o, args);
    else if (!agent) {
        struct binding b;
        if (binding_named(s, name, &b))
            run_binding(s, &o, &b, args);
    }
    int unknown = !o.result;
    if (unknown) /* not a tool of this server: logged, then a protocol error for the caller */
        failure(&o, "validation_error", "Unknown tool: %s%s", name, "");
    /* Printed once: the content text and the log's response are the same bytes. */
    char *text = json_print(o.result);
    log_call(s, name, args, &o, text, started_us, started_ms);
    cJSON *out = unknown ? NULL : as_call_result(o.result, text);
    free(text);
    cJSON_Delete(o.result);
    return out;
}
