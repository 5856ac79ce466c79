/* bare_civetweb.c: the benchmark's baseline: CivetWeb with the mock's options answering fixed
 * JSON bodies, i.e. the best the mock could do if its own work cost nothing.
 *
 *   bare_civetweb PORT APP_JSON LIST_JSON [TOKEN_JSON]
 * GET /app answers APP_JSON's bytes, GET /list LIST_JSON's, POST /token TOKEN_JSON's (the
 * request body is read, as the mock reads it), GET /__mock/health a small JSON;
 * run_bench.sh passes the mock's own responses, so both servers send the same bytes. */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct body {
    char *data;
    size_t len;
};

static struct body app, list, token, health = {"{\"status\":\"ok\"}", 15};
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int read_file(const char *path, struct body *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b->data = malloc((size_t)n + 1);
    b->len = fread(b->data, 1, (size_t)n, f);
    fclose(f);
    return 0;
}

/* The same header block as the mock's http_send(), and like it one write per response, so the
 * bytes and syscalls on the wire match and the ratio measures only the mock's own work. */
static int answer(struct mg_connection *conn, void *cbdata)
{
    const struct body *b = cbdata;
    char buf[32768];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 200 OK\r\n"
                     "Content-Type: application/json; charset=utf-8\r\n"
                     "Content-Length: %zu\r\n"
                     "X-Request-Id: req_0123456789abcdef\r\n"
                     "Cache-Control: no-store\r\n"
                     "Access-Control-Allow-Origin: *\r\n"
                     "Access-Control-Expose-Headers: Retry-After, X-Request-Id, Refold-Mock-Warning\r\n\r\n",
                     b->len);
    if ((size_t)n + b->len <= sizeof buf) {
        memcpy(buf + n, b->data, b->len);
        mg_write(conn, buf, (size_t)n + b->len);
    } else {
        mg_write(conn, buf, (size_t)n);
        mg_write(conn, b->data, b->len);
    }
    return 200;
}

/* POST /token: reads the request body first, as the mock does, then answers like answer(). */
static int answer_post(struct mg_connection *conn, void *cbdata)
{
    char sink[4096];
    while (mg_read(conn, sink, sizeof sink) > 0)
        ;
    return answer(conn, cbdata);
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5 || read_file(argv[2], &app) || read_file(argv[3], &list) ||
        (argc == 5 && read_file(argv[4], &token))) {
        fprintf(stderr, "usage: bare_civetweb PORT APP_JSON LIST_JSON [TOKEN_JSON]\n");
        return 2;
    }
    char ports[32];
    snprintf(ports, sizeof ports, "127.0.0.1:%s", argv[1]);
    /* Keep in step with server_start() in mock/server.c. */
    const char *options[] = {
        "listening_ports", ports,
        "num_threads", "256", /* as the mock (server.c WORKERS) */
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", "15000",
        "tcp_nodelay", "1",
        "request_timeout_ms", "10000",
        "max_request_size", "65536",
        "decode_url", "no",
        "access_control_allow_methods", "",
        "access_control_allow_origin", "",
        NULL};
    mg_init_library(0);
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    struct mg_context *ctx = mg_start(&cb, NULL, options);
    if (!ctx) {
        fprintf(stderr, "bare_civetweb: cannot listen on %s\n", ports);
        return 2;
    }
    mg_set_request_handler(ctx, "/app$", answer, &app);
    mg_set_request_handler(ctx, "/list$", answer, &list);
    if (token.data)
        mg_set_request_handler(ctx, "/token$", answer_post, &token);
    mg_set_request_handler(ctx, "/__mock/health$", answer, &health);
    struct mg_server_port sp;
    if (mg_get_server_ports(ctx, 1, &sp) == 1)
        printf("bare_civetweb listening on http://127.0.0.1:%d\n", sp.port);
    fflush(stdout);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop_requested)
        pause();
    mg_stop(ctx);
    free(app.data);
    free(list.data);
    free(token.data);
    return 0;
}
