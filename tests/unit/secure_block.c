/* secure_block.c - guarded blocks for revealed values (vault/
 * secure_block.c): a released block is wiped as it is released and reused
 * rather than unmapped, sizes fall in their page classes, the pool keeps
 * no more than its page budget, and a reused block still ends at its
 * guard page. */
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

static size_t page;

static int setup(void **state)
{
    (void)state;
    page = (size_t)sysconf(_SC_PAGESIZE);
    return sodium_init() < 0 ? -1 : 0;
}

static int empty_pool(void **state)
{
    (void)state;
    (void)secure_block_drain();
    return 0;
}

static void test_released_block_is_wiped_and_reused(void **state)
{
    (void)state;
    size_t cap = 0;
    unsigned char *block = secure_block_get(100, &cap);
    assert_non_null(block);
    assert_int_equal(cap, page - 16);
    memset(block, 0xab, cap);
    secure_block_put(block, cap);
    for (size_t i = 0; i < cap; i++) /* still mapped: kept, and wiped by the put */
        assert_int_equal(block[i], 0);
    size_t again_cap = 0;
    unsigned char *again = secure_block_get(cap, &again_cap);
    assert_ptr_equal(again, block);
    assert_int_equal(again_cap, cap);
    secure_block_put(again, again_cap);
}

static void test_size_classes(void **state)
{
    (void)state;
    const struct {
        size_t need, cap;
    } cases[] = {
        {1, page - 16},
        {page - 16, page - 16},
        {page - 15, 2 * page - 16},
        {5 * page, 8 * page - 16},
        {16 * page - 16, 16 * page - 16},
        {16 * page - 15, 16 * page - 15}, /* its own block */
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

/* At most SECURE_BLOCK_KEEP_PAGES pages stay locked in the pool. */
static void test_pool_budget(void **state)
{
    (void)state;
    enum { N = SECURE_BLOCK_KEEP_PAGES + 4 };
    unsigned char *blocks[N];
    size_t caps[N];
    for (int i = 0; i < N; i++)
        assert_non_null(blocks[i] = secure_block_get(10, &caps[i]));
    for (int i = 0; i < N; i++)
        secure_block_put(blocks[i], caps[i]);
    assert_int_equal(secure_block_drain(), SECURE_BLOCK_KEEP_PAGES);
    for (int i = 0; i < 2; i++) /* 16 pages each: one fits */
        assert_non_null(blocks[i] = secure_block_get(9 * page, &caps[i]));
    for (int i = 0; i < 2; i++)
        secure_block_put(blocks[i], caps[i]);
    assert_int_equal(secure_block_drain(), 1);
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
        cmocka_unit_test_setup(test_released_block_is_wiped_and_reused, empty_pool),
        cmocka_unit_test_setup(test_size_classes, empty_pool),
        cmocka_unit_test_setup(test_pool_budget, empty_pool),
        cmocka_unit_test_setup(test_reused_block_keeps_its_guard, empty_pool),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
