/* env_vars.c: the environment-variable model: definitions from fixtures/env_definitions.json and
 * their values per scope in the store. The routes are in api/env_vars_api.c. */
#include "engine/env_vars.h"
#include "engine/linked_accounts.h"
#include "engine/fixtures.h"
#include "base/json.h"
#include "engine/clock.h"
#include "base/pattern.h"
#include "base/store.h"
#include "base/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KIND "env_value" /* parent: none; linked_account_id / workflow_id members name the scope */

static const char *const scopes[] = {"org", "workspace", "linked_account", "workflow", NULL};
static const char *const formats[] = {"string", "number", "url", NULL};

static int one_of(const char *v, const char *const *set)
{
    for (int i = 0; set[i]; i++)
        if (!strcmp(v, set[i]))
            return 1;
    return 0;
}

int env_vars_scope_known(const char *scope) { return one_of(scope, scopes); }

int env_vars_format_known(const char *format) { return one_of(format, formats); }

const cJSON *env_vars_definition(struct mock *m, const struct tenant *t, const char *id)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, m->fx->env_definitions)
        if (!strcmp(json_str(d, "org_id"), t->org_id) && !strcmp(json_str(d, "_id"), id))
            return d;
    return NULL;
}

int env_vars_list_definitions(struct mock *m, const struct tenant *t, const char *scope, const char *format,
                              const struct pattern *re, int offset, int limit, cJSON **docs, int *total)
{
    long long budget = PATTERN_MATCH_BUDGET;
    const cJSON *d;
    int hit = 1;
    *docs = cJSON_CreateArray();
    *total = 0;
    cJSON_ArrayForEach(d, m->fx->env_definitions) {
        if (strcmp(json_str(d, "org_id"), t->org_id) || (*scope && strcmp(json_str(d, "scope"), scope)) ||
            (*format && strcmp(json_str(d, "var_format"), format)))
            continue;
        if (re && (hit = pattern_match(re, json_str(d, "name") ? json_str(d, "name") : "", &budget)) <= 0) {
            if (hit < 0)
                break;
            continue;
        }
        if ((*total)++ >= offset && cJSON_GetArraySize(*docs) < limit)
            cJSON_AddItemToArray(*docs, cJSON_Duplicate(d, 1));
    }
    if (hit < 0) {
        cJSON_Delete(*docs);
        *docs = NULL;
        return -1;
    }
    return 0;
}

/* What a reader sees: encrypted values redacted, the plaintext never. */
static cJSON *value_view(const cJSON *doc, const cJSON *def, int just_written)
{
    cJSON *o = cJSON_Duplicate(doc, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "plaintext");
    /* The write answers with the stored ciphertext, as Refold does; reads say [REDACTED]. */
    if (json_bool(def, "encrypted", 0) && !just_written)
        json_set(o, "value", cJSON_CreateString(ENV_VARS_REDACTED));
    return o;
}

/* The scope key of a value: "" for org and workspace, the linked account, or the workflow. */
static const char *scope_key(const cJSON *def, const char *la, const char *workflow)
{
    const char *scope = json_str(def, "scope");
    if (!strcmp(scope, "linked_account"))
        return la;
    if (!strcmp(scope, "workflow"))
        return workflow;
    return "";
}

/* The value document of def at key, or NULL. */
static cJSON *find_value(struct mock *m, const struct tenant *t, const cJSON *def, const char *key)
{
    const char *scope = json_str(def, "scope");
    cJSON *all = store_list(m->store, t->id, KIND, NULL, "variable_definition_id", json_str(def, "_id"), 0, 0, NULL);
    cJSON *found = NULL, *v;
    cJSON_ArrayForEach(v, all) {
        const char *have = !strcmp(scope, "linked_account") ? json_str(v, "linked_account_id")
                           : !strcmp(scope, "workflow")     ? json_str(v, "workflow_id")
                                                            : "";
        if (!found && have && !strcmp(have, key))
            found = cJSON_Duplicate(v, 1);
    }
    cJSON_Delete(all);
    return found;
}

