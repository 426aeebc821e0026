/* digest.c - the state digest (vault/digest.c and its upkeep in
 * vault/store_sqlite.c): the sum's carries, the row element and the
 * commitment of docs/format.md byte for byte, a change of a covered table
 * refused without the key, rollbacks of transactions and of failed
 * statements, digest_rebuild, and what check finds with and without
 * --deep. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sodium.h>
#include <sqlite3.h>

#include "digest.h"
#include "error.h"
#include "session.h"
#include "vault_fixture.h"

#define ALICE_PASS FIXTURE_ALICE_PASS

static void hex_to(unsigned char *out, size_t len, const char *hex)
{
    size_t got = 0;
    assert_int_equal(sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL), 0);
    assert_int_equal(got, len);
}

static void test_sum_carries(void **unused)
{
    (void)unused;
    digest_sum d = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
    unsigned char one[DIGEST_BYTES] = {1}, out[DIGEST_BYTES], zero[DIGEST_BYTES] = {0};
    /* 2^256 - 1 + 1 wraps to 0, carrying through every limb. */
    digest_sum_add(&d, one);
    digest_sum_bytes(out, &d);
    assert_memory_equal(out, zero, DIGEST_BYTES);
    /* 0 - 1 borrows back to 2^256 - 1. */
    digest_sum_sub(&d, one);
    for (int i = 0; i < 4; i++)
        assert_true(d.limb[i] == UINT64_MAX);
    /* Adding and subtracting any element in any order gives back the start. */
    unsigned char a[DIGEST_BYTES], b[DIGEST_BYTES];
    randombytes_buf(a, sizeof a);
    randombytes_buf(b, sizeof b);
    digest_sum start = d, x = d;
    digest_sum_add(&x, a);
    digest_sum_add(&x, b);
    digest_sum_sub(&x, a);
    digest_sum_sub(&x, b);
    assert_true(digest_sum_equal(&x, &start));
    digest_sum_add(&x, a);
    assert_false(digest_sum_equal(&x, &start));
}

/* The worked example of docs/format.md ("State digest"): key 00 01 .. 1f. */
#define WORKED_HOLD_ELEMENT "39902e39a76ae66c40910ba110c00305a386f583bacc9419561182a9e516fdd6"
#define WORKED_META_ELEMENT "ac86d685969f599707965ba7b75125716fe677256cf5f666091949767118dcd4"
#define WORKED_SUM "e51605bf3d0a400448276748c8112976126d6da926c28b805f2acb1f572fd9ab"
#define WORKED_COMMITMENT "d1ce6314da88131007bd7e63c568c46ef1233f428070d468ad6343de411f9ec9"

static void test_worked_example(void **unused)
{
    (void)unused;
    unsigned char key[KEY_BYTES], id[LV_ID_BYTES], zeros[32] = {0}, element[DIGEST_BYTES];
    unsigned char want[DIGEST_BYTES];
    for (int i = 0; i < KEY_BYTES; i++)
        key[i] = (unsigned char)i;
    for (int i = 0; i < LV_ID_BYTES; i++)
        id[i] = (unsigned char)(i + 1);
    crypto_generichash_blake2b_state prf;
    crypto_generichash_blake2b_init(&prf, key, KEY_BYTES, DIGEST_BYTES);
    /* hold(lead_id, reason, actor, time, mac) */
    digest_row r;
    digest_row_begin(&r, &prf, "hold");
    digest_row_bytes(&r, DIGEST_BLOB, id, sizeof id);
    digest_row_bytes(&r, DIGEST_TEXT, "case 1", 6);
    digest_row_bytes(&r, DIGEST_TEXT, "carol", 5);
    digest_row_int(&r, 1767225600000);
    digest_row_bytes(&r, DIGEST_BLOB, zeros, 32);
    digest_row_end(&r, element);
    hex_to(want, sizeof want, WORKED_HOLD_ELEMENT);
    assert_memory_equal(element, want, DIGEST_BYTES);
    digest_sum d;
    memset(&d, 0, sizeof d);
    digest_sum_add(&d, element);
    /* meta('created', 8 zero bytes) */
    digest_row_begin(&r, &prf, "meta");
    digest_row_bytes(&r, DIGEST_TEXT, "created", 7);
    digest_row_bytes(&r, DIGEST_BLOB, zeros, 8);
    digest_row_end(&r, element);
    hex_to(want, sizeof want, WORKED_META_ELEMENT);
    assert_memory_equal(element, want, DIGEST_BYTES);
    digest_sum_add(&d, element);
    digest_sum_bytes(element, &d);
    hex_to(want, sizeof want, WORKED_SUM);
    assert_memory_equal(element, want, DIGEST_BYTES);
    /* The commitment a checkpoint signs. */
    crypto_generichash_blake2b_state st = prf;
    crypto_generichash_blake2b_update(&st, (const unsigned char *)"lvdigest", 8);
    crypto_generichash_blake2b_update(&st, element, DIGEST_BYTES);
    crypto_generichash_blake2b_final(&st, element, DIGEST_BYTES);
    hex_to(want, sizeof want, WORKED_COMMITMENT);
    assert_memory_equal(element, want, DIGEST_BYTES);
}

