/* hosted.c: API tests for hosted connect: connect URLs and their properties, the hosted page in
 * each app state, the key-based form (checked on the server), OAuth consent (approve, deny,
 * reconnect, single use, popup mode), expiry, branding and HTML escaping. */
#include "harness.h"
#include "flows_util.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "base/mock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "tk_acme_test"
#define LA_ID "hosted_user_1"

static int setup(void **state)
{
    refold_mock *m = th_start(NULL);
    th_create_la(m, KEY, LA_ID, "Initech <Ops> & Co");
    *state = m;
    return 0;
}

/* POST /connect-url with the API key; copies the page path (without base URL) into out. */
static void connect_url(refold_mock *m, const char *la, const char *body, char *out, size_t n)
{
    th_resp r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, la, body);
    if (r.status != 200)
        fprintf(stderr, "connect-url: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 200);
    snprintf(out, n, "%s", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
}

/* A form POST (the harness sends a JSON content type; the pages read the urlencoded body). */
static th_resp form(refold_mock *m, const char *path, const char *body)
{
    const char *hs[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    return th_request(m, "POST", path, body, hs);
}

static void location(const th_resp *r, char *out, size_t n)
{
    assert_int_equal(r->status, 303);
    assert_true(th_header(r, "Location", out, n));
}

/* The connection's public view through the API key: "none", "active" or "reauth". */
static const char *app_state(refold_mock *m, const char *slug)
{
    static char out[16];
    char path[128];
    snprintf(path, sizeof path, "/api/v2/public/application/%s", slug);
    th_resp r = th_key(m, "GET", path, KEY, LA_ID, NULL);
    assert_int_equal(r.status, 200);
    const cJSON *connected = cJSON_GetObjectItem(r.json, "connected");
    snprintf(out, sizeof out, "%s", !cJSON_IsTrue(connected) ? "none"
                                    : cJSON_IsTrue(cJSON_GetObjectItem(r.json, "reauth_required")) ? "reauth" : "active");
    th_free(&r);
    return out;
}

static void connect_url_shape_and_properties(void **state)
{
    refold_mock *m = *state;
    char tok[4096], path[512];
    th_session_token(m, KEY, LA_ID, tok, sizeof tok);
    th_resp r = th_bearer(m, "POST", "/api/v2/public/connect-url?config_id=cfg%201",
                          tok, "{\"company\":\"Acme Inc.\",\"plan\":\"enterprise\",\"nested\":{\"a\":[1,2]}}");
    assert_int_equal(r.status, 200);
    const char *url = th_str(r.json, "hosted_url");
    snprintf(path, sizeof path, "%s", th_path_of(m, url));
    assert_memory_equal(path, "/connect/", 9);
    /* connect/create-connect-url.mdx: "hosted_url": "https://app.refold.ai/connect/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.REDACTED_TOKEN.SIGNATURE"
     * (a JWT signed HS256, header verbatim) */
    assert_memory_equal(path + 9, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37);
    char *q = strchr(path, '?');
    assert_non_null(q);
    assert_string_equal(q, "?config_id=cfg%201");
    int dots = 0;
    for (const char *p = path + 9; p < q; p++)
        dots += *p == '.';
    assert_int_equal(dots, 2);
    /* altering its signature makes it unknown: the page answers 404 */
    char forged[512];
    snprintf(forged, sizeof forged, "%.*s", (int)(q - path), path);
    forged[strlen(forged) - 2] = forged[strlen(forged) - 2] == 'A' ? 'B' : 'A';
    th_resp f = th_request(m, "GET", forged, NULL, NULL);
    assert_int_equal(f.status, 404);
    th_free(&f);
    th_free(&r);

    /* The same token reads its properties back verbatim. */
    r = th_bearer(m, "GET", "/api/v2/public/hosted-properties", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "company"), "Acme Inc.");
    assert_string_equal(th_str(r.json, "plan"), "enterprise");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "nested"), "a")), 2);
    th_free(&r);

    /* hosted-properties takes a session token, not the API key. */
    r = th_key(m, "GET", "/api/v2/public/hosted-properties", KEY, LA_ID, NULL);
    th_assert_error(&r, 401);
    th_free(&r);

    /* The page opens (the query string is kept for the product, the page ignores it). */
    r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-testid=\"connect-twilio\""));
    th_free(&r);
}

