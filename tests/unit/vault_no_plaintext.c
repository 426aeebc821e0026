/* vault_no_plaintext.c - after add, update and close, no value of a lead
 * (nor a passphrase, nor a consent's evidence) is in the raw bytes of the
 * vault file, its -wal or its -shm.
 *
 * The files are scanned while the session is still open - when SQLite
 * holds the new pages in the -wal file - and again after close. Each value
 * is a distinctive canary, searched as given and without ASCII case, and
 * with the forms the vault derives from it (the trimmed, case-folded email
 * of the blind index, the normalized phone). */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "vault_fixture.h"

#define ALICE_PASS "Qz7Pass alice canary passphrase"
#define BOB_PASS "Qz7Pass bob canary passphrase"

/* Everything that must never be found in the files. */
static const char *const canaries[] = {
    "Qz7FirstCanary",
    "Qz7LastCanary",
    "Qz7.Mail.Canary@Example.com",
    "qz7.mail.canary@example.com", /* the index form */
    "+4915123456789",              /* the stored form of the phone below */
    "15123456789",
    "Qz7CompanyCanary",
    "Qz7TitleCanary",
    "qz7webcanary.example",
    "Qz7AddressCanary",
    "Qz7NotesCanary",
    /* written by the update */
    "Qz7NewNotesCanary",
    "Qz7.New.Canary@Example.org",
    "qz7.new.canary@example.org",
    "Qz7UpdatedCompany",
    "+33612345678",
    "612345678",
    /* a second lead, not ASCII */
    "Qz7\xe0\xa4\x95\xe0\xa4\xa8\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa5\x80", /* Qz7कनारी */
    "Qz7\xe4\xbd\x90\xe8\x97\xa4\xe3\x82\xab\xe3\x83\x8a",             /* Qz7佐藤カナ */
    /* consent evidence and a withdrawal reason, sealed like PII */
    "Qz7EvidenceCanary",
    "Qz7ReasonCanary",
    ALICE_PASS,
    BOB_PASS,
};

/* Scan one file; returns the number of canaries found (0 when the file
 * does not exist, which *exists tells). */
static int scan_file(const char *path, int *exists, size_t *size)
{
    size_t len = 0;
    unsigned char *data = fixture_read_file(path, &len);
    *exists = data != NULL;
    *size = len;
    if (data == NULL)
        return 0;
    int found = 0;
    for (size_t i = 0; i < sizeof canaries / sizeof canaries[0]; i++) {
        long at = fixture_find(data, len, canaries[i], strlen(canaries[i]), 0);
        if (at < 0)
            at = fixture_find(data, len, canaries[i], strlen(canaries[i]), 1);
        if (at >= 0) {
            print_error("FOUND \"%s\" in %s at byte %ld\n", canaries[i], path, at);
            found++;
        }
    }
    free(data);
    return found;
}

/* Scan the vault and its side files; expect_wal: the -wal file must exist
 * and hold frames. */
static void scan_vault(const fixture *f, int expect_wal)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    int found = 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[400];
        snprintf(path, sizeof path, "%s%s", f->path, suffixes[i]);
        int exists = 0;
        size_t size = 0;
        found += scan_file(path, &exists, &size);
        if (i == 0)
            assert_true(exists && size > 0);
        if (i == 1 && expect_wal && (!exists || size == 0)) {
            print_error("no -wal file to scan while the vault is open\n");
            fail();
        }
    }
    assert_int_equal(found, 0);
}

