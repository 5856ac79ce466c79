/* scenario_parse.c: validates a scenario document (version 1) into a script, with one precise
 * message for the first problem: the file, the step, the field and why. */
#include "engine/scenario.h"
#include "base/json.h"
#include "engine/fixtures.h"
#include "base/util.h"
#include "engine/webhooks.h"
#include "engine/linked_accounts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_STEPS 200
#define MAX_ACTIONS 50
#define MAX_SECONDS (10.0 * 365 * 86400)

struct sc_check {
    const struct fixtures *fx;
    const struct tenant *t;
    const char *source;
    char *err;
    size_t errlen;
    int step;                /* index of the step being checked, -1 outside steps */
    const char *step_name;   /* its name when known */
    int action;              /* index in its "do", -1 outside */
    const char **las;        /* linked accounts known at this point of the story */
    int nlas, caplas;
};

static int fail(struct sc_check *c, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct sc_check *c, const char *field, const char *fmt, ...)
{
    char why[300], where[200] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (c->step >= 0 && c->step_name)
        snprintf(where, sizeof where, "step '%.64s' (steps[%d]): ", c->step_name, c->step);
    else if (c->step >= 0)
        snprintf(where, sizeof where, "steps[%d]: ", c->step);
    char act[32] = "";
    if (c->action >= 0)
        snprintf(act, sizeof act, "do[%d].", c->action);
    snprintf(c->err, c->errlen, "%s: %s%s%s: %s", c->source, where, act, field, why);
    return -1;
}

int scenario_parse_valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 63 || s[0] == '.' || s[0] == '-')
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return 0;
    return strstr(s, "..") == NULL;
}

static int only_fields(struct sc_check *c, const cJSON *obj, const char *prefix, const char *const *known)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, obj) {
        int ok = 0;
        for (int i = 0; known[i] && !ok; i++)
            ok = !strcmp(f->string, known[i]);
        if (!ok) {
            char field[128];
            snprintf(field, sizeof field, "%s%s", prefix, f->string);
            char list[300] = "";
            for (int i = 0; known[i]; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", known[i]);
            return fail(c, field, "unknown field (expected one of: %s)", list);
        }
    }
    return 0;
}

/* A string member: required or optional (NULL when absent). *bad is set on a type error. */
static const char *str_field(struct sc_check *c, const cJSON *obj, const char *key, int required, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            *bad = fail(c, key, "is required");
        return NULL;
    }
    if (!cJSON_IsString(v) || !*v->valuestring) {
        *bad = fail(c, key, "must be a non-empty string");
        return NULL;
    }
    return v->valuestring;
}

/* An integer member within [min,max]; def when absent. */
static int int_field(struct sc_check *c, const cJSON *obj, const char *key, long long min, long long max, long long def,
                     int required, long long *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            return fail(c, key, "is required");
        *out = def;
        return 0;
    }
    if (!cJSON_IsNumber(v) || isnan(v->valuedouble) || v->valuedouble != floor(v->valuedouble) ||
        v->valuedouble < (double)min || v->valuedouble > (double)max)
        return fail(c, key, "must be an integer from %lld to %lld", min, max);
    *out = (long long)v->valuedouble;
    return 0;
}

/* times: how many requests/calls an effect lasts; -1 = until the tenant is reset. */
static int times_field(struct sc_check *c, const cJSON *a)
{
    long long times = 0;
    if (int_field(c, a, "times", -1, 1000000, 1, 0, &times))
        return -1;
    if (times == 0)
        return fail(c, "times", "must be at least 1 (or -1 for until the tenant is reset)");
    return 0;
}

static int know_la(struct sc_check *c, const char *la)
{
    for (int i = 0; i < c->nlas; i++)
        if (!strcmp(c->las[i], la))
            return 0;
    if (c->nlas == c->caplas) {
        c->caplas = c->caplas ? 2 * c->caplas : 16;
        c->las = realloc(c->las, sizeof *c->las * (size_t)c->caplas);
    }
    c->las[c->nlas++] = la;
    return 0;
}

