/* embed.c: the install stage's embedding check: a C program built only from the installed
 * header, library and pkg-config file starts the mock on port 0, talks to it over HTTP, moves its
 * clock, resets it and stops it. */
#include <refold_mock.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* GET path over a plain socket; returns the status. */
static int get(int port, const char *path, char *body, size_t n)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        return 0;
    char req[512], buf[16384];
    int len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: tk_acme_test\r\nConnection: close\r\n\r\n", path);
    if (write(fd, req, (size_t)len) != len)
        return 0;
    size_t got = 0;
    ssize_t k;
    while (got < sizeof buf - 1 && (k = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)k;
    buf[got] = 0;
    close(fd);
    char *b = strstr(buf, "\r\n\r\n");
    snprintf(body, n, "%s", b ? b + 4 : "");
    return got > 12 ? atoi(buf + 9) : 0;
}

int main(void)
{
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.port = 0;
    o.quiet = 1;
    o.fixtures_dir = FIXTURES_DIR; /* pkg-config --variable=fixturesdir refold-mock */
    o.scenarios_dir = SCENARIOS_DIR; /* pkg-config --variable=scenariosdir refold-mock */
    char err[512], body[16384];
    refold_mock *m = refold_mock_start(&o, err, sizeof err);
    if (!m) {
        fprintf(stderr, "embed: %s\n", err);
        return 1;
    }
    int port = refold_mock_port(m);
    if (get(port, "/__mock/health", body, sizeof body) != 200 || !strstr(body, "\"status\":\"ok\"")) {
        fprintf(stderr, "embed: health: %s\n", body);
        return 1;
    }
    long long before = refold_mock_now_ms(m);
    if (refold_mock_advance_clock(m, 3600) != 0 || refold_mock_now_ms(m) - before != 3600 * 1000LL) {
        fprintf(stderr, "embed: the clock did not move by an hour\n");
        return 1;
    }
    if (get(port, "/api/v2/public/application", body, sizeof body) != 400) { /* needs a linked account */
        fprintf(stderr, "embed: expected 400 without a linked account: %s\n", body);
        return 1;
    }
    if (refold_mock_load_scenario(m, "quickstart-hubspot", err, sizeof err) != 0) {
        fprintf(stderr, "embed: scenario: %s\n", err);
        return 1;
    }
    if (refold_mock_reset(m) != 0)
        return 1;
    const char *org, *env, *key;
    if (refold_mock_api_key(m, 0, &org, &env, &key) != 0)
        return 1;
    printf("embed: ok: %s on port %d, first key %s (%s, %s)\n", refold_mock_url(m), port, key, org, env);
    refold_mock_stop(m);
    return 0;
}
