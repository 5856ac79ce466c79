/* loadgen.c: a small HTTP/1.1 load generator (keep-alive, N connections, one epoll thread) that
 * reports requests per second and latency percentiles; also measures a server's start-up time
 * to its first 200 and its resident memory.
 *
 * Why our own and not wrk: Debian's wrk is an extra package CI would need, and the benchmark
 * also needs a scripted mixed read/write load with unique ids per request and a start-up probe;
 * the generator is ~500 lines of plain sockets.
 *
 *   loadgen [-c CONN] [-d SECONDS] [-w WARMUP_S] [-H "Name: value"]... URL
 *   loadgen [-c CONN] [-d SECONDS] [-H ...]... -s SCRIPT [-p PREFIX] URL
 *       SCRIPT: one request per line, "METHOD PATH [BODY]" ('#' starts a comment). Every
 *       connection runs the lines in order, again and again. In paths, bodies and -H values
 *       "{id}" becomes PREFIX-<connection>-<iteration>, unique per pass over the script.
 *   loadgen --startup [-n RUNS] HEALTH_PATH -- COMMAND ARGS...
 *       runs COMMAND (with "{port}" in ARGS replaced by a free port) RUNS times; reports the
 *       median time from fork to the first 200 from HEALTH_PATH, and the RSS once it is idle.
 *
 * Output: a human line on stderr and one machine line on stdout:
 *   rps=28000.1 p50_us=900 p99_us=2100 requests=140000 s2xx=140000 s4xx=0 s5xx=0 errors=0
 *   startup_ms=9.8 idle_rss_kb=8120
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 16
#define MAX_LINES 64
#define HIST_US 2000000 /* latencies are histogrammed at 1 us resolution up to 2 s */

struct line {
    char method[16];
    char *path, *body;
    long long n2xx, n4xx, n5xx, other; /* per-line status counts (script mode) */
};

struct conn {
    int fd, index;
    long iteration;
    int step;
    char *req;
    size_t req_len, sent;
    char *in;
    size_t in_len, in_cap;
    long long started_us;
};

static struct {
    struct sockaddr_in addr;
    char host[96];
    const char *headers[MAX_HEADERS];
    int nheaders;
    struct line lines[MAX_LINES];
    int nlines;
    const char *prefix;
    unsigned *hist;
    long long over_hist, requests, s2xx, s4xx, s5xx, errors, other;
    int measuring;
} G;

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

