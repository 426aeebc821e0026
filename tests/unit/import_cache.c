/* import_cache.c - what a bulk import keeps in memory about the vault
 * between its batches: a filter of the stored contacts (most rows skip the
 * duplicate lookup), whether the suppression list is empty, and the
 * blind-index entries of the open batch (inserted sorted when it closes).
 * Each must give the same answers as looking the index up row by row,
 * also when another session changes the vault between two batches. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sodium.h>

#include "import.h"
#include "import_read.h"
#include "tag_filter.h"
#include "vault_fixture.h"

#define ALICE_PASS FIXTURE_ALICE_PASS
#define BATCH IMPORT_BATCH_ROWS /* rows per import transaction */
/* Bad rows after the first batch: they fill the reader's last handoff, so
 * that the writer gets and commits the whole first batch before the step,
 * and they open no transaction. */
#define FILLER_REJECTS (IMPORT_HANDOFF - BATCH % IMPORT_HANDOFF)

typedef fixture_session state;

/* ---- a CSV served in two parts, with a step in between ---- */

typedef struct between_ctx between_ctx;
typedef int (*between_fn)(between_ctx *b);

struct between_ctx {
    char *data;
    size_t len, split, at;
    lv_vault *other; /* a second session on the same file */
    between_fn step; /* run once, when the first part is all read */
    int step_rc;     /* its result (-100: it never ran) */
    char lead_email[64];
};

/* The importer's reader calls this on its own thread: no cmocka asserts
 * here, results go into the context. */
static int read_parts(void *ctx, char *buf, size_t cap, size_t *got)
{
    between_ctx *b = ctx;
    if (b->at == b->split && b->step_rc == -100)
        b->step_rc = b->step(b);
    size_t end = b->at < b->split ? b->split : b->len;
    size_t n = end - b->at < cap ? end - b->at : cap;
    memcpy(buf, b->data + b->at, n);
    b->at += n;
    *got = n;
    return 0;
}

/* Header, rows 0 .. rows-1 ("rowN@example.com"), then FILLER_REJECTS rows
 * with one cell, then the second part. */
static void build_csv(between_ctx *b, int rows, const char *second_part)
{
    size_t cap = (size_t)rows * 48 + 4096;
    b->data = malloc(cap);
    assert_non_null(b->data);
    size_t at = (size_t)snprintf(b->data, cap, "First Name,Email\n");
    for (int i = 0; i < rows; i++)
        at += (size_t)snprintf(b->data + at, cap - at, "Row%d,row%d@example.com\n", i, i);
    for (int i = 0; i < FILLER_REJECTS; i++)
        at += (size_t)snprintf(b->data + at, cap - at, "only one cell\n");
    b->split = at;
    at += (size_t)snprintf(b->data + at, cap - at, "%s", second_part);
    b->len = at;
    b->at = 0;
    b->step_rc = -100;
}

static void ignore_count(void *ctx, const char *group, const char *key, uint64_t count)
{
    (void)ctx, (void)group, (void)key, (void)count;
}

/* Wait (up to 30 s) until the other session sees want leads: the import
 * committed its first batch. More would mean the step runs too late to
 * test anything: LV_ERROR. */
