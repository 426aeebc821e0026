/* consent.c - the reveal rules through the public API: consent
 * lifecycle (none, granted, withdrawn, expired), the fields a purpose
 * allows, the roles that may use it, retired purposes, the consent history,
 * and tampering with purpose and consent rows. Every refusal must come back
 * as LV_EDENIED (or LV_ECORRUPT for tampering) with no lead returned.
 * Uses include/leadvault.h only (plus sqlite3.h to tamper with the file as
 * an attacker would). */
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

#define ALICE_PASS "alice passphrase for the consent tests"
#define BOB_PASS "bob passphrase"
#define CORA_PASS "cora passphrase"
#define AUD_PASS "aud passphrase"

#define F(x) (1u << LV_FIELD_##x)
#define EMAIL_MARKETING_FIELDS (F(FIRST_NAME) | F(LAST_NAME) | F(EMAIL) | F(EMAIL2))
#define PHONE_OUTREACH_FIELDS (F(FIRST_NAME) | F(LAST_NAME) | F(PHONE) | F(PHONE2) | F(COMPANY))
#define SALES_FOLLOWUP_FIELDS                                                                      \
    (F(FIRST_NAME) | F(LAST_NAME) | F(COMPANY) | F(TITLE) | F(EMAIL) | F(PHONE) | F(EMAIL2) |      \
     F(PHONE2))

/* The lead's values, one per field. */
static const char *const values[LV_FIELD_COUNT] = {
    [LV_FIELD_FIRST_NAME] = "Ann",
    [LV_FIELD_LAST_NAME] = "Lee",
    [LV_FIELD_EMAIL] = "ann@example.com",
    [LV_FIELD_PHONE] = "+49301234567", /* phones as stored: normalized */
    [LV_FIELD_COMPANY] = "ACME",
    [LV_FIELD_TITLE] = "CEO",
    [LV_FIELD_WEBSITE] = "https://acme.example",
    [LV_FIELD_ADDRESS] = "Hauptstr. 1",
    [LV_FIELD_NOTES] = "private note",
    [LV_FIELD_EMAIL2] = "ann.lee@example.org",
    [LV_FIELD_PHONE2] = "+49307654321",
};

typedef struct state {
    fixture f;
    char id[LV_ID_STRLEN + 1];
} state;

static int setup(void **out)
{
    state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    fixture_make_dir(&s->f);
    lv_vault *alice = fixture_create(&s->f, ALICE_PASS);
    fixture_add_user(alice, "bob", LV_ROLE_SALES, BOB_PASS);
    fixture_add_user(alice, "cora", LV_ROLE_COMPLIANCE, CORA_PASS);
    fixture_add_user(alice, "aud", LV_ROLE_AUDITOR, AUD_PASS);
    lv_lead_input in = fixture_input();
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        in.field[f] = values[f];
    FIXTURE_OK(lv_lead_add(alice, s->id, &in));
    fixture_close(alice);
    *out = s;
    return 0;
}

static int teardown(void **in)
{
    state *s = *in;
    fixture_remove_dir(&s->f);
    free(s);
    return 0;
}

static lv_vault *open_as(const state *s, const char *user)
{
    const char *pass = strcmp(user, "alice") == 0  ? ALICE_PASS
                       : strcmp(user, "bob") == 0  ? BOB_PASS
                       : strcmp(user, "cora") == 0 ? CORA_PASS
                                                   : AUD_PASS;
    return fixture_open_ok(&s->f, user, pass);
}

