/* erase.c - what erasure (vault/erase.c) and its receipts
 * (vault/receipt.c) refuse before they touch anything: bad options,
 * request references and grounds, a malformed lead id, a vault another
 * writer holds, suppression-list calls without a usable email or phone,
 * and receipts verified without a usable key. In every case the lead is
 * still there and readable afterwards. The erasures that do happen are in
 * tests/cli/cases/erase_*.t. */
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

#define ALICE_PASS "alice passphrase for the erase tests"
#define EMAIL "erin@example.com"

typedef struct state {
    fixture f;
    lv_vault *vault;
    char id[LV_ID_STRLEN + 1];
} state;

static int setup(void **in)
{
    state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    fixture_make_dir(&s->f);
    s->vault = fixture_create(&s->f, ALICE_PASS);
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = "Erin";
    input.field[LV_FIELD_EMAIL] = EMAIL;
    FIXTURE_OK(lv_lead_add(s->vault, s->id, &input));
    *in = s;
    return 0;
}

static int teardown(void **in)
{
    state *s = *in;
    lv_vault_close(s->vault);
    fixture_remove_dir(&s->f);
    free(s);
    return 0;
}

/* The lead is whole: its email reads back. */
static void expect_lead_intact(state *s)
{
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, s->vault, s->id, FIXTURE_PURPOSE, 1u << LV_FIELD_EMAIL));
    assert_non_null(lead->value[LV_FIELD_EMAIL]);
    assert_string_equal(lead->value[LV_FIELD_EMAIL], EMAIL);
    lv_lead_free(lead);
    int suppressed = -1;
    FIXTURE_OK(lv_suppress_check(s->vault, LV_LOOKUP_EMAIL, EMAIL, &suppressed));
    assert_int_equal(suppressed, 0);
}

static int erase_with(state *s, const char *id, const lv_erase_options *opts)
{
    size_t erased = 99;
    int rc = lv_erase(s->vault, id, LV_LOOKUP_EMAIL, NULL, opts, NULL, NULL, &erased);
    assert_int_equal(erased, rc == 0 ? 1 : 0);
    return rc;
}

/* Every malformed argument: LV_EINVAL with a message naming it. */
static void test_erase_refuses_bad_arguments(void **in)
{
    state *s = *in;
    char long_ground[300];
    memset(long_ground, 'g', sizeof long_ground - 1);
    long_ground[sizeof long_ground - 1] = '\0';
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    static const struct {
        unsigned version;
        const char *request, *ground, *id, *message;
    } cases[] = {
        {LV_ERASE_OPTIONS_VERSION + 1, "DSR-1", NULL, NULL, "erase options: wrong version"},
        {LV_ERASE_OPTIONS_VERSION, NULL, NULL, NULL, "request: a request reference is required"},
        {LV_ERASE_OPTIONS_VERSION, "", NULL, NULL, "request: a request reference is required"},
        {LV_ERASE_OPTIONS_VERSION, "DSR\n2", NULL, NULL, "request: contains a control character"},
        {LV_ERASE_OPTIONS_VERSION, "DSR-\xff", NULL, NULL, "request: not valid UTF-8"},
        {LV_ERASE_OPTIONS_VERSION, "DSR-3", "Art. 17\t(1)", NULL,
         "ground: contains a control character"},
        {LV_ERASE_OPTIONS_VERSION, "DSR-4", "", "0123", NULL}, /* message: the id's */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        opts.version = cases[i].version;
        opts.request = cases[i].request;
        opts.ground = cases[i].ground;
        assert_int_equal(erase_with(s, cases[i].id != NULL ? cases[i].id : s->id, &opts),
                         LV_EINVAL);
        if (cases[i].message != NULL)
            assert_string_equal(lv_error_last(), cases[i].message);
    }
    opts.version = LV_ERASE_OPTIONS_VERSION;
    opts.request = "DSR-5";
    opts.ground = long_ground;
    assert_int_equal(erase_with(s, s->id, &opts), LV_EINVAL);
    assert_string_equal(lv_error_last(), "ground: longer than 256 bytes");
    assert_int_equal(erase_with(s, s->id, NULL), LV_EINVAL);
    expect_lead_intact(s);
}

/* Another process holds the write lock: LV_EBUSY once the wait is over,
 * nothing erased; once it lets go, the same call erases. */
