/* mask.c: finds secrets by name (credential fields), by shape (JWTs) and by value (API keys). */
#include "base/json.h"
#include "engine/mask.h"
#include "engine/fixtures.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Names of members that hold credentials in Refold's API, the OAuth exchange and the pages. */
static const char *const secret_names[] = {
    "access_token", "refresh_token", "id_token", "token", "session_token", "api_key", "apikey",
    "x-api-key", "password", "client_secret", "secret", "private_key", "personal_access_token",
    "pat", "auth_token", "admin_token", "code", "code_verifier", NULL};

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcasecmp(s + n - t, tail);
}

static int app_password_field(const cJSON *fields, const char *name)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, fields) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(f, "type");
        const cJSON *fname = cJSON_GetObjectItemCaseSensitive(f, "name");
        if (cJSON_IsString(type) && !strcmp(type->valuestring, "password") && cJSON_IsString(fname) &&
            !strcasecmp(fname->valuestring, name))
            return 1;
    }
    return 0;
}

/* Read from the catalogue each time: fixtures can be reloaded by a reset. */
static int secret_name(const char *name, const struct fixtures *fx)
{
    if (!name || !*name)
        return 0;
    for (int i = 0; secret_names[i]; i++)
        if (!strcasecmp(name, secret_names[i]))
            return 1;
    if (ends_with(name, "_token") || ends_with(name, "_secret") || ends_with(name, "password"))
        return 1;
    if (!fx)
        return 0;
    const cJSON *app;
    cJSON_ArrayForEach(app, fx->apps) {
        if (app_password_field(cJSON_GetObjectItemCaseSensitive(app, "auth_input_map"), name))
            return 1;
        const cJSON *opt;
        cJSON_ArrayForEach(opt, cJSON_GetObjectItemCaseSensitive(app, "auth_type_options"))
            if (app_password_field(opt, name))
                return 1;
    }
    return 0;
}

static int keep_name(const char *name) { return name && !strcmp(name, "slug"); }

static int b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Length of a JWT starting at s ("eyJ" header, two dots), or 0. */
static size_t jwt_at(const char *s, size_t left)
{
    if (left < 10 || memcmp(s, "eyJ", 3))
        return 0;
    size_t i = 0;
    for (int part = 0; part < 3; part++) {
        size_t start = i;
        while (i < left && b64url(s[i]))
            i++;
        if (part < 2 && (i == start || i >= left || s[i] != '.'))
            return 0;
        if (part < 2)
            i++;
    }
    return i;
}

/* An ephemeral tenant's key (tenants.c): "tk_eph_" or "pk_eph_" and 24 hex digits. */
static size_t ephemeral_key_at(const char *s, size_t len)
{
    if (len < 31 || (memcmp(s, "tk_eph_", 7) && memcmp(s, "pk_eph_", 7)))
        return 0;
    for (int i = 7; i < 31; i++)
        if (!strchr("0123456789abcdef", s[i]) || !s[i])
            return 0;
    return 31;
}

/* Text with JWTs and the tenants' API keys replaced; NULL when nothing was. */
static char *sweep(const char *s, size_t len, const struct fixtures *fx)
{
    char *out = NULL;
    size_t used = 0, copied = 0, cap = 0;
    for (size_t i = 0; i < len;) {
        size_t hit = (i == 0 || !b64url(s[i - 1])) ? jwt_at(s + i, len - i) : 0;
        if (!hit)
            hit = ephemeral_key_at(s + i, len - i);
        for (int k = 0; !hit && fx && k < fx->ntenants; k++) {
            size_t kl = strlen(fx->tenants[k].api_key);
            if (kl >= 6 && kl <= len - i && !memcmp(s + i, fx->tenants[k].api_key, kl))
                hit = kl;
        }
        if (!hit) {
            i++;
            continue;
        }
        size_t need = used + (i - copied) + sizeof MASK + (len - i);
        if (need > cap) {
            cap = need * 2;
            out = realloc(out, cap);
        }
        memcpy(out + used, s + copied, i - copied);
        used += i - copied;
        memcpy(out + used, MASK, sizeof MASK - 1);
        used += sizeof MASK - 1;
        i += hit;
        copied = i;
    }
    if (!out)
        return NULL;
    if (used + (len - copied) + 1 > cap)
        out = realloc(out, used + (len - copied) + 1);
    memcpy(out + used, s + copied, len - copied);
    out[used + len - copied] = 0;
    return out;
}

static char *dup_swept(const char *s, size_t len, const struct fixtures *fx)
{
    char *w = sweep(s, len, fx);
    if (w)
        return w;
    w = malloc(len + 1);
    memcpy(w, s, len);
    w[len] = 0;
    return w;
}

