/* jwt.c: HS256 JSON Web Tokens (session tokens, connect links): sign and verify with libcrypto. */
#include "base/jwt.h"
#include "base/json.h"
#include "base/util.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* base64url without padding, on top of libcrypto's base64. */
static size_t b64url_encode(const unsigned char *in, size_t len, char *out)
{
    int n = EVP_EncodeBlock((unsigned char *)out, in, (int)len);
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = 0;
    for (int i = 0; i < n; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    return (size_t)n;
}

/* Returns the decoded length, or -1 when in is not base64url. out needs len*3/4 + 3 bytes. */
static int b64url_decode(const char *in, size_t len, unsigned char *out)
{
    if (len % 4 == 1)
        return -1;
    char *tmp = malloc(len + 4);
    size_t i;
    for (i = 0; i < len; i++) {
        char c = in[i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (c == '+' || c == '/' || c == '=') {
            free(tmp);
            return -1; /* standard-alphabet or padded input is not base64url */
        }
        tmp[i] = c;
    }
    size_t pad = (4 - len % 4) % 4;
    for (size_t p = 0; p < pad; p++)
        tmp[i++] = '=';
    int n = EVP_DecodeBlock(out, (unsigned char *)tmp, (int)i);
    free(tmp);
    return n < 0 ? -1 : n - (int)pad;
}

static void hs256(struct mock *m, const char *data, size_t len, unsigned char mac[32])
{
    unsigned int maclen = 32;
    HMAC(EVP_sha256(), m->jwt_secret, (int)strlen(m->jwt_secret), (const unsigned char *)data, len, mac, &maclen);
}

int jwt_sign(struct mock *m, const cJSON *claims, char *out, size_t n)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char *payload = cJSON_PrintUnformatted(claims);
    size_t plen = strlen(payload);
    size_t need = 4 * (sizeof header + plen + 32) / 3 + 16;
    if (need > n) {
        free(payload);
        return -1;
    }
    size_t off = b64url_encode((const unsigned char *)header, sizeof header - 1, out);
    out[off++] = '.';
    off += b64url_encode((const unsigned char *)payload, plen, out + off);
    free(payload);
    unsigned char mac[32];
    hs256(m, out, off, mac);
    out[off++] = '.';
    b64url_encode(mac, sizeof mac, out + off);
    return 0;
}

cJSON *jwt_decode(struct mock *m, const char *token, char *why, size_t n)
{
    const char *dot1 = token ? strchr(token, '.') : NULL;
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot1 || !dot2 || strchr(dot2 + 1, '.')) {
        snprintf(why, n, "not a JWT");
        return NULL;
    }
    size_t siglen = strlen(dot2 + 1);
    unsigned char sig[64], mac[32];
    if (siglen > 64 || b64url_decode(dot2 + 1, siglen, sig) != 32) {
        snprintf(why, n, "bad signature encoding");
        return NULL;
    }
    hs256(m, token, (size_t)(dot2 - token), mac);
    if (CRYPTO_memcmp(sig, mac, 32) != 0) {
        snprintf(why, n, "signature does not verify");
        return NULL;
    }
    /* The header must say HS256: a token claiming "none" or another algorithm is refused even
     * though its signature happened to verify with our key. */
    size_t hlen = (size_t)(dot1 - token), plen = (size_t)(dot2 - dot1 - 1);
    unsigned char *hbuf = malloc(hlen + 4), *pbuf = malloc(plen + 4);
    int hn = b64url_decode(token, hlen, hbuf), pn = b64url_decode(dot1 + 1, plen, pbuf);
    cJSON *claims = NULL;
    if (hn > 0 && pn > 0) {
        hbuf[hn] = 0;
        pbuf[pn] = 0;
        cJSON *hdr = cJSON_Parse((char *)hbuf);
        const char *alg = json_str(hdr, "alg");
        if (alg && !strcmp(alg, "HS256"))
            claims = cJSON_Parse((char *)pbuf);
        cJSON_Delete(hdr);
    }
    free(hbuf);
    free(pbuf);
    if (!cJSON_IsObject(claims)) {
        cJSON_Delete(claims);
        snprintf(why, n, "malformed header or claims");
        return NULL;
    }
    return claims;
}
