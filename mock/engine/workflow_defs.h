/* workflow_defs.h: where workflows come from and how they look: public workflows (an app
 * fixture's config.workflows, org-level) and private ones (created by a linked account through
 * the API, workflows.h). Executions, configs, events and the workflow API all resolve ids here. */
#ifndef WORKFLOW_DEFS_H
#define WORKFLOW_DEFS_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* A resolved workflow: its Workflow-shaped document (owned), the app fixture it belongs to
 * (NULL for the org's default custom app) and whether it is private. */
struct wf {
    cJSON *doc;
    const cJSON *app;
    int is_private;
};

/* 0 and *out filled when id is a public or a private workflow of tenant t; -1 otherwise. */
int workflow_defs_find(struct mock *m, const struct tenant *t, const char *id, struct wf *out);
void workflow_defs_free(struct wf *w);

/* The public workflows of one app (slug) or of every app (slug NULL), as Workflow documents. */
cJSON *workflow_defs_public_list(struct mock *m, const struct tenant *t, const char *slug);
/* The Workflow document of one fixture workflow of app. */
cJSON *workflow_defs_public_view(const struct tenant *t, const cJSON *app, const cJSON *fixture_wf);

/* The event that starts the workflow ("trigger": {"event": NAME}), or NULL. */
const char *workflow_defs_event(const cJSON *doc);
/* The run definition ("run" of the fixture or of the private workflow's create body), or NULL
 * (then: completes after 2 seconds). */
const cJSON *workflow_defs_run(const cJSON *doc);
/* The app slug of the workflow, or NULL for the org's default custom app. */
const char *workflow_defs_slug(const cJSON *doc);

/* {"_id","name","icon","description"} of the app, or of the org's default custom app. */
cJSON *workflow_defs_app_summary(const struct tenant *t, const cJSON *app);

#endif
