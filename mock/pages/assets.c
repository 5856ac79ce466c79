/* assets.c: GET /__mock/assets/{name}: the stylesheets and scripts compiled into the binary
 * (the pages load nothing from outside the mock), and their lookup by name. */
#include "pages/assets.h"
#include "pages/html.h"
#include "handlers.h"
#include "base/http.h"

#include <string.h>

const struct asset *assets_find(const char *name)
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

/* route: GET /__mock/assets/{name} (param[0] name) */
int h_page_asset(req *r)
{
    const struct asset *a = assets_find(r->param[0]);
    if (!a)
        return http_error(r, 404, "NOT_FOUND", "no asset %s", r->param[0]);
    http_add_header(r, "X-Content-Type-Options", "nosniff");
    return http_send(r, 200, content_type(a->name), a->data, a->len);
}
