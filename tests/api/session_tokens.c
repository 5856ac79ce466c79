/* session_tokens.c: API tests for session tokens: mint, reuse, force refresh, Bearer auth on the
 * spec's Linked Account Token routes, revoke, expiry on the virtual clock, tampering. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ST "/api/v2/public/session-token"
#define ACTIVE "/api/v2/public/session/active-linked-account"

static void mint_and_use(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", ST, "tk_acme_test", NULL, "{\"linked_account_id\":\"user_12345\"}");
    assert_int_equal(r.status, 200);
    const char *token = th_str(r.json, "token");
    assert_non_null(token);
    assert_non_null(th_str(r.json, "refresh_token"));
    assert_int_equal(cJSON_GetObjectItem(r.json, "expires_in")->valueint, 86400);
    assert_true(cJSON_GetObjectItem(r.json, "refresh_expires_in")->valueint > 86400);
    char tok[2048];
    snprintf(tok, sizeof tok, "%s", token);
    th_free(&r);

    /* Reused while valid unless force_refresh=true. */
    r = th_key(m, "POST", ST, "tk_acme_test", NULL, "{\"linked_account_id\":\"user_12345\"}");
    assert_string_equal(th_str(r.json, "token"), tok);
    th_free(&r);
    r = th_key(m, "POST", ST "?force_refresh=true", "tk_acme_test", NULL, "{\"linked_account_id\":\"user_12345\"}");
    assert_string_not_equal(th_str(r.json, "token"), tok);
    th_free(&r);

    r = th_bearer(m, "GET", ACTIVE, tok, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "user_12345");
    th_free(&r);
    /* A token opens its own linked account only. */
    th_create_la(m, "tk_acme_test", "someone_else", "Other");
    r = th_bearer(m, "GET", "/api/v2/public/linked-account/someone_else", tok, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_bearer(m, "GET", "/api/v2/public/linked-account/user_12345", tok, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* Key-only routes refuse a token, with a message saying so. */
    r = th_bearer(m, "GET", "/api/v2/public/linked-account", tok, NULL);
    th_assert_error(&r, 401);
    assert_string_equal(th_str(r.json, "message"), "Invalid Credentials"); /* the page's, verbatim */
    assert_non_null(strstr(th_str(r.json, "hint"), "x-api-key"));
    th_free(&r);
}

static void bad_requests(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", ST, "tk_acme_test", NULL, "{}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "linked_account_id"));
    th_free(&r);
    r = th_key(m, "POST", ST, "tk_acme_test", NULL, "{\"linked_account_id\":\"user_99999\"}");
    assert_string_equal(th_assert_error(&r, 400), "INVALID_LINKED_ACCOUNT_ID");
    th_free(&r);
    /* Globex cannot mint for Acme's customer. */
    r = th_key(m, "POST", ST, "tk_globex_test", NULL, "{\"linked_account_id\":\"user_12345\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", ST, "tk_acme_test", NULL, "not json");
    th_assert_error(&r, 400);
    th_free(&r);
}

