/* templates.h: the result and record templates of app fixtures' actions, and JSON deep merge. */
#ifndef TEMPLATES_H
#define TEMPLATES_H

#include <cjson/cJSON.h>

/* What the placeholders of one action execution stand for. Any member may be NULL.
 * A template string is replaced only when it is exactly one placeholder (whole value):
 *   "{{record}}"   -> a copy of record            "{{records}}" -> a copy of records
 *   "{{param.X}}"  -> params.X with its JSON type; the member (or array element) is dropped
 *                     when X was not sent
 *   "{{now}}"      -> now (ISO 8601 on the virtual clock)
 *   "{{id}}"       -> id (one fresh id per execution: the created record's id)
 * Any other string is kept as written. */
struct tpl_ctx {
    const cJSON *params;
    const cJSON *record;
    const cJSON *records;
    const char *now;
    const char *id;
};

/* Renders tpl (not modified) into a new value; never NULL (a dropped top level becomes null). */
cJSON *templates_render(const cJSON *tpl, const struct tpl_ctx *ctx);

/* Merges patch into target in place: objects member by member, recursively; any other patch
 * value replaces the target's. Used by "update" actions and config updates. */
void templates_merge(cJSON *target, const cJSON *patch);

/* The placeholder a string stands for, for fixture checks: 1 when s is a known placeholder
 * or no placeholder at all, 0 when it looks like one ("{{...}}") but is not known. */
int templates_valid_string(const char *s);

#endif
