/* secure_block.h - guarded, locked blocks for revealed values, reused.
 *
 * A revealed lead's values live in sodium_malloc memory: guard pages
 * around it, locked out of swap. Getting and releasing such a block costs
 * about ten system calls (mmap, mprotect, mlock and back), which was a
 * quarter of an audited `lead find` on a fast disk. A released block is
 * wiped at once and kept for the next reveal instead, in size classes of
 * 1, 2, 4, 8 and 16 pages, at most SECURE_BLOCK_KEEP_PAGES pages in all
 * (locked memory is scarce: RLIMIT_MEMLOCK may be as low as 64 KiB).
 * Larger requests get their own block, freed when released. A block's
 * last byte sits right before its guard page, so a caller whose data is
 * shorter than the block puts it at the end. Safe to call from any
 * thread, and in a child after fork. */
#ifndef LV_SECURE_BLOCK_H
#define LV_SECURE_BLOCK_H

#include <stddef.h>

#define SECURE_BLOCK_KEEP_PAGES 16
#define SECURE_BLOCK_CLASSES 5

/* A guarded block of at least need bytes (its size in *cap), or NULL when
 * out of memory. Its content is undefined; a kept block was wiped when it
 * was released. */
unsigned char *secure_block_get(size_t need, size_t *cap);

/* Wipe block (cap bytes, as secure_block_get gave) and keep it for reuse,
 * or free it. NULL is a no-op. */
void secure_block_put(unsigned char *block, size_t cap);

/* Free every kept block; returns how many there were. For tests. */
size_t secure_block_drain(void);

#endif