static int valid_for_format(const char *format, const char *value)
{
    if (!strcmp(format, "number")) {
        char *end;
        if (!*value)
            return 0;
        strtod(value, &end);
        return *end == 0;
    }
    if (!strcmp(format, "url")) {
        const char *p = !strncasecmp(value, "https://", 8) ? value + 8 : !strncasecmp(value, "http://", 7) ? value + 7 : NULL;
        if (!p || !*p || *p == '/')
            return 0;
        for (; *p; p++)
            if ((unsigned char)*p <= ' ')
                return 0;
    }
    return 1;
}

/* The form an encrypted value is stored in Refold: base64 text, never the plaintext. */
static void ciphertext(char out[64])
{
    char hex[33];
    util_random_hex(hex, 16);
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)hex, 32);
}

/* The scope def needs named: a linked account for linked_account, a workflow for workflow. */
static enum env_vars_outcome scope_named(const cJSON *def, const char *la, const char *workflow)
{
    const char *scope = json_str(def, "scope");
    if (!strcmp(scope, "linked_account") && !*la)
        return ENV_VARS_NEED_LA;
    if (!strcmp(scope, "workflow") && !*workflow)
        return ENV_VARS_NEED_WORKFLOW;
    return ENV_VARS_OK;
}

enum env_vars_outcome env_vars_set(struct mock *m, const struct tenant *t, const cJSON *def, const char *la,
                                   const char *workflow, const char *value, const char *who, cJSON **out)
{
    const char *scope = json_str(def, "scope");
    *out = NULL;
    enum env_vars_outcome named = scope_named(def, la, workflow);
    if (named != ENV_VARS_OK)
        return named;
    if (!strcmp(scope, "linked_account") && !linked_accounts_exists(m, t, la))
        return ENV_VARS_NO_ACCOUNT;
    if (!valid_for_format(json_str(def, "var_format"), value))
        return ENV_VARS_BAD_FORMAT;

    char at[32];
    util_iso8601(clock_now_ms(m), at);
    store_begin(m->store);
    cJSON *doc = find_value(m, t, def, scope_key(def, la, workflow));
    if (!doc) {
        char id[25];
        util_new_id(id);
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "_id", id);
        cJSON_AddStringToObject(doc, "variable_definition_id", json_str(def, "_id"));
        cJSON_AddStringToObject(doc, "org_id", t->org_id);
        cJSON_AddStringToObject(doc, "environment", t->environment);
        if (!strcmp(scope, "linked_account"))
            cJSON_AddStringToObject(doc, "linked_account_id", la);
        if (!strcmp(scope, "workflow"))
            cJSON_AddStringToObject(doc, "workflow_id", workflow);
        cJSON_AddStringToObject(doc, "created_by", who);
        cJSON_AddStringToObject(doc, "createdAt", at);
    }
    if (json_bool(def, "encrypted", 0)) {
        char ct[64];
        ciphertext(ct);
        json_set(doc, "value", cJSON_CreateString(ct));
        json_set(doc, "plaintext", cJSON_CreateString(value)); /* mock-only, never sent */
    } else {
        json_set(doc, "value", cJSON_CreateString(value));
    }
    json_set(doc, "updated_by", cJSON_CreateString(who));
    json_set(doc, "updatedAt", cJSON_CreateString(at));
    int rc = store_put(m->store, t->id, KIND, json_str(doc, "_id"), NULL, doc);
    if (rc != 0 || store_commit(m->store) != 0) {
        if (rc != 0)
            store_rollback(m->store);
        cJSON_Delete(doc);
        return ENV_VARS_STORE_ERROR;
    }
    *out = value_view(doc, def, 1);
    cJSON_Delete(doc);
    return ENV_VARS_OK;
}

enum env_vars_outcome env_vars_get(struct mock *m, const struct tenant *t, const cJSON *def, const char *la,
                                   const char *workflow, cJSON **out)
{
    *out = NULL;
    enum env_vars_outcome named = scope_named(def, la, workflow);
    if (named != ENV_VARS_OK)
        return named;
    *out = find_value(m, t, def, scope_key(def, la, workflow));
    return *out ? ENV_VARS_OK : ENV_VARS_NOT_FOUND;
}

