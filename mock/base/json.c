/* json.c: small readers and writers over cJSON that every layer uses (typed field reads, set-or-replace). */
#include "base/json.h"

#include <string.h>

const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double json_num(const cJSON *obj, const char *key, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

int json_bool(const cJSON *obj, const char *key, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

void json_set(cJSON *obj, const char *key, cJSON *value)
{
    if (cJSON_HasObjectItem(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value);
    else
        cJSON_AddItemToObject(obj, key, value);
}

cJSON *json_parse(const char *s) { return s ? cJSON_Parse(s) : NULL; }

char *json_print(const cJSON *v) { return cJSON_PrintUnformatted(v); }

int json_is_string_array(const cJSON *a)
{
    const cJSON *e;
    if (!cJSON_IsArray(a))
        return 0;
    cJSON_ArrayForEach(e, a) if (!cJSON_IsString(e)) return 0;
    return 1;
}

void json_insert(cJSON *arr, int at, cJSON *item)
{
    /* the items from at on move behind the new one: detach them, append it, append them back */
    cJSON *tail = cJSON_CreateArray();
    while (cJSON_GetArraySize(arr) > at)
        cJSON_AddItemToArray(tail, cJSON_DetachItemFromArray(arr, at));
    cJSON_AddItemToArray(arr, item);
    while (cJSON_GetArraySize(tail) > 0)
        cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(tail, 0));
    cJSON_Delete(tail);
}

int json_depth(const char *s, size_t n)
{
    int depth = 0, max = 0, in_string = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}
