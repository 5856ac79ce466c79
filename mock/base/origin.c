/* origin.c: which Host and Origin values name this mock (see origin.h). */
#include "base/origin.h"
#include "base/mock.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

int origin_gated_path(const char *path)
{
    return !strncmp(path, "/__mock", 7) || !strncmp(path, "/connect/", 9) || !strncmp(path, "/oauth/", 7);
}

/* Splits "host[:port]" / "[v6][:port]" into name (brackets removed) and port (0 when none, -1
 * when malformed). */
static void split_host(const char *in, char *name, size_t n, int *port)
{
    const char *end, *colon;
    *port = 0;
    if (*in == '[') {
        end = strchr(in, ']');
        if (!end) {
            *port = -1;
            return;
        }
        snprintf(name, n, "%.*s", (int)(end - in - 1), in + 1);
        colon = end[1] == ':' ? end + 1 : NULL;
        if (end[1] && !colon)
            *port = -1;
    } else {
        colon = strchr(in, ':');
        snprintf(name, n, "%.*s", colon ? (int)(colon - in) : (int)strlen(in), in);
    }
    if (colon) {
        char *e;
        long p = strtol(colon + 1, &e, 10);
        *port = (*e || p <= 0 || p > 65535) ? -1 : (int)p;
    }
}

static int wildcard(const char *h) { return !strcmp(h, "0.0.0.0") || !strcmp(h, "::") || !*h; }

/* One of this machine's interface addresses (the mock listens on all of them). */
static int local_address(const char *name)
{
    unsigned char want[16];
    int v6 = inet_pton(AF_INET6, name, want) == 1;
    if (!v6 && inet_pton(AF_INET, name, want) != 1)
        return 0;
    struct ifaddrs *list, *i;
    int found = 0;
    if (getifaddrs(&list) != 0)
        return 0;
    for (i = list; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr)
            continue;
        if (!v6 && i->ifa_addr->sa_family == AF_INET)
            found = !memcmp(&((struct sockaddr_in *)i->ifa_addr)->sin_addr, want, 4);
        else if (v6 && i->ifa_addr->sa_family == AF_INET6)
            found = !memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, want, 16);
    }
    freeifaddrs(list);
    return found;
}

/* The host part of the --public-url (a tunnel or proxy in front of the mock), or "". */
static void public_host(const struct mock *m, char *out, size_t n)
{
    const char *p = m->public_url_opt ? strstr(m->public_url_opt, "://") : NULL;
    out[0] = 0;
    if (!p)
        return;
    p += 3;
    size_t len = strcspn(p, "/?#");
    char hostport[256];
    snprintf(hostport, sizeof hostport, "%.*s", (int)len, p);
    int port;
    split_host(hostport, out, n, &port);
}

static int name_ok(const struct mock *m, const char *name)
{
    struct in_addr a4;
    size_t len = strlen(name);
    if (!strcasecmp(name, "localhost") || (len > 10 && !strcasecmp(name + len - 10, ".localhost")))
        return 1;
    if (inet_pton(AF_INET, name, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127)
        return 1;
    if (!strcmp(name, "::1"))
        return 1;
    if (!wildcard(m->host) && !strcasecmp(name, m->host))
        return 1;
    char pub[256];
    public_host(m, pub, sizeof pub);
    if (*pub && !strcasecmp(name, pub))
        return 1;
    if (!wildcard(m->host))
        return 0;
    char self[256];
    if (gethostname(self, sizeof self) == 0 && !strcasecmp(name, self))
        return 1; /* the machine's (or container's) own name */
    return local_address(name);
}

int origin_host_ok(const struct mock *m, const char *host)
{
    if (!host)
        return 1;
    char name[256];
    int port;
    if (strlen(host) >= sizeof name)
        return 0;
    split_host(host, name, sizeof name, &port);
    return port >= 0 && *name && name_ok(m, name);
}

int origin_is_own(const struct mock *m, const char *origin)
{
    if (!origin)
        return 0;
    if (m->public_url_opt) {
        size_t n = strlen(origin);
        if (n && !strncasecmp(m->public_url_opt, origin, n) && strchr("/?#", m->public_url_opt[n]))
            return 1; /* the public URL itself, with or without a path after the origin */
    }
    const char *p = strstr(origin, "://");
    if (!p || (strncmp(origin, "http://", 7) && strncmp(origin, "https://", 8)))
        return 0;
    char name[256];
    int port;
    if (strlen(p + 3) >= sizeof name)
        return 0;
    split_host(p + 3, name, sizeof name, &port);
    if (port <= 0)
        port = origin[4] == 's' ? 443 : 80;
    return port == m->port && name_ok(m, name);
}

/* 1 when a connection to this address lands on this machine in a way that can reach the mock:
 * loopback (127/8, ::1), unspecified (0.0.0.0/8 and :: connect to the local host), the address
 * the mock listens on, or one of the machine's interface addresses. An IPv4-mapped IPv6 address
 * (::ffff:127.0.0.1) is its IPv4 address. */
static int address_is_local(const struct mock *m, const struct sockaddr *sa)
{
    unsigned char a[16];
    int v6 = sa->sa_family == AF_INET6;
    if (v6) {
        const struct in6_addr *in6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(in6)) {
            v6 = 0;
            memcpy(a, in6->s6_addr + 12, 4);
        } else {
            memcpy(a, in6->s6_addr, 16);
        }
    } else if (sa->sa_family == AF_INET) {
        memcpy(a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else {
        return 0;
    }
    static const unsigned char any6[16], loop6[16] = {[15] = 1};
    if (!v6 && (a[0] == 127 || a[0] == 0))
        return 1;
    if (v6 && (!memcmp(a, any6, 16) || !memcmp(a, loop6, 16)))
        return 1;
    unsigned char bound[16];
    if (inet_pton(v6 ? AF_INET6 : AF_INET, m->host, bound) == 1 && !memcmp(a, bound, v6 ? 16 : 4))
        return 1;
    char text[INET6_ADDRSTRLEN];
    return inet_ntop(v6 ? AF_INET6 : AF_INET, a, text, sizeof text) && local_address(text);
}

int origin_reaches_mock(const struct mock *m, const char *host, int port)
{
    if (!host || port != m->port)
        return 0;
    char name[256];
    size_t n = strlen(host);
    if (n >= sizeof name)
        return 0;
    if (host[0] == '[' && n > 1 && host[n - 1] == ']')
        snprintf(name, sizeof name, "%.*s", (int)n - 2, host + 1);
    else
        snprintf(name, sizeof name, "%s", host);
    if (name_ok(m, name))
        return 1;
    /* every address the name stands for, in whatever spelling: 0, 127.1, 2130706433, 0x7f000001,
     * ::ffff:7f00:1 (getaddrinfo reads them all as the kernel's connect would) */
    struct addrinfo hints, *res = NULL, *i;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(name, NULL, &hints, &res) != 0)
        return 0;
    int found = 0;
    for (i = res; i && !found; i = i->ai_next)
        found = address_is_local(m, i->ai_addr);
    freeaddrinfo(res);
    return found;
}