static void expect_message_has(const char *fragment)
{
    const char *message = lv_error_last();
    if (strstr(message, fragment) == NULL) {
        print_error("message \"%s\" lacks \"%s\"\n", message, fragment);
        fail();
    }
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* lv_lead_get and lv_lead_find (by email) must both refuse with code and
 * return nothing; the message must hold fragment. */
static void expect_refused(lv_vault *vault, const char *id, const char *purpose, uint32_t fields,
                           int code, const char *fragment)
{
    lv_lead *lead = (lv_lead *)&lead; /* not NULL: the call must clear it */
    int rc = lv_lead_get(&lead, vault, id, purpose, fields);
    if (rc != code) {
        print_error("lv_lead_get(%s, 0x%x) = %d (%s), expected %d\n", purpose, fields, rc,
                    lv_error_last(), code);
        fail();
    }
    assert_null(lead);
    expect_message_has(fragment);

    lv_lead **leads = (lv_lead **)&leads;
    size_t count = 99;
    rc = lv_lead_find(&leads, &count, vault, LV_LOOKUP_EMAIL, values[LV_FIELD_EMAIL], purpose,
                      fields);
    if (rc != code) {
        print_error("lv_lead_find(%s, 0x%x) = %d (%s), expected %d\n", purpose, fields, rc,
                    lv_error_last(), code);
        fail();
    }
    assert_null(leads);
    assert_int_equal(count, 0);
    expect_message_has(fragment);
}

/* The lead holds exactly the fields of mask, with their values. */
static void expect_fields(const lv_lead *lead, uint32_t mask)
{
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (mask & (1u << f)) {
            if (lead->value[f] == NULL) {
                print_error("field %s missing\n", lv_field_name((lv_field)f));
                fail();
            }
            assert_string_equal(lead->value[f], values[f]);
            assert_int_equal(lead->value_len[f], strlen(values[f]));
        } else if (lead->value[f] != NULL) {
            print_error("field %s revealed but not allowed\n", lv_field_name((lv_field)f));
            fail();
        }
    }
}

/* Both reveal calls succeed and return exactly the fields of expected. */
static void expect_revealed(lv_vault *vault, const char *id, const char *purpose, uint32_t fields,
                            uint32_t expected)
{
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, vault, id, purpose, fields));
    assert_non_null(lead);
    assert_string_equal(lead->meta.id, id);
    expect_fields(lead, expected);
    lv_lead_free(lead);

    lv_lead **leads = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_lead_find(&leads, &count, vault, LV_LOOKUP_EMAIL, values[LV_FIELD_EMAIL], purpose,
                            fields));
    assert_int_equal(count, 1);
    assert_string_equal(leads[0]->meta.id, id);
    expect_fields(leads[0], expected);
    lv_lead_list_free(leads, count);
}

/* ---- consent lifecycle ---- */

