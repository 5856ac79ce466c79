/* paths.c: finds the shipped data directory relative to the running binary. */
#define _GNU_SOURCE
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

char *paths_shipped(const char *name)
{
    char exe[PATH_MAX], cand[PATH_MAX + 128];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            /* An installed binary (<prefix>/bin) finds <prefix>/share/refold-mock: relocatable. */
            snprintf(cand, sizeof cand, "%s/../share/refold-mock/%s", exe, name);
            if (is_dir(cand))
                return strdup(cand);
        }
    }
    snprintf(cand, sizeof cand, "%s/%s", REFOLD_SOURCE_DIR, name);
    if (is_dir(cand))
        return strdup(cand);
    snprintf(cand, sizeof cand, "%s/%s", REFOLD_DATA_DIR, name);
    return strdup(cand);
}
