/* import.h - the writing half of an import (lv_import), as the benchmark
 * sees it. */
#ifndef LV_IMPORT_H
#define LV_IMPORT_H

/* Rows per transaction and audit entry: IMPORT_BATCH_ROWS at first, then
 * a quarter of the leads the vault is known to hold, up to
 * IMPORT_BATCH_ROWS_MAX (see import.c, batch_size). */
#define IMPORT_BATCH_ROWS 10000
#define IMPORT_BATCH_ROWS_MAX 50000
/* Where the writing thread's time went in the last lv_import on this
 * thread, wall seconds: for bench/bench_import_stages, which reports the
 * breakdown of an import. rows is everything else the writer did:
 * duplicate checks and inserting the leads (and, on the one-thread path,
 * reading). */
typedef struct import_timing {
    double total;   /* lv_import's writing half, first row to last commit */
    double waiting; /* for the reader (an empty queue) */
    double index;   /* inserting the held-back blind-index entries */
    double audit;   /* the batches' lead.import entries */
    double commit;  /* commits, with the WAL checkpoints SQLite runs in them */
    double rows;
} import_timing;
void import_timing_last(import_timing *out);

#endif
