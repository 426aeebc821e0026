/* lead.c - unit tests of the lead model (vault/lead.c, vault/lead_country.c).
 *
 * Links vault/error.c for lv_error_last(). Build with
 * -DLEAD_TEST_STUB_ERRORS to use the small stand-in below instead. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "error.h"
#include "lead.h"
#include "lead_country.h"

#ifdef LEAD_TEST_STUB_ERRORS
static char stub_message[512];
int err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(stub_message, sizeof stub_message, fmt, ap);
    va_end(ap);
    return code;
}
void err_clear(void)
{
    stub_message[0] = '\0';
}
const char *lv_error_last(void)
{
    return stub_message;
}
#endif

/* Put into every refused value: it must never show up in a message. */
#define CANARY "Zq7CanaryXw"

/* ---- helpers ---------------------------------------------------------- */

/* Normalizes and expects success with exactly `expected` (NULL = empty). */
static void expect_stored(lv_field field, const char *in, size_t len, const char *country,
                          const char *expected)
{
    char *out = (char *)1;
    size_t out_len = 99;
    err_clear();
    int rc = lead_field_normalize(&out, &out_len, field, in, len, country);
    if (rc != 0)
        print_error("field %s refused: %s\n", lv_field_name(field), lv_error_last());
    assert_int_equal(rc, 0);
    if (expected == NULL) {
        assert_null(out);
        assert_int_equal(out_len, 0);
        return;
    }
    assert_non_null(out);
    assert_int_equal(out_len, strlen(expected));
    assert_memory_equal(out, expected, out_len);
    assert_int_equal(out[out_len], '\0');
    lead_text_free(out, out_len);
}

static void expect_normalized(lv_field field, const char *in, const char *expected)
{
    expect_stored(field, in, strlen(in), NULL, expected);
}

static void expect_same(lv_field field, const char *in)
{
    expect_stored(field, in, strlen(in), NULL, in);
}

/* Expects LV_EINVAL, no output, and a message that names the field, holds
 * `fragment`, and never echoes the canary. */
static void expect_refused_len(lv_field field, const char *in, size_t len, const char *country,
                               const char *fragment)
{
    char *out = (char *)1;
    size_t out_len = 99;
    err_clear();
    int rc = lead_field_normalize(&out, &out_len, field, in, len, country);
    assert_int_equal(rc, LV_EINVAL);
    assert_null(out);
    assert_int_equal(out_len, 0);
    const char *message = lv_error_last();
    assert_non_null(strstr(message, lv_field_name(field)));
    if (fragment != NULL && strstr(message, fragment) == NULL) {
        print_error("message \"%s\" lacks \"%s\"\n", message, fragment);
        fail();
    }
    assert_null(strstr(message, CANARY));
    assert_null(strstr(message, "Zq7"));
}

static void expect_refused(lv_field field, const char *in, const char *fragment)
{
    expect_refused_len(field, in, strlen(in), NULL, fragment);
}

static char *repeat(const char *unit, size_t times)
{
    size_t unit_len = strlen(unit);
    char *text = malloc(unit_len * times + 1);
    assert_non_null(text);
    for (size_t i = 0; i < times; i++)
        memcpy(text + i * unit_len, unit, unit_len);
    text[unit_len * times] = '\0';
    return text;
}

static void expect_index(lv_lookup kind, const char *in, const char *country, const char *expected)
{
    char *out = NULL;
    size_t out_len = 0;
    err_clear();
    int rc = lead_index_form(&out, &out_len, kind, in, strlen(in), country);
    if (rc != 0)
        print_error("index form refused: %s\n", lv_error_last());
    assert_int_equal(rc, 0);
    assert_non_null(out);
    assert_string_equal(out, expected);
    assert_int_equal(out_len, strlen(expected));
    lead_text_free(out, out_len);
    /* A draft's contacts take the short path from their normalized value
     * (lead_index_form_of_normalized): it must give the same form. */
    char *normal = NULL;
    size_t normal_len = 0;
    assert_int_equal(lead_field_normalize(&normal, &normal_len,
                                          kind == LV_LOOKUP_EMAIL ? LV_FIELD_EMAIL : LV_FIELD_PHONE,
                                          in, strlen(in), country),
                     0);
    assert_non_null(normal);
    assert_int_equal(lead_index_form_of_normalized(&out, &out_len, kind, normal, normal_len), 0);
    assert_string_equal(out, expected);
    assert_int_equal(out_len, strlen(expected));
    lead_text_free(out, out_len);
    lead_text_free(normal, normal_len);
}

/* ---- Unicode ---------------------------------------------------------- */

/* utf8proc's own answer, to hold the ASCII shortcut in lead.c to it. */
static char *utf8proc_says(const char *in, utf8proc_option_t options)
{
    utf8proc_uint8_t *mapped = NULL;
    assert_true(utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)strlen(in), &mapped,
                             options) >= 0);
    return (char *)mapped;
}

