/* util_text.c - checks of plain-text metadata. */
#include <string.h>
#include <utf8proc.h>

#include "error.h"
#include "leadvault.h"
#include "util_text.h"

/* Plain-text metadata must still be clean text: valid UTF-8, no control
 * characters, bounded. It is not sealed, so it must not hold PII. */
int util_text_check(const char *name, const char *text, size_t max)
{
    size_t len = strlen(text);
    if (len > max)
        return err_set(LV_EINVAL, "%s: longer than %zu bytes", name, max);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0)
            return err_set(LV_EINVAL, "%s: not valid UTF-8", name);
        if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
            return err_set(LV_EINVAL, "%s: contains a control character", name);
        p += n;
        left -= n;
    }
    return 0;
}