static void connect_url_bad_input(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, LA_ID, "[1,2]");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, LA_ID, "{\"redirect_url\":\"javascript:alert(1)\"}");
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "redirect_url"));
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, LA_ID, "{\"button_color\":\"red;background:url(x)\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, LA_ID, "{\"base_color\":\"#12345\\\"\"}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, "nobody_here", "{}");
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, NULL, "{}");
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "POST", "/api/v2/public/connect-url", "tk_nope", LA_ID, "{}");
    th_assert_error(&r, 401);
    th_free(&r);
    /* Another tenant's key does not see this linked account. */
    r = th_key(m, "POST", "/api/v2/public/connect-url", "tk_globex_test", LA_ID, "{}");
    th_assert_error(&r, 404);
    th_free(&r);
    /* An empty body is allowed: every property is optional. */
    r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, LA_ID, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void page_lists_apps_with_branding_and_escaping(void **state)
{
    refold_mock *m = *state;
    char path[512];
    connect_url(m, LA_ID, "{\"name\":\"<script>alert(1)</script> Acme\",\"base_color\":\"#123456\",\"button_color\":\"rgb(200, 10, 10)\"}",
                path, sizeof path);
    th_resp r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    char ct[128];
    assert_true(th_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "text/html"));
    assert_false(th_header(&r, "Cross-Origin-Opener-Policy", ct, sizeof ct));
    /* Every catalogue app is offered, each with its test hook. */
    const char *slugs[] = {"hubspot", "slack", "salesforce", "pipedrive", "twilio", "netsuite", "playground_app"};
    for (size_t i = 0; i < sizeof slugs / sizeof *slugs; i++) {
        char hook[96];
        snprintf(hook, sizeof hook, "data-testid=\"connect-%s\"", slugs[i]);
        assert_non_null(strstr(r.body, hook));
    }
    /* User-controlled values are escaped, never markup. */
    assert_null(strstr(r.body, "<script>alert(1)"));
    assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; Acme"));
    assert_non_null(strstr(r.body, "Initech &lt;Ops&gt; &amp; Co"));
    assert_non_null(strstr(r.body, "--brand-base:#123456;--brand-button:rgb(200, 10, 10);"));
    /* Its stylesheet and script are served by the mock itself. */
    assert_non_null(strstr(r.body, "/__mock/assets/mock.css"));
    assert_null(strstr(r.body, "https://"));
    th_free(&r);
    r = th_request(m, "GET", "/__mock/assets/mock.css", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "text/css"));
    assert_non_null(strstr(r.body, "--brand-button"));
    th_free(&r);
    r = th_request(m, "GET", "/__mock/assets/pages.js", NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(m, "GET", "/__mock/assets/nothing.js", NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}

static void unknown_and_expired_links(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_request(m, "GET", "/connect/0123456789abcdef0123456789abcdef", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "This connect link is not valid"));
    th_free(&r);
    r = th_request(m, "GET", "/connect/not-a-token", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "data-testid=\"error\""));
    th_free(&r);

    char path[512];
    connect_url(m, LA_ID, "{}", path, sizeof path);
    assert_int_equal(refold_mock_advance_clock(m, 23 * 3600), 0);
    r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    assert_int_equal(refold_mock_advance_clock(m, 3600), 0);
    r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 410);
    assert_non_null(strstr(r.body, "This connect link has expired"));
    th_free(&r);
    /* An expired link cannot connect anything either. */
    char app_path[600];
    snprintf(app_path, sizeof app_path, "%s/twilio", path);
    r = form(m, app_path, "sid=ACx&number=%2B14155550123");
    assert_int_equal(r.status, 410);
    th_free(&r);
    assert_string_equal(app_state(m, "twilio"), "none");

    /* A link made with a session token dies with it. */
    char tok[4096];
    th_session_token(m, KEY, LA_ID, tok, sizeof tok);
    assert_int_equal(refold_mock_advance_clock(m, 20 * 3600), 0);
    r = th_bearer(m, "POST", "/api/v2/public/connect-url", tok, "{}");
    assert_int_equal(r.status, 200);
    snprintf(path, sizeof path, "%s", th_path_of(m, th_str(r.json, "hosted_url")));
    th_free(&r);
    assert_int_equal(refold_mock_advance_clock(m, 4 * 3600 + 1), 0);
    r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 410);
    th_free(&r);
}

