/* vault_write_counts.c - every write that must change a row checks that
 * it did (store_sqlite.c, run_one): a trigger that swallows the write with
 * RAISE(IGNORE), planted by another connection while the vault is open
 * (opening would refuse it), makes the operation fail as corruption
 * instead of reporting a success that never happened.
 *
 * Uses sqlite3.h to plant the triggers, as a file writer would. */
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

static void plant(const fixture_session *s, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        print_error("%s: %s\n", sql, error);
        fail();
    }
    sqlite3_close(db);
}

static void add_lead(fixture_session *s, char id[LV_ID_STRLEN + 1])
{
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_EMAIL] = "ann@example.com";
    input.field[LV_FIELD_NOTES] = "first";
    FIXTURE_OK(lv_lead_add(s->vault, id, &input));
}

static void test_lead_update_swallowed(void **in)
{
    fixture_session *s = *in;
    char id[LV_ID_STRLEN + 1];
    add_lead(s, id);
    FIXTURE_OK(lv_purpose_add(s->vault, "qa_consent", LV_BASIS_CONSENT, 1u << LV_FIELD_EMAIL,
                              1u << LV_ROLE_ADMIN));
    plant(s, "CREATE TRIGGER keep_lead BEFORE UPDATE ON lead BEGIN SELECT RAISE(IGNORE); END");
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_NOTES] = "second";
    assert_int_equal(lv_lead_update(s->vault, id, &input), LV_ECORRUPT);
    assert_non_null(strstr(lv_error_last(), "updating a lead changed 0 rows instead of one"));
    /* The consent head of the lead is an update of the same row. */
    assert_int_equal(lv_consent_grant(s->vault, id, "qa_consent", "web form", "v1", 0),
                     LV_ECORRUPT);
}

static void test_erase_swallowed(void **in)
{
    fixture_session *s = *in;
    char id[LV_ID_STRLEN + 1];
    add_lead(s, id);
    plant(s, "CREATE TRIGGER keep_lead BEFORE DELETE ON lead BEGIN SELECT RAISE(IGNORE); END");
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    opts.request = "REQ-1";
    size_t erased = 9;
    assert_int_equal(lv_erase(s->vault, id, LV_LOOKUP_EMAIL, NULL, &opts, NULL, NULL, &erased),
                     LV_ECORRUPT);
    assert_non_null(strstr(lv_error_last(), "erasing a lead changed 0 rows instead of one"));
}

static void test_audit_append_swallowed(void **in)
{
    fixture_session *s = *in;
    char id[LV_ID_STRLEN + 1];
    plant(s, "CREATE TRIGGER drop_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END");
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_EMAIL] = "bob@example.com";
    assert_int_equal(lv_lead_add(s->vault, id, &input), LV_ECORRUPT);
    assert_non_null(strstr(lv_error_last(), "appending to the audit log changed 0 rows"));
    plant(s, "DROP TRIGGER drop_audit");
    assert_int_equal(fixture_lead_count(s->vault), 0);
}

static void test_passwd_swallowed(void **in)
{
    fixture_session *s = *in;
    plant(s, "CREATE TRIGGER keep_slot BEFORE UPDATE ON keyslot BEGIN SELECT RAISE(IGNORE); END");
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;
    static const char pass[] = "a new passphrase for alice";
    assert_int_equal(lv_user_passwd(s->vault, pass, strlen(pass), &floor), LV_ECORRUPT);
}

/* The vault, reopened with the trigger still in it, is refused. */
static void test_reopen_refused(void **in)
{
    fixture_session *s = *in;
    plant(s, "CREATE TRIGGER t BEFORE INSERT ON audit BEGIN SELECT 1; END");
    FIXTURE_OK(lv_vault_close(s->vault));
    s->vault = NULL;
    lv_vault *again = NULL;
    assert_int_equal(fixture_open(&again, &s->f, "alice", FIXTURE_ALICE_PASS), LV_ECORRUPT);
    assert_non_null(strstr(lv_error_last(), "(trigger t, not one of leadvault's)"));
    (void)lv_vault_close(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lead_update_swallowed, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_erase_swallowed, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_audit_append_swallowed, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_passwd_swallowed, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_reopen_refused, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
