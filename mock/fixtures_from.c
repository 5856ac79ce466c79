/* fixtures_from.c: turns the apps, auth forms, actions and config structures a recording saw into
 * app fixture files (fixtures/README.md), merged over the existing ones, then loads the result. */
#include "fixtures_from.h"
#include "engine/fixtures.h"
#include "base/mock.h"
#include "base/paths.h"
#include "recording.h"
#include "routes.h"
#include "base/util.h"

#include <civetweb.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the API adds to a catalogue entry for one linked account: not part of the fixture. */
static const char *const per_account[] = {"connected", "connected_accounts", "reauth_required", NULL};
/* The sections of an app file that drive the mock and are never shown as they are (fixtures/README.md). */
static const char *const mock_sections[] = {"auth_structure", "oauth", "keybased", "actions", "config", "datastores", NULL};

struct seen {
    cJSON *apps; /* slug -> app document being built */
    int napps, nactions, nconfigs, nforms;
};

static cJSON *base_app(const char *out_dir, const char *base_dir, const char *slug)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/apps/%s.json", out_dir, slug);
    cJSON *app = access(path, R_OK) == 0 ? util_read_json_file(path, err, sizeof err) : NULL;
    if (!app && base_dir) {
        snprintf(path, sizeof path, "%s/apps/%s.json", base_dir, slug);
        app = access(path, R_OK) == 0 ? util_read_json_file(path, err, sizeof err) : NULL;
    }
    return app ? app : cJSON_CreateObject();
}

static cJSON *app_of(struct seen *s, const char *out_dir, const char *base_dir, const char *slug)
{
    cJSON *app = cJSON_GetObjectItemCaseSensitive(s->apps, slug);
    if (!app) {
        app = base_app(out_dir, base_dir, slug);
        cJSON_AddItemToObject(s->apps, slug, app);
        s->napps++;
    }
    return app;
}

static void set(cJSON *o, const char *key, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(o, key))
        cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
    else
        cJSON_AddItemToObject(o, key, v);
}

/* A catalogue entry as the API showed it: its public fields replace the fixture's. */
static void take_app(struct seen *s, const cJSON *view, const char *out_dir, const char *base_dir)
{
    const char *slug = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(view, "slug"));
    if (!slug || !*slug || strchr(slug, '/') || slug[0] == '.')
        return;
    cJSON *app = app_of(s, out_dir, base_dir, slug);
    /* the entry shows every public field: one the fixture has and the entry lacks is gone (renamed) */
    for (cJSON *k = app->child, *next; k; k = next) {
        next = k->next;
        int section = 0;
        for (int i = 0; mock_sections[i]; i++)
            section |= !strcmp(k->string, mock_sections[i]);
        if (!section && !cJSON_GetObjectItemCaseSensitive(view, k->string))
            cJSON_DeleteItemFromObjectCaseSensitive(app, k->string);
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, view) {
        int skip = 0;
        for (int i = 0; per_account[i]; i++)
            skip |= !strcmp(f->string, per_account[i]);
        if (!skip)
            set(app, f->string, cJSON_Duplicate(f, 1));
    }
}

static cJSON *by_key(cJSON *arr, const char *key, const char *value)
{
    cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, key));
        if (v && !strcmp(v, value))
            return it;
    }
    return NULL;
}

static cJSON *action_of(cJSON *app, const char *action_id)
{
    cJSON *actions = cJSON_GetObjectItemCaseSensitive(app, "actions");
    if (!cJSON_IsArray(actions)) {
        actions = cJSON_CreateArray();
        set(app, "actions", actions);
    }
    cJSON *a = by_key(actions, "action_id", action_id);
    if (!a) { /* a new action answers what was recorded, and keeps no records */
        a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "action_id", action_id);
        cJSON_AddStringToObject(a, "name", action_id);
        cJSON_AddItemToObject(a, "parameters", cJSON_CreateArray());
        cJSON *recs = cJSON_AddObjectToObject(a, "records");
        cJSON_AddStringToObject(recs, "op", "none");
        cJSON *res = cJSON_AddObjectToObject(a, "result");
        cJSON_AddStringToObject(res, "node_status", "Success");
        cJSON_AddItemToArray(actions, a);
    }
    return a;
}

