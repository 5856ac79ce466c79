/* configs.h: the config model (a linked account's installation of an app): documents, views,
 * the operations the public API and the frontend SDK's config routes share, and the configs a
 * deleted linked account takes with it. No HTTP: each operation returns an outcome the handler
 * maps to its answer. */
#ifndef CONFIGS_H
#define CONFIGS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Room for a refusal's reason (CONFIGS_BAD_INPUT). */
#define CONFIGS_WHY_LEN 512

enum configs_outcome {
    CONFIGS_STORE_ERROR = -1, /* a store write or the commit failed: nothing kept */
    CONFIGS_OK = 0,
    CONFIGS_NO_CONFIG = 1,    /* the linked account has no such config */
    CONFIGS_BAD_INPUT = 2,    /* the body or value does not fit the app: the reason in why */
    CONFIGS_NO_WORKFLOW = 3,  /* the app offers the linked account no such workflow */
    CONFIGS_NO_FIELD = 4,     /* no such field (in that workflow, when one is named) */
};

/* ---- operations (config_id NULL or "" = the linked account's default config, named la) ---- */

/* Get or create la's config of app: an existing one is returned as it is; a new one takes the
 * body's {"fields"?, "workflows"?, "labels"?, "map_fields_object"?} and is stored. *cfg gets the
 * config (caller deletes) on CONFIGS_OK; CONFIGS_BAD_INPUT (why) or CONFIGS_STORE_ERROR store
 * nothing. */
enum configs_outcome configs_get_or_create(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                           const char *config_id, const cJSON *body, cJSON **cfg, char *why, size_t n);
/* Applies the body (as above; "fields" a map or an array) to an existing config and stamps it.
 * CONFIGS_OK (*cfg the stored config, caller deletes), CONFIGS_NO_CONFIG, CONFIGS_BAD_INPUT (why,
 * nothing changed) or CONFIGS_STORE_ERROR. */
enum configs_outcome configs_update(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                    const char *config_id, const cJSON *body, cJSON **cfg, char *why, size_t n);
/* Turns one of the config's workflows on or off. CONFIGS_OK gives the stored config and the
 * app's workflow definitions (configs_workflow_defs; caller deletes both); CONFIGS_NO_CONFIG,
 * CONFIGS_NO_WORKFLOW or CONFIGS_STORE_ERROR change nothing. */
enum configs_outcome configs_toggle_workflow(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                             const char *config_id, const char *workflow_id, int enabled,
                                             cJSON **cfg, cJSON **defs);
/* 0 deleted, 1 no such config, -1 store error. */
int configs_delete(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *config_id);
/* la's stored configs (of app slug; NULL = every app), oldest first (caller deletes). */
cJSON *configs_list(struct mock *m, const struct tenant *t, const char *la, const char *slug);

/* One field of la's config of app: the stored config in *cfg (NULL when not installed) and the
 * field's definition in *def (caller deletes both). CONFIGS_OK, CONFIGS_NO_CONFIG (need_config
 * set and none installed) or CONFIGS_NO_FIELD (both NULL then). */
enum configs_outcome configs_field_target(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                          const char *config_id, const char *workflow_id, const char *field_id,
                                          int need_config, cJSON **cfg, cJSON **def);
/* Sets (value non-NULL) or clears one field of an installed config, coerced and checked against
 * its definition. CONFIGS_OK gives *cfg and *def as configs_field_target; CONFIGS_NO_CONFIG,
 * CONFIGS_NO_FIELD, CONFIGS_BAD_INPUT (why) or CONFIGS_STORE_ERROR change nothing. */
enum configs_outcome configs_write_field(struct mock *m, const struct tenant *t, const char *la, const cJSON *app,
                                         const char *config_id, const char *workflow_id, const char *field_id,
                                         const cJSON *value, cJSON **cfg, cJSON **def, char *why, size_t n);

/* Deletes every config of la. Joins the caller's transaction. */
void configs_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

/* ---- the model ---- */

/* The stored config (caller deletes) or NULL. config_id NULL/"" = la. */
cJSON *configs_load(struct mock *m, const struct tenant *t, const char *la, const char *slug, const char *config_id);
/* The GetApplicationConfigDTO of app for la; cfg NULL gives the skeleton (defaults only). */
cJSON *configs_view(struct mock *m, const struct tenant *t, const char *la, const cJSON *app, const cJSON *cfg,
                   const char *config_id);
/* The workflows a config of app offers la: the app's public workflows and la's published private
 * ones for that app, each {"id","name","description","icon","enabled" (default),"fields"}. */
cJSON *configs_workflow_defs(struct mock *m, const struct tenant *t, const char *la, const cJSON *app);
/* Whether workflow wid is enabled in cfg (the workflow's default when cfg does not say). */
int configs_workflow_enabled(const cJSON *cfg, const cJSON *wf_def);
/* The IFieldInConfig of def with cfg's value (when set). */
cJSON *configs_field_view(const cJSON *def, const cJSON *cfg, const char *workflow_id);
/* The value to store for def: a number field takes what <input type="number"> sends (the React
 * SDK's form): a numeric string is that number, "" clears (a JSON null). Returns v itself, or a
 * new value put in *owned (caller deletes). */
const cJSON *configs_coerce(const cJSON *def, const cJSON *v, cJSON **owned);
/* 0 when value suits the field's type and options; -1 with a reason otherwise. */
int configs_check_value(const cJSON *def, const cJSON *value, char *err, size_t n);

#endif
