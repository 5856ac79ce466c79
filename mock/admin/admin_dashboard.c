/* admin_dashboard.c: GET /__mock/ui, the dashboard page (its script reads the admin API). */
#include "handlers.h"
#include "http.h"
#include "pages/assets.h"

/* route: GET /__mock/ui */
int h_admin_dashboard(req *r)
{
    const struct asset *a = assets_find("dashboard.html");
    if (!a)
        return http_error(r, 500, "SERVER_ERROR", "the dashboard page is missing from this build");
    return http_send(r, 200, "text/html; charset=utf-8", a->data, a->len);
}
