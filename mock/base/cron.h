/* cron.h: 5-field cron expressions and time zones: when a schedule fires next, in virtual ms. */
#ifndef CRON_H
#define CRON_H

#include <stddef.h>
#include <stdint.h>

/* A parsed expression: one bit per allowed value of each field. */
struct cron {
    uint64_t minute;   /* bits 0-59 */
    uint32_t hour;     /* bits 0-23 */
    uint32_t dom;      /* bits 1-31 */
    uint16_t month;    /* bits 1-12 */
    uint8_t dow;       /* bits 0-6, Sunday = 0 */
    int dom_any, dow_any; /* the field was "*": cron's day rule looks at which were restricted */
};

/* Parses "minute hour day-of-month month day-of-week" with *, lists, ranges, steps and the
 * names JAN-DEC / SUN-SAT, or one of @hourly @daily @midnight @weekly @monthly @yearly
 * @annually. 0, or -1 with the reason in err. */
int cron_parse(const char *expr, struct cron *c, char *err, size_t n);

/* Time zones: "" / "UTC" / "GMT" / "Etc/UTC", fixed offsets ("+05:30", "-0800", "UTC+2"), or an
 * IANA name found in the system's zoneinfo ("America/New_York"). 0 when usable. */
int cron_tz_valid(const char *tz);

/* The first minute strictly after after_ms at which c fires in tz, in ms; -1 when it never does
 * within ten years (e.g. "0 0 30 2 *"). */
long long cron_next(const struct cron *c, const char *tz, long long after_ms);

/* A wall-clock time in tz (month 1-12) as ms since the epoch; -1 when the fields are not a
 * calendar date. A time skipped by a DST change resolves to the instant after the gap. */
long long cron_local_ms(const char *tz, int year, int month, int day, int hour, int minute);

/* Parses "YYYY-MM-DD" into its fields; 0 on success. */
int cron_parse_date(const char *s, int *year, int *month, int *day);

#endif
