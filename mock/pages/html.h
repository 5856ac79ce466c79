/* html.h: building HTML pages safely: a growing buffer, escaping, the shared page frame. */
#ifndef PAGES_HTML_H
#define PAGES_HTML_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

struct html {
    char *buf;
    size_t len, cap;
};

void html_init(struct html *h);
void html_free(struct html *h);

/* Trusted markup written as is: literals of ours, never a value a user or caller chose. */
void html_raw(struct html *h, const char *s);
void html_rawf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text (or an attribute value inside double quotes): & < > " ' are escaped. NULL writes nothing. */
void html_text(struct html *h, const char *s);
/* Formats, then escapes the whole result: for sentences built from user-controlled values. */
void html_textf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The frame every page shares: doctype, title, the stylesheet and script served by the mock.
 * style is a trusted inline style for <body> (CSS variables) or NULL. */
void html_page_begin(struct html *h, struct mock *m, const char *title, const char *style);
void html_page_end(struct html *h, struct mock *m);

/* Sends the page with status and frees it. Pages never go into a cache: state changes. */
int html_send(req *r, int status, struct html *h);
/* A whole error page: a heading and one sentence (both escaped). */
int html_error_page(req *r, int status, const char *heading, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 303 See Other to url (already checked to be a safe http(s) URL without CR/LF). */
int html_redirect(req *r, const char *url);

/* A form field of a urlencoded body (RAW_BODY routes): 1 when present, value in out. */
int html_form_value(req *r, const char *name, char *out, size_t n);

/* 1 when s is an http(s) URL we may put in a Location header and an href. */
int html_safe_url(const char *s);
/* 1 when s is a CSS color we may put in a style attribute (#hex, rgb()/hsl(), a name). */
int html_safe_color(const char *s);

/* Pieces the connect and consent pages share. A letter badge stands in for the app's logo:
 * the pages load nothing from outside the mock. */
void html_app_avatar(struct html *h, const cJSON *app, const char *css_class);
/* A connection identifier as one line of text: a string or number as is, an object by its
 * most telling member (email, domain, name, ...) or else compact JSON. */
void html_identifier(struct html *h, const cJSON *identifier);
/* A virtual time as "2026-04-28 12:13 UTC". */
void html_time(struct html *h, const char *iso);

#endif
