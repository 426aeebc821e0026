/* util_name.c - unit tests of names typed by a person (vault/util_name.c):
 * case-insensitive lookup, the closest name, and the refusal's message. */
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
#include "util_name.h"

static const char *const stages[] = {"new",       "contacted", "qualified", "unqualified",
                                     "nurturing", "converted", "lost",      NULL};

static void lookup_ignores_case(void **state)
{
    (void)state;
    /* the canonical entry itself comes back, not the input */
    assert_ptr_equal(util_name_lookup(stages, "Qualified"), stages[2]);
    assert_ptr_equal(util_name_lookup(stages, "QUALIFIED"), stages[2]);
    assert_ptr_equal(util_name_lookup(stages, "lost"), stages[6]);
    assert_null(util_name_lookup(stages, "qualifie"));
    assert_null(util_name_lookup(stages, "qualifieds"));
    assert_null(util_name_lookup(stages, ""));
    assert_null(util_name_lookup(stages, NULL));
}

static void closest(void **state)
{
    (void)state;
    assert_string_equal(util_name_closest(stages, "qualifed"), "qualified");
    assert_string_equal(util_name_closest(stages, "Contacted "), "contacted");
    assert_string_equal(util_name_closest(stages, "nurture"), "nurturing");
    assert_string_equal(util_name_closest(stages, "conv"), "converted"); /* a prefix */
    assert_string_equal(util_name_closest(stages, "los"), "lost");
    /* nothing near: no suggestion rather than a wild one */
    assert_null(util_name_closest(stages, "bogus"));
    assert_null(util_name_closest(stages, "won"));
    assert_null(util_name_closest(stages, ""));
    assert_null(util_name_closest(stages, "an input far longer than any name of the list is"));
}

static void refusal_message(void **state)
{
    (void)state;
    assert_int_equal(util_name_unknown("stage", "stage", "qualifed", stages), LV_EINVAL);
    assert_string_equal(lv_error_last(),
                        "stage: unknown stage (did you mean qualified?); expected "
                        "one of new, contacted, qualified, unqualified, nurturing, converted, lost");
    assert_null(strstr(lv_error_last(), "qualifed"));
    assert_int_equal(util_name_unknown("stage", "stage", "bogus", stages), LV_EINVAL);
    assert_null(strstr(lv_error_last(), "did you mean"));
    /* what was typed (pasted data, say) is never quoted back */
    assert_int_equal(util_name_unknown("stage", "stage", "Ann <ann@example.com>", stages),
                     LV_EINVAL);
    assert_null(strstr(lv_error_last(), "ann@"));
    assert_non_null(strstr(lv_error_last(), "stage: unknown stage; expected one of new"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookup_ignores_case),
        cmocka_unit_test(closest),
        cmocka_unit_test(refusal_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
