/* flows_util.c: connecting apps as a product does, breaking connections, starting and reading
 * executions, for the actions/configs/workflows/executions API tests. */
#include "flows_util.h"

#include <stdio.h>
#include <string.h>

void fu_connect_playground(refold_mock *m, const char *key, const char *la)
{
    th_resp r = th_key(m, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/playground_app", key, la,
                       "{\"api_key\":\"pg_test_4f9a2c71e8\"}");
    if (r.status != 200)
        fprintf(stderr, "save-key-credentials: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void fu_connect_oauth(refold_mock *m, const char *key, const char *la, const char *slug)
{
    char token[1024], path[256], body[160];
    th_session_token(m, key, la, token, sizeof token);
    snprintf(path, sizeof path, "/api/v1/%s/integrate?", slug);
    th_resp r = th_bearer(m, "GET", path, token, NULL);
    assert_int_equal(r.status, 200);
    const char *st = strstr(th_str(r.json, "auth_url"), "state=");
    assert_non_null(st);
    snprintf(body, sizeof body, "state=%.32s&decision=approve&popup=1", st + 6);
    th_free(&r);
    snprintf(path, sizeof path, "/oauth/%s/authorize", slug);
    r = th_request(m, "POST", path, body, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void fu_expire(refold_mock *m, const char *key, const char *la, const char *slug, const char *reason)
{
    char path[256], body[64];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections/%s/expire", la, slug);
    snprintf(body, sizeof body, "{\"reason\":\"%s\"}", reason);
    th_resp r = th_key(m, "POST", path, key, NULL, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

th_resp fu_action(refold_mock *m, const char *key, const char *la, const char *slug, const char *action,
                                const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v2/integration-schema/%s/actions/%s/execute", slug, action);
    return th_key(m, "POST", path, key, la, body);
}

void fu_execute(refold_mock *m, const char *key, const char *la, const char *slug, const char *wid,
                              const char *body, char id[32])
{
    char path[256], hslug[96], hla[160], hkey[96];
    snprintf(path, sizeof path, "/api/v2/public/workflow/%s/execute", wid);
    snprintf(hslug, sizeof hslug, "slug: %s", slug);
    snprintf(hla, sizeof hla, "linked_account_id: %s", la);
    snprintf(hkey, sizeof hkey, "x-api-key: %s", key);
    const char *hs[] = {hkey, hla, hslug, NULL};
    th_resp r = th_request(m, "POST", path, body ? body : "{}", hs);
    if (r.status != 200)
        fprintf(stderr, "execute: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "message"), "Workflow execution started");
    snprintf(id, 32, "%s", th_str(r.json, "execution_id"));
    th_free(&r);
}

th_resp fu_execution(refold_mock *m, const char *key, const char *la, const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/execution/%s", id);
    return th_key(m, "GET", path, key, la, NULL);
}

const char *fu_status(refold_mock *m, const char *key, const char *la, const char *id, char *out, size_t n)
{
    th_resp r = fu_execution(m, key, la, id);
    assert_int_equal(r.status, 200);
    snprintf(out, n, "%s", th_str(r.json, "status"));
    th_free(&r);
    return out;
}

void fu_enable(refold_mock *m, const char *key, const char *la, const char *slug, const char *wid)
{
    char body[256];
    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"workflows\":[{\"id\":\"%s\",\"enabled\":true}]}", slug, wid);
    th_resp r = th_key(m, "POST", "/api/v2/public/config", key, la, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_key(m, "PUT", "/api/v2/public/config", key, la, body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

void fu_advance(refold_mock *m, long long seconds)
{
    assert_int_equal(refold_mock_advance_clock(m, seconds), 0);
}