/* A config field as the fixture keeps it: the view's own value and per-config labels left out. */
static cJSON *fixture_field(const cJSON *view_field, const cJSON *old)
{
    cJSON *f = cJSON_Duplicate(view_field, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(f, "value");
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(f, "labels");
    if (labels && !cJSON_IsArray(labels)) { /* the view's {value: name} map; the fixture's is a list */
        cJSON_DeleteItemFromObjectCaseSensitive(f, "labels");
        const cJSON *ol = old ? cJSON_GetObjectItemCaseSensitive(old, "labels") : NULL;
        if (ol)
            cJSON_AddItemToObject(f, "labels", cJSON_Duplicate(ol, 1));
    }
    return f;
}

static cJSON *fixture_fields(const cJSON *view_fields, const cJSON *old_fields)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *f;
    cJSON_ArrayForEach(f, view_fields) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "id"));
        cJSON_AddItemToArray(out, fixture_field(f, id ? by_key((cJSON *)old_fields, "id", id) : NULL));
    }
    return out;
}

/* A config as the API showed it: its fields and workflows' structure (not the values). */
static void take_config(cJSON *app, const cJSON *view)
{
    cJSON *config = cJSON_GetObjectItemCaseSensitive(app, "config");
    if (!cJSON_IsObject(config)) {
        config = cJSON_CreateObject();
        set(app, "config", config);
    }
    const cJSON *vf = cJSON_GetObjectItemCaseSensitive(view, "fields");
    if (cJSON_IsArray(vf))
        set(config, "fields", fixture_fields(vf, cJSON_GetObjectItemCaseSensitive(config, "fields")));
    const cJSON *vw = cJSON_GetObjectItemCaseSensitive(view, "workflows"), *w;
    if (!cJSON_IsArray(vw))
        return;
    cJSON *old = cJSON_GetObjectItemCaseSensitive(config, "workflows"), *out = cJSON_CreateArray();
    cJSON_ArrayForEach(w, vw) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "id"));
        if (!id)
            continue;
        const cJSON *ow = cJSON_IsArray(old) ? by_key(old, "id", id) : NULL;
        /* the old definition keeps what only the mock has (trigger, run); the view's enabled is
         * one config's state, so the default stays as it was (false for a new workflow) */
        cJSON *nw = ow ? cJSON_Duplicate(ow, 1) : cJSON_CreateObject();
        const cJSON *m;
        cJSON_ArrayForEach(m, w) {
            if (!strcmp(m->string, "enabled") || !strcmp(m->string, "fields"))
                continue;
            set(nw, m->string, cJSON_Duplicate(m, 1));
        }
        if (!cJSON_GetObjectItemCaseSensitive(nw, "enabled"))
            cJSON_AddBoolToObject(nw, "enabled", 0);
        set(nw, "fields", fixture_fields(cJSON_GetObjectItemCaseSensitive(w, "fields"),
                                         ow ? cJSON_GetObjectItemCaseSensitive(ow, "fields") : NULL));
        cJSON_AddItemToArray(out, nw);
    }
    set(config, "workflows", out);
}

/* A recording masks members named like secrets; in an auth form's structure those names are the
 * form's fields and their values only types: "****" stands for "string". */
static void unmask_types(cJSON *v)
{
    cJSON *c;
    cJSON_ArrayForEach(c, v) {
        if (cJSON_IsString(c) && !strcmp(c->valuestring, "****"))
            cJSON_SetValuestring(c, "string");
        else if (cJSON_IsObject(c))
            unmask_types(c);
    }
}

