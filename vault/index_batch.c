/* index_batch.c - blind-index entries held back per import batch (see
 * the header). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index_batch.h"

int index_batch_init(index_batch *b, size_t cap)
{
    memset(b, 0, sizeof *b);
    size_t slots = 16;
    while (slots < cap * 2)
        slots <<= 1;
    b->entries = malloc(cap * sizeof *b->entries);
    b->slots = calloc(slots, sizeof *b->slots);
    if (b->entries == NULL || b->slots == NULL) {
        index_batch_free(b);
        return err_set(LV_ERROR, "out of memory");
    }
    b->cap = cap;
    b->slot_mask = slots - 1;
    return 0;
}

/* Tags are keyed BLAKE2b output: their first bytes are the hash. */
static size_t slot_of(const index_batch *b, int kind, const unsigned char tag[INDEX_TAG_BYTES])
{
    uint64_t h;
    memcpy(&h, tag, sizeof h);
    return (size_t)(h ^ (uint64_t)(unsigned)kind) & b->slot_mask;
}

void index_batch_add(index_batch *b, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES])
{
    index_entry *e = &b->entries[b->count];
    e->kind = (unsigned char)kind;
    memcpy(e->tag, tag, INDEX_TAG_BYTES);
    memcpy(e->lead_id, lead_id, LV_ID_BYTES);
    size_t i = slot_of(b, kind, tag);
    while (b->slots[i] != 0)
        i = (i + 1) & b->slot_mask;
    b->slots[i] = (uint32_t)++b->count;
}

const unsigned char *index_batch_find(const index_batch *b, int kind,
                                      const unsigned char tag[INDEX_TAG_BYTES])
{
    for (size_t i = slot_of(b, kind, tag); b->slots[i] != 0; i = (i + 1) & b->slot_mask) {
        const index_entry *e = &b->entries[b->slots[i] - 1];
        if (e->kind == kind && memcmp(e->tag, tag, INDEX_TAG_BYTES) == 0)
            return e->lead_id;
    }
    return NULL;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const index_entry *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = memcmp(a->tag, b->tag, INDEX_TAG_BYTES);
    return c != 0 ? c : memcmp(a->lead_id, b->lead_id, LV_ID_BYTES);
}

int index_batch_flush(index_batch *b, store *st)
{
    qsort(b->entries, b->count, sizeof *b->entries, entry_cmp);
    int rc = store_index_put_many(st, b->entries, b->count);
    b->count = 0;
    memset(b->slots, 0, (b->slot_mask + 1) * sizeof *b->slots);
    return rc;
}

void index_batch_free(index_batch *b)
{
    free(b->entries);
    free(b->slots);
    memset(b, 0, sizeof *b);
}
