/* fixtures.c: reads and validates fixtures/ (orgs, keys, app catalogue) into memory. */
#include "engine/fixtures.h"
#include "base/json.h"
#include "engine/flows_fixture.h"
#include "base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t n, const char *file, const char *field, const char *why)
{
    snprintf(err, n, "%s: %s: %s", file, field, why);
    return -1;
}

static int load_orgs(struct fixtures *fx, const char *dir, char *err, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/orgs.json", dir);
    fx->orgs = util_read_json_file(path, err, n);
    if (!fx->orgs)
        return -1;
    const cJSON *orgs = cJSON_GetObjectItemCaseSensitive(fx->orgs, "orgs");
    if (!cJSON_IsArray(orgs) || cJSON_GetArraySize(orgs) == 0)
        return fail(err, n, path, "orgs", "must be a non-empty array");
    int cap = 2 * cJSON_GetArraySize(orgs);
    fx->tenants = calloc((size_t)cap, sizeof *fx->tenants);
    const cJSON *org;
    int i = 0;
    cJSON_ArrayForEach(org, orgs) {
        char field[128];
        const char *org_id = json_str(org, "org_id"), *name = json_str(org, "name");
        snprintf(field, sizeof field, "orgs[%d]", i);
        if (!org_id || !name)
            return fail(err, n, path, field, "needs string org_id and name");
        const cJSON *envs = cJSON_GetObjectItemCaseSensitive(org, "environments");
        if (!cJSON_IsObject(envs))
            return fail(err, n, path, field, "needs an environments object");
        const cJSON *env;
        cJSON_ArrayForEach(env, envs) {
            snprintf(field, sizeof field, "orgs[%d].environments.%s", i, env->string);
            if (strcmp(env->string, "test") && strcmp(env->string, "production"))
                return fail(err, n, path, field, "environment must be test or production");
            const char *key = json_str(env, "api_key");
            if (!key || !*key)
                return fail(err, n, path, field, "needs a non-empty api_key");
            if (fixtures_tenant_by_key(fx, key))
                return fail(err, n, path, field, "api_key is used twice");
            if (fx->ntenants == cap)
                return fail(err, n, path, field, "too many environments");
            struct tenant *t = &fx->tenants[fx->ntenants++];
            snprintf(t->id, sizeof t->id, "%s:%s", org_id, env->string);
            util_copy(t->org_id, sizeof t->org_id, org_id);
            util_copy(t->org_name, sizeof t->org_name, name);
            util_copy(t->environment, sizeof t->environment, env->string);
            if (!util_copy(t->api_key, sizeof t->api_key, key))
                return fail(err, n, path, field, "api_key is too long");
            const cJSON *setup = cJSON_GetObjectItemCaseSensitive(env, "setup");
            t->setup = cJSON_IsObject(setup) ? setup : NULL;
        }
        i++;
    }
    return 0;
}

/* Fixture sections that describe the mock's behaviour, not the catalogue entry. */
static int mock_only(const char *key)
{
    static const char *const keys[] = {"oauth", "keybased", "actions", "config", "auth_structure", "datastores", NULL};
    for (int i = 0; keys[i]; i++)
        if (!strcmp(key, keys[i]))
            return 1;
    return 0;
}

static int by_slug(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(json_str(x, "slug"), json_str(y, "slug"));
}

