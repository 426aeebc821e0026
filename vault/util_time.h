/* util_time.h - the clock and RFC 3339 times (lv_time_format and
 * lv_time_parse are declared in leadvault.h). A leaf: uses only error.c. */
#ifndef LV_UTIL_TIME_H
#define LV_UTIL_TIME_H

#include <stdint.h>

/* Current time in unix milliseconds (format it with lv_time_format). */
int64_t util_now_ms(void);

#endif