static void test_ascii_shortcut_matches_utf8proc(void **state)
{
    (void)state;
    char name[3] = "x";
    for (int c = 0x01; c < 0x80; c++) {
        name[1] = (char)c;
        int control = c < 0x20 || c == 0x7f;
        if (control) {
            char *out = NULL;
            size_t out_len = 0;
            assert_int_equal(lead_field_normalize(&out, &out_len, LV_FIELD_FIRST_NAME, name, 2,
                                                  NULL),
                             LV_EINVAL);
            continue;
        }
        char *nfc = utf8proc_says(name, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        expect_stored(LV_FIELD_FIRST_NAME, name, 2, NULL, nfc);
        free(nfc);
    }
    /* Case folding (the email index form) of every character an address
     * may hold. */
    static const char local[] = "AZaz09!#$%&'*+-/=?^_`{|}~.Q";
    char email[64];
    (void)snprintf(email, sizeof email, "%s@Mixed-Case.EXAMPLE.com", local);
    char *folded = utf8proc_says(email, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    expect_index(LV_LOOKUP_EMAIL, email, NULL, folded);
    assert_string_equal(folded, "azaz09!#$%&'*+-/=?^_`{|}~.q@mixed-case.example.com");
    free(folded);
}

static void test_nfc_composes_decomposed_names(void **state)
{
    (void)state;
    expect_stored(LV_FIELD_FIRST_NAME, "e\xCC\x81", 3, NULL, "\xC3\xA9");
    expect_normalized(LV_FIELD_LAST_NAME,
                      "Garci\xCC\x81"
                      "a",
                      "Garc\xC3\xAD"
                      "a");
    expect_normalized(LV_FIELD_COMPANY, "Mu\xCC\x88ller GmbH", "M\xC3\xBCller GmbH");
    expect_normalized(LV_FIELD_TITLE, "A\xCC\x8A", "\xC3\x85");
    /* Marks out of canonical order are reordered, then composed. */
    expect_normalized(LV_FIELD_FIRST_NAME, "a\xCC\x81\xCC\xA3", "\xE1\xBA\xA1\xCC\x81");
    /* Hangul jamo compose to one syllable. */
    expect_normalized(LV_FIELD_FIRST_NAME, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C");
    /* Email is stored as given (trimmed), not normalized. */
    expect_same(LV_FIELD_EMAIL, "jose\xCC\x81@example.com");
    /* Compatibility forms are kept: NFC only. */
    expect_same(LV_FIELD_COMPANY, "\xEF\xAC\x81nance"); /* U+FB01 ligature fi */
}

static void test_names_in_other_scripts_unchanged(void **state)
{
    (void)state;
    expect_same(LV_FIELD_FIRST_NAME, "\xE0\xA4\xAA\xE0\xA5\x8D\xE0\xA4\xB0\xE0\xA4\xBF"
                                     "\xE0\xA4\xAF\xE0\xA4\xBE");         /* priya, Devanagari */
    expect_same(LV_FIELD_LAST_NAME, "\xE7\x8E\x8B\xE4\xBC\x9F");          /* CJK */
    expect_same(LV_FIELD_FIRST_NAME, "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF"); /* Arabic */
    expect_same(LV_FIELD_TITLE, "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB"); /* ZWJ emoji */
    expect_same(LV_FIELD_COMPANY, "\xF0\x9F\x9A\x80 Rocket \xE2\x9C\x85");
    expect_same(LV_FIELD_NOTES, "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4"
                                "\xE0\xA5\x87 \xE4\xBD\xA0\xE5\xA5\xBD");
}

static void test_invalid_utf8_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        CANARY "\xC0\xAF",         /* overlong '/' */
        CANARY "\xE0\x80\xAF",     /* overlong, 3 bytes */
        CANARY "\xF0\x80\x80\xAF", /* overlong, 4 bytes */
        CANARY "\x80",             /* lone continuation byte */
        "\xBF" CANARY,             /* lone continuation first */
        CANARY "\xED\xA0\x80",     /* surrogate U+D800 */
        CANARY "\xED\xBF\xBF",     /* surrogate U+DFFF */
        CANARY "\xE2\x82",         /* truncated sequence at the end */
        CANARY "\xE2\x82"
               "A",                /* truncated sequence in the middle */
        CANARY "\xF4\x90\x80\x80", /* above U+10FFFF */
        CANARY "\xFF",             /* never valid */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int field = 0; field < LV_FIELD_COUNT; field++)
            expect_refused((lv_field)field, bad[i], "not valid UTF-8");
    }
}

static void test_nul_refused_with_explicit_length(void **state)
{
    (void)state;
    static const char value[] = CANARY "\0"
                                       "tail";
    for (int field = 0; field < LV_FIELD_COUNT; field++) {
        expect_refused_len((lv_field)field, value, sizeof value - 1, NULL, "NUL");
        expect_refused_len((lv_field)field, "\0", 1, NULL, "NUL");
    }
    /* A NUL inside trailing white space of a trimmed field is still seen. */
    expect_refused_len(LV_FIELD_EMAIL, "a@b.co \0 ", 9, NULL, "NUL");
    expect_refused_len(LV_FIELD_PHONE, "+12976990464 \0", 14, NULL, "NUL");
}