static int la_known(struct sc_check *c, const char *la)
{
    for (int i = 0; i < c->nlas; i++)
        if (!strcmp(c->las[i], la))
            return 1;
    return 0;
}

static void know_setup_las(struct sc_check *c, const cJSON *setup)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(setup, "linked_accounts")) {
        const char *id = json_str(e, "linked_account_id") ? json_str(e, "linked_account_id") : json_str(e, "account_id");
        if (id)
            know_la(c, id);
    }
}

static const char *la_field(struct sc_check *c, const cJSON *a, int required, int *bad)
{
    const char *la = str_field(c, a, "linked_account_id", required, bad);
    if (!la)
        return NULL;
    if (!linked_accounts_valid_id(la)) {
        *bad = fail(c, "linked_account_id", "'%s' is not a valid linked account id", la);
        return NULL;
    }
    if (!la_known(c, la)) {
        *bad = fail(c, "linked_account_id",
                    "unknown linked account '%s' (create it in setup.linked_accounts or with an earlier "
                    "create_linked_account action, or wait for its requests with after_requests.linked_account_id)",
                    la);
        return NULL;
    }
    return la;
}

static const cJSON *app_field(struct sc_check *c, const cJSON *a, int *bad)
{
    const char *slug = str_field(c, a, "slug", 1, bad);
    if (!slug)
        return NULL;
    const cJSON *app = fixtures_app(c->fx, slug);
    if (!app)
        *bad = fail(c, "slug", "unknown app '%s' (not in the fixtures' app catalogue)", slug);
    return app;
}

static int method_ok(const char *m)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", NULL};
    for (int i = 0; methods[i]; i++)
        if (!strcasecmp(m, methods[i]))
            return 1;
    return 0;
}

/* method + path of fail_requests / delay_requests / after_requests */
static int request_match_fields(struct sc_check *c, const cJSON *o, const char **method, const char **path)
{
    int bad = 0;
    *path = str_field(c, o, "path", 1, &bad);
    if (bad)
        return -1;
    if ((*path)[0] != '/')
        return fail(c, "path", "must start with '/' (a request path such as /api/v2/public/linked-account/*)");
    if (strlen(*path) > 255)
        return fail(c, "path", "is longer than 255 characters");
    *method = str_field(c, o, "method", 0, &bad);
    if (bad)
        return -1;
    if (*method && (!method_ok(*method) || strlen(*method) > 7))
        return fail(c, "method", "'%s' is not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD)", *method);
    return 0;
}

/* ---- one checker per action ---- */

static int check_expire(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    la_field(c, a, 1, &bad);
    if (!bad)
        app_field(c, a, &bad);
    const char *reason = bad ? NULL : str_field(c, a, "reason", 0, &bad);
    if (reason && strcmp(reason, "expired") && strcmp(reason, "revoked") && strcmp(reason, "uninstalled"))
        return fail(c, "reason", "'%s' is not one of expired, revoked, uninstalled", reason);
    return bad;
}

static int check_connection(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    la_field(c, a, 1, &bad);
    if (!bad)
        app_field(c, a, &bad);
    return bad;
}

static int check_connect(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    la_field(c, a, 1, &bad);
    const cJSON *app = bad ? NULL : app_field(c, a, &bad);
    const char *auth = bad ? NULL : str_field(c, a, "auth_type", 0, &bad);
    if (auth && strcmp(auth, "oauth2") && strcmp(auth, "keybased"))
        return fail(c, "auth_type", "'%s' is not oauth2 or keybased", auth);
    if (auth && !fixtures_app_supports(app, auth))
        return fail(c, "auth_type", "%s does not support %s", json_str(app, "slug"), auth);
    const cJSON *creds = cJSON_GetObjectItemCaseSensitive(a, "credentials");
    if (!bad && creds && !cJSON_IsObject(creds))
        return fail(c, "credentials", "must be an object");
    return bad;
}

static int check_revoke_tokens(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    la_field(c, a, 0, &bad);
    return bad;
}

