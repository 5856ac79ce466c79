/* doc_cache.h: parsed store documents kept until the store changes (memo.c's rule, for cJSON). */
#ifndef DOC_CACHE_H
#define DOC_CACHE_H

#include <cjson/cJSON.h>

struct doc_cache;
struct doc_ref;     /* a kept document shared by its readers; see doc_cache_release */

struct doc_cache *doc_cache_new(void);
void doc_cache_free(struct doc_cache *c);

/* The document kept for key while the store was at generation gen (read store_generation
 * before the store itself), or NULL. The caller reads it, never changes it, and releases it. */
struct doc_ref *doc_cache_get(struct doc_cache *c, const char *key, unsigned long long gen);
/* Keeps doc (taken) as key's document at gen; returns a reference for the caller. */
struct doc_ref *doc_cache_put(struct doc_cache *c, const char *key, unsigned long long gen, cJSON *doc);
/* get, else load(ctx) (a new document, or NULL for none) and put, with the store's generation
 * read before the store is: the way to read through the cache. NULL when there is none. */
struct store;
struct doc_ref *doc_cache_through(struct doc_cache *c, struct store *st, const char *key, cJSON *(*load)(void *ctx),
                                  void *ctx);
const cJSON *doc_cache_doc(const struct doc_ref *ref);
void doc_cache_release(struct doc_ref *ref);

#endif