static void keybased_form_validates_on_the_server(void **state)
{
    refold_mock *m = *state;
    char path[512], app_path[600];
    connect_url(m, LA_ID, "{}", path, sizeof path);
    snprintf(app_path, sizeof app_path, "%s/twilio", path);
    th_resp r = th_request(m, "GET", app_path, NULL, NULL);
    assert_int_equal(r.status, 200);
    /* Inputs are named after auth_input_map, with its labels, placeholders and required flags. */
    assert_non_null(strstr(r.body, "name=\"sid\""));
    assert_non_null(strstr(r.body, "name=\"number\""));
    assert_non_null(strstr(r.body, "Account SID"));
    assert_non_null(strstr(r.body, "placeholder=\"E.164 format, e.g. +14155550123\""));
    assert_non_null(strstr(r.body, " required"));
    assert_non_null(strstr(r.body, "data-testid=\"submit\""));
    th_free(&r);

    /* Missing a required field: 400, the form again with the reason, nothing connected. */
    r = form(m, app_path, "sid=ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f&number=+++");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "data-testid=\"form-error\""));
    assert_non_null(strstr(r.body, "number is required"));
    assert_non_null(strstr(r.body, "value=\"ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f\""));
    th_free(&r);
    assert_string_equal(app_state(m, "twilio"), "none");

    /* Complete: back to the list, connected, with the SID as the identifier. */
    r = form(m, app_path, "sid=ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f&number=%2B14155550123");
    char loc[600], want[600];
    location(&r, loc, sizeof loc);
    snprintf(want, sizeof want, "%s%s?connected=twilio", refold_mock_url(m), path);
    assert_string_equal(loc, want);
    th_free(&r);
    assert_string_equal(app_state(m, "twilio"), "active");
    r = th_key(m, "GET", "/api/v2/public/application/twilio", KEY, LA_ID, NULL);
    const cJSON *acct = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    assert_string_equal(th_str(acct, "identifier"), "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f");
    th_free(&r);

    r = th_request(m, "GET", th_path_of(m, want), NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-testid=\"connected-twilio\""));
    assert_null(strstr(r.body, "data-testid=\"connect-twilio\""));
    assert_non_null(strstr(r.body, "Twilio is connected."));
    assert_non_null(strstr(r.body, "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f"));
    th_free(&r);

    /* An OAuth-only app has no form to post to. */
    snprintf(app_path, sizeof app_path, "%s/hubspot", path);
    r = form(m, app_path, "x=1");
    assert_int_equal(r.status, 400);
    th_free(&r);
    snprintf(app_path, sizeof app_path, "%s/no_such_app", path);
    r = th_request(m, "GET", app_path, NULL, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
}

/* A client_credentials app (paypal) has no consent page: its hosted form asks for the customer's
 * client id and secret, and the provider's refusal shows on the form with nothing stored. */
