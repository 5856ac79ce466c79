/* curl_lazy.c: libcurl's functions looked up in libcurl.so.4 on the first call (see curl_lazy.h). */
#define CURL_LAZY_IMPL
#include "base/curl_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

/* Every function used, once: its name and its type. */
#define CURL_FUNCS(X)                                                                                    \
    X(curl_global_init, CURLcode (*)(long))                                                              \
    X(curl_easy_init, CURL *(*)(void))                                                                   \
    X(curl_easy_cleanup, void (*)(CURL *))                                                               \
    X(curl_easy_perform, CURLcode (*)(CURL *))                                                           \
    X(curl_easy_reset, void (*)(CURL *))                                                                 \
    X(curl_easy_setopt, CURLcode (*)(CURL *, CURLoption, ...))                                           \
    X(curl_easy_getinfo, CURLcode (*)(CURL *, CURLINFO, ...))                                            \
    X(curl_easy_strerror, const char *(*)(CURLcode))                                                     \
    X(curl_free, void (*)(void *))                                                                       \
    X(curl_multi_init, CURLM *(*)(void))                                                                 \
    X(curl_multi_cleanup, CURLMcode (*)(CURLM *))                                                        \
    X(curl_multi_add_handle, CURLMcode (*)(CURLM *, CURL *))                                             \
    X(curl_multi_remove_handle, CURLMcode (*)(CURLM *, CURL *))                                          \
    X(curl_multi_perform, CURLMcode (*)(CURLM *, int *))                                                 \
    X(curl_multi_poll, CURLMcode (*)(CURLM *, struct curl_waitfd *, unsigned, int, int *))               \
    X(curl_multi_wakeup, CURLMcode (*)(CURLM *))                                                         \
    X(curl_multi_info_read, CURLMsg *(*)(CURLM *, int *))                                                \
    X(curl_slist_append, struct curl_slist *(*)(struct curl_slist *, const char *))                      \
    X(curl_slist_free_all, void (*)(struct curl_slist *))                                                \
    X(curl_url, CURLU *(*)(void))                                                                        \
    X(curl_url_cleanup, void (*)(CURLU *))                                                               \
    X(curl_url_set, CURLUcode (*)(CURLU *, CURLUPart, const char *, unsigned int))                       \
    X(curl_url_get, CURLUcode (*)(const CURLU *, CURLUPart, char **, unsigned int))

static struct {
#define FIELD(name, type) __typeof__(type) name;
    CURL_FUNCS(FIELD)
#undef FIELD
} f;
static int ready = -1;

static void load(void)
{
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "refold-mock: cannot load libcurl (webhooks will not be delivered): %s\n", dlerror());
        return;
    }
    int missing = 0;
#define LOOKUP(name, type)                         \
    if (!(*(void **)&f.name = dlsym(lib, #name))) \
        missing = 1;
    CURL_FUNCS(LOOKUP)
#undef LOOKUP
    if (missing || f.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "refold-mock: libcurl.so.4 lacks a function the mock needs or does not initialise\n");
        return;
    }
    ready = 0;
}

int curl_lazy_ready(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    return ready;
}

/* Each wrapper: the real function once loaded, else the failure its callers already handle. */
CURL *curl_lazy_easy_init(void) { return curl_lazy_ready() ? NULL : f.curl_easy_init(); }
void curl_lazy_easy_cleanup(CURL *e)
{
    if (e && !curl_lazy_ready())
        f.curl_easy_cleanup(e);
}

CURLcode curl_lazy_easy_perform(CURL *e) { return curl_lazy_ready() ? CURLE_FAILED_INIT : f.curl_easy_perform(e); }
void curl_lazy_easy_reset(CURL *e)
{
    if (e && !curl_lazy_ready())
        f.curl_easy_reset(e);
}

CURLcode curl_lazy_easy_setopt(CURL *e, CURLoption opt, ...)
{
    if (curl_lazy_ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, opt);
    CURLcode rc;
    /* the argument's type follows from the option's number, as libcurl reads it */
    if (opt < CURLOPTTYPE_OBJECTPOINT)
        rc = f.curl_easy_setopt(e, opt, va_arg(ap, long));
    else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
        rc = f.curl_easy_setopt(e, opt, va_arg(ap, void *));
    else if (opt < CURLOPTTYPE_OFF_T)
        rc = f.curl_easy_setopt(e, opt, va_arg(ap, void (*)(void)));
    else if (opt < CURLOPTTYPE_BLOB)
        rc = f.curl_easy_setopt(e, opt, va_arg(ap, curl_off_t));
    else
        rc = f.curl_easy_setopt(e, opt, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode curl_lazy_easy_getinfo(CURL *e, CURLINFO info, ...)
{
    if (curl_lazy_ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode rc = f.curl_easy_getinfo(e, info, va_arg(ap, void *)); /* always a pointer to the result */
    va_end(ap);
    return rc;
}

const char *curl_lazy_easy_strerror(CURLcode c) { return curl_lazy_ready() ? "libcurl is not loaded" : f.curl_easy_strerror(c); }
void curl_lazy_free(void *p)
{
    if (p && !curl_lazy_ready())
        f.curl_free(p);
}
CURLM *curl_lazy_multi_init(void) { return curl_lazy_ready() ? NULL : f.curl_multi_init(); }
CURLMcode curl_lazy_multi_cleanup(CURLM *m) { return curl_lazy_ready() ? CURLM_BAD_HANDLE : f.curl_multi_cleanup(m); }
CURLMcode curl_lazy_multi_add_handle(CURLM *m, CURL *e) { return curl_lazy_ready() ? CURLM_BAD_HANDLE : f.curl_multi_add_handle(m, e); }
CURLMcode curl_lazy_multi_remove_handle(CURLM *m, CURL *e) { return curl_lazy_ready() ? CURLM_BAD_HANDLE : f.curl_multi_remove_handle(m, e); }
CURLMcode curl_lazy_multi_perform(CURLM *m, int *running) { return curl_lazy_ready() ? CURLM_BAD_HANDLE : f.curl_multi_perform(m, running); }
CURLMcode curl_lazy_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned n, int timeout_ms, int *ret)
{
    return curl_lazy_ready() ? CURLM_BAD_HANDLE : f.curl_multi_poll(m, fds, n, timeout_ms, ret);
}
CURLMcode curl_lazy_multi_wakeup(CURLM *m) { return curl_lazy_ready() ? CURLM_BAD_HANDLE : f.curl_multi_wakeup(m); }
CURLMsg *curl_lazy_multi_info_read(CURLM *m, int *left) { return curl_lazy_ready() ? NULL : f.curl_multi_info_read(m, left); }
struct curl_slist *curl_lazy_slist_append(struct curl_slist *l, const char *s)
{
    return curl_lazy_ready() ? l : f.curl_slist_append(l, s);
}
void curl_lazy_slist_free_all(struct curl_slist *l)
{
    if (l && !curl_lazy_ready())
        f.curl_slist_free_all(l);
}
CURLU *curl_lazy_url(void) { return curl_lazy_ready() ? NULL : f.curl_url(); }
void curl_lazy_url_cleanup(CURLU *u)
{
    if (u && !curl_lazy_ready())
        f.curl_url_cleanup(u);
}
CURLUcode curl_lazy_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
    return curl_lazy_ready() || !u ? CURLUE_BAD_HANDLE : f.curl_url_set(u, what, part, flags);
}
CURLUcode curl_lazy_url_get(const CURLU *u, CURLUPart what, char **part, unsigned int flags)
{
    return curl_lazy_ready() || !u ? CURLUE_BAD_HANDLE : f.curl_url_get(u, what, part, flags);
}