static void revoke_kills_at_once(void **state)
{
    refold_mock *m = *state;
    char tok[2048];
    th_session_token(m, "tk_acme_test", "user_12345", tok, sizeof tok);
    th_resp r = th_bearer(m, "POST", ST "/revoke", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "success")));
    assert_int_equal(cJSON_GetObjectItem(r.json, "revoked_count")->valueint, 1);
    th_free(&r);
    r = th_bearer(m, "GET", ACTIVE, tok, NULL);
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN");
    th_free(&r);
    r = th_bearer(m, "POST", ST "/revoke", tok, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    /* revoke needs a token, not a key */
    r = th_key(m, "POST", ST "/revoke", "tk_acme_test", NULL, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

/* POST session-token without force_refresh: the token the mock hands out again. */
static void reused_token(refold_mock *m, char *out, size_t n)
{
    th_resp r = th_key(m, "POST", ST, "tk_acme_test", NULL, "{\"linked_account_id\":\"user_12345\"}");
    assert_int_equal(r.status, 200);
    snprintf(out, n, "%s", th_str(r.json, "token"));
    th_free(&r);
}

/* The reused token is kept between requests (a product asks on every page load): it must never
 * outlive its revocation or its last minute. */
static void reuse_follows_revocation_and_expiry(void **state)
{
    refold_mock *m = *state;
    char a[2048], b[2048];
    reused_token(m, a, sizeof a);
    reused_token(m, b, sizeof b);
    assert_string_equal(a, b); /* reused (and now remembered) */
    th_resp r = th_bearer(m, "POST", ST "/revoke", a, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    reused_token(m, b, sizeof b);
    assert_string_not_equal(a, b); /* never the revoked one */
    r = th_bearer(m, "GET", ACTIVE, b, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    /* Within a minute of its expiry a token is not handed out again: a new one is minted. */
    refold_mock_advance_clock(m, 24 * 3600 - 30);
    reused_token(m, a, sizeof a);
    assert_string_not_equal(a, b);
    r = th_key(m, "POST", ST, "tk_acme_test", NULL, "{\"linked_account_id\":\"user_12345\"}");
    assert_int_equal(cJSON_GetObjectItem(r.json, "expires_in")->valueint, 86400);
    assert_string_equal(th_str(r.json, "token"), a);
    th_free(&r);
}

static void expires_after_24h_of_virtual_time(void **state)
{
    refold_mock *m = *state;
    char tok[2048];
    th_session_token(m, "tk_acme_test", "user_12345", tok, sizeof tok);
    refold_mock_advance_clock(m, 24 * 3600 - 10);
    th_resp r = th_bearer(m, "GET", ACTIVE, tok, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(m, "POST", "/__mock/clock/advance", "{\"seconds\":20}", NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_bearer(m, "GET", ACTIVE, tok, NULL);
    /* linked-accounts/get-active-linked-account.mdx, 401: "error": "INVALID_TOKEN", "message": "Invalid token" */
    assert_string_equal(th_assert_error(&r, 401), "INVALID_TOKEN");
    assert_string_equal(th_str(r.json, "message"), "Invalid token");
    th_free(&r);
}

static void tampered_and_foreign_tokens(void **state)
{
    refold_mock *m = *state;
    char tok[2048];
    th_session_token(m, "tk_acme_test", "user_12345", tok, sizeof tok);
    char bad[2048];
    strcpy(bad, tok);
    bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
    th_resp r = th_bearer(m, "GET", ACTIVE, bad, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    r = th_bearer(m, "GET", ACTIVE, "garbage", NULL);
    th_assert_error(&r, 401);
    th_free(&r);
    /* A token from another mock instance (another secret) does not verify here. */
    refold_mock *other = th_start(NULL);
    th_create_la(other, "tk_acme_test", "user_12345", "Acme Inc.");
    char foreign[2048];
    th_session_token(other, "tk_acme_test", "user_12345", foreign, sizeof foreign);
    refold_mock_stop(other);
    r = th_bearer(m, "GET", ACTIVE, foreign, NULL);
    th_assert_error(&r, 401);
    th_free(&r);
}

static void tokens_survive_restart_with_db(void **state)
{
    (void)state;
    char path[TH_DB_PATH_LEN];
    th_temp_db(path);
    refold_mock *m = th_start_db(path);
    th_create_la(m, "tk_acme_test", "persisted", "Persisted");
    char tok[2048];
    th_session_token(m, "tk_acme_test", "persisted", tok, sizeof tok);
    refold_mock_stop(m);
    m = th_start_db(path);
    th_resp r = th_bearer(m, "GET", ACTIVE, tok, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "persisted");
    th_free(&r);
    refold_mock_stop(m);
    th_remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mint_and_use),
        cmocka_unit_test(bad_requests),
        cmocka_unit_test(revoke_kills_at_once),
        cmocka_unit_test(reuse_follows_revocation_and_expiry),
        cmocka_unit_test(expires_after_24h_of_virtual_time),
        cmocka_unit_test(tampered_and_foreign_tokens),
        cmocka_unit_test(tokens_survive_restart_with_db),
    };
    return cmocka_run_group_tests(tests, th_setup_la, th_teardown);
}
