/* subscriptions.c: the webhook subscription model (RefoldWebhook): checking, merging and storing
 * subscriptions, one set per tenant; the routes are in api/subscriptions_api.c, delivery in webhooks.c. */
#include "engine/subscriptions.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/fixtures.h"
#include "base/mock.h"
#include "base/origin.h"
#include "base/store.h"
#include "base/util.h"
#include "engine/webhooks_event.h"

#include <ctype.h>
#include "base/curl_lazy.h" /* libcurl, loaded on first use */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KIND "webhook"
#define DEFAULT_BODY "{{event}}"

/* 1 when url's scheme, host and port are the --public-url's (a proxy or tunnel in front of the
 * mock, whose port is not the mock's). */
static int public_origin(const struct mock *m, const char *url, const char *host, const char *port)
{
    if (!m->public_url_opt)
        return 0;
    char origin[600];
    snprintf(origin, sizeof origin, "%s://%s:%s", strncmp(url, "https", 5) ? "http" : "https", host, port);
    if (origin_is_own(m, origin))
        return 1;
    snprintf(origin, sizeof origin, "%s://%s", strncmp(url, "https", 5) ? "http" : "https", host);
    return (!strcmp(port, "80") || !strcmp(port, "443")) && origin_is_own(m, origin);
}

/* 0 when s is an http(s) URL with a host that is not the mock itself; else the reason. */
static const char *url_problem(const struct mock *m, const char *s)
{
    size_t scheme = !strncmp(s, "http://", 7) ? 7 : !strncmp(s, "https://", 8) ? 8 : 0;
    if (!scheme || strlen(s) > 2048 || strpbrk(s, " \r\n\t"))
        return "must be an http:// or https:// URL with a host";
    if (s[scheme] == '/') /* libcurl would read "http:///hook" as the host "hook" */
        return "must be an http:// or https:// URL with a host";
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    const char *why = NULL;
    if (curl_url_set(u, CURLUPART_URL, s, 0) != CURLUE_OK || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        !host || !*host)
        why = "must be an http:// or https:// URL with a host";
    else if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK && port &&
             (origin_reaches_mock(m, host, atoi(port)) || public_origin(m, s, host, port)))
        why = "points at the mock itself: every delivery would trigger more (use a receiver of your own)";
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return why;
}

static int header_name_ok(const char *s)
{
    if (!*s || strlen(s) > 256)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
            return 0;
    return 1;
}

