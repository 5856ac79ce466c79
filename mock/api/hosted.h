/* hosted.h: what the hosted-connect API shares with the SDK routes: handing out consent URLs. */
#ifndef API_HOSTED_H
#define API_HOSTED_H

#include <cjson/cJSON.h>
#include "base/mock.h"

/* Answers {"auth_url": ...} for app slug and r's linked account: 404 for an unknown app, 400
 * when it has no OAuth2 or the optional redirect_url query is not an http(s) URL. Used by
 * GET oauth-url/{slug} (API key) and the SDK's GET /api/v1/{slug}/integrate (session token). */
int hosted_send_oauth_url(req *r, const char *slug);

/* The frontend SDK's connect, GET (fields in the query) or POST (fields in a JSON body) on
 * /api/v1/{slug}/integrate: the server resolves the app's grant. A redirect grant answers
 * {"auth_url"} as hosted_send_oauth_url does; a client_credentials app is connected here, with no
 * window: 400 when a required field of auth_type_options.oauth2 is missing (nothing changes),
 * {"connected": false} when the simulated provider refuses the credentials (the fixture's
 * oauth.refused_secrets), else the connection is made and {"connected": true}. */
int hosted_integrate(req *r, const char *slug, const cJSON *fields);

#endif
