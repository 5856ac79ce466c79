/* connections.c: API tests for connection states and token lifetimes on the virtual clock: expiry
 * by the admin call and by lapsing refresh tokens and credentials, silent refreshes, reconnecting,
 * and exactly the documented webhook events for every state change. */
#include "harness.h"
#include "receiver.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define ACME "tk_acme_test"
#define SAVE_KEY "/api/v2/public/linked-account/integration/save-key-credentials/"
#define MIGRATE "/api/v2/public/migrate-token"

static void migrate(refold_mock *m, const char *la, const char *slug)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"slug\":\"%s\",\"auth_object\":{\"oauth2\":{\"access_token\":\"at-%s\",\"refresh_token\":\"rt-%s\","
             "\"account_id\":\"1234567\"}}}", slug, slug, slug);
    th_resp r = th_key(m, "PUT", MIGRATE, ACME, la, body);
    if (r.status != 200)
        fprintf(stderr, "migrate %s: %s\n", slug, r.body);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void save_twilio(refold_mock *m, const char *la)
{
    th_resp r = th_key(m, "PUT", SAVE_KEY "twilio", ACME, la, "{\"sid\":\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\",\"number\":\"+14155550123\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static th_resp expire(refold_mock *m, const char *la, const char *slug, const char *reason)
{
    char path[256], body[64];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections/%s/expire", la, slug);
    snprintf(body, sizeof body, "{\"reason\":\"%s\"}", reason);
    return th_key(m, "POST", path, ACME, NULL, body);
}

/* The application object for la: asserts connected and returns reauth_required. */
static int reauth_required(refold_mock *m, const char *la, const char *slug, const char **status_out)
{
    static char status[32];
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/application/%s", slug);
    th_resp r = th_key(m, "GET", path, ACME, la, NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "connected")));
    const cJSON *acc = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    snprintf(status, sizeof status, "%s", th_str(acc, "status"));
    if (status_out)
        *status_out = status;
    int v = cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required"));
    th_free(&r);
    return v;
}

/* The admin view of one connection (caller deletes). */
static cJSON *admin_view(refold_mock *m, const char *la, const char *slug)
{
    char path[256];
    snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections", la);
    th_resp r = th_key(m, "GET", path, ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    cJSON *found = NULL, *c;
    cJSON_ArrayForEach(c, r.json)
        if (!strcmp(th_str(c, "slug"), slug))
            found = cJSON_Duplicate(c, 1);
    th_free(&r);
    assert_non_null(found);
    return found;
}

static long long now_ms(refold_mock *m) { return refold_mock_now_ms(m); }

static long long iso_ms(const cJSON *o, const char *key)
{
    const char *s = th_str(o, key);
    assert_non_null(s);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int ms = 0;
    assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                            &tm.tm_sec, &ms), 7);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm) * 1000 + ms;
}

/* Events in the tenant's delivery log, as "Event slug la" lines. */
static void events_are(refold_mock *m, const char *const *want, int n)
{
    cJSON *d = rcv_deliveries(m, ACME, NULL), *e;
    int i = 0;
    cJSON_ArrayForEach(e, d) {
        const cJSON *p = cJSON_GetObjectItem(e, "payload");
        char got[256];
        snprintf(got, sizeof got, "%s %s %s", th_str(p, "event"), th_str(p, "slug"), th_str(p, "linked_account_id"));
        if (i >= n || strcmp(got, want[i]))
            fail_msg("event %d: got '%s', want '%s'", i, got, i < n ? want[i] : "(none)");
        i++;
    }
    if (i != n)
        fail_msg("%d events, want %d", i, n);
    cJSON_Delete(d);
}

