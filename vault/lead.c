/* lead.c - lead field validation and normalization, blind-index forms, the
 * channel / stage / field / signal names and the quality rating. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "error.h"
#include "lead.h"
#include "lead_country.h"
#include "util_name.h"

#define PHONE_INPUT_MAX 64 /* bytes as typed, see lead_field_normalize */
#define PHONE_DIGITS_MIN 4
#define PHONE_DIGITS_MAX 15 /* E.164 */
#define PHONE_EXTENSION_MAX 10
/* "+", 15 digits, ";ext=", 10 digits, NUL. */
#define PHONE_TEXT_MAX (1 + PHONE_DIGITS_MAX + 5 + PHONE_EXTENSION_MAX + 1)

/* A token this short, of name characters only, is a mistyped field name
 * worth quoting back; anything else might be pasted data. */
#define ECHO_MAX 32

/* NFC shrinks text at most threefold (Hangul LVT jamo: 9 bytes to 3), so
 * input longer than this factor times the limit can never fit: refusing it
 * early bounds the work without changing any answer. */
#define NFC_SHRINK_MAX 4

static const char *const field_names[LV_FIELD_COUNT] = {
    "first_name", "last_name", "email", "phone", "company", "title", "website", "address", "notes",
    "email2", "phone2",
};

static const char *const source_names[] = {
    "advertising",
    "trade_show",
    "direct_mail",
    "third_party_list",
    "webinar",
    "ebook",
    "podcast",
    "social_media",
    "lead_magnet",
    "networking",
    "chamber_of_commerce",
    "referral",
    "local_media",
    "community_event",
    "website_form",
    "other",
    NULL,
};

static const char *const stage_names[] = {
    "new", "contacted", "qualified", "unqualified", "nurturing", "converted", "lost", NULL,
};

/* ---- names ------------------------------------------------------------ */

const char *lv_field_name(lv_field field)
{
    if ((unsigned)field >= LV_FIELD_COUNT)
        return NULL;
    return field_names[field];
}

static int field_lookup(const char *name, size_t len)
{
    for (int i = 0; i < LV_FIELD_COUNT; i++) {
        if (strlen(field_names[i]) == len && memcmp(field_names[i], name, len) == 0)
            return i;
    }
    return -1;
}

static int name_token(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int unknown_field(const char *what, const char *name, size_t len)
{
    if (len <= ECHO_MAX && name_token(name, len))
        return err_set(LV_EINVAL, "%s: unknown field \"%.*s\"", what, (int)len, name);
    return err_set(LV_EINVAL, "%s: unknown field", what);
}

int lv_field_parse(lv_field *out, const char *name)
{
    err_clear();
    if (out == NULL || name == NULL)
        return err_set(LV_EINVAL, "field: missing name");
    size_t len = strlen(name);
    int field = field_lookup(name, len);
    if (field < 0)
        return unknown_field("field", name, len);
    *out = (lv_field)field;
    return 0;
}

int lv_field_mask_parse(uint32_t *out, const char *list)
{
    err_clear();
    if (out == NULL || list == NULL)
        return err_set(LV_EINVAL, "fields: missing list");
    uint32_t mask = 0;
    const char *token = list;
    for (;;) {
        const char *comma = strchr(token, ',');
        size_t len = comma != NULL ? (size_t)(comma - token) : strlen(token);
        while (len > 0 && (token[0] == ' ' || token[0] == '\t')) {
            token++;
            len--;
        }
        while (len > 0 && (token[len - 1] == ' ' || token[len - 1] == '\t'))
            len--;
        if (len == 0)
            return err_set(LV_EINVAL, "fields: empty field name in list");
        int field = field_lookup(token, len);
        if (field < 0)
            return unknown_field("fields", token, len);
        mask |= 1u << field;
        if (comma == NULL)
            break;
        token = comma + 1;
    }
    *out = mask;
    return 0;
}

int lv_signal_parse(lv_signal *out, const char *text)
{
    err_clear();
    if (out == NULL || text == NULL)
        return err_set(LV_EINVAL, "signal: missing value");
    if (strcmp(text, "yes") == 0)
        *out = LV_SIGNAL_YES;
    else if (strcmp(text, "no") == 0)
        *out = LV_SIGNAL_NO;
    else if (strcmp(text, "unknown") == 0)
        *out = LV_SIGNAL_UNKNOWN;
    else
        return err_set(LV_EINVAL, "signal: expected yes, no or unknown");
    return 0;
}

const char *lv_signal_name(lv_signal signal)
{
    switch (signal) {
    case LV_SIGNAL_UNKNOWN:
        return "unknown";
    case LV_SIGNAL_YES:
        return "yes";
    case LV_SIGNAL_NO:
        return "no";
    default:
        return NULL;
    }
}

const char *const *lv_source_names(void)
{
    return source_names;
}

const char *const *lv_stage_names(void)
{
    return stage_names;
}

static int name_listed(const char *const *names, const char *name)
{
    if (name == NULL)
        return 0;
    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], name) == 0)
            return 1;
    }
    return 0;
}