/* Checks every field given in a register or update body; the first problem goes to err. */
int subscriptions_check_fields(struct mock *m, const cJSON *src, int creating, const char **code, char *err, size_t n)
{
    *code = "BAD_REQUEST";
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(src, "webhook_url");
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(src, "webhook_events");
    if (creating && !url)
        return snprintf(err, n, "webhook_url is required"), -1;
    if (creating && !events)
        return snprintf(err, n, "webhook_events is required"), -1;
    const char *why = !url ? NULL : !cJSON_IsString(url) ? "must be an http:// or https:// URL with a host"
                                                          : url_problem(m, url->valuestring);
    if (why)
        return snprintf(err, n, "webhook_url %s", why), -1;
    if (events) {
        const cJSON *e;
        if (!cJSON_IsArray(events) || cJSON_GetArraySize(events) == 0)
            return snprintf(err, n, "webhook_events must be a non-empty array of event names"), -1;
        cJSON_ArrayForEach(e, events) if (!cJSON_IsString(e) || !webhooks_event_kind(e->valuestring)) {
            *code = "INVALID_EVENT";
            /* (the handler sends the page's message verbatim and this as its hint) */
            char names[200];
            return snprintf(err, n, "%s is not one of: %s", cJSON_IsString(e) ? e->valuestring : "a non-string",
                            webhooks_event_names(0, names, sizeof names)), -1;
        }
    }
    const cJSON *headers = cJSON_GetObjectItemCaseSensitive(src, "webhook_headers");
    if (headers && !cJSON_IsNull(headers)) {
        const cJSON *h;
        if (!cJSON_IsObject(headers))
            return snprintf(err, n, "webhook_headers must be an object of header name -> value"), -1;
        cJSON_ArrayForEach(h, headers) {
            if (!header_name_ok(h->string))
                return snprintf(err, n, "webhook_headers: '%.64s' is not a valid header name", h->string), -1;
            if (!(cJSON_IsString(h) || cJSON_IsNumber(h) || cJSON_IsBool(h)) ||
                (cJSON_IsString(h) && (strpbrk(h->valuestring, "\r\n") || strlen(h->valuestring) > 4096)))
                return snprintf(err, n, "webhook_headers.%.64s must be a single-line string", h->string), -1;
        }
    }
    static const char *const strings[] = {"webhook_description", "description", "group", "slug"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, strings[i]);
        if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
            return snprintf(err, n, "%s must be a string", strings[i]), -1;
    }
    const char *slug = json_str(src, "slug");
    if (slug && *slug && !fixtures_app(m->fx, slug))
        return snprintf(err, n, "slug: no application %s", slug), -1;
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(src, "method");
    if (method && !(cJSON_IsString(method) && (!strcmp(method->valuestring, "POST") || !strcmp(method->valuestring, "PUT") ||
                                               !strcmp(method->valuestring, "PATCH"))))
        return snprintf(err, n, "method must be POST, PUT or PATCH"), -1;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(src, "webhook_type");
    if (type && !(cJSON_IsString(type) && (!strcmp(type->valuestring, "default") || !strcmp(type->valuestring, "slack") ||
                                           !strcmp(type->valuestring, "custom"))))
        return snprintf(err, n, "webhook_type must be default, slack or custom"), -1;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(src, "workflow_ids");
    if (ids && !json_is_string_array(ids))
        return snprintf(err, n, "workflow_ids must be an array of strings"), -1;
    const cJSON *enabled = cJSON_GetObjectItemCaseSensitive(src, "is_enabled");
    if (enabled && !cJSON_IsBool(enabled))
        return snprintf(err, n, "is_enabled must be true or false"), -1;
    return 0;
}

/* A subscription naming an app takes only workflow events (checked on the merged result). */
int subscriptions_check_slug_events(const cJSON *doc, const char **code, char *err, size_t n)
{
    const char *slug = json_str(doc, "slug");
    const cJSON *e;
    if (!slug || !*slug)
        return 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "webhook_events")) if (webhooks_event_kind(e->valuestring) != 2) {
        *code = "INVALID_EVENT";
        char names[200];
        return snprintf(err, n, "Invalid event. A webhook with a slug takes only workflow events (%s); %s is not one",
                        webhooks_event_names(WEBHOOKS_WORKFLOW_EVENT, names, sizeof names), e->valuestring), -1;
    }
    return 0;
}

/* webhook_type as the spec computes it: custom when the body template is not the plain event,
 * slack for a Slack incoming-webhook URL, otherwise default. */
static const char *infer_type(const cJSON *doc)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(doc, "webhook_body");
    if (body && !cJSON_IsNull(body) && !(cJSON_IsString(body) && !strcmp(body->valuestring, DEFAULT_BODY)))
        return "custom";
    const char *url = json_str(doc, "webhook_url");
    if (url && (strstr(url, "://hooks.slack.com/") || strstr(url, "://hooks.slack-gov.com/")))
        return "slack";
    return "default";
}

/* Merges the given fields of src into doc (a stored subscription, or an empty object) and puts the
 * result in the RefoldWebhook member order. */
