/* fuzz_jwt.c: libFuzzer target for session-token parsing: jwt_decode() on any bytes, with the
 * secret the seed tokens were signed with, so mutations of valid tokens reach the claims. */
#include "engine/auth.h"
#include "base/jwt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The seeds in seeds/jwt are HS256 tokens signed with this key. */
#define SEED_SECRET "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct mock m;
    memcpy(m.jwt_secret, SEED_SECRET, sizeof SEED_SECRET);
    char *token = malloc(size + 1);
    memcpy(token, data, size);
    token[size] = 0;
    char why[128] = "";
    cJSON *claims = jwt_decode(&m, token, why, sizeof why);
    if (claims) {
        /* What verified must sign back to a token that verifies again. */
        char again[4096];
        if (jwt_sign(&m, claims, again, sizeof again) == 0) {
            cJSON *c2 = jwt_decode(&m, again, why, sizeof why);
            if (!c2)
                abort();
            cJSON_Delete(c2);
        }
        cJSON_Delete(claims);
    } else if (!why[0]) {
        abort(); /* a refusal must say why */
    }
    free(token);
    return 0;
}