static void test_control_characters(void **state)
{
    (void)state;
    static const lv_field single_line[] = {LV_FIELD_FIRST_NAME, LV_FIELD_LAST_NAME,
                                           LV_FIELD_COMPANY, LV_FIELD_TITLE, LV_FIELD_WEBSITE};
    for (size_t i = 0; i < sizeof single_line / sizeof single_line[0]; i++) {
        expect_refused(single_line[i], CANARY "\x01", "control character");
        expect_refused(single_line[i], CANARY "\x1B[2J", "control character");
        expect_refused(single_line[i], CANARY "\x7F", "control character");
        expect_refused(single_line[i], CANARY "\xC2\x85", "control character"); /* NEL */
        expect_refused(single_line[i], CANARY "\nx", "control character");
        expect_refused(single_line[i], CANARY "\tx", "control character");
        expect_refused(single_line[i], CANARY "\rx", "control character");
    }
    expect_refused(LV_FIELD_EMAIL, "a\n" CANARY "@b.co", "control character");
    expect_refused(LV_FIELD_PHONE, "+1 297\t699 0464", "control character");

    expect_same(LV_FIELD_NOTES, "line one\nline two\r\n\tindented");
    expect_same(LV_FIELD_ADDRESS, "1 Main St\nSpringfield\r\nUSA\t");
    expect_refused(LV_FIELD_NOTES, CANARY "\x01", "control character");
    expect_refused(LV_FIELD_ADDRESS, CANARY "\x0B", "control character");
    expect_refused(LV_FIELD_NOTES, CANARY "\xC2\x9B", "control character"); /* C1 CSI */
}

static void test_empty_values_are_not_stored(void **state)
{
    (void)state;
    for (int field = 0; field < LV_FIELD_COUNT; field++) {
        expect_stored((lv_field)field, "", 0, NULL, NULL);
        expect_stored((lv_field)field, NULL, 0, NULL, NULL);
    }
    expect_stored(LV_FIELD_EMAIL, "   \t\n ", 6, NULL, NULL);
    expect_stored(LV_FIELD_PHONE, " \xC2\xA0 ", 4, "US", NULL);
    /* Only email and phone are trimmed. */
    expect_same(LV_FIELD_FIRST_NAME, " ");
}

/* ---- limits ----------------------------------------------------------- */

static void test_field_limits(void **state)
{
    (void)state;
    assert_int_equal(lead_field_limit(LV_FIELD_FIRST_NAME), 1024);
    assert_int_equal(lead_field_limit(LV_FIELD_LAST_NAME), 1024);
    assert_int_equal(lead_field_limit(LV_FIELD_COMPANY), 1024);
    assert_int_equal(lead_field_limit(LV_FIELD_TITLE), 1024);
    assert_int_equal(lead_field_limit(LV_FIELD_EMAIL), 254);
    assert_int_equal(lead_field_limit(LV_FIELD_PHONE), 64);
    assert_int_equal(lead_field_limit(LV_FIELD_WEBSITE), 2048);
    assert_int_equal(lead_field_limit(LV_FIELD_ADDRESS), 4096);
    assert_int_equal(lead_field_limit(LV_FIELD_NOTES), 65536);

    static const lv_field plain[] = {LV_FIELD_FIRST_NAME, LV_FIELD_LAST_NAME, LV_FIELD_COMPANY,
                                     LV_FIELD_TITLE,      LV_FIELD_WEBSITE,   LV_FIELD_ADDRESS,
                                     LV_FIELD_NOTES};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        size_t limit = lead_field_limit(plain[i]);
        char *text = repeat("a", limit + 1);
        memcpy(text, CANARY, strlen(CANARY));
        char *expected = malloc(limit + 1);
        assert_non_null(expected);
        memcpy(expected, text, limit);
        expected[limit] = '\0';
        expect_stored(plain[i], text, limit, NULL, expected);
        expect_refused_len(plain[i], text, limit + 1, NULL, "longer than");
        free(expected);
        free(text);
    }
}

static void test_name_limit_counts_normalized_bytes(void **state)
{
    (void)state;
    /* 512 decomposed e-acute are 1536 bytes as given, 1024 once composed. */
    char *decomposed = repeat("e\xCC\x81", 512);
    char *composed = repeat("\xC3\xA9", 512);
    expect_stored(LV_FIELD_FIRST_NAME, decomposed, strlen(decomposed), NULL, composed);
    free(decomposed);
    free(composed);
    decomposed = repeat("e\xCC\x81", 513);
    expect_refused(LV_FIELD_FIRST_NAME, decomposed, "longer than 1024 bytes");
    free(decomposed);
    /* Far too long input is refused before any normalization work. */
    char *huge = repeat("a", 1 << 20);
    expect_refused(LV_FIELD_COMPANY, huge, "longer than 1024 bytes");
    free(huge);
}

static void test_email_limit(void **state)
{
    (void)state;
    /* 64 + 1 + (63 + 1 + 63 + 1 + 61) = 254 bytes. */
    char email[300];
    char *local = repeat("l", 64);
    char *label = repeat("d", 63);
    snprintf(email, sizeof email, "%s@%s.%s.%.61s", local, label, label, label);
    assert_int_equal(strlen(email), 254);
    expect_same(LV_FIELD_EMAIL, email);
    snprintf(email, sizeof email, "%s@%s.%s.%.62s", local, label, label, label);
    assert_int_equal(strlen(email), 255);
    expect_refused(LV_FIELD_EMAIL, email, "longer than 254 bytes");
    /* Trimmed white space does not count. */
    char padded[300];
    snprintf(padded, sizeof padded, "  %s@%s.%s.%.61s\n", local, label, label, label);
    snprintf(email, sizeof email, "%s@%s.%s.%.61s", local, label, label, label);
    expect_stored(LV_FIELD_EMAIL, padded, strlen(padded), NULL, email);
    free(local);
    free(label);
}