cJSON *subscriptions_merged(const struct tenant *t, const cJSON *doc, const cJSON *src, const char *at)
{
    cJSON *all = cJSON_Duplicate(doc, 1);
    const cJSON *f;
    cJSON_ArrayForEach(f, src) {
        static const char *const fields[] = {"webhook_url", "webhook_events", "webhook_headers", "webhook_body",
                                             "webhook_description", "description", "method", "slug", "workflow_ids",
                                             "webhook_type", "is_enabled", "group"};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (!strcmp(f->string, fields[i]))
                json_set(all, f->string, cJSON_Duplicate(f, 1));
    }
    /* Without an explicit type the body decides; the body only counts for custom webhooks. */
    const char *given = cJSON_HasObjectItem(src, "webhook_type") ? json_str(src, "webhook_type") : NULL;
    if (!given)
        given = cJSON_HasObjectItem(src, "webhook_body") ? infer_type(all) : json_str(all, "webhook_type");
    char type[16]; /* a copy: the member it came from is replaced below */
    snprintf(type, sizeof type, "%s", given ? given : infer_type(all));
    if (strcmp(type, "custom"))
        json_set(all, "webhook_body", cJSON_CreateString(DEFAULT_BODY));
    json_set(all, "webhook_type", cJSON_CreateString(type));

    cJSON *o = cJSON_CreateObject();
    if (json_str(all, "_id")) {
        cJSON_AddStringToObject(o, "_id", json_str(all, "_id"));
    } else {
        char id[25];
        util_new_id(id);
        cJSON_AddStringToObject(o, "_id", id);
    }
    cJSON_AddStringToObject(o, "org_id", t->org_id);
    cJSON_AddStringToObject(o, "environment", t->environment);
    cJSON_AddBoolToObject(o, "is_enabled", json_bool(all, "is_enabled", 1));
    cJSON *events = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(all, "webhook_events")) {
        int dup = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, events) dup |= !strcmp(x->valuestring, e->valuestring);
        if (!dup)
            cJSON_AddItemToArray(events, cJSON_CreateString(e->valuestring));
    }
    cJSON_AddItemToObject(o, "webhook_events", events);
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(all, "workflow_ids");
    cJSON_AddItemToObject(o, "workflow_ids", cJSON_IsArray(ids) ? cJSON_Duplicate(ids, 1) : cJSON_CreateArray());
    cJSON_AddStringToObject(o, "webhook_url", json_str(all, "webhook_url"));
    cJSON_AddItemToObject(o, "webhook_body", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(all, "webhook_body"), 1));
    const cJSON *headers = cJSON_GetObjectItemCaseSensitive(all, "webhook_headers");
    if (cJSON_IsObject(headers) && cJSON_GetArraySize(headers) > 0)
        cJSON_AddItemToObject(o, "webhook_headers", cJSON_Duplicate(headers, 1));
    cJSON_AddStringToObject(o, "method", json_str(all, "method") ? json_str(all, "method") : "POST");
    static const char *const optional[] = {"slug", "description", "webhook_description", "group"};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        const char *v = json_str(all, optional[i]);
        if (v && *v) /* an empty string unsets */
            cJSON_AddStringToObject(o, optional[i], v);
    }
    cJSON_AddStringToObject(o, "webhook_type", type);
    cJSON_AddStringToObject(o, "createdAt", json_str(all, "createdAt") ? json_str(all, "createdAt") : at);
    cJSON_AddStringToObject(o, "updatedAt", at);
    cJSON_AddNumberToObject(o, "__v", json_str(all, "createdAt") ? json_num(all, "__v", 0) + 1 : 0);
    cJSON_Delete(all);
    return o;
}

int subscriptions_register(struct mock *m, const struct tenant *t, const cJSON *req, cJSON **out,
                     const char **code, char *err, size_t n)
{
    return subscriptions_register_owned(m, t, NULL, req, out, code, err, n);
}

int subscriptions_register_owned(struct mock *m, const struct tenant *t, const char *owner, const cJSON *req,
                                 cJSON **out, const char **code, char *err, size_t n)
{
    if (!cJSON_IsObject(req)) {
        *code = "BAD_REQUEST";
        return snprintf(err, n, "the request body must be a JSON object"), -1;
    }
    if (subscriptions_check_fields(m, req, 1, code, err, n))
        return -1;
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    cJSON *empty = cJSON_CreateObject(), *doc = subscriptions_merged(t, empty, req, at);
    cJSON_Delete(empty);
    if (subscriptions_check_slug_events(doc, code, err, n) || store_put(m->store, t->id, KIND, json_str(doc, "_id"), owner, doc)) {
        if (!err[0])
            *code = "SERVER_ERROR", snprintf(err, n, "could not store the webhook");
        cJSON_Delete(doc);
        return -1;
    }
    if (out)
        *out = doc;
    else
        cJSON_Delete(doc);
    return 0;
}

cJSON *subscriptions_list(struct mock *m, const struct tenant *t, const char *owner)
{
    return store_list(m->store, t->id, KIND, owner, NULL, NULL, 0, 0, NULL);
}

