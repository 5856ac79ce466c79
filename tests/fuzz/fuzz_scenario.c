/* fuzz_scenario.c: libFuzzer target for the scenario parser: any JSON text through scenario_parse()
 * against the shipped fixtures, as a file given to --scenario or POST /__mock/scenario would be. */
#include "engine/fixtures.h"
#include "engine/scenario.h"
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fixtures *fx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fx) {
        char err[512];
        fx = fixtures_load(REFOLD_SOURCE_DIR "/fixtures", err, sizeof err);
        if (!fx) {
            fprintf(stderr, "fuzz: fixtures: %s\n", err);
            abort();
        }
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    char err[1024];
    cJSON *doc = util_parse_json_named(text, "fuzz.json", err, sizeof err);
    free(text);
    if (!doc)
        return 0;
    struct sc_script *s = scenario_parse(doc, fx, &fx->tenants[0], "fuzz.json", err, sizeof err);
    if (s)
        scenario_parse_free(s);
    else if (!err[0])
        abort(); /* a refusal must say why */
    return 0;
}