static void mask_all(cJSON *v)
{
    for (cJSON *c = v ? v->child : NULL, *next; c; c = next) {
        next = c->next;
        if (cJSON_IsString(c) || cJSON_IsNumber(c)) {
            if (keep_name(c->string))
                continue;
            cJSON *masked = cJSON_CreateString(MASK);
            masked->string = c->string;
            c->string = NULL;
            cJSON_ReplaceItemViaPointer(v, c, masked);
        } else {
            mask_all(c);
        }
    }
}

void mask_json(cJSON *v, const struct fixtures *fx)
{
    for (cJSON *c = v ? v->child : NULL, *next; c; c = next) {
        next = c->next;
        if (cJSON_IsObject(v) && secret_name(c->string, fx) && (cJSON_IsString(c) || cJSON_IsNumber(c))) {
            cJSON *masked = cJSON_CreateString(MASK);
            masked->string = c->string; /* the member keeps its name and place */
            c->string = NULL;
            cJSON_ReplaceItemViaPointer(v, c, masked);
        } else if (cJSON_IsString(c)) {
            char *w = sweep(c->valuestring, strlen(c->valuestring), fx);
            if (w) {
                cJSON_SetValuestring(c, w);
                free(w);
            }
        } else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            mask_json(c, fx);
        }
    }
}

static char *mask_form(const char *qs, int all, const struct fixtures *fx)
{
    size_t len = strlen(qs);
    char *out = malloc(len + sizeof MASK * (len / 2 + 1) + 1), *o = out;
    const char *p = qs;
    while (*p) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        char name[128] = "";
        if (eq && (size_t)(eq - p) < sizeof name)
            mg_url_decode(p, (int)(eq - p), name, sizeof name, 1);
        if (eq && (all ? !keep_name(name) : secret_name(name, fx))) {
            memcpy(o, p, (size_t)(eq - p) + 1);
            o += eq - p + 1;
            memcpy(o, MASK, sizeof MASK - 1);
            o += sizeof MASK - 1;
        } else {
            memcpy(o, p, (size_t)(end - p));
            o += end - p;
        }
        if (!amp)
            break;
        *o++ = '&';
        p = amp + 1;
    }
    *o = 0;
    char *w = sweep(out, (size_t)(o - out), fx);
    if (w) {
        free(out);
        return w;
    }
    return out;
}

char *mask_header(const char *name, const char *value, const struct fixtures *fx)
{
    if (!strcasecmp(name, "authorization") || !strcasecmp(name, "proxy-authorization")) {
        const char *sp = strchr(value, ' '); /* the scheme says which kind of credential came */
        size_t keep = sp ? (size_t)(sp - value) + 1 : 0;
        char *out = malloc(keep + sizeof MASK);
        memcpy(out, value, keep);
        memcpy(out + keep, MASK, sizeof MASK);
        return out;
    }
    if (!strcasecmp(name, "cookie") || !strcasecmp(name, "set-cookie") || secret_name(name, fx))
        return strdup(MASK);
    return dup_swept(value, strlen(value), fx);
}

char *mask_query(const char *qs, const struct fixtures *fx) { return mask_form(qs, 0, fx); }

cJSON *mask_body(const char *body, size_t len, int form, int all, const struct fixtures *fx)
{
    if (!body || !len)
        return NULL;
    /* bodies refused for nesting too deep are kept too: parsing them could overflow a worker's stack */
    cJSON *v = json_depth(body, len) <= JSON_MAX_DEPTH ? cJSON_ParseWithLength(body, len) : NULL;
    if (v) {
        if (all)
            mask_all(v);
        else
            mask_json(v, fx);
        return v;
    }
    if (all && !form) /* credentials that are not JSON: nothing of them can be shown */
        return cJSON_CreateString(MASK);
    char *text = dup_swept(body, len, fx);
    if (form) {
        char *q = mask_form(text, all, fx);
        free(text);
        text = q;
    }
    v = cJSON_CreateString(text);
    free(text);
    return v;
}

const char *mask_path(const char *path, char *buf, size_t n)
{
    static const char tenant[] = "/__mock/tenants/"; /* DELETE /__mock/tenants/{api key} */
    if (!strncmp(path, tenant, sizeof tenant - 1) && path[sizeof tenant - 1]) {
        snprintf(buf, n, "%s" MASK, tenant);
        return buf;
    }
    static const char mcp[] = "/mcp/v1/";
    const char *tok = path + sizeof mcp - 1, *end;
    if (strncmp(path, mcp, sizeof mcp - 1) || !*tok || *tok == '/')
        return path; /* the common case costs a compare */
    if (!(end = strchr(tok, '/'))) {
        /* one segment: the token of the console's URL /mcp/v1/{token}, or the server id of the
         * header form (24 hex digits, shown as it is) */
        size_t len = strlen(tok);
        if (len == 24 && strspn(tok, "0123456789abcdef") == 24)
            return path;
        end = tok + len;
    }
    snprintf(buf, n, "%.*s" MASK "%s", (int)(tok - path), path, end);
    return buf;
}
