/* test_secure_block.c - guarded blocks for revealed values (vault/
 * secure_block.c): a released block is wiped before anyone gets it again,
 * it is reused rather than unmapped, sizes fall in their classes, and a
 * reused block still ends at its guard page. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "secure_block.h"

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void test_released_block_is_wiped_and_reused(void **state)
{
    (void)state;
    size_t cap = 0;
    unsigned char *block = secure_block_get(100, &cap);
    assert_non_null(block);
    assert_int_equal(cap, SECURE_BLOCK_MIN);
    memset(block, 0xab, cap);
    secure_block_put(block, cap);
    size_t again_cap = 0;
    unsigned char *again = secure_block_get(SECURE_BLOCK_MIN, &again_cap);
    assert_ptr_equal(again, block); /* kept, not unmapped */
    assert_int_equal(again_cap, cap);
    for (size_t i = 0; i < again_cap; i++)
        assert_int_equal(again[i], 0);
    secure_block_put(again, again_cap);
}

static void test_size_classes(void **state)
{
    (void)state;
    const struct {
        size_t need, cap;
    } cases[] = {
        {1, SECURE_BLOCK_MIN},
        {SECURE_BLOCK_MIN + 1, 2 * SECURE_BLOCK_MIN},
        {5000, 8 * SECURE_BLOCK_MIN},
        {64 * 1024, 64 * 1024},
        {64 * 1024 + 1, 64 * 1024 + 1}, /* its own block */
        {1 << 20, 1 << 20},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t cap = 0;
        unsigned char *block = secure_block_get(cases[c].need, &cap);
        assert_non_null(block);
        assert_int_equal(cap, cases[c].cap);
        memset(block, 0x5a, cap); /* all of it is writable */
        secure_block_put(block, cap);
    }
    secure_block_put(NULL, 0);
}

/* A block handed out again still has sodium_malloc's guard page right
 * after its last byte: a write past it kills the process. */
static void test_reused_block_keeps_its_guard(void **state)
{
    (void)state;
    size_t cap = 0;
    unsigned char *block = secure_block_get(3000, &cap);
    assert_non_null(block);
    secure_block_put(block, cap);
    unsigned char *again = secure_block_get(3000, &cap);
    assert_ptr_equal(again, block);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* cmocka catches SIGSEGV to report a test; here it must kill. */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        volatile unsigned char *p = again;
        p[cap - 1] = 1; /* the last byte is the block's */
        p[cap] = 1;     /* the next one is the guard page's */
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_true(WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
    secure_block_put(again, cap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_released_block_is_wiped_and_reused),
        cmocka_unit_test(test_size_classes),
        cmocka_unit_test(test_reused_block_keeps_its_guard),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
