/* recording.c: one JSON file per proxied exchange in a recording directory, and reading them back. */
#include "recording.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long wall_ms(void) /* a recording is stamped with real time, not the virtual clock */
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct recording {
    char *dir;
    long seq; /* atomic: the last number drawn */
};

/* "000042.json" -> 42; 0 for any other name. */
static long exchange_number(const char *name)
{
    char *end;
    if (strlen(name) != 11 || strcmp(name + 6, ".json"))
        return 0;
    long n = strtol(name, &end, 10);
    return end == name + 6 && n > 0 ? n : 0;
}

static int write_file(const char *path, const char *text)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) { /* a reader never sees half an exchange */
        unlink(tmp);
        return -1;
    }
    return 0;
}

struct recording *recording_open(const char *dir, const char *upstream, char *err, size_t errlen)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "--record '%s': %s", dir, strerror(errno));
        return NULL;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "--record '%s': %s", dir, strerror(errno));
        return NULL;
    }
    long last = 0;
    for (struct dirent *e; (e = readdir(d));) {
        long n = exchange_number(e->d_name);
        if (n > last)
            last = n;
    }
    closedir(d);
    cJSON *manifest = cJSON_CreateObject();
    cJSON_AddStringToObject(manifest, "format", RECORDING_FORMAT);
    cJSON_AddNumberToObject(manifest, "version", RECORDING_VERSION);
    cJSON_AddStringToObject(manifest, "upstream", upstream);
    char iso[32];
    util_iso8601(wall_ms(), iso);
    cJSON_AddStringToObject(manifest, "started", iso);
    char path[4096];
    snprintf(path, sizeof path, "%s/recording.json", dir);
    char *text = cJSON_Print(manifest);
    int rc = write_file(path, text);
    free(text);
    cJSON_Delete(manifest);
    if (rc != 0) {
        snprintf(err, errlen, "--record '%s': cannot write recording.json: %s", dir, strerror(errno));
        return NULL;
    }
    struct recording *rec = calloc(1, sizeof *rec);
    rec->dir = strdup(dir);
    rec->seq = last; /* a second session appends: the recording stays one ordered run */
    return rec;
}

void recording_close(struct recording *rec)
{
    if (!rec)
        return;
    free(rec->dir);
    free(rec);
}

long recording_next_seq(struct recording *rec) { return __atomic_add_fetch(&rec->seq, 1, __ATOMIC_RELAXED); }

/* Replaces every occurrence of each secret (6 bytes or longer) in text; returns text or a new
 * string (the old one freed). */
static char *blank_secrets(char *text, const char *const *secrets)
{
    for (int i = 0; secrets && secrets[i]; i++) {
        size_t sl = strlen(secrets[i]);
        if (sl < 6)
            continue; /* too short to tell from ordinary text; the field masks cover these */
        char *hit;
        while ((hit = strstr(text, secrets[i]))) {
            size_t before = (size_t)(hit - text), tl = strlen(text);
            char *out = malloc(tl - sl + 5);
            memcpy(out, text, before);
            memcpy(out + before, "****", 4);
            memcpy(out + before + 4, hit + sl, tl - before - sl + 1);
            free(text);
            text = out;
        }
    }
    return text;
}

int recording_write(struct recording *rec, long seq, const cJSON *exchange, const char *const *secrets)
{
    char *text = cJSON_Print(exchange);
    if (!text)
        return -1;
    text = blank_secrets(text, secrets);
    char path[4096];
    snprintf(path, sizeof path, "%s/%06ld.json", rec->dir, seq);
    int rc = write_file(path, text);
    free(text);
    return rc;
}

static int by_seq(const void *a, const void *b)
{
    double x = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)a, "seq"));
    double y = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)b, "seq"));
    return (x > y) - (x < y);
}

cJSON *recording_load(const char *dir, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/recording.json", dir);
    cJSON *manifest = util_read_json_file(path, err, errlen);
    if (!manifest)
        return NULL;
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(manifest, "format");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(manifest, "version");
    int ok = cJSON_IsString(fmt) && !strcmp(fmt->valuestring, RECORDING_FORMAT) && cJSON_IsNumber(ver);
    int version = ok ? ver->valueint : 0;
    cJSON_Delete(manifest);
    if (!ok || version != RECORDING_VERSION) {
        snprintf(err, errlen, "%s: not a refold-mock recording of version %d (format \"%s\", version %d)", path,
                 RECORDING_VERSION, RECORDING_FORMAT, version);
        return NULL;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 16;
    cJSON **items = malloc(cap * sizeof *items);
    for (struct dirent *e; (e = readdir(d));) {
        if (!exchange_number(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        cJSON *x = util_read_json_file(path, err, errlen);
        if (!x || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x, "request"))) {
            if (x)
                snprintf(err, errlen, "%s: not an exchange (no request)", path);
            cJSON_Delete(x);
            for (size_t i = 0; i < n; i++)
                cJSON_Delete(items[i]);
            free(items);
            closedir(d);
            return NULL;
        }
        if (n == cap)
            items = realloc(items, (cap *= 2) * sizeof *items);
        items[n++] = x;
    }
    closedir(d);
    qsort(items, n, sizeof *items, by_seq);
    cJSON *out = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(out, items[i]);
    free(items);
    return out;
}
