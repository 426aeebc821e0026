/* vault.c - the public API contract, through a real vault file:
 * NULL-safe close and free, option versions, NUL bytes refused (they cannot
 * pass argv, so the CLI cases cannot test them), role denials, error
 * messages that never hold a value, exact round trips, size limits, and
 * tampering reported by lead and field. Uses include/leadvault.h only
 * (plus sqlite3.h to tamper with the file as an attacker would). */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sqlite3.h>

#include "vault_fixture.h"

/* Put into every value a failing call sees: it must never come back in
 * lv_error_last(). */
#define CANARY "Qz7CanaryVx"
#define CANARY_LOWER "qz7canaryvx"

#define ALICE_PASS FIXTURE_ALICE_PASS

static void expect_message_clean(void)
{
    const char *message = lv_error_last();
    assert_non_null(message);
    if (strstr(message, CANARY) != NULL || strstr(message, CANARY_LOWER) != NULL ||
        strstr(message, "Qz7") != NULL || strstr(message, ALICE_PASS) != NULL) {
        print_error("message holds a value: \"%s\"\n", message);
        fail();
    }
}

static void expect_message_has(const char *fragment)
{
    const char *message = lv_error_last();
    if (strstr(message, fragment) == NULL) {
        print_error("message \"%s\" lacks \"%s\"\n", message, fragment);
        fail();
    }
}

/* ---- per-test fixture: a fresh vault, alice's session open ---- */

typedef fixture_session state;

static void add_ok(lv_vault *vault, char id[LV_ID_STRLEN + 1], const lv_lead_input *in)
{
    FIXTURE_OK(lv_lead_add(vault, id, in));
    assert_int_equal(strlen(id), LV_ID_STRLEN);
}

static void add_named(lv_vault *vault, char id[LV_ID_STRLEN + 1], const char *first_name)
{
    lv_lead_input in = fixture_input();
    in.field[LV_FIELD_FIRST_NAME] = first_name;
    add_ok(vault, id, &in);
}

/* ---- NULL and versions ---- */

static void test_close_and_free_accept_null(void **in)
{
    assert_int_equal(lv_vault_close(NULL), 0);
    lv_lead_free(NULL);
    lv_lead_list_free(NULL, 0);
    lv_lead_list_free(NULL, 3);
    lv_user_list_free(NULL);
    lv_purpose_list_free(NULL);
    lv_consent_history_free(NULL, 0);
    lv_consent_history_free(NULL, 2);
    /* and an empty list from a find with no match */
    state *s = *in;
    lv_lead **leads = (lv_lead **)&leads;
    size_t count = 99;
    FIXTURE_OK(lv_lead_find(&leads, &count, s->vault, LV_LOOKUP_EMAIL, "nobody@example.com",
                            FIXTURE_PURPOSE, 0));
    assert_int_equal(count, 0);
    lv_lead_list_free(leads, count);
}

static void test_strerror_and_names(void **in)
{
    (void)in;
    const int codes[] = {LV_OK,        LV_ERROR,   LV_EINVAL,   LV_EAUTH,
                         LV_ENOTFOUND, LV_EDENIED, LV_ECORRUPT, LV_EBUSY,
                         LV_EEXISTS,   -999,       42};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_non_null(lv_strerror(codes[i]));
        assert_true(strlen(lv_strerror(codes[i])) > 0);
    }
    assert_null(lv_field_name(LV_FIELD_COUNT));
    assert_null(lv_field_name((lv_field)-1));
    assert_null(lv_role_name((lv_role)0));
    assert_null(lv_role_name((lv_role)5));
    assert_null(lv_signal_name(LV_SIGNAL_UNSET));
    assert_non_null(lv_version());
}

/* The three documented forms parse; anything else, including a sign or
 * spaces where a digit belongs, is LV_EINVAL. */
