/* fuzz_http_raw.c: libFuzzer target for whatever bytes arrive on the socket: request lines,
 * header blocks, encodings, bodies. Each input is sent as-is on a fresh connection, which is
 * then half-closed so the server never waits for more. CivetWeb's parser, the error callback,
 * the URL and header limits, decoding and routing all see it. A 500 (but the one a page
 * documents, fz_unexpected), or a server that stops answering, counts as a crash. */
#include "fuzz_client.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_mock();
    if (size < 4)
        return 0;
    char answer[4096] = "";
    int status = fz_raw((const char *)data, size, answer, sizeof answer);
    if (fz_unexpected(status, answer)) {
        fprintf(stderr, "fuzz: raw request answered 500\n");
        abort();
    }
    /* No answer is fine when the bytes never formed a request, or when the server answered and
     * closed with our unread bytes still queued (the kernel then resets the connection and the
     * answer may be lost). It is a crash when the server stopped answering altogether. */
    if (status == 0 && fz_request("GET", "/__mock/health", NULL, "", 0, NULL, 0) != 200) {
        fprintf(stderr, "fuzz: the server no longer answers after this input\n");
        abort();
    }
    return 0;
}
