/* app_gate.h: the check every action, event trigger and workflow run passes: is this app
 * connected, and still healthy, for this linked account. */
#ifndef APP_GATE_H
#define APP_GATE_H

#include <stddef.h>
#include "base/mock.h"

enum app_gate_state { GATE_OK = 0, GATE_NOT_CONNECTED = 1, GATE_EXPIRED = 2 };

/* The connection's state; reason (may be NULL) gets the expiry reason ("expired", "revoked",
 * "uninstalled") when GATE_EXPIRED. */
enum app_gate_state app_gate_state(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                           char *reason, size_t n);
/* One sentence a user can act on, for errors and errored executions. */
void app_gate_message(enum app_gate_state s, const char *la, const char *slug, const char *reason, char *out, size_t n);
/* The status and error code a call refused by the gate answers: 400 APP_NOT_CONNECTED, or 401
 * REAUTH_REQUIRED for an expired connection (the auth failure that means "prompt a reconnect"). */
int app_gate_status(enum app_gate_state s, const char **error_code);

#endif