static void test_phone_limit(void **state)
{
    (void)state;
    /* The phone limit bounds what is typed; the normalized form is short. */
    char phone[80];
    memset(phone, ' ', sizeof phone);
    memcpy(phone, "+1 297 699 0464", 15);
    memset(phone + 15, '-', 64 - 15);
    phone[64] = '\0';
    expect_stored(LV_FIELD_PHONE, phone, 64, NULL, "+12976990464");
    phone[64] = '-';
    phone[65] = '\0';
    expect_refused_len(LV_FIELD_PHONE, phone, 65, NULL, "longer than 64 bytes");
}

/* ---- email ------------------------------------------------------------ */

static void test_email_syntax(void **state)
{
    (void)state;
    expect_same(LV_FIELD_EMAIL, "a@b.co");
    expect_same(LV_FIELD_EMAIL, "Priya.Garcia+x@Example.COM"); /* case kept */
    expect_same(LV_FIELD_EMAIL, "\xC3\xBC@ex\xC3\xA4mple.de");
    expect_same(LV_FIELD_EMAIL, "o'brien_1!#$%&*/=?^`{|}~-@sub-domain.example.co.uk");
    expect_same(LV_FIELD_EMAIL, "x@xn--bcher-kva.example");
    expect_stored(LV_FIELD_EMAIL, "  a@b.co \n", 10, NULL, "a@b.co");
    expect_stored(LV_FIELD_EMAIL,
                  "\xE3\x80\x80"
                  "a@b.co"
                  "\xC2\xA0",
                  11, NULL, "a@b.co");

    static const char *const bad[] = {
        "a",
        "a@",
        "@b.co",
        "a@b",
        "a..b@c.co",
        "a b@c.co",
        "a@b..co",
        "a@-b.co",
        "a@b-.co",
        ".a@b.co",
        "a.@b.co",
        "a@b.co.",
        "a@.b.co",
        "a@@b.co",
        "a@b@c.co",
        "a@b_c.co",
        "a@1.2.3.4",
        "\"a\"@b.co",
        "a(b)@c.co",
        "a@[1.2.3.4]",
        ("a\xC2\xA0"
         "b@c.co"),
        "a@b.c\xE3\x80\x80o",
        "a,b@c.co",
        "a<b@c.co",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(LV_FIELD_EMAIL, bad[i], "email: not a valid address");

    char too_long_local[100];
    char *local = repeat("l", 65);
    snprintf(too_long_local, sizeof too_long_local, "%s@b.co", local);
    expect_refused(LV_FIELD_EMAIL, too_long_local, "not a valid address");
    free(local);
    char long_label[100];
    char *label = repeat("d", 64);
    snprintf(long_label, sizeof long_label, "a@%s.co", label);
    expect_refused(LV_FIELD_EMAIL, long_label, "not a valid address");
    free(label);

    expect_refused(LV_FIELD_EMAIL, CANARY "@", "not a valid address");
    expect_refused(LV_FIELD_EMAIL, "a@" CANARY, "not a valid address");
}

static void test_email_index_form(void **state)
{
    (void)state;
    expect_index(LV_LOOKUP_EMAIL, "  Priya@Example.COM ", NULL, "priya@example.com");
    expect_index(LV_LOOKUP_EMAIL, "priya@example.com", NULL, "priya@example.com");
    /* NFC and full case folding, in either order of input forms. */
    expect_index(LV_LOOKUP_EMAIL,
                 "U\xCC\x88"
                 "BER@EXAMPLE.DE",
                 NULL,
                 "\xC3\xBC"
                 "ber@example.de");
    expect_index(LV_LOOKUP_EMAIL,
                 "\xC3\xBC"
                 "ber@Example.de",
                 NULL,
                 "\xC3\xBC"
                 "ber@example.de");
    expect_index(LV_LOOKUP_EMAIL,
                 "Stra\xC3\x9F"
                 "e@b.de",
                 NULL, "strasse@b.de");
    expect_index(LV_LOOKUP_EMAIL, "STRASSE@B.DE", NULL, "strasse@b.de");
    expect_index(LV_LOOKUP_EMAIL, "\xCE\xA3\xCE\xA9@b.gr", NULL, "\xCF\x83\xCF\x89@b.gr");

    /* The stored form keeps case; the index form of it matches. */
    char *stored = NULL;
    size_t stored_len = 0;
    assert_int_equal(
        lead_field_normalize(&stored, &stored_len, LV_FIELD_EMAIL, " Priya@Example.COM", 18, NULL),
        0);
    assert_string_equal(stored, "Priya@Example.COM");
    expect_index(LV_LOOKUP_EMAIL, stored, NULL, "priya@example.com");
    lead_text_free(stored, stored_len);

    char *out = (char *)1;
    size_t out_len = 1;
    err_clear();
    assert_int_equal(lead_index_form(&out, &out_len, LV_LOOKUP_EMAIL, CANARY, strlen(CANARY), NULL),
                     LV_EINVAL);
    assert_null(out);
    assert_non_null(strstr(lv_error_last(), "email"));
    assert_null(strstr(lv_error_last(), CANARY));
    assert_int_equal(lead_index_form(&out, &out_len, LV_LOOKUP_EMAIL, " ", 1, NULL), 0);
    assert_null(out);
    assert_int_equal(lead_index_form(&out, &out_len, (lv_lookup)7, "a@b.co", 6, NULL), LV_EINVAL);
}

/* ---- phone ------------------------------------------------------------ */

static void expect_phone(const char *in, const char *country, const char *expected)
{
    expect_stored(LV_FIELD_PHONE, in, strlen(in), country, expected);
}

static void test_phone_normalization(void **state)
{
    (void)state;
    expect_phone("+1-297-699-0464", NULL, "+12976990464");
    expect_phone("+1-297-699-0464", "IN", "+12976990464"); /* + wins over the country */
    expect_phone("0044 20 7946 0958", NULL, "+442079460958");
    expect_phone("0044 20 7946 0958", "US", "+442079460958");
    expect_phone("(0576) 977111", "IN", "+91576977111");
    expect_phone("(0576) 977111", "in", "+91576977111");
    expect_phone("(0576) 977111", NULL, "0576977111");
    expect_phone("(0576) 977111", "XX", "0576977111"); /* unknown country: as given */
    expect_phone("+91 98876 49965 ext. 12", NULL, "+919887649965;ext=12");
    expect_phone("020 7946 0958", "GB", "+442079460958");
    expect_phone("030/1234567", "DE", "+49301234567");
    expect_phone("03-1234-5678", "JP", "+81312345678");
    expect_phone("(297) 699.0464", "US", "+12976990464");
    expect_phone("1 (297) 699-0464", "US", "+12976990464"); /* NANP trunk 1 */
    expect_phone("1 (297) 699-0464", "CA", "+12976990464");
    expect_phone("06 6988 3145", "IT", "+390669883145"); /* Italy keeps its 0 */
    expect_phone("  +44 20 7946 0958  ", NULL, "+442079460958");
    expect_phone("+1234", NULL, "+1234");                       /* 4 digits */
    expect_phone("+123456789012345", NULL, "+123456789012345"); /* 15 digits */
    expect_phone("0123", NULL, "0123");

    /* Extension markers, any case, spaces optional. */
    static const char *const extensions[] = {
        "+1 297 699 0464 x12",    "+1 297 699 0464x12",           "+1 297 699 0464 X 12",
        "+1 297 699 0464 ext 12", "+1 297 699 0464 EXT12",        "+1 297 699 0464 ext. 12",
        "+1 297 699 0464 Ext.12", "+1 297 699 0464 extension 12", "+1 297 699 0464 #12",
        "+1 297 699 0464 # 12",   "+12976990464;ext=12",
    };
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
        expect_phone(extensions[i], NULL, "+12976990464;ext=12");
    expect_phone("+1 297 699 0464 x1234567890", NULL, "+12976990464;ext=1234567890");
    expect_phone("(0576) 977111 ext 5", "IN", "+91576977111;ext=5");

    /* Normalizing a normalized number changes nothing. */
    expect_phone("+919887649965;ext=12", "IN", "+919887649965;ext=12");
    expect_phone("+91576977111", "IN", "+91576977111");
    expect_phone("0576977111", NULL, "0576977111");
}

static void test_phone_refusals(void **state)
{
    (void)state;
    expect_refused(LV_FIELD_PHONE, "abc", "other than digits");
    expect_refused(LV_FIELD_PHONE, "+1", "4 to 15 digits");
    expect_refused(LV_FIELD_PHONE, "12", "4 to 15 digits");
    expect_refused(LV_FIELD_PHONE, "+", "4 to 15 digits");
    expect_refused(LV_FIELD_PHONE, "+1234567890123456", "4 to 15 digits");
    expect_refused(LV_FIELD_PHONE, "1234567890123456", "4 to 15 digits");
    expect_refused_len(LV_FIELD_PHONE, "12", 2, "US", "4 to 15 digits"); /* +1 2 */
    expect_refused_len(LV_FIELD_PHONE, "12345678901234", 14, "IN", "4 to 15 digits");
    expect_refused(LV_FIELD_PHONE, "ext 12", "4 to 15 digits");
    expect_refused(LV_FIELD_PHONE, "+1 297 699 0464 x12345678901", "extension longer than 10");
    expect_refused(LV_FIELD_PHONE, "+1 297 " CANARY " 0464", "other than digits");
    expect_refused(LV_FIELD_PHONE, "+1 297 699 0464 call", "other than digits");
    expect_refused(LV_FIELD_PHONE, "+1 297 699 0464 ext", "other than digits");
    expect_refused(LV_FIELD_PHONE, "+1 297 699 0464 fax 12", "other than digits");
    expect_refused(LV_FIELD_PHONE, "1+297 699 0464", "other than digits");
    expect_refused(LV_FIELD_PHONE, "++1 297 699 0464", "other than digits");
    expect_refused(LV_FIELD_PHONE, "+1 297 699 0464 x12 x13", "other than digits");
    expect_refused(LV_FIELD_PHONE, "*31# 1234", "other than digits");
    expect_refused(LV_FIELD_PHONE, "+1 297_699_0464", "other than digits");
    expect_refused(LV_FIELD_PHONE, "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94",
                   "other than digits"); /* full-width digits */
    expect_refused(LV_FIELD_PHONE, "+0 123 4567", "cannot start with 0");
    expect_refused(LV_FIELD_PHONE, "000 123 4567", "cannot start with 0");

    /* A refused number is not echoed either, nor are its digits. */
    static const char *const numeric[] = {
        "+739518462673951846",    "739518462673951846", "+7395 x73951846267", "00739", "+0739518",
        ("+7395184 ext " CANARY),
    };
    for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++) {
        expect_refused(LV_FIELD_PHONE, numeric[i], NULL);
        assert_null(strstr(lv_error_last(), "7395"));
        expect_refused_len(LV_FIELD_PHONE, numeric[i], strlen(numeric[i]), "IN", NULL);
        assert_null(strstr(lv_error_last(), "7395"));
    }
}