static void test_seal_bound_to_head(void **unused)
{
    (void)unused;
    unsigned char key[KEY_BYTES], vault_id[LV_ID_BYTES], head[32], other[32];
    unsigned char sealed[DIGEST_SEALED_BYTES], got_head[32];
    randombytes_buf(key, sizeof key);
    randombytes_buf(vault_id, sizeof vault_id);
    randombytes_buf(head, sizeof head);
    digest_sum d = {{1, 2, 3, 4}}, out;
    uint64_t seq = 0;
    digest_seal(sealed, &d, key, vault_id, 7, head);
    assert_int_equal(digest_open(&out, &seq, got_head, sealed, key, vault_id), 0);
    assert_true(digest_sum_equal(&out, &d));
    assert_true(seq == 7);
    assert_memory_equal(got_head, head, 32);
    /* Another head, seq or vault: the AD differs, it does not open. */
    for (size_t at = 0; at < 8 + 32; at++) {
        unsigned char bent[DIGEST_SEALED_BYTES];
        memcpy(bent, sealed, sizeof bent);
        bent[at] ^= 1;
        assert_int_equal(digest_open(&out, &seq, got_head, bent, key, vault_id), LV_ECORRUPT);
    }
    memcpy(other, vault_id, LV_ID_BYTES);
    other[0] ^= 1;
    assert_int_equal(digest_open(&out, &seq, got_head, sealed, key, other), LV_ECORRUPT);
}

typedef struct state {
    fixture f;
} state;

static int setup(void **in)
{
    state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    fixture_make_dir(&s->f);
    fixture_close(fixture_create(&s->f, ALICE_PASS));
    *in = s;
    return 0;
}

static int teardown(void **in)
{
    state *s = *in;
    fixture_remove_dir(&s->f);
    free(s);
    return 0;
}

static void expect_consistent(lv_vault *vault)
{
    FIXTURE_OK(store_begin_read(vault->store));
    int rc = digest_verify(vault, NULL);
    store_rollback(vault->store);
    if (rc != 0)
        print_error("digest_verify: %s\n", lv_error_last());
    assert_int_equal(rc, 0);
}

static const unsigned char setting_value[MAC_BYTES + 4] = "0123456789abcdef0123456789abcdefAcme";

/* A session without keys (a failed unlock's, audit verify --pubkey's)
 * cannot change a covered table: the commit is refused, nothing stays. */
static void test_locked_write_refused(void **in)
{
    state *s = *in;
    lv_vault *locked = fixture_open_ok(&s->f, NULL, NULL);
    FIXTURE_OK(store_begin(locked->store));
    FIXTURE_OK(
        store_meta_put(locked->store, "setting.controller", setting_value, sizeof setting_value));
    assert_int_equal(store_commit(locked->store), LV_ECORRUPT);
    assert_non_null(strstr(lv_error_last(), "without the digest key"));
    /* The refusal rolled the transaction back: a later one starts clean. */
    FIXTURE_OK(store_begin(locked->store));
    FIXTURE_OK(store_commit(locked->store));
    fixture_close(locked);
    lv_vault *vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    unsigned char buf[64];
    size_t len = 0;
    assert_int_equal(store_meta_get(vault->store, "setting.controller", buf, sizeof buf, &len),
                     LV_ENOTFOUND);
    expect_consistent(vault);
    fixture_close(vault);
}

