/* util_text.c - checks of plain-text metadata. */
#include <string.h>
#include <utf8proc.h>

#include "error.h"
#include "leadvault.h"
#include "util_text.h"

enum text_problem { TEXT_CLEAN, TEXT_TOO_LONG, TEXT_NOT_UTF8, TEXT_CONTROL };

/* Plain-text metadata must still be clean text: valid UTF-8, no control
 * characters, bounded. It is not sealed, so it must not hold PII. */
static enum text_problem text_problem(const char *text, size_t max)
{
    size_t len = strlen(text);
    if (len > max)
        return TEXT_TOO_LONG;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0)
            return TEXT_NOT_UTF8;
        if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
            return TEXT_CONTROL;
        p += n;
        left -= n;
    }
    return TEXT_CLEAN;
}

int util_text_check(const char *name, const char *text, size_t max)
{
    switch (text_problem(text, max)) {
    case TEXT_TOO_LONG:
        return err_set(LV_EINVAL, "%s: longer than %zu bytes", name, max);
    case TEXT_NOT_UTF8:
        return err_set(LV_EINVAL, "%s: not valid UTF-8", name);
    case TEXT_CONTROL:
        return err_set(LV_EINVAL, "%s: contains a control character", name);
    default:
        return 0;
    }
}

int util_text_valid(const char *text, size_t max)
{
    return text_problem(text, max) == TEXT_CLEAN;
}
