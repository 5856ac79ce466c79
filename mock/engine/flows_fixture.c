/* flows_fixture.c: validation of an app fixture's actions and config (fields, workflows, runs). */
#include "engine/flows_fixture.h"
#include "base/json.h"
#include "engine/templates.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define FAIL(...) (snprintf(err, n, __VA_ARGS__), -1)

static int one_of(const char *s, const char *const *list)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

static int has_param(const cJSON *params, const char *name, size_t len)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, params) {
        const char *pn = json_str(p, "name");
        if (pn && strlen(pn) == len && !strncmp(pn, name, len))
            return 1;
    }
    return 0;
}

/* Every template string is a known placeholder naming a declared parameter. */
static int check_template(const cJSON *v, const cJSON *params, const char *where, char *err, size_t n)
{
    if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        if (!templates_valid_string(s))
            return FAIL("%s: unknown placeholder %s", where, s);
        if (!strncmp(s, "{{param.", 8) && !has_param(params, s + 8, strlen(s) - 10))
            return FAIL("%s: %s names no parameter of the action", where, s);
        return 0;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        char sub[256];
        if (cJSON_IsObject(v))
            snprintf(sub, sizeof sub, "%s.%s", where, e->string);
        else
            snprintf(sub, sizeof sub, "%s[]", where);
        if (check_template(e, params, sub, err, n))
            return -1;
    }
    return 0;
}

static int check_options(const cJSON *opts, const char *where, char *err, size_t n)
{
    const cJSON *o;
    if (!cJSON_IsArray(opts))
        return FAIL("%s: must be an array of {name, value}", where);
    cJSON_ArrayForEach(o, opts)
        if (!json_str(o, "name") || !cJSON_GetObjectItemCaseSensitive(o, "value"))
            return FAIL("%s: every option needs a name and a value", where);
    return 0;
}

static int check_action(const cJSON *a, const char *where, char *err, size_t n)
{
    static const char *const ops[] = {"create", "get", "update", "list", "delete", "none", NULL};
    char w[256];
    if (!json_str(a, "action_id") || !json_str(a, "name"))
        return FAIL("%s: action_id and name are required strings", where);
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(a, "parameters"), *p;
    if (params && !cJSON_IsArray(params))
        return FAIL("%s.parameters: must be an array", where);
    int i = 0;
    cJSON_ArrayForEach(p, params) {
        snprintf(w, sizeof w, "%s.parameters[%d]", where, i++);
        if (!json_str(p, "name"))
            return FAIL("%s.name: required", w);
        if (cJSON_GetObjectItemCaseSensitive(p, "required") && !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(p, "required")))
            return FAIL("%s.required: must be true or false", w);
        if (json_str(p, "type") && !strcmp(json_str(p, "type"), "select") && cJSON_GetObjectItemCaseSensitive(p, "options")) {
            snprintf(w + strlen(w), sizeof w - strlen(w), ".options");
            if (check_options(cJSON_GetObjectItemCaseSensitive(p, "options"), w, err, n))
                return -1;
        }
    }
    const cJSON *recs = cJSON_GetObjectItemCaseSensitive(a, "records");
    const char *op = recs ? json_str(recs, "op") : "none";
    if (recs && !cJSON_IsObject(recs))
        return FAIL("%s.records: must be an object", where);
    if (!one_of(op, ops))
        return FAIL("%s.records.op: must be create, get, update, list, delete or none", where);
    if (strcmp(op, "none") && !json_str(recs, "collection"))
        return FAIL("%s.records.collection: required for op %s", where, op);
    if (!strcmp(op, "get") || !strcmp(op, "update") || !strcmp(op, "delete")) {
        const char *idp = json_str(recs, "id_param");
        if (!idp || !has_param(params, idp, strlen(idp)))
            return FAIL("%s.records.id_param: must name a parameter of the action", where);
    }
    const cJSON *record = cJSON_GetObjectItemCaseSensitive(a, "record");
    if ((!strcmp(op, "create") || !strcmp(op, "update")) && !cJSON_IsObject(record))
        return FAIL("%s.record: an object template is required for op %s", where, op);
    snprintf(w, sizeof w, "%s.record", where);
    if (record && check_template(record, params, w, err, n))
        return -1;
    const cJSON *filter = recs ? cJSON_GetObjectItemCaseSensitive(recs, "filter") : NULL;
    snprintf(w, sizeof w, "%s.records.filter", where);
    if (filter && (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(filter, "path")) || check_template(filter, params, w, err, n)))
        return FAIL("%s: needs a path array and known placeholders", w);
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(a, "result");
    if (!result)
        return FAIL("%s.result: required (the body execute answers)", where);
    snprintf(w, sizeof w, "%s.result", where);
    return check_template(result, params, w, err, n);
}

