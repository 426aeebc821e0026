/* vault_unlock_timing.c - a wrong passphrase and an unknown user are refused
 * (LV_EAUTH) only after the full KDF cost: timing must not tell them apart
 * from a real unlock, nor tell which user names exist.
 *
 * The keyslot uses the default Argon2id cost (64 MiB, 3 passes), so the KDF
 * dominates an open; each kind of attempt is timed several times and the
 * medians compared. The bound - a failure takes at least half as long as a
 * success - leaves room for noise while still catching a shortcut (an
 * unknown user refused without a KDF costs a few milliseconds against a
 * hundred or more). */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "vault_fixture.h"

#define ROUNDS 5
#define PASS "timing test passphrase"

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median seconds of ROUNDS opens as user / passphrase, each expected to
 * return `expected`. */
static double time_open(const fixture *f, const char *user, const char *passphrase, int expected)
{
    double took[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        lv_vault *vault = (lv_vault *)&vault;
        double start = fixture_now();
        int rc = fixture_open(&vault, f, user, passphrase);
        took[i] = fixture_now() - start;
        if (rc != expected) {
            print_error("open as %s: %d, expected %d: %s\n", user, rc, expected, lv_error_last());
            fail();
        }
        if (rc == 0)
            fixture_close(vault);
        else
            assert_null(vault);
    }
    qsort(took, ROUNDS, sizeof took[0], compare_double);
    return took[ROUNDS / 2];
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fixture_make_dir(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_remove_dir(*state);
    free(*state);
    return 0;
}

static void test_failures_pay_the_kdf(void **state)
{
    fixture f = *(fixture *)*state;
    lv_create_options opts = LV_CREATE_OPTIONS_INIT;
    opts.admin_name = "alice";
    opts.passphrase = PASS;
    opts.passphrase_len = strlen(PASS);
    opts.kdf.memory_kib = LV_KDF_MEMORY_KIB_DEFAULT;
    opts.kdf.iterations = LV_KDF_ITERATIONS_DEFAULT;
    lv_vault *vault = NULL;
    FIXTURE_OK(lv_vault_create(&vault, f.path, &opts));
    fixture_close(vault);
    (void)time_open(&f, "alice", PASS, 0); /* warm caches and the file */

    double correct = time_open(&f, "alice", PASS, 0);
    double wrong = time_open(&f, "alice", "not the passphrase", LV_EAUTH);
    double unknown = time_open(&f, "mallory", PASS, LV_EAUTH);
    double unknown_empty = time_open(&f, "nobody", "", LV_EAUTH);
    print_message("median open: correct %.1f ms, wrong passphrase %.1f ms, unknown user %.1f ms,"
                  " unknown user with empty passphrase %.1f ms\n",
                  correct * 1e3, wrong * 1e3, unknown * 1e3, unknown_empty * 1e3);
    /* The KDF is not free: the measurement means something. */
    assert_true(correct > 0.005);
    assert_true(wrong >= 0.5 * correct);
    assert_true(unknown >= 0.5 * correct);
    assert_true(unknown_empty >= 0.5 * correct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_failures_pay_the_kdf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
