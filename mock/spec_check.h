/* spec_check.h: request bodies checked against the request schemas of Refold's OpenAPI spec. */
#ifndef SPEC_CHECK_H
#define SPEC_CHECK_H

#include <cjson/cJSON.h>

/* The violations of body against the request schema of operationId (unknown fields, type
 * mismatches, missing required fields, enum and format breaks), as a new array of strings such
 * as "body.name: expected string, got number"; NULL when there are none or the spec has no JSON
 * schema for the operation. operation_id must not change while the process runs (a route
 * table's string): the lookup is kept per thread by its address. */
cJSON *spec_check_body(const char *operation_id, const cJSON *body);

/* NULL when every entry of the "requests" list of tests/contract/overrides.json (fields Refold
 * accepts beyond the spec, learnt by the check) applied; else what did not. */
const char *spec_check_overrides_problem(void);

#endif