static void take(struct seen *s, const cJSON *x, const char *out_dir, const char *base_dir)
{
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(x, "request"), *r = cJSON_GetObjectItemCaseSensitive(x, "response");
    const char *method = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "method"));
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "path"));
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(r, "body");
    if (!method || !path || cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status")) != 200 ||
        !(cJSON_IsObject(body) || cJSON_IsArray(body)))
        return;
    req probe;
    memset(&probe, 0, sizeof probe);
    const struct route *rt;
    char allow[128], *decoded = strdup(path);
    mg_url_decode(path, (int)strlen(path), decoded, (int)strlen(path) + 1, 0);
    int found = routes_match(method, decoded, &probe, &rt, allow, sizeof allow) == ROUTE_FOUND;
    free(decoded);
    if (!found) {
        free(probe.param_mem);
        return;
    }
    const char *op = rt->operation, *p0 = probe.param[0], *p1 = probe.param[1];
    if (!strcmp(op, "getApplicationBySlug") || !strcmp(op, "sdkGetApp")) {
        take_app(s, body, out_dir, base_dir);
    } else if (!strcmp(op, "listApplicationsForLinkedAccount") || !strcmp(op, "sdkGetApps")) {
        const cJSON *a, *list = cJSON_IsArray(body) ? body : cJSON_GetObjectItemCaseSensitive(body, "data");
        cJSON_ArrayForEach(a, list) take_app(s, a, out_dir, base_dir);
    } else if (!strcmp(op, "getAuthStructureForApp") && cJSON_IsObject(body)) {
        cJSON *st = cJSON_Duplicate(body, 1);
        unmask_types(st);
        set(app_of(s, out_dir, base_dir, p0), "auth_structure", st);
        s->nforms++;
    } else if (!strcmp(op, "listActions") && cJSON_IsArray(body)) {
        cJSON *app = app_of(s, out_dir, base_dir, p0);
        const cJSON *a;
        cJSON_ArrayForEach(a, body) {
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "action_id"));
            if (!id)
                continue;
            cJSON *fa = action_of(app, id);
            static const char *const keys[] = {"name", "description", "tag", NULL};
            for (int i = 0; keys[i]; i++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, keys[i]);
                if (cJSON_IsString(v))
                    set(fa, keys[i], cJSON_Duplicate(v, 1));
            }
            s->nactions++;
        }
    } else if (!strcmp(op, "getActionSchema") && cJSON_IsArray(body)) {
        set(action_of(app_of(s, out_dir, base_dir, p0), p1), "parameters", cJSON_Duplicate(body, 1));
    } else if (!strcmp(op, "executeAction")) {
        cJSON *a = action_of(app_of(s, out_dir, base_dir, p0), p1);
        const cJSON *recs = cJSON_GetObjectItemCaseSensitive(a, "records");
        const char *rop = recs ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(recs, "op")) : "none";
        if (!rop || !strcmp(rop, "none")) /* templated results of record-keeping actions stay */
            set(a, "result", cJSON_Duplicate(body, 1));
    } else if (cJSON_IsObject(body) && cJSON_GetObjectItemCaseSensitive(body, "workflows") &&
               cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "slug"))) {
        /* any config view: get-or-create, get, the SDK's twins */
        take_config(app_of(s, out_dir, base_dir, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "slug"))), body);
        s->nconfigs++;
    }
    free(probe.param_mem); /* (the path parameters p0, p1 point into it) */
}

/* What the loader needs that a catalogue entry may not show: defaults a user then reviews. */
static void complete(cJSON *app, const char *slug)
{
    static const char *const strs[] = {"name", "type", "app_id", "icon", "description", NULL};
    set(app, "slug", cJSON_CreateString(slug));
    for (int i = 0; strs[i]; i++)
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(app, strs[i])))
            set(app, strs[i], cJSON_CreateString(!strcmp(strs[i], "name") || !strcmp(strs[i], "type") ? slug : ""));
    const char *auth = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(app, "auth_type"));
    if (!auth || (strcmp(auth, "oauth2") && strcmp(auth, "keybased")))
        set(app, "auth_type", cJSON_CreateString(auth = "oauth2"));
    if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(app, "auth_input_map")))
        set(app, "auth_input_map", cJSON_CreateArray());
    cJSON *opts = cJSON_GetObjectItemCaseSensitive(app, "auth_type_options");
    if (!cJSON_IsObject(opts)) {
        opts = cJSON_CreateObject();
        set(app, "auth_type_options", opts);
    }
    if (!cJSON_GetObjectItemCaseSensitive(opts, auth))
        cJSON_AddItemToObject(opts, auth, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(app, "auth_input_map"), 1));
    if (cJSON_GetObjectItemCaseSensitive(opts, "oauth2") && !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(app, "oauth"))) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "provider", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(app, "name")));
        cJSON_AddItemToObject(o, "scopes", cJSON_CreateArray());
        cJSON_AddNullToObject(o, "access_token_ttl");
        cJSON_AddNullToObject(o, "refresh_token_ttl");
        cJSON_AddItemToObject(o, "identifier", cJSON_CreateObject());
        set(app, "oauth", o);
    }
    if (cJSON_GetObjectItemCaseSensitive(opts, "keybased") && !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(app, "keybased"))) {
        cJSON *k = cJSON_CreateObject();
        cJSON_AddNullToObject(k, "credential_ttl");
        const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(opts, "keybased"), 0);
        const char *idf = first ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "name")) : NULL;
        if (idf)
            cJSON_AddStringToObject(k, "identifier_field", idf);
        set(app, "keybased", k);
    }
}

