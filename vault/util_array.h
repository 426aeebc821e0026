/* util_array.h - one overflow-checked way to grow a heap array (as
 * libgit2's array.h and curl's dynbuf). Capacity doubles from a first
 * size; every size computation is checked, so a count that would wrap
 * size_t fails instead of allocating a small block and writing past it.
 *
 *     if (util_array_grow((void **)&list->items, &list->cap, list->count + 1,
 *                         sizeof *list->items, 8) != 0)
 *         return LV_ERROR;   (the message is set)
 *
 * util_array_grow_wiped is for blocks that held plaintext or secrets: it
 * never uses realloc (which may leave the old block unwiped in the heap)
 * but allocates, copies the used part, wipes the whole old block and frees
 * it. */
#ifndef LV_UTIL_ARRAY_H
#define LV_UTIL_ARRAY_H

#include <stddef.h>

/* Make *items hold at least need items of item_size bytes (*cap counts
 * items): nothing when it already does, else double *cap (from first
 * when 0) until it does, with realloc. On failure *items and *cap are left
 * as they were and LV_ERROR is returned ("out of memory", or a size that
 * overflows). item_size and first must be at least 1. */
int util_array_grow(void **items, size_t *cap, size_t need, size_t item_size, size_t first);

/* Room for one more item at the end of *items, which holds *count of
 * *cap (grown as util_array_grow does): the new item, zeroed and counted
 * in *count. NULL on failure, with *items, *count and *cap as they were
 * (the message is set). libgit2's git_array_alloc. */
void *util_array_append(void **items, size_t *count, size_t *cap, size_t item_size, size_t first);

/* Allocator of a wiped array: malloc/free when both are NULL, or another
 * pair (jansson's, for text jansson will free). */
typedef void *(*util_alloc_fn)(size_t size);
typedef void (*util_free_fn)(void *block);

/* util_array_grow for a byte buffer whose old copy must not stay in the
 * heap: a new block of the grown capacity, the first `used` bytes copied,
 * the old block (all *cap bytes) wiped with sodium_memzero and freed. */
int util_array_grow_wiped(void **items, size_t *cap, size_t used, size_t need, size_t first,
                          util_alloc_fn alloc, util_free_fn release);

#endif
