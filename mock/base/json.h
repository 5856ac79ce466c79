/* json.h: typed field reads and set-or-replace over cJSON. */
#ifndef JSON_H
#define JSON_H

#include <cjson/cJSON.h>

/* cJSON helpers: string member or NULL; number member or def. */
const char *json_str(const cJSON *obj, const char *key);
double json_num(const cJSON *obj, const char *key, double def);
int json_bool(const cJSON *obj, const char *key, int def);
/* Adds or replaces obj[key]. */
void json_set(cJSON *obj, const char *key, cJSON *value);
/* Parses a NUL-terminated string; NULL when it is not JSON. */
cJSON *json_parse(const char *s);
/* Prints unformatted; caller frees with free(). */
char *json_print(const cJSON *v);
/* 1 when a is an array of strings only. */
int json_is_string_array(const cJSON *a);
/* Puts item at index at of arr (at >= size: appends). Instead of cJSON_InsertItemInArray, which in
 * libcjson 1.7.15 (Debian 12) drops an item inserted between two others and returns false. */
void json_insert(cJSON *arr, int at, cJSON *item);

/* Deepest nesting of '[' and '{' that a JSON text may have here. cJSON accepts 1000 levels, but
 * CivetWeb runs handlers on 100 KB stacks and cJSON parses, prints, copies and frees
 * recursively: ~360 levels overflow a worker's stack and kill the whole server. */
#define JSON_MAX_DEPTH 100
/* The deepest nesting in text (strings skipped): call before parsing JSON that came from a
 * client, including JSON carried inside a string field. */
int json_depth(const char *text, size_t len);

#endif