/* A rolled-back transaction rolls the running digest back with it, and a
 * statement that fails undoes only its own rows. */
static void test_rollbacks(void **in)
{
    state *s = *in;
    lv_vault *vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    unsigned char before[DIGEST_BYTES], after[DIGEST_BYTES];
    FIXTURE_OK(store_digest_value(vault->store, before));
    FIXTURE_OK(store_begin(vault->store));
    FIXTURE_OK(
        store_meta_put(vault->store, "setting.controller", setting_value, sizeof setting_value));
    FIXTURE_OK(store_digest_value(vault->store, after));
    assert_memory_not_equal(before, after, DIGEST_BYTES);
    store_rollback(vault->store);
    FIXTURE_OK(store_digest_value(vault->store, after));
    assert_memory_equal(before, after, DIGEST_BYTES);
    /* A failed insert (the admin's slot exists) inside a transaction that
     * goes on and commits. */
    store_keyslot slot;
    FIXTURE_OK(store_keyslot_get(vault->store, "alice", &slot));
    FIXTURE_OK(store_begin(vault->store));
    assert_int_equal(store_keyslot_insert(vault->store, &slot), LV_EEXISTS);
    FIXTURE_OK(
        store_meta_put(vault->store, "setting.dpo_contact", setting_value, sizeof setting_value));
    FIXTURE_OK(store_commit(vault->store));
    expect_consistent(vault);
    fixture_close(vault);
}

/* Two sessions open at once, each writing in turn: each transaction goes
 * on from the digest the other one committed, not from the one it read
 * at its unlock. */
static void test_two_sessions(void **in)
{
    state *s = *in;
    lv_vault *a = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    lv_vault *b = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    char id[LV_ID_STRLEN + 1];
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = "Two";
    for (int round = 0; round < 3; round++) {
        FIXTURE_OK(lv_lead_add(a, id, &input));
        FIXTURE_OK(lv_lead_add(b, id, &input));
    }
    expect_consistent(a);
    expect_consistent(b);
    fixture_close(a);
    fixture_close(b);
    lv_vault *vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    expect_consistent(vault);
    fixture_close(vault);
}

/* digest_rebuild makes the digest cover the rows as they are (upgrade,
 * rekey): a vault edited by hand is consistent again after it. */
static void test_rebuild(void **in)
{
    state *s = *in;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "DELETE FROM purpose WHERE name = 'email_marketing'", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    lv_vault *vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    FIXTURE_OK(store_begin_read(vault->store));
    assert_int_equal(digest_verify(vault, NULL), LV_ECORRUPT);
    assert_non_null(strstr(lv_error_last(), "does not match its digest"));
    store_rollback(vault->store);
    FIXTURE_OK(store_begin(vault->store));
    FIXTURE_OK(digest_rebuild(vault));
    FIXTURE_OK(store_commit(vault->store));
    expect_consistent(vault);
    /* Outside a write transaction it refuses. */
    assert_int_equal(digest_rebuild(vault), LV_ERROR);
    fixture_close(vault);
    lv_vault *locked = fixture_open_ok(&s->f, NULL, NULL);
    assert_int_equal(digest_rebuild(locked), LV_EDENIED);
    fixture_close(locked);
}

/* ---- check: the digest vouches, --deep opens ---- */

typedef struct problems {
    int count;
    char lead[4][LV_ID_STRLEN + 1];
    char field[4][16];
} problems;

static void on_problem(void *ctx, const char *lead_id, const char *field, const char *problem)
{
    (void)problem;
    problems *p = ctx;
    if (p->count < 4) {
        snprintf(p->lead[p->count], sizeof p->lead[0], "%s", lead_id != NULL ? lead_id : "");
        snprintf(p->field[p->count], sizeof p->field[0], "%s", field != NULL ? field : "");
    }
    p->count++;
}

