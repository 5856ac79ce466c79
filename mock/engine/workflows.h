/* workflows.h: private workflows, the ones a linked account builds through the API: drafts, their
 * published copies and the published versions, stored per linked account. workflow_defs.c
 * resolves an id to a public (fixture) workflow or one of these. */
#ifndef WORKFLOWS_H
#define WORKFLOWS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* The documents, all with the linked account as parent: a draft (is_draft, "associated_workflow":
 * the published id or null) and, once published, the published workflow ("draft_id",
 * "current_version"); the versions {"_id","version","workflow_id","createdAt","snapshot"}. */
#define WF_KIND "workflow"
#define WF_VERSION_KIND "workflow_version"

enum workflows_outcome {
    WORKFLOWS_OK = 0,
    WORKFLOWS_NOT_FOUND,     /* no private workflow of that id (of that linked account, where one is named) */
    WORKFLOWS_NOT_OWNER,     /* it exists, but belongs to another linked account */
    WORKFLOWS_IS_VERSION,    /* the id is one of the linked account's versions, not a workflow */
    WORKFLOWS_NOT_PUBLISHED, /* unpublishing a draft, or a workflow that is not published */
    WORKFLOWS_STORE_ERROR = -1,
};

/* The start node every new workflow has (its data holds the trigger, when there is one). */
cJSON *workflows_start_node(const cJSON *trigger);
/* The app fixture whose app_id is app_id, or NULL. */
const cJSON *workflows_app_by_id(struct mock *m, const char *app_id);

/* Stores a new draft of la from a checked create body (name, description, icon, nodes, edges,
 * data_slots, settings, json_schema, manual_execution_payload, run, enable_schema_validation),
 * for app (NULL: the org's default custom app), started by trigger (or NULL). Its own
 * transaction. WORKFLOWS_OK and *out the stored document (caller deletes), or WORKFLOWS_STORE_ERROR. */
int workflows_create(struct mock *m, const struct tenant *t, const char *la, const cJSON *body, const cJSON *app,
                     const cJSON *trigger, cJSON **out);

/* The private workflow id of any linked account (draft or published), or NULL. */
cJSON *workflows_get(struct mock *m, const struct tenant *t, const char *id);
/* Every private workflow document of la (drafts and published), in creation order; only those of
 * app slug when slug is not NULL. A new array. */
cJSON *workflows_list(struct mock *m, const struct tenant *t, const char *la, const char *slug);

/* The draft of la's private workflow id: itself when it is a draft, else the published one's draft
 * (made anew, and stored, when it has none). WORKFLOWS_OK and *out (caller deletes),
 * WORKFLOWS_NOT_FOUND, or WORKFLOWS_STORE_ERROR. */
int workflows_draft(struct mock *m, const struct tenant *t, const char *la, const char *id, cJSON **out);
/* Publishes la's workflow id (a draft, or a published id standing for its draft) as version
 * `version` (0: the next one): the published copy (created the first time, with an id of its own)
 * and its version record. WORKFLOWS_OK and *out the published document, WORKFLOWS_NOT_FOUND, or
 * WORKFLOWS_STORE_ERROR. */
int workflows_publish(struct mock *m, const struct tenant *t, const char *la, const char *id, int version, cJSON **out);
/* Marks la's published workflow id unpublished (kept). WORKFLOWS_OK and *out, WORKFLOWS_NOT_FOUND,
 * WORKFLOWS_NOT_PUBLISHED (a draft, or not published), or WORKFLOWS_STORE_ERROR. */
int workflows_unpublish(struct mock *m, const struct tenant *t, const char *la, const char *id, cJSON **out);
/* The versions of la's workflow id, newest (highest number) first, each {"version","_id",
 * "createdAt"}. WORKFLOWS_OK and *out (a new array), or WORKFLOWS_NOT_FOUND. */
int workflows_versions(struct mock *m, const struct tenant *t, const char *la, const char *id, cJSON **out);
/* Deletes la's workflow id with its draft or published twin and its versions. WORKFLOWS_OK,
 * WORKFLOWS_NOT_FOUND (no private workflow of that id: it may be a public one),
 * WORKFLOWS_NOT_OWNER, WORKFLOWS_IS_VERSION, or WORKFLOWS_STORE_ERROR. */
int workflows_delete(struct mock *m, const struct tenant *t, const char *la, const char *id);

/* Deleting a linked account: its private workflows and their versions. Joins the caller's
 * transaction. */
void workflows_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