static int wait_for_leads(between_ctx *b, uint64_t want)
{
    for (int i = 0; i < 3000; i++) {
        uint64_t total = 0;
        int rc = lv_stats(b->other, &total, ignore_count, NULL);
        if (rc == 0 && total >= want)
            return total == want ? 0 : LV_ERROR;
        if (rc != 0 && rc != LV_EBUSY)
            return rc;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return LV_EBUSY;
}

static int import_csv(state *s, between_ctx *b, lv_import_summary *summary)
{
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    return lv_import(s->vault, read_parts, b, &opts, summary);
}

/* Import BATCH rows and then second_part, with step run by a second
 * session of alice's between the two batches. */
static void import_with_step(state *s, between_ctx *b, between_fn step, const char *second_part,
                             lv_import_summary *summary)
{
    b->other = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    b->step = step;
    build_csv(b, BATCH, second_part);
    FIXTURE_OK(import_csv(s, b, summary));
    assert_int_equal(b->step_rc, 0);
    fixture_close(b->other);
    free(b->data);
}

/* ---- another session adds a lead between two batches ---- */

static int add_between(between_ctx *b)
{
    int rc = wait_for_leads(b, BATCH);
    if (rc != 0)
        return rc;
    lv_lead_input in = fixture_input();
    in.field[LV_FIELD_FIRST_NAME] = "Late";
    in.field[LV_FIELD_EMAIL] = b->lead_email;
    char id[LV_ID_STRLEN + 1];
    return lv_lead_add(b->other, id, &in);
}

/* The first batch builds the filter from an empty index; the lead the other
 * session adds afterwards is not in it. The import must notice the other
 * commit and find the row a duplicate all the same. */
static void test_lead_added_by_another_session(void **in)
{
    state *s = *in;
    between_ctx b = {0};
    snprintf(b.lead_email, sizeof b.lead_email, "Late.Comer@Example.com");
    lv_import_summary summary;
    import_with_step(s, &b, add_between, "Late,late.comer@example.com\n", &summary);
    assert_int_equal(summary.imported, BATCH);
    assert_int_equal(summary.rejected, FILLER_REJECTS);
    assert_int_equal(summary.duplicates, 1);
    assert_int_equal(fixture_lead_count(s->vault), BATCH + 1);
}

/* ---- another session erases a person between two batches ---- */

static int erase_between(between_ctx *b)
{
    int rc = wait_for_leads(b, BATCH + 1);
    if (rc != 0)
        return rc;
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    opts.request = "REQ-cache-test";
    size_t erased = 0;
    rc = lv_erase(b->other, NULL, LV_LOOKUP_EMAIL, b->lead_email, &opts, NULL, NULL, &erased);
    return rc == 0 && erased != 1 ? LV_ERROR : rc;
}

/* The suppression list is empty while the first batch runs; the person the
 * other session then erases goes on it. Their row in the second batch must
 * be skipped as suppressed, not stored. */
static void test_person_suppressed_by_another_session(void **in)
{
    state *s = *in;
    between_ctx b = {0};
    snprintf(b.lead_email, sizeof b.lead_email, "gone@example.com");
    lv_lead_input lead = fixture_input();
    lead.field[LV_FIELD_FIRST_NAME] = "Gone";
    lead.field[LV_FIELD_EMAIL] = b.lead_email;
    char id[LV_ID_STRLEN + 1];
    FIXTURE_OK(lv_lead_add(s->vault, id, &lead));
    lv_import_summary summary;
    import_with_step(s, &b, erase_between, "Gone,GONE@example.com\n", &summary);
    assert_int_equal(summary.imported, BATCH);
    assert_int_equal(summary.suppressed, 1);
    assert_int_equal(summary.duplicates, 0);
    assert_int_equal(fixture_lead_count(s->vault), BATCH);
}

/* ---- duplicates within one import, inside and across batches ---- */

static int no_step(between_ctx *b)
{
    (void)b;
    return 0;
}

/* The second batch repeats two rows of the first (stored, in the filter:
 * found by the index lookup) and one of its own (its index entries still
 * held back: found in the batch). */
static void test_duplicates_inside_and_across_batches(void **in)
{
    state *s = *in;
    between_ctx b = {0};
    b.step = no_step;
    build_csv(&b, BATCH,
              "Again,ROW1@example.com\n"
              "Again,row9999@EXAMPLE.com\n"
              "New,new.one@example.com\n"
              "New again,New.One@example.com\n");
    lv_import_summary summary;
    FIXTURE_OK(import_csv(s, &b, &summary));
    assert_int_equal(summary.imported, BATCH + 1);
    assert_int_equal(summary.duplicates, 3);
    assert_int_equal(fixture_lead_count(s->vault), BATCH + 1);
    /* Each stored email is found through the index the batches wrote. */
    const char *emails[] = {"row0@example.com", "ROW5000@example.com", "row9999@example.com",
                            "new.one@example.com"};
    for (size_t i = 0; i < sizeof emails / sizeof emails[0]; i++) {
        lv_lead **found = NULL;
        size_t count = 0;
        FIXTURE_OK(lv_lead_find(&found, &count, s->vault, LV_LOOKUP_EMAIL, emails[i],
                                FIXTURE_PURPOSE, LV_FIELD_MASK_ALL));
        assert_int_equal(count, 1);
        lv_lead_list_free(found, count);
    }
    free(b.data);
}

/* ---- one transaction over several batches ---- */

/* 2.5 batches in one transaction (--atomic, --dry-run): the held-back
 * index entries go in at each batch boundary, the filter is refreshed
 * without a commit, and duplicates across the boundaries are found. */
static void import_one_transaction(state *s, int dry_run)
{
    between_ctx b = {0};
    b.step = no_step;
    build_csv(&b, BATCH * 2 + BATCH / 2,
              "Again,ROW5@example.com\n"
              "Again,row15000@example.com\n"
              "Again,row24999@example.com\n");
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    opts.atomic = !dry_run;
    opts.dry_run = dry_run;
    lv_import_summary summary;
    FIXTURE_OK(lv_import(s->vault, read_parts, &b, &opts, &summary));
    assert_int_equal(summary.imported, BATCH * 2 + BATCH / 2);
    assert_int_equal(summary.duplicates, 3);
    assert_int_equal(summary.rejected, FILLER_REJECTS);
    assert_int_equal(fixture_lead_count(s->vault), dry_run ? 0 : BATCH * 2 + BATCH / 2);
    const char *emails[] = {"row5@example.com", "row15000@example.com", "row24999@example.com"};
    for (size_t i = 0; i < sizeof emails / sizeof emails[0]; i++) {
        lv_lead **found = NULL;
        size_t count = 0;
        FIXTURE_OK(lv_lead_find(&found, &count, s->vault, LV_LOOKUP_EMAIL, emails[i],
                                FIXTURE_PURPOSE, LV_FIELD_MASK_ALL));
        assert_int_equal(count, dry_run ? 0 : 1);
        lv_lead_list_free(found, count);
    }
    free(b.data);
}

static void test_atomic_across_batches(void **in)
{
    import_one_transaction(*in, 0);
}

static void test_dry_run_across_batches(void **in)
{
    import_one_transaction(*in, 1);
}

/* ---- batches grow with the vault ---- */

typedef struct batch_sizes {
    size_t count;
    size_t leads[16];
} batch_sizes;

static int note_batch(void *ctx, const lv_audit_entry *entry)
{
    batch_sizes *b = ctx;
    if (b->count < sizeof b->leads / sizeof b->leads[0])
        b->leads[b->count] = entry->lead_count;
    b->count++;
    return 0;
}

/* A 70000-row import into a new vault: five batches of IMPORT_BATCH_ROWS,
 * then a quarter of the 50000 leads stored by then (12500), then the
 * rest. Each batch is one lead.import audit entry listing its leads. */
static void test_batches_grow_with_the_vault(void **in)
{
    state *s = *in;
    between_ctx b = {0};
    b.step = no_step;
    build_csv(&b, 70000, "");
    lv_import_summary summary;
    FIXTURE_OK(import_csv(s, &b, &summary));
    assert_int_equal(summary.imported, 70000);
    free(b.data);
    fixture_add_user(s->vault, "carol", LV_ROLE_COMPLIANCE, "carol passphrase for the unit tests");
    lv_vault *carol = fixture_open_ok(&s->f, "carol", "carol passphrase for the unit tests");
    lv_audit_filter filter = LV_AUDIT_FILTER_INIT;
    filter.action = "lead.import";
    batch_sizes sizes = {0};
    FIXTURE_OK(lv_audit_show(carol, &filter, note_batch, &sizes));
    fixture_close(carol);
    static const size_t want[] = {BATCH, BATCH, BATCH, BATCH, BATCH, 50000 / 4, 7500};
    assert_int_equal(sizes.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizes.count; i++)
        assert_int_equal(sizes.leads[i], want[i]);
}

/* ---- the filter itself ---- */

/* Never a false "no"; few false "maybe"s at the load it is sized for; and
 * it reports itself full past that load. */
static void test_tag_filter(void **in)
{
    (void)in;
    assert_int_equal(sodium_init() >= 0, 1);
    enum { N = 200000 };
    static unsigned char tags[N][INDEX_TAG_BYTES];
    randombytes_buf(tags, sizeof tags);
    tag_filter f;
    FIXTURE_OK(tag_filter_init(&f, N));
    for (int i = 0; i < N; i++)
        tag_filter_add(&f, LV_LOOKUP_EMAIL, tags[i]);
    assert_int_equal(tag_filter_full(&f), 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(tag_filter_maybe(&f, LV_LOOKUP_EMAIL, tags[i]), 1);
    int false_maybe = 0, other_kind = 0;
    for (int i = 0; i < N; i++) {
        unsigned char probe[INDEX_TAG_BYTES];
        randombytes_buf(probe, sizeof probe);
        false_maybe += tag_filter_maybe(&f, LV_LOOKUP_EMAIL, probe);
        other_kind += tag_filter_maybe(&f, LV_LOOKUP_PHONE, tags[i]);
    }
    print_message("false positives: %d and %d of %d\n", false_maybe, other_kind, N);
    assert_true(false_maybe < N / 100);
    assert_true(other_kind < N / 100);
    /* Sized for N (12 bits each, rounded up to a power of two): full once
     * it holds more than its bits / 12. */
    while (!tag_filter_full(&f)) {
        unsigned char more[INDEX_TAG_BYTES];
        randombytes_buf(more, sizeof more);
        tag_filter_add(&f, LV_LOOKUP_EMAIL, more);
    }
    assert_true(f.entries * 12 > f.mask + 1);
    assert_true(f.entries <= (f.mask + 1) / 12 + 1);
    tag_filter_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_filter),
        cmocka_unit_test_setup_teardown(test_lead_added_by_another_session, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_person_suppressed_by_another_session,
                                        fixture_session_setup, fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_inside_and_across_batches,
                                        fixture_session_setup, fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_atomic_across_batches, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_batches_grow_with_the_vault, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_dry_run_across_batches, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