/* JSON with two-space indents, like the shipped files (cJSON prints tabs). */
static int write_json(const char *path, const cJSON *v)
{
    char *t = cJSON_Print(v);
    if (!t)
        return -1;
    FILE *f = fopen(path, "w");
    if (!f) {
        free(t);
        return -1;
    }
    int line_start = 1;
    for (const char *p = t; *p; p++) {
        if (*p == '\t')
            fputs(line_start ? "  " : " ", f);
        else {
            fputc(*p, f);
            line_start = *p == '\n';
        }
    }
    fputc('\n', f);
    free(t);
    return fclose(f);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    return fclose(out);
}

/* A new fixtures folder starts as a copy of the base (orgs, keys, the other apps). */
static int seed_out(const char *out, const char *base, char *err, size_t n)
{
    char a[4096], b[4096];
    if (mkdir(out, 0755) != 0 && errno != EEXIST)
        return snprintf(err, n, "--out '%s': %s", out, strerror(errno)), -1;
    snprintf(a, sizeof a, "%s/apps", out);
    int fresh = mkdir(a, 0755) == 0;
    if (!fresh && errno != EEXIST)
        return snprintf(err, n, "--out '%.900s': %s", a, strerror(errno)), -1;
    static const char *const top[] = {"orgs.json", "env_definitions.json", NULL};
    for (int i = 0; top[i]; i++) {
        snprintf(a, sizeof a, "%s/%s", out, top[i]);
        snprintf(b, sizeof b, "%s/%s", base, top[i]);
        if (access(a, F_OK) != 0 && access(b, R_OK) == 0 && copy_file(b, a) != 0)
            return snprintf(err, n, "cannot write %.900s", a), -1;
    }
    if (!fresh)
        return 0;
    snprintf(b, sizeof b, "%s/apps", base);
    DIR *d = opendir(b);
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json"))
            continue;
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/apps/%s", base, e->d_name);
        snprintf(to, sizeof to, "%s/apps/%s", out, e->d_name);
        copy_file(from, to);
    }
    closedir(d);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: refold-mock fixtures-from DIR --out FIXTURES_DIR [--base FIXTURES]\n"
                    "Writes the apps, auth forms, actions and config structures the recording in DIR saw as\n"
                    "FIXTURES_DIR/apps/<slug>.json, over what is there (a new folder starts as a copy of --base,\n"
                    "default the shipped fixtures), then loads the folder as the mock would.\n");
    return 2;
}

int fixtures_from_main(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL, *base_opt = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--base") && i + 1 < argc)
            base_opt = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return usage(), 0;
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "refold-mock fixtures-from: '%s': unknown or missing its value\n", argv[i]);
            return usage();
        }
    }
    if (!dir || !out)
        return usage();
    char err[1024];
    cJSON *xs = recording_load(dir, err, sizeof err);
    if (!xs) {
        fprintf(stderr, "refold-mock fixtures-from: %s\n", err);
        return 2;
    }
    char *base = base_opt ? strdup(base_opt) : paths_shipped("fixtures");
    int rc = 0;
    if (seed_out(out, base, err, sizeof err) != 0) {
        fprintf(stderr, "refold-mock fixtures-from: %s\n", err);
        rc = 2;
    }
    struct seen s = {.apps = cJSON_CreateObject()};
    const cJSON *x;
    if (!rc)
        cJSON_ArrayForEach(x, xs) take(&s, x, out, base);
    cJSON *app;
    cJSON_ArrayForEach(app, s.apps) {
        if (rc)
            break;
        char path[4096];
        complete(app, app->string);
        snprintf(path, sizeof path, "%s/apps/%s.json", out, app->string);
        if (write_json(path, app) != 0) {
            fprintf(stderr, "refold-mock fixtures-from: cannot write %s\n", path);
            rc = 2;
        } else {
            printf("wrote %s\n", path);
        }
    }
    if (!rc) {
        struct fixtures *fx = fixtures_load(out, err, sizeof err);
        if (!fx) { /* the files stay for the user to fix; the reason names file and field */
            fprintf(stderr, "refold-mock fixtures-from: the fixtures in %s do not load: %s\n", out, err);
            rc = 2;
        } else {
            printf("fixtures-from: %d apps (%d actions, %d auth forms, %d configs seen) in %s; they load\n", s.napps,
                   s.nactions, s.nforms, s.nconfigs, out);
            fixtures_free(fx);
        }
    }
    cJSON_Delete(s.apps);
    cJSON_Delete(xs);
    free(base);
    return rc;
}