int lead_source_valid(const char *name)
{
    return name_listed(source_names, name);
}

int lead_stage_valid(const char *name)
{
    return name_listed(stage_names, name);
}

int lead_source_resolve(const char **out, const char *name)
{
    *out = util_name_lookup(source_names, name);
    return *out != NULL ? 0 : util_name_unknown("source", "channel", name, source_names);
}

int lead_stage_resolve(const char **out, const char *name)
{
    *out = util_name_lookup(stage_names, name);
    return *out != NULL ? 0 : util_name_unknown("stage", "stage", name, stage_names);
}

int lead_user_name_valid(const char *name)
{
    if (name == NULL)
        return 0;
    size_t len = 0;
    for (; name[len] != '\0'; len++) {
        char c = name[len];
        if (len == LV_NAME_MAX)
            return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return len > 0;
}

const char *lv_lead_quality(const lv_signal signal[LV_SIGNAL_COUNT])
{
    /* No signals at all is the same as three unknowns: neither rule fires. */
    if (signal == NULL)
        return "medium";
    lv_signal incentive = signal[LV_SIGNAL_INCENTIVE];
    lv_signal verified = signal[LV_SIGNAL_VERIFIED];
    lv_signal aware = signal[LV_SIGNAL_AWARE];
    if (verified == LV_SIGNAL_NO || aware == LV_SIGNAL_NO ||
        (incentive == LV_SIGNAL_YES && verified != LV_SIGNAL_YES))
        return "low";
    if (verified == LV_SIGNAL_YES && aware == LV_SIGNAL_YES && incentive != LV_SIGNAL_YES)
        return "high";
    return "medium";
}

/* ---- text helpers ----------------------------------------------------- */

size_t lead_field_limit(lv_field field)
{
    switch (field) {
    case LV_FIELD_FIRST_NAME:
    case LV_FIELD_LAST_NAME:
    case LV_FIELD_COMPANY:
    case LV_FIELD_TITLE:
        return 1024;
    case LV_FIELD_EMAIL:
    case LV_FIELD_EMAIL2:
        return 254;
    case LV_FIELD_PHONE:
    case LV_FIELD_PHONE2:
        return PHONE_INPUT_MAX;
    case LV_FIELD_WEBSITE:
        return 2048;
    case LV_FIELD_ADDRESS:
        return 4096;
    case LV_FIELD_NOTES:
        return 65536;
    default:
        return 0;
    }
}

void lead_text_free(char *text, size_t len)
{
    if (text == NULL)
        return;
    sodium_memzero(text, len + 1);
    free(text);
}

static int text_copy(char **out, size_t *out_len, const unsigned char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return err_set(LV_ERROR, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    *out = copy;
    *out_len = len;
    return 0;
}

static int is_space(utf8proc_int32_t cp)
{
    if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
        return 1;
    utf8proc_category_t category = utf8proc_category(cp);
    return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
           category == UTF8PROC_CATEGORY_ZP;
}

enum {
    TEXT_CONTROLS = 1, /* refuse control characters too, not only bad UTF-8 and NUL */
    TEXT_BREAKS = 2    /* ... except TAB, LF, CR */
};

static int text_check(const char *name, const unsigned char *text, size_t len, unsigned flags)
{
    size_t pos = 0;
    while (pos < len) {
        utf8proc_int32_t cp = text[pos];
        utf8proc_ssize_t step = 1;
        /* ASCII, most of every lead, without a call per byte. */
        if (cp >= 0x80)
            step = utf8proc_iterate(text + pos, (utf8proc_ssize_t)(len - pos), &cp);
        if (step <= 0)
            return err_set(LV_EINVAL, "%s: not valid UTF-8", name);
        if (cp == 0)
            return err_set(LV_EINVAL, "%s: contains a NUL byte", name);
        int control = cp < 0x20 || cp == 0x7f ||
                      (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CC);
        if ((flags & TEXT_CONTROLS) && control &&
            !((flags & TEXT_BREAKS) && (cp == '\t' || cp == '\n' || cp == '\r')))
            return err_set(LV_EINVAL, "%s: contains a control character", name);
        pos += (size_t)step;
    }
    return 0;
}

/* Only called on text that text_check has accepted. */
static void trim_space(const unsigned char **text, size_t *len)
{
    const unsigned char *start = *text;
    size_t n = *len;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate(start, (utf8proc_ssize_t)n, &cp);
        if (step <= 0 || !is_space(cp))
            break;
        start += step;
        n -= (size_t)step;
    }
    while (n > 0) {
        size_t last = n - 1;
        while (last > 0 && (start[last] & 0xC0) == 0x80)
            last--;
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate(start + last, (utf8proc_ssize_t)(n - last), &cp);
        if (step <= 0 || (size_t)step != n - last || !is_space(cp))
            break;
        n = last;
    }
    *text = start;
    *len = n;
}

/* NFC (optionally case-folded) through utf8proc's two steps rather than
 * utf8proc_map: that one shrinks its result with realloc and frees on
 * errors, both of which can release bytes of the value without wiping. */
static int unicode_normalize(char **out, size_t *out_len, const char *name,
                             const unsigned char *text, size_t len, utf8proc_option_t options)
{
    /* ASCII text is its own NFC, and its case folding maps A-Z to a-z and
     * nothing else: no need to decode it into code points and back.
     * unit.lead checks this shortcut against utf8proc for every byte. */
    size_t ascii = 0;
    while (ascii < len && text[ascii] < 0x80)
        ascii++;
    if (ascii == len) {
        int rc = text_copy(out, out_len, text, len);
        if (rc == 0 && (options & UTF8PROC_CASEFOLD)) {
            for (size_t i = 0; i < len; i++) {
                if ((*out)[i] >= 'A' && (*out)[i] <= 'Z')
                    (*out)[i] = (char)((*out)[i] - 'A' + 'a');
            }
        }
        return rc;
    }
    utf8proc_ssize_t count = utf8proc_decompose(text, (utf8proc_ssize_t)len, NULL, 0, options);
    if (count < 0)
        return err_set(LV_EINVAL, "%s: not valid UTF-8", name);
    if ((size_t)count > (SIZE_MAX - 1) / sizeof(utf8proc_int32_t))
        return err_set(LV_ERROR, "out of memory");
    size_t bytes = (size_t)count * sizeof(utf8proc_int32_t) + 1; /* reencode adds a NUL */
    utf8proc_int32_t *buffer = malloc(bytes);
    if (buffer == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc;
    utf8proc_ssize_t decomposed =
        utf8proc_decompose(text, (utf8proc_ssize_t)len, buffer, count, options);
    utf8proc_ssize_t encoded = decomposed == count ? utf8proc_reencode(buffer, count, options) : -1;
    if (encoded < 0)
        rc = err_set(LV_ERROR, "%s: Unicode normalization failed", name);
    else
        rc = text_copy(out, out_len, (const unsigned char *)buffer, (size_t)encoded);
    sodium_memzero(buffer, bytes);
    free(buffer);
    return rc;
}

/* ---- email ------------------------------------------------------------ */

static int is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5322 atext, plus any non-ASCII (RFC 6531). Quoted local parts are
 * refused: practically unused, they would let one mailbox be spelled many
 * ways and slip past the blind index. */
static int email_local_char(unsigned char c)
{
    return c >= 0x80 || is_ascii_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int email_local_valid(const unsigned char *local, size_t len)
{
    if (len < 1 || len > 64 || local[0] == '.' || local[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (local[i] == '.') {
            if (local[i - 1] == '.')
                return 0;
        } else if (!email_local_char(local[i])) {
            return 0;
        }
    }
    return 1;
}

/* Host names (letters, digits, hyphens, or IDN U-labels), at least two
 * labels, the last not all digits so that bare IP addresses are refused. */
static int email_domain_valid(const unsigned char *domain, size_t len)
{
    size_t labels = 0, label_start = 0;
    int all_digits = 1;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || domain[i] == '.') {
            size_t label_len = i - label_start;
            if (label_len < 1 || label_len > 63 || domain[label_start] == '-' ||
                domain[i - 1] == '-')
                return 0;
            labels++;
            if (i < len)
                all_digits = 1;
            label_start = i + 1;
            continue;
        }
        unsigned char c = domain[i];
        if (!(c >= 0x80 || is_ascii_alnum(c) || c == '-'))
            return 0;
        if (!(c >= '0' && c <= '9'))
            all_digits = 0;
    }
    return labels >= 2 && !all_digits;
}

static int email_valid(const unsigned char *text, size_t len)
{
    const unsigned char *at = memchr(text, '@', len);
    if (at == NULL)
        return 0;
    size_t local_len = (size_t)(at - text);
    size_t domain_len = len - local_len - 1;
    if (memchr(at + 1, '@', domain_len) != NULL)
        return 0;
    /* Unicode spaces are non-ASCII, so the byte checks above let them by. */
    for (size_t pos = 0; pos < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate(text + pos, (utf8proc_ssize_t)(len - pos), &cp);
        if (step <= 0 || is_space(cp))
            return 0;
        pos += (size_t)step;
    }
    return email_local_valid(text, local_len) && email_domain_valid(at + 1, domain_len);
}

/* ---- phone ------------------------------------------------------------ */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int ascii_equal_nocase(const unsigned char *text, const char *word, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != (unsigned char)word[i])
            return 0;
    }
    return 1;
}

