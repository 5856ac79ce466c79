/* configs_api.h: the config routes' request-level operations, shared with the frontend SDK's
 * config routes (/api/v2/f-sdk/config...) in sdk.c. Each reads r->t and r->la, answers, and
 * returns the status sent. The model is configs.h. */
#ifndef CONFIGS_API_H
#define CONFIGS_API_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* Get or create: body {"slug", "config_id"?, "workflows"?, "labels"?, "fields"?}. */
int configs_api_get_or_create(req *r, const cJSON *body);
/* Update: body {"slug", "config_id"?, "fields"? (map or array), "workflows"?, "labels"?}. */
int configs_api_update(req *r, const cJSON *body);
/* Get one; config_id NULL or "" = the linked account's default config. */
int configs_api_get(req *r, const char *slug, const char *config_id);
/* Delete one; config_id NULL or "" = the default config. */
int configs_api_delete(req *r, const char *slug, const char *config_id);

#endif
