/* scenario_story.h: what the shipped-scenario tests share: load a scenario with a loopback
 * webhook receiver subscribed, move the virtual clock, fire steps, and assert the step states,
 * the connection states and each webhook (payload, virtual-clock time, signature) as it arrives. */
#ifndef SCENARIO_STORY_H
#define SCENARIO_STORY_H

#include "harness.h"
#include "receiver.h"

#define ACME "tk_acme_test"
#define ACME_ORG "645270e37917442c4307297a"

struct story {
    refold_mock *m;
    rcv *rx;
    int seen;            /* webhooks checked so far */
    long long loaded_ms; /* virtual time the scenario was loaded */
};

/* Starts a mock and a receiver, and loads the shipped scenario `name` with the receiver
 * subscribed to every event (POST /__mock/scenario {"name", "webhooks"}). */
void story_start(struct story *s, const char *name);
/* Stops the mock and the receiver. */
void story_stop(struct story *s);
/* GET /__mock/scenario (caller deletes). */
cJSON *story_status(struct story *s);
/* Asserts step `name` is in `state` ("fired", "armed", "pending"); returns when it fired (ms, or -1). */
long long story_step(struct story *s, const char *name, const char *state);
/* Asserts every step has fired and none is armed. */
void story_finished(struct story *s);
/* Moves the virtual clock (POST /__mock/clock/advance), asserting a 200. */
void story_advance(struct story *s, double seconds);
/* Fires a step by hand (POST /__mock/scenario/steps/{step}), asserting a 200. */
void story_fire(struct story *s, const char *step);
/* The admin view of la's connection to slug (caller deletes): status, reason, expiries. */
cJSON *story_connection(struct story *s, const char *la, const char *slug);
/* Asserts the connection's state as the public API shows it (GET application/{slug}) and as the
 * admin view shows it (status and reason; reason NULL = active). */
void story_assert_connection(struct story *s, const char *la, const char *slug, const char *reason);
/* Waits for the next webhook and checks it: event, linked account, slug (NULL: none expected),
 * the org and environment, the signature (HMAC-SHA256 of the raw body keyed with the API key,
 * computed by the openssl CLI) and, for connection events, createdAt = the virtual time at_ms.
 * Returns the parsed payload (caller deletes). */
cJSON *story_webhook(struct story *s, const char *event, const char *la, const char *slug, long long at_ms);
/* story_webhook without the payload. */
void story_webhook_checked(struct story *s, const char *event, const char *la, const char *slug, long long at_ms);
/* Every delivery has settled and nothing arrived beyond what was checked. */
void story_no_more_webhooks(struct story *s);
/* Executes app action slug/action for la with body; returns the response (caller frees). */
th_resp story_action(struct story *s, const char *la, const char *slug, const char *action, const char *body);

#endif

