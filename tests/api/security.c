/* security.c: API tests for tenant isolation (every operation of the route table tried with
 * Globex's credentials against Acme's ids), session-token tampering, expiry and revocation,
 * credentials never echoed in responses or logs, the admin token, and the loopback default. */
#define _GNU_SOURCE
#include "harness.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "routes.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"
#define ACME_LA "acme_secret_la"
#define GLOBEX_LA "globex_own_la"
/* Credential values that must never come back out of the mock. */
#define TWILIO_SID "AC5ec7e7f0a1b2c3d4e5f60718293a4b5c"
#define TWILIO_NUMBER "+15005550006"
#define FRESHDESK_KEY "fd_live_9c2b7e41d8a3f5061e2d"    /* a "password" field */
#define OAUTH_ACCESS "pat-na1-6b1f0e2d-3c4a-4f5b-9a8e-7d6c5b4a3f21"
#define OAUTH_REFRESH "na1-0f9e8d7c-6b5a-4321-8f0e-1d2c3b4a5e6f"
#define GREENHOUSE_KEY "gh_harvest_5f0b19e8c7d24a63"   /* a "password" field that is also the identifier */
#define APPROVE_WORKFLOW                                                                                          \
    "{\"name\":\"Approve discount\",\"run\":{\"duration_seconds\":5,\"human_task\":{\"name\":\"Approve Discount\"," \
    "\"form_structure\":{\"type\":\"object\",\"required\":[\"approved\"],\"properties\":{\"approved\":{\"type\":"   \
    "\"boolean\"}}},\"receiver_emails\":[\"approver@example.com\"],\"expire_in_seconds\":86400}}}"

/* ---- Acme's world: one resource of every family, and the ids it got ---- */

struct ids {
    char webhook[32], event[32], config[64], field[32], dataref[64], definition[32], value[32], mcp[32], table[32],
        record[32], draft[32], workflow[32], execution[32], node[32], schedule[32], human_task[32];
    char acme_token[2048], globex_token[2048];
};

/* The first string member `key` found anywhere in v (depth first), optionally only in objects
 * whose member `match` equals `value`. */
static const char *find_str(const cJSON *v, const char *key, const char *match, const char *value)
{
    if (cJSON_IsObject(v)) {
        const char *s = th_str(v, key);
        if (s && (!match || (th_str(v, match) && !strcmp(th_str(v, match), value))))
            return s;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, v) {
        if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            const char *s = find_str(c, key, match, value);
            if (s)
                return s;
        }
    }
    return NULL;
}

static th_resp call(refold_mock *m, const char *method, const char *path, const char *key, const char *la,
                    const char *token, const char *extra, const char *body)
{
    char kh[128], lh[256], ah[2200];
    const char *hs[5] = {0};
    int n = 0;
    if (key) {
        snprintf(kh, sizeof kh, "x-api-key: %s", key);
        hs[n++] = kh;
    }
    if (la) {
        snprintf(lh, sizeof lh, "linked_account_id: %s", la);
        hs[n++] = lh;
    }
    if (token) {
        snprintf(ah, sizeof ah, "Authorization: Bearer %s", token);
        hs[n++] = ah;
    }
    if (extra)
        hs[n++] = extra;
    return th_request(m, method, path, body, hs);
}

/* Runs one seeding request with Acme's key and keeps what `key` names in the answer. */
static void seed(refold_mock *m, const char *method, const char *path, const char *extra, const char *body,
                 const char *key, const char *match, const char *value, char *out, size_t n)
{
    th_resp r = call(m, method, path, ACME, ACME_LA, NULL, extra, body);
    if (r.status < 200 || r.status > 299)
        fprintf(stderr, "seed %s %s: %ld %s\n", method, path, r.status, r.body);
    assert_true(r.status >= 200 && r.status <= 299);
    if (out) {
        const char *s = find_str(r.json, key, match, value);
        if (!s)
            fprintf(stderr, "seed %s %s: no %s in %s\n", method, path, key, r.body);
        assert_non_null(s);
        snprintf(out, n, "%s", s);
    }
    th_free(&r);
}