cJSON *subscriptions_get(struct mock *m, const struct tenant *t, const char *id)
{
    return store_get(m->store, t->id, KIND, id);
}

int subscriptions_owner(struct mock *m, const struct tenant *t, const char *id, char owner[MOCK_ID_LEN])
{
    return store_parent(m->store, t->id, KIND, id, owner, MOCK_ID_LEN) ? 1 : 0;
}

cJSON *subscriptions_get_in(struct mock *m, const char *tenant_id, const char *id)
{
    return store_get(m->store, tenant_id, KIND, id);
}

cJSON *subscriptions_first(struct mock *m, const struct tenant *t)
{
    cJSON *list = store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 1, NULL);
    cJSON *doc = cJSON_DetachItemFromArray(list, 0);
    cJSON_Delete(list);
    return doc;
}

/* 1 when subscription id exists and la (NULL: the key) may reach it; owner gets its owner. */
static int reachable(struct mock *m, const struct tenant *t, const char *id, const char *la, char owner[MOCK_ID_LEN])
{
    if (!subscriptions_owner(m, t, id, owner))
        return 0;
    return !la || !strcmp(owner, la);
}

int subscriptions_update(struct mock *m, const struct tenant *t, const char *id, const char *la, const cJSON *change,
                         cJSON **out, const char **code, char *err, size_t n)
{
    if (subscriptions_check_fields(m, change, 0, code, err, n))
        return SUBS_INVALID;
    char at[32], owner[MOCK_ID_LEN];
    util_iso8601(clock_now_ms(m), at);
    store_begin(m->store);
    cJSON *old = reachable(m, t, id, la, owner) ? store_get(m->store, t->id, KIND, id) : NULL;
    if (!old) {
        store_rollback(m->store);
        return SUBS_NOT_FOUND;
    }
    cJSON *doc = subscriptions_merged(t, old, change, at);
    cJSON_Delete(old);
    if (subscriptions_check_slug_events(doc, code, err, n)) {
        store_rollback(m->store);
        cJSON_Delete(doc);
        return SUBS_INVALID;
    }
    if (store_put(m->store, t->id, KIND, id, owner, doc)) {
        store_rollback(m->store);
        cJSON_Delete(doc);
        return SUBS_STORE_ERROR;
    }
    if (store_commit(m->store)) {
        cJSON_Delete(doc);
        return SUBS_STORE_ERROR;
    }
    *out = doc;
    return SUBS_OK;
}

int subscriptions_delete(struct mock *m, const struct tenant *t, const char *id, const char *la, cJSON **rest)
{
    char owner[MOCK_ID_LEN];
    store_begin(m->store);
    if (!reachable(m, t, id, la, owner) || !store_del(m->store, t->id, KIND, id)) {
        store_rollback(m->store);
        return SUBS_NOT_FOUND;
    }
    cJSON *left = rest ? subscriptions_list(m, t, la) : NULL; /* (what is left that la may see) */
    if (store_commit(m->store)) {
        cJSON_Delete(left);
        return SUBS_STORE_ERROR;
    }
    if (rest)
        *rest = left;
    return SUBS_OK;
}

int subscriptions_set_group(struct mock *m, const struct tenant *t, const cJSON *ids, const char *group, cJSON **out,
                            const char **missing)
{
    char at[32];
    util_iso8601(clock_now_ms(m), at);
    cJSON *done = cJSON_CreateArray();
    const cJSON *id;
    store_begin(m->store);
    cJSON_ArrayForEach(id, ids) {
        char owner[MOCK_ID_LEN] = "";
        cJSON *doc = store_parent(m->store, t->id, KIND, id->valuestring, owner, sizeof owner)
                         ? store_get(m->store, t->id, KIND, id->valuestring) : NULL;
        if (!doc) {
            store_rollback(m->store);
            cJSON_Delete(done);
            *missing = id->valuestring;
            return SUBS_NOT_FOUND;
        }
        cJSON *change = cJSON_CreateObject();
        cJSON_AddStringToObject(change, "group", group ? group : "");
        cJSON *updated = subscriptions_merged(t, doc, change, at);
        cJSON_Delete(change);
        cJSON_Delete(doc);
        doc = updated;
        store_put(m->store, t->id, KIND, id->valuestring, owner, doc); /* (the owner stays) */
        int dup = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, done) dup |= !strcmp(json_str(x, "_id"), id->valuestring);
        if (dup)
            cJSON_Delete(doc);
        else
            cJSON_AddItemToArray(done, doc);
    }
    if (store_commit(m->store)) {
        cJSON_Delete(done);
        return SUBS_STORE_ERROR;
    }
    *out = done;
    return SUBS_OK;
}

