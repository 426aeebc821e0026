/* secure_block.c - guarded blocks kept for reuse (see the header). */
#include <pthread.h>
#include <sodium.h>

#include "secure_block.h"

static struct {
    pthread_mutex_t lock;
    unsigned char *kept[SECURE_BLOCK_CLASSES][SECURE_BLOCK_KEEP];
    size_t count[SECURE_BLOCK_CLASSES];
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The class whose blocks hold need bytes, or -1 when none does. */
static int class_of(size_t need)
{
    size_t size = SECURE_BLOCK_MIN;
    for (int c = 0; c < SECURE_BLOCK_CLASSES; c++, size *= 2) {
        if (need <= size)
            return c;
    }
    return -1;
}

unsigned char *secure_block_get(size_t need, size_t *cap)
{
    int c = class_of(need);
    if (c < 0) {
        *cap = need;
        return sodium_malloc(need);
    }
    *cap = (size_t)SECURE_BLOCK_MIN << c;
    unsigned char *block = NULL;
    pthread_mutex_lock(&pool.lock);
    if (pool.count[c] > 0)
        block = pool.kept[c][--pool.count[c]];
    pthread_mutex_unlock(&pool.lock);
    return block != NULL ? block : sodium_malloc(*cap);
}

void secure_block_put(unsigned char *block, size_t cap)
{
    if (block == NULL)
        return;
    sodium_memzero(block, cap);
    int c = class_of(cap);
    if (c >= 0 && cap == (size_t)SECURE_BLOCK_MIN << c) {
        pthread_mutex_lock(&pool.lock);
        int kept = pool.count[c] < SECURE_BLOCK_KEEP;
        if (kept)
            pool.kept[c][pool.count[c]++] = block;
        pthread_mutex_unlock(&pool.lock);
        if (kept)
            return;
    }
    sodium_free(block);
}