static int check_as(lv_vault *vault, int deep, problems *p, uint64_t *leads)
{
    lv_check_options opts = LV_CHECK_OPTIONS_INIT;
    opts.deep = deep;
    memset(p, 0, sizeof *p);
    return lv_vault_check_with(vault, &opts, on_problem, p, leads);
}

/* One byte of a lead's sealed email flipped in the file. */
static void flip_email(const char *path, const char *id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *get = NULL, *put = NULL;
    unsigned char bytes[512];
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT email FROM lead WHERE hex(id) = upper(?1)", -1,
                                        &get, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(get, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(get), SQLITE_ROW);
    int len = sqlite3_column_bytes(get, 0);
    assert_true(len > 30 && len <= (int)sizeof bytes);
    memcpy(bytes, sqlite3_column_blob(get, 0), (size_t)len);
    sqlite3_finalize(get);
    bytes[30] ^= 0x01; /* in the ciphertext: after format byte and nonce */
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE lead SET email = ?1 WHERE hex(id) = upper(?2)",
                                        -1, &put, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(put, 1, bytes, len, SQLITE_STATIC);
    sqlite3_bind_text(put, 2, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(put), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(put);
    sqlite3_close(db);
}

/* The default check relies on the digest: a flipped ciphertext byte
 * changes it, and then the per-lead pass names lead and field. What the
 * digest cannot show is a row written wrongly by a holder of the keys
 * (here: the digest recomputed over the edited file, as a session with
 * the keys could): only --deep, which opens every value, finds that. A
 * notes value longer than the row gather buffer goes through its other
 * path; the lead row's element taken from the bound values must equal
 * the one recomputed from the file (the first check). */
static void test_check_default_and_deep(void **in)
{
    state *s = *in;
    lv_vault *vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    char id[LV_ID_STRLEN + 1], notes[3000];
    memset(notes, 'n', sizeof notes - 1);
    notes[sizeof notes - 1] = '\0';
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_EMAIL] = "ann@example.com";
    input.field[LV_FIELD_NOTES] = notes;
    FIXTURE_OK(lv_lead_add(vault, id, &input));
    input.field[LV_FIELD_EMAIL] = "ben@example.com";
    input.field[LV_FIELD_NOTES] = NULL;
    char other[LV_ID_STRLEN + 1];
    FIXTURE_OK(lv_lead_add(vault, other, &input));
    problems p;
    uint64_t leads = 0;
    FIXTURE_OK(check_as(vault, 0, &p, &leads));
    assert_true(leads == 2); /* counted by the digest's pass */
    FIXTURE_OK(check_as(vault, 1, &p, &leads));
    assert_true(leads == 2);
    fixture_close(vault);

    flip_email(s->f.path, id);
    vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    assert_int_equal(check_as(vault, 0, &p, &leads), LV_ECORRUPT);
    assert_int_equal(p.count, 2); /* the value by lead and field, then the digest */
    assert_string_equal(p.lead[0], id);
    assert_string_equal(p.field[0], "email");
    assert_string_equal(p.lead[1], "");
    assert_true(leads == 2);

    FIXTURE_OK(store_begin(vault->store));
    FIXTURE_OK(digest_rebuild(vault));
    FIXTURE_OK(store_commit(vault->store));
    FIXTURE_OK(check_as(vault, 0, &p, &leads));
    assert_int_equal(p.count, 0);
    assert_int_equal(check_as(vault, 1, &p, &leads), LV_ECORRUPT);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.lead[0], id);
    assert_string_equal(p.field[0], "email");
    lv_check_options old = LV_CHECK_OPTIONS_INIT;
    old.version = 0;
    assert_int_equal(lv_vault_check_with(vault, &old, NULL, NULL, NULL), LV_EINVAL);
    assert_int_equal(lv_vault_check_with(vault, NULL, NULL, NULL, NULL), LV_EINVAL);
    fixture_close(vault);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_carries),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_seal_bound_to_head),
        cmocka_unit_test_setup_teardown(test_locked_write_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollbacks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_default_and_deep, setup, teardown),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