static void test_phone_index_form(void **state)
{
    (void)state;
    expect_index(LV_LOOKUP_PHONE, "+91 98876 49965 ext. 12", NULL, "+919887649965");
    expect_index(LV_LOOKUP_PHONE, "+919887649965;ext=12", NULL, "+919887649965");
    expect_index(LV_LOOKUP_PHONE, "098876 49965", "IN", "+919887649965");
    expect_index(LV_LOOKUP_PHONE, "+1 (297) 699-0464", NULL, "+12976990464");
    expect_index(LV_LOOKUP_PHONE, "0576977111", NULL, "0576977111");

    char *out = (char *)1;
    size_t out_len = 1;
    err_clear();
    assert_int_equal(lead_index_form(&out, &out_len, LV_LOOKUP_PHONE, "12", 2, NULL), LV_EINVAL);
    assert_null(out);
    assert_non_null(strstr(lv_error_last(), "phone"));
    assert_int_equal(lead_index_form(&out, &out_len, LV_LOOKUP_PHONE, "", 0, NULL), 0);
    assert_null(out);
}

/* ---- countries -------------------------------------------------------- */

static const char all_countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

static void test_country_normalize(void **state)
{
    (void)state;
    char out[3];
    assert_int_equal(lead_country_normalize(out, "us"), 0);
    assert_string_equal(out, "US");
    assert_int_equal(lead_country_normalize(out, "Gb"), 0);
    assert_string_equal(out, "GB");
    assert_int_equal(lead_country_normalize(out, "IN"), 0);
    assert_string_equal(out, "IN");

    static const char *const bad[] = {"XX",
                                      "USA",
                                      "",
                                      "U",
                                      "1A",
                                      "U1",
                                      "UK",
                                      "XK",
                                      "AN",
                                      "U ",
                                      " US",
                                      ("\xC3\x9C"
                                       "S")};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear();
        assert_int_equal(lead_country_normalize(out, bad[i]), LV_EINVAL);
        assert_non_null(strstr(lv_error_last(), "country"));
    }
    assert_int_equal(lead_country_normalize(out, NULL), LV_EINVAL);
    err_clear();
    assert_int_equal(lead_country_normalize(out, CANARY), LV_EINVAL);
    assert_null(strstr(lv_error_last(), CANARY));

    /* Every officially assigned code is known, with a calling code. */
    size_t count = 0;
    for (const char *code = all_countries; *code != '\0'; code += code[2] == ' ' ? 3 : 2) {
        char alpha2[3] = {code[0], code[1], '\0'};
        char lower[3] = {(char)(code[0] - 'A' + 'a'), (char)(code[1] - 'A' + 'a'), '\0'};
        assert_int_equal(lead_country_normalize(out, lower), 0);
        assert_string_equal(out, alpha2);
        const char *calling = lead_country_calling_code(alpha2);
        assert_non_null(calling);
        size_t len = strlen(calling);
        assert_true(len >= 1 && len <= 3);
        assert_true(calling[0] >= '1' && calling[0] <= '9');
        count++;
    }
    assert_int_equal(count, 249);
}

