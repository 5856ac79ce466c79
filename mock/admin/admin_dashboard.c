/* admin_dashboard.c: GET /__mock/ui, the dashboard page (its script reads the admin API). */
#include "handlers.h"
#include "base/http.h"
#include "pages/assets.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

/* route: GET /__mock/ui */
int h_admin_dashboard(req *r)
{
    const struct asset *a = assets_find("dashboard.html");
    if (!a)
        return http_error(r, 500, "SERVER_ERROR", "the dashboard page is missing from this build");
    /* /__mock/ui/ is this route too (routes_match), but the page's links are relative to
     * /__mock/: send the browser to the slashless URL so they resolve (query kept). */
    size_t n = r->path ? strlen(r->path) : 0;
    if (n > 1 && r->path[n - 1] == '/') {
        const char *qs = r->ri->query_string;
        char loc[400];
        if (snprintf(loc, sizeof loc, "../ui%s%s", qs && *qs ? "?" : "", qs ? qs : "") < (int)sizeof loc) {
            http_add_header(r, "Location", loc);
            return http_send(r, 308, "text/plain; charset=utf-8", "", 0);
        }
    }
    return http_send(r, 200, "text/html; charset=utf-8", a->data, a->len);
}
