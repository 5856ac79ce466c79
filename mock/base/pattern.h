/* pattern.h: the regular expressions clients send (name filters, record searches), bounded in
 * what they may be and in what matching them may cost. */
#ifndef PATTERN_H
#define PATTERN_H

#include <regex.h>
#include <stddef.h>

/* glibc's regcomp recurses once per nested group (127 groups overflowed a worker's 100 KB stack),
 * back-references make regexec backtrack exponentially (10 of them over 80 characters: 99 s), and
 * a bounded repetition is copied out in the automaton (((a{0,100}){0,100}){0,100} never finished
 * compiling), as is x+ (x x*: A+++++++++++++++ held 2^15 copies and took 5 s over 66 bytes). Without back-references, matching runs glibc's DFA: its cost grows with the text's
 * length times the automaton's size, which the weight measures and the budget bounds. */
#define PATTERN_MAX_BYTES 256     /* a pattern's length */
#define PATTERN_MAX_DEPTH 16      /* groups inside groups */
#define PATTERN_MAX_WEIGHT 256    /* characters and classes once {m,n} and + repetitions are expanded */
#define PATTERN_MATCH_BUDGET (32LL << 20) /* weight x bytes of text matched, per request */

/* The hint every refusal carries. */
#define PATTERN_LIMITS_HINT                                                                       \
    "a pattern (POSIX extended, case-insensitive) may be at most 256 bytes long, nest groups at " \
    "most 16 deep, expand to at most 256 characters and classes once {m,n} repetitions are "     \
    "counted out (x{300} is 300, x+ is 2), repeat nothing twice (a??, a+*), and use no "       \
    "back-references (\\1 to \\9); one request may "                                             \
    "match at most 33554432 (pattern weight x text bytes) before it is refused (the match budget)"

/* The message of the refusal when pattern_match returns -1. */
#define PATTERN_BUDGET_MESSAGE                                                                  \
    "matching the pattern against these records exceeds the match budget of 33554432 (pattern " \
    "weight x text bytes) per request: use a simpler pattern"

struct pattern {
    regex_t re;
    long long weight;
};

/* Checks src against the limits and compiles it (REG_EXTENDED | REG_ICASE | REG_NOSUB).
 * 0, or -1 with the reason in err (naming the limit, or regcomp's complaint). */
int pattern_compile(struct pattern *p, const char *src, char *err, size_t n);
/* 1 when text matches, 0 when not, -1 when matching it would overrun *budget (which it
 * spends: start it at PATTERN_MATCH_BUDGET for a request). */
int pattern_match(const struct pattern *p, const char *text, long long *budget);
void pattern_free(struct pattern *p);

#endif
