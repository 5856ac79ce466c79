/* bench_util.h: what the libcurl bench programs share: a bounded response sink and a monotonic clock. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <string.h>
#include <time.h>

/* A response body, kept NUL-terminated up to the buffer (longer bodies are cut, still consumed). */
struct sink {
    char buf[65536];
    size_t len;
};

/* CURLOPT_WRITEFUNCTION for a struct sink. */
static inline size_t keep(char *p, size_t s, size_t n, void *u)
{
    struct sink *k = u;
    size_t take = s * n;
    if (k->len + take >= sizeof k->buf)
        take = sizeof k->buf - k->len - 1;
    memcpy(k->buf + k->len, p, take);
    k->len += take;
    k->buf[k->len] = 0;
    return s * n;
}

static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#endif
