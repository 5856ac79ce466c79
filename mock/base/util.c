/* util.c: ids from libcrypto randomness (or a seeded deterministic generator), timestamp formats, string and cJSON conveniences. */
#define _GNU_SOURCE
#include "base/util.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/asn1.h> /* UTF8_getc */
#include <openssl/rand.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>

/* The one generator of ids, tokens and secrets. Seeded, it is HMAC-SHA256(seed, counter) (the
 * DRBG of --seed): the same seed and the same order of draws give the same bytes, so two runs
 * of a test suite answer byte for byte alike. Process-wide, like the randomness it replaces. */
static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static char *rng_seed;
static unsigned long long rng_counter;

void util_seed(const char *seed)
{
    pthread_mutex_lock(&rng_lock);
    free(rng_seed);
    rng_seed = seed ? strdup(seed) : NULL;
    rng_counter = 0;
    pthread_mutex_unlock(&rng_lock);
}

void util_random_bytes(unsigned char *out, size_t n)
{
    pthread_mutex_lock(&rng_lock);
    if (!rng_seed) {
        pthread_mutex_unlock(&rng_lock);
        if (RAND_bytes(out, (int)n) != 1)
            abort(); /* no randomness means no safe tokens: refuse to go on */
        return;
    }
    while (n > 0) {
        unsigned char block[EVP_MAX_MD_SIZE], ctr[8];
        unsigned int len = 0;
        for (int i = 0; i < 8; i++)
            ctr[i] = (unsigned char)(rng_counter >> (56 - 8 * i));
        rng_counter++;
        if (!HMAC(EVP_sha256(), rng_seed, (int)strlen(rng_seed), ctr, sizeof ctr, block, &len))
            abort();
        size_t take = n < len ? n : len;
        memcpy(out, block, take);
        out += take;
        n -= take;
    }
    pthread_mutex_unlock(&rng_lock);
}

void util_random_hex(char *out, size_t nbytes)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char buf[64];
    if (nbytes > sizeof buf)
        nbytes = sizeof buf;
    util_random_bytes(buf, nbytes);
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[2 * nbytes] = 0;
}

void util_new_id(char out[25]) { util_random_hex(out, 12); }

long long util_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void util_iso8601(long long ms, char out[32])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

void util_rfc1123(long long ms, char out[40])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

long long util_parse_iso8601(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s)
        return -1;
    const char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return -1;
    int ms = 0;
    if (*rest == '.') {
        rest++;
        int digits = 0;
        while (*rest >= '0' && *rest <= '9') {
            if (digits < 3)
                ms = ms * 10 + (*rest - '0');
            digits++;
            rest++;
        }
        while (digits > 0 && digits < 3) {
            ms *= 10;
            digits++;
        }
    }
    if (*rest == 'Z')
        rest++;
    if (*rest)
        return -1;
    return (long long)timegm(&tm) * 1000 + ms;
}

int util_copy(char *dst, size_t n, const char *src)
{
    if (!n)
        return 0;
    size_t len = src ? strlen(src) : 0;
    if (len >= n) {
        memcpy(dst, src, n - 1);
        dst[n - 1] = 0;
        return 0;
    }
    if (len)
        memcpy(dst, src, len);
    dst[len] = 0;
    return 1;
}

cJSON *util_parse_json_named(const char *text, const char *name, char *err, size_t errlen)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(text, &end, 1);
    if (doc)
        return doc;
    /* cJSON reports where it stopped; count lines up to there for a message a person can use. */
    int line = 1;
    const char *at = end ? end : text;
    for (const char *p = text; p < at && *p; p++)
        if (*p == '\n')
            line++;
    const char *near = *at ? at : "end of file";
    int len = (int)strcspn(near, "\r\n"); /* the message stays on one line */
    snprintf(err, errlen, "%s: line %d: invalid JSON near '%.*s'", name, line, len > 20 ? 20 : len, near);
    return NULL;
}

cJSON *util_read_json_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = 0;
    if (strlen(buf) != len) {
        snprintf(err, errlen, "%s: contains a NUL byte", path);
        free(buf);
        return NULL;
    }
    cJSON *doc = util_parse_json_named(buf, path, err, errlen);
    free(buf);
    return doc;
}

static int path_match(const char *pattern, const char *path);

/* A trailing slash on the request path is the same route as none (routes_match cuts it too). */
int util_path_match(const char *pattern, const char *path)
{
    size_t n = strlen(path);
    if (n > 1 && path[n - 1] == '/') {
        char *trimmed = strndup(path, n - 1);
        int hit = trimmed && path_match(pattern, trimmed);
        free(trimmed);
        return hit;
    }
    return path_match(pattern, path);
}

static int path_match(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (pattern[0] == '*' && (pattern[1] == '/' || pattern[1] == 0)) {
            if (pattern[1] == 0)
                return *path != '/' || path[1] != 0; /* the rest, at least one segment */
            const char *slash = strchr(path, '/');
            if (!slash || slash == path)
                return 0;
            path = slash;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    if (pattern[0] == '*' && pattern[1] == 0)
        return 0; /* a final star needs a segment after the slash before it */
    return *pattern == 0 && *path == 0;
}

/* UTF-8 as JSON needs it: no overlong forms, surrogates or code points past U+10FFFF.
 * Decoding is libcrypto's UTF8_getc; the checks on the value are what it leaves to callers. */
int util_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    while (n) {
        if (*p < 0x80) { /* the common case, without a call */
            p++;
            n--;
            continue;
        }
        unsigned long v;
        int k = UTF8_getc(p, n > INT32_MAX ? INT32_MAX : (int)n, &v);
        if (k <= 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* Here rather than in http.c: the engine names a status in its messages and speaks no HTTP. */
const char *util_status_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Entity";
    case 424: return "Failed Dependency";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 508: return "Loop Detected";
    case 505: return "HTTP Version Not Supported";
    default: return status < 400 ? "OK" : "Error";
    }
}
