/* http.h: reading requests and writing responses: JSON, the error envelope, CORS, query values. */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* The error codes, in one list. The envelope's error_code is Refold's own wherever an
 * API-reference page shows one, copied verbatim even where the pair looks odd; the mock's own
 * codes are for what only the mock has (the admin API, scenarios, injected faults, HTTP limits).
 *
 *  400 BAD_REQUEST              malformed JSON, a missing or mistyped field (the message says which);
 *                               HTTP framing (RFC 9112) and a "*" request target (OPTIONS *)
 *  400 INVALID_LINKED_ACCOUNT_ID, INVALID_WORKFLOW_ID, INVALID_EVENT, MISSING_CREDENTIALS,
 *      APP_NOT_CONNECTED        as the linked-account, workflow, webhook and credential pages show
 *  400 RESOURCE_NOT_FOUND       an unknown webhook id: Refold answers 400, not 404 (webhook pages)
 *  400 SERVER_ERROR             Refold's own 400s typed SERVER_ERROR ("Workflow ID and slug are
 *                               required", tables, datastores): on purpose, as the pages show
 *  401 SERVER_ERROR             a wrong x-api-key: "Invalid Credentials" (every page's 401)
 *  401 INVALID_TOKEN            a bad, expired or revoked session token ("Invalid token") and a
 *                               missing one ("Authorization Token Missing"); AUTH_SERVICE_ERROR
 *                               for the same on the workflow service's routes (publish page)
 *  401 REAUTH_REQUIRED          an expired connection: the customer must reconnect
 *  401 MISSING_TOKEN, MISSING_SERVER_ID   the MCP endpoint (docs/mcp/authentication)
 *  401 INVALID_ADMIN_TOKEN      /__mock with --admin-token and none or a wrong one
 *  403 FORBIDDEN, INVALID_TOKEN an MCP token of another tenant, revoked or invalid; /__mock from
 *                               a foreign Host or Origin
 *  404 NOT_FOUND                no such route, or an unknown id on the mock's own routes
 *  404 RESOURCE_NOT_FOUND, INVALID_APP_ID, INVALID_LINKED_ACCOUNT_ID, MISSING_REQUIRED_FIELD
 *                               unknown ids, each family as its page shows
 *  404 SERVER_ERROR             an unknown action ("Action x not found in Application y") or
 *                               config: Refold's pairing, on purpose
 *  404 EXTERNAL_API_ERROR / EXTERNAL_API_FAILURE   an unknown application (its page's envelope)
 *  404 SCENARIO_NOT_FOUND       /__mock/scenario with a name that is not shipped
 *  405 METHOD_NOT_ALLOWED       with an Allow header
 *  408 WAIT_TIMEOUT             wait_ms ran out before count entries matched
 *  429 TOO_MANY_WAITERS         64 requests wait with wait_ms already (admin/admin_wait.h)
 *  409 LINKED_ACCOUNT_EXISTS, EVENT_EXISTS, DATAREF_EXISTS, PAT_EXISTS, ALREADY_EXPIRED
 *  413 PAYLOAD_TOO_LARGE, 414 URI_TOO_LONG, 415 UNSUPPORTED_MEDIA_TYPE (admin writes that are not
 *      JSON), 431 REQUEST_HEADER_FIELDS_TOO_LARGE
 *  421 MISDIRECTED_REQUEST      an absolute-form target naming another port (not a proxy)
 *  417 EXPECTATION_FAILED       an Expect header other than 100-continue
 *  508 LOOP_DETECTED            one of the mock's own webhook deliveries arriving back at it
 *  400 INVALID_SCENARIO, INVALID_FIXTURES   a scenario or fixture that does not validate
 *  4xx/5xx INJECTED_FAULT       a fault a scenario or the admin API injected (status as asked)
 *  500 SERVER_ERROR             the store refused a write (nothing of the request is kept), and
 *                               the auth-structure page's 500 for an unknown slug
 *  501 NOT_IMPLEMENTED          a route in the table without a handler
 *  502 UPSTREAM_UNREACHABLE, UPSTREAM_RESET, UPSTREAM_BAD_ANSWER, UPSTREAM_TLS, UPSTREAM_TOO_LARGE,
 *  504 UPSTREAM_TIMEOUT         proxy mode (--upstream, proxy.c): the upstream failed to answer
 */

/* Sends value as JSON with status and frees it. Returns status. */
int http_json(req *r, int status, cJSON *value);
/* Sends a body of any type. Returns status. */
int http_send(req *r, int status, const char *content_type, const char *body, size_t len);
/* THE error path: Refold's envelope
 * {"status_code","http_error_type","error_code","error","message","request_id"}. Returns status. */
int http_error(req *r, int status, const char *error_code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a response header for this request ("Name: value"). */
void http_add_header(req *r, const char *name, const char *value);

/* Runs c (struct subcall, mock.h) as a request inside r, through the dispatcher's own steps;
 * returns c->status, the answer in c (free c->answer). A handler that serves another route's
 * operation calls this, never that route's handler. */
int http_subrequest(req *r, struct subcall *c);
/* Sends c's answer as r's (status, body, content type, extra headers) and frees it. */
int http_relay(req *r, struct subcall *c);

/* The reason phrase CivetWeb sends for status (the SDK throws it as statusText). */
const char *http_reason(int status);
/* The same envelope with the page's message verbatim and the details in "hint". */
int http_error_hint(req *r, int status, const char *error_code, const char *message, const char *hint_fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Every field chosen: type (NULL: the status's), error (NULL: error_code), hint (NULL: none).
 * For the pages whose envelope differs from the usual one (e.g. a 404 typed EXTERNAL_API_ERROR). */
int http_error_env(req *r, int status, const char *type, const char *error_code, const char *error,
                   const char *message, const char *hint);
/* The envelope's http_error_type for a status: "NOT_FOUND", ... */
const char *http_error_type(int status);

/* Request header value or NULL. */
const char *http_header(req *r, const char *name);
/* Query parameter, URL-decoded into out; 1 when present. */
int http_query(req *r, const char *name, char *out, size_t n);
/* Every query parameter, URL-decoded, as an object of strings (the last of a repeated name wins;
 * caller deletes). For clients that send a form's fields in the query. */
cJSON *http_query_object(req *r);
/* Query parameter as an integer within [min,max], or def when absent; -1 + 400 sent when invalid. */
int http_query_int(req *r, const char *name, long def, long min, long max, long *out);
struct pattern;
/* Query parameter as a client regular expression (pattern.h) compiled into *p: 1 when compiled
 * (pattern_free it), 0 when absent or empty, -1 + 400 sent when it breaks a limit or does not
 * compile. Read whole: a value too long for a fixed buffer is refused, not dropped. */
int http_query_pattern(req *r, const char *name, struct pattern *p);


/* 1 when a JSON string in text holds the escape \u0000: cJSON would cut the string there
 * ("victim\u0000y" would name "victim"), so such bodies are refused. */
int http_json_nul_escape(const char *text, size_t len);

/* The PaginationMetadata of the spec for total docs and page/limit. */
void http_add_pagination(cJSON *obj, int total, int page, int limit);

/* Body member helpers that answer 400 themselves when the member is missing or mistyped:
 * they return NULL (and the handler returns r->status). */
const char *http_body_str(req *r, const char *key);
const cJSON *http_body_obj(req *r, const char *key);
const cJSON *http_body_array(req *r, const char *key);
/* The body itself must be an object: 400 otherwise (returns 0 when it answered). */
int http_need_object(req *r);

/* 404 INVALID_LINKED_ACCOUNT_ID for r->la in r->t's environment: what auth answers for an unknown
 * linked account, and what a handler answers when it finds the account gone since (a DELETE
 * racing the request). Returns 404. */
int http_no_linked_account(req *r);

#endif
