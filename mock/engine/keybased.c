/* keybased.c: key-based credentials checked against the app's auth_input_map. */
#include "engine/keybased.h"
#include "base/json.h"
#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const cJSON *keybased_fields(const cJSON *app)
{
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(app, "auth_type_options");
    const cJSON *kb = cJSON_GetObjectItemCaseSensitive(opts, "keybased");
    if (cJSON_IsArray(kb) && cJSON_GetArraySize(kb) > 0)
        return kb;
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(app, "auth_input_map");
    return cJSON_IsArray(map) ? map : NULL;
}

int keybased_client_credentials(const cJSON *app)
{
    const char *grant = json_str(app, "grant_type");
    return grant && !strcmp(grant, "client_credentials");
}

const cJSON *keybased_form_fields(const cJSON *app, const char **auth_type)
{
    int cc = keybased_client_credentials(app);
    if (auth_type)
        *auth_type = cc ? "oauth2" : "keybased";
    if (!cc)
        return keybased_fields(app);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "auth_type_options"), "oauth2");
    return cJSON_IsArray(list) ? list : NULL;
}

const char *keybased_refused(const cJSON *app, const cJSON *fields)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "oauth"), "refused_secrets");
    const cJSON *f, *s;
    cJSON_ArrayForEach(f, fields) cJSON_ArrayForEach(s, list)
        if (cJSON_IsString(f) && cJSON_IsString(s) && !strcmp(f->valuestring, s->valuestring))
            return f->string;
    return NULL;
}

/* The SDK's typings say required is a string: accept true and "true". */
static int is_required(const cJSON *f)
{
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(f, "required");
    return cJSON_IsTrue(req) || (cJSON_IsString(req) && !strcmp(req->valuestring, "true"));
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

int keybased_validate(const cJSON *app, const cJSON *fields, char *err, size_t errlen)
{
    return keybased_validate_list(keybased_fields(app), fields, err, errlen);
}

int keybased_validate_list(const cJSON *list, const cJSON *fields, char *err, size_t errlen)
{
    if (!cJSON_IsObject(fields))
        return snprintf(err, errlen, "the credentials must be a JSON object of field name -> value"), -1;
    const cJSON *f;
    cJSON_ArrayForEach(f, list) {
        const char *name = json_str(f, "name");
        if (!name)
            continue;
        const char *label = json_str(f, "label");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, name);
        int given = v && !cJSON_IsNull(v) && !(cJSON_IsString(v) && blank(v->valuestring));
        if (!given) {
            if (is_required(f))
                return snprintf(err, errlen, "%s is required (%s)", name, label ? label : name), -1;
            continue;
        }
        if (!cJSON_IsString(v) && !cJSON_IsNumber(v) && !cJSON_IsBool(v))
            return snprintf(err, errlen, "%s must be a string", name), -1;
    }
    return 0;
}