cJSON *env_vars_list_values(struct mock *m, const struct tenant *t, const char *scope, const char *def_id,
                            const char *la, const char *workflow, int offset, int limit, int *total)
{
    cJSON *all = store_list(m->store, t->id, KIND, NULL, NULL, NULL, 0, 0, NULL), *v;
    cJSON *docs = cJSON_CreateArray();
    *total = 0;
    cJSON_ArrayForEach(v, all) {
        const cJSON *def = env_vars_definition(m, t, json_str(v, "variable_definition_id"));
        if (!def || strcmp(json_str(def, "scope"), scope) || (*def_id && strcmp(json_str(def, "_id"), def_id)))
            continue;
        if (!strcmp(scope, "linked_account") && *la && strcmp(json_str(v, "linked_account_id"), la))
            continue;
        if (!strcmp(scope, "workflow") && strcmp(json_str(v, "workflow_id"), workflow))
            continue;
        if ((*total)++ >= offset && cJSON_GetArraySize(docs) < limit) {
            /* environment-variables/list-values.mdx: the list shows the definition populated,
             * "variable_definition_id": {"_id", "name", "scope", "encrypted"} (the write answers the id) */
            cJSON *o = value_view(v, def, 0), *ref = cJSON_CreateObject();
            cJSON_AddStringToObject(ref, "_id", json_str(def, "_id"));
            cJSON_AddStringToObject(ref, "name", json_str(def, "name"));
            cJSON_AddStringToObject(ref, "scope", json_str(def, "scope"));
            cJSON_AddBoolToObject(ref, "encrypted", json_bool(def, "encrypted", 0));
            json_set(o, "variable_definition_id", ref);
            cJSON_AddItemToArray(docs, o);
        }
    }
    cJSON_Delete(all);
    return docs;
}

int env_vars_delete(struct mock *m, const struct tenant *t, const char *id, const char *la, int own_only,
                    char *name, size_t n)
{
    store_begin(m->store);
    cJSON *doc = store_get(m->store, t->id, KIND, id);
    const char *owner = doc ? json_str(doc, "linked_account_id") : NULL;
    /* A linked account (token, or the header with a key) reaches only its own values. */
    int hidden = doc && *la && (own_only ? !owner || strcmp(owner, la) : owner && strcmp(owner, la));
    if (!doc || hidden) {
        cJSON_Delete(doc);
        store_rollback(m->store);
        return 1;
    }
    store_del(m->store, t->id, KIND, id);
    const cJSON *def = env_vars_definition(m, t, json_str(doc, "variable_definition_id"));
    snprintf(name, n, "%s", def ? json_str(def, "name") : "?");
    cJSON_Delete(doc);
    return store_commit(m->store) != 0 ? -1 : 0;
}

cJSON *env_vars_accounts_with(struct mock *m, const struct tenant *t, const char *name, const char *value)
{
    const cJSON *d, *def = NULL;
    cJSON_ArrayForEach(d, m->fx->env_definitions)
        if (!strcmp(json_str(d, "org_id") ? json_str(d, "org_id") : "", t->org_id) &&
            !strcmp(json_str(d, "name") ? json_str(d, "name") : "", name))
            def = d;
    if (!def || !json_str(def, "_id"))
        return NULL;
    cJSON *set = cJSON_CreateObject(), *vals = store_list(m->store, t->id, KIND, NULL,
                                                         "variable_definition_id", json_str(def, "_id"), 0, 0, NULL), *v;
    cJSON_ArrayForEach(v, vals) {
        /* encrypted values are compared with what was set, never with the ciphertext */
        const char *held = json_str(v, "plaintext") ? json_str(v, "plaintext") : json_str(v, "value");
        const char *owner = json_str(v, "linked_account_id");
        if (owner && held && (!*value || !strcmp(held, value)) && !cJSON_HasObjectItem(set, owner))
            cJSON_AddTrueToObject(set, owner);
    }
    cJSON_Delete(vals);
    return set;
}

void env_vars_forget_linked_account(struct mock *m, const struct tenant *t, const char *la)
{
    cJSON *values = store_list(m->store, t->id, KIND, NULL, "linked_account_id", la, 0, 0, NULL), *v;
    cJSON_ArrayForEach(v, values)
        store_del(m->store, t->id, KIND, json_str(v, "_id"));
    cJSON_Delete(values);
}