static void test_calling_codes(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"US", "1"},   {"CA", "1"},   {"PR", "1"},   {"JM", "1"},   {"GB", "44"},  {"IN", "91"},
        {"DE", "49"},  {"JP", "81"},  {"CN", "86"},  {"AE", "971"}, {"FR", "33"},  {"RU", "7"},
        {"KZ", "7"},   {"BR", "55"},  {"ZA", "27"},  {"AU", "61"},  {"NZ", "64"},  {"SG", "65"},
        {"CH", "41"},  {"IT", "39"},  {"FI", "358"}, {"AX", "358"}, {"HK", "852"}, {"TW", "886"},
        {"SS", "211"}, {"ZW", "263"}, {"UZ", "998"}, {"GG", "44"},  {"RE", "262"}, {"CW", "599"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *calling = lead_country_calling_code(pairs[i][0]);
        assert_non_null(calling);
        assert_string_equal(calling, pairs[i][1]);
    }
    assert_null(lead_country_calling_code("XX"));
    assert_null(lead_country_calling_code("USA"));
    assert_null(lead_country_calling_code(""));
    assert_null(lead_country_calling_code(NULL));
}

/* ---- names, lists, signals, quality ------------------------------------ */

static void test_field_names_and_parse(void **state)
{
    (void)state;
    static const char *const names[] = {"first_name", "last_name", "email",   "phone",
                                        "company",    "title",     "website", "address",
                                        "notes",      "email2",    "phone2"};
    _Static_assert(sizeof names / sizeof names[0] == LV_FIELD_COUNT,
                   "a field was added: list its name here");
    for (int i = 0; i < LV_FIELD_COUNT; i++) {
        assert_string_equal(lv_field_name((lv_field)i), names[i]);
        lv_field field = LV_FIELD_COUNT;
        assert_int_equal(lv_field_parse(&field, names[i]), 0);
        assert_int_equal(field, i);
    }
    assert_null(lv_field_name(LV_FIELD_COUNT));
    assert_null(lv_field_name((lv_field)-1));

    lv_field field;
    assert_int_equal(lv_field_parse(&field, "Email"), LV_EINVAL);
    assert_int_equal(lv_field_parse(&field, ""), LV_EINVAL);
    assert_int_equal(lv_field_parse(&field, "emails"), LV_EINVAL);
    assert_int_equal(lv_field_parse(&field, NULL), LV_EINVAL);
    assert_int_equal(lv_field_parse(&field, "bogus"), LV_EINVAL);
    assert_non_null(strstr(lv_error_last(), "\"bogus\""));
    assert_int_equal(lv_field_parse(&field, CANARY "-and-some-more-text-to-pass-32"), LV_EINVAL);
    assert_null(strstr(lv_error_last(), CANARY));
    assert_non_null(strstr(lv_error_last(), "field"));
}

