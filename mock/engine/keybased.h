/* keybased.h: checking key-based credentials against an app's auth_input_map, the
 * one rule every key-based save follows (public API, frontend SDK, hosted connect form). */
#ifndef KEYBASED_H
#define KEYBASED_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* 0 when fields (an object) holds every required field of app's key-based auth as a non-empty
 * string or a number, and every given field of the map is a string, number or boolean.
 * Otherwise -1 and err names the first field at fault. Fields outside the map are kept. */
int keybased_validate(const cJSON *app, const cJSON *fields, char *err, size_t errlen);
/* The same check against any list of input fields ({name, label, required}), e.g. the fields a
 * client_credentials app takes (auth_type_options.oauth2). */
int keybased_validate_list(const cJSON *list, const cJSON *fields, char *err, size_t errlen);
/* The key-based field list of app (auth_type_options.keybased, else auth_input_map), or NULL. */
const cJSON *keybased_fields(const cJSON *app);

/* An app that connects with OAuth's client_credentials grant (grant_type): no window, the
 * customer's own client id and secret in a form (auth_type_options.oauth2). */
int keybased_client_credentials(const cJSON *app);
/* What a credentials form asks for: the client_credentials fields for such an app, else the
 * key-based ones; *auth_type (when not NULL) gets the connection's auth type. */
const cJSON *keybased_form_fields(const cJSON *app, const char **auth_type);
/* The name of a field whose value the simulated provider refuses (the fixture's
 * oauth.refused_secrets: a client_credentials token request answered invalid_client), or NULL. */
const char *keybased_refused(const cJSON *app, const cJSON *fields);

#endif
