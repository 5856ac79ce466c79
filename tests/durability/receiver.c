/* receiver.c: the durability stage's webhook receiver: appends every request body it gets as one
 * line to a file and answers 200, after an optional delay (a slow receiver keeps deliveries
 * pending in the mock's outbox while it is killed).
 *   receiver PORT OUTFILE DELAY_MS        (run.sh compiles it against Debian's CivetWeb) */
#include <civetweb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static FILE *out;
static long delay_ms;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int on_request(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    char body[65536];
    int n = 0, k;
    while (n < (int)sizeof body - 1 && (k = mg_read(conn, body + n, sizeof body - 1 - (size_t)n)) > 0)
        n += k;
    body[n] = 0;
    for (int i = 0; i < n; i++)
        if (body[i] == '\n' || body[i] == '\r')
            body[i] = ' ';
    if (delay_ms > 0) {
        struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&lock);
    fprintf(out, "%s\n", body);
    fflush(out);
    pthread_mutex_unlock(&lock);
    mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
    return 200;
}

int main(int argc, char **argv)
{
    if (argc != 4 || !(out = fopen(argv[2], "a"))) {
        fprintf(stderr, "usage: receiver PORT OUTFILE DELAY_MS\n");
        return 2;
    }
    delay_ms = atol(argv[3]);
    char ports[32];
    snprintf(ports, sizeof ports, "127.0.0.1:%s", argv[1]);
    const char *options[] = {"listening_ports", ports, "num_threads", "8", "enable_keep_alive", "yes", NULL};
    mg_init_library(0);
    struct mg_context *ctx = mg_start(NULL, NULL, options);
    if (!ctx) {
        fprintf(stderr, "receiver: cannot listen on %s\n", ports);
        return 2;
    }
    mg_set_request_handler(ctx, "/", on_request, NULL);
    printf("receiver listening on %s\n", ports);
    fflush(stdout);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stop_requested)
        pause();
    mg_stop(ctx);
    fclose(out);
    return 0;
}
