/* flows_util.h: what the actions/configs/workflows/executions API tests share: connecting apps
 * the way a product does (key form, OAuth consent), breaking connections, the virtual clock. */
#ifndef FLOWS_UTIL_H
#define FLOWS_UTIL_H

#include "harness.h"

#define ACME "tk_acme_test"
#define GLOBEX "tk_globex_test"
#define PLAYGROUND_SYNC "69ae045e348cb601f56c81a8"    /* Sync items: completes after 5 s */
#define PLAYGROUND_EXPORT "69a5c205ee077ecf184f45b6"  /* Export report: errors after 3 s */
#define PLAYGROUND_APPROVE "69b1c4e2a7d35f0e84c1a9d3" /* Approve large order: a human task */
#define HUBSPOT_SYNC "69ae87a592145348d38f4ef9"       /* Sync new contacts: a batch node */

/* Connects the key-based playground app with its form's one field. */
void fu_connect_playground(refold_mock *m, const char *key, const char *la);
/* Connects an OAuth app as the frontend SDK does: session token, integrate URL, consent, approve. */
void fu_connect_oauth(refold_mock *m, const char *key, const char *la, const char *slug);
/* Breaks a connection through the admin API (reason: expired, revoked, uninstalled). */
void fu_expire(refold_mock *m, const char *key, const char *la, const char *slug, const char *reason);
/* POST an action with body; the caller frees. */
th_resp fu_action(refold_mock *m, const char *key, const char *la, const char *slug, const char *action, const char *body);
/* Starts a workflow through the API (async) and copies the execution id. */
void fu_execute(refold_mock *m, const char *key, const char *la, const char *slug, const char *wid, const char *body, char id[32]);
/* GET an execution; the caller frees. */
th_resp fu_execution(refold_mock *m, const char *key, const char *la, const char *id);
/* The execution's status copied into out (asserts a 200); returns out. */
const char *fu_status(refold_mock *m, const char *key, const char *la, const char *id, char *out, size_t n);
/* Enables workflows (comma-free JSON array text of ids) in la's default config of slug. */
void fu_enable(refold_mock *m, const char *key, const char *la, const char *slug, const char *wid);
/* Moves the virtual clock forward (asserts success). */
void fu_advance(refold_mock *m, long long seconds);

#endif