static void test_field_mask_parse(void **state)
{
    (void)state;
    uint32_t mask = 0;
    assert_int_equal(lv_field_mask_parse(&mask, "first_name,email"), 0);
    assert_int_equal(mask, (1u << LV_FIELD_FIRST_NAME) | (1u << LV_FIELD_EMAIL));
    assert_int_equal(lv_field_mask_parse(&mask, " email , phone\t"), 0);
    assert_int_equal(mask, (1u << LV_FIELD_EMAIL) | (1u << LV_FIELD_PHONE));
    assert_int_equal(lv_field_mask_parse(&mask, "notes"), 0);
    assert_int_equal(mask, 1u << LV_FIELD_NOTES);
    assert_int_equal(lv_field_mask_parse(&mask, "email,email"), 0);
    assert_int_equal(mask, 1u << LV_FIELD_EMAIL);
    assert_int_equal(lv_field_mask_parse(&mask, "first_name,last_name,email,phone,company,"
                                                "title,website,address,notes,email2,phone2"),
                     0);
    assert_int_equal(mask, LV_FIELD_MASK_ALL);

    static const char *const bad[] = {
        "",      " ",   ",", "email,", ",email", "email,,phone", "email;phone", "email phone",
        "EMAIL", "mail"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(lv_field_mask_parse(&mask, bad[i]), LV_EINVAL);
        assert_non_null(strstr(lv_error_last(), "fields"));
    }
    assert_int_equal(lv_field_mask_parse(&mask, NULL), LV_EINVAL);
    assert_int_equal(lv_field_mask_parse(&mask, "email,mail"), LV_EINVAL);
    assert_non_null(strstr(lv_error_last(), "\"mail\""));
    /* Long or odd tokens might be pasted data: never quoted. */
    assert_int_equal(lv_field_mask_parse(&mask, "email," CANARY "_is_longer_than_32_bytes"),
                     LV_EINVAL);
    assert_null(strstr(lv_error_last(), CANARY));
    assert_int_equal(lv_field_mask_parse(&mask, "email,a@" CANARY ".co"), LV_EINVAL);
    assert_null(strstr(lv_error_last(), CANARY));
    assert_int_equal(lv_field_mask_parse(&mask, "\x1B[2J"), LV_EINVAL);
    assert_null(strchr(lv_error_last(), '\x1B'));
}

static void test_signals(void **state)
{
    (void)state;
    lv_signal signal = LV_SIGNAL_UNSET;
    assert_int_equal(lv_signal_parse(&signal, "yes"), 0);
    assert_int_equal(signal, LV_SIGNAL_YES);
    assert_int_equal(lv_signal_parse(&signal, "no"), 0);
    assert_int_equal(signal, LV_SIGNAL_NO);
    assert_int_equal(lv_signal_parse(&signal, "unknown"), 0);
    assert_int_equal(signal, LV_SIGNAL_UNKNOWN);
    assert_int_equal(lv_signal_parse(&signal, "maybe"), LV_EINVAL);
    assert_int_equal(lv_signal_parse(&signal, ""), LV_EINVAL);
    assert_int_equal(lv_signal_parse(&signal, NULL), LV_EINVAL);
    assert_int_equal(lv_signal_parse(&signal, CANARY), LV_EINVAL);
    assert_null(strstr(lv_error_last(), CANARY));
    assert_string_equal(lv_signal_name(LV_SIGNAL_YES), "yes");
    assert_string_equal(lv_signal_name(LV_SIGNAL_NO), "no");
    assert_string_equal(lv_signal_name(LV_SIGNAL_UNKNOWN), "unknown");
    assert_null(lv_signal_name(LV_SIGNAL_UNSET));
    assert_null(lv_signal_name((lv_signal)9));
}

