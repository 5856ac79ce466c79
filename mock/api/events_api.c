/* events_api.c: the routes of custom events of the org's default app (events.c): define, list,
 * get, update, delete, and firing them for a linked account, which starts the workflows bound to
 * the event. */
#include "engine/events.h"
#include "engine/executions.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/form.h"
#include "base/http.h"
#include "base/util.h"
#include "engine/workflow_defs.h"
#include "engine/workflows.h"
#include "engine/app_gate.h"
#include "engine/configs.h"
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* response arrives as a JSON string (the docs) or an object: the sample object (caller deletes);
 * NULL when it is neither. */
static cJSON *sample_of(const cJSON *response)
{
    cJSON *sample = NULL;
    if (cJSON_IsString(response)) {
        /* JSON inside a string escapes the body's depth check: check it here (the stack is small) */
        if (json_depth(response->valuestring, strlen(response->valuestring)) > JSON_MAX_DEPTH)
            return NULL;
        sample = json_parse(response->valuestring);
        if (!cJSON_IsObject(sample)) {
            cJSON_Delete(sample);
            return NULL;
        }
    } else if (cJSON_IsObject(response)) {
        sample = cJSON_Duplicate(response, 1);
    }
    return sample;
}

static int not_found(req *r) { return http_error(r, 404, "RESOURCE_NOT_FOUND", "Event not found"); }

/* name + response of a create/update body into ev, stored (update: ev is the stored event); 0,
 * or the status it answered. */
static int save_definition(req *r, cJSON *ev, int update)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(r->body, "name");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(r->body, "response");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(r->body, "json_schema");
    if (!cJSON_IsString(name) || !*name->valuestring || !resp)
        return http_error(r, 400, "SERVER_ERROR", "name and response are required");
    cJSON *sample = sample_of(resp);
    if (!sample)
        return http_error(r, 400, "BAD_REQUEST", "response must be a JSON object, or a string holding one (a sample payload)");
    if (schema && !cJSON_IsObject(schema)) {
        cJSON_Delete(sample);
        return http_error(r, 400, "BAD_REQUEST", "json_schema must be an object");
    }
    int rc = events_save(r->m, r->t, ev, update, name->valuestring, resp, sample, schema);
    cJSON_Delete(sample);
    switch (rc) {
    case 0:
        return 0;
    case 1:
        return not_found(r);
    case 2:
        return http_error(r, 409, "EVENT_EXISTS", "An event named %s already exists", name->valuestring);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not store the event");
    }
}

/* route: GET /api/v2/public/application/event */
int h_list_events(req *r) { return http_json(r, 200, events_list(r->m, r->t)); }

/* route: GET /api/v2/public/application/event/{event_id} (param[0] event_id) */
int h_get_event(req *r)
{
    cJSON *ev = events_get(r->m, r->t, r->param[0]);
    return ev ? http_json(r, 200, ev) : not_found(r);
}

/* route: POST /api/v2/public/application/event */
int h_create_event(req *r)
{
    cJSON *ev = events_new(r->m);
    int rc = save_definition(r, ev, 0);
    cJSON_Delete(ev);
    return rc ? rc : http_json(r, 200, events_list(r->m, r->t));
}

/* route: PUT /api/v2/public/application/event/{event_id} (param[0] event_id) */
int h_update_event(req *r)
{
    cJSON *ev = events_get(r->m, r->t, r->param[0]);
    if (!ev)
        return not_found(r);
    int rc = save_definition(r, ev, 1);
    cJSON_Delete(ev);
    return rc ? rc : http_json(r, 200, events_list(r->m, r->t));
}

/* route: DELETE /api/v2/public/application/event/{event_id} (param[0] event_id) */
int h_delete_event(req *r)
{
    switch (events_delete(r->m, r->t, r->param[0])) {
    case 0:
        return http_json(r, 200, events_list(r->m, r->t));
    case 1:
        return not_found(r);
    default:
        return http_error(r, 500, "SERVER_ERROR", "could not delete the event");
    }
}

/* ---- firing ---- */

struct fire {
    req *r;
    const cJSON *event;
    const cJSON *payload;
    const char *config_id;
    char started[480];
    int count;
};

static void start_one(struct fire *f, const char *workflow_id)
{
    char out[25];
    const char *tag = http_header(f->r, "instance_tag");
    struct exec_start s = {
        .la = f->r->la, .workflow_id = workflow_id, .config_id = f->config_id, .input = f->payload,
        .source = EXEC_SOURCE_EVENT, .trigger_event = json_str(f->event, "name"),
        .event_id = json_str(f->event, "_id"), .instance_tag = tag && *tag ? tag : NULL,
    };
    if (executions_run(f->r->m, f->r->t, &s, out) != EXEC_OK)
        return;
    size_t used = strlen(f->started);
    if (used + 26 < sizeof f->started)
        snprintf(f->started + used, sizeof f->started - used, "%s%s", used ? "," : "", out);
    f->count++;
}

/* Every workflow bound to the event that this linked account has on: public ones enabled in
 * its config (config_id), its own published ones unless that config turned them off. */