static void test_time_parse(void **in)
{
    (void)in;
    int64_t ms = 0;
    assert_int_equal(lv_time_parse(&ms, "2024-01-01"), 0);
    assert_true(ms == 1704067200000LL);
    assert_int_equal(lv_time_parse(&ms, "2024-02-29T23:59:58.123Z"), 0);
    assert_true(ms == 1709251198123LL);
    assert_int_equal(lv_time_parse(&ms, "2024-02-29 23:59:58"), 0);
    assert_true(ms == 1709251198000LL);
    /* RFC 3339 allows any number of fraction digits, and a space with a
     * zone (tests/unit/util_time.c has every form). */
    assert_int_equal(lv_time_parse(&ms, "2024-01-01T00:00:00.12Z"), 0);
    assert_true(ms == 1704067200120LL);
    assert_int_equal(lv_time_parse(&ms, "2024-01-01 00:00:00Z"), 0);
    assert_true(ms == 1704067200000LL);
    const char *bad[] = {"",
                         "2024-1-01",
                         "2024-+1-01",
                         "2024- 1- 1",
                         " 2024-01-01",
                         "2024-01-01T-1:00:00Z",
                         "2024-01-01T00:00:00.-01Z",
                         "2024-01-01T00:00:00.Z",
                         "2024-01-01T00:00:00",
                         "2024-01-01 00:00:00+1:00",
                         "2023-02-29",
                         "2024-01-01T24:00:00Z",
                         "1969-12-31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ms = 7;
        assert_int_equal(lv_time_parse(&ms, bad[i]), LV_EINVAL);
        assert_true(ms == 7);
    }
}

static void test_option_versions(void **in)
{
    state *s = *in;
    char path[400];
    snprintf(path, sizeof path, "%s/versions.lv", s->f.dir);
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;

    const unsigned bad_versions[] = {0, LV_CREATE_OPTIONS_VERSION + 1, 0xffffffffu};
    for (size_t i = 0; i < sizeof bad_versions / sizeof bad_versions[0]; i++) {
        lv_create_options create = LV_CREATE_OPTIONS_INIT;
        create.version = bad_versions[i];
        create.admin_name = "alice";
        create.passphrase = CANARY;
        create.passphrase_len = strlen(CANARY);
        create.kdf = floor;
        lv_vault *vault = (lv_vault *)&vault;
        assert_int_equal(lv_vault_create(&vault, path, &create), LV_EINVAL);
        assert_null(vault);
        expect_message_has("version");
        expect_message_clean();
        assert_int_equal(access(path, F_OK), -1); /* no file left behind */

        lv_open_options open = LV_OPEN_OPTIONS_INIT;
        open.version = bad_versions[i];
        open.user = "alice";
        open.passphrase = ALICE_PASS;
        open.passphrase_len = strlen(ALICE_PASS);
        vault = (lv_vault *)&vault;
        assert_int_equal(lv_vault_open(&vault, s->f.path, &open), LV_EINVAL);
        assert_null(vault);
        expect_message_has("version");
    }
    lv_vault *vault = (lv_vault *)&vault;
    assert_int_equal(lv_vault_create(&vault, path, NULL), LV_EINVAL);
    assert_null(vault);
    vault = (lv_vault *)&vault;
    assert_int_equal(lv_vault_open(&vault, s->f.path, NULL), LV_EINVAL);
    assert_null(vault);

    char id[LV_ID_STRLEN + 1];
    add_named(s->vault, id, "Kept");
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = CANARY;
    input.version = LV_LEAD_INPUT_VERSION + 1;
    char other[LV_ID_STRLEN + 1];
    assert_int_equal(lv_lead_add(s->vault, other, &input), LV_EINVAL);
    expect_message_has("version");
    expect_message_clean();
    assert_int_equal(lv_lead_update(s->vault, id, &input), LV_EINVAL);
    expect_message_has("version");
    input.version = 0;
    assert_int_equal(lv_lead_add(s->vault, other, &input), LV_EINVAL);
    assert_int_equal(lv_lead_add(s->vault, other, NULL), LV_EINVAL);
    assert_int_equal(lv_lead_update(s->vault, id, NULL), LV_EINVAL);
    assert_int_equal(fixture_lead_count(s->vault), 1);
}

/* ---- NUL bytes: refused in every field, at any position ---- */

