/* framing.c: API tests for how requests are framed on a connection: after a framing error
 * nothing more is read from it (a request smuggled behind the refused one never runs), and
 * `Expect: 100-continue` gets its `100 Continue` before the body is read (or the final refusal
 * instead). */
#define _GNU_SOURCE
#include "harness.h"
#include "raw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACME "tk_acme_test"
#define LA "/api/v2/public/linked-account"
#define HEAD(method) method " " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " ACME "\r\nContent-Type: application/json\r\n"

static void send_all(int fd, const char *bytes, size_t len)
{
    assert_int_equal(send(fd, bytes, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* A complete POST creating linked account id (on a kept-alive connection). */
static void create_request(char *out, size_t n, const char *id)
{
    char body[128];
    snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\"}", id);
    snprintf(out, n, HEAD("POST") "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
}

/* Sends refused + smuggled in one write: one 400 in the envelope, then end of file; the
 * smuggled request never ran. */
static void assert_smuggled_never_runs(refold_mock *m, const char *refused, const char *id)
{
    char smuggled[512], packet[2048];
    create_request(smuggled, sizeof smuggled, id);
    snprintf(packet, sizeof packet, "%s%s", refused, smuggled);
    int fd = th_raw_connect(m);
    send_all(fd, packet, strlen(packet));
    th_resp r = th_raw_read(fd);
    th_assert_error(&r, 400);
    th_free(&r);
    char rest[4096];
    ssize_t n, total = 0;
    while ((n = recv(fd, rest + total, sizeof rest - 1 - (size_t)total, 0)) > 0)
        total += n;
    rest[total] = 0;
    if (total)
        fprintf(stderr, "after the 400 the connection still answered: %s\n", rest);
    assert_int_equal(total, 0); /* end of file, no second answer */
    close(fd);
    th_assert_no_la(m, ACME, id);
}

static void nothing_is_read_after_a_framing_error(void **state)
{
    refold_mock *m = *state;
    /* Content-Length and Transfer-Encoding: the mock used CivetWeb's reading of the body (5
     * bytes, the chunked end) and then served the next request in the packet */
    assert_smuggled_never_runs(m, HEAD("POST") "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", "smuggled_te");
    assert_smuggled_never_runs(m, HEAD("GET") "Content-Length: 0\r\nTransfer-Encoding: identity\r\n\r\n", "smuggled_identity");
    assert_smuggled_never_runs(m, HEAD("GET") "Content-Length: 0\r\nContent-Length: 1\r\n\r\n", "smuggled_two_lengths");
    assert_smuggled_never_runs(m, HEAD("GET") "Content-Length : 0\r\n\r\n", "smuggled_space");
    assert_smuggled_never_runs(m, "GET " LA " HTTP/1.1\r\nx-api-key: " ACME "\r\nX-Folded: a\r\n b\r\nHost: 127.0.0.1\r\n\r\n",
                               "smuggled_folded");
    /* a well-formed pair in one packet is still served in turn (keep-alive, pipelining) */
    char first[512], second[512], packet[1200];
    create_request(first, sizeof first, "pipelined_1");
    create_request(second, sizeof second, "pipelined_2");
    snprintf(packet, sizeof packet, "%s%s", first, second);
    int fd = th_raw_connect(m);
    send_all(fd, packet, strlen(packet));
    char got[8192];
    size_t have = 0;
    got[0] = 0;
    while (!strstr(got, "pipelined_2") && have < sizeof got - 1) { /* both answers may come in one read */
        ssize_t n = recv(fd, got + have, sizeof got - 1 - have, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
        got[have] = 0;
    }
    close(fd);
    const char *next = strstr(got, "pipelined_1") ? strstr(strstr(got, "pipelined_1"), "HTTP/1.1 ") : NULL;
    assert_int_equal(strncmp(got, "HTTP/1.1 200", 12), 0);
    assert_non_null(next);
    assert_int_equal(strncmp(next, "HTTP/1.1 200", 12), 0);
    assert_non_null(strstr(next, "pipelined_2"));
}

/* Reads one response head (up to and with its blank line) into out. */
static void read_head(int fd, char *out, size_t n)
{
    size_t got = 0;
    out[0] = 0;
    while (got < n - 1 && !strstr(out, "\r\n\r\n")) {
        ssize_t k = recv(fd, out + got, 1, 0); /* byte by byte: not a byte of the next response */
        if (k <= 0)
            break;
        got += (size_t)k;
        out[got] = 0;
    }
}

static void expect_continue_is_answered(void **state)
{
    refold_mock *m = *state;
    const char *body = "{\"linked_account_id\":\"expecting\"}";
    char head[512], got[1024];
    snprintf(head, sizeof head, HEAD("POST") "Expect: 100-continue\r\nContent-Length: %zu\r\n\r\n", strlen(body));
    int fd = th_raw_connect(m);
    send_all(fd, head, strlen(head));
    read_head(fd, got, sizeof got); /* before: nothing came until the 10 s request timeout, then 400 */
    if (strncmp(got, "HTTP/1.1 100 Continue\r\n", 23))
        fprintf(stderr, "instead of 100 Continue: %s\n", got);
    assert_int_equal(strncmp(got, "HTTP/1.1 100 Continue\r\n", 23), 0);
    send_all(fd, body, strlen(body));
    th_resp r = th_raw_read(fd);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_str(r.json, "account_id"), "expecting");
    th_free(&r);
    close(fd);

    /* chunked bodies too */
    snprintf(head, sizeof head, HEAD("POST") "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
    fd = th_raw_connect(m);
    send_all(fd, head, strlen(head));
    read_head(fd, got, sizeof got);
    assert_int_equal(strncmp(got, "HTTP/1.1 100 Continue\r\n", 23), 0);
    char chunked[256];
    snprintf(chunked, sizeof chunked, "%zx\r\n{\"linked_account_id\":\"expecting_2\"}\r\n0\r\n\r\n",
             strlen("{\"linked_account_id\":\"expecting_2\"}"));
    send_all(fd, chunked, strlen(chunked));
    r = th_raw_read(fd);
    assert_int_equal(r.status, 200);
    th_free(&r);
    close(fd);

    /* the right refusal instead of 100 when the body would be refused anyway: never read */
    snprintf(head, sizeof head, HEAD("POST") "Expect: 100-continue\r\nContent-Length: %d\r\n\r\n", 2 * 1024 * 1024);
    fd = th_raw_connect(m);
    send_all(fd, head, strlen(head));
    r = th_raw_read(fd);
    assert_string_equal(th_assert_error(&r, 413), "PAYLOAD_TOO_LARGE");
    th_free(&r);
    close(fd);
    snprintf(head, sizeof head, "POST " LA " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: tk_nobody\r\nContent-Type: application/json\r\n"
             "Expect: 100-continue\r\nContent-Length: %zu\r\n\r\n", strlen(body));
    fd = th_raw_connect(m);
    send_all(fd, head, strlen(head));
    r = th_raw_read(fd);
    th_assert_error(&r, 401);
    th_free(&r);
    close(fd);
    /* an expectation the mock cannot meet: 417, nothing applied */
    const char *refused = "{\"linked_account_id\":\"expect_refused\"}";
    snprintf(head, sizeof head, HEAD("POST") "Expect: something-else\r\nContent-Length: %zu\r\n\r\n%s", strlen(refused), refused);
    r = th_raw_request(m, head, strlen(head), 0);
    assert_string_equal(th_assert_error(&r, 417), "EXPECTATION_FAILED");
    th_free(&r);
    th_assert_no_la(m, ACME, "expect_refused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(nothing_is_read_after_a_framing_error, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(expect_continue_is_answered, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