static void client_credentials_app_has_a_form(void **state)
{
    refold_mock *m = *state;
    char path[512], app_path[600];
    connect_url(m, LA_ID, "{}", path, sizeof path);
    snprintf(app_path, sizeof app_path, "%s/paypal", path);
    th_resp r = th_request(m, "GET", app_path, NULL, NULL);
    assert_int_equal(r.status, 200); /* a form, not a redirect to a consent page */
    assert_non_null(strstr(r.body, "name=\"client_id\""));
    assert_non_null(strstr(r.body, "name=\"client_secret\""));
    assert_non_null(strstr(r.body, "type=\"password\" name=\"client_secret\""));
    assert_null(strstr(r.body, "data-testid=\"use-oauth\""));
    th_free(&r);

    /* a missing field, then a secret the provider refuses: the form again, nothing connected */
    r = form(m, app_path, "client_id=AcmePayPalApp");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "client_secret is required"));
    th_free(&r);
    r = form(m, app_path, "client_id=AcmePayPalApp&client_secret=revoked-secret");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "invalid_client"));
    assert_non_null(strstr(r.body, "value=\"AcmePayPalApp\""));
    th_free(&r);
    assert_string_equal(app_state(m, "paypal"), "none");

    /* good credentials: back to the list, connected with OAuth as the API's integrate does */
    r = form(m, app_path, "client_id=AcmePayPalApp&client_secret=s3cr3t-live");
    char loc[600], want[600];
    location(&r, loc, sizeof loc);
    snprintf(want, sizeof want, "%s%s?connected=paypal", refold_mock_url(m), path);
    assert_string_equal(loc, want);
    th_free(&r);
    assert_string_equal(app_state(m, "paypal"), "active");
    r = th_key(m, "GET", "/api/v2/public/application/paypal", KEY, LA_ID, NULL);
    const cJSON *acct = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0);
    assert_non_null(acct);
    th_free(&r);
}

/* Follows a hosted page's Connect link for an OAuth app to its consent page; returns the state. */
static void start_consent(refold_mock *m, const char *page, const char *slug, char *consent, size_t n)
{
    char app_path[600];
    snprintf(app_path, sizeof app_path, "%s/%s", page, slug);
    th_resp r = th_request(m, "GET", app_path, NULL, NULL);
    char loc[600];
    location(&r, loc, sizeof loc);
    th_free(&r);
    snprintf(consent, n, "%s", th_path_of(m, loc));
}

static void state_of(const char *consent, char *out, size_t n)
{
    const char *s = strstr(consent, "state=");
    assert_non_null(s);
    snprintf(out, n, "%.32s", s + 6);
}