/* Finds "<marker> <digits>" at the end. ";ext=" is our own stored form,
 * accepted so that normalizing a normalized number changes nothing.
 * Returns 0 (with *number_len = len when there is none) or LV_EINVAL. */
static int phone_split_extension(const unsigned char *text, size_t len, size_t *number_len,
                                 const unsigned char **extension, size_t *extension_len)
{
    static const char *const markers[] = {"extension", "ext.", "ext", ";ext=", "x", "#"};
    size_t digits = 0;
    while (digits < len && is_digit(text[len - 1 - digits]))
        digits++;
    size_t end = len - digits;
    while (end > 0 && text[end - 1] == ' ')
        end--;
    *number_len = len;
    *extension = NULL;
    *extension_len = 0;
    if (digits == 0)
        return 0;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t marker_len = strlen(markers[i]);
        if (end < marker_len ||
            !ascii_equal_nocase(text + end - marker_len, markers[i], marker_len))
            continue;
        if (digits > PHONE_EXTENSION_MAX)
            return err_set(LV_EINVAL, "phone: extension longer than %d digits",
                           PHONE_EXTENSION_MAX);
        *number_len = end - marker_len;
        *extension = text + len - digits;
        *extension_len = digits;
        return 0;
    }
    return 0;
}

/* In Italy (and San Marino, and the Vatican on Italy's plan) the leading 0
 * belongs to the number itself and is dialled from abroad too. country is
 * a known code here: it has a calling code. */