static void test_consent_lifecycle(void **in)
{
    state *s = *in;
    lv_vault *bob = open_as(s, "bob");
    const char *no_consent = "no active consent for purpose email_marketing";

    /* none */
    expect_refused(bob, s->id, "email_marketing", 0, LV_EDENIED, no_consent);
    expect_refused(bob, s->id, "email_marketing", F(EMAIL), LV_EDENIED, no_consent);

    /* granted: exactly the purpose's fields, or the subset asked for */
    FIXTURE_OK(lv_consent_grant(bob, s->id, "email_marketing", "newsletter form", "v2", 0));
    expect_revealed(bob, s->id, "email_marketing", 0, EMAIL_MARKETING_FIELDS);
    expect_revealed(bob, s->id, "email_marketing", F(EMAIL2), F(EMAIL2));

    /* withdrawn */
    FIXTURE_OK(lv_consent_withdraw(bob, s->id, "email_marketing", "unsubscribed"));
    expect_refused(bob, s->id, "email_marketing", 0, LV_EDENIED, no_consent);

    /* granted until a moment from now, then expired */
    int64_t expires = wall_ms() + 1500;
    FIXTURE_OK(lv_consent_grant(bob, s->id, "email_marketing", "renewed", NULL, expires));
    expect_revealed(bob, s->id, "email_marketing", 0, EMAIL_MARKETING_FIELDS);
    while (wall_ms() <= expires + 50) {
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    expect_refused(bob, s->id, "email_marketing", 0, LV_EDENIED, no_consent);
    /* An expiry in the past is refused outright. */
    assert_int_equal(lv_consent_grant(bob, s->id, "email_marketing", "late", NULL, wall_ms() - 1),
                     LV_EINVAL);
    /* Consent for one purpose opens no other consent purpose. */
    FIXTURE_OK(lv_consent_grant(bob, s->id, "phone_outreach", "call-back form", NULL, 0));
    expect_refused(bob, s->id, "email_marketing", 0, LV_EDENIED, no_consent);
    expect_refused(bob, s->id, "direct_mail", 0, LV_EDENIED, "no active consent");
    fixture_close(bob);

    /* The same for an admin; a legitimate-interest purpose needs no consent. */
    lv_vault *alice = open_as(s, "alice");
    expect_refused(alice, s->id, "email_marketing", 0, LV_EDENIED, no_consent);
    expect_revealed(alice, s->id, "sales_followup", 0, SALES_FOLLOWUP_FIELDS);
    /* A consent grant for a purpose that does not rest on consent is refused. */
    assert_int_equal(lv_consent_grant(alice, s->id, "sales_followup", "form", NULL, 0), LV_EINVAL);
    fixture_close(alice);
}

/* ---- fields and roles ---- */

static void test_fields_outside_purpose_denied(void **in)
{
    state *s = *in;
    const char *const users[] = {"alice", "bob"};
    for (size_t u = 0; u < 2; u++) {
        lv_vault *vault = open_as(s, users[u]);
        if (u == 0)
            FIXTURE_OK(lv_consent_grant(vault, s->id, "phone_outreach", "call-back form", NULL, 0));
        expect_revealed(vault, s->id, "phone_outreach", 0, PHONE_OUTREACH_FIELDS);
        expect_refused(vault, s->id, "phone_outreach", F(NOTES), LV_EDENIED,
                       "purpose phone_outreach does not allow field notes");
        expect_refused(vault, s->id, "phone_outreach", F(EMAIL), LV_EDENIED,
                       "purpose phone_outreach does not allow field email");
        expect_refused(vault, s->id, "phone_outreach", F(PHONE) | F(NOTES), LV_EDENIED,
                       "does not allow field notes");
        expect_refused(vault, s->id, "phone_outreach", LV_FIELD_MASK_ALL, LV_EDENIED,
                       "does not allow field");
        expect_revealed(vault, s->id, "sales_followup", 0, SALES_FOLLOWUP_FIELDS);
        expect_refused(vault, s->id, "sales_followup", F(NOTES), LV_EDENIED,
                       "purpose sales_followup does not allow field notes");
        expect_refused(vault, s->id, "sales_followup", F(EMAIL) | F(NOTES), LV_EDENIED,
                       "purpose sales_followup does not allow field notes");
        /* Roles a purpose does not list, and purposes that do not exist. */
        expect_refused(vault, s->id, "subject_request", F(NOTES), LV_EDENIED,
                       "may not use purpose subject_request");
        expect_refused(vault, s->id, "no_such_purpose", 0, LV_EDENIED, "no purpose");
        fixture_close(vault);
    }

    lv_vault *cora = open_as(s, "cora");
    expect_revealed(cora, s->id, "subject_request", 0, LV_FIELD_MASK_ALL);
    expect_refused(cora, s->id, "sales_followup", 0, LV_EDENIED,
                   "role compliance may not use purpose sales_followup");
    expect_refused(cora, s->id, "phone_outreach", 0, LV_EDENIED,
                   "role compliance may not use purpose phone_outreach");
    fixture_close(cora);

    lv_vault *aud = open_as(s, "aud");
    expect_refused(aud, s->id, "sales_followup", 0, LV_EDENIED,
                   "role auditor may not reveal lead data");
    expect_refused(aud, s->id, FIXTURE_PURPOSE, 0, LV_EDENIED, "may not reveal lead data");
    fixture_close(aud);
}

/* ---- retired purposes and the history ---- */

static void test_retired_purpose(void **in)
{
    state *s = *in;
    lv_vault *alice = open_as(s, "alice");
    FIXTURE_OK(lv_purpose_add(alice, "webinar_invites", LV_BASIS_CONSENT, F(FIRST_NAME) | F(EMAIL),
                              (1u << LV_ROLE_ADMIN) | (1u << LV_ROLE_SALES)));
    FIXTURE_OK(lv_consent_grant(alice, s->id, "webinar_invites", "sign-up", "w1", 0));
    expect_revealed(alice, s->id, "webinar_invites", 0, F(FIRST_NAME) | F(EMAIL));
    fixture_close(alice);

    lv_vault *bob = open_as(s, "bob");
    assert_int_equal(lv_purpose_retire(bob, "webinar_invites"), LV_EDENIED);
    fixture_close(bob);

    alice = open_as(s, "alice");
    FIXTURE_OK(lv_purpose_retire(alice, "webinar_invites"));
    expect_refused(alice, s->id, "webinar_invites", 0, LV_EDENIED,
                   "purpose webinar_invites is retired");
    assert_int_equal(lv_consent_grant(alice, s->id, "webinar_invites", "again", NULL, 0),
                     LV_EDENIED);
    expect_message_has("retired");
    lv_purpose_info *purposes = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_purpose_list(alice, &purposes, &count));
    int seen = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(purposes[i].name, "webinar_invites") == 0) {
            seen = 1;
            assert_true(purposes[i].retired > 0);
        } else {
            assert_int_equal(purposes[i].retired, 0);
        }
    }
    assert_true(seen);
    lv_purpose_list_free(purposes);
    /* A withdrawal is still accepted; the history keeps both records. */
    FIXTURE_OK(lv_consent_withdraw(alice, s->id, "webinar_invites", "after retirement"));
    lv_consent_record *records = NULL;
    FIXTURE_OK(lv_consent_history(&records, &count, alice, s->id));
    assert_int_equal(count, 2);
    assert_string_equal(records[0].purpose, "webinar_invites");
    assert_int_equal(records[0].granted, 1);
    assert_string_equal(records[0].evidence, "sign-up");
    assert_string_equal(records[0].notice_version, "w1");
    assert_string_equal(records[1].purpose, "webinar_invites");
    assert_int_equal(records[1].granted, 0);
    assert_string_equal(records[1].reason, "after retirement");
    lv_consent_history_free(records, count);
    fixture_close(alice);

    bob = open_as(s, "bob");
    expect_refused(bob, s->id, "webinar_invites", F(EMAIL), LV_EDENIED, "is retired");
    fixture_close(bob);
}

