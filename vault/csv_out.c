/* csv_out.c - neutralized RFC 4180 rows. */
#include <csv.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "error.h"
#include "util_array.h"

/* A cell a spreadsheet would run as a formula gets an apostrophe in
 * front; so does one that already starts with apostrophes before such a
 * character, so that import, which takes one apostrophe off exactly these
 * cells, gives every value back as it was. */
static int neutralize(const char *text, size_t len)
{
    size_t at = 0;
    while (at < len && text[at] == '\'')
        at++;
    return at < len && text[at] != '\0' && strchr("=+-@\t\r", text[at]) != NULL;
}

static int cell(csv_out *out, const char *text, size_t len, int last)
{
    int prefix = neutralize(text, len);
    /* Worst case every byte is a quote (doubled), plus the quotes around. */
    size_t need = 2 * (len + prefix) + 4;
    /* Nothing to keep (used 0): the old block is only wiped and freed. */
    if (util_array_grow_wiped((void **)&out->buf, &out->cap, 0, need, need, NULL, NULL) != 0)
        return LV_ERROR;
    size_t n;
    if (prefix) {
        /* libcsv quotes the text one byte in ("text"); its opening quote
         * then becomes the apostrophe and a new quote goes in front:
         * "'text". */
        n = csv_write(out->buf + 1, out->cap - 1, text, len) + 1;
        out->buf[0] = '"';
        out->buf[1] = '\'';
    } else {
        n = csv_write(out->buf, out->cap, text, len);
    }
    int rc = out->fn(out->ctx, out->buf, n) != 0 ||
             out->fn(out->ctx, last ? "\r\n" : ",", last ? 2 : 1) != 0;
    sodium_memzero(out->buf, n);
    return rc ? err_set(LV_ERROR, "cannot write the output") : 0;
}

int csv_out_row(csv_out *out, const char *const *cells, const size_t *lens, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = cell(out, cells[i], lens[i], i + 1 == n);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void csv_out_free(csv_out *out)
{
    if (out->buf != NULL) {
        sodium_memzero(out->buf, out->cap);
        free(out->buf);
    }
    out->buf = NULL;
    out->cap = 0;
}
