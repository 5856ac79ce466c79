/* jwt.h: HS256 JSON Web Tokens, keyed by the mock's secret. */
#ifndef JWT_H
#define JWT_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Signs claims as an HS256 JWT into out. 0 on success. */
int jwt_sign(struct mock *m, const cJSON *claims, char *out, size_t n);
/* Checks the signature and shape; returns the claims (caller deletes) or NULL with why. Expiry
 * and revocation are not checked here: callers decide against the virtual clock and store. */
cJSON *jwt_decode(struct mock *m, const char *token, char *why, size_t n);

#endif