/* Replaces every "{id}" in s with id; returns a new string. */
static char *subst(const char *s, const char *id)
{
    size_t n = 1, il = strlen(id);
    for (const char *p = s; *p; p++)
        n += strncmp(p, "{id}", 4) ? 1 : il;
    char *out = malloc(n), *o = out;
    for (const char *p = s; *p;) {
        if (!strncmp(p, "{id}", 4)) {
            memcpy(o, id, il);
            o += il;
            p += 4;
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

static void build_request(struct conn *c)
{
    const struct line *l = &G.lines[c->step];
    char id[128];
    snprintf(id, sizeof id, "%s-%d-%ld", G.prefix, c->index, c->iteration);
    char *path = subst(l->path, id);
    char *body = l->body ? subst(l->body, id) : NULL;
    size_t cap = strlen(path) + (body ? strlen(body) : 0) + 512;
    for (int i = 0; i < G.nheaders; i++)
        cap += strlen(G.headers[i]) + 128;
    free(c->req);
    c->req = malloc(cap);
    size_t n = (size_t)snprintf(c->req, cap, "%s %s HTTP/1.1\r\nHost: %s\r\n", l->method, path, G.host);
    for (int i = 0; i < G.nheaders; i++) {
        char *h = subst(G.headers[i], id);
        n += (size_t)snprintf(c->req + n, cap - n, "%s\r\n", h);
        free(h);
    }
    if (body)
        n += (size_t)snprintf(c->req + n, cap - n, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                              strlen(body), body);
    else
        n += (size_t)snprintf(c->req + n, cap - n, "\r\n");
    c->req_len = n;
    c->sent = 0;
    free(path);
    free(body);
}

static int open_conn(struct conn *c, int ep)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        die("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&G.addr, sizeof G.addr) != 0 && errno != EINPROGRESS)
        return -1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
        die("epoll_ctl");
    c->in_len = 0;
    return 0;
}

static void reopen(struct conn *c, int ep)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    if (open_conn(c, ep) != 0)
        G.errors++;
    c->sent = 0; /* the request in flight is sent again */
    c->started_us = now_us();
}

static void want(struct conn *c, int ep, unsigned events)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Length of a complete response at the start of buf, 0 when incomplete, -1 when unparseable.
 * Our servers always send Content-Length (CivetWeb and http_send), never chunked bodies. */
static long response_len(const char *buf, size_t len, int *status, int *closes)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        return len > 65536 ? -1 : 0;
    if (len < 12 || strncmp(buf, "HTTP/1.", 7))
        return -1;
    *status = atoi(buf + 9);
    long clen = -1;
    *closes = 0;
    for (const char *p = strstr(buf, "\r\n") + 2; p < end; p = strstr(p, "\r\n") + 2) {
        const char *eol = strstr(p, "\r\n");
        if (!strncasecmp(p, "Content-Length:", 15))
            clen = atol(p + 15);
        else if (!strncasecmp(p, "Connection:", 11) && memmem(p, (size_t)(eol - p), "close", 5))
            *closes = 1;
        else if (!strncasecmp(p, "Transfer-Encoding:", 18))
            return -1;
    }
    if (clen < 0)
        return -1;
    size_t total = (size_t)(end - buf) + 4 + (size_t)clen;
    return len >= total ? (long)total : 0;
}

static void record(struct line *l, int status, long long us)
{
    if (!G.measuring)
        return;
    G.requests++;
    if (status >= 200 && status < 300)
        l->n2xx++;
    else if (status >= 400 && status < 500)
        l->n4xx++;
    else if (status >= 500)
        l->n5xx++;
    else
        l->other++;
    if (us < HIST_US)
        G.hist[us]++;
    else
        G.over_hist++;
    if (status >= 200 && status < 300)
        G.s2xx++;
    else if (status >= 400 && status < 500)
        G.s4xx++;
    else if (status >= 500)
        G.s5xx++;
    else
        G.other++;
}

static long long percentile(double p)
{
    long long want_n = (long long)(p * (double)G.requests + 0.5), seen = 0;
    if (want_n < 1)
        want_n = 1;
    for (long long us = 0; us < HIST_US; us++) {
        seen += G.hist[us];
        if (seen >= want_n)
            return us;
    }
    return HIST_US;
}

static void on_event(struct conn *c, int ep, unsigned events)
{
    if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLIN)) {
        G.errors++;
        reopen(c, ep);
        return;
    }
    if ((events & EPOLLOUT) && c->sent < c->req_len) {
        ssize_t n = send(c->fd, c->req + c->sent, c->req_len - c->sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN) {
            G.errors++;
            reopen(c, ep);
            return;
        }
        if (n > 0)
            c->sent += (size_t)n;
        if (c->sent == c->req_len)
            want(c, ep, EPOLLIN);
    }
    if (!(events & EPOLLIN))
        return;
    for (;;) {
        if (c->in_cap - c->in_len < 16384) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 65536;
            c->in = realloc(c->in, c->in_cap);
        }
        ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1, 0);
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) { /* the server closed: count it unless it was between requests */
            if (c->in_len || c->sent)
                G.errors++;
            reopen(c, ep);
            return;
        }
        c->in_len += (size_t)n;
        c->in[c->in_len] = 0;
        int status = 0, closes = 0;
        long total = response_len(c->in, c->in_len, &status, &closes);
        if (total < 0) {
            G.errors++;
            reopen(c, ep);
            return;
        }
        if (total == 0)
            continue;
        record(&G.lines[c->step], status, now_us() - c->started_us);
        memmove(c->in, c->in + total, c->in_len - (size_t)total);
        c->in_len -= (size_t)total;
        if (++c->step == G.nlines) {
            c->step = 0;
            c->iteration++;
        }
        build_request(c);
        c->started_us = now_us();
        if (closes)
            reopen(c, ep);
        else
            want(c, ep, EPOLLOUT);
        return;
    }
}