static void oauth_consent_from_hosted_page(void **state)
{
    refold_mock *m = *state;
    char page[512], consent[600], st[40], body[200], loc[600], want[700];
    connect_url(m, LA_ID, "{}", page, sizeof page);

    /* Deny: nothing changes, back to the list with a note. */
    start_consent(m, page, "hubspot", consent, sizeof consent);
    assert_memory_equal(consent, "/oauth/hubspot/authorize?", 25);
    th_resp r = th_request(m, "GET", consent, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Acme wants to access your HubSpot account"));
    assert_non_null(strstr(r.body, "data-testid=\"approve\""));
    assert_non_null(strstr(r.body, "data-testid=\"deny\""));
    assert_non_null(strstr(r.body, "crm.objects.contacts.read"));
    assert_false(th_header(&r, "Cross-Origin-Opener-Policy", loc, sizeof loc));
    th_free(&r);
    state_of(consent, st, sizeof st);
    snprintf(body, sizeof body, "state=%s&decision=deny&popup=0", st);
    r = form(m, "/oauth/hubspot/authorize", body);
    location(&r, loc, sizeof loc);
    snprintf(want, sizeof want, "%s%s?denied=hubspot", refold_mock_url(m), page);
    assert_string_equal(loc, want);
    th_free(&r);
    assert_string_equal(app_state(m, "hubspot"), "none");
    /* A state is answered once. */
    r = form(m, "/oauth/hubspot/authorize", body);
    assert_int_equal(r.status, 400);
    th_free(&r);

    /* Approve: connected, with the fixture's identifier. */
    start_consent(m, page, "hubspot", consent, sizeof consent);
    state_of(consent, st, sizeof st);
    snprintf(body, sizeof body, "state=%s&decision=approve&popup=0", st);
    r = form(m, "/oauth/hubspot/authorize", body);
    location(&r, loc, sizeof loc);
    snprintf(want, sizeof want, "%s%s?connected=hubspot", refold_mock_url(m), page);
    assert_string_equal(loc, want);
    th_free(&r);
    assert_string_equal(app_state(m, "hubspot"), "active");
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", KEY, LA_ID, NULL);
    const cJSON *ident = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0), "identifier");
    assert_int_equal((long)cJSON_GetObjectItem(ident, "portalId")->valuedouble, 12345678);
    th_free(&r);

    /* The token is revoked: the page offers Reconnect; consent again restores it. */
    fu_expire(m, KEY, LA_ID, "hubspot", "revoked");
    assert_string_equal(app_state(m, "hubspot"), "reauth");
    char again[600];
    snprintf(again, sizeof again, "%s?connected=hubspot", page); /* a reload of the earlier URL */
    r = th_request(m, "GET", again, NULL, NULL);
    assert_non_null(strstr(r.body, "data-testid=\"reconnect-hubspot\""));
    assert_null(strstr(r.body, "data-testid=\"connect-hubspot\""));
    assert_non_null(strstr(r.body, "Access stopped (revoked)"));
    assert_null(strstr(r.body, "HubSpot is connected.")); /* the note no longer holds */
    assert_null(strstr(r.body, "Hubspot is connected."));
    /* What needs the customer comes first: the app to reconnect, then connected ones. */
    assert_true(strstr(r.body, "reconnect-hubspot") < strstr(r.body, "connect-freshdesk"));
    th_free(&r);
    start_consent(m, page, "hubspot", consent, sizeof consent);
    r = th_request(m, "GET", consent, NULL, NULL);
    assert_non_null(strstr(r.body, "lost access to this account (revoked)"));
    th_free(&r);
    state_of(consent, st, sizeof st);
    snprintf(body, sizeof body, "state=%s&decision=approve&popup=0", st);
    r = form(m, "/oauth/hubspot/authorize", body);
    assert_int_equal(r.status, 303);
    th_free(&r);
    assert_string_equal(app_state(m, "hubspot"), "active");

    /* netsuite takes both: the form, or OAuth on request. */
    char app_path[600];
    snprintf(app_path, sizeof app_path, "%s/netsuite", page);
    r = th_request(m, "GET", app_path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "name=\"consumer_secret\""));
    assert_non_null(strstr(r.body, "type=\"password\" name=\"consumer_secret\""));
    assert_non_null(strstr(r.body, "data-testid=\"use-oauth\""));
    th_free(&r);
    snprintf(app_path, sizeof app_path, "%s/netsuite?via=oauth", page);
    r = th_request(m, "GET", app_path, NULL, NULL);
    assert_int_equal(r.status, 303);
    th_free(&r);
}

static void redirect_url_is_followed(void **state)
{
    refold_mock *m = *state;
    char page[512], app_path[600], consent[600], st[40], body[200], loc[600];
    connect_url(m, LA_ID, "{\"redirect_url\":\"https://app.example.com/settings/integrations?done=1\"}", page, sizeof page);
    snprintf(app_path, sizeof app_path, "%s/playground_app", page);
    th_resp r = form(m, app_path, "api_key=pg_test_4f9a2c71e8");
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "https://app.example.com/settings/integrations?done=1");
    th_free(&r);
    start_consent(m, page, "slack", consent, sizeof consent);
    state_of(consent, st, sizeof st);
    snprintf(body, sizeof body, "state=%s&decision=approve&popup=0", st);
    r = form(m, "/oauth/slack/authorize", body);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "https://app.example.com/settings/integrations?done=1");
    th_free(&r);
    assert_string_equal(app_state(m, "slack"), "active");
}

