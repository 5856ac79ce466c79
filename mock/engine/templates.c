/* templates.c: renders action fixtures' record/result templates; deep-merges JSON patches. */
#include "engine/templates.h"

#include <string.h>

/* A dropped value: "{{param.X}}" for a parameter the caller did not send. */
#define DROPPED ((cJSON *)-1)

static cJSON *render(const cJSON *tpl, const struct tpl_ctx *c);

static cJSON *dup_or_null(const cJSON *v) { return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull(); }

static cJSON *placeholder(const char *s, const struct tpl_ctx *c)
{
    size_t n = strlen(s);
    if (n < 5 || strncmp(s, "{{", 2) || strcmp(s + n - 2, "}}"))
        return NULL;
    const char *name = s + 2;
    size_t len = n - 4;
    if (len == 6 && !strncmp(name, "record", 6))
        return dup_or_null(c->record);
    if (len == 7 && !strncmp(name, "records", 7))
        return c->records ? cJSON_Duplicate(c->records, 1) : cJSON_CreateArray();
    if (len == 3 && !strncmp(name, "now", 3))
        return c->now ? cJSON_CreateString(c->now) : cJSON_CreateNull();
    if (len == 2 && !strncmp(name, "id", 2))
        return c->id ? cJSON_CreateString(c->id) : cJSON_CreateNull();
    if (len > 6 && !strncmp(name, "param.", 6)) {
        char key[256];
        if (len - 6 >= sizeof key)
            return DROPPED;
        memcpy(key, name + 6, len - 6);
        key[len - 6] = 0;
        const cJSON *v = c->params ? cJSON_GetObjectItemCaseSensitive(c->params, key) : NULL;
        return v ? cJSON_Duplicate(v, 1) : DROPPED;
    }
    return NULL; /* not ours: kept as written */
}

static cJSON *render(const cJSON *tpl, const struct tpl_ctx *c)
{
    if (cJSON_IsString(tpl)) {
        cJSON *v = placeholder(tpl->valuestring, c);
        return v ? v : cJSON_CreateString(tpl->valuestring);
    }
    if (cJSON_IsObject(tpl) || cJSON_IsArray(tpl)) {
        int obj = cJSON_IsObject(tpl);
        cJSON *out = obj ? cJSON_CreateObject() : cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, tpl) {
            cJSON *v = render(e, c);
            if (v == DROPPED)
                continue;
            if (obj)
                cJSON_AddItemToObject(out, e->string, v);
            else
                cJSON_AddItemToArray(out, v);
        }
        return out;
    }
    return cJSON_Duplicate(tpl, 1);
}

cJSON *templates_render(const cJSON *tpl, const struct tpl_ctx *ctx)
{
    static const struct tpl_ctx none;
    if (!tpl)
        return cJSON_CreateNull();
    cJSON *v = render(tpl, ctx ? ctx : &none);
    return v == DROPPED ? cJSON_CreateNull() : v;
}

void templates_merge(cJSON *target, const cJSON *patch)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, patch) {
        cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, p->string);
        if (cur && cJSON_IsObject(cur) && cJSON_IsObject(p)) {
            templates_merge(cur, p);
            continue;
        }
        cJSON *copy = cJSON_Duplicate(p, 1);
        if (cur)
            cJSON_ReplaceItemInObjectCaseSensitive(target, p->string, copy);
        else
            cJSON_AddItemToObject(target, p->string, copy);
    }
}

int templates_valid_string(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || strncmp(s, "{{", 2) || strcmp(s + n - 2, "}}"))
        return 1;
    static const struct tpl_ctx probe;
    cJSON *v = placeholder(s, &probe);
    if (!v)
        return 0;
    if (v != DROPPED)
        cJSON_Delete(v);
    return 1;
}