static int parse_url(const char *url, char *path, size_t n)
{
    char host[64];
    int port = 80;
    const char *p = strncmp(url, "http://", 7) ? NULL : url + 7;
    if (!p)
        return -1;
    const char *slash = strchr(p, '/'), *colon = strchr(p, ':');
    size_t hl = colon && (!slash || colon < slash) ? (size_t)(colon - p) : slash ? (size_t)(slash - p) : strlen(p);
    if (hl >= sizeof host)
        return -1;
    memcpy(host, p, hl);
    host[hl] = 0;
    if (colon && (!slash || colon < slash))
        port = atoi(colon + 1);
    snprintf(path, n, "%s", slash ? slash : "/");
    memset(&G.addr, 0, sizeof G.addr);
    G.addr.sin_family = AF_INET;
    G.addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, !strcmp(host, "localhost") ? "127.0.0.1" : host, &G.addr.sin_addr) != 1)
        return -1;
    snprintf(G.host, sizeof G.host, "%s:%d", host, port);
    return 0;
}

static void load_script(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        die(file);
    char buf[8192];
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = 0;
        char *s = buf + strspn(buf, " \t");
        if (!*s || *s == '#')
            continue;
        if (G.nlines == MAX_LINES) {
            fprintf(stderr, "loadgen: %s: more than %d lines\n", file, MAX_LINES);
            exit(2);
        }
        struct line *l = &G.lines[G.nlines++];
        char *sp = strchr(s, ' ');
        if (!sp || (size_t)(sp - s) >= sizeof l->method) {
            fprintf(stderr, "loadgen: %s: bad line: %s\n", file, s);
            exit(2);
        }
        memcpy(l->method, s, (size_t)(sp - s));
        l->method[sp - s] = 0;
        s = sp + 1;
        sp = strchr(s, ' ');
        if (sp)
            *sp = 0;
        l->path = strdup(s);
        l->body = sp && sp[1] ? strdup(sp + 1) : NULL;
    }
    fclose(f);
}

static int run_load(int nconn, double seconds, double warmup)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct conn *conns = calloc((size_t)nconn, sizeof *conns);
    G.hist = calloc(HIST_US, sizeof *G.hist);
    for (int i = 0; i < nconn; i++) {
        conns[i].index = i;
        build_request(&conns[i]);
        if (open_conn(&conns[i], ep) != 0)
            die("connect");
        conns[i].started_us = now_us();
    }
    long long t0 = now_us(), start = t0 + (long long)(warmup * 1e6), stop = start + (long long)(seconds * 1e6);
    struct epoll_event evs[256];
    for (;;) {
        long long t = now_us();
        if (!G.measuring && t >= start)
            G.measuring = 1;
        if (t >= stop)
            break;
        int n = epoll_wait(ep, evs, 256, 100);
        for (int i = 0; i < n; i++)
            on_event(evs[i].data.ptr, ep, evs[i].events);
    }
    double elapsed = (double)(now_us() - start) / 1e6;
    double rps = (double)G.requests / elapsed;
    long long p50 = percentile(0.50), p99 = percentile(0.99);
    fprintf(stderr, "loadgen: %d connections, %.1f s: %.0f req/s, p50 %lld us, p99 %lld us, %lld requests "
                    "(2xx %lld, 4xx %lld, 5xx %lld), %lld transport errors\n",
            nconn, elapsed, rps, p50, p99, G.requests, G.s2xx, G.s4xx, G.s5xx, G.errors);
    printf("rps=%.1f p50_us=%lld p99_us=%lld requests=%lld s2xx=%lld s4xx=%lld s5xx=%lld errors=%lld\n", rps, p50,
           p99, G.requests, G.s2xx, G.s4xx, G.s5xx, G.errors);
    for (int i = 0; G.nlines > 1 && i < G.nlines; i++)
        printf("line=%d method=%s path=%s s2xx=%lld s4xx=%lld s5xx=%lld\n", i + 1, G.lines[i].method, G.lines[i].path,
               G.lines[i].n2xx, G.lines[i].n4xx, G.lines[i].n5xx);
    for (int i = 0; i < nconn; i++) {
        close(conns[i].fd);
        free(conns[i].req);
        free(conns[i].in);
    }
    free(conns);
    free(G.hist);
    close(ep);
    return G.requests > 0 && G.errors == 0 ? 0 : 1;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &l) != 0)
        die("free port");
    close(fd);
    return ntohs(a.sin_port);
}