static void test_quality_rating(void **state)
{
    (void)state;
#define U LV_SIGNAL_UNSET
#define K LV_SIGNAL_UNKNOWN
#define Y LV_SIGNAL_YES
#define N LV_SIGNAL_NO
    static const struct {
        lv_signal incentive, verified, aware;
        const char *quality;
    } cases[] = {
        {N, Y, Y, "high"},   {U, Y, Y, "high"},   {K, Y, Y, "high"},   {Y, Y, Y, "medium"},
        {U, U, U, "medium"}, {K, K, K, "medium"}, {N, Y, K, "medium"}, {N, K, Y, "medium"},
        {Y, Y, K, "medium"}, {N, N, Y, "low"},    {N, Y, N, "low"},    {Y, K, Y, "low"},
        {Y, U, U, "low"},    {Y, N, N, "low"},    {U, N, U, "low"},
    };
#undef U
#undef K
#undef Y
#undef N
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lv_signal signal[LV_SIGNAL_COUNT];
        signal[LV_SIGNAL_INCENTIVE] = cases[i].incentive;
        signal[LV_SIGNAL_VERIFIED] = cases[i].verified;
        signal[LV_SIGNAL_AWARE] = cases[i].aware;
        assert_string_equal(lv_lead_quality(signal), cases[i].quality);
    }
    assert_string_equal(lv_lead_quality(NULL), "medium");
}

static void test_sources_and_stages(void **state)
{
    (void)state;
    static const char *const sources[] = {"advertising",
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
                                          "other"};
    static const char *const stages[] = {"new",       "contacted", "qualified", "unqualified",
                                         "nurturing", "converted", "lost"};
    const char *const *names = lv_source_names();
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        assert_string_equal(names[i], sources[i]);
        assert_true(lead_source_valid(sources[i]));
    }
    assert_null(names[sizeof sources / sizeof sources[0]]);
    names = lv_stage_names();
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        assert_string_equal(names[i], stages[i]);
        assert_true(lead_stage_valid(stages[i]));
    }
    assert_null(names[sizeof stages / sizeof stages[0]]);

    assert_false(lead_source_valid("Referral"));
    assert_false(lead_source_valid("new"));
    assert_false(lead_source_valid(""));
    assert_false(lead_source_valid(NULL));
    assert_false(lead_stage_valid("referral"));
    assert_false(lead_stage_valid("won"));
    assert_false(lead_stage_valid(NULL));
}

static void test_user_names(void **state)
{
    (void)state;
    char name[LV_NAME_MAX + 2];
    memset(name, 'a', sizeof name);
    name[LV_NAME_MAX] = '\0';
    assert_true(lead_user_name_valid(name));
    name[LV_NAME_MAX] = 'a';
    name[LV_NAME_MAX + 1] = '\0';
    assert_false(lead_user_name_valid(name));

    assert_true(lead_user_name_valid("a"));
    assert_true(lead_user_name_valid("priya.garcia"));
    assert_true(lead_user_name_valid("Ops_Team-2"));
    assert_false(lead_user_name_valid(""));
    assert_false(lead_user_name_valid(NULL));
    assert_false(lead_user_name_valid("priya garcia"));
    assert_false(lead_user_name_valid("priya@example"));
    assert_false(lead_user_name_valid("a/b"));
    assert_false(lead_user_name_valid("pr\xC3\xAFya"));
    assert_false(lead_user_name_valid("a\n"));
}

static void test_misuse(void **state)
{
    (void)state;
    char *out = NULL;
    size_t out_len = 0;
    lead_text_free(NULL, 0);
    assert_int_equal(lead_field_normalize(&out, &out_len, LV_FIELD_COUNT, "x", 1, NULL), LV_EINVAL);
    assert_int_equal(lead_field_normalize(&out, &out_len, (lv_field)-1, "x", 1, NULL), LV_EINVAL);
    assert_int_equal(lead_field_normalize(NULL, &out_len, LV_FIELD_NOTES, "x", 1, NULL), LV_EINVAL);
    assert_int_equal(lead_field_normalize(&out, &out_len, LV_FIELD_NOTES, NULL, 3, NULL),
                     LV_EINVAL);
    assert_int_equal(lead_field_limit(LV_FIELD_COUNT), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_shortcut_matches_utf8proc),
        cmocka_unit_test(test_nfc_composes_decomposed_names),
        cmocka_unit_test(test_names_in_other_scripts_unchanged),
        cmocka_unit_test(test_invalid_utf8_refused),
        cmocka_unit_test(test_nul_refused_with_explicit_length),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_empty_values_are_not_stored),
        cmocka_unit_test(test_field_limits),
        cmocka_unit_test(test_name_limit_counts_normalized_bytes),
        cmocka_unit_test(test_email_limit),
        cmocka_unit_test(test_phone_limit),
        cmocka_unit_test(test_email_syntax),
        cmocka_unit_test(test_email_index_form),
        cmocka_unit_test(test_phone_normalization),
        cmocka_unit_test(test_phone_refusals),
        cmocka_unit_test(test_phone_index_form),
        cmocka_unit_test(test_country_normalize),
        cmocka_unit_test(test_calling_codes),
        cmocka_unit_test(test_field_names_and_parse),
        cmocka_unit_test(test_field_mask_parse),
        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_quality_rating),
        cmocka_unit_test(test_sources_and_stages),
        cmocka_unit_test(test_user_names),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests_name("lead", tests, NULL, NULL);
}
