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

/* "Z", or an offset "+HH:MM" / "-HH:MM" east of UTC: its minutes in
 * *offset. Returns 1 when text is exactly one of them, else 0. */
static int parse_zone(const char *text, int *offset)
{
    int h = 0, m = 0;
    if (strcmp(text, "Z") == 0) {
        *offset = 0;
        return 1;
    }
    if ((text[0] != '+' && text[0] != '-') || !parse_digits(text + 1, 2, &h) || text[3] != ':' ||
        !parse_digits(text + 4, 2, &m) || text[6] != '\0' || h > 23 || m > 59)
        return 0;
    *offset = (text[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 1;
}

/* The absolute forms (see leadvault.h). *date_only tells a date alone. */
static int parse_absolute(int64_t *out, int *date_only, const char *text)
{
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0, offset = 0;
    size_t len = strlen(text);
    int ok = len >= 10 && parse_digits(text, 4, &y) && text[4] == '-' &&
             parse_digits(text + 5, 2, &mo) && text[7] == '-' && parse_digits(text + 8, 2, &d);
    *date_only = len == 10;
    if (ok && len > 10) {
        char sep = text[10];
        ok = (sep == 'T' || sep == ' ') && len >= 16 && parse_digits(text + 11, 2, &h) &&
             text[13] == ':' && parse_digits(text + 14, 2, &mi);
        const char *rest = ok ? text + 16 : text + len;
        if (ok && rest[0] == ':') {
            ok = parse_digits(rest + 1, 2, &s);
            rest += 3;
            /* A fraction of 1 to 9 digits; what is below a millisecond is
             * dropped (times are kept in milliseconds). */
            if (ok && rest[0] == '.') {
                int digits = 0, digit = 0;
                for (rest++; digits < 9 && parse_digits(rest, 1, &digit); rest++, digits++)
                    ms = digits < 3 ? ms * 10 + digit : ms;
                for (int i = digits; i < 3; i++)
                    ms *= 10;
                ok = digits > 0;
            }
        }
        /* With a T the zone is required (ISO 8601 reads a time without one
         * as local time); with a space none means UTC, as before. */
        ok = ok && (parse_zone(rest, &offset) || (sep == ' ' && rest[0] == '\0'));
    }
    if (ok) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        ok = y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
             d <= days_in[mo - 1] + (mo == 2 && leap) && h <= 23 && mi <= 59 && s <= 59;
    }
    if (!ok)
        return LV_EINVAL;
    int64_t t = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
    *out = t - offset * 60000LL;
    return *out >= 0 ? 0 : LV_EINVAL;
}

/* 10000-01-01T00:00:00Z: the first time past the years accepted. */
#define TIME_END_MS 253402300800000LL

/* "now", "Nh", "Nd", "Nw" (that long before now) or the same after a "+"
 * (that long after now); N is 1 to 6 digits. */
static int parse_relative(int64_t *out, const char *text, int64_t now_ms)
{
    if (strcmp(text, "now") == 0) {
        *out = now_ms;
        return 0;
    }
    int sign = -1;
    if (text[0] == '+') {
        sign = 1;
        text++;
    }
    int64_t n = 0;
    size_t digits = 0;
    for (; text[digits] >= '0' && text[digits] <= '9'; digits++)
        if (digits < 6) /* more digits are refused below; never overflow */
            n = n * 10 + (text[digits] - '0');
    if (digits == 0 || digits > 6 || text[digits] == '\0' || text[digits + 1] != '\0')
        return LV_EINVAL;
    int64_t unit;
    switch (text[digits]) {
    case 'h': unit = 3600000LL; break;
    case 'd': unit = 86400000LL; break;
    case 'w': unit = 7 * 86400000LL; break;
    default: return LV_EINVAL;
    }
    *out = now_ms + sign * n * unit;
    return *out > 0 && *out < TIME_END_MS ? 0 : LV_EINVAL;
}

int lv_time_parse(int64_t *out, const char *text)
{
    err_clear();
    int date_only = 0;
    int64_t t = 0;
    if (text == NULL || parse_absolute(&t, &date_only, text) != 0)
        return err_set(LV_EINVAL, "date: %s", LV_TIME_FORMS_ABSOLUTE);
    *out = t;
    return 0;
}

int lv_time_parse_input(int64_t *out, const char *text, int64_t now_ms, unsigned flags)
{
    err_clear();
    int date_only = 0;
    int64_t t = 0;
    if (now_ms <= 0)
        now_ms = util_now_ms();
    int rc = text != NULL ? parse_absolute(&t, &date_only, text) : LV_EINVAL;
    if (rc != 0 && text != NULL && (flags & LV_TIME_RELATIVE))
        rc = parse_relative(&t, text, now_ms);
    if (rc != 0)
        return err_set(LV_EINVAL, "%s",
                       flags & LV_TIME_RELATIVE ? LV_TIME_FORMS : LV_TIME_FORMS_ABSOLUTE);
    /* A date alone as an upper bound takes in the whole day. */
    if (date_only && (flags & LV_TIME_END_OF_DAY))
        t += 86400000LL - 1;
    *out = t;
    return 0;
}