static void test_nul_bytes_refused(void **in)
{
    state *s = *in;
    char kept[LV_ID_STRLEN + 1];
    add_named(s->vault, kept, "Kept");
    /* Values that are valid but for the NUL (an email and a phone that
     * would pass on their own). */
    static const char *const valid[LV_FIELD_COUNT] = {
        "Ann" CANARY,   "Lee" CANARY,   "ann" CANARY "@example.com",   "+4915123456789",
        "Acme" CANARY,  "Chief" CANARY, "https://example.com/" CANARY, "Main St " CANARY,
        "Notes " CANARY};
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (valid[f] == NULL) /* a field newer than this test */
            continue;
        size_t len = strlen(valid[f]);
        const size_t positions[] = {0, 3, len - 1, len};
        for (size_t p = 0; p < sizeof positions / sizeof positions[0]; p++) {
            size_t at = positions[p];
            /* the value with a NUL inserted at `at`, len + 1 bytes in all */
            char *with_nul = malloc(len + 2);
            assert_non_null(with_nul);
            memcpy(with_nul, valid[f], at);
            with_nul[at] = '\0';
            memcpy(with_nul + at + 1, valid[f] + at, len - at);
            with_nul[len + 1] = '\0';

            lv_lead_input input = fixture_input();
            input.field[f] = with_nul;
            input.field_len[f] = len + 1;
            if (f != LV_FIELD_FIRST_NAME) /* so that only the NUL is wrong */
                input.field[LV_FIELD_FIRST_NAME] = "Valid";
            char id[LV_ID_STRLEN + 1] = "x";
            int rc = lv_lead_add(s->vault, id, &input);
            if (rc != LV_EINVAL) {
                print_error("field %s with a NUL at %zu: rc %d\n", lv_field_name((lv_field)f), at,
                            rc);
                fail();
            }
            assert_string_equal(id, "");
            expect_message_has(lv_field_name((lv_field)f));
            expect_message_clean();
            expect_message_has("NUL");

            lv_lead_input change = fixture_input();
            change.field[f] = with_nul;
            change.field_len[f] = len + 1;
            assert_int_equal(lv_lead_update(s->vault, kept, &change), LV_EINVAL);
            expect_message_has(lv_field_name((lv_field)f));
            expect_message_clean();
            free(with_nul);
        }
    }
    /* A lone NUL as the whole value. */
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_LAST_NAME] = "";
    input.field_len[LV_FIELD_LAST_NAME] = 1;
    char id[LV_ID_STRLEN + 1];
    assert_int_equal(lv_lead_add(s->vault, id, &input), LV_EINVAL);
    expect_message_has("last_name");

    /* Nothing was stored, and the kept lead is as it was. */
    assert_int_equal(fixture_lead_count(s->vault), 1);
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, s->vault, kept, FIXTURE_PURPOSE, 0));
    assert_string_equal(lead->value[LV_FIELD_FIRST_NAME], "Kept");
    for (int f = 1; f < LV_FIELD_COUNT; f++)
        assert_null(lead->value[f]);
    lv_lead_free(lead);
}

/* ---- roles ---- */

