/* fuzz_filters.c: libFuzzer target for the regular expressions clients send: the name filters of
 * GET /tables, /workflow and /env/definitions and the table search body. Input: one byte picking
 * the route, then the pattern. Each must answer 200, or 400 in the envelope (a limit of
 * mock/base/pattern.h, or a pattern that does not compile): a crash in regcomp on a worker's stack,
 * a 500, no answer, or a match that outlasts libFuzzer's -timeout is a crash. */
#include "fuzz_client.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADERS "x-api-key: tk_acme_test\r\nlinked_account_id: fz_la\r\nContent-Type: application/json\r\n"

static char table[64];

static void must(const char *method, const char *path, const char *body)
{
    char resp[65536];
    int st = fz_request(method, path, HEADERS, body, strlen(body), resp, sizeof resp);
    if (st != 200) {
        fprintf(stderr, "fuzz: seeding %s %s: %d %s\n", method, path, st, resp);
        abort();
    }
    if (!*table && strstr(path, "tables") && !strcmp(method, "POST"))
        fz_json_find(resp, "table_id", table, sizeof table);
}

/* A table with records long enough that matching them costs something. */
static void seed(void)
{
    must("POST", "/api/v2/public/linked-account", "{\"linked_account_id\":\"fz_la\",\"name\":\"Fuzz Inc.\"}");
    must("POST", "/api/v2/public/tables", "{\"table_name\":\"leads\",\"columns\":[{\"column_name\":\"note\"}]}");
    char path[128], body[1024];
    snprintf(path, sizeof path, "/api/v2/public/tables/%s", table);
    snprintf(body, sizeof body, "{\"data\":[{\"note\":\"%0200d\"},{\"note\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"},{\"note\":42}]}", 7);
    must("PATCH", path, body);
}

static char *query_escape(const uint8_t *p, size_t n)
{
    char *out = malloc(n * 3 + 1), *o = out;
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "%%%02X", p[i]);
    *o = 0;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_mock();
    if (!*table)
        seed();
    if (size < 1 || size > 4096)
        return 0;
    static const char *const lists[] = {"/api/v2/public/tables", "/api/v2/public/workflow", "/api/v2/public/env/definitions"};
    int which = data[0] % 4;
    const uint8_t *pat = data + 1;
    size_t n = size - 1;
    char resp[65536];
    int status;
    if (which < 3) {
        char *q = query_escape(pat, n);
        size_t len = strlen(lists[which]) + strlen(q) + 8;
        char *path = malloc(len);
        snprintf(path, len, "%s?name=%s", lists[which], q);
        status = fz_request("GET", path, HEADERS, "", 0, resp, sizeof resp);
        free(path);
        free(q);
    } else {
        char *text = malloc(n + 1);
        memcpy(text, pat, n);
        text[n] = 0;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "note", text);
        char *body = cJSON_PrintUnformatted(o), path[128];
        snprintf(path, sizeof path, "/api/v2/public/tables/%s/search", table);
        status = fz_request("POST", path, HEADERS, body, strlen(body), resp, sizeof resp);
        free(body);
        cJSON_Delete(o);
        free(text);
    }
    if (status != 200 && status != 400 && status != 414) { /* 414: the URL itself too long */
        fprintf(stderr, "fuzz: filter %d answered %d: %.300s\n", which, status, resp);
        abort();
    }
    if (status == 400 && !strstr(resp, "\"status_code\":400")) {
        fprintf(stderr, "fuzz: a 400 outside the envelope: %.300s\n", resp);
        abort();
    }
    return 0;
}