static void expire_and_reconnect(void **state)
{
    refold_mock *m = *state;
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/sink", "[\"Connection Created\",\"Connection Expired\",\"Connection Deleted\"]", NULL, 0);
    th_create_la(m, ACME, "state_user", "State");
    th_create_la(m, ACME, "bystander", "Bystander");
    migrate(m, "state_user", "hubspot");
    save_twilio(m, "state_user");
    migrate(m, "bystander", "hubspot");
    const char *status;
    assert_false(reauth_required(m, "state_user", "hubspot", &status));
    assert_string_equal(status, "active");

    th_resp r = expire(m, "state_user", "hubspot", "revoked");
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "status"), "expired");
    assert_string_equal(th_str(r.json, "reason"), "revoked");
    th_free(&r);
    /* flagged on that app, for that linked account only; still connected */
    assert_true(reauth_required(m, "state_user", "hubspot", &status));
    assert_string_equal(status, "expired");
    assert_false(reauth_required(m, "state_user", "twilio", NULL));
    assert_false(reauth_required(m, "bystander", "hubspot", NULL));
    r = th_key(m, "GET", "/api/v2/public/linked-account/state_user", ACME, NULL, NULL);
    const cJSON *in;
    cJSON_ArrayForEach(in, cJSON_GetObjectItem(r.json, "integrations")) {
        int hub = !strcmp(th_str(in, "type"), "hubspot");
        assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(in, "reauth_required")), hub);
        assert_false(cJSON_IsTrue(cJSON_GetObjectItem(in, "refresh_token_expired"))); /* revoked, not lapsed */
    }
    th_free(&r);

    /* expiring it again changes nothing and emits nothing */
    r = expire(m, "state_user", "hubspot", "expired");
    th_assert_error(&r, 409);
    th_free(&r);
    cJSON *v = admin_view(m, "state_user", "hubspot");
    assert_string_equal(th_str(v, "reason"), "revoked");
    const char *created = th_str(v, "createdAt");
    char created_at[40];
    snprintf(created_at, sizeof created_at, "%s", created);
    cJSON_Delete(v);

    /* connecting again restores it; the connection is the same one (createdAt kept) */
    refold_mock_advance_clock(m, 60);
    migrate(m, "state_user", "hubspot");
    assert_false(reauth_required(m, "state_user", "hubspot", &status));
    assert_string_equal(status, "active");
    v = admin_view(m, "state_user", "hubspot");
    assert_string_equal(th_str(v, "createdAt"), created_at);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(v, "reason")));
    const cJSON *log = cJSON_GetObjectItem(v, "log");
    assert_string_equal(th_str(cJSON_GetArrayItem(log, 0), "event"), "Integration Created");
    assert_string_equal(th_str(cJSON_GetArrayItem(log, 1), "event"), "Integration Expired");
    assert_string_equal(th_str(cJSON_GetArrayItem(log, 1), "detail"), "revoked");
    assert_string_equal(th_str(cJSON_GetArrayItem(log, 2), "event"), "Reauthenticated");
    cJSON_Delete(v);

    /* uninstalled, then a key-based app expired and restored through save-key-credentials */
    r = expire(m, "state_user", "twilio", "uninstalled");
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_true(reauth_required(m, "state_user", "twilio", NULL));
    save_twilio(m, "state_user");
    assert_false(reauth_required(m, "state_user", "twilio", NULL));

    static const char *const want[] = {
        "Connection Created hubspot state_user", "Connection Created twilio state_user",
        "Connection Created hubspot bystander",  "Connection Expired hubspot state_user",
        "Connection Created hubspot state_user", "Connection Expired twilio state_user",
        "Connection Created twilio state_user",
    };
    events_are(m, want, 7);
}

static void admin_expire_errors(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "err_user", "Err");
    save_twilio(m, "err_user");
    th_resp r = expire(m, "nobody", "twilio", "revoked");
    th_assert_error(&r, 404);
    th_free(&r);
    r = expire(m, "err_user", "hubspot", "revoked");
    th_assert_error(&r, 404);
    th_free(&r);
    r = expire(m, "err_user", "twilio", "bored");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/__mock/linked-accounts/err_user/connections/twilio/expire", NULL, NULL, "{\"reason\":\"revoked\"}");
    th_assert_error(&r, 400); /* which tenant? the key says */
    th_free(&r);
    r = th_key(m, "POST", "/__mock/linked-accounts/err_user/connections/twilio/expire", "tk_globex_test", NULL, "{}");
    th_assert_error(&r, 404); /* another tenant's linked account */
    th_free(&r);
    r = th_key(m, "GET", "/__mock/linked-accounts/nobody/connections", ACME, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    assert_false(reauth_required(m, "err_user", "twilio", NULL));
    /* no body: reason "expired" */
    r = th_key(m, "POST", "/__mock/linked-accounts/err_user/connections/twilio/expire", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "reason"), "expired");
    th_free(&r);
}

