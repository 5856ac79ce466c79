/* pattern.c: client regular expressions: checked against the limits of pattern.h before glibc
 * compiles them, matched within a per-request budget. */
#include "base/pattern.h"

#include <stdio.h>
#include <string.h>

#define CAP (PATTERN_MAX_WEIGHT + 1) /* weights saturate here: past it the pattern is refused */

struct level {
    long long sum;  /* weight of the alternatives so far (alternatives add up: the automaton holds them all) */
    long long last; /* weight of the last atom, which a {m,n} repeats */
};

static long long sat(long long v) { return v > CAP ? CAP : v; }

static void atom(struct level *l, long long w)
{
    l->sum = sat(l->sum + w);
    l->last = w;
}

/* The closing ']' of the bracket expression opening at p (or the terminating NUL): inside one a
 * backslash is an ordinary character, a leading ']' is a member, and [:class:], [=e=], [.c.]
 * may hold a ']'. */
static const char *bracket_end(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    for (; *p && *p != ']'; p++) {
        if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
            const char *close = strchr(p + 2, p[1]);
            while (close && close[1] != ']')
                close = strchr(close + 1, p[1]);
            if (!close)
                return p + strlen(p);
            p = close + 1;
        }
    }
    return p;
}

/* A {lo}, {lo,} or {lo,hi} interval at p: its end in *end and the number of copies it makes of
 * what precedes it; 0 when p does not start one (glibc then reads '{' as itself). */
static long long interval(const char *p, const char **end)
{
    long long lo = 0, hi = -1;
    int digits = 0;
    for (p++; *p >= '0' && *p <= '9'; p++, digits++)
        lo = lo < 1000000 ? lo * 10 + (*p - '0') : lo;
    if (*p == ',') {
        int hd = 0;
        for (p++, hi = 0; *p >= '0' && *p <= '9'; p++, hd++)
            hi = hi < 1000000 ? hi * 10 + (*p - '0') : hi;
        if (!hd)
            hi = -1;
        digits += hd;
    } else {
        hi = lo;
    }
    if (*p != '}' || !digits)
        return 0;
    *end = p;
    long long copies = hi >= 0 ? hi : lo + 1; /* {lo,}: lo copies and a starred one */
    return copies < 1 ? 1 : copies;
}

/* 0, or -1 with the limit src breaks in err. */
static int check(const char *src, long long *weight, char *err, size_t n)
{
    size_t len = strlen(src);
    if (len > PATTERN_MAX_BYTES)
        return snprintf(err, n, "the pattern is %zu bytes long; a pattern has at most %d bytes", len, PATTERN_MAX_BYTES), -1;
    struct level lv[PATTERN_MAX_DEPTH + 1];
    int d = 0;
    memset(&lv[0], 0, sizeof lv[0]);
    int repeated = 0; /* the last token was a repetition (*, ?, +, {m,n}) */
    for (const char *p = src; *p; p++) {
        const char *end;
        long long copies;
        int rep = *p == '*' || *p == '?' || *p == '+' || (*p == '{' && interval(p, &end) != 0);
        /* A repetition of a repetition (a??, a+*, a{2}?): POSIX leaves it undefined, and glibc
         * builds each as another copy or branch of the last, so a few of them stacked cost seconds
         * (found by fuzz_filters: v??;?????????+++????+ took 3 s over one record under ASan). */
        if (rep && repeated)
            return snprintf(err, n, "the pattern repeats a repetition (\"%.2s\" at byte %d): one *, ?, + or {m,n} per "
                            "character, class or group", p - 1, (int)(p - src)), -1;
        repeated = rep;
        switch (*p) {
        case '\\':
            if (p[1] >= '1' && p[1] <= '9')
                return snprintf(err, n, "the pattern uses a back-reference (\\%c), which makes matching exponential", p[1]), -1;
            if (p[1])
                p++;
            atom(&lv[d], 1);
            break;
        case '[':
            p = bracket_end(p);
            atom(&lv[d], 1);
            if (!*p)
                p--; /* unterminated: regcomp says so */
            break;
        case '(':
            if (d == PATTERN_MAX_DEPTH)
                return snprintf(err, n, "the pattern nests groups more than %d deep", PATTERN_MAX_DEPTH), -1;
            memset(&lv[++d], 0, sizeof lv[d]);
            break;
        case ')':
            if (d == 0) {
                atom(&lv[d], 1);
            } else {
                long long g = lv[d].sum ? lv[d].sum : 1;
                d--;
                atom(&lv[d], g);
            }
            break;
        case '|':
            lv[d].last = 0;
            break;
        case '{':
            if ((copies = interval(p, &end)) == 0) {
                atom(&lv[d], 1);
                break;
            }
            lv[d].sum = sat(lv[d].sum + lv[d].last * (copies - 1));
            lv[d].last = sat(lv[d].last * copies);
            p = end;
            break;
        case '+': /* glibc builds x+ as x x*: a copy, so A+++++++++++++++ was 2^15 of them (5 s over 66 bytes) */
            lv[d].sum = sat(lv[d].sum + lv[d].last);
            lv[d].last = sat(lv[d].last * 2);
            break;
        default: /* '*' and '?' add no copies; anchors and characters count one */
            if (*p != '*' && *p != '?')
                atom(&lv[d], 1);
        }
        for (int i = 0; i <= d; i++)
            if (lv[i].sum > PATTERN_MAX_WEIGHT)
                return snprintf(err, n, "the pattern expands to more than %d characters and classes once its {m,n} "
                                "repetitions are counted out", PATTERN_MAX_WEIGHT), -1;
    }
    *weight = lv[0].sum ? lv[0].sum : 1;
    return 0;
}

int pattern_compile(struct pattern *p, const char *src, char *err, size_t n)
{
    if (check(src, &p->weight, err, n) != 0)
        return -1;
    int rc = regcomp(&p->re, src, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &p->re, why, sizeof why);
        snprintf(err, n, "'%s' is not a valid regular expression (%s)", src, why);
        return -1;
    }
    return 0;
}

int pattern_match(const struct pattern *p, const char *text, long long *budget)
{
    long long cost = ((long long)strlen(text) + 1) * p->weight;
    if (cost > *budget)
        return -1;
    *budget -= cost;
    return regexec(&p->re, text, 0, NULL, 0) == 0;
}

void pattern_free(struct pattern *p) { regfree(&p->re); }
