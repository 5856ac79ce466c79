/* spec_check.c: a small JSON Schema checker for the keywords Refold's spec uses in request
 * bodies (type, nullable, required, properties, additionalProperties, enum, items, format
 * uri/date-time, allOf/oneOf/anyOf, $ref to components), run against the spec copy compiled
 * into the binary. Prism-style: the mock reports, the handler still decides the answer. */
#include "spec_check.h"
#include "base/json.h"
#include "base/util.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char spec_check_json[]; /* generated: mock/embed_spec.cmake */
extern const unsigned char spec_check_overrides_json[]; /* tests/contract/overrides.json, the same way */

#define MAX_WARNINGS 10

static cJSON *spec;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* operationId -> its JSON request schema, found once: scanning every path of the spec per
 * request cost a quarter of a small POST's time. */
#define MAX_OPS 512
static struct op_schema {
    const char *operation;
    const cJSON *schema;
} ops[MAX_OPS];
static int nops;

static const cJSON *resolve(const cJSON *s);
static void apply_overrides(void);
static char override_problem[300];

static void load(void)
{
    spec = cJSON_Parse((const char *)spec_check_json);
    cJSON_AddItemToObject(spec, "x-mock-owned", cJSON_CreateArray()); /* copies the overrides made */
    const cJSON *path, *op;
    cJSON_ArrayForEach(path, cJSON_GetObjectItemCaseSensitive(spec, "paths")) {
        cJSON_ArrayForEach(op, path) {
            const char *id = cJSON_IsObject(op) ? json_str(op, "operationId") : NULL;
            if (!id || nops == MAX_OPS)
                continue;
            const cJSON *rb = resolve(cJSON_GetObjectItemCaseSensitive(op, "requestBody"));
            const cJSON *schema = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(rb, "content"), "application/json"), "schema");
            if (schema)
                ops[nops++] = (struct op_schema){id, schema};
        }
    }
    apply_overrides();
}

/* parent[key] (an object member, or an array index), made local when it is a $ref: replaced by a
 * copy of its target, so a patch below it changes this place only (as contract.mjs does). */
static cJSON *own_child(cJSON *parent, const char *key)
{
    cJSON *n = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(key))
                                     : cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!n || !json_str(n, "$ref"))
        return n;
    cJSON *copy = cJSON_Duplicate(resolve(n), 1);
    if (!copy)
        return NULL;
    if (cJSON_IsArray(parent))
        cJSON_ReplaceItemInArray(parent, atoi(key), copy);
    else
        cJSON_ReplaceItemInObjectCaseSensitive(parent, key, copy);
    return copy;
}

/* The "requests" list of tests/contract/overrides.json: fields Refold accepts beyond the spec's
 * request schemas (what its own clients send, README: Request checking). Each entry sets the
 * node at `at` (a path under the operation's JSON request schema) to `set`. An entry that does
 * not apply is reported by spec_check_overrides_problem (a unit test fails on it). */
