/* secure_block.c - guarded blocks kept for reuse (see the header). */
#include <pthread.h>
#include <sodium.h>
#include <unistd.h>

#include "secure_block.h"

/* sodium_malloc puts a 16-byte canary before the block and rounds the two
 * up to whole pages: a class of n pages holds n pages less the canary.
 * (Another canary size only costs a class one more page.) */
#define CANARY_BYTES 16

static struct {
    pthread_mutex_t lock;
    pthread_once_t once;
    size_t page;
    unsigned char *kept[SECURE_BLOCK_CLASSES][SECURE_BLOCK_KEEP_PAGES];
    size_t count[SECURE_BLOCK_CLASSES];
    size_t pages; /* kept in all */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT};

/* A child of fork must not inherit the lock held by another thread. */
static void fork_prepare(void)
{
    pthread_mutex_lock(&pool.lock);
}

static void fork_done(void)
{
    pthread_mutex_unlock(&pool.lock);
}

static void pool_init(void)
{
    long page = sysconf(_SC_PAGESIZE);
    pool.page = page > 0 ? (size_t)page : 4096;
    (void)pthread_atfork(fork_prepare, fork_done, fork_done);
}

static size_t class_cap(int c)
{
    return (pool.page << c) - CANARY_BYTES;
}

/* The class whose blocks hold need bytes, or -1 when none does. */
static int class_of(size_t need)
{
    for (int c = 0; c < SECURE_BLOCK_CLASSES; c++) {
        if (need <= class_cap(c))
            return c;
    }
    return -1;
}

unsigned char *secure_block_get(size_t need, size_t *cap)
{
    (void)pthread_once(&pool.once, pool_init);
    int c = class_of(need);
    if (c < 0) {
        *cap = need;
        return sodium_malloc(need);
    }
    *cap = class_cap(c);
    unsigned char *block = NULL;
    pthread_mutex_lock(&pool.lock);
    if (pool.count[c] > 0) {
        block = pool.kept[c][--pool.count[c]];
        pool.pages -= (size_t)1 << c;
    }
    pthread_mutex_unlock(&pool.lock);
    return block != NULL ? block : sodium_malloc(*cap);
}

void secure_block_put(unsigned char *block, size_t cap)
{
    if (block == NULL)
        return;
    (void)pthread_once(&pool.once, pool_init);
    sodium_memzero(block, cap);
    int c = class_of(cap);
    if (c >= 0 && cap == class_cap(c)) {
        pthread_mutex_lock(&pool.lock);
        int kept = pool.pages + ((size_t)1 << c) <= SECURE_BLOCK_KEEP_PAGES;
        if (kept) {
            pool.kept[c][pool.count[c]++] = block;
            pool.pages += (size_t)1 << c;
        }
        pthread_mutex_unlock(&pool.lock);
        if (kept)
            return;
    }
    sodium_free(block);
}

size_t secure_block_drain(void)
{
    size_t freed = 0;
    pthread_mutex_lock(&pool.lock);
    for (int c = 0; c < SECURE_BLOCK_CLASSES; c++) {
        while (pool.count[c] > 0) {
            sodium_free(pool.kept[c][--pool.count[c]]);
            freed++;
        }
    }
    pool.pages = 0;
    pthread_mutex_unlock(&pool.lock);
    return freed;
}
