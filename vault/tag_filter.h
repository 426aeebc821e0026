/* tag_filter.h - a Bloom filter over blind-index entries (kind, tag).
 * An import asks it before probing the index for a duplicate: "no" is
 * certain, so most new rows skip the B-tree lookup; "maybe" (a real
 * duplicate, or a false positive) is settled by the lookup as before.
 * Tags are keyed BLAKE2b output, so their own bytes serve as the hashes. */
#ifndef LV_TAG_FILTER_H
#define LV_TAG_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct tag_filter {
    uint64_t *bits;
    uint64_t mask; /* bit count - 1 (a power of two) */
    size_t entries;
} tag_filter;

/* A filter sized for about expected entries (at least 512 KiB, at most
 * 16 MiB of bits; 12 bits per entry). LV_ERROR when out of memory. */
int tag_filter_init(tag_filter *f, size_t expected);
void tag_filter_add(tag_filter *f, int kind, const unsigned char tag[INDEX_TAG_BYTES]);
/* 0: (kind, tag) was never added. 1: it may have been. */
int tag_filter_maybe(const tag_filter *f, int kind, const unsigned char tag[INDEX_TAG_BYTES]);
/* 1 when it holds more entries than it was sized for (false positives
 * grow) and a larger one is allowed: time to rebuild it twice as large. */
int tag_filter_full(const tag_filter *f);
void tag_filter_free(tag_filter *f);

#endif
