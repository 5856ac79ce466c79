/* raw.c: requests written byte for byte on a plain socket (see raw.h). */
#define _GNU_SOURCE
#include "raw.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int th_raw_connect(refold_mock *m)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)refold_mock_port(m)),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {20, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

th_resp th_raw_read(int fd)
{
    th_resp r;
    memset(&r, 0, sizeof r);
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap + 1);
    buf[0] = 0;
    for (;;) {
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = 0;
        char *end = strstr(buf, "\r\n\r\n"), *cl = strcasestr(buf, "Content-Length:");
        if (end && cl && got >= (size_t)(end + 4 - buf) + strtoul(cl + 15, NULL, 10))
            break;
        if (got == cap)
            break;
    }
    buf[got] = 0;
    if (got > 12 && !strncmp(buf, "HTTP/1.1 ", 9))
        r.status = strtol(buf + 9, NULL, 10);
    char *end = strstr(buf, "\r\n\r\n");
    r.headers = strndup(buf, end ? (size_t)(end - buf) + 2 : got);
    r.body = strdup(end ? end + 4 : "");
    r.json = cJSON_Parse(r.body);
    free(buf);
    return r;
}

th_resp th_raw_request(refold_mock *m, const char *bytes, size_t len, int shut)
{
    int fd = th_raw_connect(m);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, bytes + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer and close before reading it all */
        off += (size_t)n;
    }
    if (shut)
        shutdown(fd, SHUT_WR);
    th_resp r = th_raw_read(fd);
    close(fd);
    return r;
}

void th_assert_no_la(refold_mock *m, const char *key, const char *id)
{
    char *esc = curl_easy_escape(NULL, id, 0), path[512];
    snprintf(path, sizeof path, "/api/v2/public/linked-account/%s", esc);
    curl_free(esc);
    th_resp r = th_key(m, "GET", path, key, NULL, NULL);
    th_assert_error(&r, 404);
    th_free(&r);
}