static int check_fault(struct sc_check *c, const cJSON *a, int is_delay)
{
    const char *method, *path;
    long long v;
    if (request_match_fields(c, a, &method, &path) || times_field(c, a))
        return -1;
    if (is_delay)
        return int_field(c, a, "ms", 1, 60000, 0, 1, &v);
    if (int_field(c, a, "status", 400, 599, 0, 1, &v) || int_field(c, a, "retry_after", 0, 86400, 0, 0, &v))
        return -1;
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(a, "body");
    if (body) {
        static const char *const known[] = {"error_code", "message", NULL};
        if (!cJSON_IsObject(body))
            return fail(c, "body", "must be an object with error_code and/or message (the answer is Refold's error envelope)");
        if (only_fields(c, body, "body.", known))
            return -1;
        const cJSON *f;
        cJSON_ArrayForEach(f, body) {
            if (!cJSON_IsString(f) || !*f->valuestring || strlen(f->valuestring) > (strcmp(f->string, "message") ? 63u : 255u)) {
                char field[64];
                snprintf(field, sizeof field, "body.%s", f->string);
                return fail(c, field, "must be a non-empty string (up to %d characters)", strcmp(f->string, "message") ? 63 : 255);
            }
        }
    }
    return 0;
}

static int check_fail_requests(struct sc_check *c, const cJSON *a) { return check_fault(c, a, 0); }
static int check_delay_requests(struct sc_check *c, const cJSON *a) { return check_fault(c, a, 1); }

static int check_set_action_result(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    const cJSON *app = app_field(c, a, &bad);
    const char *action = bad ? NULL : str_field(c, a, "action_id", 1, &bad);
    if (bad)
        return -1;
    int found = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(app, "actions")) {
        const char *id = json_str(x, "action_id");
        found |= id && !strcmp(id, action);
    }
    if (!found)
        return fail(c, "action_id", "%s has no action '%s'", json_str(app, "slug"), action);
    long long v;
    if (int_field(c, a, "status", 100, 599, 200, 0, &v))
        return -1;
    return times_field(c, a);
}

static int workflow_exists(const struct fixtures *fx, const char *id)
{
    const cJSON *app;
    cJSON_ArrayForEach(app, fx->apps) {
        const cJSON *w;
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "config"), "workflows")) {
            const char *wid = json_str(w, "id");
            if (wid && !strcmp(wid, id))
                return 1;
        }
    }
    return 0;
}

static int check_set_workflow_outcome(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    const char *wf = str_field(c, a, "workflow_id", 0, &bad);
    if (wf && strcmp(wf, "*") && !workflow_exists(c->fx, wf))
        return fail(c, "workflow_id", "unknown workflow '%s' (not in any app's config.workflows)", wf);
    const char *outcome = bad ? NULL : str_field(c, a, "outcome", 1, &bad);
    if (outcome && strcasecmp(outcome, "errored") && strcasecmp(outcome, "completed"))
        return fail(c, "outcome", "'%s' is not errored or completed", outcome);
    if (!bad)
        str_field(c, a, "message", 0, &bad);
    return bad ? -1 : times_field(c, a);
}

static int check_emit_webhook(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    const char *ev = str_field(c, a, "event", 1, &bad);
    if (bad)
        return -1;
    char names[200];
    if (!webhooks_event_kind(ev))
        return fail(c, "event", "'%s' is not one of %s", ev, webhooks_event_names(0, names, sizeof names));
    la_field(c, a, 1, &bad);
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(a, "fields");
    if (!bad && fields && !cJSON_IsObject(fields))
        return fail(c, "fields", "must be an object (members added to the event's payload)");
    const char *slug = bad ? NULL : json_str(fields, "slug");
    if (slug && !fixtures_app(c->fx, slug))
        return fail(c, "fields.slug", "unknown app '%s'", slug);
    return bad;
}

