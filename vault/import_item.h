/* import_item.h - what an import's reader hands its writer (import.c):
 * prepared rows, refused rows and the header, one item each; and the
 * records mode's record. Implemented in import_row.c. */
#ifndef LV_IMPORT_ITEM_H
#define LV_IMPORT_ITEM_H

#include "crm_map.h"
#include "lead_ops.h"

typedef enum item_kind {
    ITEM_HEADER, /* the header's cells, for the reject file */
    ITEM_ROW,    /* a prepared lead */
    ITEM_REJECT  /* a refused row: reason and cells */
} item_kind;

typedef struct row_item {
    struct row_item *next;
    item_kind kind;
    uint64_t line;
    uint32_t unmapped_sources, unmapped_stages;
    uint32_t owners_dropped; /* the row's owner names no vault user */
    /* What each --consent-column says (consent_value), and the evidence of
     * each granted or withdrawn one, NUL-separated in column order (NULL
     * without consent columns). */
    consent_value consent[LV_IMPORT_CONSENT_COLUMNS_MAX];
    char *consent_notes;
    size_t consent_notes_len;
    store_lead lead;
    lead_draft d;
    /* The row as input, for --on-duplicate update. Only set when the reader
     * runs on the writer's thread: it points into the reader's buffers,
     * valid until the next row. */
    const lv_lead_input *in;
    char *raw; /* the record as read: ITEM_HEADER, ITEM_REJECT, and rows that
                  may be rejected as duplicates */
    size_t raw_len;
    size_t bytes;  /* memory held, for the queue's bound */
    char reason[]; /* ITEM_REJECT only: ROW_REASON_MAX bytes (a queued row
                      is about 1.3 KB without them) */
} row_item;

#define ROW_REASON_MAX 256

/* Takes ownership of item. A non-zero result stops the reader. */
typedef int (*row_sink)(void *ctx, row_item *item);

void row_item_free(row_item *item);
/* Wipe what an item still holds of the row's plaintext (the contacts'
 * index forms, the raw record) without freeing anything: the writer does
 * it right after storing, so that a stored row waiting to be freed by the
 * reader holds no plaintext. */
void row_item_wipe(row_item *item);

/* "NAME=VALUE" as --map, --map-owner and --consent-column give it: NAME
 * trimmed of spaces and tabs, VALUE after the last '='. LV_EINVAL naming
 * option when there is no '=' or either side is empty. */
int import_pair_split(const char *entry, const char *option, const char **name, size_t *name_len,
                      const char **value);

/* Vault user names, sorted by strcmp, for the owner column: an owner that
 * is neither one of them nor a --map-owner name is dropped and counted.
 * The array must outlive the reader. */
typedef char import_user_name[LV_NAME_MAX + 1];

/* Records mode, for other CSV bulk inputs (consent import): the reader
 * only parses. fn receives the header (header set) and then each record,
 * or, for a record refused while parsing, its reason; raw is the record as
 * read, without its line terminator. A non-zero result stops the reader. */
typedef struct csv_record {
    uint64_t line;
    int header;
    const char *reason; /* set: the record is malformed; cells are not given */
    size_t count;
    const char *const *cells; /* NUL-terminated */
    const size_t *lens;
    const char *raw;
    size_t raw_len;
} csv_record;
typedef int (*record_fn)(void *ctx, const csv_record *record);
#endif
