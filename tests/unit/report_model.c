/* report_model.c - the helpers every report uses: shares rounded the same
 * way everywhere, days in UTC, keys in byte order, rule conditions in
 * words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "report.h"

static void shares_round_half_up_to_one_decimal(void **state)
{
    (void)state;
    char out[16];
    report_share(out, 0, 0);
    assert_string_equal(out, "0.0");
    report_share(out, 1, 3);
    assert_string_equal(out, "33.3");
    report_share(out, 2, 3);
    assert_string_equal(out, "66.7");
    report_share(out, 1, 8); /* 12.5 exactly */
    assert_string_equal(out, "12.5");
    report_share(out, 1, 16); /* 6.25 -> 6.3 */
    assert_string_equal(out, "6.3");
    report_share(out, 5, 5);
    assert_string_equal(out, "100.0");
}

static void days_are_utc(void **state)
{
    (void)state;
    char day[11];
    report_day(day, 1988236799999LL); /* 2033-01-01T23:59:59.999Z */
    assert_string_equal(day, "2033-01-01");
    report_day(day, 1988236800000LL);
    assert_string_equal(day, "2033-01-02");
    json_t *days = json_object();
    assert_int_equal(report_day_count(days, 1988236800000LL), 0);
    assert_int_equal(report_day_count(days, 1988236800001LL), 0);
    assert_int_equal(json_integer_value(json_object_get(days, "2033-01-02")), 2);
    json_decref(days);
}

static void keys_come_sorted(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:i, s:i, s:i}", "sam", 1, "alice", 2, "cora", 3);
    size_t n = 0;
    const char **keys = report_sorted_keys(o, &n);
    assert_int_equal(n, 3);
    assert_string_equal(keys[0], "alice");
    assert_string_equal(keys[1], "cora");
    assert_string_equal(keys[2], "sam");
    free(keys);
    json_decref(o);
}

static void rules_in_words(void **state)
{
    (void)state;
    store_rule rule = {.stage = "lost",
                       .no_consent = 1,
                       .older_than_ms = 365 * REPORT_DAY_MS,
                       .inactive_ms = 30 * REPORT_DAY_MS};
    char text[256];
    report_rule_text(text, &rule);
    assert_string_equal(text, "stage lost, no active consent, created over 365 days ago, "
                              "no contact for 30 days");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shares_round_half_up_to_one_decimal),
        cmocka_unit_test(days_are_utc),
        cmocka_unit_test(keys_come_sorted),
        cmocka_unit_test(rules_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