/* Pipedrive: access token 3599 s, refresh token 60 days. */
static void oauth_lifetimes(void **state)
{
    refold_mock *m = *state;
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/sink", "[\"Connection Created\",\"Connection Expired\",\"Connection Deleted\"]", NULL, 0);
    th_create_la(m, ACME, "life_user", "Life");
    long long t0 = now_ms(m);
    migrate(m, "life_user", "pipedrive");
    cJSON *v = admin_view(m, "life_user", "pipedrive");
    assert_string_equal(th_str(v, "status"), "active");
    assert_int_equal(iso_ms(v, "access_token_expires_at") - t0, 3599000LL);
    assert_int_equal(iso_ms(v, "refresh_token_expires_at") - t0, 5184000000LL);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(v, "credential_expires_at")));
    assert_int_equal(cJSON_GetObjectItem(v, "refresh_count")->valueint, 0);
    cJSON_Delete(v);

    /* the access token lapses: refreshed silently */
    refold_mock_advance_clock(m, 3600);
    v = admin_view(m, "life_user", "pipedrive");
    assert_string_equal(th_str(v, "status"), "active");
    assert_int_equal(cJSON_GetObjectItem(v, "refresh_count")->valueint, 1);
    const cJSON *h = cJSON_GetArrayItem(cJSON_GetObjectItem(v, "refresh_history"), 0);
    assert_int_equal(iso_ms(h, "at") - t0, 3599000LL);
    assert_int_equal(iso_ms(h, "access_token_expires_at") - t0, 2 * 3599000LL);
    assert_int_equal(iso_ms(v, "access_token_expires_at") - t0, 2 * 3599000LL);
    cJSON_Delete(v);
    assert_false(reauth_required(m, "life_user", "pipedrive", NULL));

    /* up to one second before the refresh token lapses: still fine */
    refold_mock_advance_clock(m, 5184000 - 3600 - 1);
    assert_false(reauth_required(m, "life_user", "pipedrive", NULL));
    static const char *const created[] = {"Connection Created pipedrive life_user"};
    events_are(m, created, 1); /* refreshes emit nothing */

    /* it lapses: expired, with the reason and the time it happened */
    refold_mock_advance_clock(m, 2);
    assert_true(reauth_required(m, "life_user", "pipedrive", NULL));
    v = admin_view(m, "life_user", "pipedrive");
    assert_string_equal(th_str(v, "status"), "expired");
    assert_string_equal(th_str(v, "reason"), "expired");
    assert_int_equal(iso_ms(v, "expired_at") - t0, 5184000000LL);
    /* refreshes at k * 3599 s strictly before the 60-day mark: 1440 of them; the log keeps 20 */
    assert_int_equal(cJSON_GetObjectItem(v, "refresh_count")->valueint, 1440);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(v, "refresh_history")), 20);
    cJSON_Delete(v);
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/life_user", ACME, NULL, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "integrations"), 0),
                                                 "refresh_token_expired")));
    th_free(&r);
    static const char *const both[] = {"Connection Created pipedrive life_user", "Connection Expired pipedrive life_user"};
    events_are(m, both, 2);

    /* an expired connection stays expired, without refreshes, however long we wait */
    refold_mock_advance_clock(m, 86400 * 30);
    v = admin_view(m, "life_user", "pipedrive");
    assert_int_equal(cJSON_GetObjectItem(v, "refresh_count")->valueint, 1440);
    cJSON_Delete(v);
    events_are(m, both, 2);

    /* reconnecting starts fresh lifetimes from now */
    long long t1 = now_ms(m);
    migrate(m, "life_user", "pipedrive");
    v = admin_view(m, "life_user", "pipedrive");
    assert_string_equal(th_str(v, "status"), "active");
    assert_int_equal(iso_ms(v, "refresh_token_expires_at") - t1, 5184000000LL);
    cJSON_Delete(v);
}

