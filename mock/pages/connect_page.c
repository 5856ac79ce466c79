/* connect_page.c: the hosted connect page (/connect/{token}): the linked account's apps in their
 * state (Connect / Connected / Reconnect), key-based forms, and the hand-off to OAuth consent. */
#include "pages/html.h"
#include "engine/linked_accounts.h"
#include "engine/clock.h"
#include "base/json.h"
#include "engine/links.h"
#include "engine/keybased.h"
#include "handlers.h"
#include "engine/connections.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "base/util.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

/* A resolved hosted session: who, for which linked account, with which look. */
struct session {
    cJSON *doc;
    const struct tenant *t;
    const char *token, *la;
    const cJSON *props;
    char style[160];     /* trusted: built only from colors html_safe_color accepted */
    char title[160];     /* the product's name as the page shows it */
};

static const char *prop(const cJSON *props, const char *a, const char *b)
{
    const char *v = json_str(props, a);
    return v ? v : b ? json_str(props, b) : NULL;
}

/* Loads the session of the path's token, or answers with the error page and returns -1. */
static int open_session(req *r, struct session *s)
{
    memset(s, 0, sizeof *s);
    s->token = r->param[0];
    enum link_status st = links_hosted_find(r->m, s->token, &s->doc, &s->t);
    if (st != LINK_OK) {
        const char *org = s->t ? s->t->org_name : "the app that sent you here";
        cJSON_Delete(s->doc);
        s->doc = NULL;
        if (st == LINK_EXPIRED)
            return html_error_page(r, 410, "This connect link has expired",
                                   "Connect links last 24 hours. Go back to %s and open the integrations page again for a fresh link.", org), -1;
        if (st == LINK_GONE)
            return html_error_page(r, 410, "This account no longer exists",
                                   "The account this link was made for has been deleted in %s.", org), -1;
        return html_error_page(r, 404, "This connect link is not valid",
                               "Check that the whole link was copied, or ask for a new one."), -1;
    }
    clock_scope(s->t); /* what the page does from here on happens in its tenant's time */
    s->la = json_str(s->doc, "linked_account_id");
    s->props = cJSON_GetObjectItemCaseSensitive(s->doc, "properties");
    /* base_color/button_color are the documented keys; bgColor/color/name the branding doc's. */
    const char *base = prop(s->props, "base_color", "bgColor"), *button = prop(s->props, "button_color", "color");
    size_t n = 0;
    if (base && html_safe_color(base))
        n += (size_t)snprintf(s->style + n, sizeof s->style - n, "--brand-base:%s;", base);
    if (button && html_safe_color(button))
        snprintf(s->style + n, sizeof s->style - n, "--brand-button:%s;", button);
    const char *name = json_str(s->props, "name");
    snprintf(s->title, sizeof s->title, "%s", name && *name ? name : s->t->org_name);
    return 0;
}

static void close_session(struct session *s) { cJSON_Delete(s->doc); }

static void page_header(struct html *h, struct session *s, const char *subtitle)
{
    html_raw(h, "<header class=\"brand\"><div class=\"brand-inner\"><div class=\"brand-name\">");
    html_text(h, s->title);
    html_raw(h, "</div><div class=\"brand-sub\">");
    html_text(h, subtitle);
    html_raw(h, "</div></div></header>\n");
}

static void app_link(struct html *h, struct mock *m, const char *token, const char *slug, const char *suffix)
{
    html_text(h, m->url);
    html_raw(h, "/connect/");
    html_text(h, token);
    html_raw(h, "/");
    html_text(h, slug);
    if (suffix)
        html_raw(h, suffix);
}

static const char *auth_label(const cJSON *app)
{
    int oauth = fixtures_app_supports(app, "oauth2"), keys = fixtures_app_supports(app, "keybased");
    return oauth && keys ? "OAuth or API credentials" : oauth ? "OAuth" : "API credentials";
}

enum app_state { APP_NONE, APP_ACTIVE, APP_REAUTH };

static enum app_state app_state_of(req *r, struct session *s, const char *slug)
{
    cJSON *conn = connections_get(r->m, s->t, s->la, slug);
    const char *status = json_str(conn, "status");
    enum app_state st = !conn ? APP_NONE : status && !strcmp(status, "expired") ? APP_REAUTH : APP_ACTIVE;
    cJSON_Delete(conn);
    return st;
}

/* The note after a connect (?connected=slug) or a denial (?denied=slug). A reload later must not
 * contradict the list: the note shows only while it is still true. */
