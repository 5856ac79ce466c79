/* http.h: reading requests and writing responses: JSON, the error envelope, CORS, query values. */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mock.h"

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
/* Query parameter as an integer within [min,max], or def when absent; -1 + 400 sent when invalid. */
int http_query_int(req *r, const char *name, long def, long min, long max, long *out);

/* Deepest nesting of '[' and '{' that a JSON text may have here. cJSON accepts 1000 levels, but
 * CivetWeb runs handlers on 100 KB stacks and cJSON parses, prints, copies and frees
 * recursively: ~360 levels overflow a worker's stack and kill the whole server. */
#define HTTP_MAX_JSON_DEPTH 100
/* The deepest nesting in text (strings skipped): call before parsing JSON that came from a
 * client, including JSON carried inside a string field. */
int http_json_depth(const char *text, size_t len);

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

#endif
