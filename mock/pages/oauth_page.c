/* oauth_page.c: the OAuth consent screen a provider would show ("Acme wants to access your
 * HubSpot account"), and what Approve and Deny do: connect (or restore) the app, or nothing. */
#include "pages/html.h"
#include "engine/linked_accounts.h"
#include "engine/clock.h"
#include "base/json.h"
#include "engine/links.h"
#include "handlers.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

static const char *provider_name(const cJSON *app)
{
    const char *p = json_str(cJSON_GetObjectItemCaseSensitive(app, "oauth"), "provider");
    return p ? p : json_str(app, "name");
}

/* Resolves the state of the query (GET) or form (POST). Answers with an error page and
 * returns -1 when it is unknown, used, expired, or for another app than the path's. */
static int open_state(req *r, const char *state, cJSON **doc, const struct tenant **t, const cJSON **app)
{
    enum link_status st = links_oauth_find(r->m, state, doc, t);
    if (st == LINK_OK && strcmp(json_str(*doc, "slug"), r->param[0]))
        st = LINK_UNKNOWN;
    if (st != LINK_OK) {
        cJSON_Delete(*doc);
        *doc = NULL;
        if (st == LINK_EXPIRED)
            return html_error_page(r, 410, "This sign-in request has expired",
                                   "Sign-in requests last an hour. Go back and press Connect again."), -1;
        if (st == LINK_GONE)
            return html_error_page(r, 410, "This account no longer exists",
                                   "The account this sign-in was started for has been deleted."), -1;
        return html_error_page(r, 400, "This sign-in request is not valid",
                               "It may have been used already. Go back and press Connect again."), -1;
    }
    clock_scope(*t); /* what the page does from here on happens in its tenant's time */
    *app = fixtures_app(r->m->fx, r->param[0]);
    return 0;
}

/* route: GET /oauth/{slug}/authorize (param[0] slug) */
int h_page_consent(req *r)
{
    char state[64] = "";
    http_query(r, "state", state, sizeof state);
    cJSON *doc;
    const struct tenant *t;
    const cJSON *app;
    if (open_state(r, state, &doc, &t, &app) != 0)
        return r->status;
    const char *la = json_str(doc, "linked_account_id"), *provider = provider_name(app);
    const cJSON *oauth = cJSON_GetObjectItemCaseSensitive(app, "oauth");
    cJSON *conn = connections_get(r->m, t, la, json_str(app, "slug"));
    cJSON *la_doc = linked_accounts_get(r->m, t, la);

    struct html h;
    html_init(&h);
    char title[200];
    snprintf(title, sizeof title, "Sign in with %s", provider);
    html_page_begin(&h, r->m, title, NULL);
    html_raw(&h, "<main class=\"consent\"><div class=\"provider\">");
    html_app_avatar(&h, app, "avatar big");
    html_raw(&h, "<span class=\"provider-name\">");
    html_text(&h, provider);
    html_raw(&h, "</span></div><div class=\"card\">\n<h1 data-testid=\"consent-title\">");
    html_textf(&h, "%s wants to access your %s account", t->org_name, provider);
    html_raw(&h, "</h1>\n<div class=\"account-chip\"><span class=\"muted\">Account</span> <strong>");
    const cJSON *known = cJSON_GetObjectItemCaseSensitive(conn, "identifier");
    html_identifier(&h, known ? known : cJSON_GetObjectItemCaseSensitive(oauth, "identifier"));
    html_raw(&h, "</strong><span class=\"muted\"> &middot; for ");
    html_text(&h, json_str(la_doc, "name") ? json_str(la_doc, "name") : la);
    html_raw(&h, "</span></div>\n");
    const char *status = json_str(conn, "status");
    if (status && !strcmp(status, "expired")) {
        html_raw(&h, "<div class=\"notice warn\">");
        html_textf(&h, "%s lost access to this account (%s). Approving restores it.", t->org_name,
                   json_str(conn, "reason") ? json_str(conn, "reason") : "expired");
        html_raw(&h, "</div>\n");
    }
    html_raw(&h, "<p>");
    html_textf(&h, "This will allow %s to:", t->org_name);
    html_raw(&h, "</p><ul class=\"scopes\">");
    const cJSON *scope;
    cJSON_ArrayForEach(scope, cJSON_GetObjectItemCaseSensitive(oauth, "scopes")) {
        html_raw(&h, "<li>");
        html_text(&h, cJSON_IsString(scope) ? scope->valuestring : "");
        html_raw(&h, "</li>");
    }
    html_raw(&h, "</ul>\n<form method=\"post\" action=\"");
    html_text(&h, r->m->url);
    html_raw(&h, "/oauth/");
    html_text(&h, json_str(app, "slug"));
    html_raw(&h, "/authorize\" class=\"decision\"><input type=\"hidden\" name=\"state\" value=\"");
    html_text(&h, state);
    /* pages.js sets popup=1 when the SDK opened this window, so the answer closes it. */
    html_raw(&h, "\"><input type=\"hidden\" name=\"popup\" value=\"0\">"
                 "<button class=\"btn\" name=\"decision\" value=\"deny\" data-testid=\"deny\">Deny</button>"
                 "<button class=\"btn primary\" name=\"decision\" value=\"approve\" data-testid=\"approve\">Approve</button>"
                 "</form>\n<p class=\"fineprint\">");
    html_textf(&h, "You can remove %s's access at any time from your %s settings.", t->org_name, provider);
    html_raw(&h, "</p></div></main>\n");
    html_page_end(&h, r->m);
    cJSON_Delete(conn);
    cJSON_Delete(la_doc);
    cJSON_Delete(doc);
    return html_send(r, 200, &h);
}

