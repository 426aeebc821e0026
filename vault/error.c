/* error.c - error codes, their static texts, and the thread-local message. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

#undef err_set /* error.h's macro for clang-tidy: the function is defined here */

static _Thread_local char last_message[512];

int err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}

void err_clear(void)
{
    last_message[0] = '\0';
}

const char *lv_error_last(void)
{
    return last_message;
}

const char *lv_strerror(int code)
{
    switch (code) {
    case LV_OK: return "success";
    case LV_ERROR: return "error";
    case LV_EINVAL: return "invalid argument";
    case LV_EAUTH: return "wrong passphrase or unknown user";
    case LV_ENOTFOUND: return "not found";
    case LV_EDENIED: return "denied by policy";
    case LV_ECORRUPT: return "integrity failure";
    case LV_EBUSY: return "vault busy";
    case LV_EEXISTS: return "already exists";
    case LV_EFULL: return "storage full: the disk, or a file size limit, has no room";
    case LV_EREADONLY: return "the vault file or its folder is read-only";
    default: return "unknown error";
    }
}

const char *lv_version(void)
{
    return LEADVAULT_VERSION_STRING;
}
