/* curl_lazy.h: libcurl loaded on first use (dlopen), so a mock that sends no webhook never maps
 * it and its 30 dependencies: they were a third of the start-up and 4 MB of the idle RSS. Include
 * this instead of <curl/curl.h>: the curl_* calls below then go through curl_lazy.c. */
#ifndef CURL_LAZY_H
#define CURL_LAZY_H

#include <curl/curl.h>
#undef curl_easy_setopt  /* (libcurl's type-checking macros: these names are functions here) */
#undef curl_easy_getinfo

CURL *curl_lazy_easy_init(void);
void curl_lazy_easy_cleanup(CURL *e);
CURLcode curl_lazy_easy_perform(CURL *e);
void curl_lazy_easy_reset(CURL *e);
CURLcode curl_lazy_easy_setopt(CURL *e, CURLoption opt, ...);
CURLcode curl_lazy_easy_getinfo(CURL *e, CURLINFO info, ...);
const char *curl_lazy_easy_strerror(CURLcode c);
void curl_lazy_free(void *p);
CURLM *curl_lazy_multi_init(void);
CURLMcode curl_lazy_multi_cleanup(CURLM *m);
CURLMcode curl_lazy_multi_add_handle(CURLM *m, CURL *e);
CURLMcode curl_lazy_multi_remove_handle(CURLM *m, CURL *e);
CURLMcode curl_lazy_multi_perform(CURLM *m, int *running);
CURLMcode curl_lazy_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned n, int timeout_ms, int *ret);
CURLMcode curl_lazy_multi_wakeup(CURLM *m);
CURLMsg *curl_lazy_multi_info_read(CURLM *m, int *left);
struct curl_slist *curl_lazy_slist_append(struct curl_slist *l, const char *s);
void curl_lazy_slist_free_all(struct curl_slist *l);
CURLU *curl_lazy_url(void);
void curl_lazy_url_cleanup(CURLU *u);
CURLUcode curl_lazy_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags);
CURLUcode curl_lazy_url_get(const CURLU *u, CURLUPart what, char **part, unsigned int flags);
/* 0 once libcurl is loaded and initialised (loads it on the first call), -1 when it cannot be. */
int curl_lazy_ready(void);

#ifndef CURL_LAZY_IMPL
#define curl_easy_init curl_lazy_easy_init
#define curl_easy_cleanup curl_lazy_easy_cleanup
#define curl_easy_perform curl_lazy_easy_perform
#define curl_easy_reset curl_lazy_easy_reset
#define curl_easy_setopt curl_lazy_easy_setopt
#define curl_easy_getinfo curl_lazy_easy_getinfo
#define curl_easy_strerror curl_lazy_easy_strerror
#define curl_free curl_lazy_free
#define curl_multi_init curl_lazy_multi_init
#define curl_multi_cleanup curl_lazy_multi_cleanup
#define curl_multi_add_handle curl_lazy_multi_add_handle
#define curl_multi_remove_handle curl_lazy_multi_remove_handle
#define curl_multi_perform curl_lazy_multi_perform
#define curl_multi_poll curl_lazy_multi_poll
#define curl_multi_wakeup curl_lazy_multi_wakeup
#define curl_multi_info_read curl_lazy_multi_info_read
#define curl_slist_append curl_lazy_slist_append
#define curl_slist_free_all curl_lazy_slist_free_all
#define curl_url curl_lazy_url
#define curl_url_cleanup curl_lazy_url_cleanup
#define curl_url_set curl_lazy_url_set
#define curl_url_get curl_lazy_url_get
#endif

#endif
