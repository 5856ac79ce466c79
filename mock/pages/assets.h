/* assets.h: page files (HTML, CSS, JS) compiled into the binary by mock/pages/embed_assets.cmake. */
#ifndef ASSETS_H
#define ASSETS_H

#include <stddef.h>

struct asset {
    const char *name;
    const char *data;
    size_t len;
};

/* Terminated by a row with name NULL. */
extern const struct asset page_assets[];

/* The asset named name, or NULL. */
const struct asset *assets_find(const char *name);

#endif