static int country_keeps_zero(const char *country)
{
    static const char *const keep[] = {"it", "sm", "va"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        if (ascii_equal_nocase((const unsigned char *)country, keep[i], 2))
            return 1;
    }
    return 0;
}

static int phone_normalize(char **out, size_t *out_len, const unsigned char *text, size_t len,
                           const char *country)
{
    char digits[PHONE_INPUT_MAX + 1];
    char result[PHONE_TEXT_MAX];
    size_t number_len, extension_len, count = 0;
    const unsigned char *extension;
    int international = 0;
    int rc = phone_split_extension(text, len, &number_len, &extension, &extension_len);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < number_len; i++) {
        unsigned char c = text[i];
        if (is_digit(c) && count < sizeof digits) {
            digits[count++] = (char)c;
        } else if (c == '+' && i == 0) {
            international = 1;
        } else if (c == '\0' || strchr(" -.()/", c) == NULL) {
            rc = err_set(LV_EINVAL, "phone: contains characters other than digits and separators");
            goto done;
        }
    }

    const char *calling_code = NULL;
    const char *national = digits;
    size_t national_len = count;
    if (!international) {
        if (count >= 2 && digits[0] == '0' && digits[1] == '0') {
            international = 1;
            national += 2;
            national_len -= 2;
        } else if ((calling_code = lead_country_calling_code(country)) != NULL) {
            international = 1;
            /* Drop the trunk prefix: NANP numbers never start with 1, so an
             * eleventh leading 1 is one, as a 0 is elsewhere. */
            int nanp_trunk =
                strcmp(calling_code, "1") == 0 && national_len == 11 && national[0] == '1';
            if (nanp_trunk ||
                (national_len > 0 && national[0] == '0' && !country_keeps_zero(country))) {
                national++;
                national_len--;
            }
        }
    }
    if (calling_code == NULL)
        calling_code = "";

    size_t calling_len = strlen(calling_code);
    size_t total = calling_len + national_len;
    if (total < PHONE_DIGITS_MIN || total > PHONE_DIGITS_MAX) {
        rc = err_set(LV_EINVAL, "phone: not %d to %d digits", PHONE_DIGITS_MIN, PHONE_DIGITS_MAX);
        goto done;
    }
    if (international && calling_len == 0 && national[0] == '0') {
        rc = err_set(LV_EINVAL, "phone: country code cannot start with 0");
        goto done;
    }

    size_t n = 0;
    if (international)
        result[n++] = '+';
    memcpy(result + n, calling_code, calling_len);
    n += calling_len;
    memcpy(result + n, national, national_len);
    n += national_len;
    if (extension_len > 0) {
        memcpy(result + n, ";ext=", 5);
        n += 5;
        memcpy(result + n, extension, extension_len);
        n += extension_len;
    }
    rc = text_copy(out, out_len, (const unsigned char *)result, n);