static void test_consent_history(void **in)
{
    state *s = *in;
    lv_vault *alice = open_as(s, "alice");
    FIXTURE_OK(lv_consent_grant(alice, s->id, "email_marketing", "web form, IP 198.51.100.7",
                                "2026-02", 0));
    fixture_close(alice);
    lv_vault *bob = open_as(s, "bob");
    FIXTURE_OK(lv_consent_grant(bob, s->id, "direct_mail", "paper form «P-17»", "v1", 0));
    FIXTURE_OK(lv_consent_withdraw(bob, s->id, "email_marketing", "unsubscribe link"));
    lv_consent_record *records = (lv_consent_record *)&records;
    size_t count = 99;
    assert_int_equal(lv_consent_history(&records, &count, bob, s->id), LV_EDENIED);
    assert_null(records);
    assert_int_equal(count, 0);
    fixture_close(bob);
    lv_vault *cora = open_as(s, "cora");
    int64_t expires = wall_ms() + 86400000;
    FIXTURE_OK(lv_consent_grant(cora, s->id, "email_marketing", "phone call C-9", NULL, expires));
    FIXTURE_OK(lv_consent_withdraw(cora, s->id, "direct_mail", NULL));

    FIXTURE_OK(lv_consent_history(&records, &count, cora, s->id));
    static const struct {
        const char *purpose;
        int granted;
        const char *actor, *notice, *evidence, *reason;
    } want[] = {
        {"email_marketing", 1, "alice", "2026-02", "web form, IP 198.51.100.7", NULL},
        {"direct_mail", 1, "bob", "v1", "paper form «P-17»", NULL},
        {"email_marketing", 0, "bob", "", NULL, "unsubscribe link"},
        {"email_marketing", 1, "cora", "", "phone call C-9", NULL},
        {"direct_mail", 0, "cora", "", NULL, NULL},
    };
    assert_int_equal(count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < count; i++) {
        const lv_consent_record *r = &records[i];
        assert_string_equal(r->purpose, want[i].purpose);
        assert_int_equal(r->granted, want[i].granted);
        assert_string_equal(r->actor, want[i].actor);
        assert_string_equal(r->notice_version, want[i].notice);
        if (want[i].evidence != NULL) {
            assert_non_null(r->evidence);
            assert_int_equal(r->evidence_len, strlen(want[i].evidence));
            assert_memory_equal(r->evidence, want[i].evidence, r->evidence_len);
        } else {
            assert_null(r->evidence);
        }
        if (want[i].reason != NULL) {
            assert_non_null(r->reason);
            assert_int_equal(r->reason_len, strlen(want[i].reason));
            assert_memory_equal(r->reason, want[i].reason, r->reason_len);
        } else {
            assert_null(r->reason);
        }
        assert_int_equal(r->expires, i == 3 ? expires : 0);
        if (i > 0)
            assert_true(r->time >= records[i - 1].time);
    }
    lv_consent_history_free(records, count);
    fixture_close(cora);
}