/* HubSpot's refresh token never lapses (null ttl): a year of refreshes, no expiry. */
static void refresh_token_without_expiry(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "year_user", "Year");
    migrate(m, "year_user", "hubspot");
    refold_mock_advance_clock(m, 365LL * 86400);
    cJSON *v = admin_view(m, "year_user", "hubspot");
    assert_string_equal(th_str(v, "status"), "active");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(v, "refresh_token_expires_at")));
    assert_int_equal(cJSON_GetObjectItem(v, "refresh_count")->valueint, 365 * 86400 / 1800);
    cJSON_Delete(v);
    assert_false(reauth_required(m, "year_user", "hubspot", NULL));
}

/* Workday's key-based credential lives 90 days. */
static void keybased_credential_ttl(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "wd_user", "Workday");
    long long t0 = now_ms(m);
    th_resp r = th_key(m, "PUT", SAVE_KEY "workday", ACME, "wd_user",
                       "{\"tenant_url\":\"https://wd5-impl.workday.com/acme\",\"username\":\"isu_refold\",\"password\":\"s3cret-pass\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    cJSON *v = admin_view(m, "wd_user", "workday");
    assert_int_equal(iso_ms(v, "credential_expires_at") - t0, 7776000000LL);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(v, "access_token_expires_at")));
    cJSON_Delete(v);
    refold_mock_advance_clock(m, 7776000 - 1);
    assert_false(reauth_required(m, "wd_user", "workday", NULL));
    refold_mock_advance_clock(m, 1);
    assert_true(reauth_required(m, "wd_user", "workday", NULL));
    /* twilio's credential has no lifetime */
    save_twilio(m, "wd_user");
    refold_mock_advance_clock(m, 10LL * 365 * 86400);
    assert_false(reauth_required(m, "wd_user", "twilio", NULL));
}

/* Several connections lapsing in one advance expire in time order, each exactly once. */
static void one_advance_many_expiries(void **state)
{
    refold_mock *m = *state;
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/sink", "[\"Connection Expired\"]", NULL, 0);
    th_create_la(m, ACME, "many_user", "Many");
    migrate(m, "many_user", "jira");      /* refresh token: 90 days */
    migrate(m, "many_user", "pipedrive"); /* 60 days */
    migrate(m, "many_user", "netsuite");  /* 7 days */
    migrate(m, "many_user", "hubspot");   /* never */
    th_resp r = th_key(m, "POST", "/__mock/clock/advance", NULL, NULL, "{\"seconds\":8640000}"); /* 100 days */
    assert_int_equal(r.status, 200);
    th_free(&r);
    static const char *const want[] = {"Connection Expired netsuite many_user", "Connection Expired pipedrive many_user",
                                       "Connection Expired jira many_user"};
    events_are(m, want, 3);
    assert_false(reauth_required(m, "many_user", "hubspot", NULL));
}

/* Deleting a linked account emits Connection Deleted for each of its connections. */
static void delete_linked_account_emits_deleted(void **state)
{
    refold_mock *m = *state;
    th_create_la(m, ACME, "gone_user", "Gone");
    migrate(m, "gone_user", "slack");
    save_twilio(m, "gone_user");
    rcv_subscribe(m, ACME, "http://127.0.0.1:9/sink", "[\"Connection Deleted\"]", NULL, 0);
    th_resp r = th_key(m, "DELETE", "/api/v2/public/linked-account/gone_user", ACME, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    static const char *const want[] = {"Connection Deleted slack gone_user", "Connection Deleted twilio gone_user"};
    events_are(m, want, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(expire_and_reconnect, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(admin_expire_errors, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(oauth_lifetimes, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(refresh_token_without_expiry, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(keybased_credential_ttl, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(one_advance_many_expiries, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(delete_linked_account_emits_deleted, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