done:
    sodium_memzero(digits, sizeof digits);
    sodium_memzero(result, sizeof result);
    return rc;
}

/* ---- fields ----------------------------------------------------------- */

static int is_unicode_name_field(lv_field field)
{
    return field == LV_FIELD_FIRST_NAME || field == LV_FIELD_LAST_NAME ||
           field == LV_FIELD_COMPANY || field == LV_FIELD_TITLE;
}

static int too_long(const char *name, size_t limit)
{
    return err_set(LV_EINVAL, "%s: longer than %zu bytes", name, limit);
}

int lead_field_normalize(char **out, size_t *out_len, lv_field field, const char *in, size_t len,
                         const char *country)
{
    if (out == NULL || out_len == NULL)
        return err_set(LV_EINVAL, "lead: missing output");
    *out = NULL;
    *out_len = 0;
    const char *name = lv_field_name(field);
    if (name == NULL)
        return err_set(LV_EINVAL, "field: unknown field");
    if (in == NULL)
        return len == 0 ? 0 : err_set(LV_EINVAL, "%s: missing value", name);

    const unsigned char *text = (const unsigned char *)in;
    size_t limit = lead_field_limit(field);
    /* Secondary contacts follow the rules of the primary ones. */
    int is_email = field == LV_FIELD_EMAIL || field == LV_FIELD_EMAIL2;
    int is_phone = field == LV_FIELD_PHONE || field == LV_FIELD_PHONE2;
    int trimmed = is_email || is_phone;
    int multiline = field == LV_FIELD_ADDRESS || field == LV_FIELD_NOTES;
    int rc;

    if (is_unicode_name_field(field) && len / NFC_SHRINK_MAX > limit)
        return too_long(name, limit);
    if (trimmed) {
        /* Controls are judged after trimming so that a pasted trailing
         * newline is dropped rather than refused. */
        if ((rc = text_check(name, text, len, 0)) != 0)
            return rc;
        trim_space(&text, &len);
    }
    if ((rc = text_check(name, text, len, TEXT_CONTROLS | (multiline ? TEXT_BREAKS : 0))) != 0)
        return rc;
    if (len == 0)
        return 0;

    if (is_unicode_name_field(field)) {
        rc = unicode_normalize(out, out_len, name, text, len,
                               (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
        if (rc == 0 && *out_len > limit) {
            lead_text_free(*out, *out_len);
            *out = NULL;
            *out_len = 0;
            rc = too_long(name, limit);
        }
        return rc;
    }
    /* For the phone this bounds what is typed: its normalized form is
     * always far shorter than the limit. */
    if (len > limit)
        return too_long(name, limit);
    if (is_email) {
        if (!email_valid(text, len))
            return err_set(LV_EINVAL, "%s: not a valid address", name);
        return text_copy(out, out_len, text, len);
    }
    if (is_phone) {
        rc = phone_normalize(out, out_len, text, len, country);
        /* phone_normalize names the primary field; say which one it was. */
        const char *reason = strchr(lv_error_last(), ':');
        if (rc != 0 && field == LV_FIELD_PHONE2 && reason != NULL) {
            char copy[256]; /* err_set writes the buffer reason points into */
            (void)snprintf(copy, sizeof copy, "%s", reason);
            err_set(rc, "phone2%s", copy);
        }
        return rc;
    }
    return text_copy(out, out_len, text, len);
}

int lead_index_form_of_normalized(char **out, size_t *out_len, lv_lookup kind, const char *value,
                                  size_t len)
{
    *out = NULL;
    *out_len = 0;
    if (kind == LV_LOOKUP_EMAIL)
        return unicode_normalize(
            out, out_len, "email", (const unsigned char *)value, len,
            (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    if (kind == LV_LOOKUP_PHONE) {
        size_t keep = 0;
        while (keep < len && value[keep] != ';') /* ";ext=" ends the number */
            keep++;
        return text_copy(out, out_len, (const unsigned char *)value, keep);
    }
    return err_set(LV_EINVAL, "lookup: unknown kind");
}

int lead_index_form(char **out, size_t *out_len, lv_lookup kind, const char *in, size_t len,
                    const char *country)
{
    if (out == NULL || out_len == NULL)
        return err_set(LV_EINVAL, "lead: missing output");
    *out = NULL;
    *out_len = 0;
    if (kind != LV_LOOKUP_EMAIL && kind != LV_LOOKUP_PHONE)
        return err_set(LV_EINVAL, "lookup: unknown kind");
    char *normal;
    size_t normal_len;
    int email = kind == LV_LOOKUP_EMAIL;
    int rc = lead_field_normalize(&normal, &normal_len, email ? LV_FIELD_EMAIL : LV_FIELD_PHONE, in,
                                  len, email ? NULL : country);
    if (rc != 0 || normal == NULL)
        return rc;
    rc = lead_index_form_of_normalized(out, out_len, kind, normal, normal_len);
    lead_text_free(normal, normal_len);
    return rc;
}