static void oauth_url_api(void **state)
{
    refold_mock *m = *state;
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/pipedrive", KEY, LA_ID, NULL);
    assert_int_equal(r.status, 200);
    char consent[600];
    snprintf(consent, sizeof consent, "%s", th_path_of(m, th_str(r.json, "auth_url")));
    assert_memory_equal(consent, "/oauth/pipedrive/authorize?", 27);
    th_free(&r);

    /* Popup mode (the SDK): the answer is a page that closes itself, not a redirect. */
    char st[40], body[200];
    state_of(consent, st, sizeof st);
    snprintf(body, sizeof body, "state=%s&decision=approve&popup=1", st);
    r = form(m, "/oauth/pipedrive/authorize", body);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "data-close-popup"));
    assert_non_null(strstr(r.body, "data-outcome=\"approved\""));
    th_free(&r);
    assert_string_equal(app_state(m, "pipedrive"), "active");

    /* With a redirect_url: approve goes there; deny goes there with error=access_denied. */
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/salesforce?redirect_url=https%3A%2F%2Fapp.example.com%2Fcb",
               KEY, LA_ID, NULL);
    assert_int_equal(r.status, 200);
    snprintf(consent, sizeof consent, "%s", th_path_of(m, th_str(r.json, "auth_url")));
    th_free(&r);
    state_of(consent, st, sizeof st);
    /* The state belongs to its app: another app's path refuses it. */
    r = th_request(m, "GET", "/oauth/hubspot/authorize?state=x", NULL, NULL);
    assert_int_equal(r.status, 400);
    th_free(&r);
    char wrong[200];
    snprintf(wrong, sizeof wrong, "/oauth/hubspot/authorize?state=%s", st);
    r = th_request(m, "GET", wrong, NULL, NULL);
    assert_int_equal(r.status, 400);
    th_free(&r);
    snprintf(body, sizeof body, "state=%s&decision=maybe", st);
    r = form(m, "/oauth/salesforce/authorize", body);
    assert_int_equal(r.status, 400);
    th_free(&r);
    snprintf(body, sizeof body, "state=%s&decision=deny&popup=0", st);
    r = form(m, "/oauth/salesforce/authorize", body);
    char loc[600];
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "https://app.example.com/cb?error=access_denied");
    th_free(&r);
    assert_string_equal(app_state(m, "salesforce"), "none");

    /* Errors: a key-based-only app, an unknown app, a bad redirect_url, an expired state. */
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/twilio", KEY, LA_ID, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/nope", KEY, LA_ID, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/slack?redirect_url=ftp%3A%2F%2Fx", KEY, LA_ID, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/slack", KEY, NULL, NULL);
    th_assert_error(&r, 400);
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/slack", KEY, LA_ID, NULL);
    snprintf(consent, sizeof consent, "%s", th_path_of(m, th_str(r.json, "auth_url")));
    th_free(&r);
    assert_int_equal(refold_mock_advance_clock(m, 3601), 0);
    r = th_request(m, "GET", consent, NULL, NULL);
    assert_int_equal(r.status, 410);
    assert_non_null(strstr(r.body, "expired"));
    th_free(&r);
}

