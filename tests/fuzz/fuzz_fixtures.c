/* fuzz_fixtures.c: libFuzzer target for the fixtures loader. The input becomes one file of an
 * otherwise shipped fixtures directory: orgs.json when it has "orgs", else the app file named
 * after its "slug" (so the name check passes and validation goes deeper). */
#include "engine/fixtures.h"
#include "base/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void put(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, n, f);
    fclose(f);
}

static void copy(const char *from, const char *to) /* (shipped files are small) */
{
    FILE *f = fopen(from, "rb");
    if (!f)
        abort();
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    put(to, buf, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char last[256];
    char path[256];
    if (!dir[0]) { /* orgs.json and one app (hubspot) from the shipped tree; the input goes on top */
        snprintf(dir, sizeof dir, "/tmp/refold-fuzz-fixtures-%d", (int)getpid());
        snprintf(path, sizeof path, "mkdir -p '%s/apps'", dir);
        if (system(path) != 0)
            abort();
        snprintf(path, sizeof path, "%s/apps/hubspot.json", dir);
        copy(REFOLD_SOURCE_DIR "/fixtures/apps/hubspot.json", path);
    }
    snprintf(path, sizeof path, "%s/orgs.json", dir);
    copy(REFOLD_SOURCE_DIR "/fixtures/orgs.json", path);
    if (last[0]) {
        unlink(last);
        last[0] = 0;
    }
    snprintf(path, sizeof path, "%s/apps/hubspot.json", dir);
    copy(REFOLD_SOURCE_DIR "/fixtures/apps/hubspot.json", path);

    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *slug = cJSON_GetObjectItemCaseSensitive(doc, "slug");
    char name[64] = "fuzzed";
    if (cJSON_IsString(slug)) {
        size_t k = 0;
        for (const char *s = slug->valuestring; *s && k < sizeof name - 1; s++)
            if (isalnum((unsigned char)*s) || *s == '_' || *s == '-')
                name[k++] = *s;
        name[k] = 0;
        if (!k)
            strcpy(name, "fuzzed");
    }
    if (cJSON_GetObjectItemCaseSensitive(doc, "orgs")) {
        snprintf(path, sizeof path, "%s/orgs.json", dir);
    } else {
        snprintf(path, sizeof path, "%s/apps/%s.json", dir, name);
        if (strcmp(name, "hubspot"))
            snprintf(last, sizeof last, "%s", path);
    }
    cJSON_Delete(doc);
    put(path, data, size);
    char err[1024] = "";
    struct fixtures *fx = fixtures_load(dir, err, sizeof err);
    if (fx)
        fixtures_free(fx);
    else if (!err[0])
        abort(); /* a refusal must say why */
    return 0;
}
