/* paths.h: where the shipped fixtures/ and scenarios/ are, for a built or an installed binary. */
#ifndef PATHS_H
#define PATHS_H

/* A new string (caller frees): <data dir>/<name>, the data dir being <prefix>/share/refold-mock
 * next to an installed binary, else the source tree the library was built from. */
char *paths_shipped(const char *name);

#endif
