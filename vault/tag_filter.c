/* tag_filter.c - a Bloom filter over blind-index entries (see the header). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "tag_filter.h"

#define PROBES 7                     /* bits set per entry */
#define BITS_PER_ENTRY 12            /* at this load, about 0.3 % false positives */
#define MIN_BITS ((uint64_t)1 << 22) /* 512 KiB */
#define MAX_BITS ((uint64_t)1 << 27) /* 16 MiB */

int tag_filter_init(tag_filter *f, size_t expected)
{
    uint64_t want = (uint64_t)expected * BITS_PER_ENTRY, bits = MIN_BITS;
    while (bits < want && bits < MAX_BITS)
        bits <<= 1;
    memset(f, 0, sizeof *f);
    f->bits = calloc((size_t)(bits / 64), sizeof *f->bits);
    if (f->bits == NULL)
        return err_set(LV_ERROR, "out of memory");
    f->mask = bits - 1;
    return 0;
}

/* Double hashing (Kirsch-Mitzenmacher) over the tag's two halves; the
 * kind moves the first so that an email and a phone with equal tags
 * (never, in practice) still set different bits. */
static void hashes(int kind, const unsigned char tag[INDEX_TAG_BYTES], uint64_t *h1, uint64_t *h2)
{
    memcpy(h1, tag, sizeof *h1);
    memcpy(h2, tag + 8, sizeof *h2);
    *h1 ^= (uint64_t)(unsigned)kind * 0x9E3779B97F4A7C15u;
    *h2 |= 1;
}

void tag_filter_add(tag_filter *f, int kind, const unsigned char tag[INDEX_TAG_BYTES])
{
    uint64_t h1, h2;
    hashes(kind, tag, &h1, &h2);
    for (uint64_t i = 0; i < PROBES; i++) {
        uint64_t bit = (h1 + i * h2) & f->mask;
        f->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    f->entries++;
}

int tag_filter_maybe(const tag_filter *f, int kind, const unsigned char tag[INDEX_TAG_BYTES])
{
    uint64_t h1, h2;
    hashes(kind, tag, &h1, &h2);
    for (uint64_t i = 0; i < PROBES; i++) {
        uint64_t bit = (h1 + i * h2) & f->mask;
        if (!(f->bits[bit / 64] >> (bit % 64) & 1))
            return 0;
    }
    return 1;
}

int tag_filter_full(const tag_filter *f)
{
    return f->entries * BITS_PER_ENTRY > f->mask + 1 && f->mask + 1 < MAX_BITS;
}

void tag_filter_free(tag_filter *f)
{
    free(f->bits);
    memset(f, 0, sizeof *f);
}
