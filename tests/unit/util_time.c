/* util_time.c - unit tests of the time parser (vault/util_time.c): every
 * form a time option accepts, with its exact value, and the refusals. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <string.h>

#include "leadvault.h"

/* 2026-12-07T13:00:00Z, the "now" of the relative forms below. */
#define NOW 1796648400000LL
#define HOUR 3600000LL
#define DAY (24 * HOUR)
/* 2026-12-01T00:00:00Z */
#define DEC1 1796083200000LL

static int64_t parsed(const char *text, unsigned flags)
{
    int64_t out = -1;
    int rc = lv_time_parse_input(&out, text, NOW, flags);
    if (rc != 0)
        print_error("refused: \"%s\": %s\n", text, lv_error_last());
    assert_int_equal(rc, 0);
    return out;
}

static void refused(const char *text, unsigned flags)
{
    int64_t out = 12345;
    int rc = lv_time_parse_input(&out, text, NOW, flags);
    if (rc == 0)
        print_error("accepted: \"%s\" as %lld\n", text ? text : "(null)", (long long)out);
    assert_int_equal(rc, LV_EINVAL);
    assert_int_equal(out, 12345); /* untouched */
    /* The message names the accepted forms. */
    assert_non_null(strstr(lv_error_last(), "2026-12-01T10:00:00Z"));
    if (flags & LV_TIME_RELATIVE)
        assert_non_null(strstr(lv_error_last(), "24h, 7d"));
}

static void absolute_forms(void **state)
{
    (void)state;
    assert_int_equal(parsed("2026-12-01", 0), DEC1);
    assert_int_equal(parsed("2026-12-01T10:00:00Z", 0), DEC1 + 10 * HOUR);
    assert_int_equal(parsed("2026-12-01T10:00Z", 0), DEC1 + 10 * HOUR);
    assert_int_equal(parsed("2026-12-01 10:00:00", 0), DEC1 + 10 * HOUR);
    assert_int_equal(parsed("2026-12-01 10:00:00Z", 0), DEC1 + 10 * HOUR);
    /* fractions: 1 to 9 digits, kept to the millisecond */
    assert_int_equal(parsed("2026-12-01T10:00:00.5Z", 0), DEC1 + 10 * HOUR + 500);
    assert_int_equal(parsed("2026-12-01T10:00:00.25Z", 0), DEC1 + 10 * HOUR + 250);
    assert_int_equal(parsed("2026-12-01T10:00:00.123Z", 0), DEC1 + 10 * HOUR + 123);
    assert_int_equal(parsed("2026-12-01T10:00:00.123999999Z", 0), DEC1 + 10 * HOUR + 123);
    /* offsets east and west of UTC, across the day boundary */
    assert_int_equal(parsed("2026-12-01T12:00:00+02:00", 0), DEC1 + 10 * HOUR);
    assert_int_equal(parsed("2026-12-01T01:30:00+05:30", 0), DEC1 - 4 * HOUR);
    assert_int_equal(parsed("2026-11-30T20:00:00-04:00", 0), DEC1);
    assert_int_equal(parsed("2026-12-01T00:00:00+00:00", 0), DEC1);
    /* calendar edges */
    assert_int_equal(parsed("1970-01-01T00:00:00Z", 0), 0);
    assert_int_equal(parsed("2028-02-29", 0) - parsed("2028-02-28", 0), DAY);
    assert_int_equal(parsed("2027-01-01", 0) - parsed("2026-12-31T23:59:59.999Z", 0), 1);
    /* lv_time_parse takes the same absolute forms */
    int64_t t = 0;
    assert_int_equal(lv_time_parse(&t, "2026-12-01T12:00:00.250+02:00"), 0);
    assert_int_equal(t, DEC1 + 10 * HOUR + 250);
}

