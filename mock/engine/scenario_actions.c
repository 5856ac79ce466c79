/* scenario_actions.c: what each action of scenario_parse_actions does when its step fires, through
 * the same code as the API and admin calls (connections.c, webhooks.c, faults.c, overrides.c, the clock). */
#include "engine/scenario.h"
#include "base/json.h"
#include "engine/clock.h"
#include "engine/connections.h"
#include "engine/faults.h"
#include "engine/overrides.h"
#include "engine/session_tokens.h"
#include "base/store.h"
#include "base/util.h"
#include "engine/webhooks.h"
#include "engine/linked_accounts.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static cJSON *result(const char *action, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static cJSON *result(const char *action, int ok, const char *fmt, ...)
{
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "action", action);
    cJSON_AddBoolToObject(o, "ok", ok);
    cJSON_AddStringToObject(o, "detail", detail);
    return o;
}

static int times_of(const cJSON *a) { return (int)json_num(a, "times", 1); }

cJSON *scenario_actions_expire_connection(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *la = json_str(a, "linked_account_id"), *slug = json_str(a, "slug");
    const char *reason = json_str(a, "reason") ? json_str(a, "reason") : "expired";
    switch (connections_expire(m, t, la, slug, reason)) {
    case 0:
        return result(name, 1, "%s's %s connection expired (%s)", la, slug, reason);
    case 1:
        return result(name, 1, "%s's %s connection was already expired: nothing changed", la, slug);
    default:
        return result(name, 0, "%s has no %s connection", la, slug);
    }
}

cJSON *scenario_actions_connect(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *la = json_str(a, "linked_account_id"), *slug = json_str(a, "slug");
    if (connections_connect(m, t, la, slug, json_str(a, "auth_type"), cJSON_GetObjectItemCaseSensitive(a, "identifier"),
                           cJSON_GetObjectItemCaseSensitive(a, "credentials")) != 0)
        return result(name, 0, "cannot connect %s: linked account %s does not exist", slug, la);
    return result(name, 1, "%s connected %s", la, slug);
}

cJSON *scenario_actions_delete_connection(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *la = json_str(a, "linked_account_id"), *slug = json_str(a, "slug");
    if (connections_delete(m, t, la, slug) != 0)
        return result(name, 0, "%s has no %s connection", la, slug);
    return result(name, 1, "%s's %s connection deleted", la, slug);
}

/* Auth accepts only tokens still stored (session_tokens.c): revoking deletes access and refresh
 * token alike. */
cJSON *scenario_actions_revoke_session_tokens(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *la = json_str(a, "linked_account_id");
    int n = session_tokens_revoke_all(m, t, la);
    return result(name, 1, "revoked %d session token%s%s%s", n, n == 1 ? "" : "s", la ? " of " : "", la ? la : "");
}

static cJSON *fault(struct mock *m, const struct tenant *t, const cJSON *a, int is_delay)
{
    const char *name = json_str(a, "action");
    struct fault f;
    memset(&f, 0, sizeof f);
    util_copy(f.tenant, sizeof f.tenant, t->id);
    if (json_str(a, "method"))
        for (size_t i = 0; json_str(a, "method")[i] && i < sizeof f.method - 1; i++)
            f.method[i] = (char)toupper((unsigned char)json_str(a, "method")[i]);
    util_copy(f.path, sizeof f.path, json_str(a, "path"));
    f.times = times_of(a);
    if (is_delay) {
        f.delay_ms = (int)json_num(a, "ms", 0);
    } else {
        f.status = (int)json_num(a, "status", 500);
        f.retry_after = (int)json_num(a, "retry_after", 0);
        const cJSON *body = cJSON_GetObjectItemCaseSensitive(a, "body");
        if (json_str(body, "error_code"))
            util_copy(f.error_code, sizeof f.error_code, json_str(body, "error_code"));
        if (json_str(body, "message"))
            util_copy(f.message, sizeof f.message, json_str(body, "message"));
    }
    faults_add(m->faults, &f);
    char times[24];
    snprintf(times, sizeof times, f.times < 0 ? "until reset" : "%d time%s", f.times, f.times == 1 ? "" : "s");
    if (is_delay)
        return result(name, 1, "%s %s delayed %d ms, %s", f.method[0] ? f.method : "any", f.path, f.delay_ms, times);
    return result(name, 1, "%s %s answered %d, %s", f.method[0] ? f.method : "any", f.path, f.status, times);
}

cJSON *scenario_actions_fail_requests(struct mock *m, const struct tenant *t, const cJSON *a) { return fault(m, t, a, 0); }
cJSON *scenario_actions_delay_requests(struct mock *m, const struct tenant *t, const cJSON *a) { return fault(m, t, a, 1); }

cJSON *scenario_actions_set_action_result(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *slug = json_str(a, "slug"), *action = json_str(a, "action_id");
    int status = (int)json_num(a, "status", 200);
    if (overrides_set_action_result(m, t, slug, action, status, cJSON_GetObjectItemCaseSensitive(a, "body"), times_of(a)))
        return result(name, 0, "could not store the result");
    return result(name, 1, "next %d call%s of %s/%s answer %d", times_of(a), times_of(a) == 1 ? "" : "s", slug, action, status);
}

cJSON *scenario_actions_set_workflow_outcome(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *wf = json_str(a, "workflow_id") ? json_str(a, "workflow_id") : "*";
    const char *outcome = strcasecmp(json_str(a, "outcome"), "errored") ? "COMPLETED" : "ERRORED";
    if (overrides_set_workflow_outcome(m, t, wf, outcome, json_str(a, "message"), times_of(a)))
        return result(name, 0, "could not store the outcome");
    return result(name, 1, "next %d run%s of workflow %s end %s", times_of(a), times_of(a) == 1 ? "" : "s",
                  strcmp(wf, "*") ? wf : "(any)", outcome);
}

cJSON *scenario_actions_emit_webhook(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *event = json_str(a, "event"), *la = json_str(a, "linked_account_id");
    store_begin(m->store);
    webhooks_emit(m, t, event, la, cJSON_GetObjectItemCaseSensitive(a, "fields"));
    store_commit(m->store);
    webhooks_kick(m);
    return result(name, 1, "emitted %s for %s", event, la);
}

cJSON *scenario_actions_advance_clock(struct mock *m, const struct tenant *t, const cJSON *a)
{
    (void)t; /* the clock advanced is the tenant's: the step runs in its clock scope */
    const char *name = json_str(a, "action");
    double s = json_num(a, "seconds", 0);
    clock_advance(m, llround(s * 1000.0));
    return result(name, 1, "clock advanced %g s", s);
}

cJSON *scenario_actions_create_linked_account(struct mock *m, const struct tenant *t, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const char *la = json_str(a, "linked_account_id");
    int rc = linked_accounts_save(m, t, la, a, 0, NULL);
    if (rc < 0)
        return result(name, 0, "could not save linked account %s", la);
    return result(name, 1, "linked account %s %s", la, rc == 0 ? "created" : "updated");
}

cJSON *scenario_actions_run(struct mock *m, struct sc_script *s, const cJSON *a)
{
    const char *name = json_str(a, "action");
    const struct scenario_action *x = scenario_parse_action(name);
    if (!x) /* validation makes this unreachable */
        return result(name ? name : "", 0, "unknown action");
    return x->run(m, s->t, a);
}
