/* subscriptions.h: the webhook subscription model (RefoldWebhook): the routes' CRUD, scenario setup,
 * and the linked account's part of its deletion. Delivery is webhooks.c's. */
#ifndef SUBSCRIPTIONS_H
#define SUBSCRIPTIONS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Validates a RegisterWebhookRequest and stores the subscription for tenant t. Returns 0 and the
 * stored RefoldWebhook in *out (may be NULL; caller deletes), or -1 with nothing stored,
 * *code = the envelope's error code ("INVALID_EVENT", "BAD_REQUEST") and err = why (a 400). */
int subscriptions_register(struct mock *m, const struct tenant *t, const cJSON *req, cJSON **out,
                           const char **code, char *err, size_t n);
/* The same, stored under owner: the linked account whose session token registered it (NULL: the
 * org's, registered with the API key). A session token reaches its own linked account's only. */
int subscriptions_register_owned(struct mock *m, const struct tenant *t, const char *owner, const cJSON *req,
                                 cJSON **out, const char **code, char *err, size_t n);

/* Checks every field given in a register (creating=1) or update body; 0, or -1 with the error
 * code in *code and the reason in err. */
int subscriptions_check_fields(struct mock *m, const cJSON *src, int creating, const char **code, char *err, size_t n);
/* Checks the merged document's slug/events pairing; 0 or -1 as above. */
int subscriptions_check_slug_events(const cJSON *doc, const char **code, char *err, size_t n);
/* doc with the fields of src applied, stamped at `at` (a new document; the caller deletes both). */
cJSON *subscriptions_merged(const struct tenant *t, const cJSON *doc, const cJSON *src, const char *at);

/* What the calls below that change subscriptions return. */
enum subscriptions_outcome {
    SUBS_OK = 0,
    SUBS_NOT_FOUND = 1,    /* no such subscription, or one the caller may not reach */
    SUBS_INVALID = 2,      /* a check failed: *code and err say which and why (a 400) */
    SUBS_NOT_SUBSCRIBED = 3, /* remove_event: the subscription does not take that event (err says so) */
    SUBS_STORE_ERROR = -1, /* the store refused the write; nothing changed */
};

/* A subscription registered with a session token is its linked account's (stored under it); one
 * registered with the key is the org's (owner ""). The key (la NULL) reaches all of them, a
 * session token (la = its linked account) its own linked account's only. */

/* The subscriptions of tenant t stored under owner (NULL: all of them), oldest first; a new array. */
cJSON *subscriptions_list(struct mock *m, const struct tenant *t, const char *owner);
/* One subscription (caller deletes), or NULL. */
cJSON *subscriptions_get(struct mock *m, const struct tenant *t, const char *id);
/* 1 when subscription id exists, with its owner ("" for the org's) in owner; else 0. */
int subscriptions_owner(struct mock *m, const struct tenant *t, const char *id, char owner[MOCK_ID_LEN]);
/* subscriptions_get for the delivery thread, which knows a delivery's tenant by its id only. */
cJSON *subscriptions_get_in(struct mock *m, const char *tenant_id, const char *id);
/* The oldest subscription (the deprecated one-webhook routes act on it; caller deletes), or NULL. */
cJSON *subscriptions_first(struct mock *m, const struct tenant *t);
/* Applies the fields of change to subscription id (as la may reach it), after the update checks;
 * *out gets the stored document (caller deletes). SUBS_OK, SUBS_NOT_FOUND, SUBS_INVALID or
 * SUBS_STORE_ERROR. */
int subscriptions_update(struct mock *m, const struct tenant *t, const char *id, const char *la, const cJSON *change,
                         cJSON **out, const char **code, char *err, size_t n);
/* Deletes subscription id (as la may reach it); *rest (when rest is not NULL) gets what is left
 * that la may see (caller deletes). SUBS_OK, SUBS_NOT_FOUND or SUBS_STORE_ERROR. */
int subscriptions_delete(struct mock *m, const struct tenant *t, const char *id, const char *la, cJSON **rest);
/* Sets the group of every subscription named in ids (a string array; group NULL unsets it), all
 * or none; *out gets the updated ones, each once (caller deletes). SUBS_NOT_FOUND with *missing =
 * the first unknown id (an item of ids), or SUBS_OK / SUBS_STORE_ERROR. */
int subscriptions_set_group(struct mock *m, const struct tenant *t, const cJSON *ids, const char *group, cJSON **out,
                            const char **missing);
/* The deprecated one-webhook routes' changes to doc (a stored subscription): names are event names
 * in either form ("Workflow Completed" or "workflow-completed"). add_events adds names (a string
 * array) not there yet; remove_event removes name, SUBS_NOT_SUBSCRIBED (err says so) when doc
 * does not take it. The result is checked as a register's and stored; *out gets it. SUBS_OK,
 * SUBS_INVALID, SUBS_NOT_FOUND (deleted meanwhile) or SUBS_STORE_ERROR. */
int subscriptions_add_events(struct mock *m, const struct tenant *t, const cJSON *doc, const cJSON *names, cJSON **out,
                             const char **code, char *err, size_t n);
int subscriptions_remove_event(struct mock *m, const struct tenant *t, const cJSON *doc, const char *name, cJSON **out,
                               const char **code, char *err, size_t n);

/* Deleting linked account la takes the subscriptions its session tokens registered. Joins the
 * caller's transaction. */
void subscriptions_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