static void apply_overrides(void)
{
    cJSON *doc = cJSON_Parse((const char *)spec_check_overrides_json);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "requests")) {
        const char *op = json_str(e, "operation"), *at = json_str(e, "at");
        const cJSON *set = cJSON_GetObjectItemCaseSensitive(e, "set");
        int i = nops;
        while (op && i-- > 0 && strcmp(ops[i].operation, op))
            ;
        if (!op || !at || !set || i < 0) {
            if (!*override_problem)
                snprintf(override_problem, sizeof override_problem, "requests: %s has no JSON request schema in the spec", op ? op : "(no operation)");
            continue;
        }
        /* the schema node itself may be a $ref: its media type object holds it */
        cJSON *node = (cJSON *)resolve(ops[i].schema);
        if (node != ops[i].schema) {
            cJSON *copy = cJSON_Duplicate(node, 1);
            cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(spec, "x-mock-owned"), copy);
            ops[i].schema = node = copy;
        }
        char part[128];
        const char *p = at;
        int applied = 0;
        for (;;) {
            size_t n = strcspn(p, "/");
            snprintf(part, sizeof part, "%.*s", (int)n, p);
            if (!p[n]) {
                if (cJSON_IsObject(node)) {
                    cJSON_DeleteItemFromObjectCaseSensitive(node, part);
                    cJSON_AddItemToObject(node, part, cJSON_Duplicate(set, 1));
                    applied = 1;
                }
                break;
            }
            cJSON *next = own_child(node, part);
            if (!cJSON_IsObject(next) && !cJSON_IsArray(next)) {
                if (!cJSON_IsObject(node))
                    break;
                next = cJSON_AddObjectToObject(node, part); /* e.g. "properties" of a bare object */
            }
            node = next;
            p += n + 1;
        }
        if (!applied && !*override_problem)
            snprintf(override_problem, sizeof override_problem, "requests: %s has no node %s", op, at);
    }
    cJSON_Delete(doc);
}

const char *spec_check_overrides_problem(void)
{
    pthread_once(&loaded, load);
    return *override_problem ? override_problem : NULL;
}

static const cJSON *resolve(const cJSON *s)
{
    for (int hops = 0; s && hops < 8; hops++) {
        const char *ref = json_str(s, "$ref");
        if (!ref || strncmp(ref, "#/", 2))
            return s;
        const cJSON *at = spec;
        char part[128];
        for (const char *p = ref + 2; at && *p;) {
            size_t n = strcspn(p, "/"), k = n < sizeof part ? n : sizeof part - 1;
            memcpy(part, p, k); /* (an snprintf here was a tenth of a small POST's spec check) */
            part[k] = 0;
            at = cJSON_GetObjectItemCaseSensitive(at, part);
            p += n + (p[n] == '/');
        }
        s = at;
    }
    return s;
}

static const char *type_of(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsObject(v))
        return "object";
    return v->valuedouble == floor(v->valuedouble) ? "integer" : "number";
}

static void warn(cJSON *out, const char *path, const char *fmt, const char *a, const char *b)
{
    if (cJSON_GetArraySize(out) >= MAX_WARNINGS)
        return;
    char msg[400], text[1000];
    snprintf(msg, sizeof msg, fmt, a, b);
    snprintf(text, sizeof text, "%s: %s", path, msg);
    cJSON_AddItemToArray(out, cJSON_CreateString(text));
}

static int type_ok(const char *want, const cJSON *v)
{
    const char *got = type_of(v);
    return !strcmp(want, got) || (!strcmp(want, "number") && !strcmp(got, "integer"));
}

static int format_ok(const char *format, const char *s)
{
    if (!strcmp(format, "date-time"))
        return util_parse_iso8601(s) >= 0 || (strlen(s) > 19 && (s[19] == '+' || s[19] == '-'));
    if (!strcmp(format, "uri")) {
        const char *colon = strchr(s, ':');
        return colon && colon > s && !strpbrk(s, " \t\n");
    }
    return 1; /* other formats are not checked */
}

static void check(const cJSON *schema, const cJSON *v, const char *path, cJSON *out);

/* child = path + sep + name, cut to n bytes: every field of every body gets one. */
static void child_path(char *child, size_t n, const char *path, char sep, const char *name)
{
    size_t pl = strlen(path), nl = strlen(name);
    if (pl + 1 + nl >= n) { /* (deeper than any path a message shows whole) */
        snprintf(child, n, "%s%c%s", path, sep, name);
        return;
    }
    memcpy(child, path, pl);
    child[pl] = sep;
    memcpy(child + pl + 1, name, nl + 1);
}