static void start_bound(struct fire *f)
{
    const char *name = json_str(f->event, "name");
    struct mock *m = f->r->m;
    const struct tenant *t = f->r->t;
    const cJSON *app;
    cJSON_ArrayForEach(app, m->fx->apps) {
        cJSON *cfg = configs_load(m, t, f->r->la, json_str(app, "slug"), f->config_id);
        cJSON *defs = configs_workflow_defs(m, t, f->r->la, app), *d;
        cJSON_ArrayForEach(d, defs) {
            struct wf w;
            if (workflow_defs_find(m, t, json_str(d, "id"), &w))
                continue;
            const char *ev = workflow_defs_event(w.doc);
            int on = (cfg || w.is_private) && configs_workflow_enabled(cfg, d);
            if (ev && !strcmp(ev, name) && on)
                start_one(f, json_str(d, "id"));
            workflow_defs_free(&w);
        }
        cJSON_Delete(defs);
        cJSON_Delete(cfg);
    }
    /* Private workflows of the org's default custom app have no config to consult. */
    cJSON *priv = workflows_list(m, t, f->r->la, NULL), *p;
    cJSON_ArrayForEach(p, priv) {
        const char *ev = workflow_defs_event(p);
        if (!workflow_defs_slug(p) && ev && !strcmp(ev, name) && json_bool(p, "published", 0) && !json_bool(p, "is_draft", 0))
            start_one(f, json_str(p, "_id"));
    }
    cJSON_Delete(priv);
}

static int trigger(req *r, const char *slug)
{
    if (!http_need_object(r))
        return r->status;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(r->body, "event");
    if (!name)
        name = cJSON_GetObjectItemCaseSensitive(r->body, "trigger");
    if (!cJSON_IsString(name) || !*name->valuestring)
        return http_error(r, 400, "BAD_REQUEST", "event (or trigger) is required: the name of the event to fire");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(r->body, "payload");
    const char *config_id = http_header(r, "config_id");
    if (config_id && (!*config_id || strlen(config_id) >= MOCK_ID_LEN))
        config_id = NULL;
    cJSON *ev = events_by_name(r->m, r->t, name->valuestring);
    if (!ev)
        return http_error(r, 404, "INVALID_EVENT", "Trigger not found");
    if (slug && *slug) {
        if (!fixtures_app(r->m->fx, slug)) {
            cJSON_Delete(ev);
            return http_error(r, 404, "INVALID_APP_ID", "Application with app_type '%s' not found for org %s", slug, r->t->org_id);
        }
        /* the named app's auth is checked before anything is queued */
        char reason[32], msg[512 + MOCK_ID_LEN];
        enum app_gate_state g = app_gate_state(r->m, r->t, r->la, slug, reason, sizeof reason);
        if (g != GATE_OK) {
            cJSON_Delete(ev);
            const char *code;
            int status = app_gate_status(g, &code);
            app_gate_message(g, r->la, slug, reason, msg, sizeof msg);
            return http_error(r, status, code, "%s", msg);
        }
    }
    struct fire f = {.r = r, .event = ev, .payload = payload, .config_id = config_id};
    start_bound(&f);
    cJSON_Delete(ev);
    if (f.count)
        http_add_header(r, "X-Refold-Mock-Executions", f.started);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "message", "Webhook Fired Success");
    return http_json(r, 200, out);
}

/* route: POST /api/v2/public/event/trigger */
int h_trigger_event(req *r) { return trigger(r, http_header(r, "slug")); }
/* A multipart trigger (the spec's triggerEventBySlug: "event"/"trigger", "payload" as a JSON
 * string; file fields, any names, merge into the payload under their names) as the JSON body
 * {"event", "payload"} the JSON form sends; plain fields other than those merge in as strings.
 * 0, or the error status it answered. */
static int form_body(req *r)
{
    char err[160];
    int too_large;
    cJSON *form = form_read(r, &too_large, err, sizeof err);
    if (!form)
        return http_error(r, too_large ? 413 : 400, too_large ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", "%s", err);
    cJSON *payload = NULL, *f;
    const char *text = json_str(form, "payload");
    if (text && json_depth(text, strlen(text)) <= JSON_MAX_DEPTH)
        payload = cJSON_Parse(text);
    if (text && !cJSON_IsObject(payload)) {
        cJSON_Delete(payload);
        cJSON_Delete(form);
        return http_error(r, 400, "BAD_REQUEST", "the payload field must be a JSON object, as text");
    }
    if (!payload)
        payload = cJSON_CreateObject();
    cJSON *body = cJSON_CreateObject();
    cJSON_ArrayForEach(f, form) {
        if (!strcmp(f->string, "event") || !strcmp(f->string, "trigger"))
            cJSON_AddItemToObject(body, f->string, cJSON_Duplicate(f, 1));
        else if (strcmp(f->string, "payload"))
            json_set(payload, f->string, cJSON_Duplicate(f, 1));
    }
    cJSON_AddItemToObject(body, "payload", payload);
    cJSON_Delete(form);
    cJSON_Delete(r->body);
    r->body = body;
    return 0;
}

/* POST /api/v2/public/event/{slug}: param[0] the app; a JSON or multipart/form-data body. */
/* route: POST /api/v2/public/event/{slug} (param[0] slug) */
int h_trigger_event_by_slug(req *r)
{
    if (form_is_multipart(r) && form_body(r))
        return r->status;
    return trigger(r, r->param[0]);
}