static void seed_acme(refold_mock *m, struct ids *id)
{
    char path[256];
    th_create_la(m, ACME, ACME_LA, "Acme Secret Customer");
    th_create_la(m, GLOBEX, GLOBEX_LA, "Globex Own Customer");
    seed(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", NULL,
         "{\"sid\":\"" TWILIO_SID "\",\"number\":\"" TWILIO_NUMBER "\"}", NULL, NULL, NULL, NULL, 0);
    seed(m, "POST", "/api/v2/public/webhook", NULL,
         "{\"webhook_url\":\"https://acme.example/hooks\",\"webhook_events\":[\"Connection Expired\"]}", "_id", NULL, NULL,
         id->webhook, sizeof id->webhook);
    seed(m, "POST", "/api/v2/public/application/event", NULL, "{\"name\":\"acme_secret_event\",\"response\":\"{}\"}",
         "_id", "name", "acme_secret_event", id->event, sizeof id->event);
    seed(m, "POST", "/api/v2/public/config", NULL, "{\"slug\":\"playground_app\",\"config_id\":\"acme_secret_config\"}",
         "config_id", NULL, NULL, id->config, sizeof id->config);
    seed(m, "POST", "/api/v2/public/config/field", "slug: playground_app", "{}", "id", NULL, NULL, id->field,
         sizeof id->field);
    seed(m, "POST", "/api/v2/public/dataref", NULL, "{\"refName\":\"acme_secret_contacts\"}", "name", NULL, NULL,
         id->dataref, sizeof id->dataref);
    seed(m, "POST", "/api/v2/public/env/values", NULL,
         "{\"variable_definition_id\":\"6a159ac241e63efd08337751\",\"value\":\"250\"}", "_id", NULL, NULL, id->value,
         sizeof id->value);
    snprintf(id->definition, sizeof id->definition, "6a159ac241e63efd08337751"); /* Acme's, from the fixtures */
    seed(m, "POST", "/api/v2/public/mcp-servers", NULL, "{\"name\":\"Acme Secret MCP\",\"description\":\"internal\"}",
         "_id", NULL, NULL, id->mcp, sizeof id->mcp);
    seed(m, "POST", "/api/v2/public/tables", NULL,
         "{\"table_name\":\"acme_secret_leads\",\"columns\":[{\"column_name\":\"email\"}]}", "table_id", NULL, NULL,
         id->table, sizeof id->table);
    snprintf(path, sizeof path, "/api/v2/public/tables/%s", id->table);
    seed(m, "PATCH", path, NULL, "{\"data\":[{\"email\":\"ceo@acme.example\"}]}", NULL, NULL, NULL, NULL, 0);
    seed(m, "GET", path, NULL, NULL, "record_id", "email", "ceo@acme.example", id->record, sizeof id->record);
    seed(m, "POST", "/api/v2/public/workflow", NULL, APPROVE_WORKFLOW, "_id", NULL, NULL, id->draft, sizeof id->draft);
    th_session_token(m, ACME, ACME_LA, id->acme_token, sizeof id->acme_token);
    th_session_token(m, GLOBEX, GLOBEX_LA, id->globex_token, sizeof id->globex_token);
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/publish", id->draft);
    th_resp r = th_bearer(m, "PUT", path, id->acme_token, "{\"published\":true}");
    assert_int_equal(r.status, 200);
    snprintf(id->workflow, sizeof id->workflow, "%s", th_str(r.json, "_id"));
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/execute", id->workflow);
    seed(m, "POST", path, "slug: hubspot", "{\"deal_id\":\"9001\"}", "execution_id", NULL, NULL, id->execution,
         sizeof id->execution);
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", id->execution);
    seed(m, "GET", path, NULL, NULL, "node_id", NULL, NULL, id->node, sizeof id->node);
    seed(m, "GET", path, NULL, NULL, "human_task_id", NULL, NULL, id->human_task, sizeof id->human_task);
    /* A schedule on hubspot's public "Sync new contacts" workflow. */
    const char *hs[] = {"x-api-key: " ACME, "linked_account_id: " ACME_LA, "slug: hubspot",
                        "workflow_id_alias: 69ae87a592145348d38f4ef9", NULL};
    r = th_request(m, "POST", "/api/v1/workflow/public/scheduled",
                   "{\"trigger_type\":\"cron\",\"regex\":\"0 9 * * 1\",\"timezone\":\"UTC\"}", hs);
    if (r.status != 200)
        fprintf(stderr, "seed schedule: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    snprintf(id->schedule, sizeof id->schedule, "%s", th_str(r.json, "_id"));
    th_free(&r);
}

/* The Acme value for a path parameter of pattern. Catalogue parameters (an app, an action, a
 * datastore of an app's config, a credential key name, a scope) are not tenant data. */
static const char *param_value(const struct ids *id, const char *pattern, const char *name, int *tenant)
{
    *tenant = 1;
    if (!strcmp(name, "linked_account_id"))
        return ACME_LA;
    if (!strcmp(name, "id"))
        return strstr(pattern, "/webhook/") ? id->webhook : strstr(pattern, "/env/definitions/") ? id->definition
                                                                                                 : id->human_task;
    static const struct {
        const char *name;
        size_t off;
    } map[] = {
        {"event_id", offsetof(struct ids, event)},         {"configId", offsetof(struct ids, config)},
        {"fieldId", offsetof(struct ids, field)},          {"refName", offsetof(struct ids, dataref)},
        {"definition_id", offsetof(struct ids, definition)}, {"value_id", offsetof(struct ids, value)},
        {"mcp_server_id", offsetof(struct ids, mcp)},      {"table_id", offsetof(struct ids, table)},
        {"record_id", offsetof(struct ids, record)},       {"execution_id", offsetof(struct ids, execution)},
        {"instanceId", offsetof(struct ids, execution)},   {"node_id", offsetof(struct ids, node)},
        {"schedule_id", offsetof(struct ids, schedule)},   {"workflowId", offsetof(struct ids, workflow)},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(name, map[i].name))
            return (const char *)id + map[i].off;
    *tenant = 0;
    if (!strcmp(name, "slug"))
        return strstr(pattern, "/config") ? "playground_app" : "hubspot";
    if (!strcmp(name, "action_id"))
        return "create_contact";
    if (!strcmp(name, "key"))
        return "api_key";
    if (!strcmp(name, "scope"))
        return "org";
    if (!strcmp(name, "datastore_name"))
        return "contacts";
    if (!strcmp(name, "name")) /* a page asset */
        return "mock.css";
    return NULL;
}

/* Fills the pattern's parameters; 0 when one has no known value. */
static int build_path(const struct ids *id, const char *pattern, char *out, size_t n, int *tenant_param)
{
    size_t o = 0;
    *tenant_param = 0;
    for (const char *p = pattern; *p && o + 1 < n;) {
        if (*p != '{') {
            out[o++] = *p++;
            continue;
        }
        const char *end = strchr(p, '}');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        int tenant;
        const char *v = param_value(id, pattern, name, &tenant);
        if (!v) {
            fprintf(stderr, "security: no value for {%s} of %s: add one to param_value()\n", name, pattern);
            return 0;
        }
        *tenant_param |= tenant;
        o += (size_t)snprintf(out + o, n - o, "%s", v);
        p = end + 1;
    }
    out[o < n ? o : n - 1] = 0;
    return 1;
}

/* Acme's data that must not appear in anything Globex gets. What the request itself carried (an
 * id in its path, Acme's linked account id in its header) may come back in a 404's message:
 * those are blanked out before looking. */
static void blank(char *s, const char *what)
{
    size_t n = strlen(what);
    for (char *p = n ? strstr(s, what) : NULL; p; p = strstr(p + n, what))
        memset(p, '#', n);
}

static int longer_first(const void *a, const void *b)
{
    return (int)strlen(*(const char *const *)b) - (int)strlen(*(const char *const *)a);
}

static int leaks_acme(const struct ids *id, const char *body, const char *path, int sent_la)
{
    char *b = strdup(body), *segs = strdup(path), *save = NULL;
    if (sent_la)
        blank(b, ACME_LA);
    const char *seg[16];
    int nseg = 0;
    for (char *t = strtok_r(segs, "/", &save); t && nseg < 16; t = strtok_r(NULL, "/", &save))
        seg[nseg++] = t;
    qsort(seg, (size_t)nseg, sizeof *seg, longer_first); /* "acme_secret_config" before "config" */
    for (int i = 0; i < nseg; i++)
        if (strlen(seg[i]) > 3)
            blank(b, seg[i]);
    free(segs);
    const char *marks[] = {ACME_LA, TWILIO_SID, "Acme Secret", "acme_secret", id->webhook, id->event, id->field,
                           id->value, id->mcp, id->table, id->record, id->draft, id->workflow, id->execution,
                           id->schedule, id->human_task, id->definition};
    int leak = 0;
    for (size_t i = 0; i < sizeof marks / sizeof *marks && !leak; i++)
        if (marks[i][0] && strstr(b, marks[i])) {
            fprintf(stderr, "security: leaked \"%s\"\n", marks[i]);
            leak = 1;
        }
    free(b);
    return leak;
}

/* Bodies that pass validation, so the answer is about whose resource it is. */
static const char *walk_body(const struct route *rt)
{
    static const struct {
        const char *operation, *body;
    } bodies[] = {
        {"publishWorkflow", "{\"published\":true}"},
        {"updateWebhook", "{\"is_enabled\":false}"},
        {"updateEvent", "{\"name\":\"renamed\",\"response\":\"{}\"}"},
        {"updateMcpServer", "{\"name\":\"renamed\"}"},
        {"addRecordsToPersistentTable", "{\"data\":[{\"email\":\"x@globex.example\"}]}"},
        {"updateSchedule", "{\"regex\":\"0 10 * * 1\"}"},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++)
        if (!strcmp(rt->operation, bodies[i].operation))
            return bodies[i].body;
    return strcmp(rt->method, "GET") && strcmp(rt->method, "DELETE") ? "{}" : NULL;
}

/* "Not visible" is what the route's page shows for a missing id: a 404 on most families, a 400
 * RESOURCE_NOT_FOUND "Webhook not found" on the webhook pages (webhooks/get-webhook-by-id.mdx). */
static int not_visible(const th_resp *r)
{
    if (r->status == 404)
        return 1;
    const char *code = r->json ? th_str(r->json, "error_code") : NULL;
    return r->status == 400 && code && !strcmp(code, "RESOURCE_NOT_FOUND");
}

static void tenant_isolation_walk(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    struct ids id;
    memset(&id, 0, sizeof id);
    seed_acme(m, &id);
    int walked = 0, isolated = 0, open_ok = 0, failures = 0, not_built = 0;
    for (const struct route *rt = routes; rt->method; rt++) {
        if (!strncmp(rt->pattern, "/__mock", 7) || rt->flags == AUTH_NONE || (rt->flags & RAW_BODY))
            continue; /* admin: see admin_token_protects_admin_api; pages and task links: public by design */
        char path[512];
        int tenant_param;
        assert_true(build_path(&id, rt->pattern, path, sizeof path, &tenant_param));
        int takes_la = (rt->flags & (NEED_LA | OPT_LA)) != 0;
        int by_key = (rt->flags & AUTH_KEY) != 0;
        /* Globex's key, pointing at Acme's linked account where the route takes one; token-only
         * routes get a session token of Globex's own linked account. */
        const char *body = walk_body(rt);
        if (!by_key) /* a fresh one each time: the walk also calls the revoke route */
            th_session_token(m, GLOBEX, GLOBEX_LA, id.globex_token, sizeof id.globex_token);
        th_resp r = by_key ? call(m, rt->method, path, GLOBEX, takes_la ? ACME_LA : NULL, NULL, "slug: hubspot", body)
                           : call(m, rt->method, path, NULL, NULL, id.globex_token, "slug: hubspot", body);
        int must_404 = tenant_param || (by_key && takes_la);
        const char *verdict = "ok";
        walked++;
        if (r.status == 501) {
            not_built++;
            verdict = "not built (501)";
        } else if (must_404 && !not_visible(&r)) {
            failures++;
            verdict = "FAIL: expected the route's not-found answer";
        } else if (r.status >= 500) {
            failures++;
            verdict = "FAIL: 5xx";
        } else if (leaks_acme(&id, r.body ? r.body : "", path, by_key && takes_la)) {
            failures++;
            verdict = "FAIL: Acme data in the response";
        } else if (must_404) {
            isolated++;
        } else {
            open_ok++;
        }
        if (strcmp(verdict, "ok"))
            fprintf(stderr, "security: %-6s %-70s %ld %s  %.200s\n", rt->method, path, r.status, verdict, r.body);
        th_free(&r);
    }
    fprintf(stderr,
            "security: walked %d operations with Globex's credentials: %d answered not-found for Acme's ids, %d are "
            "Globex's own (lists, creates) without Acme data, %d not built, %d failures\n",
            walked, isolated, open_ok, not_built, failures);

    /* Nothing Globex sent (deletes, updates, stops) touched Acme's resources. */
    char path[256];
    th_resp r = call(m, "GET", "/api/v2/public/linked-account/" ACME_LA, ACME, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    const char *checks[][2] = {{"/api/v2/public/webhook/%s", id.webhook},      {"/api/v2/public/mcp-servers/%s", id.mcp},
                               {"/api/v2/public/tables/%s", id.table},         {"/api/v2/public/dataref/%s", id.dataref},
                               {"/api/v2/public/execution/%s", id.execution},  {"/api/v2/public/workflow/%s", id.workflow},
                               {"/api/v2/public/application/event/%s", id.event}};
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
        snprintf(path, sizeof path, checks[i][0], checks[i][1]);
        r = call(m, "GET", path, ACME, ACME_LA, NULL, NULL, NULL);
        if (r.status != 200)
            fprintf(stderr, "security: Acme's %s is gone after the walk: %ld %s\n", path, r.status, r.body);
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    r = call(m, "GET", "/api/v2/public/application/twilio", ACME, ACME_LA, NULL, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    th_free(&r);
    assert_int_equal(failures, 0);
    assert_true(walked > 90);
    refold_mock_stop(m);
}

/* ---- session tokens ---- */

static char *b64url(const char *in)
{
    size_t n = strlen(in);
    char *out = malloc(4 * n / 3 + 8);
    int k = EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)in, (int)n);
    while (k > 0 && out[k - 1] == '=')
        k--;
    out[k] = 0;
    for (int i = 0; i < k; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    return out;
}

static void expect_401(refold_mock *m, const char *token)
{
    th_resp r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", token, NULL);
    th_assert_error(&r, 401);
    assert_null(strstr(r.body, ACME_LA)); /* nothing about the account it names */
    th_free(&r);
}

static void jwt_tampered_expired_revoked(void **state)
{
    (void)state;
    refold_mock *m = th_start(NULL);
    th_create_la(m, ACME, ACME_LA, "Acme Secret Customer");
    th_create_la(m, GLOBEX, GLOBEX_LA, "Globex Own Customer");
    char tok[2048], other[2048];
    th_session_token(m, ACME, ACME_LA, tok, sizeof tok);
    th_session_token(m, GLOBEX, GLOBEX_LA, other, sizeof other);
    th_resp r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_int_equal(r.status, 200); /* the untouched token works */
    th_free(&r);

    char *dot1 = strchr(tok, '.'), *dot2 = strchr(dot1 + 1, '.');
    char head[512], payload[1024], sig[128], forged[4096];
    snprintf(head, sizeof head, "%.*s", (int)(dot1 - tok), tok);
    snprintf(payload, sizeof payload, "%.*s", (int)(dot2 - dot1 - 1), dot1 + 1);
    snprintf(sig, sizeof sig, "%s", dot2 + 1);
    /* Globex's payload under Acme's signature, and the other way round. */
    char *odot1 = strchr(other, '.'), *odot2 = strchr(odot1 + 1, '.');
    snprintf(forged, sizeof forged, "%s.%.*s.%s", head, (int)(odot2 - odot1 - 1), odot1 + 1, sig);
    expect_401(m, forged);
    /* One flipped character in the payload. */
    snprintf(forged, sizeof forged, "%s.%s.%s", head, payload, sig);
    forged[strlen(head) + 5] ^= 0x01;
    expect_401(m, forged);
    /* One flipped character in the signature. */
    snprintf(forged, sizeof forged, "%s.%s.%s", head, payload, sig);
    forged[strlen(forged) - 3] = forged[strlen(forged) - 3] == 'A' ? 'B' : 'A';
    expect_401(m, forged);
    /* "alg":"none" with the same claims and no signature, and with an empty one. */
    char *none = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    snprintf(forged, sizeof forged, "%s.%s.", none, payload);
    expect_401(m, forged);
    snprintf(forged, sizeof forged, "%s.%s", none, payload);
    expect_401(m, forged);
    free(none);
    /* A payload of our own making, signed with a key that is not the mock's. */
    char *mine = b64url("{\"typ\":\"access\",\"jti\":\"x\",\"tenant\":\"645270e37917442c4307297a:test\","
                        "\"linked_account_id\":\"" ACME_LA "\",\"exp\":4102444800}");
    snprintf(forged, sizeof forged, "%s.%s.%s", head, mine, sig);
    expect_401(m, forged);
    free(mine);
    expect_401(m, "not-a-jwt");
    expect_401(m, "a.b.c.d");
    expect_401(m, "");
    /* The refresh token is not an access token. */
    th_resp t = th_key(m, "POST", "/api/v2/public/session-token?force_refresh=true", ACME, NULL,
                       "{\"linked_account_id\":\"" ACME_LA "\"}");
    assert_int_equal(t.status, 200);
    expect_401(m, th_str(t.json, "refresh_token"));
    char fresh[2048];
    snprintf(fresh, sizeof fresh, "%s", th_str(t.json, "token"));
    th_free(&t);

    /* Revoked: the token stops working at once, the other one of the account does not. */
    r = th_bearer(m, "POST", "/api/v2/public/session-token/revoke", fresh, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    expect_401(m, fresh);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);

    /* Expired: 24 h of virtual time later. */
    assert_int_equal(refold_mock_advance_clock(m, 24 * 3600 + 1), 0);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", tok, NULL);
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN"); /* the page's code for any bad token */
    th_free(&r);
    /* A session token is not an API key, and an API key is not a session token. */
    r = th_key(m, "GET", "/api/v2/public/linked-account", other, NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/session/active-linked-account", ACME, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    refold_mock_stop(m);
}

/* ---- credentials never leave ---- */

/* Every GET the mock offers, as Acme with a key and with a token, plus the admin views: none may
 * contain a credential value. */
static void no_credential_in(refold_mock *m, const struct ids *id, const char *const *secrets)
{
    int seen = 0;
    for (const struct route *rt = routes; rt->method; rt++) {
        if (strcmp(rt->method, "GET") || (rt->flags & RAW_BODY) || !strncmp(rt->pattern, "/connect/", 9) ||
            !strncmp(rt->pattern, "/oauth/", 7))
            continue;
        char path[512];
        int tenant_param;
        assert_true(build_path(id, rt->pattern, path, sizeof path, &tenant_param));
        for (int as_token = 0; as_token < 2; as_token++) {
            if (as_token ? !(rt->flags & AUTH_TOKEN) : (rt->flags & AUTH_TOKEN) && !(rt->flags & AUTH_KEY))
                continue;
            th_resp r = as_token ? call(m, "GET", path, NULL, NULL, id->acme_token, "slug: hubspot", NULL)
                                 : call(m, "GET", path, ACME, ACME_LA, NULL, "slug: hubspot", NULL);
            for (int i = 0; secrets[i]; i++) {
                if (strstr(r.body, secrets[i]) || strstr(r.headers, secrets[i]))
                    fprintf(stderr, "security: %s %s shows a credential: %.300s\n", rt->method, path, r.body);
                assert_null(strstr(r.body, secrets[i]));
                assert_null(strstr(r.headers, secrets[i]));
            }
            seen++;
            th_free(&r);
        }
    }
    assert_true(seen > 40);
}

/* Connects freshdesk and greenhouse with secrets; the answers themselves must not echo them. */
static void seed_secrets(refold_mock *m)
{
    static const char *const calls[][2] = {
        {"freshdesk", "{\"domain\":\"acme-support.freshdesk.com\",\"api_key\":\"" FRESHDESK_KEY "\"}"},
        {"greenhouse", "{\"api_key\":\"" GREENHOUSE_KEY "\",\"on_behalf_of\":\"4080024\"}"},
    };
    for (size_t i = 0; i < 2; i++) {
        char path[160];
        snprintf(path, sizeof path, "/api/v2/public/linked-account/integration/save-key-credentials/%s", calls[i][0]);
        th_resp r = th_key(m, "PUT", path, ACME, ACME_LA, calls[i][1]);
        assert_int_equal(r.status, 200);
        assert_null(strstr(r.body, FRESHDESK_KEY));
        assert_null(strstr(r.body, GREENHOUSE_KEY));
        th_free(&r);
    }
}

static void credentials_never_appear(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = REFOLD_SOURCE_DIR "/fixtures";
    o.port = 0;
    o.admin_token = "adm_7d1f0c9e2b";
    char err[256];
    o.quiet = 1;
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    assert_non_null(m);
    struct ids id;
    memset(&id, 0, sizeof id);
    th_create_la(m, ACME, ACME_LA, "Acme Secret Customer");
    th_create_la(m, GLOBEX, GLOBEX_LA, "Globex Own Customer");
    seed_secrets(m);
    th_session_token(m, ACME, ACME_LA, id.acme_token, sizeof id.acme_token);
    th_session_token(m, GLOBEX, GLOBEX_LA, id.globex_token, sizeof id.globex_token);
    /* hubspot connected with OAuth tokens, as the consent flow stores them. */
    th_resp r;
    struct mock *mm = (struct mock *)m;
    const struct tenant *t = fixtures_tenant_by_key(mm->fx, ACME);
    cJSON *tokens = cJSON_Parse("{\"access_token\":\"" OAUTH_ACCESS "\",\"refresh_token\":\"" OAUTH_REFRESH "\"}");
    assert_int_equal(connections_connect(mm, t, ACME_LA, "hubspot", "oauth2", NULL, tokens), 0);
    cJSON *conn = connections_get(mm, t, ACME_LA, "hubspot");
    assert_non_null(conn);
    const cJSON *creds = cJSON_GetObjectItem(conn, "credentials");
    char access[256] = "", refresh[256] = "";
    if (th_str(creds, "access_token"))
        snprintf(access, sizeof access, "%s", th_str(creds, "access_token"));
    if (th_str(creds, "refresh_token"))
        snprintf(refresh, sizeof refresh, "%s", th_str(creds, "refresh_token"));
    cJSON_Delete(conn);
    /* A failing call, so error paths and the journal have something to say. */
    r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/freshdesk", ACME, ACME_LA,
               "{\"api_key\":\"" FRESHDESK_KEY "\"}");
    th_assert_error(&r, 400);
    assert_null(strstr(r.body, FRESHDESK_KEY));
    th_free(&r);
    assert_true(access[0] && refresh[0]);

    const char *secrets[] = {FRESHDESK_KEY, GREENHOUSE_KEY, "adm_7d1f0c9e2b", access, refresh, NULL};
    /* The admin views, with the admin token. */
    static const char *const admin[] = {"/__mock/requests", "/__mock/webhooks/deliveries",
                                        "/__mock/linked-accounts/" ACME_LA "/connections", "/__mock/scenario",
                                        "/__mock/routes", "/__mock/clock"};
    for (size_t i = 0; i < sizeof admin / sizeof *admin; i++) {
        const char *hs[] = {"Authorization: Bearer adm_7d1f0c9e2b", "x-api-key: " ACME, NULL};
        r = th_request(m, "GET", admin[i], NULL, hs);
        assert_int_equal(r.status, 200);
        for (int k = 0; secrets[k]; k++) {
            if (strstr(r.body, secrets[k]))
                fprintf(stderr, "security: %s shows a credential: %.400s\n", admin[i], strstr(r.body, secrets[k]) - 200 > r.body ? strstr(r.body, secrets[k]) - 200 : r.body);
            assert_null(strstr(r.body, secrets[k]));
        }
        th_free(&r);
    }
    refold_mock_stop(m);
    /* Reopen without the admin token for the walk over every GET. */
    o.admin_token = NULL;
    m = refold_mock_start(&o, err, sizeof err);
    assert_non_null(m);
    th_create_la(m, ACME, ACME_LA, "Acme Secret Customer");
    seed_secrets(m);
    th_session_token(m, ACME, ACME_LA, id.acme_token, sizeof id.acme_token);
    mm = (struct mock *)m;
    t = fixtures_tenant_by_key(mm->fx, ACME);
    assert_int_equal(connections_connect(mm, t, ACME_LA, "hubspot", "oauth2", NULL, tokens), 0);
    cJSON_Delete(tokens);
    conn = connections_get(mm, t, ACME_LA, "hubspot");
    creds = cJSON_GetObjectItem(conn, "credentials");
    snprintf(access, sizeof access, "%s", th_str(creds, "access_token"));
    snprintf(refresh, sizeof refresh, "%s", th_str(creds, "refresh_token"));
    cJSON_Delete(conn);
    const char *secrets2[] = {FRESHDESK_KEY, GREENHOUSE_KEY, access, refresh, NULL};
    no_credential_in(m, &id, secrets2);
    refold_mock_stop(m);

}

/* libcurl straight to a URL (the harness speaks to in-process mocks only). */
static long post_url(const char *url, const char *method, const char *const *headers, const char *body)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
    for (int i = 0; headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    fclose(devnull);
    return status;
}

/* The binary's own output (banner, scenario and webhook log lines) never carries a credential. */
static void credentials_never_logged(void **state)
{
    (void)state;
    th_proc p;
    const char *args[] = {"--port", "0", "--fixtures", REFOLD_SOURCE_DIR "/fixtures", "--scenario", "quickstart-hubspot",
                          "--admin-token", "adm_7d1f0c9e2b", NULL};
    th_spawn(&p, args, NULL, TH_SPAWN_PORT | TH_SPAWN_MERGE);
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", p.port);
    const char *key[] = {"x-api-key: " ACME, "linked_account_id: " ACME_LA, NULL};
    char url[256];
    snprintf(url, sizeof url, "%s/api/v2/public/linked-account", base);
    assert_int_equal(post_url(url, "POST", key, "{\"linked_account_id\":\"" ACME_LA "\"}"), 200);
    snprintf(url, sizeof url, "%s/api/v2/public/linked-account/integration/save-key-credentials/freshdesk", base);
    assert_int_equal(post_url(url, "PUT", key, "{\"domain\":\"acme.freshdesk.com\",\"api_key\":\"" FRESHDESK_KEY "\"}"), 200);
    assert_int_equal(post_url(url, "PUT", key, "{\"api_key\":\"" FRESHDESK_KEY "\"}"), 400);
    snprintf(url, sizeof url, "%s/api/v2/public/linked-account/integration/save-key-credentials/greenhouse", base);
    assert_int_equal(post_url(url, "PUT", key, "{\"api_key\":\"" GREENHOUSE_KEY "\"}"), 200);
    const char *adm[] = {"Authorization: Bearer adm_7d1f0c9e2b", "x-api-key: " ACME, NULL};
    snprintf(url, sizeof url, "%s/__mock/clock/advance", base);
    assert_int_equal(post_url(url, "POST", adm, "{\"seconds\":7200}"), 200); /* scenario steps log as they fire */
    assert_int_equal(th_spawn_stop(&p), 0);
    char *log = th_spawn_read(p.out);
    th_spawn_free(&p);
    assert_non_null(strstr(log, "listening on"));
    static const char *const secrets[] = {FRESHDESK_KEY, GREENHOUSE_KEY, "adm_7d1f0c9e2b", NULL};
    for (int k = 0; secrets[k]; k++) {
        if (strstr(log, secrets[k]))
            fprintf(stderr, "security: the log shows a credential:\n%s\n", log);
        assert_null(strstr(log, secrets[k]));
    }
    free(log);
}

/* ---- the admin API and the bind address ---- */

static void admin_token_protects_admin_api(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.admin_token = "adm_tok_3f9a";
    refold_mock *m = th_start(&o);
    int checked = 0;
    for (const struct route *rt = routes; rt->method; rt++) {
        if (strncmp(rt->pattern, "/__mock", 7))
            continue;
        char path[256];
        size_t k = 0;
        for (const char *p = rt->pattern; *p && k + 16 < sizeof path;) { /* any parameter value will do */
            if (*p == '{') {
                k += (size_t)snprintf(path + k, sizeof path - k, "%s", strstr(p, "{slug}") == p ? "hubspot" : "x");
                p = strchr(p, '}') + 1;
            } else {
                path[k++] = *p++;
            }
        }
        path[k] = 0;
        const char *body = strcmp(rt->method, "GET") ? "{}" : NULL;
        const char *none[] = {"x-api-key: " ACME, NULL};
        const char *wrong[] = {"Authorization: Bearer adm_tok_3f9b", "x-api-key: " ACME, NULL};
        const char *right[] = {"Authorization: Bearer adm_tok_3f9a", "x-api-key: " ACME, NULL};
        th_resp r = th_request(m, rt->method, path, body, none);
        if (rt->flags == AUTH_NONE) { /* the readiness probe stays open */
            assert_int_not_equal(r.status, 401);
            th_free(&r);
            continue;
        }
        if (r.status != 401)
            fprintf(stderr, "security: %s %s without the admin token: %ld\n", rt->method, path, r.status);
        assert_string_equal(th_assert_error(&r, 401), "INVALID_ADMIN_TOKEN");
        th_free(&r);
        r = th_request(m, rt->method, path, body, wrong);
        th_assert_error(&r, 401);
        th_free(&r);
        if (strcmp(rt->method, "GET")) /* (not running resets and loads with the right one) */
            continue;
        r = th_request(m, rt->method, path, body, right);
        assert_int_not_equal(r.status, 401);
        th_free(&r);
        checked++;
    }
    assert_true(checked >= 5);
    th_resp r = th_request(m, "GET", "/__mock/ui?admin_token=adm_tok_3f9a", NULL, NULL);
    assert_int_equal(r.status, 200); /* the dashboard link carries it in the query */
    th_free(&r);
    r = th_request(m, "GET", "/__mock/ui?admin_token=wrong", NULL, NULL);
    assert_int_equal(r.status, 401);
    th_free(&r);
    refold_mock_stop(m);
}

static void default_bind_is_loopback(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    assert_string_equal(o.host, "127.0.0.1");
    refold_mock *m = th_start(&o);
    assert_non_null(strstr(refold_mock_url(m), "http://127.0.0.1:"));
    /* Every non-loopback IPv4 address of this machine is refused. */
    struct ifaddrs *ifs = NULL, *i;
    int tried = 0;
    assert_int_equal(getifaddrs(&ifs), 0);
    for (i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        struct sockaddr_in a = *(struct sockaddr_in *)i->ifa_addr;
        if ((ntohl(a.sin_addr.s_addr) >> 24) == 127)
            continue;
        a.sin_port = htons((unsigned short)refold_mock_port(m));
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
        close(fd);
        assert_int_not_equal(rc, 0);
        tried++;
    }
    freeifaddrs(ifs);
    fprintf(stderr, "security: %d non-loopback addresses refused the connection\n", tried);
    refold_mock_stop(m);
    /* The binary's default too: its banner names the loopback address. */
    th_proc p;
    const char *args[] = {"--port", "0", NULL};
    th_spawn(&p, args, NULL, TH_SPAWN_PORT | TH_SPAWN_MERGE);
    assert_int_equal(th_spawn_stop(&p), 0); /* (the banner is out before a stop is taken) */
    char *said = th_spawn_read(p.out);
    th_spawn_free(&p);
    assert_non_null(strstr(said, "listening on http://127.0.0.1:"));
    free(said);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tenant_isolation_walk),
        cmocka_unit_test(jwt_tampered_expired_revoked),
        cmocka_unit_test(credentials_never_appear),
        cmocka_unit_test(credentials_never_logged),
        cmocka_unit_test(admin_token_protects_admin_api),
        cmocka_unit_test(default_bind_is_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