/* ---- tampering ---- */

static void sql(const state *s, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void sql(const state *s, const char *format, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    char *error = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &error) != SQLITE_OK) {
        print_error("%s: %s\n", text, error);
        fail();
    }
    assert_true(sqlite3_changes(db) > 0);
    sqlite3_close(db);
}

static void test_tampering_is_corruption(void **in)
{
    state *s = *in;
    lv_vault *bob = open_as(s, "bob");
    FIXTURE_OK(lv_consent_grant(bob, s->id, "email_marketing", "newsletter form", NULL, 0));
    FIXTURE_OK(lv_consent_grant(bob, s->id, "phone_outreach", "call-back form", NULL, 0));
    FIXTURE_OK(lv_consent_withdraw(bob, s->id, "phone_outreach", "do not call"));
    expect_revealed(bob, s->id, "email_marketing", 0, EMAIL_MARKETING_FIELDS);
    expect_refused(bob, s->id, "phone_outreach", 0, LV_EDENIED, "no active consent");
    fixture_close(bob);

    /* A purpose's roles, then restored: the MAC, not the value, decides. */
    sql(s, "UPDATE purpose SET roles = roles | %u WHERE name = 'email_marketing'",
        1u << LV_ROLE_AUDITOR);
    bob = open_as(s, "bob");
    expect_refused(bob, s->id, "email_marketing", 0, LV_ECORRUPT,
                   "purpose email_marketing was altered");
    fixture_close(bob);
    sql(s, "UPDATE purpose SET roles = roles & ~%u WHERE name = 'email_marketing'",
        1u << LV_ROLE_AUDITOR);
    bob = open_as(s, "bob");
    expect_revealed(bob, s->id, "email_marketing", 0, EMAIL_MARKETING_FIELDS);
    fixture_close(bob);

    /* A purpose's fields. */
    sql(s, "UPDATE purpose SET fields = fields | %u WHERE name = 'email_marketing'", F(NOTES));
    bob = open_as(s, "bob");
    expect_refused(bob, s->id, "email_marketing", F(NOTES), LV_ECORRUPT,
                   "purpose email_marketing was altered");
    expect_refused(bob, s->id, "email_marketing", 0, LV_ECORRUPT, "was altered");
    fixture_close(bob);
    sql(s, "UPDATE purpose SET fields = fields & ~%u WHERE name = 'email_marketing'", F(NOTES));

    /* A consent record: the withdrawal turned into a grant. */
    sql(s, "UPDATE consent SET granted = 1 WHERE granted = 0 AND purpose = 'phone_outreach'");
    bob = open_as(s, "bob");
    expect_refused(bob, s->id, "phone_outreach", 0, LV_ECORRUPT, "a consent record of lead");
    expect_refused(bob, s->id, "email_marketing", 0, LV_ECORRUPT, "was altered");
    fixture_close(bob);
    sql(s, "UPDATE consent SET granted = 0 WHERE seq = (SELECT max(seq) FROM consent)");
    bob = open_as(s, "bob");
    expect_refused(bob, s->id, "phone_outreach", 0, LV_EDENIED, "no active consent");
    fixture_close(bob);

    /* The newest record (the withdrawal) deleted: the grant before it must
     * not count again. */
    sql(s, "DELETE FROM consent WHERE seq = (SELECT max(seq) FROM consent)");
    bob = open_as(s, "bob");
    expect_refused(bob, s->id, "phone_outreach", 0, LV_ECORRUPT, "incomplete or reordered");
    expect_refused(bob, s->id, "email_marketing", 0, LV_ECORRUPT, "incomplete or reordered");
    lv_consent_record *records = (lv_consent_record *)&records;
    size_t count = 99;
    fixture_close(bob);
    lv_vault *alice = open_as(s, "alice");
    assert_int_equal(lv_consent_history(&records, &count, alice, s->id), LV_ECORRUPT);
    assert_null(records);
    assert_int_equal(count, 0);
    assert_int_equal(lv_vault_check(alice, NULL, NULL, NULL), LV_ECORRUPT);
    fixture_close(alice);
}

