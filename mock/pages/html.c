/* html.c: the HTML buffer, escaping of every user-controlled value, the shared page frame. */
#define _GNU_SOURCE
#include "pages/html.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"

#include <civetweb.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void html_init(struct html *h)
{
    h->cap = 4096;
    h->len = 0;
    h->buf = malloc(h->cap);
    h->buf[0] = 0;
}

void html_free(struct html *h)
{
    free(h->buf);
    h->buf = NULL;
    h->len = h->cap = 0;
}

static void put(struct html *h, const char *s, size_t n)
{
    if (h->len + n + 1 > h->cap) {
        while (h->len + n + 1 > h->cap)
            h->cap *= 2;
        h->buf = realloc(h->buf, h->cap);
    }
    memcpy(h->buf + h->len, s, n);
    h->len += n;
    h->buf[h->len] = 0;
}

void html_raw(struct html *h, const char *s) { put(h, s, strlen(s)); }

static char *vformat(const char *fmt, va_list ap)
{
    char *out = NULL;
    if (vasprintf(&out, fmt, ap) < 0)
        return NULL;
    return out;
}

void html_rawf(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    if (s)
        html_raw(h, s);
    free(s);
}

void html_text(struct html *h, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': put(h, "&amp;", 5); break;
        case '<': put(h, "&lt;", 4); break;
        case '>': put(h, "&gt;", 4); break;
        case '"': put(h, "&quot;", 6); break;
        case '\'': put(h, "&#39;", 5); break;
        default: put(h, p, 1);
        }
    }
}

void html_textf(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    html_text(h, s);
    free(s);
}

void html_page_begin(struct html *h, struct mock *m, const char *title, const char *style)
{
    html_raw(h, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    html_text(h, title);
    html_raw(h, "</title><link rel=\"stylesheet\" href=\"");
    html_text(h, m->url);
    html_raw(h, "/__mock/assets/mock.css\"></head>\n<body");
    if (style) {
        html_raw(h, " style=\"");
        html_text(h, style);
        html_raw(h, "\"");
    }
    html_raw(h, ">\n");
}

void html_page_end(struct html *h, struct mock *m)
{
    html_raw(h, "<footer class=\"mock-footer\">Served by refold-mock: a local stand-in for Refold. Nothing here reaches a real provider.</footer>\n<script src=\"");
    html_text(h, m->url);
    html_raw(h, "/__mock/assets/pages.js\"></script>\n</body></html>\n");
}

int html_send(req *r, int status, struct html *h)
{
    /* No Cross-Origin-Opener-Policy on purpose: the SDK opens the consent page as a popup and
     * watches popup.closed; COOP would sever that handle and the SDK would give up. */
    http_add_header(r, "X-Content-Type-Options", "nosniff");
    http_send(r, status, "text/html; charset=utf-8", h->buf, h->len);
    html_free(h);
    return status;
}

int html_error_page(req *r, int status, const char *heading, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    struct html h;
    html_init(&h);
    html_page_begin(&h, r->m, heading, NULL);
    html_raw(&h, "<main class=\"card narrow\" data-testid=\"error\"><div class=\"error-icon\">!</div><h1>");
    html_text(&h, heading);
    html_raw(&h, "</h1><p>");
    html_text(&h, msg);
    html_raw(&h, "</p></main>\n");
    html_page_end(&h, r->m);
    free(msg);
    return html_send(r, status, &h);
}

int html_redirect(req *r, const char *url)
{
    http_add_header(r, "Location", url);
    struct html h;
    html_init(&h);
    html_raw(&h, "<!doctype html><title>Redirecting</title><a href=\"");
    html_text(&h, url);
    html_raw(&h, "\">Continue</a>\n");
    return html_send(r, 303, &h);
}

int html_form_value(req *r, const char *name, char *out, size_t n)
{
    if (!r->raw || !n)
        return 0;
    return mg_get_var(r->raw, r->raw_len, name, out, n) >= 0;
}

int html_safe_url(const char *s)
{
    /* The Location header shares a 512-byte buffer with other headers: keep room. */
    if (!s || strlen(s) > 380)
        return 0;
    if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return 0;
    return 1;
}

int html_safe_color(const char *s)
{
    /* Colors end up in a style attribute: allow only what a color can be made of, so a value
     * cannot close the declaration and add its own (url(), expression(), ;). */
    if (!s || !*s || strlen(s) > 40)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("#(),.% ", *p))
            return 0;
    return !strstr(s, "url") && !strstr(s, "expression");
}

void html_app_avatar(struct html *h, const cJSON *app, const char *css_class)
{
    const char *name = json_str(app, "name"), *slug = json_str(app, "slug");
    unsigned hue = 0;
    for (const char *p = slug ? slug : ""; *p; p++)
        hue = hue * 31 + (unsigned char)*p;
    char letter[2] = {name && *name ? (char)toupper((unsigned char)name[0]) : '?', 0};
    html_rawf(h, "<span class=\"%s\" style=\"--hue:%u\" aria-hidden=\"true\">", css_class, hue % 360);
    html_text(h, letter);
    html_raw(h, "</span>");
}

void html_identifier(struct html *h, const cJSON *id)
{
    static const char *const telling[] = {"email", "hub_domain", "domain", "team_name", "team", "name", "company_name",
                                          "instance_url", "account_id", "portalId", "id", NULL};
    if (cJSON_IsString(id)) {
        html_text(h, id->valuestring);
        return;
    }
    if (cJSON_IsNumber(id)) {
        html_rawf(h, "%.0f", id->valuedouble);
        return;
    }
    if (cJSON_IsObject(id)) {
        for (int i = 0; telling[i]; i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(id, telling[i]);
            if (cJSON_IsString(v) || cJSON_IsNumber(v)) {
                html_identifier(h, v);
                return;
            }
        }
    }
    char *s = id ? cJSON_PrintUnformatted(id) : NULL;
    html_text(h, s ? s : "");
    free(s);
}

void html_time(struct html *h, const char *iso)
{
    /* "2026-04-28T12:13:25.968Z" -> "2026-04-28 12:13 UTC" */
    if (!iso || strlen(iso) < 16) {
        html_text(h, iso);
        return;
    }
    char out[32];
    snprintf(out, sizeof out, "%.10s %.5s UTC", iso, iso + 11);
    html_text(h, out);
}
