/* cron.c: parses 5-field cron expressions and finds their next firing time in a time zone. */
#define _GNU_SOURCE
#include "base/cron.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

struct field {
    const char *name;
    int min, max;
    const char *const *names; /* names[i] stands for min + i */
};

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const dow_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

static const struct field fields[5] = {
    {"minute", 0, 59, NULL},
    {"hour", 0, 23, NULL},
    {"day-of-month", 1, 31, NULL},
    {"month", 1, 12, month_names},
    {"day-of-week", 0, 7, dow_names}, /* 7 is Sunday too */
};

/* A number or a name of the field; -1 when it is neither. */
static int value_of(const struct field *f, const char *s, size_t len)
{
    if (len == 0)
        return -1;
    if (isdigit((unsigned char)s[0])) {
        int v = 0;
        for (size_t i = 0; i < len; i++) {
            if (!isdigit((unsigned char)s[i]) || v > 1000)
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    }
    for (int i = 0; f->names && f->names[i]; i++)
        if (len == 3 && !strncasecmp(s, f->names[i], 3))
            return f->min + i;
    return -1;
}

/* One comma-separated element: *, a, a-b, each optionally /step. Sets bits in *bits. */
static int parse_element(const struct field *f, const char *s, size_t len, uint64_t *bits, char *err, size_t n)
{
    const char *slash = memchr(s, '/', len);
    size_t range_len = slash ? (size_t)(slash - s) : len;
    int lo, hi, step = 1;
    if (slash) {
        step = value_of(&(struct field){f->name, 1, 0, NULL}, slash + 1, len - range_len - 1);
        if (step <= 0)
            return snprintf(err, n, "%s: step in '%.*s' must be a positive number", f->name, (int)len, s), -1;
    }
    if (range_len == 1 && s[0] == '*') {
        lo = f->min;
        hi = f->max == 7 ? 6 : f->max;
    } else {
        const char *dash = memchr(s, '-', range_len);
        size_t lo_len = dash ? (size_t)(dash - s) : range_len;
        lo = value_of(f, s, lo_len);
        hi = dash ? value_of(f, dash + 1, range_len - lo_len - 1) : (slash ? f->max : lo);
        if (lo < 0 || hi < 0)
            return snprintf(err, n, "%s: '%.*s' is not a number, range or name", f->name, (int)len, s), -1;
        if (slash && !dash && f->max == 7)
            hi = 6;
    }
    if (lo < f->min || hi > f->max || lo > hi)
        return snprintf(err, n, "%s: '%.*s' is outside %d-%d", f->name, (int)len, s, f->min, f->max), -1;
    for (int v = lo; v <= hi; v += step)
        *bits |= 1ULL << (f->max == 7 && v == 7 ? 0 : v);
    return 0;
}

static int parse_field(const struct field *f, const char *s, uint64_t *bits, int *any, char *err, size_t n)
{
    *bits = 0;
    *any = !strcmp(s, "*") || !strcmp(s, "?");
    if (!strcmp(s, "?"))
        s = "*"; /* Quartz-style "no specific value" */
    for (const char *p = s;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0)
            return snprintf(err, n, "%s: empty list element in '%s'", f->name, s), -1;
        if (parse_element(f, p, len, bits, err, n))
            return -1;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

int cron_parse(const char *expr, struct cron *c, char *err, size_t n)
{
    static const struct {
        const char *name, *expr;
    } macros[] = {
        {"@hourly", "0 * * * *"}, {"@daily", "0 0 * * *"}, {"@midnight", "0 0 * * *"},
        {"@weekly", "0 0 * * 0"}, {"@monthly", "0 0 1 * *"}, {"@yearly", "0 0 1 1 *"},
        {"@annually", "0 0 1 1 *"},
    };
    memset(c, 0, sizeof *c);
    if (!expr)
        return snprintf(err, n, "cron expression missing"), -1;
    while (isspace((unsigned char)*expr))
        expr++;
    if (expr[0] == '@') {
        for (size_t i = 0; i < sizeof macros / sizeof *macros; i++)
            if (!strcasecmp(expr, macros[i].name))
                return cron_parse(macros[i].expr, c, err, n);
        return snprintf(err, n, "unknown cron macro '%s'", expr), -1;
    }
    char buf[256];
    if (strlen(expr) >= sizeof buf)
        return snprintf(err, n, "cron expression is too long"), -1;
    strcpy(buf, expr);
    char *part[6], *save = NULL;
    int count = 0;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
        if (count < 6)
            part[count++] = tok;
        else
            count++;
    if (count != 5)
        return snprintf(err, n, "cron expression '%s' has %d fields; expected 5 (minute hour day-of-month month day-of-week)",
                        expr, count), -1;
    uint64_t bits[5];
    int any[5];
    for (int i = 0; i < 5; i++)
        if (parse_field(&fields[i], part[i], &bits[i], &any[i], err, n))
            return -1;
    c->minute = bits[0];
    c->hour = (uint32_t)bits[1];
    c->dom = (uint32_t)bits[2];
    c->month = (uint16_t)bits[3];
    c->dow = (uint8_t)bits[4];
    c->dom_any = any[2];
    c->dow_any = any[4];
    return 0;
}

/* ---- time zones ---- */

enum tz_kind { TZ_BAD, TZ_FIXED, TZ_NAMED };

/* Classifies tz; for fixed offsets fills the offset east of UTC in seconds. */
static enum tz_kind tz_classify(const char *tz, long *offset)
{
    *offset = 0;
    if (!tz || !*tz || !strcasecmp(tz, "UTC") || !strcasecmp(tz, "GMT") || !strcasecmp(tz, "Z") ||
        !strcmp(tz, "Etc/UTC") || !strcmp(tz, "Etc/GMT"))
        return TZ_FIXED;
    const char *p = tz;
    if (!strncasecmp(p, "UTC", 3) || !strncasecmp(p, "GMT", 3))
        p += 3;
    if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, h = 0, m = 0;
        const char *q = p + 1;
        int digits = 0;
        while (isdigit((unsigned char)*q) && digits < 2)
            h = h * 10 + (*q++ - '0'), digits++;
        if (digits == 0)
            return TZ_BAD;
        if (*q == ':')
            q++;
        if (*q) {
            if (!isdigit((unsigned char)q[0]) || !isdigit((unsigned char)q[1]) || q[2])
                return TZ_BAD;
            m = (q[0] - '0') * 10 + (q[1] - '0');
        }
        if (h > 14 || m > 59)
            return TZ_BAD;
        *offset = sign * (h * 3600L + m * 60L);
        return TZ_FIXED;
    }
    /* An IANA name must exist in the zoneinfo database: glibc would silently read an unknown
     * name as UTC, and a schedule nine hours off is worse than a 400. */
    if (strstr(tz, "..") || tz[0] == '/' || strlen(tz) > 64)
        return TZ_BAD;
    for (const char *c = tz; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("/_+-", *c))
            return TZ_BAD;
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return TZ_BAD;
    return TZ_NAMED;
}

int cron_tz_valid(const char *tz)
{
    long off;
    return tz_classify(tz, &off) == TZ_BAD ? -1 : 0;
}

/* The C library converts named zones only through the TZ variable: it is switched under this
 * lock for the length of one conversion and put back. */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static void with_tz(const char *tz, char *saved, size_t n, int *had)
{
    pthread_mutex_lock(&tz_lock);
    const char *old = getenv("TZ");
    *had = old != NULL;
    snprintf(saved, n, "%s", old ? old : "");
    char want[96];
    snprintf(want, sizeof want, ":%s", tz);
    setenv("TZ", want, 1);
    tzset();
}

static void restore_tz(const char *saved, int had)
{
    if (had)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    pthread_mutex_unlock(&tz_lock);
}

/* UTC seconds -> wall-clock fields in tz. */
static void to_local(const char *tz, time_t secs, struct tm *out)
{
    long off;
    enum tz_kind k = tz_classify(tz, &off);
    if (k == TZ_NAMED) {
        char saved[256];
        int had;
        with_tz(tz, saved, sizeof saved, &had);
        localtime_r(&secs, out);
        restore_tz(saved, had);
    } else {
        time_t shifted = secs + off;
        gmtime_r(&shifted, out);
    }
}

/* Wall-clock fields in tz -> UTC seconds. */
static long long from_local(const char *tz, const struct tm *in)
{
    long off;
    enum tz_kind k = tz_classify(tz, &off);
    struct tm tm = *in;
    if (k == TZ_NAMED) {
        char saved[256];
        int had;
        tm.tm_isdst = -1;
        with_tz(tz, saved, sizeof saved, &had);
        time_t t = mktime(&tm);
        restore_tz(saved, had);
        return (long long)t;
    }
    return (long long)timegm(&tm) - off;
}

/* Calendar arithmetic on wall-clock fields (no zone involved): normalizes overflowed fields. */
static void normalize(struct tm *tm)
{
    time_t t = timegm(tm);
    gmtime_r(&t, tm);
}

static int day_matches(const struct cron *c, const struct tm *tm)
{
    int dom = (c->dom >> tm->tm_mday) & 1, dow = (c->dow >> tm->tm_wday) & 1;
    /* cron's rule: when both day fields are restricted, either one matching is enough. */
    if (!c->dom_any && !c->dow_any)
        return dom || dow;
    return dom && dow;
}

/* The instant of a wall-clock midnight, or t + 60 when the zone's rules put it behind t. */
static long long jump_to(const char *tz, struct tm wall, long long t)
{
    wall.tm_hour = wall.tm_min = wall.tm_sec = 0;
    normalize(&wall);
    long long at = from_local(tz, &wall);
    return at > t ? at : t + 60;
}

/* The walk moves over real instants, not wall-clock times, so an hour that a DST change repeats
 * is walked twice (an hourly schedule fires in both) and an hour it skips is not walked at all
 * (a daily 02:30 run does not happen on the night the clocks jump from 02:00 to 03:00). Months
 * and days that cannot match are skipped whole; minutes move to the next allowed one. */
long long cron_next(const struct cron *c, const char *tz, long long after_ms)
{
    long long t = (after_ms >= 0 ? after_ms / 60000 : (after_ms - 59999) / 60000) * 60 + 60;
    long long limit = t + 10LL * 366 * 86400;
    while (t < limit) {
        struct tm tm;
        to_local(tz, (time_t)t, &tm);
        if (!((c->month >> (tm.tm_mon + 1)) & 1)) {
            tm.tm_mon++;
            tm.tm_mday = 1;
            t = jump_to(tz, tm, t);
        } else if (!day_matches(c, &tm)) {
            tm.tm_mday++;
            t = jump_to(tz, tm, t);
        } else if (!((c->hour >> tm.tm_hour) & 1)) {
            t += (60 - tm.tm_min) * 60 - tm.tm_sec;
        } else if (!((c->minute >> tm.tm_min) & 1)) {
            int m = tm.tm_min + 1;
            while (m < 60 && !((c->minute >> m) & 1))
                m++;
            t += (m - tm.tm_min) * 60 - tm.tm_sec;
        } else {
            return t * 1000;
        }
    }
    return -1;
}

long long cron_local_ms(const char *tz, int year, int month, int day, int hour, int minute)
{
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return -1;
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    struct tm check = tm;
    normalize(&check);
    if (check.tm_mday != day) /* 31 June and friends */
        return -1;
    return from_local(tz, &tm) * 1000;
}

int cron_parse_date(const char *s, int *year, int *month, int *day)
{
    if (!s || strlen(s) < 10)
        return -1;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return -1;
    /* "2026-07-01" or a full ISO timestamp starting with it */
    if (s[10] && s[10] != 'T' && s[10] != ' ')
        return -1;
    *year = atoi(s);
    *month = atoi(s + 5);
    *day = atoi(s + 8);
    return cron_local_ms("UTC", *year, *month, *day, 0, 0) < 0 ? -1 : 0;
}
