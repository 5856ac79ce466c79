/* fuzz_client.c: the in-process mock and the socket client of the HTTP fuzz targets. */
#define _GNU_SOURCE
#include "fuzz_client.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static refold_mock *mock;
static int kept = -1;

refold_mock *fz_mock(void)
{
    if (mock)
        return mock;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.port = 0;
    o.quiet = 1;
    o.fixtures_dir = REFOLD_SOURCE_DIR "/fixtures";
    o.webhook_backoff_ms = 10;
    char err[512];
    mock = refold_mock_start(&o, err, sizeof err);
    if (!mock) {
        fprintf(stderr, "fuzz: cannot start the mock: %s\n", err);
        abort();
    }
    return mock;
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)refold_mock_port(fz_mock())),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {15, 0}; /* longer than any handler: no answer at all is a finding */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    /* libFuzzer's timer signals can interrupt connect(); the connection then completes in the
     * background, so wait for it instead of calling that a finding. */
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int err = errno;
        if (err == EINTR || err == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            socklen_t len = sizeof err;
            while (poll(&p, 1, 5000) < 0 && errno == EINTR)
                ;
            err = 0;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        }
        if (err) {
            errno = err;
            perror("fuzz: connect");
            abort();
        }
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int fz_raw(const char *bytes, size_t len, char *out, size_t outlen)
{
    int fd = dial();
    send_all(fd, bytes, len); /* the server may answer and close before reading everything */
    shutdown(fd, SHUT_WR);
    char buf[4096];
    ssize_t n;
    size_t got = 0;
    int status = 0;
    /* the first bytes of the answer are kept (status line, headers, the start of the body) */
    while ((n = recv(fd, buf + (got < sizeof buf - 1 ? got : 0), got < sizeof buf - 1 ? sizeof buf - 1 - got : sizeof buf - 1, 0)) > 0) {
        if (got < sizeof buf - 1)
            got += (size_t)n;
        if (!status && got >= 12 && !strncmp(buf, "HTTP/1.1 ", 9))
            status = atoi(buf + 9);
    }
    close(fd);
    if (out && outlen) {
        size_t k = got < outlen - 1 ? got : outlen - 1;
        memcpy(out, buf, k);
        out[k] = 0;
    }
    return status;
}

int fz_unexpected(int status, const char *answer)
{
    if (status != 500)
        return 0;
    /* The one 500 an API-reference page documents (auth-structure/get-auth-structure.mdx: an app
     * without an auth schema), which the mock answers as the page shows. */
    return !(answer && strstr(answer, "Schema not found for integration type"));
}

/* Reads one response with a Content-Length body from fd. */
static int read_response(int fd, char *out, size_t outlen, int *closes)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    int status = 0;
    *closes = 0;
    for (;;) {
        ssize_t n = recv(fd, buf + len, cap - len, 0);
        if (n <= 0) {
            *closes = 1;
            break;
        }
        len += (size_t)n;
        buf[len] = 0;
        char *end = strstr(buf, "\r\n\r\n");
        if (!end)
            continue;
        char *cl = strcasestr(buf, "\r\nContent-Length:");
        size_t need = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
        if (need > cap) {
            cap = need;
            buf = realloc(buf, cap + 1);
        }
        if (len >= need) {
            status = atoi(buf + 9);
            if (strcasestr(buf, "\r\nConnection: close") && strcasestr(buf, "\r\nConnection: close") < end)
                *closes = 1;
            if (out)
                snprintf(out, outlen, "%s", end + 4);
            break;
        }
    }
    free(buf);
    return status;
}

int fz_request(const char *method, const char *path, const char *headers, const char *body, size_t len, char *out,
               size_t outlen)
{
    char head[8192];
    int hl = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\n\r\n", method,
                      path, headers ? headers : "", len);
    if (hl < 0 || (size_t)hl >= sizeof head)
        return 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (kept < 0)
            kept = dial();
        if (send_all(kept, head, (size_t)hl) == 0 && send_all(kept, body, len) == 0) {
            int closes;
            int status = read_response(kept, out, outlen, &closes);
            if (closes) {
                close(kept);
                kept = -1;
            }
            if (status)
                return status;
        } else {
            close(kept);
            kept = -1;
        }
    }
    return 0;
}

static const char *find(const cJSON *v, const char *key)
{
    if (cJSON_IsObject(v)) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(v, key);
        if (cJSON_IsString(s))
            return s->valuestring;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, v) {
        const char *s = find(c, key);
        if (s)
            return s;
    }
    return NULL;
}

int fz_json_find(const char *json, const char *key, char *out, size_t n)
{
    cJSON *v = cJSON_Parse(json);
    const char *s = find(v, key);
    if (s)
        snprintf(out, n, "%s", s);
    cJSON_Delete(v);
    return s != NULL;
}