/* Stores doc with webhook_events replaced by events (taken), after the register route's checks. */
static int set_events(struct mock *m, const struct tenant *t, const cJSON *doc, cJSON *events, cJSON **out,
                      const char **code, char *err, size_t n)
{
    char at[32];
    cJSON *change = cJSON_CreateObject();
    cJSON_AddItemToObject(change, "webhook_events", events);
    if (cJSON_GetArraySize(events) && subscriptions_check_fields(m, change, 0, code, err, n)) {
        cJSON_Delete(change);
        return SUBS_INVALID;
    }
    util_iso8601(clock_now_ms(m), at);
    cJSON *merged = subscriptions_merged(t, doc, change, at);
    cJSON_Delete(change);
    const char *id = json_str(merged, "_id");
    store_begin(m->store);
    if (!store_exists(m->store, t->id, KIND, id)) { /* deleted meanwhile */
        store_rollback(m->store);
        cJSON_Delete(merged);
        return SUBS_NOT_FOUND;
    }
    if (store_put(m->store, t->id, KIND, id, NULL, merged)) {
        store_rollback(m->store);
        cJSON_Delete(merged);
        return SUBS_STORE_ERROR;
    }
    if (store_commit(m->store)) {
        cJSON_Delete(merged);
        return SUBS_STORE_ERROR;
    }
    *out = merged;
    return SUBS_OK;
}

/* "connection-created" -> "Connection Created"; other names unchanged. */
static cJSON *event_name(const char *s)
{
    char out[64];
    if (strchr(s, ' ') || !strchr(s, '-') || strlen(s) >= sizeof out)
        return cJSON_CreateString(s);
    int word_start = 1;
    size_t i = 0;
    for (; s[i]; i++) {
        char c = s[i] == '-' ? ' ' : s[i];
        out[i] = word_start ? (char)toupper((unsigned char)c) : c;
        word_start = c == ' ';
    }
    out[i] = 0;
    return cJSON_CreateString(out);
}

int subscriptions_add_events(struct mock *m, const struct tenant *t, const cJSON *doc, const cJSON *names, cJSON **out,
                             const char **code, char *err, size_t n)
{
    cJSON *events = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(doc, "webhook_events"), 1), *e;
    if (!cJSON_IsArray(events)) {
        cJSON_Delete(events);
        events = cJSON_CreateArray();
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, names) {
        cJSON *name = event_name(a->valuestring);
        int have = 0;
        cJSON_ArrayForEach(e, events) have |= cJSON_IsString(e) && !strcmp(e->valuestring, name->valuestring);
        if (have)
            cJSON_Delete(name);
        else
            cJSON_AddItemToArray(events, name);
    }
    return set_events(m, t, doc, events, out, code, err, n);
}

int subscriptions_remove_event(struct mock *m, const struct tenant *t, const cJSON *doc, const char *name, cJSON **out,
                               const char **code, char *err, size_t n)
{
    cJSON *drop = event_name(name);
    cJSON *events = cJSON_CreateArray();
    const cJSON *e;
    int found = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "webhook_events")) {
        if (cJSON_IsString(e) && !strcmp(e->valuestring, drop->valuestring))
            found = 1;
        else
            cJSON_AddItemToArray(events, cJSON_Duplicate(e, 1));
    }
    int rc;
    if (!found) {
        cJSON_Delete(events);
        snprintf(err, n, "the webhook is not subscribed to %s", drop->valuestring);
        rc = SUBS_NOT_SUBSCRIBED;
    } else {
        rc = set_events(m, t, doc, events, out, code, err, n);
    }
    cJSON_Delete(drop);
    return rc;
}

void subscriptions_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    store_del_children(m->store, t->id, KIND, la);
}