static int validate_app(const cJSON *app, const char *path, const char *file_slug, char *err, size_t n)
{
    static const char *const required[] = {"name", "slug", "type", "app_id", "icon", "description", "auth_type"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!json_str(app, required[i]))
            return fail(err, n, path, required[i], "missing or not a string");
    if (strcmp(json_str(app, "slug"), file_slug))
        return fail(err, n, path, "slug", "must match the file name");
    const char *auth = json_str(app, "auth_type");
    if (strcmp(auth, "oauth2") && strcmp(auth, "keybased"))
        return fail(err, n, path, "auth_type", "must be oauth2 or keybased");
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(app, "auth_type_options");
    if (!cJSON_IsObject(opts) || !cJSON_GetObjectItemCaseSensitive(opts, auth))
        return fail(err, n, path, "auth_type_options", "must be an object naming the default auth_type");
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(app, "auth_input_map");
    if (!cJSON_IsArray(map))
        return fail(err, n, path, "auth_input_map", "must be an array");
    const cJSON *f;
    int i = 0;
    cJSON_ArrayForEach(f, map) {
        char field[64];
        snprintf(field, sizeof field, "auth_input_map[%d]", i++);
        if (!json_str(f, "name") || !json_str(f, "label"))
            return fail(err, n, path, field, "needs name and label");
    }
    if (fixtures_app_supports(app, "oauth2") && !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(app, "oauth")))
        return fail(err, n, path, "oauth", "an oauth2 app needs an oauth section (ttls, identifier)");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(app, "kind");
    if (kind && !(cJSON_IsString(kind) && (!strcmp(kind->valuestring, "native") || !strcmp(kind->valuestring, "custom") ||
                                           !strcmp(kind->valuestring, "universal_connector"))))
        return fail(err, n, path, "kind", "must be native, custom or universal_connector");
    const cJSON *grant = cJSON_GetObjectItemCaseSensitive(app, "grant_type");
    if (grant && !fixtures_app_supports(app, "oauth2"))
        return fail(err, n, path, "grant_type", "only an app that supports oauth2 has an OAuth grant");
    if (grant && !(cJSON_IsString(grant) && (!strcmp(grant->valuestring, "authorization_code") ||
                                             !strcmp(grant->valuestring, "authorization_code_pkce") ||
                                             !strcmp(grant->valuestring, "client_credentials"))))
        return fail(err, n, path, "grant_type", "must be authorization_code, authorization_code_pkce or client_credentials");
    const cJSON *actions = cJSON_GetObjectItemCaseSensitive(app, "actions");
    if (actions && !cJSON_IsArray(actions))
        return fail(err, n, path, "actions", "must be an array");
    /* datastores: {"name": [record objects]}, what the app's workflows have written */
    const cJSON *stores = cJSON_GetObjectItemCaseSensitive(app, "datastores"), *ds, *rec;
    if (stores && !cJSON_IsObject(stores))
        return fail(err, n, path, "datastores", "must be an object of datastore name -> array of records");
    cJSON_ArrayForEach(ds, stores) {
        char field[160];
        snprintf(field, sizeof field, "datastores.%s", ds->string);
        if (!cJSON_IsArray(ds))
            return fail(err, n, path, field, "must be an array of records");
        cJSON_ArrayForEach(rec, ds) if (!cJSON_IsObject(rec))
            return fail(err, n, path, field, "every record must be an object");
    }
    return 0;
}

/* Optional DIR/env_definitions.json: the orgs' environment-variable definitions, which the
 * public API only reads. {"definitions": [{_id, org_id, name, scope, var_format, encrypted, ...}]} */
static int load_env_definitions(struct fixtures *fx, const char *dir, char *err, size_t n)
{
    static const char *const scopes[] = {"org", "workspace", "linked_account", "workflow", NULL};
    static const char *const formats[] = {"string", "number", "url", NULL};
    char path[4096];
    snprintf(path, sizeof path, "%s/env_definitions.json", dir);
    FILE *probe = fopen(path, "r");
    if (!probe) {
        fx->env_definitions = cJSON_CreateArray();
        return 0;
    }
    fclose(probe);
    cJSON *file = util_read_json_file(path, err, n);
    if (!file)
        return -1;
    cJSON *defs = cJSON_DetachItemFromObjectCaseSensitive(file, "definitions");
    cJSON_Delete(file);
    fx->env_definitions = defs;
    if (!cJSON_IsArray(defs))
        return fail(err, n, path, "definitions", "must be an array");
    const cJSON *d, *o;
    int i = 0;
    cJSON_ArrayForEach(d, defs) {
        char field[64];
        snprintf(field, sizeof field, "definitions[%d]", i++);
        const char *id = json_str(d, "_id"), *org = json_str(d, "org_id"), *scope = json_str(d, "scope");
        const char *format = json_str(d, "var_format");
        if (!id || !*id || !org || !json_str(d, "name") || !scope || !format)
            return fail(err, n, path, field, "needs string _id, org_id, name, scope and var_format");
        int known = 0;
        for (int k = 0; fx->tenants && k < fx->ntenants; k++)
            known |= !strcmp(fx->tenants[k].org_id, org);
        if (!known)
            return fail(err, n, path, field, "org_id names no org of orgs.json");
        int ok = 0;
        for (int k = 0; scopes[k]; k++)
            ok |= !strcmp(scope, scopes[k]);
        if (!ok)
            return fail(err, n, path, field, "scope must be org, workspace, linked_account or workflow");
        ok = 0;
        for (int k = 0; formats[k]; k++)
            ok |= !strcmp(format, formats[k]);
        if (!ok)
            return fail(err, n, path, field, "var_format must be string, number or url");
        if (!cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(d, "encrypted")))
            return fail(err, n, path, field, "encrypted must be true or false");
        cJSON_ArrayForEach(o, defs) if (o != d && json_str(o, "_id") && !strcmp(json_str(o, "_id"), id))
            return fail(err, n, path, field, "_id is used twice");
    }
    return 0;
}