static void test_roles_denied(void **in)
{
    state *s = *in;
    fixture_add_user(s->vault, "bob", LV_ROLE_SALES, "bob pass");
    fixture_add_user(s->vault, "carl", LV_ROLE_AUDITOR, "carl pass");
    fixture_add_user(s->vault, "cora", LV_ROLE_COMPLIANCE, "cora pass");
    char id[LV_ID_STRLEN + 1];
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = "Ann";
    input.field[LV_FIELD_EMAIL] = "ann@example.com";
    add_ok(s->vault, id, &input);
    fixture_close(s->vault);
    s->vault = NULL;
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;

    /* sales: leads yes, users no */
    lv_vault *bob = fixture_open_ok(&s->f, "bob", "bob pass");
    const char *name = NULL;
    lv_role role = 0;
    FIXTURE_OK(lv_vault_whoami(bob, &name, &role));
    assert_string_equal(name, "bob");
    assert_int_equal(role, LV_ROLE_SALES);
    assert_int_equal(lv_user_add(bob, "eve", LV_ROLE_ADMIN, CANARY, strlen(CANARY), &floor),
                     LV_EDENIED);
    expect_message_clean();
    assert_int_equal(lv_user_add(bob, "eve", LV_ROLE_SALES, "x", 1, &floor), LV_EDENIED);
    assert_int_equal(lv_user_remove(bob, "carl"), LV_EDENIED);
    lv_user_info *users = (lv_user_info *)&users;
    size_t count = 99;
    assert_int_equal(lv_user_list(bob, &users, &count), LV_EDENIED);
    assert_null(users);
    assert_int_equal(count, 0);
    char bob_id[LV_ID_STRLEN + 1];
    add_named(bob, bob_id, "By bob");
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, bob, id, FIXTURE_PURPOSE, 0));
    lv_lead_free(lead);
    fixture_close(bob);

    /* auditor: no reveal, no write, no list; check yes */
    lv_vault *carl = fixture_open_ok(&s->f, "carl", "carl pass");
    lead = (lv_lead *)&lead;
    assert_int_equal(lv_lead_get(&lead, carl, id, FIXTURE_PURPOSE, 0), LV_EDENIED);
    assert_null(lead);
    expect_message_has("denied");
    lv_lead **leads = (lv_lead **)&leads;
    count = 99;
    assert_int_equal(
        lv_lead_find(&leads, &count, carl, LV_LOOKUP_EMAIL, "ann@example.com", FIXTURE_PURPOSE, 0),
        LV_EDENIED);
    assert_null(leads);
    assert_int_equal(count, 0);
    char carl_id[LV_ID_STRLEN + 1];
    lv_lead_input by_carl = fixture_input();
    by_carl.field[LV_FIELD_FIRST_NAME] = CANARY;
    assert_int_equal(lv_lead_add(carl, carl_id, &by_carl), LV_EDENIED);
    expect_message_clean();
    assert_int_equal(lv_lead_update(carl, id, &by_carl), LV_EDENIED);
    expect_message_clean();
    size_t listed = 0;
    assert_int_equal(lv_lead_list(carl, NULL, fixture_count_one, &listed), LV_EDENIED);
    assert_int_equal(listed, 0);
    assert_int_equal(lv_user_add(carl, "eve", LV_ROLE_ADMIN, "x", 1, &floor), LV_EDENIED);
    uint64_t checked = 0;
    FIXTURE_OK(lv_vault_check(carl, NULL, NULL, &checked));
    assert_int_equal(checked, 2);
    fixture_close(carl);

    /* compliance: reveal yes, write no */
    lv_vault *cora = fixture_open_ok(&s->f, "cora", "cora pass");
    FIXTURE_OK(lv_lead_get(&lead, cora, id, FIXTURE_PURPOSE, 0));
    assert_string_equal(lead->value[LV_FIELD_EMAIL], "ann@example.com");
    lv_lead_free(lead);
    assert_int_equal(lv_lead_add(cora, carl_id, &by_carl), LV_EDENIED);
    assert_int_equal(lv_user_remove(cora, "bob"), LV_EDENIED);
    fixture_close(cora);

    /* Nothing the denied calls tried is there. */
    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    assert_int_equal(fixture_lead_count(s->vault), 2);
    FIXTURE_OK(lv_user_list(s->vault, &users, &count));
    assert_int_equal(count, 4);
    for (size_t i = 0; i < count; i++)
        assert_string_not_equal(users[i].name, "eve");
    lv_user_list_free(users);

    /* A locked vault (no user) reveals nothing either. */
    lv_open_options locked_opts = LV_OPEN_OPTIONS_INIT;
    lv_vault *locked = NULL;
    FIXTURE_OK(lv_vault_open(&locked, s->f.path, &locked_opts));
    lead = (lv_lead *)&lead;
    assert_int_not_equal(lv_lead_get(&lead, locked, id, FIXTURE_PURPOSE, 0), 0);
    assert_null(lead);
    assert_int_equal(lv_vault_whoami(locked, &name, &role), LV_EDENIED);
    assert_int_not_equal(lv_lead_add(locked, carl_id, &input), 0);
    (void)lv_vault_close(locked);
}

/* ---- messages never hold a value ---- */

