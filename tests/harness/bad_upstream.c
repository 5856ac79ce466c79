/* bad_upstream.c: the misbehaving upstream of the proxy tests (one thread per connection). */
#include "bad_upstream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 256

struct bad_upstream {
    int fd, port, stop_pipe[2];
    pthread_t acceptor;
    pthread_t conns[MAX_CONNS];
    int nconns;
    int requests; /* atomic */
    pthread_mutex_t lock;
};

struct conn {
    bad_upstream *b;
    int fd;
};

static void send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        c += w;
        n -= (size_t)w;
    }
}

static void send_str(int fd, const char *s) { send_all(fd, s, strlen(s)); }

/* Reads one request (head and Content-Length body) into a malloc'd buffer; NULL on EOF. */
static char *read_request(int fd, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    char *end = NULL;
    while (!end) {
        if (n == cap) {
            free(buf);
            return NULL;
        }
        ssize_t r = recv(fd, buf + n, cap - n, 0);
        if (r <= 0) {
            free(buf);
            return NULL;
        }
        n += (size_t)r;
        buf[n] = 0;
        end = strstr(buf, "\r\n\r\n");
    }
    size_t head = (size_t)(end + 4 - buf), want = 0;
    for (char *p = buf; p < end; p = strstr(p, "\r\n") + 2) {
        if (!strncasecmp(p, "Content-Length:", 15))
            want = strtoul(p + 15, NULL, 10);
        if (!strstr(p, "\r\n"))
            break;
    }
    if (head + want > cap) {
        cap = head + want;
        buf = realloc(buf, cap + 1);
    }
    while (n < head + want) {
        ssize_t r = recv(fd, buf + n, head + want - n, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static void answer(int fd, const char *status, const char *type, const char *extra, const char *body, size_t len)
{
    char head[1024];
    snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
             status, type, len, extra ? extra : "");
    send_str(fd, head);
    send_all(fd, body, len);
}

static void *serve(void *arg)
{
    struct conn *c = arg;
    size_t len = 0;
    char *req = read_request(c->fd, &len);
    if (!req)
        goto done;
    __atomic_add_fetch(&c->b->requests, 1, __ATOMIC_RELAXED);
    char path[256] = "";
    sscanf(req, "%*s %255s", path);
    char *q = strchr(path, '?');
    if (q)
        *q = 0;
    if (!strcmp(path, "/api/v2/public/slow")) {
        struct pollfd p = {c->fd, POLLIN, 0};
        poll(&p, 1, 20000); /* until the client closes (the proxy's timeout), at most 20 s */
    } else if (!strcmp(path, "/api/v2/public/reset")) {
        send_str(c->fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"partial\":");
        struct linger l = {1, 0}; /* close with RST, mid-body */
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    } else if (!strcmp(path, "/api/v2/public/garbage")) {
        send_str(c->fd, "SSH-2.0-OpenSSH_9.2\r\n\x01\x02 this is not HTTP\r\n\r\n");
    } else if (!strcmp(path, "/api/v2/public/chunked")) {
        send_str(c->fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        const char *body = BU_CHUNKED_BODY;
        size_t bl = strlen(body), parts[3] = {10, 17, bl - 27}, off = 0;
        for (int i = 0; i < 3; i++) {
            char sz[32];
            snprintf(sz, sizeof sz, "%zx\r\n", parts[i]);
            send_str(c->fd, sz);
            send_all(c->fd, body + off, parts[i]);
            send_str(c->fd, "\r\n");
            off += parts[i];
        }
        send_str(c->fd, "0\r\n\r\n");
    } else if (!strcmp(path, "/api/v2/public/unavailable")) {
        answer(c->fd, "503 Service Unavailable", "application/json", "Retry-After: 7\r\n", BU_503_BODY, strlen(BU_503_BODY));
    } else if (!strcmp(path, "/api/v2/public/big")) {
        unsigned char *big = malloc(BU_BIG_LEN);
        for (size_t i = 0; i < BU_BIG_LEN; i++)
            big[i] = bu_big_byte(i);
        answer(c->fd, "200 OK", "application/octet-stream", NULL, (const char *)big, BU_BIG_LEN);
        free(big);
    } else if (!strcmp(path, "/api/v2/public/hop")) {
        char head[1024];
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 Fine Thanks\r\nContent-Type: application/vnd.refold+json\r\nKeep-Alive: timeout=5\r\n"
                 "Proxy-Authenticate: Basic realm=x\r\nUpgrade: h2c\r\nTrailer: X-Checksum\r\nX-Custom: a  b\r\n"
                 "Set-Cookie: s=1\r\nSet-Cookie: t=2\r\nX-Hop-Only: 1\r\nContent-Length: %zu\r\nConnection: close, X-Hop-Only\r\n\r\n%s",
                 strlen(BU_HOP_BODY), BU_HOP_BODY);
        send_str(c->fd, head);
    } else if (!strcmp(path, "/api/v2/public/nocontent")) {
        send_str(c->fd, "HTTP/1.1 204 No Content\r\nX-Deleted: yes\r\nConnection: close\r\n\r\n");
    } else if (!strcmp(path, "/api/v2/public/echo")) {
        answer(c->fd, "200 OK", "text/plain", NULL, req, len);
    } else if (!strcmp(path, "/api/v2/public/brand-new-route")) {
        const char *body = "{\"items\":[{\"id\":\"6a0000000000000000000001\",\"kind\":\"new\"}]}";
        answer(c->fd, "200 OK", "application/json", NULL, body, strlen(body));
    } else {
        const char *body = "{\"status_code\":404,\"http_error_type\":\"NOT_FOUND\",\"error_code\":\"NOT_FOUND\","
                           "\"error\":\"NOT_FOUND\",\"message\":\"no such route\"}";
        answer(c->fd, "404 Not Found", "application/json", NULL, body, strlen(body));
    }
    free(req);
done:
    close(c->fd);
    free(c);
    return NULL;
}

static void *accept_loop(void *arg)
{
    bad_upstream *b = arg;
    for (;;) {
        struct pollfd p[2] = {{b->fd, POLLIN, 0}, {b->stop_pipe[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 || p[1].revents)
            return NULL;
        int fd = accept(b->fd, NULL, NULL);
        if (fd < 0)
            continue;
        struct conn *c = malloc(sizeof *c);
        c->b = b;
        c->fd = fd;
        pthread_mutex_lock(&b->lock);
        if (b->nconns == MAX_CONNS || pthread_create(&b->conns[b->nconns], NULL, serve, c) != 0) {
            close(fd);
            free(c);
        } else {
            b->nconns++;
        }
        pthread_mutex_unlock(&b->lock);
    }
}

bad_upstream *bu_start(void)
{
    bad_upstream *b = calloc(1, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    b->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(b->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(b->fd, (struct sockaddr *)&a, sizeof a) || listen(b->fd, 64) || getsockname(b->fd, (struct sockaddr *)&a, &al)) {
        close(b->fd);
        free(b);
        return NULL;
    }
    b->port = ntohs(a.sin_port);
    if (pipe(b->stop_pipe) != 0 || pthread_create(&b->acceptor, NULL, accept_loop, b) != 0) {
        close(b->fd);
        free(b);
        return NULL;
    }
    return b;
}

int bu_port(const bad_upstream *b) { return b->port; }
int bu_requests(const bad_upstream *b) { return __atomic_load_n(&b->requests, __ATOMIC_RELAXED); }

void bu_stop(bad_upstream *b)
{
    if (!b)
        return;
    if (write(b->stop_pipe[1], "x", 1) != 1)
        perror("bu_stop");
    pthread_join(b->acceptor, NULL);
    for (int i = 0; i < b->nconns; i++)
        pthread_join(b->conns[i], NULL);
    close(b->fd);
    close(b->stop_pipe[0]);
    close(b->stop_pipe[1]);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

int bu_dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &al);
    close(fd); /* nothing listens there now: a connect is refused */
    return ntohs(a.sin_port);
}
