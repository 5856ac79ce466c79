/* app_gate.c: whether an app's connection lets a linked account's calls through: a state, its
 * sentence and its status; the caller answers (no HTTP here: the engine does not speak it). */
#include "engine/app_gate.h"
#include "base/json.h"
#include "engine/connections.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

enum app_gate_state app_gate_state(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                           char *reason, size_t n)
{
    if (reason && n)
        reason[0] = 0;
    cJSON *conn = connections_get(m, t, la, slug);
    if (!conn)
        return GATE_NOT_CONNECTED;
    enum app_gate_state s = connections_state(conn) == CONNECTION_EXPIRED ? GATE_EXPIRED : GATE_OK;
    if (s == GATE_EXPIRED && reason && n)
        util_copy(reason, n, json_str(conn, "reason") ? json_str(conn, "reason") : "expired");
    cJSON_Delete(conn);
    return s;
}

void app_gate_message(enum app_gate_state s, const char *la, const char *slug, const char *reason, char *out, size_t n)
{
    if (s == GATE_NOT_CONNECTED)
        snprintf(out, n, "%s is not connected for linked account %s; connect it before running actions or workflows", slug, la);
    else if (s == GATE_EXPIRED)
        snprintf(out, n, "The %s connection of linked account %s is no longer valid (%s): reauth_required is true, "
                 "the customer must reconnect %s", slug, la, reason && *reason ? reason : "expired", slug);
    else
        snprintf(out, n, "%s is connected", slug);
}

int app_gate_status(enum app_gate_state s, const char **error_code)
{
    *error_code = s == GATE_EXPIRED ? "REAUTH_REQUIRED" : "APP_NOT_CONNECTED";
    return s == GATE_EXPIRED ? 401 : 400;
}
