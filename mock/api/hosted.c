/* hosted.c: hosted connect URLs, the properties stored with them, and OAuth authorization URLs. */
#include "api/hosted.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/connections.h"
#include "engine/keybased.h"
#include "engine/fixtures.h"
#include "base/http.h"
#include "pages/html.h"
#include "engine/links.h"
#include "engine/session_tokens.h"
#include "base/util.h"
#include "handlers.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

/* Properties the hosted page acts on are checked here, so a bad value is a clear 400 now
 * rather than a page that silently ignores it later. Everything else is stored verbatim. */
static int check_properties(req *r, const cJSON *props)
{
    static const char *const colors[] = {"base_color", "button_color", "color", "bgColor", NULL};
    for (int i = 0; colors[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, colors[i]);
        if (v && !cJSON_IsNull(v) && !(cJSON_IsString(v) && html_safe_color(v->valuestring)))
            return http_error(r, 400, "BAD_REQUEST", "%s must be a CSS color such as \"#0b5cff\", \"rgb(11,92,255)\" or \"teal\"",
                              colors[i]), -1;
    }
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(props, "redirect_url");
    if (url && !cJSON_IsNull(url) && !(cJSON_IsString(url) && html_safe_url(url->valuestring)))
        return http_error(r, 400, "BAD_REQUEST", "redirect_url must be an http(s) URL of at most 380 characters without spaces or quotes"), -1;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(props, "name");
    if (name && !cJSON_IsNull(name) && !cJSON_IsString(name))
        return http_error(r, 400, "BAD_REQUEST", "name must be a string"), -1;
    return 0;
}

/* route: POST /api/v2/public/connect-url */
int h_create_connect_url(req *r)
{
    /* Every key is optional, so an empty body means "no properties"; anything sent must be an object. */
    if (r->raw_len && !http_need_object(r))
        return r->status;
    const cJSON *props = r->body;
    if (props && check_properties(r, props) != 0)
        return r->status;
    char config_id[MOCK_ID_LEN] = "";
    http_query(r, "config_id", config_id, sizeof config_id);

    long long expires = clock_now_ms(r->m) + HOSTED_TTL_MS;
    if (r->via_token) {
        /* The link lives no longer than the session token it was made with. */
        cJSON *tok = session_tokens_get(r->m, r->t, r->token_jti);
        long long tok_exp = tok ? (long long)json_num(tok, "exp_ms", 0) : 0;
        if (tok_exp > 0 && tok_exp < expires)
            expires = tok_exp;
        cJSON_Delete(tok);
    }
    char token[LINKS_TOKEN_LEN];
    if (links_hosted_create(r->m, r->t, r->la, props, config_id[0] ? config_id : NULL,
                            r->via_token ? r->token_jti : NULL, expires, token) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the connect session");

    char url[512 + 3 * MOCK_ID_LEN];
    links_hosted_url(r->m, token, url, sizeof url);
    if (config_id[0]) {
        char enc[3 * MOCK_ID_LEN];
        mg_url_encode(config_id, enc, sizeof enc);
        size_t used = strlen(url);
        snprintf(url + used, sizeof url - used, "?config_id=%s", enc);
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "hosted_url", url);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/hosted-properties */
int h_get_hosted_properties(req *r)
{
    return http_json(r, 200, links_hosted_properties(r->m, r->t, r->la, r->token_jti));
}

int hosted_send_oauth_url(req *r, const char *slug)
{
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app)
        return http_error(r, 404, "NOT_FOUND", "Application %s not found", slug);
    if (!fixtures_app_supports(app, "oauth2"))
        return http_error(r, 400, "BAD_REQUEST", "%s does not support OAuth2; connect it with its key-based credentials", slug);
    char redirect[512] = "";
    if (http_query(r, "redirect_url", redirect, sizeof redirect) && *redirect && !html_safe_url(redirect))
        return http_error(r, 400, "BAD_REQUEST", "redirect_url must be an http(s) URL of at most 380 characters without spaces or quotes");
    char url[512];
    if (links_oauth_begin(r->m, r->t, r->la, slug, NULL, redirect[0] ? redirect : NULL, url, sizeof url) != 0)
        return http_error(r, 500, "SERVER_ERROR", "could not store the authorization request");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "auth_url", url);
    return http_json(r, 200, out);
}

int hosted_integrate(req *r, const char *slug, const cJSON *fields)
{
    const cJSON *app = fixtures_app(r->m->fx, slug);
    if (!app || !keybased_client_credentials(app))
        return hosted_send_oauth_url(r, slug); /* a redirect grant: the fields are pre-requisites */
    if (fields && !cJSON_IsObject(fields))
        return http_error(r, 400, "BAD_REQUEST", "the body must be a JSON object of the app's fields");
    const cJSON *list = keybased_form_fields(app, NULL);
    char err[256];
    cJSON *empty = fields ? NULL : cJSON_CreateObject();
    int bad = keybased_validate_list(list, fields ? fields : empty, err, sizeof err);
    cJSON_Delete(empty);
    if (bad)
        return http_error_hint(r, 400, strstr(err, "is required") ? "MISSING_CREDENTIALS" : "BAD_REQUEST", err,
                               "%s connects with the client_credentials grant: send its fields (auth_type_options.oauth2) in the body", slug);
    cJSON *out = cJSON_CreateObject();
    if (keybased_refused(app, fields)) {
        /* The provider's token endpoint said invalid_client: nothing is stored. */
        cJSON_AddBoolToObject(out, "connected", 0);
        return http_json(r, 200, out);
    }
    if (connections_connect(r->m, r->t, r->la, slug, "oauth2", NULL, fields) != 0) {
        cJSON_Delete(out);
        return http_error(r, 500, "SERVER_ERROR", "could not store the connection");
    }
    cJSON_AddBoolToObject(out, "connected", 1);
    return http_json(r, 200, out);
}

/* route: GET /api/v2/public/linked-account/integration/oauth-url/{slug} (param[0] slug) */
int h_get_oauth_url(req *r) { return hosted_send_oauth_url(r, r->param[0]); }
