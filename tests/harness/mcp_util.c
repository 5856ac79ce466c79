/* mcp_util.c: the MCP API tests' shared steps (see mcp_util.h). */
#include "mcp_util.h"

void mu_connect_hubspot(refold_mock *m, const char *key, const char *la)
{
    th_resp r = th_key(m, "PUT", "/api/v2/public/migrate-token", key, la,
                       "{\"slug\":\"hubspot\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at_secret_123\",\"refresh_token\":\"rt_secret_456\"}}}");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void mu_server(refold_mock *m, const char *key, const char *la, const char *config, char *id)
{
    th_resp r = th_key(m, "POST", "/api/v2/public/mcp-servers", key, la, "{\"name\":\"Acme CRM\",\"description\":\"HubSpot contacts for Acme\"}");
    assert_int_equal(r.status, 201);
    snprintf(id, 32, "%s", th_str(r.json, "_id"));
    th_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/mcp-servers/%s", id);
    r = th_key(m, "PUT", path, key, la, config);
    if (r.status != 200)
        fprintf(stderr, "PUT %s: %s\n", path, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void mu_pat(refold_mock *m, const char *key, const char *la, char *token)
{
    char path[160];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/personal-access-token", la);
    th_resp r = th_key(m, "POST", path, key, NULL, NULL);
    assert_int_equal(r.status, 201);
    assert_string_equal(th_str(r.json, "linked_account_id"), la);
    snprintf(token, 64, "%s", th_str(r.json, "token"));
    th_free(&r);
}

th_resp mu_post(refold_mock *m, const char *path, const char *bearer, const char *body)
{
    char auth[1100];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer ? bearer : "");
    const char *const h[] = {"Accept: application/json, text/event-stream", bearer ? auth : NULL, NULL};
    return th_request(m, "POST", path, body, h);
}

th_resp mu_rpc(refold_mock *m, const char *token, const char *server, const char *method, const char *params)
{
    char path[256];
    snprintf(path, sizeof path, "/mcp/v1/%s/%s", token, server);
    size_t n = strlen(method) + (params ? strlen(params) : 0) + 96;
    char *body = malloc(n);
    snprintf(body, n, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\"%s%s}", method, params ? ",\"params\":" : "", params ? params : "");
    th_resp r = mu_post(m, path, NULL, body);
    free(body);
    return r;
}

cJSON *mu_call(refold_mock *m, const char *token, const char *server, const char *name, const char *args,
                             int *is_error)
{
    char params[4096];
    snprintf(params, sizeof params, "{\"name\":\"%s\",\"arguments\":%s}", name, args);
    th_resp r = mu_rpc(m, token, server, "tools/call", params);
    assert_int_equal(r.status, 200);
    const cJSON *res = cJSON_GetObjectItem(r.json, "result");
    if (!res)
        fprintf(stderr, "tools/call %s: %s\n", name, r.body);
    assert_non_null(res);
    if (is_error)
        *is_error = cJSON_IsTrue(cJSON_GetObjectItem(res, "isError"));
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "content"), 0);
    assert_string_equal(th_str(c, "type"), "text");
    cJSON *out = cJSON_Parse(th_str(c, "text"));
    if (!out) /* a plain string (RESOLVE_ACTIONS with no match) */
        out = cJSON_CreateString(th_str(c, "text"));
    th_free(&r);
    return out;
}

int mu_rpc_code(const th_resp *r)
{
    const cJSON *e = cJSON_GetObjectItem(r->json, "error");
    assert_non_null(e);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r->json, "id")) || cJSON_GetObjectItem(r->json, "id"));
    return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "code"));
}

struct mu_fx *mu_fx_start(const char *la, const char *config)
{
    struct mu_fx *f = calloc(1, sizeof *f);
    f->m = th_start(NULL);
    th_create_la(f->m, ACME, la, "Acme customer");
    mu_connect_hubspot(f->m, ACME, la);
    mu_server(f->m, ACME, la, config, f->server);
    mu_pat(f->m, ACME, la, f->token);
    return f;
}

int mu_fx_teardown(void **state)
{
    struct mu_fx *f = *state;
    refold_mock_stop(f->m);
    free(f);
    return 0;
}
