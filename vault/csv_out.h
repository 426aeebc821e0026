/* csv_out.h - RFC 4180 output through libcsv, with spreadsheet formula
 * neutralization: a cell starting with = + - @, tab or CR gets a leading
 * apostrophe, so that opening the file never runs it as a formula. */
#ifndef LV_CSV_OUT_H
#define LV_CSV_OUT_H

#include <stddef.h>

#include "leadvault.h"

typedef struct csv_out {
    lv_write_fn fn;
    void *ctx;
    char *buf; /* quoting buffer, wiped after each cell */
    size_t cap;
} csv_out;

/* Write one row of n cells (lens[i] bytes each) followed by CRLF. */
int csv_out_row(csv_out *out, const char *const *cells, const size_t *lens, size_t n);
/* Wipe and free the buffer. */
void csv_out_free(csv_out *out);

#endif
