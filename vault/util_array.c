/* util_array.c - overflow-checked growth of heap arrays. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "util_array.h"

/* The capacity, in items, that holds need: cap doubled (from first) until
 * it does. 0 when that passes SIZE_MAX / 2 or its size in bytes overflows
 * size_t (no allocation can be that large: malloc stops at PTRDIFF_MAX). */
static size_t grown_capacity(size_t cap, size_t need, size_t item_size, size_t first)
{
    size_t ncap = cap != 0 ? cap : first;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return 0;
        ncap *= 2;
    }
    return ncap <= SIZE_MAX / item_size ? ncap : 0;
}

int util_array_grow(void **items, size_t *cap, size_t need, size_t item_size, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t ncap = grown_capacity(*cap, need, item_size, first);
    if (ncap == 0)
        return err_set(LV_ERROR, "out of memory (an array of %zu items would overflow)", need);
    void *grown = realloc(*items, ncap * item_size);
    if (grown == NULL)
        return err_set(LV_ERROR, "out of memory");
    *items = grown;
    *cap = ncap;
    return 0;
}

void *util_array_append(void **items, size_t *count, size_t *cap, size_t item_size, size_t first)
{
    if (util_array_grow(items, cap, *count + 1, item_size, first) != 0)
        return NULL;
    unsigned char *item = (unsigned char *)*items + *count * item_size;
    memset(item, 0, item_size);
    (*count)++;
    return item;
}

int util_array_grow_wiped(void **items, size_t *cap, size_t used, size_t need, size_t first,
                          util_alloc_fn alloc, util_free_fn release)
{
    if (need <= *cap)
        return 0;
    if (alloc == NULL || release == NULL) {
        alloc = malloc;
        release = free;
    }
    size_t ncap = grown_capacity(*cap, need, 1, first);
    if (ncap == 0)
        return err_set(LV_ERROR, "out of memory (a buffer of %zu bytes would overflow)", need);
    unsigned char *grown = alloc(ncap);
    if (grown == NULL)
        return err_set(LV_ERROR, "out of memory");
    if (*items != NULL) {
        memcpy(grown, *items, used < *cap ? used : *cap);
        sodium_memzero(*items, *cap);
        release(*items);
    }
    *items = grown;
    *cap = ncap;
    return 0;
}