static void test_error_messages_hold_no_value(void **in)
{
    state *s = *in;
    char id[LV_ID_STRLEN + 1], kept[LV_ID_STRLEN + 1];
    add_named(s->vault, kept, "Kept");
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;

    struct {
        lv_field field;
        const char *value;
    } bad_fields[] = {
        {LV_FIELD_EMAIL, CANARY "@"},
        {LV_FIELD_EMAIL, CANARY ".example.com"},
        {LV_FIELD_EMAIL, "a@" CANARY},
        {LV_FIELD_EMAIL, CANARY "@example.com\x07"},
        {LV_FIELD_PHONE, "+1 " CANARY},
        {LV_FIELD_PHONE, "12"},
        {LV_FIELD_FIRST_NAME, CANARY "\xff"},
        {LV_FIELD_LAST_NAME, "\xc3" CANARY},
        {LV_FIELD_COMPANY, CANARY "\x01"},
        {LV_FIELD_NOTES, CANARY "\x1b[31m"},
        {LV_FIELD_WEBSITE, "https://" CANARY "\x7f"},
    };
    for (size_t i = 0; i < sizeof bad_fields / sizeof bad_fields[0]; i++) {
        lv_lead_input input = fixture_input();
        input.field[bad_fields[i].field] = bad_fields[i].value;
        input.field[LV_FIELD_LAST_NAME] =
            input.field[LV_FIELD_LAST_NAME] != NULL ? input.field[LV_FIELD_LAST_NAME] : "Valid";
        assert_int_equal(lv_lead_add(s->vault, id, &input), LV_EINVAL);
        expect_message_has(lv_field_name(bad_fields[i].field));
        expect_message_clean();
        assert_int_equal(lv_lead_update(s->vault, kept, &input), LV_EINVAL);
        expect_message_clean();
    }
    /* An oversize value made of canaries. */
    char *big = malloc(70000);
    assert_non_null(big);
    for (size_t i = 0; i + strlen(CANARY) < 70000; i += strlen(CANARY))
        memcpy(big + i, CANARY, strlen(CANARY));
    big[69999] = '\0';
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        lv_lead_input input = fixture_input();
        input.field[f] = big;
        input.field[f == LV_FIELD_FIRST_NAME ? LV_FIELD_LAST_NAME : LV_FIELD_FIRST_NAME] = "V";
        assert_int_equal(lv_lead_add(s->vault, id, &input), LV_EINVAL);
        expect_message_has(lv_field_name((lv_field)f));
        expect_message_clean();
    }
    free(big);

    /* Metadata refused: the message names it, never echoes it. */
    const char *meta_cases[][2] = {{"source", CANARY},
                                   {"stage", CANARY},
                                   {"country", CANARY},
                                   {"owner", CANARY " x"},
                                   {"source_detail", CANARY "\x07"}};
    for (size_t i = 0; i < sizeof meta_cases / sizeof meta_cases[0]; i++) {
        lv_lead_input input = fixture_input();
        input.field[LV_FIELD_FIRST_NAME] = "Valid";
        const char *what = meta_cases[i][0], *value = meta_cases[i][1];
        if (strcmp(what, "source") == 0)
            input.source = value;
        else if (strcmp(what, "stage") == 0)
            input.stage = value;
        else if (strcmp(what, "country") == 0)
            input.country = value;
        else if (strcmp(what, "owner") == 0)
            input.owner = value;
        else
            input.source_detail = value;
        assert_int_equal(lv_lead_add(s->vault, id, &input), LV_EINVAL);
        expect_message_has(what);
        expect_message_clean();
    }

    /* Lookups, purposes, field lists. */
    lv_lead **leads = NULL;
    size_t count = 0;
    assert_int_equal(
        lv_lead_find(&leads, &count, s->vault, LV_LOOKUP_EMAIL, CANARY "@@x", FIXTURE_PURPOSE, 0),
        LV_EINVAL);
    expect_message_clean();
    assert_int_equal(
        lv_lead_find(&leads, &count, s->vault, LV_LOOKUP_PHONE, "+1 " CANARY, FIXTURE_PURPOSE, 0),
        LV_EINVAL);
    expect_message_clean();
    FIXTURE_OK(lv_lead_find(&leads, &count, s->vault, LV_LOOKUP_EMAIL, CANARY "@example.com",
                            FIXTURE_PURPOSE, 0));
    assert_int_equal(count, 0);
    lv_lead_list_free(leads, count);
    lv_lead *lead = NULL;
    assert_int_equal(lv_lead_get(&lead, s->vault, kept, CANARY " purpose", 0), LV_EINVAL);
    expect_message_clean();
    uint32_t mask = 0;
    assert_int_equal(lv_field_mask_parse(&mask, "email," CANARY "@example.com"), LV_EINVAL);
    expect_message_clean();

    /* Users and passphrases. */
    FIXTURE_OK(lv_user_add(s->vault, "bob", LV_ROLE_SALES, CANARY, strlen(CANARY), &floor));
    lv_kdf_params weak = {1024, 1, 1};
    assert_int_equal(lv_user_add(s->vault, "eve", LV_ROLE_SALES, CANARY, strlen(CANARY), &weak),
                     LV_EINVAL);
    expect_message_clean();
    assert_int_equal(lv_user_add(s->vault, "bob", LV_ROLE_SALES, CANARY, strlen(CANARY), &floor),
                     LV_EEXISTS);
    expect_message_clean();
    assert_int_equal(lv_user_add(s->vault, CANARY "!", LV_ROLE_SALES, "x", 1, &floor), LV_EINVAL);
    assert_int_equal(lv_user_passwd(s->vault, CANARY, strlen(CANARY), &weak), LV_EINVAL);
    expect_message_clean();
    /* Unlock failures (with the vault closed: unit.vault_open_concurrent covers
     * opening beside an open session). */
    fixture_close(s->vault);
    s->vault = NULL;
    lv_vault *other = (lv_vault *)&other;
    assert_int_equal(fixture_open(&other, &s->f, "alice", CANARY), LV_EAUTH);
    assert_null(other);
    expect_message_clean();
    expect_message_has("wrong passphrase or unknown user");
    assert_int_equal(fixture_open(&other, &s->f, "bob", ALICE_PASS), LV_EAUTH);
    expect_message_clean();
    assert_int_equal(fixture_open(&other, &s->f, "nobody", ALICE_PASS), LV_EAUTH);
    expect_message_clean();
    assert_null(strstr(lv_error_last(), "nobody"));
}