static void notice(struct html *h, req *r, struct session *s, const char *param, int want_active, const char *cls,
                   const char *fmt)
{
    char slug[MOCK_ID_LEN];
    if (!http_query(r, param, slug, sizeof slug) || !*slug)
        return;
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app || (app_state_of(r, s, slug) == APP_ACTIVE) != want_active)
        return;
    html_rawf(h, "<div class=\"notice %s\" role=\"status\" data-testid=\"notice\">", cls);
    html_textf(h, fmt, json_str(app, "name"));
    html_raw(h, "</div>\n");
}

static void app_row(struct html *h, req *r, struct session *s, const cJSON *app)
{
    const char *slug = json_str(app, "slug");
    cJSON *conn = connections_get(r->m, s->t, s->la, slug);
    const char *status = json_str(conn, "status");
    int expired = status && !strcmp(status, "expired");
    html_raw(h, "<li class=\"app\" data-slug=\"");
    html_text(h, slug);
    html_rawf(h, "\" data-state=\"%s\">", !conn ? "disconnected" : expired ? "reauth_required" : "connected");
    html_app_avatar(h, app, "avatar");
    html_raw(h, "<div class=\"app-main\"><div class=\"app-name\">");
    html_text(h, json_str(app, "name"));
    html_raw(h, " <span class=\"tag\">");
    html_text(h, auth_label(app));
    html_raw(h, "</span></div>");
    if (conn) {
        html_raw(h, "<div class=\"app-account\" data-testid=\"identifier-");
        html_text(h, slug);
        html_raw(h, "\">");
        html_identifier(h, cJSON_GetObjectItemCaseSensitive(conn, "identifier"));
        html_raw(h, "</div><div class=\"app-desc\">");
        if (expired) {
            html_textf(h, "Access stopped (%s) on ", json_str(conn, "reason") ? json_str(conn, "reason") : "expired");
            html_time(h, json_str(conn, "updatedAt"));
            html_raw(h, ". Reconnect to keep things running.");
        } else {
            html_raw(h, "Connected ");
            html_time(h, json_str(conn, "connectedAt"));
        }
        html_raw(h, "</div>");
    } else {
        html_raw(h, "<div class=\"app-desc\">");
        html_text(h, json_str(app, "description"));
        html_raw(h, "</div>");
    }
    html_raw(h, "</div><div class=\"app-state\">");
    if (!conn) {
        html_raw(h, "<a class=\"btn primary\" data-testid=\"connect-");
        html_text(h, slug);
        html_raw(h, "\" href=\"");
        app_link(h, r->m, s->token, slug, NULL);
        html_raw(h, "\">Connect</a>");
    } else if (expired) {
        html_raw(h, "<span class=\"badge warn\">Needs reconnect</span><a class=\"btn primary\" data-testid=\"reconnect-");
        html_text(h, slug);
        html_raw(h, "\" href=\"");
        app_link(h, r->m, s->token, slug, NULL);
        html_raw(h, "\">Reconnect</a>");
    } else {
        html_raw(h, "<span class=\"badge ok\" data-testid=\"connected-");
        html_text(h, slug);
        html_raw(h, "\">Connected</span>");
    }
    html_raw(h, "</div></li>\n");
    cJSON_Delete(conn);
}

/* route: GET /connect/{token} (param[0] token) */
int h_page_connect(req *r)
{
    struct session s;
    if (open_session(r, &s) != 0)
        return r->status;
    cJSON *la = linked_accounts_get(r->m, s.t, s.la);
    struct html h;
    html_init(&h);
    char title[200];
    snprintf(title, sizeof title, "Connect your apps - %s", s.title);
    html_page_begin(&h, r->m, title, s.style[0] ? s.style : NULL);
    char sub[200 + MOCK_ID_LEN];
    snprintf(sub, sizeof sub, "Integrations for %s", json_str(la, "name") ? json_str(la, "name") : s.la);
    page_header(&h, &s, sub);
    html_raw(&h, "<main class=\"wrap\">\n");
    notice(&h, r, &s, "connected", 1, "ok", "%s is connected.");
    notice(&h, r, &s, "denied", 0, "warn", "%s was not connected: access was denied. Nothing changed.");
    html_raw(&h, "<h1>Connect your apps</h1><p class=\"lead\">");
    html_textf(&h, "Choose an app to connect it to %s. You can come back here any time to reconnect.", s.title);
    html_raw(&h, "</p>\n<ul class=\"apps\" data-testid=\"apps\">\n");
    /* What needs the customer first: apps to reconnect, then connected ones, then the rest. */
    static const enum app_state order[] = {APP_REAUTH, APP_ACTIVE, APP_NONE};
    const cJSON *app;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        cJSON_ArrayForEach(app, r->m->fx->apps)
            if (app_state_of(r, &s, json_str(app, "slug")) == order[i])
                app_row(&h, r, &s, app);
    html_raw(&h, "</ul></main>\n");
    html_page_end(&h, r->m);
    cJSON_Delete(la);
    close_session(&s);
    return html_send(r, 200, &h);
}

