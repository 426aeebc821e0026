/* util_array.c - vault/util_array.c: arrays grow by doubling, keep
 * their contents, refuse any size that would overflow size_t (leaving the
 * array as it was), and the wiped variant copies only what is used and
 * wipes the whole old block before releasing it; appending gives a zeroed
 * item at the end. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdlib.h>
#include <string.h>

#include "leadvault.h"
#include "util_array.h"

static void test_grows_by_doubling_and_keeps_items(void **state)
{
    (void)state;
    int *items = NULL;
    size_t cap = 0;
    assert_int_equal(util_array_grow((void **)&items, &cap, 1, sizeof *items, 8), 0);
    assert_int_equal(cap, 8);
    for (int i = 0; i < 8; i++)
        items[i] = i * 3;
    assert_int_equal(util_array_grow((void **)&items, &cap, 8, sizeof *items, 8), 0);
    assert_int_equal(cap, 8); /* enough already: unchanged */
    assert_int_equal(util_array_grow((void **)&items, &cap, 9, sizeof *items, 8), 0);
    assert_int_equal(cap, 16);
    assert_int_equal(util_array_grow((void **)&items, &cap, 100, sizeof *items, 8), 0);
    assert_int_equal(cap, 128);
    for (int i = 0; i < 8; i++)
        assert_int_equal(items[i], i * 3);
    free(items);
}

static void test_overflowing_sizes_are_refused(void **state)
{
    (void)state;
    unsigned char *items = NULL;
    size_t cap = 0;
    assert_int_equal(util_array_grow((void **)&items, &cap, 4, 16, 4), 0);
    items[0] = 0x5a;
    /* need * item_size wraps: refused, the array untouched. */
    assert_int_equal(util_array_grow((void **)&items, &cap, SIZE_MAX / 8, 16, 4), LV_ERROR);
    assert_int_equal(cap, 4);
    assert_non_null(items);
    assert_int_equal(items[0], 0x5a);
    assert_non_null(strstr(lv_error_last(), "overflow"));
    /* Doubling past SIZE_MAX / 2, for items of one and of two bytes. */
    assert_int_equal(util_array_grow((void **)&items, &cap, SIZE_MAX, 1, 4), LV_ERROR);
    assert_int_equal(util_array_grow((void **)&items, &cap, SIZE_MAX / 2 + 1, 2, 4), LV_ERROR);
    assert_int_equal(cap, 4);
    /* The same for the wiped variant. */
    size_t bytes = 64;
    void *buf = malloc(bytes);
    assert_non_null(buf);
    assert_int_equal(util_array_grow_wiped(&buf, &bytes, 0, SIZE_MAX, 64, NULL, NULL), LV_ERROR);
    assert_int_equal(bytes, 64);
    free(buf);
    free(items);
}

/* A release function that checks the block is wiped before it goes. */
static size_t released_size;
static int released_all_zero;
static void *counting_alloc(size_t size)
{
    return malloc(size);
}
static void checking_release(void *block)
{
    const unsigned char *p = block;
    released_all_zero = 1;
    for (size_t i = 0; i < released_size; i++)
        released_all_zero &= p[i] == 0;
    free(block);
}

static void test_wiped_growth_copies_used_bytes_and_wipes_the_old_block(void **state)
{
    (void)state;
    size_t cap = 0;
    void *buf = NULL;
    assert_int_equal(util_array_grow_wiped(&buf, &cap, 0, 10, 16, counting_alloc, checking_release),
                     0);
    assert_int_equal(cap, 16);
    memset(buf, 'p', cap); /* plaintext in every byte */
    memcpy(buf, "secret-row", 10);
    released_size = cap;
    released_all_zero = 0;
    assert_int_equal(
        util_array_grow_wiped(&buf, &cap, 10, 40, 16, counting_alloc, checking_release), 0);
    assert_int_equal(cap, 64);
    assert_true(released_all_zero); /* all 16 bytes, not just the 10 used */
    assert_memory_equal(buf, "secret-row", 10);
    free(buf);
}

static void test_append_gives_a_zeroed_counted_item(void **state)
{
    (void)state;
    struct pair {
        int a, b;
    } *items = NULL;
    size_t count = 0, cap = 0;
    for (int i = 0; i < 9; i++) {
        struct pair *p = util_array_append((void **)&items, &count, &cap, sizeof *items, 8);
        assert_non_null(p);
        assert_int_equal(p->a, 0);
        assert_int_equal(p->b, 0);
        p->a = i;
        p->b = -i;
    }
    assert_int_equal(count, 9);
    assert_int_equal(cap, 16);
    for (int i = 0; i < 9; i++)
        assert_int_equal(items[i].a, i);
    free(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grows_by_doubling_and_keeps_items),
        cmocka_unit_test(test_overflowing_sizes_are_refused),
        cmocka_unit_test(test_wiped_growth_copies_used_bytes_and_wipes_the_old_block),
        cmocka_unit_test(test_append_gives_a_zeroed_counted_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