/* ---- exact round trips and limits ---- */

static char *make_text(size_t size)
{
    static const char *const pieces[] = {
        "Note, with \"quotes\"; ",
        "\xe0\xa4\x85\xe0\xa4\xa8\xe0\xa4\xa8\xe0\xa5\x8d ", /* अनन् */
        "\xe4\xbd\x90\xe8\x97\xa4 ",                         /* 佐藤 */
        "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 ",         /* مرحبا */
        "\xf0\x9f\x98\x80",                                  /* 😀 */
        "\n",
        "\t",
        "\r\n"};
    char *text = malloc(size + 1);
    assert_non_null(text);
    size_t n = 0;
    for (size_t i = 0;; i++) {
        const char *piece = pieces[i % (sizeof pieces / sizeof pieces[0])];
        size_t len = strlen(piece);
        if (n + len > size - 1)
            break;
        memcpy(text + n, piece, len);
        n += len;
    }
    memset(text + n, 'x', size - n);
    text[size] = '\0';
    return text;
}

static void expect_revealed(const lv_lead *lead, lv_field f, const char *expected, size_t len)
{
    if (lead->value[f] == NULL || lead->value_len[f] != len ||
        memcmp(lead->value[f], expected, len) != 0) {
        print_error("field %s: %zu bytes back, %zu expected\n", lv_field_name(f),
                    lead->value[f] != NULL ? lead->value_len[f] : 0, len);
        fail();
    }
    assert_int_equal(lead->value[f][len], '\0');
}

static void test_round_trip_exact(void **in)
{
    state *s = *in;
    char *note = make_text(65536);
    assert_int_equal(strlen(note), 65536);
    const char *values[LV_FIELD_COUNT] = {
        "\xe0\xa4\x85\xe0\xa4\xa8\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xaf\xe0\xa4\xbe", /* अनन्या */
        "\xe4\xbd\x90\xe8\x97\xa4 \"Sato\", \xe7\xbe\x8e\xe5\x92\xb2", /* 佐藤 "Sato", 美咲 */
        "\xc3\x9cser+tag@Ex\xc3\xa4mple.org",                          /* Üser+tag@Exämple.org */
        "+919887649965",
        "\"Smith, Jones\" & O'Brien, Ltd.",
        "\xf0\x9f\x9a\x80 Head of Growth "
        "\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x92\xbb",
        "https://example.com/?q=\"a,b\"",
        "\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9 "
        "12\n\xd8\xa7\xd9\x84\xd8\xb1\xd9\x8a\xd8\xa7\xd8\xb6\r\n\tSA",
        note};
    lv_lead_input input = fixture_input();
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        input.field[f] = values[f];          /* NULL for fields newer than this test */
    input.field_len[LV_FIELD_NOTES] = 65536; /* explicit lengths are honoured too */
    char id[LV_ID_STRLEN + 1];
    add_ok(s->vault, id, &input);

    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, s->vault, id, FIXTURE_PURPOSE, 0));
    assert_string_equal(lead->meta.id, id);
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (values[f] != NULL)
            expect_revealed(lead, (lv_field)f, values[f], strlen(values[f]));
        else
            assert_null(lead->value[f]);
    }
    lv_lead_free(lead);

    /* Again through a new session, and only the fields asked for. */
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    FIXTURE_OK(lv_lead_get(&lead, s->vault, id, FIXTURE_PURPOSE,
                           (1u << LV_FIELD_NOTES) | (1u << LV_FIELD_TITLE)));
    expect_revealed(lead, LV_FIELD_NOTES, note, 65536);
    expect_revealed(lead, LV_FIELD_TITLE, values[LV_FIELD_TITLE], strlen(values[LV_FIELD_TITLE]));
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (f != LV_FIELD_NOTES && f != LV_FIELD_TITLE) {
            assert_null(lead->value[f]);
            assert_int_equal(lead->value_len[f], 0);
        }
    }
    lv_lead_free(lead);

    /* A prefix given by explicit length is what is stored. */
    lv_lead_input change = fixture_input();
    change.field[LV_FIELD_COMPANY] = "Acme Corporation";
    change.field_len[LV_FIELD_COMPANY] = 4;
    FIXTURE_OK(lv_lead_update(s->vault, id, &change));
    FIXTURE_OK(lv_lead_get(&lead, s->vault, id, FIXTURE_PURPOSE, 1u << LV_FIELD_COMPANY));
    expect_revealed(lead, LV_FIELD_COMPANY, "Acme", 4);
    lv_lead_free(lead);

    /* find returns the same bytes. */
    lv_lead **leads = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_lead_find(&leads, &count, s->vault, LV_LOOKUP_EMAIL,
                            "  \xc3\xbcSER+TAG@EX\xc3\x84MPLE.ORG ", FIXTURE_PURPOSE, 0));
    assert_int_equal(count, 1);
    expect_revealed(leads[0], LV_FIELD_ADDRESS, values[LV_FIELD_ADDRESS],
                    strlen(values[LV_FIELD_ADDRESS]));
    expect_revealed(leads[0], LV_FIELD_EMAIL, values[LV_FIELD_EMAIL],
                    strlen(values[LV_FIELD_EMAIL]));
    lv_lead_list_free(leads, count);
    free(note);
}