/* The key-based form; values (may be NULL) refill it after a server-side rejection, except
 * secrets, which are never echoed back into a page. */
static int key_form(req *r, struct session *s, const cJSON *app, const cJSON *values, const char *error, int status)
{
    const char *slug = json_str(app, "slug");
    struct html h;
    html_init(&h);
    char title[200];
    snprintf(title, sizeof title, "Connect %s - %s", json_str(app, "name"), s->title);
    html_page_begin(&h, r->m, title, s->style[0] ? s->style : NULL);
    page_header(&h, s, "Connect an app");
    html_raw(&h, "<main class=\"wrap narrow\"><a class=\"back\" href=\"");
    html_text(&h, r->m->url);
    html_raw(&h, "/connect/");
    html_text(&h, s->token);
    html_raw(&h, "\">&larr; All apps</a><div class=\"card\"><div class=\"card-head\">");
    html_app_avatar(&h, app, "avatar big");
    html_raw(&h, "<div><h1>");
    html_textf(&h, "Connect %s", json_str(app, "name"));
    html_raw(&h, "</h1><p class=\"muted\">");
    html_textf(&h, "Enter the credentials from your %s account. %s stores them for this account only.",
               json_str(app, "name"), s->title);
    html_raw(&h, "</p></div></div>\n");
    if (error) {
        html_raw(&h, "<div class=\"notice error\" role=\"alert\" data-testid=\"form-error\">");
        html_text(&h, error);
        html_raw(&h, "</div>\n");
    }
    html_raw(&h, "<form method=\"post\" class=\"keyform\" action=\"");
    app_link(&h, r->m, s->token, slug, NULL);
    html_raw(&h, "\">\n");
    const cJSON *f;
    cJSON_ArrayForEach(f, keybased_form_fields(app, NULL)) {
        const char *name = json_str(f, "name"), *type = json_str(f, "type");
        if (!name)
            continue;
        int secret = type && !strcmp(type, "password");
        const cJSON *req_flag = cJSON_GetObjectItemCaseSensitive(f, "required");
        int required = cJSON_IsTrue(req_flag) || (cJSON_IsString(req_flag) && !strcmp(req_flag->valuestring, "true"));
        html_raw(&h, "<label class=\"field\"><span class=\"label\">");
        html_text(&h, json_str(f, "label") ? json_str(f, "label") : name);
        if (required)
            html_raw(&h, " <span class=\"req\" title=\"required\">*</span>");
        html_rawf(&h, "</span><input type=\"%s\" name=\"", secret ? "password" : "text");
        html_text(&h, name);
        html_raw(&h, "\" id=\"field-");
        html_text(&h, name);
        html_raw(&h, "\" placeholder=\"");
        html_text(&h, json_str(f, "placeholder"));
        html_raw(&h, "\" autocomplete=\"off\"");
        if (required)
            html_raw(&h, " required");
        const char *v = values && !secret ? json_str(values, name) : NULL;
        if (v) {
            html_raw(&h, " value=\"");
            html_text(&h, v);
            html_raw(&h, "\"");
        }
        html_raw(&h, "><span class=\"field-error\" aria-live=\"polite\"></span></label>\n");
    }
    html_raw(&h, "<button class=\"btn primary wide\" type=\"submit\" data-testid=\"submit\">");
    html_textf(&h, "Connect %s", json_str(app, "name"));
    html_raw(&h, "</button>\n</form>");
    if (fixtures_app_supports(app, "oauth2") && !keybased_client_credentials(app)) { /* (its OAuth is the form) */
        html_raw(&h, "<p class=\"alt\"><a href=\"");
        app_link(&h, r->m, s->token, slug, "?via=oauth");
        html_raw(&h, "\" data-testid=\"use-oauth\">");
        html_textf(&h, "Sign in with %s instead", json_str(cJSON_GetObjectItemCaseSensitive(app, "oauth"), "provider")
                                                      ? json_str(cJSON_GetObjectItemCaseSensitive(app, "oauth"), "provider")
                                                      : json_str(app, "name"));
        html_raw(&h, "</a></p>");
    }
    html_raw(&h, "</div></main>\n");
    html_page_end(&h, r->m);
    return html_send(r, status, &h);
}

