/* subscriptions_api.c: the webhook subscription routes (register, list, get, update, delete, group edit,
 * the deprecated one-webhook routes): HTTP only, the model is subscriptions.c's. */
#include "engine/subscriptions.h"
#include "base/json.h"
#include "base/http.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>

/* webhooks/get-webhook-by-id.mdx (and update, delete): an unknown id is a 400, not a 404. */
static int not_found(req *r)
{
    return http_error_hint(r, 400, "RESOURCE_NOT_FOUND", "Webhook not found", "no webhook %s in this environment", r->param[0]);
}

/* A check's failure: the invalid-event case keeps the page's message verbatim, the detail as hint
 * (webhooks/create-webhook.mdx). */
static int field_error(req *r, int status, const char *code, const char *err)
{
    if (!strcmp(code, "INVALID_EVENT"))
        return http_error_hint(r, status, code, "Invalid event. Check events list in documentation.", "%s", err);
    return http_error(r, status, code, "%s", err);
}

/* What a session token may reach is its own linked account's; the key reaches everything. */
static const char *reach(req *r) { return r->via_token ? r->la : NULL; }

/* route: GET /api/v2/public/webhook */
int h_list_webhooks(req *r) { return http_json(r, 200, subscriptions_list(r->m, r->t, NULL)); }

/* Rule 3 of the README's Fidelity section: the guide connectors/my-app/webhooks.mdx registers
 * with {"url", "events"}, the API reference with webhook_url / webhook_events; both are taken
 * (the reference's name wins when a body has both). Renames in the body, before any check. */
static void accept_aliases(req *r)
{
    static const char *const alias[][2] = {{"url", "webhook_url"}, {"events", "webhook_events"}};
    if (!cJSON_IsObject(r->body))
        return;
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
        cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(r->body, alias[i][0]);
        if (v && !cJSON_GetObjectItemCaseSensitive(r->body, alias[i][1]))
            cJSON_AddItemToObject(r->body, alias[i][1], v);
        else
            cJSON_Delete(v);
    }
}

/* route: POST /api/v2/public/webhook */
int h_register_webhook(req *r)
{
    accept_aliases(r);
    const char *code;
    char err[512] = "";
    cJSON *doc = NULL;
    if (subscriptions_register_owned(r->m, r->t, reach(r), r->body, &doc, &code, err, sizeof err))
        return field_error(r, strcmp(code, "SERVER_ERROR") ? 400 : 500, code, err);
    return http_json(r, 200, doc);
}

/* route: GET /api/v2/public/webhook/{id} (param[0] id) */
int h_get_webhook(req *r)
{
    cJSON *doc = subscriptions_get(r->m, r->t, r->param[0]);
    return doc ? http_json(r, 200, doc) : not_found(r);
}

/* route: PUT /api/v2/public/webhook/{id} (param[0] id) */
int h_update_webhook(req *r)
{
    if (!http_need_object(r))
        return r->status;
    accept_aliases(r);
    const char *code;
    char err[512] = "";
    cJSON *doc = NULL;
    int rc = subscriptions_update(r->m, r->t, r->param[0], reach(r), r->body, &doc, &code, err, sizeof err);
    if (rc == SUBS_INVALID)
        return field_error(r, 400, code, err);
    if (rc == SUBS_NOT_FOUND)
        return not_found(r);
    if (rc != SUBS_OK)
        return http_error(r, 500, "SERVER_ERROR", "could not store the webhook");
    return http_json(r, 200, doc);
}

/* route: DELETE /api/v2/public/webhook/{id} (param[0] id) */
int h_delete_webhook(req *r)
{
    cJSON *rest = NULL; /* (what is left that this caller may see) */
    int rc = subscriptions_delete(r->m, r->t, r->param[0], reach(r), &rest);
    if (rc == SUBS_NOT_FOUND)
        return not_found(r);
    if (rc != SUBS_OK)
        return http_error(r, 500, "SERVER_ERROR", "could not delete the webhook");
    return http_json(r, 200, rest);
}