static void absolute_refusals(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "yesterday", "2026-13-45", "2026-02-29", "2026-02-30", "2026-04-31", "2026-12-00",
        "2026-00-10", "1969-12-31", "10000-01-01", "2026-12-1", "2026/12/01", " 2026-12-01",
        "2026-12-01 ", "2026-12-01T", "2026-12-01T10:00:00", /* T without a zone: local time */
        "2026-12-01T24:00:00Z", "2026-12-01T10:60:00Z", "2026-12-01T10:00:60Z",
        "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00.1234567890Z", "2026-12-01T10:00:00+2:00",
        "2026-12-01T10:00:00+0200", "2026-12-01T10:00:00+24:00", "2026-12-01T10:00:00+02:60",
        "2026-12-01T10:00:00z", "2026-12-01T10:00:00ZZ", "2026-12-01T1:00:00Z", "+2026-12-01",
        "1970-01-01T00:00:00+00:01", /* before 1970 once the offset is applied */
        "7d", "now", /* relative forms need LV_TIME_RELATIVE */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i], 0);
    refused(NULL, 0);
    int64_t t = 777;
    assert_int_equal(lv_time_parse(&t, "7d"), LV_EINVAL);
    assert_int_equal(t, 777);
}

static void relative_forms(void **state)
{
    (void)state;
    const unsigned r = LV_TIME_RELATIVE;
    assert_int_equal(parsed("now", r), NOW);
    assert_int_equal(parsed("24h", r), NOW - DAY);
    assert_int_equal(parsed("1d", r), NOW - DAY);
    assert_int_equal(parsed("7d", r), NOW - 7 * DAY);
    assert_int_equal(parsed("2w", r), NOW - 14 * DAY);
    assert_int_equal(parsed("0d", r), NOW);
    assert_int_equal(parsed("007d", r), NOW - 7 * DAY);
    assert_int_equal(parsed("+30d", r), NOW + 30 * DAY);
    assert_int_equal(parsed("+1h", r), NOW + HOUR);
    /* absolute forms still work, and need no clock */
    assert_int_equal(parsed("2026-12-01", r), DEC1);
    const char *bad[] = {"", "1x", "d", "7", "-7d", "7D", "7m", "7y", "7 d", " 7d", "7d ", "+",
                         "+d", "1234567d", "Now", "NOW", "now ", "yesterday", "today",
                         "2026-13-45", "7dd", "++7d", "20000w",
                         "+999999w", /* past the year 9999 */
                         /* digits enough to overflow an int64 (found by fuzz_time) */
                         "99999999999999999999999d", "+677777777777777777777773+"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i], r);
}

static void relative_uses_the_clock(void **state)
{
    (void)state;
    /* now_ms <= 0: the clock. Two readings bracket it. */
    int64_t before = 0, t = 0, after = 0;
    assert_int_equal(lv_time_parse_input(&before, "now", 0, LV_TIME_RELATIVE), 0);
    assert_int_equal(lv_time_parse_input(&t, "1d", 0, LV_TIME_RELATIVE), 0);
    assert_int_equal(lv_time_parse_input(&after, "now", 0, LV_TIME_RELATIVE), 0);
    assert_true(before > DEC1 - 365 * DAY);
    assert_true(t >= before - DAY && t <= after - DAY);
}

static void end_of_day(void **state)
{
    (void)state;
    const unsigned e = LV_TIME_RELATIVE | LV_TIME_END_OF_DAY;
    /* A date alone is the last millisecond of that day... */
    assert_int_equal(parsed("2026-12-01", e), DEC1 + DAY - 1);
    assert_int_equal(parsed("2028-02-29", e), parsed("2028-03-01", 0) - 1);
    /* ...every other form the exact instant. */
    assert_int_equal(parsed("2026-12-01T00:00:00Z", e), DEC1);
    assert_int_equal(parsed("2026-12-01 00:00", e), DEC1);
    assert_int_equal(parsed("now", e), NOW);
    assert_int_equal(parsed("1d", e), NOW - DAY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(absolute_forms),   cmocka_unit_test(absolute_refusals),
        cmocka_unit_test(relative_forms),   cmocka_unit_test(relative_uses_the_clock),
        cmocka_unit_test(end_of_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
