/* rekey.h - what of lv_vault_rekey (vault/rekey.c) a test may set. */
#ifndef LV_REKEY_H
#define LV_REKEY_H

#include <stddef.h>

/* Entries per run of the blind-index rebuild (33 bytes each; default
 * 2^19, 17 MiB): a test sets it low to make many runs of few buckets. */
extern size_t rekey_index_run;

#endif
