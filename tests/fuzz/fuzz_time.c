/* fuzz_time.c - lv_time_parse_input on the input as text, under each
 * combination of flags, with a fixed "now". Oracles: an accepted time lies
 * in 1970..9999; a time without a relative form gives the same value
 * without LV_TIME_RELATIVE; and formatting an accepted time and parsing
 * that text again gives the same millisecond (what lv_time_format writes
 * is always accepted). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define NOW_MS INT64_C(1796904000000) /* 2026-12-10T12:00:00Z */
#define MAX_MS INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (unsigned flags = 0; flags < 4; flags++) {
        int64_t ms = 0;
        if (lv_time_parse_input(&ms, text, NOW_MS, flags) != 0)
            continue;
        if (ms < 0 || ms > MAX_MS)
            abort();
        int64_t absolute = 0;
        if ((flags & LV_TIME_RELATIVE) &&
            lv_time_parse_input(&absolute, text, NOW_MS, flags & ~LV_TIME_RELATIVE) == 0 &&
            absolute != ms)
            abort();
        char again[32];
        lv_time_format(again, ms);
        int64_t back = -1;
        if (ms > 0 && (lv_time_parse_input(&back, again, NOW_MS, 0) != 0 || back != ms))
            abort();
    }
    free(text);
    return 0;
}