static void test_size_limits(void **in)
{
    state *s = *in;
    char id[LV_ID_STRLEN + 1];
    struct {
        lv_field field;
        size_t limit;
    } limits[] = {{LV_FIELD_FIRST_NAME, 1024}, {LV_FIELD_LAST_NAME, 1024}, {LV_FIELD_COMPANY, 1024},
                  {LV_FIELD_TITLE, 1024},      {LV_FIELD_ADDRESS, 4096},   {LV_FIELD_NOTES, 65536}};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        char *text = malloc(limits[i].limit + 2);
        assert_non_null(text);
        memset(text, 'q', limits[i].limit + 1);
        text[limits[i].limit + 1] = '\0';
        lv_lead_input input = fixture_input();
        input.field[limits[i].field] = text;
        if (limits[i].field != LV_FIELD_FIRST_NAME)
            input.field[LV_FIELD_FIRST_NAME] = "V";
        size_t before = fixture_lead_count(s->vault);
        assert_int_equal(lv_lead_add(s->vault, id, &input), LV_EINVAL);
        expect_message_has(lv_field_name(limits[i].field));
        expect_message_has("longer than");
        assert_int_equal(fixture_lead_count(s->vault), before);
        text[limits[i].limit] = '\0'; /* exactly the limit */
        add_ok(s->vault, id, &input);
        lv_lead *lead = NULL;
        FIXTURE_OK(lv_lead_get(&lead, s->vault, id, FIXTURE_PURPOSE, 1u << limits[i].field));
        expect_revealed(lead, limits[i].field, text, limits[i].limit);
        lv_lead_free(lead);
        free(text);
    }
}

/* ---- tampering, at the API ---- */

typedef struct problems {
    int count;
    char lead[8][LV_ID_STRLEN + 1];
    char field[8][16];
} problems;

static void on_problem(void *ctx, const char *lead_id, const char *field, const char *problem)
{
    problems *p = ctx;
    assert_null(strstr(problem, CANARY));
    if (p->count < 8) {
        snprintf(p->lead[p->count], sizeof p->lead[0], "%s", lead_id != NULL ? lead_id : "");
        snprintf(p->field[p->count], sizeof p->field[0], "%s", field != NULL ? field : "");
    }
    p->count++;
}

static void test_tampering_named(void **in)
{
    state *s = *in;
    char a[LV_ID_STRLEN + 1], b[LV_ID_STRLEN + 1];
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = "A " CANARY;
    input.field[LV_FIELD_EMAIL] = "a@example.com";
    add_ok(s->vault, a, &input);
    input.field[LV_FIELD_FIRST_NAME] = "B " CANARY;
    input.field[LV_FIELD_EMAIL] = "b@example.com";
    add_ok(s->vault, b, &input);
    fixture_close(s->vault);
    s->vault = NULL;

    /* Move b's email onto a's, as anyone with the file can. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE lead SET email = (SELECT email FROM lead WHERE hex(id) = upper('%s'))"
             " WHERE hex(id) = upper('%s')",
             b, a);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);

    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    lv_lead *lead = (lv_lead *)&lead;
    assert_int_equal(lv_lead_get(&lead, s->vault, a, FIXTURE_PURPOSE, 0), LV_ECORRUPT);
    assert_null(lead);
    expect_message_has(a);
    expect_message_has("email");
    expect_message_clean();
    FIXTURE_OK(lv_lead_get(&lead, s->vault, b, FIXTURE_PURPOSE, 0));
    lv_lead_free(lead);
    problems p = {0};
    uint64_t checked = 0;
    assert_int_equal(lv_vault_check(s->vault, on_problem, &p, &checked), LV_ECORRUPT);
    assert_int_equal(checked, 2);
    /* The value, by lead and field; then the state digest, of the vault. */
    assert_int_equal(p.count, 2);
    assert_string_equal(p.lead[0], a);
    assert_string_equal(p.field[0], "email");
    assert_string_equal(p.lead[1], "");
}

