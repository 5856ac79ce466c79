/* memo.h: rendered bodies of read routes, kept until the store or the clock changes. */
#ifndef MEMO_H
#define MEMO_H

#include <stddef.h>

struct memo;
struct memo_body;   /* a rendered body shared by the readers sending it; see memo_release */

struct memo *memo_new(void);
void memo_free(struct memo *mc);

/* A body rendered for key while the store was at generation gen and the clock at now_ms, or
 * NULL. The caller sends it and hands it back with memo_release. */
const struct memo_body *memo_get(struct memo *mc, const char *key, unsigned long long gen, long long now_ms);
const char *memo_body_text(const struct memo_body *b, size_t *len);
void memo_release(const struct memo_body *b);

/* Keeps text as the body of key at (gen, now_ms), replacing what the slot held. */
void memo_put(struct memo *mc, const char *key, unsigned long long gen, long long now_ms, const char *text, size_t len);
/* Forgets everything (reset: not strictly needed, the generation moves, but frees the memory). */
void memo_clear(struct memo *mc);

#endif
