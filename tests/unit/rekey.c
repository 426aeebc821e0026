/* rekey.c - lv_vault_rekey's blind index (vault/rekey.c): the batches
 * write each lead's new tags into its own row only, and lead_index is
 * rebuilt from those rows in the rekey's last transaction. A stop between
 * the last batch and that transaction (a failing rebuild here: its
 * transaction rolls back, which leaves the file as a kill -9 at that point
 * does) leaves a stale index that nothing reads, a vault that checks, and
 * a `rekey` that finishes it; a lead the batches did not reach is still
 * rekeyed before the generation changes.
 *
 * Reads the file with sqlite3.h, as any reader of the file could. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sqlite3.h>

#include "error.h"
#include "rekey.h"
#include "session.h"
#include "store.h"
#include "vault_fixture.h"

#define LEADS 40
/* Index rows per lead: email, email2 (the same address as email for every
 * third lead: one row), phone. */
#define ROWS_OF(i) ((i) % 3 == 0 ? 2 : 3)

static void contact(char *out, size_t cap, const char *what, int i)
{
    if (strcmp(what, "email") == 0)
        snprintf(out, cap, "person%d@example.com", i);
    else if (strcmp(what, "email2") == 0)
        snprintf(out, cap, i % 3 == 0 ? "Person%d@Example.com" : "other%d@example.org", i);
    else
        snprintf(out, cap, "+4915100%06d", i);
}

/* The leads, added in the creating session, which is then closed and the
 * vault opened again: a rekey runs in a session that unlocked the vault
 * (the creating session does not hold its user's key pair). */
static void add_leads(fixture_session *s, char ids[LEADS][LV_ID_STRLEN + 1])
{
    lv_vault *vault = s->vault;
    for (int i = 0; i < LEADS; i++) {
        char email[64], email2[64], phone[32];
        contact(email, sizeof email, "email", i);
        contact(email2, sizeof email2, "email2", i);
        contact(phone, sizeof phone, "phone", i);
        lv_lead_input input = fixture_input();
        input.field[LV_FIELD_EMAIL] = email;
        input.field[LV_FIELD_EMAIL2] = email2;
        input.field[LV_FIELD_PHONE] = phone;
        input.field[LV_FIELD_NOTES] = "a note";
        FIXTURE_OK(lv_lead_add(vault, ids[i], &input));
    }
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "alice", FIXTURE_ALICE_PASS);
}

static sqlite3_int64 count(const fixture *f, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    sqlite3_int64 n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* Index rows whose tag is not one of their lead's own tags (or whose lead
 * is gone). */
#define STALE_ROWS                                                                                 \
    "SELECT count(*) FROM lead_index AS i WHERE NOT EXISTS (SELECT 1 FROM lead AS l"               \
    " WHERE l.id = i.lead_id AND instr(substr(l.tags, 2), i.tag) > 0)"

/* Every contact of every lead still in the vault found through the index,
 * each exactly once, with its email as stored. */
static void find_all(lv_vault *vault, char ids[LEADS][LV_ID_STRLEN + 1], int erased)
{
    static const char *const what[] = {"email", "email2", "phone"};
    for (int i = 0; i < LEADS; i++) {
        for (int w = 0; w < 3; w++) {
            char value[64];
            contact(value, sizeof value, what[w], i);
            lv_lead **found = NULL;
            size_t n = 0;
            FIXTURE_OK(lv_lead_find(&found, &n, vault, w == 2 ? LV_LOOKUP_PHONE : LV_LOOKUP_EMAIL,
                                    value, FIXTURE_PURPOSE, 1u << LV_FIELD_EMAIL));
            assert_int_equal(n, i == erased ? 0 : 1);
            if (n == 1) {
                char email[64];
                contact(email, sizeof email, "email", i);
                assert_string_equal(found[0]->meta.id, ids[i]);
                assert_string_equal(found[0]->value[LV_FIELD_EMAIL], email);
            }
            lv_lead_list_free(found, n);
        }
    }
}

static int clear_fails(store *st)
{
    (void)st;
    return err_set(LV_ERROR, "injected: stopped before the index rebuild");
}

static void check_ok(lv_vault *vault)
{
    uint64_t leads = 0;
    FIXTURE_OK(lv_vault_check(vault, NULL, NULL, &leads));
    lv_audit_report report;
    FIXTURE_OK(lv_audit_verify(vault, NULL, NULL, &report));
}

/* Stopped after the last batch, before the rebuild, then finished. With
 * erase_meanwhile, a lead already under the new keys is erased (without
 * suppression, which a half-done rekey allows) before the rekey is
 * finished: its stale rows go with the rebuild. */