/* One GET over a fresh connection; the status, or 0 when nothing answered. */
static int probe(int port, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int status = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        char req[512], resp[512];
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
        if (send(fd, req, (size_t)n, MSG_NOSIGNAL) == n) {
            ssize_t got = recv(fd, resp, sizeof resp - 1, 0);
            if (got > 12) {
                resp[got] = 0;
                status = atoi(resp + 9);
            }
        }
    }
    close(fd);
    return status;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int run_startup(int runs, const char *health, char **cmd)
{
    double *ms = calloc((size_t)runs, sizeof *ms);
    long rss = -1;
    for (int r = 0; r < runs; r++) {
        int port = free_port();
        char portstr[16];
        snprintf(portstr, sizeof portstr, "%d", port);
        int argc = 0;
        while (cmd[argc])
            argc++;
        char **argv = calloc((size_t)argc + 1, sizeof *argv);
        for (int i = 0; i < argc; i++)
            argv[i] = strcmp(cmd[i], "{port}") ? cmd[i] : portstr;
        long long t0 = now_us();
        pid_t pid = fork();
        if (pid == 0) {
            int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            execvp(argv[0], argv);
            _exit(127);
        }
        int status = 0;
        long long deadline = t0 + 10 * 1000000LL;
        while ((status = probe(port, health)) != 200 && now_us() < deadline) {
            if (waitpid(pid, NULL, WNOHANG) == pid) {
                fprintf(stderr, "loadgen: %s exited before answering\n", argv[0]);
                return 1;
            }
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
        }
        ms[r] = (double)(now_us() - t0) / 1000.0;
        if (status != 200) {
            fprintf(stderr, "loadgen: %s never answered 200 on %s\n", argv[0], health);
            kill(pid, SIGKILL);
            return 1;
        }
        struct timespec idle = {0, 300 * 1000000L}; /* let start-up transients settle */
        nanosleep(&idle, NULL);
        long kb = rss_kb(pid);
        if (kb > rss)
            rss = kb;
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        free(argv);
    }
    qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
    double median = ms[runs / 2];
    fprintf(stderr, "loadgen: start-up to first 200: median %.1f ms of %d runs (min %.1f, max %.1f); idle RSS %ld kB\n",
            median, runs, ms[0], ms[runs - 1], rss);
    printf("startup_ms=%.1f idle_rss_kb=%ld\n", median, rss);
    free(ms);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: loadgen [-c CONN] [-d SECONDS] [-w WARMUP] [-H 'Name: value']... [-s SCRIPT [-p PREFIX]] URL\n"
                    "       loadgen --startup [-n RUNS] HEALTH_PATH -- COMMAND ARGS... ({port} is replaced)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int nconn = 32, runs = 10;
    double seconds = 5, warmup = 1;
    const char *script = NULL, *url = NULL;
    G.prefix = "lg";
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && !strcmp(argv[1], "--startup")) {
        int i = 2;
        if (i + 1 < argc && !strcmp(argv[i], "-n")) {
            runs = atoi(argv[i + 1]);
            i += 2;
        }
        if (i + 2 >= argc || strcmp(argv[i + 1], "--") || runs < 1)
            usage();
        return run_startup(runs, argv[i], argv + i + 2);
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 < argc && !strcmp(a, "-c"))
            nconn = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "-d"))
            seconds = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "-w"))
            warmup = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "-s"))
            script = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "-p"))
            G.prefix = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "-H") && G.nheaders < MAX_HEADERS)
            G.headers[G.nheaders++] = argv[++i];
        else if (a[0] != '-' && !url)
            url = a;
        else
            usage();
    }
    char path[2048];
    if (!url || nconn < 1 || seconds <= 0 || parse_url(url, path, sizeof path) != 0)
        usage();
    if (script) {
        load_script(script);
        if (!G.nlines)
            usage();
    } else {
        snprintf(G.lines[0].method, sizeof G.lines[0].method, "GET");
        G.lines[0].path = strdup(path);
        G.nlines = 1;
    }
    return run_load(nconn, seconds, warmup);
}