/* route: GET /connect/{token}/{slug} (param[0] token; param[1] slug) */
int h_page_connect_app(req *r)
{
    struct session s;
    if (open_session(r, &s) != 0)
        return r->status;
    const cJSON *app = fixtures_app(r->m->fx, r->param[1]);
    if (!app) {
        close_session(&s);
        return html_error_page(r, 404, "App not found", "There is no app called %s.", r->param[1]);
    }
    char via[16] = "";
    http_query(r, "via", via, sizeof via);
    /* a client_credentials app has no consent: its form asks for the customer's client id and secret */
    int oauth = fixtures_app_supports(app, "oauth2") && !keybased_client_credentials(app);
    if (oauth && (!fixtures_app_supports(app, "keybased") || !strcmp(via, "oauth"))) {
        char url[512];
        int rc = links_oauth_begin(r->m, s.t, s.la, json_str(app, "slug"), s.token, NULL, url, sizeof url);
        close_session(&s);
        if (rc != 0)
            return html_error_page(r, 500, "Something went wrong", "The authorization request could not be stored.");
        return html_redirect(r, url);
    }
    int rc = key_form(r, &s, app, NULL, NULL, 200);
    close_session(&s);
    return rc;
}

/* Where to send the browser after a connect made from a hosted session: the product's
 * redirect_url when it gave one, else back to the list with a note. */
void connect_page_after(struct mock *m, const cJSON *hosted_doc, const char *slug, const char *outcome, char *out, size_t n)
{
    const char *redirect = json_str(cJSON_GetObjectItemCaseSensitive(hosted_doc, "properties"), "redirect_url");
    if (!strcmp(outcome, "connected") && redirect && html_safe_url(redirect))
        snprintf(out, n, "%s", redirect);
    else
        snprintf(out, n, "%s/connect/%s?%s=%s", m->url, json_str(hosted_doc, "token"), outcome, slug);
}

/* route: POST /connect/{token}/{slug} (param[0] token; param[1] slug) */
int h_page_connect_submit(req *r)
{
    struct session s;
    if (open_session(r, &s) != 0)
        return r->status;
    const cJSON *app = fixtures_app(r->m->fx, r->param[1]);
    int rc;
    if (!app) {
        rc = html_error_page(r, 404, "App not found", "There is no app called %s.", r->param[1]);
    } else if (!fixtures_app_supports(app, "keybased") && !keybased_client_credentials(app)) {
        rc = html_error_page(r, 400, "This app signs in with OAuth", "%s does not take credentials in a form.", json_str(app, "name"));
    } else {
        /* Only the app's own fields are taken from the form, as strings. */
        const char *auth_type;
        const cJSON *form = keybased_form_fields(app, &auth_type);
        cJSON *fields = cJSON_CreateObject();
        const cJSON *f;
        cJSON_ArrayForEach(f, form) {
            const char *name = json_str(f, "name");
            char value[2048];
            if (name && html_form_value(r, name, value, sizeof value))
                cJSON_AddStringToObject(fields, name, value);
        }
        char err[256];
        const char *slug = json_str(app, "slug");
        if (keybased_validate_list(form, fields, err, sizeof err) != 0) {
            rc = key_form(r, &s, app, fields, err, 400);
        } else if (keybased_refused(app, fields)) { /* the provider's token endpoint: invalid_client */
            snprintf(err, sizeof err, "%s refused these credentials (invalid_client): check the client id and secret.",
                     json_str(app, "name"));
            rc = key_form(r, &s, app, fields, err, 400);
        } else {
            /* identifier NULL: connections_connect takes the app's identifier field, as the API does */
            if (connections_connect(r->m, s.t, s.la, slug, auth_type, NULL, fields) != 0) {
                rc = html_error_page(r, 500, "Something went wrong", "The connection could not be saved.");
            } else {
                char url[512];
                connect_page_after(r->m, s.doc, slug, "connected", url, sizeof url);
                rc = html_redirect(r, url);
            }
        }
        cJSON_Delete(fields);
    }
    close_session(&s);
    return rc;
}
