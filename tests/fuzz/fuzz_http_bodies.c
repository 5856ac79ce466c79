/* fuzz_http_bodies.c: libFuzzer target for the JSON request bodies of every handler family.
 * Input: "operationId\n" then the body. The operation picks the route (any row of the table that
 * takes a body, an unknown name picks one by hash); its path parameters are ids of resources
 * made at start, and the request carries Acme's key, a linked account and a session token, so
 * the body reaches the handler's own validation and writes.
 *
 * Why through HTTP: handlers answer through CivetWeb's connection object, which only CivetWeb
 * can create, so a handler cannot be called alone. An in-process server and a kept-alive
 * socket cost one loopback round trip per input (thousands per second), and the fuzzer then
 * also covers what runs before the handler: routing, auth, body limits, JSON parsing.
 * A 500 or no answer at all counts as a crash, like a sanitizer report. */
#include "fuzz_client.h"
#include "routes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_HEADERS "x-api-key: tk_acme_test\r\nlinked_account_id: fz_la\r\nslug: hubspot\r\nContent-Type: application/json\r\n"

static struct {
    char table[64], mcp[64], webhook[64], event[64], workflow[64], token[2048];
} ids;
static long inputs;

static void post(const char *method, const char *path, const char *body, const char *key, char *out, size_t n)
{
    char resp[65536];
    int st = fz_request(method, path, KEY_HEADERS, body, strlen(body), resp, sizeof resp);
    if (st < 200 || st > 299) {
        fprintf(stderr, "fuzz: seeding %s %s: %d %s\n", method, path, st, resp);
        abort();
    }
    if (key && !fz_json_find(resp, key, out, n)) {
        fprintf(stderr, "fuzz: seeding %s %s: no %s in %s\n", method, path, key, resp);
        abort();
    }
}

/* Resources the path parameters point at (again after every reset). */
static void seed_world(void)
{
    post("POST", "/api/v2/public/linked-account", "{\"linked_account_id\":\"fz_la\",\"name\":\"Fuzz Inc.\"}", NULL, NULL, 0);
    post("POST", "/api/v2/public/tables", "{\"table_name\":\"leads\",\"columns\":[{\"column_name\":\"email\"}]}",
         "table_id", ids.table, sizeof ids.table);
    post("POST", "/api/v2/public/mcp-servers", "{\"name\":\"Fuzz MCP\",\"description\":\"d\"}", "_id", ids.mcp,
         sizeof ids.mcp);
    post("POST", "/api/v2/public/webhook",
         "{\"webhook_url\":\"http://127.0.0.1:9/hooks\",\"webhook_events\":[\"Connection Created\"]}", "_id",
         ids.webhook, sizeof ids.webhook);
    post("POST", "/api/v2/public/workflow", "{\"name\":\"Fuzz flow\"}", "_id", ids.workflow, sizeof ids.workflow);
    post("POST", "/api/v2/public/session-token?force_refresh=true", "{\"linked_account_id\":\"fz_la\"}", "token",
         ids.token, sizeof ids.token);
    snprintf(ids.event, sizeof ids.event, "%s", ids.webhook); /* any id: the event may not exist */
}

static const char *param(const char *pattern, const char *name)
{
    if (!strcmp(name, "linked_account_id") || (!strcmp(name, "id") && strstr(pattern, "linked-accounts")))
        return "fz_la";
    if (!strcmp(name, "slug"))
        return strstr(pattern, "/config") ? "playground_app" : "hubspot";
    if (!strcmp(name, "table_id"))
        return ids.table;
    if (!strcmp(name, "mcp_server_id"))
        return ids.mcp;
    if (!strcmp(name, "id") || !strcmp(name, "event_id"))
        return strstr(pattern, "webhook") ? ids.webhook : ids.event;
    if (!strcmp(name, "workflowId"))
        return ids.workflow;
    if (!strcmp(name, "action_id"))
        return "create_contact";
    if (!strcmp(name, "name"))
        return "quickstart-hubspot";
    return "x";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_mock();
    if (inputs++ % 5000 == 0) { /* keep the database small: the state of one input must not pile up */
        refold_mock_reset(fz_mock());
        seed_world();
    }
    const uint8_t *nl = memchr(data, '\n', size);
    size_t oplen = nl ? (size_t)(nl - data) : 0;
    const char *body = nl ? (const char *)nl + 1 : (const char *)data;
    size_t len = size - (nl ? oplen + 1 : 0);
    const struct route *with_body[256];
    int n = 0;
    for (const struct route *rt = routes; rt->method && n < 256; rt++)
        if (strcmp(rt->method, "GET"))
            with_body[n++] = rt;
    const struct route *rt = NULL;
    unsigned h = 5381;
    for (size_t i = 0; i < oplen; i++)
        h = h * 33 + data[i];
    for (int i = 0; i < n && !rt; i++)
        if (strlen(with_body[i]->operation) == oplen && !memcmp(with_body[i]->operation, data, oplen))
            rt = with_body[i];
    if (!rt)
        rt = with_body[h % (unsigned)n];
    if (!strcmp(rt->operation, "mockReset"))
        return 0; /* (wipes the resources the parameters point at) */

    char path[1024];
    size_t o = 0;
    for (const char *p = rt->pattern; *p && o < sizeof path - 200;) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
            o += (size_t)snprintf(path + o, sizeof path - o, "%s", param(rt->pattern, name));
            p = end + 1;
        } else {
            path[o++] = *p++;
        }
    }
    path[o] = 0;
    char headers[4096];
    snprintf(headers, sizeof headers, KEY_HEADERS "Authorization: Bearer %s\r\n", ids.token);
    char answer[4096] = "";
    int status = fz_request(rt->method, path, headers, body, len, answer, sizeof answer);
    if (status == 0 || fz_unexpected(status, answer)) {
        fprintf(stderr, "fuzz: %s %s answered %d\n", rt->method, path, status);
        abort();
    }
    if (!strcmp(rt->operation, "revokeLinkedAccountSessionToken") || !strcmp(rt->operation, "deleteLinkedAccount"))
        inputs = 0; /* the token or the account is gone: make the world again */
    return 0;
}
