/* assets_route.c: GET /__mock/assets/{name}: the stylesheets and scripts compiled into the binary
 * (the pages load nothing from outside the mock), and the dashboard page itself. */
#include "assets.h"
#include "html.h"
#include "../api/handlers.h"
#include "../http.h"

#include <string.h>

static const struct asset *find_asset(const char *name)
{
    for (const struct asset *a = page_assets; a->name; a++)
        if (!strcmp(a->name, name))
            return a;
    return NULL;
}

static const char *content_type(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {".css", "text/css; charset=utf-8"},       {".js", "text/javascript; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},     {".svg", "image/svg+xml"},
        {".png", "image/png"},                     {".json", "application/json; charset=utf-8"},
        {NULL, NULL}};
    const char *dot = strrchr(name, '.');
    for (int i = 0; dot && types[i].ext; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

int h_page_asset(req *r)
{
    const struct asset *a = find_asset(r->param[0]);
    if (!a)
        return http_error(r, 404, "NOT_FOUND", "no asset %s", r->param[0]);
    http_add_header(r, "X-Content-Type-Options", "nosniff");
    return http_send(r, 200, content_type(a->name), a->data, a->len);
}

int h_page_dashboard(req *r)
{
    const struct asset *a = find_asset("dashboard.html");
    if (!a)
        return http_error(r, 500, "SERVER_ERROR", "the dashboard page is missing from this build");
    return http_send(r, 200, "text/html; charset=utf-8", a->data, a->len);
}