static void stop_before_rebuild(fixture_session *s, unsigned flags, int erase_meanwhile)
{
    char ids[LEADS][LV_ID_STRLEN + 1];
    add_leads(s, ids);
    sqlite3_int64 rows = 0;
    for (int i = 0; i < LEADS; i++)
        rows += ROWS_OF(i);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead_index"), rows);
    assert_int_equal(count(&s->f, STALE_ROWS), 0);

    store_ops failing = *s->vault->store->ops;
    const store_ops *real = s->vault->store->ops;
    failing.index_clear = clear_fails;
    s->vault->store->ops = &failing;
    lv_rekey_report report;
    int rc = lv_vault_rekey(s->vault, flags, &report);
    s->vault->store->ops = real;
    assert_int_equal(rc, LV_ERROR);
    assert_non_null(strstr(lv_error_last(), "injected"));
    fixture_close(s->vault);
    s->vault = NULL;

    /* Every lead under generation 2, the index still generation 1's. */
    assert_int_equal(count(&s->f, "SELECT count(*) FROM keygen WHERE state = 2"), 1);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead WHERE generation = 2"), LEADS);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead_index"), rows);
    assert_int_equal(count(&s->f, STALE_ROWS), rows);

    s->vault = fixture_open_ok(&s->f, "alice", FIXTURE_ALICE_PASS);
    lv_lead **found = NULL;
    size_t n = 0;
    assert_int_equal(lv_lead_find(&found, &n, s->vault, LV_LOOKUP_EMAIL, "person1@example.com",
                                  FIXTURE_PURPOSE, 1u << LV_FIELD_EMAIL),
                     LV_EBUSY);
    assert_non_null(strstr(lv_error_last(), "rekey is half done"));
    check_ok(s->vault);
    int erased = -1;
    if (erase_meanwhile) {
        erased = 7;
        lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
        opts.request = "R-7";
        opts.ground = "test";
        opts.no_suppress = 1;
        size_t count_erased = 0;
        FIXTURE_OK(lv_erase(s->vault, ids[erased], LV_LOOKUP_EMAIL, NULL, &opts, NULL, NULL,
                            &count_erased));
        assert_int_equal(count_erased, 1);
        /* Its rows are generation 1's: the erasure, which goes by the
         * lead's own (new) tags, does not find them. */
        assert_int_equal(count(&s->f, "SELECT count(*) FROM lead_index"), rows);
        rows -= ROWS_OF(erased);
    }

    FIXTURE_OK(lv_vault_rekey(s->vault, 0, &report));
    assert_int_equal(report.resumed, 1);
    assert_int_equal(report.leads, 0); /* every lead was done before the stop */
    assert_int_equal(report.generation, 2);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM keygen WHERE state = 2"), 0);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead_index"), rows);
    assert_int_equal(count(&s->f, STALE_ROWS), 0);
    find_all(s->vault, ids, erased);
    check_ok(s->vault);
}

static void test_stop_before_rebuild(void **in)
{
    stop_before_rebuild(*in, 0, 0);
}

static void test_stop_before_rebuild_reencrypt(void **in)
{
    stop_before_rebuild(*in, LV_REKEY_REENCRYPT, 0);
}

static void test_erase_while_half_done(void **in)
{
    stop_before_rebuild(*in, 0, 1);
}

/* lead_each as the store has it, but the batches' first listing leaves
 * out its first lead, as if it had been stored behind their position. */
static const store_ops *real_ops;
static int skipped;

typedef struct skip_first {
    store_lead_fn fn;
    void *ctx;
    int seen;
} skip_first;

static int skip_visit(void *ctx, const store_lead *lead)
{
    skip_first *k = ctx;
    if (k->seen++ == 0) {
        skipped++;
        return 0;
    }
    return k->fn(k->ctx, lead);
}

static int lead_each_skipping(store *st, const store_lead_filter *filter, int with_sealed,
                              store_lead_fn fn, void *ctx)
{
    if (filter != NULL && filter->generation != 0 && filter->limit > 1 && skipped == 0) {
        skip_first k = {fn, ctx, 0};
        return real_ops->lead_each(st, filter, with_sealed, skip_visit, &k);
    }
    return real_ops->lead_each(st, filter, with_sealed, fn, ctx);
}

static void test_lead_missed_by_batches(void **in)
{
    fixture_session *s = *in;
    char ids[LEADS][LV_ID_STRLEN + 1];
    add_leads(s, ids);
    store_ops patched = *s->vault->store->ops;
    real_ops = s->vault->store->ops;
    patched.lead_each = lead_each_skipping;
    s->vault->store->ops = &patched;
    skipped = 0;
    lv_rekey_report report;
    int rc = lv_vault_rekey(s->vault, 0, &report);
    s->vault->store->ops = real_ops;
    FIXTURE_OK(rc);
    assert_int_equal(skipped, 1);
    assert_int_equal(report.leads, LEADS); /* the missed one in a second round */
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead WHERE generation = 2"), LEADS);
    assert_int_equal(count(&s->f, STALE_ROWS), 0);
    find_all(s->vault, ids, -1);
    check_ok(s->vault);
}

/* The rebuild in many runs: of one bucket each, some holding more entries
 * than a run (run of 1), and of several buckets (run of 7). */
static void in_runs(fixture_session *s, size_t run, uint32_t generation)
{
    size_t saved = rekey_index_run;
    rekey_index_run = run;
    lv_rekey_report report;
    int rc = lv_vault_rekey(s->vault, 0, &report);
    rekey_index_run = saved;
    FIXTURE_OK(rc);
    assert_int_equal(report.generation, generation);
    assert_int_equal(count(&s->f, STALE_ROWS), 0);
}

static void test_index_in_many_runs(void **in)
{
    fixture_session *s = *in;
    char ids[LEADS][LV_ID_STRLEN + 1];
    add_leads(s, ids);
    sqlite3_int64 rows = count(&s->f, "SELECT count(*) FROM lead_index");
    /* Some bucket (kind, first tag byte) holds two entries or more. */
    assert_true(count(&s->f, "SELECT max(n) FROM (SELECT count(*) AS n FROM lead_index"
                             " GROUP BY kind, substr(tag, 1, 1))") > 1);
    in_runs(s, 1, 2);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead_index"), rows);
    find_all(s->vault, ids, -1);
    in_runs(s, 7, 3);
    assert_int_equal(count(&s->f, "SELECT count(*) FROM lead_index"), rows);
    find_all(s->vault, ids, -1);
    check_ok(s->vault);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stop_before_rebuild, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_stop_before_rebuild_reencrypt, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_erase_while_half_done, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_lead_missed_by_batches, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_index_in_many_runs, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