static void test_erase_busy(void **in)
{
    state *s = *in;
    fixture_close(s->vault);
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = "alice";
    opts.passphrase = ALICE_PASS;
    opts.passphrase_len = strlen(ALICE_PASS);
    opts.busy_timeout_ms = 50;
    s->vault = NULL;
    FIXTURE_OK(lv_vault_open(&s->vault, s->f.path, &opts));

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    lv_erase_options erase = LV_ERASE_OPTIONS_INIT;
    erase.request = "DSR-busy";
    assert_int_equal(erase_with(s, s->id, &erase), LV_EBUSY);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    expect_lead_intact(s);
    FIXTURE_OK(erase_with(s, s->id, &erase));
    lv_lead *lead = NULL;
    assert_int_equal(lv_lead_get(&lead, s->vault, s->id, FIXTURE_PURPOSE, 0), LV_ENOTFOUND);
    assert_null(lead);
}

/* The suppression list is looked up by email or phone, with a value. */
static void test_suppress_arguments(void **in)
{
    state *s = *in;
    int suppressed = -1;
    assert_int_equal(lv_suppress_check(s->vault, (lv_lookup)7, EMAIL, &suppressed), LV_EINVAL);
    assert_string_equal(lv_error_last(), "lookup: must be by email or phone");
    assert_int_equal(suppressed, 0);
    assert_int_equal(lv_suppress_check(s->vault, LV_LOOKUP_EMAIL, NULL, &suppressed), LV_EINVAL);
    assert_string_equal(lv_error_last(), "email: required");
    assert_int_equal(lv_suppress_remove(s->vault, LV_LOOKUP_PHONE, NULL), LV_EINVAL);
    assert_string_equal(lv_error_last(), "phone: required");
    assert_int_equal(lv_suppress_remove(s->vault, (lv_lookup)0, EMAIL), LV_EINVAL);
    assert_string_equal(lv_error_last(), "lookup: must be by email or phone");
    assert_int_equal(lv_suppress_remove(s->vault, LV_LOOKUP_EMAIL, EMAIL), LV_ENOTFOUND);
    expect_lead_intact(s);
}

typedef struct buffer {
    char data[4096];
    size_t len;
} buffer;

static int to_buffer(void *ctx, const char *data, size_t len)
{
    buffer *b = ctx;
    if (b->len + len >= sizeof b->data)
        return -1;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

/* A receipt verifies with the vault's key, given as text or through the
 * unlocked vault; not with a malformed key text, nor with no key at all
 * (a locked vault has none). */
static void test_receipt_needs_a_key(void **in)
{
    state *s = *in;
    char pubkey[LV_AUDIT_TEXT_MAX], fingerprint[48];
    FIXTURE_OK(lv_audit_pubkey(s->vault, pubkey, fingerprint));
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    opts.request = "DSR-receipt";
    buffer receipt = {.len = 0};
    size_t erased = 0;
    FIXTURE_OK(
        lv_erase(s->vault, s->id, LV_LOOKUP_EMAIL, NULL, &opts, to_buffer, &receipt, &erased));
    assert_int_equal(erased, 1);
    assert_non_null(strstr(receipt.data, s->id));

    FIXTURE_OK(lv_receipt_verify(receipt.data, receipt.len, pubkey, NULL));
    FIXTURE_OK(lv_receipt_verify(receipt.data, receipt.len, NULL, s->vault));

    char bad_key[LV_AUDIT_TEXT_MAX + 1];
    snprintf(bad_key, sizeof bad_key, "x%s", pubkey);
    assert_int_equal(lv_receipt_verify(receipt.data, receipt.len, bad_key, s->vault), LV_EINVAL);
    assert_string_equal(lv_error_last(), "public key: bad first line");

    assert_int_equal(lv_receipt_verify(receipt.data, receipt.len, NULL, NULL), LV_EINVAL);
    assert_string_equal(lv_error_last(),
                        "verifying a receipt needs a public key or an unlocked vault");
    fixture_close(s->vault);
    s->vault = NULL;
    FIXTURE_OK(fixture_open(&s->vault, &s->f, NULL, NULL));
    assert_int_equal(lv_receipt_verify(receipt.data, receipt.len, NULL, s->vault), LV_EINVAL);
    FIXTURE_OK(lv_receipt_verify(receipt.data, receipt.len, pubkey, s->vault));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_erase_refuses_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suppress_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_needs_a_key, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