/* oneOf/anyOf: fine when some branch has nothing to say. */
static void check_alternatives(const cJSON *list, const cJSON *v, const char *path, cJSON *out)
{
    const cJSON *branch;
    cJSON *first = NULL;
    cJSON_ArrayForEach(branch, list) {
        cJSON *w = cJSON_CreateArray();
        check(branch, v, path, w);
        if (cJSON_GetArraySize(w) == 0) {
            cJSON_Delete(w);
            cJSON_Delete(first);
            return;
        }
        if (!first)
            first = w;
        else
            cJSON_Delete(w);
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, first) if (cJSON_GetArraySize(out) < MAX_WARNINGS)
        cJSON_AddItemToArray(out, cJSON_CreateString(m->valuestring));
    cJSON_Delete(first);
}

static void check(const cJSON *schema, const cJSON *v, const char *path, cJSON *out)
{
    schema = resolve(schema);
    if (!cJSON_IsObject(schema))
        return;
    const cJSON *sub;
    cJSON_ArrayForEach(sub, cJSON_GetObjectItemCaseSensitive(schema, "allOf")) check(sub, v, path, out);
    const cJSON *alt = cJSON_GetObjectItemCaseSensitive(schema, "oneOf");
    if (!alt)
        alt = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    if (cJSON_IsArray(alt))
        check_alternatives(alt, v, path, out);
    if (cJSON_IsNull(v) && json_bool(schema, "nullable", 0))
        return;
    const char *type = json_str(schema, "type");
    if (type && !type_ok(type, v)) {
        warn(out, path, "expected %s, got %s", type, type_of(v));
        return;
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(en)) {
        int found = 0;
        cJSON_ArrayForEach(sub, en) found |= cJSON_Compare(sub, v, 1);
        if (!found) {
            char *allowed = json_print(en);
            warn(out, path, "not one of %s%s", allowed, "");
            free(allowed);
        }
    }
    const char *format = json_str(schema, "format");
    if (format && cJSON_IsString(v) && !format_ok(format, v->valuestring))
        warn(out, path, "not a %s: '%.80s'", format, v->valuestring);
    char child[512];
    if (cJSON_IsArray(v)) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        int i = 0;
        cJSON_ArrayForEach(sub, v) {
            snprintf(child, sizeof child, "%s[%d]", path, i++);
            check(items, sub, child, out);
        }
    }
    if (!cJSON_IsObject(v))
        return;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    cJSON_ArrayForEach(sub, cJSON_GetObjectItemCaseSensitive(schema, "required")) {
        if (cJSON_IsString(sub) && !cJSON_GetObjectItemCaseSensitive(v, sub->valuestring))
            warn(out, path, "required field '%s' is missing%s", sub->valuestring, "");
    }
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    int described = cJSON_IsObject(props) || extra; /* a bare {type: object} says nothing of its fields */
    cJSON_ArrayForEach(sub, v) {
        child_path(child, sizeof child, path, '.', sub->string);
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(props, sub->string);
        if (p)
            check(p, sub, child, out);
        else if (cJSON_IsObject(extra))
            check(extra, sub, child, out);
        else if (described && !cJSON_IsTrue(extra))
            warn(out, child, "unknown field (not in the spec)%s%s", "", "");
    }
}

cJSON *spec_check_body(const char *operation_id, const cJSON *body)
{
    pthread_once(&loaded, load);
    if (!spec || !operation_id || !body)
        return NULL;
    /* Route tables pass the same operation string every time: a thread's last answer is kept by
     * the string's address (the scan's strcmp over every operation cost more than the check). */
    static __thread const char *last_op;
    static __thread const cJSON *last_schema;
    const cJSON *schema = NULL;
    if (operation_id == last_op) {
        schema = last_schema;
    } else {
        for (int i = 0; i < nops; i++) /* (the last match wins, as the scan it replaces did) */
            if (!strcmp(ops[i].operation, operation_id))
                schema = ops[i].schema;
        last_op = operation_id;
        last_schema = schema;
    }
    if (!schema)
        return NULL;
    cJSON *out = cJSON_CreateArray();
    check(schema, body, "body", out);
    if (cJSON_GetArraySize(out) == 0) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}
