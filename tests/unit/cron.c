/* cron.c: unit tests for cron parsing and next-fire times: fields, steps, names, day rule, zones. */
#include "harness.h"
#include "base/cron.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2026-06-15 10:17:00 UTC is a Monday. */
#define MON_1017 1781518620000LL
#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

static long long next(const char *expr, const char *tz, long long after)
{
    struct cron c;
    char err[128];
    if (cron_parse(expr, &c, err, sizeof err) != 0)
        fail_msg("%s: %s", expr, err);
    return cron_next(&c, tz, after);
}

static void anchor_is_a_monday(void **state)
{
    (void)state;
    assert_int_equal(cron_local_ms("UTC", 2026, 6, 15, 10, 17), MON_1017);
}

static void every_minute_and_hourly(void **state)
{
    (void)state;
    assert_int_equal(next("* * * * *", "UTC", MON_1017), MON_1017 + MIN);
    /* strictly after: a time that is itself a firing time is not returned */
    assert_int_equal(next("17 * * * *", "UTC", MON_1017), MON_1017 + HOUR);
    assert_int_equal(next("0 * * * *", "UTC", MON_1017), MON_1017 + 43 * MIN);
    assert_int_equal(next("@hourly", "UTC", MON_1017), MON_1017 + 43 * MIN);
    /* mid-minute: the next whole minute */
    assert_int_equal(next("* * * * *", "UTC", MON_1017 + 30000), MON_1017 + MIN);
}

static void lists_ranges_steps(void **state)
{
    (void)state;
    assert_int_equal(next("*/15 * * * *", "UTC", MON_1017), MON_1017 + 13 * MIN);   /* 10:30 */
    assert_int_equal(next("5,20,40 * * * *", "UTC", MON_1017), MON_1017 + 3 * MIN); /* 10:20 */
    assert_int_equal(next("0 9-17/4 * * *", "UTC", MON_1017), MON_1017 + 3 * HOUR - 17 * MIN); /* 13:00 */
    assert_int_equal(next("10/20 * * * *", "UTC", MON_1017), MON_1017 + 13 * MIN); /* 10:30 */
    assert_int_equal(next("0 0 1 * *", "UTC", MON_1017), cron_local_ms("UTC", 2026, 7, 1, 0, 0));
    assert_int_equal(next("0 0 1 JAN *", "UTC", MON_1017), cron_local_ms("UTC", 2027, 1, 1, 0, 0));
}

static void weekdays_and_day_rule(void **state)
{
    (void)state;
    /* "0 9 * * 1": Mondays 09:00; it is Monday 10:17, so next Monday */
    assert_int_equal(next("0 9 * * 1", "UTC", MON_1017), cron_local_ms("UTC", 2026, 6, 22, 9, 0));
    assert_int_equal(next("0 9 * * MON-FRI", "UTC", MON_1017), cron_local_ms("UTC", 2026, 6, 16, 9, 0));
    assert_int_equal(next("0 9 * * 7", "UTC", MON_1017), cron_local_ms("UTC", 2026, 6, 21, 9, 0)); /* 7 = Sunday */
    assert_int_equal(next("0 9 * * sat,sun", "UTC", MON_1017), cron_local_ms("UTC", 2026, 6, 20, 9, 0));
    /* both day fields restricted: the 20th or any Wednesday, whichever comes first */
    assert_int_equal(next("0 0 20 * 3", "UTC", MON_1017), cron_local_ms("UTC", 2026, 6, 17, 0, 0));
    /* day-of-month restricted only: weekday ignored */
    assert_int_equal(next("0 0 20 * *", "UTC", MON_1017), cron_local_ms("UTC", 2026, 6, 20, 0, 0));
    /* 29 February: the next leap year */
    assert_int_equal(next("0 0 29 2 *", "UTC", MON_1017), cron_local_ms("UTC", 2028, 2, 29, 0, 0));
    /* never */
    assert_int_equal(next("0 0 30 2 *", "UTC", MON_1017), -1);
}

static void bad_expressions(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
        "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "1,,2 * * * *", "* * * FOO *", "@often",
        "*/ * * * *", NULL};
    for (int i = 0; bad[i]; i++) {
        struct cron c;
        char err[128] = "";
        if (cron_parse(bad[i], &c, err, sizeof err) == 0)
            fail_msg("'%s' parsed", bad[i]);
        assert_true(strlen(err) > 0);
    }
}

