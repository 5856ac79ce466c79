/* hosted.h: what the hosted-connect API shares with the SDK routes: handing out consent URLs. */
#ifndef API_HOSTED_H
#define API_HOSTED_H

#include "mock.h"

/* Answers {"auth_url": ...} for app slug and r's linked account: 404 for an unknown app, 400
 * when it has no OAuth2 or the optional redirect_url query is not an http(s) URL. Used by
 * GET oauth-url/{slug} (API key) and the SDK's GET /api/v1/{slug}/integrate (session token). */
int hosted_send_oauth_url(req *r, const char *slug);

#endif
