/* connections.h: a linked account's connections to apps: create/restore, expire, delete, read.
 * Every path that changes a connection (API, SDK, pages, admin, scenarios) goes through here,
 * so flags, logs and webhooks follow the same way whoever asked. */
#ifndef CONNECTIONS_H
#define CONNECTIONS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* The stored document (kind "connection", id "<la>/<slug>", parent la):
 * {"linked_account_id","slug","auth_type":"oauth2"|"keybased","status":"active"|"expired",
 *  "reason":null|"expired"|"revoked"|"uninstalled","identifier":<any>,"connectedAt","createdAt",
 *  "updatedAt","credentials":{...never returned...},"access_token_ttl_s":s|null,
 *  "access_token_issued_at":ms|null,"access_token_expires_at":ms|null,
 *  "refresh_token_expires_at":ms|null,"credential_expires_at":ms|null,"expired_at":ms|null,
 *  "refresh_count":n,"log":[{"at","event","detail"?,...}]}
 * Log events: "Integration Created", "Reauthenticated", "Integration Expired" (detail = reason),
 * "Token Refreshed". Lifetimes come from the app fixture (oauth.access_token_ttl,
 * oauth.refresh_token_ttl, keybased.credential_ttl, seconds, null = never). The refresh token and
 * credential lapse on the virtual clock (a timer: the connection expires with reason "expired");
 * access-token refreshes are silent and worked out when the connection is next read or changed. */

/* A connection's state, stored as its "status" string. Who moves it (as in SQLite's pager.c):
 *
 *                 connections_connect()                 connections_expire() (admin, scenario),
 *     (none) ─────────────────────────────> ACTIVE ───────────────────────────────────> EXPIRED
 *       ^                                   |   ^        connections_fire() (a refresh token  |
 *       |                                   |   |        or credential lapsed, reason expired)|
 *       |                                   |   └──── connections_connect() (reconnect) ───────┘
 *       |                                   └─ access-token refreshes stay ACTIVE: catch_up()
 *       |                                      works them out when the connection is next read
 *       └──── connections_delete(), connections_delete_all(): from either state, Connection Deleted
 *
 * ACTIVE -> EXPIRED sets reauth_required and emits Connection Expired (expire_doc()); NONE or
 * EXPIRED -> ACTIVE emits Connection Created and restarts the lifetimes. */
enum connection_state { CONNECTION_NONE = 0, CONNECTION_ACTIVE, CONNECTION_EXPIRED };
/* The state of a stored connection document (NULL: CONNECTION_NONE; no status: ACTIVE). */
enum connection_state connections_state(const cJSON *conn);
/* "active" / "expired": the stored and shown spelling. */
const char *connections_state_name(enum connection_state s);

/* Creates or restores (active again, reauth cleared, lifetimes restarted) a connection; emits
 * Connection Created. auth_type NULL = the app's default. identifier NULL = the default: for
 * keybased the credentials' keybased.identifier_field (masked to "****" + last 4 when it is a
 * secret), for oauth2 the fixture's oauth.identifier. credentials may be NULL (stored, never
 * returned). Takes ownership of neither. Returns 0; CONNECTIONS_NO_ACCOUNT when the linked account
 * does not exist (asked inside the write's transaction, so an account deleted by a request racing
 * this one is seen); -1 when the app is unknown or the store failed. */
#define CONNECTIONS_NO_ACCOUNT (-2)
int connections_connect(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                       const char *auth_type, const cJSON *identifier, const cJSON *credentials);
/* Marks it expired with reason ("expired" | "revoked" | "uninstalled"); emits Connection
 * Expired. Returns 0, 1 when already expired (nothing emitted), -1 when there is none. */
int connections_expire(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *reason);
/* Removes it; emits Connection Deleted. Returns 0, or -1 when there is none. */
int connections_delete(struct mock *m, const struct tenant *t, const char *la, const char *slug);
/* Removes all of a linked account's connections, emitting Connection Deleted for each. */
void connections_delete_all(struct mock *m, const struct tenant *t, const char *la);

/* The stored document (caller deletes) or NULL. */
cJSON *connections_get(struct mock *m, const struct tenant *t, const char *la, const char *slug);
/* Just what the application views show (status, identifier, connectedAt, auth_type, slug). */
cJSON *connections_summary(struct mock *m, const struct tenant *t, const char *la, const char *slug);
/* All of a linked account's connections (array, caller deletes). */
cJSON *connections_list(struct mock *m, const struct tenant *t, const char *la);

/* The required credential fields of auth_type ("keybased": the app's auth_input_map; "oauth2":
 * its auth_structure without the org's client_id/client_secret) that creds lacks or leaves
 * empty: their names, comma-separated, into missing. Returns how many. */
int connections_missing_fields(const cJSON *app, const char *auth_type, const cJSON *creds, char *missing, size_t n);

/* The timers.c row: the earliest lapse of a refresh token or credential, and firing it. */
long long connections_next_due(struct mock *m);
void connections_fire(struct mock *m, long long now);

/* The admin view (GET /__mock/linked-accounts/{id}/connections): state, reason, expiries,
 * refresh count and history, log; never credentials. */
cJSON *connections_admin_view(struct mock *m, const cJSON *conn);

/* The public views: an entry of connected_accounts, and of a linked account's integrations. */
cJSON *connections_public_account(const cJSON *conn);
cJSON *connections_public_integration(struct mock *m, const cJSON *conn);

#endif