/* Every single byte of a sealed value and of a wrapped data key matters:
 * each flipped byte, a cut or a grown value, is refused by lead and field. */

typedef struct flip_target {
    sqlite3 *db;
    const char *id;
    const char *column;
    unsigned char original[4096];
    int length;
} flip_target;

static void column_read(flip_target *t)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT %s FROM lead WHERE hex(id) = upper(?1)", t->column);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(t->db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    t->length = sqlite3_column_bytes(st, 0);
    assert_true(t->length > 0 && t->length <= (int)sizeof t->original);
    memcpy(t->original, sqlite3_column_blob(st, 0), (size_t)t->length);
    sqlite3_finalize(st);
}

static void column_write(const flip_target *t, const unsigned char *value, int length)
{
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE lead SET %s = ?2 WHERE hex(id) = upper(?1)", t->column);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(t->db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, length, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(t->db), 1);
    sqlite3_finalize(st);
}

/* The lead must now be refused naming field, and check must report just
 * that one problem. */
static void expect_refused_as(lv_vault *vault, const char *id, const char *field, const char *what)
{
    lv_lead *lead = (lv_lead *)&lead;
    int rc = lv_lead_get(&lead, vault, id, FIXTURE_PURPOSE, 0);
    if (rc != LV_ECORRUPT) {
        print_error("%s: lv_lead_get returned %d (%s)\n", what, rc, lv_error_last());
        fail();
    }
    assert_null(lead);
    expect_message_has(id);
    expect_message_has(field);
    expect_message_clean();
    problems p = {0};
    uint64_t checked = 0;
    assert_int_equal(lv_vault_check(vault, on_problem, &p, &checked), LV_ECORRUPT);
    /* That one value, then the state digest (the file was edited). */
    assert_int_equal(p.count, 2);
    assert_string_equal(p.lead[0], id);
    assert_string_equal(p.field[0], field);
    assert_string_equal(p.lead[1], "");
}

static void test_every_byte_matters(void **in)
{
    state *s = *in;
    char id[LV_ID_STRLEN + 1], other[LV_ID_STRLEN + 1];
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = "Flip " CANARY;
    input.field[LV_FIELD_EMAIL] = "flip@example.com";
    add_ok(s->vault, id, &input);
    input.field[LV_FIELD_FIRST_NAME] = "Other";
    add_ok(s->vault, other, &input);
    /* A later session, so that the file holds what the first one wrote. */
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const char *const columns[] = {"first_name", "data_key"};
    for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
        flip_target t = {db, id, columns[c], {0}, 0};
        column_read(&t);
        if (c == 0) /* 1 format byte, 24 nonce, the text, 16 tag */
            assert_int_equal(t.length, 1 + 24 + (int)strlen("Flip " CANARY) + 16);
        else
            assert_int_equal(t.length, 73);
        const char *field = c == 0 ? "first_name" : "data_key";
        unsigned char changed[4096 + 1];
        for (int at = 0; at < t.length; at++) {
            for (int bit = 0; bit < 8; bit += 7) { /* the lowest and the highest bit */
                memcpy(changed, t.original, (size_t)t.length);
                changed[at] ^= (unsigned char)(1u << bit);
                column_write(&t, changed, t.length);
                char what[64];
                snprintf(what, sizeof what, "%s byte %d bit %d", field, at, bit);
                expect_refused_as(s->vault, id, field, what);
            }
        }
        column_write(&t, t.original, t.length - 1);
        expect_refused_as(s->vault, id, field, "one byte cut");
        memcpy(changed, t.original, (size_t)t.length);
        changed[t.length] = 0;
        column_write(&t, changed, t.length + 1);
        expect_refused_as(s->vault, id, field, "one byte added");
        column_write(&t, t.original, t.length);
    }
    sqlite3_close(db);
    /* Restored: all is well again, the other lead never was touched. */
    uint64_t checked = 0;
    FIXTURE_OK(lv_vault_check(s->vault, NULL, NULL, &checked));
    assert_int_equal(checked, 2);
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, s->vault, id, FIXTURE_PURPOSE, 0));
    assert_string_equal(lead->value[LV_FIELD_FIRST_NAME], "Flip " CANARY);
    lv_lead_free(lead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_close_and_free_accept_null, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test(test_strerror_and_names),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test_setup_teardown(test_option_versions, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_nul_bytes_refused, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_roles_denied, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_error_messages_hold_no_value, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_round_trip_exact, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_size_limits, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_tampering_named, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_every_byte_matters, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
