/* error.h - thread-local error message behind lv_error_last(). */
#ifndef LV_ERROR_INTERNAL_H
#define LV_ERROR_INTERNAL_H

#include "leadvault.h"

/* Record a message for lv_error_last() and return code, so callers can
 * write `return err_set(LV_EINVAL, "...")`. The message must never hold a
 * field value, a passphrase or key material. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#if defined(__clang_analyzer__)
/* For clang-tidy only (a build never defines __clang_analyzer__): let its
 * path analysis see that err_set() returns code, so that it does not
 * follow paths where a failure reported with err_set() returned 0. */
static inline int err_set_returns(int code, int ignored)
{
    (void)ignored;
    return code;
}
#define err_set(code, ...) err_set_returns((code), err_set((code), __VA_ARGS__))
#endif

/* Clear the message (start of every public call). */
void err_clear(void);

#endif
