/* configs.h: per-customer configs (app installations): documents, views and the request-level
 * operations the public API and the frontend SDK routes (/api/v2/f-sdk/config...) share. */
#ifndef CONFIGS_H
#define CONFIGS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mock.h"

#define CONFIG_KIND "config"

/* ---- request level: each reads r->t and r->la, answers, and returns the status sent ---- */

/* Get or create: body {"slug", "config_id"?, "workflows"?, "labels"?, "fields"?}. */
int configs_reply_get_or_create(req *r, const cJSON *body);
/* Update: body {"slug", "config_id"?, "fields"? (map or array), "workflows"?, "labels"?}. */
int configs_reply_update(req *r, const cJSON *body);
/* Get one; config_id NULL or "" = the linked account's default config. */
int configs_reply_get(req *r, const char *slug, const char *config_id);
/* Delete one; config_id NULL or "" = the default config. */
int configs_reply_delete(req *r, const char *slug, const char *config_id);

/* ---- domain level ---- */

/* The stored config (caller deletes) or NULL. config_id NULL/"" = la. */
cJSON *configs_load(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *config_id);
/* Writes it (inside the caller's transaction when there is one). 0 on success. */
int configs_save(struct mock *m, const struct tenant *t, const char *la, const cJSON *cfg);
/* The GetApplicationConfigDTO of app for la; cfg NULL gives the skeleton (defaults only). */
cJSON *configs_view(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, const cJSON *cfg,
                   const char *config_id);
/* The workflows a config of app offers la: the app's public workflows and la's published private
 * ones for that app, each {"id","name","description","icon","enabled" (default),"fields"}. */
cJSON *configs_workflow_defs(struct mock *m, const struct tenant *t, const char *la, const cJSON *app);
/* Whether workflow wid is enabled in cfg (the workflow's default when cfg does not say). */
int configs_workflow_enabled(const cJSON *cfg, const cJSON *wf_def);
/* A field definition: app-level (workflow_id NULL) or of that workflow; new value or NULL. */
cJSON *configs_field_def(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                        const char *workflow_id, const char *field_id);
/* The IFieldInConfig of def with cfg's value (when set). */
cJSON *configs_field_view(const cJSON *def, const cJSON *cfg, const char *workflow_id);
/* The value to store for def: a number field takes what <input type="number"> sends (the React
 * SDK's form): a numeric string is that number, "" clears (a JSON null). Returns v itself, or a
 * new value put in *owned (caller deletes). */
const cJSON *configs_coerce(const cJSON *def, const cJSON *v, cJSON **owned);
/* 0 when value suits the field's type and options; -1 with a reason otherwise. */
int configs_check_value(const cJSON *def, const cJSON *value, char *err, size_t n);
/* Sets (value non-NULL) or clears a value in cfg (not stored). */
void configs_set_value(cJSON *cfg, const char *workflow_id, const char *field_id, const cJSON *value);

#endif
