/* paths.c: finds the shipped data directory relative to the running binary. No path of the
 * build machine is compiled in: a binary or library copied elsewhere must not reach back into
 * the source tree it came from. */
#define _GNU_SOURCE
#include "base/paths.h"
#include "base/util.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int paths_is_dir(const char *p)
{
    struct stat sb;
    return p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
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
            if (paths_is_dir(cand))
                return strdup(cand);
            /* A binary in the build directory of a checkout (build/refold-mock) finds the
             * checkout's copy one level up. */
            snprintf(cand, sizeof cand, "%s/../%s", exe, name);
            if (paths_is_dir(cand))
                return strdup(cand);
        }
    }
    /* A binary built or copied elsewhere, run from a checkout: the working directory's copy. */
    if (paths_is_dir(name)) {
        char *abs = realpath(name, NULL);
        if (abs)
            return abs;
    }
    /* The configured install prefix: where an embedding program's library finds the data. */
    snprintf(cand, sizeof cand, "%s/%s", REFOLD_DATA_DIR, name);
    return strdup(cand);
}

char *paths_beside(const char *dir, const char *name)
{
    char copy[PATH_MAX], cand[PATH_MAX + 128];
    if (!dir || !util_copy(copy, sizeof copy, dir))
        return NULL;
    snprintf(cand, sizeof cand, "%s/%s", dirname(copy), name);
    return paths_is_dir(cand) ? strdup(cand) : NULL;
}