/* route: PUT /api/v2/public/webhooks/group/edit */
int h_update_webhooks_group(req *r)
{
    const cJSON *ids = http_body_array(r, "webhookIds");
    if (!ids)
        return r->status;
    if (cJSON_GetArraySize(ids) == 0 || !json_is_string_array(ids))
        return http_error_hint(r, 400, "SERVER_ERROR", "webhookIds is required", "a non-empty array of webhook ids");
    const cJSON *group = cJSON_GetObjectItemCaseSensitive(r->body, "group");
    if (group && !cJSON_IsString(group) && !cJSON_IsNull(group) && !cJSON_IsBool(group))
        return http_error(r, 400, "BAD_REQUEST", "group must be a string (empty to unset)");
    /* An empty or falsy group unsets it. */
    const char *value = cJSON_IsString(group) && *group->valuestring ? group->valuestring : NULL;
    cJSON *out = NULL;
    const char *missing = "";
    int rc = subscriptions_set_group(r->m, r->t, ids, value, &out, &missing);
    if (rc == SUBS_NOT_FOUND)
        return http_error_hint(r, 400, "RESOURCE_NOT_FOUND", "Webhook not found", "no webhook %s", missing);
    if (rc != SUBS_OK)
        return http_error(r, 500, "SERVER_ERROR", "could not update the webhooks");
    return http_json(r, 200, out);
}

/* ---- The one-webhook API of the v2 reference and the backend SDK (deprecated routes): an org had
 * a single webhook, so subscribe, unsubscribe and DELETE /webhook act on the environment's first
 * (oldest) one. Event names come in either form: "Workflow Completed" or "workflow-completed". */

/* The first webhook's document (the caller deletes it), or NULL after answering 400. */
static cJSON *first_webhook(req *r)
{
    cJSON *doc = subscriptions_first(r->m, r->t);
    if (!doc)
        http_error_hint(r, 400, "RESOURCE_NOT_FOUND", "Webhook not found",
                        "no webhook in this environment: register one with POST /api/v2/public/webhook first");
    return doc;
}

/* Answers a subscribe or unsubscribe: the stored subscription, or why not. */
static int events_saved(req *r, int rc, cJSON *merged, const char *code, const char *err)
{
    if (rc == SUBS_NOT_SUBSCRIBED)
        return http_error_hint(r, 400, "INVALID_EVENT", "Invalid event. Check events list in documentation.", "%s", err);
    if (rc == SUBS_INVALID)
        return field_error(r, 400, code, err);
    if (rc == SUBS_NOT_FOUND)
        return http_error(r, 400, "RESOURCE_NOT_FOUND", "Webhook not found");
    if (rc != SUBS_OK)
        return http_error(r, 500, "SERVER_ERROR", "could not store the webhook");
    return http_json(r, 200, merged);
}

/* route: POST /api/v2/public/webhook/subscribe (deprecated): {"webhook_events": [...]} added */
int h_subscribe_webhook_events(req *r)
{
    const cJSON *add = http_body_array(r, "webhook_events");
    if (!add)
        return r->status;
    if (!cJSON_GetArraySize(add) || !json_is_string_array(add))
        return http_error(r, 400, "BAD_REQUEST", "webhook_events must be a non-empty array of event names");
    cJSON *doc = first_webhook(r);
    if (!doc)
        return r->status;
    const char *code = "";
    char err[512] = "";
    cJSON *merged = NULL;
    int rc = subscriptions_add_events(r->m, r->t, doc, add, &merged, &code, err, sizeof err);
    cJSON_Delete(doc);
    return events_saved(r, rc, merged, code, err);
}

/* route: POST /api/v2/public/webhook/unsubscribe (deprecated): {"webhook_event": "..."} removed */
int h_unsubscribe_webhook_event(req *r)
{
    const char *drop = http_body_str(r, "webhook_event");
    if (!drop)
        return r->status;
    cJSON *doc = first_webhook(r);
    if (!doc)
        return r->status;
    const char *code = "";
    char err[512] = "";
    cJSON *merged = NULL;
    int rc = subscriptions_remove_event(r->m, r->t, doc, drop, &merged, &code, err, sizeof err);
    cJSON_Delete(doc);
    return events_saved(r, rc, merged, code, err);
}

/* route: DELETE /api/v2/public/webhook (deprecated): the first webhook goes; answers it */
int h_delete_first_webhook(req *r)
{
    cJSON *doc = first_webhook(r);
    if (!doc)
        return r->status;
    int rc = subscriptions_delete(r->m, r->t, json_str(doc, "_id"), NULL, NULL);
    if (rc != SUBS_OK) {
        cJSON_Delete(doc);
        return rc == SUBS_NOT_FOUND ? http_error(r, 400, "RESOURCE_NOT_FOUND", "Webhook not found")
                                    : http_error(r, 500, "SERVER_ERROR", "could not delete the webhook");
    }
    return http_json(r, 200, doc);
}
