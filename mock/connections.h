/* connections.h: a linked account's connections to apps: create/restore, expire, delete, read.
 * Every path that changes a connection (API, SDK, pages, admin, scenarios) goes through here,
 * so flags, logs and webhooks follow the same way whoever asked. */
#ifndef CONNECTIONS_H
#define CONNECTIONS_H

#include <cjson/cJSON.h>
#include "mock.h"

/* The stored document (kind "connection", id "<la>/<slug>", parent la):
 * {"linked_account_id","slug","auth_type":"oauth2"|"keybased","status":"active"|"expired",
 *  "reason":null|"expired"|"revoked"|"uninstalled","identifier":<any>,"connectedAt","createdAt",
 *  "updatedAt","credentials":{...never returned...},"access_token_expires_at":ms|null,
 *  "refresh_token_expires_at":ms|null,"credential_expires_at":ms|null,"log":[{"at","event",...}]} */

/* Creates or restores (active again, reauth cleared) a connection; emits Connection Created.
 * identifier NULL = the app fixture's default; credentials may be NULL. Takes ownership of
 * neither. Returns 0, or -1 when the app or linked account is unknown. */
int connection_connect(struct mock *m, const struct tenant *t, const char *la, const char *slug,
                       const char *auth_type, const cJSON *identifier, const cJSON *credentials);
/* Marks it expired with reason ("expired" | "revoked" | "uninstalled"); emits Connection
 * Expired. Returns 0, 1 when already expired (nothing emitted), -1 when there is none. */
int connection_expire(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *reason);
/* Removes it; emits Connection Deleted. Returns 0, or -1 when there is none. */
int connection_delete(struct mock *m, const struct tenant *t, const char *la, const char *slug);
/* Removes all of a linked account's connections, emitting Connection Deleted for each. */
void connection_delete_all(struct mock *m, const struct tenant *t, const char *la);

/* The stored document (caller deletes) or NULL. */
cJSON *connection_get(struct mock *m, const struct tenant *t, const char *la, const char *slug);
/* All of a linked account's connections (array, caller deletes). */
cJSON *connection_list(struct mock *m, const struct tenant *t, const char *la);

/* The public views: an entry of connected_accounts, and of a linked account's integrations. */
cJSON *connection_public_account(const cJSON *conn);
cJSON *connection_public_integration(struct mock *m, const cJSON *conn);

#endif