static void fixed_offsets_and_named_zones(void **state)
{
    (void)state;
    const char *tz0 = getenv("TZ");
    char before[128];
    snprintf(before, sizeof before, "%s", tz0 ? tz0 : "(unset)");
    assert_int_equal(cron_tz_valid("UTC"), 0);
    assert_int_equal(cron_tz_valid("+05:30"), 0);
    assert_int_equal(cron_tz_valid("UTC-8"), 0);
    assert_int_equal(cron_tz_valid("America/New_York"), 0);
    assert_int_equal(cron_tz_valid("Mars/Olympus_Mons"), -1);
    assert_int_equal(cron_tz_valid("../etc/passwd"), -1);
    assert_int_equal(cron_tz_valid("+25:00"), -1);
    /* 09:00 at +05:30 is 03:30 UTC */
    assert_int_equal(next("0 9 * * *", "+05:30", MON_1017), cron_local_ms("UTC", 2026, 6, 16, 3, 30));
    /* New York in June is UTC-4: 09:00 EDT = 13:00 UTC, still ahead today */
    assert_int_equal(next("0 9 * * *", "America/New_York", MON_1017), cron_local_ms("UTC", 2026, 6, 15, 13, 0));
    /* in January it is UTC-5 */
    assert_int_equal(cron_local_ms("America/New_York", 2027, 1, 4, 9, 0), cron_local_ms("UTC", 2027, 1, 4, 14, 0));
    /* the process's own TZ is left as it was */
    const char *tz1 = getenv("TZ");
    assert_string_equal(tz1 ? tz1 : "(unset)", before);
}

static void dst_changes(void **state)
{
    (void)state;
    /* 2026-03-08 02:30 does not exist in New York: a daily 02:30 run skips that night and runs
     * the next one (02:30 EDT = 06:30 UTC) */
    long long before = cron_local_ms("UTC", 2026, 3, 8, 0, 0);
    assert_int_equal(next("30 2 * * *", "America/New_York", before), cron_local_ms("UTC", 2026, 3, 9, 6, 30));
    /* while an hourly run just steps over the gap: 01:30 EST (06:30Z), then 03:30 EDT (07:30Z) */
    long long first = next("30 * * * *", "America/New_York", cron_local_ms("UTC", 2026, 3, 8, 6, 0));
    assert_int_equal(first, cron_local_ms("UTC", 2026, 3, 8, 6, 30));
    assert_int_equal(next("30 * * * *", "America/New_York", first), cron_local_ms("UTC", 2026, 3, 8, 7, 30));
    /* 2026-11-01 01:30 happens twice; an hourly schedule still fires once per real hour */
    long long t = cron_local_ms("UTC", 2026, 11, 1, 4, 0); /* 00:00 EDT */
    int fires = 0;
    for (long long a = t; (a = next("30 * * * *", "America/New_York", a)) < t + 4 * HOUR; fires++)
        ;
    assert_int_equal(fires, 4);
}

static void dates(void **state)
{
    (void)state;
    int y, m, d;
    assert_int_equal(cron_parse_date("2026-07-01", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20260701);
    assert_int_equal(cron_parse_date("2026-02-30", &y, &m, &d), -1);
    assert_int_equal(cron_parse_date("07/01/2026", &y, &m, &d), -1);
    assert_int_equal(cron_local_ms("UTC", 2026, 6, 31, 0, 0), -1);
    assert_int_equal(cron_local_ms("UTC", 2026, 6, 30, 24, 0), -1);
}

/* A day of an hourly schedule: 24 runs, each an hour apart. */
static void stepping_through_a_day(void **state)
{
    (void)state;
    long long a = MON_1017;
    for (int i = 0; i < 24; i++) {
        long long n = next("0 * * * *", "UTC", a);
        assert_int_equal(n, MON_1017 + 43 * MIN + i * HOUR);
        a = n;
    }
    assert_true(a < MON_1017 + DAY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(anchor_is_a_monday),
        cmocka_unit_test(every_minute_and_hourly),
        cmocka_unit_test(lists_ranges_steps),
        cmocka_unit_test(weekdays_and_day_rule),
        cmocka_unit_test(bad_expressions),
        cmocka_unit_test(fixed_offsets_and_named_zones),
        cmocka_unit_test(dst_changes),
        cmocka_unit_test(dates),
        cmocka_unit_test(stepping_through_a_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