/* The page a popup shows after the decision; pages.js closes it (the SDK sees the connection
 * on its next poll). Also the end of a redirect flow that named no redirect_url. */
static int result_page(req *r, const struct tenant *t, const cJSON *app, int approved)
{
    struct html h;
    html_init(&h);
    char heading[200];
    if (approved)
        snprintf(heading, sizeof heading, "%s connected", json_str(app, "name"));
    else
        snprintf(heading, sizeof heading, "Access denied");
    html_page_begin(&h, r->m, heading, NULL);
    html_rawf(&h, "<main class=\"card narrow\" data-close-popup data-testid=\"result\" data-outcome=\"%s\">"
                  "<div class=\"result-icon %s\">%s</div><h1>",
              approved ? "approved" : "denied", approved ? "ok" : "warn", approved ? "&#10003;" : "&#215;");
    html_text(&h, heading);
    html_raw(&h, "</h1><p>");
    if (approved)
        html_textf(&h, "%s can now use your %s account. You can close this window and go back to %s.",
                   t->org_name, provider_name(app), t->org_name);
    else
        html_textf(&h, "%s was not given access to %s. Nothing changed. You can close this window.",
                   t->org_name, provider_name(app));
    html_raw(&h, "</p></main>\n");
    html_page_end(&h, r->m);
    return html_send(r, 200, &h);
}

/* route: POST /oauth/{slug}/authorize (param[0] slug) */
int h_page_consent_decide(req *r)
{
    char state[64] = "", decision[16] = "", popup[4] = "";
    html_form_value(r, "state", state, sizeof state);
    html_form_value(r, "decision", decision, sizeof decision);
    html_form_value(r, "popup", popup, sizeof popup);
    int approve = !strcmp(decision, "approve");
    if (!approve && strcmp(decision, "deny"))
        return html_error_page(r, 400, "No decision was sent", "Press Approve or Deny.");
    cJSON *doc;
    const struct tenant *t;
    const cJSON *app;
    if (open_state(r, state, &doc, &t, &app) != 0)
        return r->status;
    const char *la = json_str(doc, "linked_account_id"), *slug = json_str(app, "slug");
    links_oauth_consume(r->m, t, state);
    if (approve) {
        /* Tokens a provider would hand back; a first connect takes the identifier from the
         * app's fixture (connections_connect's default). */
        char at[48], rt[48];
        memcpy(at, "mock_at_", 8);
        util_random_hex(at + 8, 16);
        memcpy(rt, "mock_rt_", 8);
        util_random_hex(rt + 8, 16);
        cJSON *creds = cJSON_CreateObject();
        cJSON_AddStringToObject(creds, "access_token", at);
        cJSON_AddStringToObject(creds, "refresh_token", rt);
        cJSON_AddStringToObject(creds, "token_type", "bearer");
        /* Reconnecting re-authorizes the same provider account: keep the identifier it has. */
        cJSON *conn = connections_get(r->m, t, la, slug);
        int rc = connections_connect(r->m, t, la, slug, "oauth2", cJSON_GetObjectItemCaseSensitive(conn, "identifier"), creds);
        cJSON_Delete(conn);
        cJSON_Delete(creds);
        if (rc != 0) {
            cJSON_Delete(doc);
            return html_error_page(r, 500, "Something went wrong", "The connection could not be saved.");
        }
    }
    char url[512] = "";
    const char *hosted = json_str(doc, "hosted"), *redirect = json_str(doc, "redirect_url");
    if (hosted) {
        /* A hosted page navigates in its own window, even when that window is itself a popup. */
        cJSON *hdoc = NULL;
        const struct tenant *ht;
        enum link_status st = links_hosted_find(r->m, hosted, &hdoc, &ht);
        if (st == LINK_OK)
            connect_page_after(r->m, hdoc, slug, approve ? "connected" : "denied", url, sizeof url);
        cJSON_Delete(hdoc);
    } else if (redirect && strcmp(popup, "1")) {
        snprintf(url, sizeof url, "%s%s", redirect,
                 approve ? "" : strchr(redirect, '?') ? "&error=access_denied" : "?error=access_denied");
    }
    int rc = url[0] ? html_redirect(r, url) : result_page(r, t, app, approve);
    cJSON_Delete(doc);
    return rc;
}