/* A mask bit that names no field is no field the purpose allows: it must
 * not fall back to "0 = every field of the purpose". */
static void test_unknown_field_bits_refused(void **in)
{
    state *s = *in;
    lv_vault *bob = open_as(s, "bob");
    const uint32_t unknown[] = {1u << LV_FIELD_COUNT, 1u << 20, 1u << 31};
    int wrong = 0; /* failures are counted first, so that bob's session is closed */
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        lv_lead *lead = (lv_lead *)&lead;
        int rc = lv_lead_get(&lead, bob, s->id, "sales_followup", unknown[i]);
        if ((rc != LV_EINVAL && rc != LV_EDENIED) || lead != NULL) {
            print_error("lv_lead_get(fields 0x%x) = %d, expected LV_EINVAL or LV_EDENIED\n",
                        unknown[i], rc);
            if (rc == 0)
                lv_lead_free(lead);
            wrong++;
        }
        lv_lead **leads = (lv_lead **)&leads;
        size_t count = 99;
        rc = lv_lead_find(&leads, &count, bob, LV_LOOKUP_EMAIL, values[LV_FIELD_EMAIL],
                          "sales_followup", unknown[i] | F(EMAIL));
        if ((rc != LV_EINVAL && rc != LV_EDENIED) || leads != NULL || count != 0) {
            print_error("lv_lead_find(fields 0x%x) = %d (%zu leads), expected LV_EINVAL or "
                        "LV_EDENIED\n",
                        unknown[i] | F(EMAIL), rc, count);
            if (rc == 0)
                lv_lead_list_free(leads, count);
            wrong++;
        }
    }
    fixture_close(bob);
    assert_int_equal(wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_consent_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_outside_purpose_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retired_purpose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampering_is_corruption, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_field_bits_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
