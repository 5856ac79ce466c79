/* mask.h: secrets replaced by "****" before a request or response is shown (journal, logs). */
#ifndef MASK_H
#define MASK_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct fixtures;

#define MASK "****"

/* What counts as a secret: members and form fields named like credentials (access_token,
 * refresh_token, token, api_key, password, client_secret, ..., and every field an app of the
 * catalogue declares with "type": "password"), anything shaped like a JWT (session tokens),
 * and the tenants' API keys wherever they appear; on credential routes (SECRET_BODY in the
 * route table) every value of the request body. fx may be NULL (then no app fields, no keys). */

/* Masks v in place. */
void mask_json(cJSON *v, const struct fixtures *fx);
/* A body as it may be shown: parsed JSON masked; else (form when form is set, else text) a
 * masked string. all (credential routes): every value is masked but "slug". NULL for an empty
 * body. */
cJSON *mask_body(const char *body, size_t len, int form, int all, const struct fixtures *fx);
/* A header value as it may be shown (malloc'd): credential headers (x-api-key, Authorization,
 * Cookie) keep only their scheme. */
char *mask_header(const char *name, const char *value, const struct fixtures *fx);
/* A request path as it may be shown: the token of an MCP server URL (/mcp/v1/{token}/{server_id}
 * or /mcp/v1/{token}, a PAT or session token in the path; a lone segment of 24 hex digits is the
 * header form's server id and stays) and the key of DELETE /__mock/tenants/{key} become ****,
 * written into buf; other paths come back as they are. */
const char *mask_path(const char *path, char *buf, size_t n);
/* A query string (or form body) with secret fields masked (malloc'd). */
char *mask_query(const char *qs, const struct fixtures *fx);

#endif
