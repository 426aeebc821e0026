/* util_text.h - checks of the plain-text metadata a caller supplies. */
#ifndef LV_UTIL_TEXT_H
#define LV_UTIL_TEXT_H

#include <stddef.h>

/* Plain-text metadata checks: valid UTF-8, no control characters, at most
 * max bytes; the message names `name` (never the text). 0 or LV_EINVAL. */
int util_text_check(const char *name, const char *text, size_t max);

/* 1 when text passes util_text_check, 0 otherwise; sets no message. */
int util_text_valid(const char *text, size_t max);

#endif