static void reconnect_keeps_the_account_identifier(void **state)
{
    refold_mock *m = *state;
    struct mock *mk = (struct mock *)m;
    const struct tenant *t = fixtures_tenant_by_key(mk->fx, KEY);
    cJSON *ident = cJSON_Parse("{\"portalId\":99887766,\"hub_domain\":\"initech.example\"}");
    assert_int_equal(connections_connect(mk, t, LA_ID, "hubspot", "oauth2", ident, NULL), 0);
    cJSON_Delete(ident);
    fu_expire(m, KEY, LA_ID, "hubspot", "expired");
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/hubspot", KEY, LA_ID, NULL);
    char consent[600], st[40], body[200];
    snprintf(consent, sizeof consent, "%s", th_path_of(m, th_str(r.json, "auth_url")));
    th_free(&r);
    r = th_request(m, "GET", consent, NULL, NULL);
    assert_non_null(strstr(r.body, "initech.example")); /* the account being re-authorized */
    th_free(&r);
    state_of(consent, st, sizeof st);
    snprintf(body, sizeof body, "state=%s&decision=approve", st);
    r = form(m, "/oauth/hubspot/authorize", body);
    assert_int_equal(r.status, 200); /* no redirect_url and not a popup: a result page */
    assert_non_null(strstr(r.body, "Hubspot connected"));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/application/hubspot", KEY, LA_ID, NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "reauth_required")));
    const cJSON *id = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "connected_accounts"), 0), "identifier");
    assert_string_equal(th_str(id, "hub_domain"), "initech.example");
    th_free(&r);
}

static void deleted_linked_account_link(void **state)
{
    refold_mock *m = *state;
    char page[512];
    th_create_la(m, KEY, "short_lived", "Short");
    connect_url(m, "short_lived", "{}", page, sizeof page);
    th_resp r = th_key(m, "DELETE", "/api/v2/public/linked-account/short_lived", KEY, NULL, NULL);
    assert_int_equal(r.status, 200);
    th_free(&r);
    r = th_request(m, "GET", page, NULL, NULL);
    assert_int_equal(r.status, 410);
    assert_non_null(strstr(r.body, "no longer exists"));
    th_free(&r);
}

/* --public-url (a mock behind a proxy or in a container) is the base of every link handed out. */
static void links_use_the_public_url(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.public_url = "https://refold-mock.example.test:8443";
    refold_mock *m = th_start(&o);
    th_create_la(m, KEY, LA_ID, "Public");
    th_resp r = th_key(m, "POST", "/api/v2/public/connect-url", KEY, LA_ID, "{}");
    assert_int_equal(r.status, 200);
    assert_memory_equal(th_str(r.json, "hosted_url"), "https://refold-mock.example.test:8443/connect/", 46);
    char path[128];
    snprintf(path, sizeof path, "%s", th_str(r.json, "hosted_url") + strlen(o.public_url));
    th_free(&r);
    r = th_key(m, "GET", "/api/v2/public/linked-account/integration/oauth-url/hubspot", KEY, LA_ID, NULL);
    assert_memory_equal(th_str(r.json, "auth_url"), "https://refold-mock.example.test:8443/oauth/hubspot/authorize?", 62);
    th_free(&r);
    /* The page itself links its assets and forms through the same base. */
    r = th_request(m, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "href=\"https://refold-mock.example.test:8443/__mock/assets/mock.css\""));
    th_free(&r);
    refold_mock_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(connect_url_shape_and_properties, setup, th_teardown),
        cmocka_unit_test_setup_teardown(connect_url_bad_input, setup, th_teardown),
        cmocka_unit_test_setup_teardown(page_lists_apps_with_branding_and_escaping, setup, th_teardown),
        cmocka_unit_test_setup_teardown(unknown_and_expired_links, setup, th_teardown),
        cmocka_unit_test_setup_teardown(keybased_form_validates_on_the_server, setup, th_teardown),
        cmocka_unit_test_setup_teardown(client_credentials_app_has_a_form, setup, th_teardown),
        cmocka_unit_test_setup_teardown(oauth_consent_from_hosted_page, setup, th_teardown),
        cmocka_unit_test_setup_teardown(redirect_url_is_followed, setup, th_teardown),
        cmocka_unit_test_setup_teardown(oauth_url_api, setup, th_teardown),
        cmocka_unit_test_setup_teardown(reconnect_keeps_the_account_identifier, setup, th_teardown),
        cmocka_unit_test_setup_teardown(deleted_linked_account_link, setup, th_teardown),
        cmocka_unit_test(links_use_the_public_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
