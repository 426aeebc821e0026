/* util_buf.h - a growable text buffer (curl's dynbuf): appends never
 * overflow, and the first failure sticks, so a writer checks once at the
 * end. A leaf: uses only util_array.c and error.c. */
#ifndef LV_UTIL_BUF_H
#define LV_UTIL_BUF_H

#include <stddef.h>

typedef struct util_buf {
    char *data; /* NUL-terminated while len > 0 */
    size_t len, cap;
    int failed; /* an append ran out of memory: data is incomplete */
} util_buf;

void util_buf_add(util_buf *b, const char *data, size_t len);
void util_buf_puts(util_buf *b, const char *text);
void util_buf_printf(util_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* text with & < > " ' as character references: safe in HTML and XML
 * element content and in quoted attribute values. */
void util_buf_escaped(util_buf *b, const char *text);
void util_buf_free(util_buf *b);

#endif