static int load_apps(struct fixtures *fx, const char *dir, char *err, size_t n)
{
    char apps_dir[4096];
    snprintf(apps_dir, sizeof apps_dir, "%s/apps", dir);
    DIR *d = opendir(apps_dir);
    if (!d)
        return fail(err, n, apps_dir, "directory", "cannot be read");
    fx->apps = cJSON_CreateArray();
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        char path[8192], slug[256];
        snprintf(path, sizeof path, "%s/%s", apps_dir, e->d_name);
        snprintf(slug, sizeof slug, "%.*s", (int)(len - 5), e->d_name);
        cJSON *app = util_read_json_file(path, err, n);
        if (!app) {
            rc = -1;
            break;
        }
        if (validate_app(app, path, slug, err, n) != 0) {
            cJSON_Delete(app);
            rc = -1;
            break;
        }
        cJSON_AddItemToArray(fx->apps, app);
    }
    closedir(d);
    if (rc)
        return rc;
    int count = cJSON_GetArraySize(fx->apps);
    if (count == 0)
        return fail(err, n, apps_dir, "apps", "no app files (*.json)");
    /* Sort by slug so lists are stable whatever order the directory yields. */
    cJSON **items = malloc(sizeof *items * (size_t)count);
    for (int i = 0; i < count; i++)
        items[i] = cJSON_DetachItemFromArray(fx->apps, 0);
    qsort(items, (size_t)count, sizeof *items, by_slug);
    for (int i = 0; i < count; i++)
        cJSON_AddItemToArray(fx->apps, items[i]);
    free(items);
    /* The public entries are built once: every application response copies from them. */
    fx->public_apps = cJSON_CreateArray();
    const cJSON *app;
    cJSON_ArrayForEach(app, fx->apps) {
        cJSON *pub = cJSON_CreateObject();
        const cJSON *f;
        cJSON_ArrayForEach(f, app)
            if (!mock_only(f->string))
                cJSON_AddItemToObject(pub, f->string, cJSON_Duplicate(f, 1));
        /* refold-js routes connect() on these two (Application.kind, Application.grant_type):
         * an app file that leaves them out is a native app with the redirect grant. */
        if (!cJSON_HasObjectItem(pub, "kind"))
            cJSON_AddStringToObject(pub, "kind", "native");
        if (!cJSON_HasObjectItem(pub, "grant_type") && fixtures_app_supports(app, "oauth2"))
            cJSON_AddStringToObject(pub, "grant_type", "authorization_code");
        cJSON_AddItemToArray(fx->public_apps, pub);
    }
    return 0;
}

struct fixtures *fixtures_load(const char *dir, char *err, size_t errlen)
{
    struct fixtures *fx = calloc(1, sizeof *fx);
    if (load_orgs(fx, dir, err, errlen) != 0 || load_apps(fx, dir, err, errlen) != 0 ||
        load_env_definitions(fx, dir, err, errlen) != 0) {
        fixtures_free(fx);
        return NULL;
    }
    return fx;
}

void fixtures_free(struct fixtures *fx)
{
    if (!fx)
        return;
    free(fx->tenants);
    cJSON_Delete(fx->orgs);
    cJSON_Delete(fx->apps);
    cJSON_Delete(fx->public_apps);
    cJSON_Delete(fx->env_definitions);
    free(fx);
}

const struct tenant *fixtures_tenant_by_key(const struct fixtures *fx, const char *api_key)
{
    if (!api_key)
        return NULL;
    for (int i = 0; i < fx->ntenants; i++)
        if (!strcmp(fx->tenants[i].api_key, api_key))
            return &fx->tenants[i];
    return NULL;
}

const struct tenant *fixtures_tenant_by_id(const struct fixtures *fx, const char *id)
{
    if (!id)
        return NULL;
    for (int i = 0; i < fx->ntenants; i++)
        if (!strcmp(fx->tenants[i].id, id))
            return &fx->tenants[i];
    return NULL;
}

const cJSON *fixtures_app(const struct fixtures *fx, const char *slug)
{
    const cJSON *app;
    if (!slug)
        return NULL;
    cJSON_ArrayForEach(app, fx->apps)
        if (!strcmp(json_str(app, "slug"), slug))
            return app;
    return NULL;
}

const cJSON *fixtures_app_public(const struct fixtures *fx, const cJSON *app)
{
    const cJSON *a = fx->apps->child, *p = fx->public_apps->child;
    for (; a && p; a = a->next, p = p->next)
        if (a == app)
            return p;
    return NULL;
}

int fixtures_app_supports(const cJSON *app, const char *auth_type)
{
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(app, "auth_type_options");
    return cJSON_GetObjectItemCaseSensitive(opts, auth_type) != NULL;
}
