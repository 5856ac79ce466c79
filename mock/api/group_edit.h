/* group_edit.h: the "put these documents in a group" operation shared by tables and datarefs. */
#ifndef GROUP_EDIT_H
#define GROUP_EDIT_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* How a family finds and saves one of its documents: load answers the 404 itself (NULL). */
struct group_family {
    const char *ids_key;    /* body member holding the ids: "tableIds", "refNames" */
    const char *what;       /* plural noun for messages: "table ids", "dataref names" */
    cJSON *(*load)(req *r, const char *id);
    int (*save)(struct mock *m, const struct tenant *t, cJSON *doc);
};

/* Validates {ids_key: [...], "group": "name" | "" | null}, sets or clears every document's group
 * in one transaction (nothing changes when any id is unknown) and answers 204. */
int group_edit_apply(req *r, const struct group_family *f);

#endif
