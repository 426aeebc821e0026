/* index_batch.h - the blind-index entries of an import batch, held back
 * and inserted in key order when the batch closes. Tags are random, so
 * row by row each insert lands on another page of the index; sorted, a
 * batch's entries walk the index once. Until then the batch answers the
 * duplicate check for the rows it holds. */
#ifndef LV_INDEX_BATCH_H
#define LV_INDEX_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef store_index_entry index_entry;

typedef struct index_batch {
    index_entry *entries;
    size_t count, cap;
    uint32_t *slots; /* open addressing: entry index + 1, 0 = free */
    size_t slot_mask;
} index_batch;

/* Room for cap entries. LV_ERROR when out of memory. */
int index_batch_init(index_batch *b, size_t cap);
void index_batch_add(index_batch *b, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES]);
/* The lead of the first entry held for (kind, tag), or NULL. */
const unsigned char *index_batch_find(const index_batch *b, int kind,
                                      const unsigned char tag[INDEX_TAG_BYTES]);
/* Insert every held entry in key order (inside the caller's transaction)
 * and empty the batch. */
int index_batch_flush(index_batch *b, store *st);
void index_batch_free(index_batch *b);

#endif