/* The scanner finds what is there, however it is cased. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fixture_make_dir(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_remove_dir(*state);
    free(*state);
    return 0;
}

static void test_scanner_finds(void **state)
{
    fixture f = *(fixture *)*state;
    FILE *file = fopen(f.path, "wb");
    assert_non_null(file);
    fputs("header QZ7FIRSTCANARY middle \xe4\xbd\x90 Qz7\xe4\xbd\x90\xe8\x97\xa4\xe3\x82\xab"
          "\xe3\x83\x8a end",
          file);
    fclose(file);
    int exists = 0;
    size_t size = 0;
    assert_int_equal(scan_file(f.path, &exists, &size), 2);
    assert_true(exists);
    unlink(f.path);
}

static void test_no_plaintext_after_add_update_close(void **state)
{
    fixture f = *(fixture *)*state;
    lv_vault *vault = fixture_create(&f, ALICE_PASS);
    fixture_add_user(vault, "bob", LV_ROLE_SALES, BOB_PASS);

    lv_lead_input in = fixture_input();
    in.field[LV_FIELD_FIRST_NAME] = "Qz7FirstCanary";
    in.field[LV_FIELD_LAST_NAME] = "Qz7LastCanary";
    in.field[LV_FIELD_EMAIL] = "  Qz7.Mail.Canary@Example.com\n";
    in.field[LV_FIELD_PHONE] = "0151 2345 6789";
    in.country = "DE";
    in.field[LV_FIELD_COMPANY] = "Qz7CompanyCanary";
    in.field[LV_FIELD_TITLE] = "Qz7TitleCanary";
    in.field[LV_FIELD_WEBSITE] = "https://qz7webcanary.example/";
    in.field[LV_FIELD_ADDRESS] = "Qz7AddressCanary\nBerlin";
    in.field[LV_FIELD_NOTES] = "Qz7NotesCanary";
    char a[LV_ID_STRLEN + 1], b[LV_ID_STRLEN + 1];
    FIXTURE_OK(lv_lead_add(vault, a, &in));
    lv_lead_input second = fixture_input();
    second.field[LV_FIELD_FIRST_NAME] = canaries[17];
    second.field[LV_FIELD_LAST_NAME] = canaries[18];
    FIXTURE_OK(lv_lead_add(vault, b, &second));

    /* The stored phone is the form listed among the canaries. */
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, vault, a, FIXTURE_PURPOSE, 1u << LV_FIELD_PHONE));
    assert_string_equal(lead->value[LV_FIELD_PHONE], "+4915123456789");
    lv_lead_free(lead);
    scan_vault(&f, 1);

    /* Update, consent, close the lead (its last stage), reveal, find. */
    lv_lead_input change = fixture_input();
    change.field[LV_FIELD_NOTES] = "Qz7NewNotesCanary";
    change.field[LV_FIELD_EMAIL] = "Qz7.New.Canary@Example.org";
    change.field[LV_FIELD_COMPANY] = "Qz7UpdatedCompany";
    change.field[LV_FIELD_PHONE] = "06 12 34 56 78";
    change.country = "FR";
    change.stage = "contacted";
    FIXTURE_OK(lv_lead_update(vault, a, &change));
    FIXTURE_OK(
        lv_consent_grant(vault, a, "email_marketing", "Qz7EvidenceCanary web form", "v1", 0));
    FIXTURE_OK(lv_consent_withdraw(vault, a, "email_marketing", "Qz7ReasonCanary by phone"));
    lv_lead_input closing = fixture_input();
    closing.stage = "lost";
    FIXTURE_OK(lv_lead_update(vault, a, &closing));
    closing.stage = "converted";
    FIXTURE_OK(lv_lead_update(vault, b, &closing));
    FIXTURE_OK(lv_lead_get(&lead, vault, a, FIXTURE_PURPOSE, 0));
    assert_string_equal(lead->value[LV_FIELD_PHONE], "+33612345678");
    assert_string_equal(lead->value[LV_FIELD_NOTES], "Qz7NewNotesCanary");
    lv_lead_free(lead);
    lv_lead **found = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_lead_find(&found, &count, vault, LV_LOOKUP_EMAIL, "qz7.new.canary@example.org",
                            FIXTURE_PURPOSE, 0));
    assert_int_equal(count, 1);
    lv_lead_list_free(found, count);
    uint64_t checked = 0;
    FIXTURE_OK(lv_vault_check(vault, NULL, NULL, &checked));
    assert_int_equal(checked, 2);
    scan_vault(&f, 1); /* still open: the -wal file holds all of it */
    /* The guard: plain metadata (source_detail is not sealed, by design)
     * written now is in the -wal file, so the scan above saw the frames. */
    lv_lead_input marker = fixture_input();
    marker.source_detail = "Qz7PlainMarker";
    FIXTURE_OK(lv_lead_update(vault, b, &marker));
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", f.path);
    size_t wal_len = 0;
    unsigned char *wal_data = fixture_read_file(wal, &wal_len);
    assert_non_null(wal_data);
    assert_true(fixture_find(wal_data, wal_len, "Qz7PlainMarker", 14, 0) >= 0);
    free(wal_data);

    fixture_close(vault);
    scan_vault(&f, 0);

    /* A second session, as bob, changes nothing of that. */
    vault = fixture_open_ok(&f, "bob", BOB_PASS);
    FIXTURE_OK(lv_lead_update(vault, b, &closing));
    scan_vault(&f, 1);
    fixture_close(vault);
    scan_vault(&f, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scanner_finds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_plaintext_after_add_update_close, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
