/* import_read.h - the reading half of an import, and what it hands the
 * writer (import.c). The two halves of an import: the reader (parse, map,
 * validate, seal: no store access) and the writer (deduplicate, store,
 * audit), joined by a bounded queue of prepared rows so that the two can
 * run on two cores. */
#ifndef LV_IMPORT_READ_H
#define LV_IMPORT_READ_H

#include <stdatomic.h>

#include "import_item.h"

#define IMPORT_HANDOFF 64 /* rows the reader hands over at a time */

typedef struct reader reader;

/* Owners not among users (sorted, outliving the reader) are dropped and
 * counted; see import_user_name. */
void reader_set_users(reader *r, const import_user_name *users, size_t count);

/* Records mode (see csv_record): a reader that only parses, for other
 * CSV bulk inputs such as consent import. */
int reader_new_records(reader **out, char delimiter, record_fn fn, void *ctx);

/* A reader that prepares rows with the session's keys (read only) and the
 * guarded key_scratch (KEY_BYTES, owned by the caller's thread), reports
 * unknown columns into summary->unknown_columns, and hands every item to
 * sink. keep_input: set item->in (synchronous use only). */
int reader_new(reader **out, lv_vault *vault, const lv_import_options *opts,
               lv_import_summary *summary, unsigned char *key_scratch, int keep_input,
               row_sink sink, void *sink_ctx);

/* Read the whole input. *bytes_read counts input consumed; a set *stop
 * ends the reading early (with 0). Returns 0 or the error that stopped it. */
int reader_run(reader *im, lv_read_fn read, void *read_ctx, atomic_ullong *bytes_read,
               const atomic_int *stop);
void reader_free(reader *r);

#endif