static int check_advance_clock(struct sc_check *c, const cJSON *a)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "seconds");
    if (!s)
        return fail(c, "seconds", "is required");
    if (!cJSON_IsNumber(s) || isnan(s->valuedouble) || s->valuedouble <= 0 || s->valuedouble > MAX_SECONDS)
        return fail(c, "seconds", "must be a number above 0 and at most 315360000 (ten years)");
    return 0;
}

static int check_create_la(struct sc_check *c, const cJSON *a)
{
    int bad = 0;
    const char *la = str_field(c, a, "linked_account_id", 1, &bad);
    if (bad)
        return -1;
    if (!linked_accounts_valid_id(la))
        return fail(c, "linked_account_id", "'%s' is not a valid linked account id", la);
    char why[200];
    if (linked_accounts_validate_fields(a, why, sizeof why))
        return fail(c, strncmp(why, "udf", 3) ? "name" : "udf", "%s", why);
    know_la(c, la);
    return 0;
}

/* The one list of actions: validation reads its fields and check, a fired step its run
 * (scenario_actions.c). An action missing here is refused by name; one here runs. */
const struct scenario_action scenario_parse_actions[] = {
    {"expire_connection", {"action", "linked_account_id", "slug", "reason", NULL}, check_expire, scenario_actions_expire_connection},
    {"connect", {"action", "linked_account_id", "slug", "auth_type", "identifier", "credentials", NULL}, check_connect,
     scenario_actions_connect},
    {"delete_connection", {"action", "linked_account_id", "slug", NULL}, check_connection, scenario_actions_delete_connection},
    {"revoke_session_tokens", {"action", "linked_account_id", NULL}, check_revoke_tokens, scenario_actions_revoke_session_tokens},
    {"fail_requests", {"action", "method", "path", "status", "times", "body", "retry_after", NULL}, check_fail_requests,
     scenario_actions_fail_requests},
    {"delay_requests", {"action", "method", "path", "ms", "times", NULL}, check_delay_requests, scenario_actions_delay_requests},
    {"set_action_result", {"action", "slug", "action_id", "status", "body", "times", NULL}, check_set_action_result,
     scenario_actions_set_action_result},
    {"set_workflow_outcome", {"action", "workflow_id", "outcome", "message", "times", NULL}, check_set_workflow_outcome,
     scenario_actions_set_workflow_outcome},
    {"emit_webhook", {"action", "event", "linked_account_id", "fields", NULL}, check_emit_webhook, scenario_actions_emit_webhook},
    {"advance_clock", {"action", "seconds", NULL}, check_advance_clock, scenario_actions_advance_clock},
    {"create_linked_account", {"action", "linked_account_id", "name", "udf", NULL}, check_create_la,
     scenario_actions_create_linked_account},
    {NULL, {NULL}, NULL, NULL},
};

