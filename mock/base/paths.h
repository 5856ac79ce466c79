/* paths.h: where the shipped fixtures/ and scenarios/ are, for a built or an installed binary. */
#ifndef PATHS_H
#define PATHS_H

/* A new string (caller frees): <data dir>/<name>, the data dir being <prefix>/share/refold-mock
 * next to an installed binary, the checkout above a build directory's binary, the working
 * directory's <name>/, else the configured install prefix. */
char *paths_shipped(const char *name);
/* A new string: DIR's sibling NAME (fixtures/ -> scenarios/) when that is a directory, else NULL. */
char *paths_beside(const char *dir, const char *name);
int paths_is_dir(const char *p);

#endif
