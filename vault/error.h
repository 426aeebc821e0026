/* error.h - thread-local error message behind lv_error_last(). */
#ifndef LV_ERROR_INTERNAL_H
#define LV_ERROR_INTERNAL_H

#include "leadvault.h"

/* Record a message for lv_error_last() and return code, so callers can
 * write `return err_set(LV_EINVAL, "...")`. The message must never hold a
 * field value, a passphrase or key material. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clear the message (start of every public call). */
void err_clear(void);

#endif