static int check_fields(const cJSON *fields, const char *where, char *err, size_t n)
{
    const cJSON *f;
    char w[256];
    int i = 0;
    if (fields && !cJSON_IsArray(fields))
        return FAIL("%s: must be an array", where);
    cJSON_ArrayForEach(f, fields) {
        int idx = i++;
        snprintf(w, sizeof w, "%s[%d]", where, idx);
        const char *type = json_str(f, "field_type");
        if (!json_str(f, "id") || !json_str(f, "name") || !type)
            return FAIL("%s: id, name and field_type are required strings", w);
        const cJSON *g;
        int j = 0;
        cJSON_ArrayForEach(g, fields) {
            if (j++ < idx && json_str(g, "id") && !strcmp(json_str(g, "id"), json_str(f, "id")))
                return FAIL("%s.id: %s is used twice", w, json_str(f, "id"));
        }
        if (!strcmp(type, "select") || !strcmp(type, "map") || !strcmp(type, "rule_engine")) {
            char o[300];
            snprintf(o, sizeof o, "%s.options", w);
            if (check_options(cJSON_GetObjectItemCaseSensitive(f, "options"), o, err, n))
                return -1;
        }
        if (!strcmp(type, "map")) {
            char o[300];
            snprintf(o, sizeof o, "%s.labels", w);
            if (check_options(cJSON_GetObjectItemCaseSensitive(f, "labels"), o, err, n))
                return -1;
        }
        if (!strcmp(type, "rule_engine") && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(f, "rule_columns")))
            return FAIL("%s.rule_columns: required for a rule_engine field", w);
    }
    return 0;
}

static int check_run(const cJSON *run, const char *where, char *err, size_t n)
{
    static const char *const outcomes[] = {"completed", "errored", NULL};
    if (!run)
        return 0;
    if (!cJSON_IsObject(run))
        return FAIL("%s: must be an object", where);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(run, "duration_seconds");
    if (d && (!cJSON_IsNumber(d) || d->valuedouble < 0))
        return FAIL("%s.duration_seconds: must be a number >= 0", where);
    if (cJSON_GetObjectItemCaseSensitive(run, "outcome") && !one_of(json_str(run, "outcome"), outcomes))
        return FAIL("%s.outcome: must be \"completed\" or \"errored\"", where);
    const cJSON *ht = cJSON_GetObjectItemCaseSensitive(run, "human_task");
    if (ht && (!cJSON_IsObject(ht) || !json_str(ht, "name")))
        return FAIL("%s.human_task: must be an object with a name", where);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(run, "batches");
    if (b && (!cJSON_IsObject(b) || json_num(b, "count", 0) < 1 || json_num(b, "count", 0) > 10000))
        return FAIL("%s.batches.count: must be 1 to 10000", where);
    return 0;
}

int flows_fixture_check(const cJSON *app, char *err, size_t n)
{
    const cJSON *actions = cJSON_GetObjectItemCaseSensitive(app, "actions"), *a, *b;
    char w[64];
    int i = 0;
    if (actions && !cJSON_IsArray(actions))
        return FAIL("actions: must be an array");
    cJSON_ArrayForEach(a, actions) {
        snprintf(w, sizeof w, "actions[%d]", i);
        if (check_action(a, w, err, n))
            return -1;
        int j = 0;
        cJSON_ArrayForEach(b, actions)
            if (j++ < i && !strcmp(json_str(a, "action_id"), json_str(b, "action_id")))
                return FAIL("%s.action_id: %s is used twice", w, json_str(a, "action_id"));
        i++;
    }
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(app, "config");
    if (!config)
        return 0;
    if (!cJSON_IsObject(config))
        return FAIL("config: must be an object");
    if (check_fields(cJSON_GetObjectItemCaseSensitive(config, "fields"), "config.fields", err, n))
        return -1;
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(config, "workflows"), *wf;
    if (wfs && !cJSON_IsArray(wfs))
        return FAIL("config.workflows: must be an array");
    i = 0;
    cJSON_ArrayForEach(wf, wfs) {
        snprintf(w, sizeof w, "config.workflows[%d]", i++);
        const char *id = json_str(wf, "id");
        if (!id || strlen(id) != 24 || strspn(id, "0123456789abcdef") != 24)
            return FAIL("%s.id: must be 24 lowercase hex characters", w);
        if (!json_str(wf, "name"))
            return FAIL("%s.name: required", w);
        char sub[96];
        snprintf(sub, sizeof sub, "%s.fields", w);
        if (check_fields(cJSON_GetObjectItemCaseSensitive(wf, "fields"), sub, err, n))
            return -1;
        snprintf(sub, sizeof sub, "%s.run", w);
        if (check_run(cJSON_GetObjectItemCaseSensitive(wf, "run"), sub, err, n))
            return -1;
        const cJSON *trig = cJSON_GetObjectItemCaseSensitive(wf, "trigger");
        if (trig && !json_str(trig, "event"))
            return FAIL("%s.trigger.event: required (the event's name)", w);
    }
    return 0;
}
