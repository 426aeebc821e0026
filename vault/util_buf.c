/* util_buf.c - growable text buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_array.h"
#include "util_buf.h"

void util_buf_add(util_buf *b, const char *data, size_t len)
{
    if (b->failed || len > (size_t)-1 - b->len - 1 ||
        util_array_grow((void **)&b->data, &b->cap, b->len + len + 1, 1, 4096) != 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void util_buf_puts(util_buf *b, const char *text)
{
    util_buf_add(b, text, strlen(text));
}

void util_buf_printf(util_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof small) {
        b->failed = 1; /* callers format numbers and names, never long text */
        return;
    }
    util_buf_add(b, small, (size_t)n);
}

void util_buf_escaped(util_buf *b, const char *text)
{
    const char *run = text;
    for (const char *p = text; *p != '\0'; p++) {
        const char *ref = NULL;
        switch (*p) {
        case '&': ref = "&amp;"; break;
        case '<': ref = "&lt;"; break;
        case '>': ref = "&gt;"; break;
        case '"': ref = "&quot;"; break;
        case '\'': ref = "&#39;"; break;
        default: continue;
        }
        util_buf_add(b, run, (size_t)(p - run));
        util_buf_puts(b, ref);
        run = p + 1;
    }
    util_buf_puts(b, run);
}

void util_buf_free(util_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