const struct scenario_action *scenario_parse_action(const char *name)
{
    for (const struct scenario_action *s = scenario_parse_actions; s->name && name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

static int check_action(struct sc_check *c, const cJSON *a)
{
    if (!cJSON_IsObject(a))
        return fail(c, "action", "each entry of \"do\" must be an object with an \"action\" member");
    int bad = 0;
    const char *name = str_field(c, a, "action", 1, &bad);
    if (bad)
        return -1;
    const struct scenario_action *spec = scenario_parse_action(name);
    if (!spec) {
        char list[400] = "";
        for (const struct scenario_action *s = scenario_parse_actions; s->name; s++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", s == scenario_parse_actions ? "" : ", ", s->name);
        return fail(c, "action", "unknown action '%s' (known: %s)", name, list);
    }
    if (only_fields(c, a, "", spec->fields))
        return -1;
    return spec->check(c, a);
}

static int check_trigger(struct sc_check *c, struct sc_step *st, const cJSON *when)
{
    static const char *const kinds[] = {"after_seconds", "after_requests", "manual", NULL};
    if (!when)
        return fail(c, "when", "is required: {\"after_seconds\": N}, {\"after_requests\": {...}} or {\"manual\": true}");
    if (!cJSON_IsObject(when))
        return fail(c, "when", "must be an object");
    if (only_fields(c, when, "when.", kinds))
        return -1;
    if (cJSON_GetArraySize(when) != 1)
        return fail(c, "when", "must hold exactly one trigger: after_seconds, after_requests or manual");
    const cJSON *v = when->child;
    if (!strcmp(v->string, "after_seconds")) {
        if (!cJSON_IsNumber(v) || isnan(v->valuedouble) || v->valuedouble < 0 || v->valuedouble > MAX_SECONDS)
            return fail(c, "when.after_seconds", "must be a number of virtual seconds from 0 to 315360000");
        st->kind = SC_AFTER_SECONDS;
        st->after_ms = llround(v->valuedouble * 1000.0);
        return 0;
    }
    if (!strcmp(v->string, "manual")) {
        if (!cJSON_IsTrue(v))
            return fail(c, "when.manual", "must be true (the step fires on POST /__mock/scenario/steps/{name})");
        st->kind = SC_MANUAL;
        return 0;
    }
    static const char *const req_fields[] = {"method", "path", "count", "linked_account_id", NULL};
    if (!cJSON_IsObject(v))
        return fail(c, "when.after_requests", "must be an object: {\"method\", \"path\", \"count\"}");
    if (only_fields(c, v, "when.after_requests.", req_fields))
        return -1;
    st->kind = SC_AFTER_REQUESTS;
    /* (str_field's own message is replaced: trigger fields are named with their prefix) */
    int bad = 0;
    const char *path = str_field(c, v, "path", 1, &bad);
    if (bad)
        return fail(c, "when.after_requests.path", "is required (a request path such as /api/v2/public/linked-account/*)");
    if (path[0] != '/' || strlen(path) > 255)
        return fail(c, "when.after_requests.path", "must start with '/' and be at most 255 characters");
    const char *method = str_field(c, v, "method", 0, &bad);
    if (bad || (method && !method_ok(method)))
        return fail(c, "when.after_requests.method", "must be an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD)");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(v, "count");
    if (n && (!cJSON_IsNumber(n) || n->valuedouble != floor(n->valuedouble) || n->valuedouble < 1 || n->valuedouble > 1000000))
        return fail(c, "when.after_requests.count", "must be an integer from 1 to 1000000");
    const char *la = str_field(c, v, "linked_account_id", 0, &bad);
    if (bad || (la && !linked_accounts_valid_id(la)))
        return fail(c, "when.after_requests.linked_account_id", "must be a valid linked account id");
    if (la) /* once one of its requests is answered, the account exists: later actions may name it */
        know_la(c, la);
    st->path = path;
    st->method = method;
    st->la = la;
    st->count = n ? (int)n->valuedouble : 1;
    return 0;
}

static int check_step(struct sc_check *c, struct sc_script *s, int i, const cJSON *step)
{
    static const char *const fields[] = {"name", "description", "when", "do", NULL};
    struct sc_step *st = &s->steps[i];
    c->step = i;
    c->step_name = NULL;
    c->action = -1;
    if (!cJSON_IsObject(step))
        return fail(c, "step", "must be an object with name, when and do");
    int bad = 0;
    const char *name = str_field(c, step, "name", 1, &bad);
    if (bad)
        return -1;
    c->step_name = name;
    if (!scenario_parse_valid_name(name))
        return fail(c, "name", "'%s' must be 1-63 letters, digits, '-', '_' or '.' (it is used in URLs)", name);
    for (int j = 0; j < i; j++)
        if (!strcmp(s->steps[j].name, name))
            return fail(c, "name", "duplicate step name (steps[%d] is also '%s')", j, name);
    if (only_fields(c, step, "", fields))
        return -1;
    st->name = name;
    st->description = str_field(c, step, "description", 0, &bad);
    if (bad)
        return -1;
    st->when = cJSON_GetObjectItemCaseSensitive(step, "when");
    if (check_trigger(c, st, st->when))
        return -1;
    const cJSON *todo = cJSON_GetObjectItemCaseSensitive(step, "do");
    if (!todo)
        return fail(c, "do", "is required (an array of actions; [] for a checkpoint)");
    if (!cJSON_IsArray(todo))
        return fail(c, "do", "must be an array of actions");
    if (cJSON_GetArraySize(todo) > MAX_ACTIONS)
        return fail(c, "do", "has more than %d actions", MAX_ACTIONS);
    st->actions = todo;
    const cJSON *a;
    int k = 0;
    cJSON_ArrayForEach(a, todo) {
        c->action = k++;
        if (check_action(c, a))
            return -1;
    }
    c->action = -1;
    st->armed_at_ms = st->fired_at_ms = -1;
    return 0;
}

static int check_top(struct sc_check *c, struct sc_script *s, const cJSON *doc, const struct tenant *fallback)
{
    static const char *const fields[] = {"version", "name", "description", "api_key", "setup", "steps", NULL};
    if (!cJSON_IsObject(doc))
        return fail(c, "(document)", "a scenario is a JSON object with name, setup and steps");
    if (only_fields(c, doc, "", fields))
        return -1;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "version");
    if (ver && !(cJSON_IsNumber(ver) && ver->valuedouble == 1))
        return fail(c, "version", "this mock reads version 1 scenarios");
    int bad = 0;
    s->name = str_field(c, doc, "name", 1, &bad);
    if (bad)
        return -1;
    if (!scenario_parse_valid_name(s->name))
        return fail(c, "name", "'%s' must be 1-63 letters, digits, '-', '_' or '.'", s->name);
    s->description = str_field(c, doc, "description", 0, &bad);
    const char *key = bad ? NULL : str_field(c, doc, "api_key", 0, &bad);
    if (bad)
        return -1;
    s->t = key ? fixtures_tenant_by_key(c->fx, key) : fallback;
    if (!s->t && key)
        return fail(c, "api_key", "'%s' is not an API key of the fixtures' orgs", key);
    if (!s->t)
        return fail(c, "api_key", "is required (the fixtures have no tenant to default to)");
    c->t = s->t;
    const cJSON *setup = cJSON_GetObjectItemCaseSensitive(doc, "setup");
    if (setup && !cJSON_IsObject(setup))
        return fail(c, "setup", "must be an object with linked_accounts, connections and webhooks");
    if (s->t->setup)
        know_setup_las(c, s->t->setup);
    know_setup_las(c, setup);
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(doc, "steps");
    if (!steps)
        return fail(c, "steps", "is required (an array; [] for a setup-only scenario)");
    if (!cJSON_IsArray(steps))
        return fail(c, "steps", "must be an array");
    if (cJSON_GetArraySize(steps) > MAX_STEPS)
        return fail(c, "steps", "has more than %d steps", MAX_STEPS);
    return 0;
}

struct sc_script *scenario_parse(cJSON *doc, const struct fixtures *fx, const struct tenant *fallback, const char *source,
                           char *err, size_t errlen)
{
    struct sc_script *s = calloc(1, sizeof *s);
    s->doc = doc;
    util_copy(s->source, sizeof s->source, source);
    struct sc_check c = {.fx = fx, .source = source, .err = err, .errlen = errlen, .step = -1, .action = -1};
    int rc = check_top(&c, s, doc, fallback);
    if (rc == 0) {
        const cJSON *steps = cJSON_GetObjectItemCaseSensitive(doc, "steps"), *step;
        s->nsteps = cJSON_GetArraySize(steps);
        s->steps = calloc((size_t)s->nsteps + 1, sizeof *s->steps);
        int i = 0;
        cJSON_ArrayForEach(step, steps) {
            if ((rc = check_step(&c, s, i++, step)) != 0)
                break;
        }
    }
    free(c.las);
    if (rc) {
        scenario_parse_free(s);
        return NULL;
    }
    return s;
}

void scenario_parse_free(struct sc_script *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nsteps && s->steps; i++)
        cJSON_Delete(s->steps[i].results);
    free(s->steps);
    cJSON_Delete(s->doc);
    free(s);
}
