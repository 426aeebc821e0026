/* util_time.c - the clock, and times as RFC 3339 text. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "leadvault.h"
#include "util_time.h"

int64_t util_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lv_time_format(char out[32], int64_t unix_ms)
{
    if (unix_ms <= 0) {
        out[0] = '\0';
        return;
    }
    time_t secs = (time_t)(unix_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* Bounded fields keep the compiler's length analysis (and the text)
     * to exactly 24 characters. */
    (void)snprintf(
        out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
        (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
        (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)(unix_ms % 1000));
}

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Exactly count ASCII digits (sscanf's %d would also take a sign or
 * spaces): 1 with their value in *out, 0 at the first other character. */
static int parse_digits(const char *text, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return 1;
}

int lv_time_parse(int64_t *out, const char *text)
{
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
    size_t len = text != NULL ? strlen(text) : 0;
    int ok = len >= 10 && parse_digits(text, 4, &y) && text[4] == '-' &&
             parse_digits(text + 5, 2, &mo) && text[7] == '-' && parse_digits(text + 8, 2, &d);
    if (ok && len > 10) {
        char sep = text[10];
        ok = (sep == 'T' || sep == ' ') && len >= 19 && parse_digits(text + 11, 2, &h) &&
             text[13] == ':' && parse_digits(text + 14, 2, &mi) && text[16] == ':' &&
             parse_digits(text + 17, 2, &s);
        const char *rest = ok ? text + 19 : text + len;
        if (ok && rest[0] == '.' && parse_digits(rest + 1, 3, &ms))
            rest += 4;
        ok = ok && (strcmp(rest, sep == 'T' ? "Z" : "") == 0);
    }
    if (ok) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        ok = y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
             d <= days_in[mo - 1] + (mo == 2 && leap) && h <= 23 && mi <= 59 && s <= 59;
    }
    if (!ok)
        return err_set(LV_EINVAL, "date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    *out = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
    return 0;
}
