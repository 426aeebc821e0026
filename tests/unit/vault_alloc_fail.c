/* vault_alloc_fail.c - allocation failure, injected. For each operation
 * below, the 1st, 2nd, 3rd ... allocation made while it runs is refused,
 * once per run, until a run makes no more allocations than that. Each run
 * must then come back with LV_ERROR and a message (or, when SQLite
 * recovered from the refusal by itself, with the whole result), never with
 * a crash or a half-done change: reopened with allocations allowed again,
 * the vault passes lv_vault_check and lv_audit_verify, and what the
 * operation writes is either all there or not there at all.
 *
 * What is refused: every malloc, calloc, realloc, strdup and sodium_malloc
 * of the library (through the linker's --wrap, see tests/CMakeLists.txt),
 * every allocation of SQLite (SQLITE_CONFIG_MALLOC, installed before its
 * first use), of jansson (json_set_alloc_funcs) and of libcsv's parsers
 * (a --wrap of csv_init sets their realloc; libcsv retries a refused
 * growth, so one import also runs with every libcsv growth refused). Not
 * refused: allocations made inside libsodium, libargon2 and libutf8proc
 * for themselves.
 *
 * Operations: create a vault, unlock one, lv_lead_add, lv_lead_get,
 * lv_consent_grant, lv_erase (with a receipt), lv_stats, lv_lead_search,
 * lv_lead_list_reveal, lv_import of a
 * small CSV (threaded, and on the single-threaded path of --on-duplicate
 * update). Before each run the pool of revealed-value blocks is emptied
 * (vault/secure_block.c), so that every reveal allocates.
 *
 * Argon2id is replaced by a keyed hash in this program (--wrap of
 * argon2id_hash_raw, tests/common/fast_argon2.c): every run opens the
 * vault again, and the KDF is not what is tested here. The parameters
 * given are still the floor.
 *
 * LV_ALLOC_TEST=test_erase runs one test; LV_ALLOC_TRACE=N prints the call
 * stack of the Nth allocation of a run when it is refused. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <csv.h>
#include <execinfo.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "secure_block.h"
#include "vault_fixture.h"

#define PASS "alice passphrase for the allocation tests"
#define CONSENT_PURPOSE "email_marketing" /* a default purpose, basis consent */
#define RUNS_MAX 20000                    /* a loop that never ends is a failure too */
#define IMPORT_ROWS 4

/* ---- refusing allocations --------------------------------------------- */

static atomic_long allocations; /* counted since the last arm() */
static atomic_long refuse_nth;  /* 0: every allocation is served */
static atomic_int refused;      /* the refuse_nth-th allocation was refused */
static atomic_long by_sqlite;   /* of allocations, SQLite's */

static void arm(long nth)
{
    atomic_store(&allocations, 0);
    atomic_store(&by_sqlite, 0);
    atomic_store(&refused, 0);
    atomic_store(&refuse_nth, nth);
}

/* Stop refusing; whether the armed allocation was reached. */
static int disarm(void)
{
    atomic_store(&refuse_nth, 0);
    return atomic_load(&refused);
}

static int refuse(void)
{
    long nth = atomic_load(&refuse_nth);
    if (nth == 0 || atomic_fetch_add(&allocations, 1) + 1 != nth)
        return 0;
    atomic_store(&refused, 1);
    const char *trace = getenv("LV_ALLOC_TRACE");
    if (trace != NULL && atol(trace) == nth) {
        void *frames[32];
        backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
    }
    return 1;
}

/* The linker sends the library's calls here (and this file's own: it
 * only allocates while nothing is armed). */
void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *text);
void *__real_sodium_malloc(size_t size);
int __real_csv_init(struct csv_parser *p, unsigned char options);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
char *__wrap_strdup(const char *text);
void *__wrap_sodium_malloc(size_t size);
int __wrap_csv_init(struct csv_parser *p, unsigned char options);

void *__wrap_malloc(size_t size)
{
    return refuse() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return refuse() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
    return refuse() ? NULL : __real_realloc(ptr, size);
}

char *__wrap_strdup(const char *text)
{
    return refuse() ? NULL : __real_strdup(text);
}

void *__wrap_sodium_malloc(size_t size)
{
    return refuse() ? NULL : __real_sodium_malloc(size);
}

/* libcsv retries a refused growth with half the size, so one refusal
 * never reaches the import: test_import_csv_out_of_memory refuses all. */
static atomic_int csv_refuse_all;

static void *csv_realloc(void *ptr, size_t size)
{
    return refuse() || atomic_load(&csv_refuse_all) ? NULL : __real_realloc(ptr, size);
}

int __wrap_csv_init(struct csv_parser *p, unsigned char options)
{
    int rc = __real_csv_init(p, options);
    if (rc == 0)
        csv_set_realloc_func(p, csv_realloc);
    return rc;
}

static void *json_malloc(size_t size)
{
    return refuse() ? NULL : __real_malloc(size);
}

static sqlite3_mem_methods sqlite_default;

static void *sqlite_malloc(int size)
{
    if (atomic_load(&refuse_nth) != 0)
        atomic_fetch_add(&by_sqlite, 1);
    return refuse() ? NULL : sqlite_default.xMalloc(size);
}

static void *sqlite_realloc(void *ptr, int size)
{
    if (atomic_load(&refuse_nth) != 0)
        atomic_fetch_add(&by_sqlite, 1);
    return refuse() ? NULL : sqlite_default.xRealloc(ptr, size);
}

static void install_allocators(void)
{
    sqlite3_mem_methods methods;
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_default), SQLITE_OK);
    methods = sqlite_default;
    methods.xMalloc = sqlite_malloc;
    methods.xRealloc = sqlite_realloc;
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &methods), SQLITE_OK);
    json_set_alloc_funcs(json_malloc, free);
}

/* ---- the state every run starts from ----------------------------------- */

typedef struct state {
    fixture f;
    lv_vault *vault;
    char lead_id[LV_ID_STRLEN + 1]; /* a lead the reveal and consent runs use */
    size_t leads;                   /* leads the vault holds */
    size_t consents;                /* consent records of lead_id */
    char path[400];                 /* create: the vault of this run */
    char receipt[4096];             /* erase: what the receipt callback got */
    size_t receipt_len;
    size_t erased; /* erase: what lv_erase said it erased */
} state;

static const char *const lead_values[LV_FIELD_COUNT] = {
    [LV_FIELD_FIRST_NAME] = "Ann",
    [LV_FIELD_LAST_NAME] = "Lee",
    [LV_FIELD_COMPANY] = "ACME",
    [LV_FIELD_NOTES] = "called twice, \"call back\" later",
};

/* A lead with lead_values and its own email, stored with allocations
 * allowed or not. */
static int add_lead(lv_vault *vault, char id[LV_ID_STRLEN + 1], const char *email)
{
    lv_lead_input in = fixture_input();
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        in.field[f] = lead_values[f];
    in.field[LV_FIELD_EMAIL] = email;
    in.source = "website_form";
    return lv_lead_add(vault, id, &in);
}

/* Whether the lead with this email is all there (1), absent (0); any
 * other state fails the test. */
static int lead_state(lv_vault *vault, const char *email)
{
    lv_lead **found = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_lead_find(&found, &count, vault, LV_LOOKUP_EMAIL, email, FIXTURE_PURPOSE, 0));
    assert_true(count <= 1);
    for (size_t i = 0; i < count; i++) {
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            const char *want = f == LV_FIELD_EMAIL ? email : lead_values[f];
            if (want == NULL) {
                assert_null(found[i]->value[f]);
                continue;
            }
            assert_non_null(found[i]->value[f]);
            assert_int_equal(found[i]->value_len[f], strlen(want));
            assert_memory_equal(found[i]->value[f], want, strlen(want));
        }
    }
    lv_lead_list_free(found, count);
    return count == 1;
}

static size_t consent_count(lv_vault *vault, const char *lead_id)
{
    lv_consent_record *records = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_consent_history(&records, &count, vault, lead_id));
    lv_consent_history_free(records, count);
    return count;
}

static int is_suppressed(lv_vault *vault, const char *email)
{
    int suppressed = -1;
    FIXTURE_OK(lv_suppress_check(vault, LV_LOOKUP_EMAIL, email, &suppressed));
    return suppressed;
}

static void count_nothing(void *ctx, const char *group, const char *key, uint64_t count)
{
    (void)ctx, (void)group, (void)key, (void)count;
}

/* After a run, with allocations allowed: the same handle still works (no
 * transaction was left open), closes (signing a checkpoint) and opens
 * again. The new connection reads the schema before the next run, so that
 * runs count the operation's own allocations. */
static void reopen(state *s)
{
    uint64_t total = 0;
    FIXTURE_OK(lv_stats(s->vault, &total, count_nothing, NULL));
    FIXTURE_OK(lv_vault_close(s->vault));
    s->vault = fixture_open_ok(&s->f, "alice", PASS);
    FIXTURE_OK(lv_stats(s->vault, &total, count_nothing, NULL));
}

/* Open file descriptors of this process: a failed run must not leave one
 * behind (an open vault holds the same few each time). */
static size_t open_fds(void)
{
    size_t n = 0;
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    const struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The whole vault and its audit chain: anything a run left damaged is
 * still there at the end, so this runs once per loop. */
static void check_vault(lv_vault *vault)
{
    uint64_t checked = 0;
    FIXTURE_OK(lv_vault_check(vault, NULL, NULL, &checked));
    lv_audit_report report;
    FIXTURE_OK(lv_audit_verify(vault, NULL, NULL, &report));
}

/* ---- the loop ----------------------------------------------------------- */

typedef struct operation {
    const char *name;
    void (*before)(state *s, long run); /* allocations allowed */
    int (*run)(state *s, long run);     /* allocations refused in turn */
    /* After reopen: the outcome is all there or absent, and agrees with
     * rc. Updates s for the next run. */
    void (*after)(state *s, long run, int rc);
} operation;

static void drive(state *s, const operation *op)
{
    long run = 1, failed = 0, recovered = 0;
    reopen(s);
    size_t fds = open_fds();
    for (;; run++) {
        assert_true(run < RUNS_MAX);
        if (op->before != NULL)
            op->before(s, run);
        (void)secure_block_drain();
        arm(run);
        int rc = op->run(s, run);
        int hit = disarm();
        if (!hit) {
            /* Every allocation served: the operation is done. */
            FIXTURE_OK(rc);
            reopen(s);
            op->after(s, run, rc);
            break;
        }
        if (rc != 0) {
            failed++;
            if (rc != LV_ERROR || strstr(lv_error_last(), "memory") == NULL)
                fail_msg("%s, allocation %ld refused: %d (%s), \"%s\"; expected LV_ERROR saying "
                         "out of memory",
                         op->name, run, rc, lv_strerror(rc), lv_error_last());
        } else {
            recovered++; /* SQLite may retry or do without; the result is checked */
        }
        reopen(s);
        op->after(s, run, rc);
    }
    check_vault(s->vault);
    assert_int_equal(open_fds(), fds);
    print_message("%s: %ld allocations (%ld by SQLite), each refused once: %ld runs failed "
                  "cleanly, %ld recovered\n",
                  op->name, run - 1, atomic_load(&by_sqlite), failed, recovered);
}

/* ---- the operations ----------------------------------------------------- */

static void lead_add_after(state *s, long run, int rc)
{
    char email[64];
    snprintf(email, sizeof email, "add%ld@example.com", run);
    int there = lead_state(s->vault, email);
    if (rc == 0 && !there)
        fail_msg("lead add, allocation %ld refused: success, but no lead", run);
    if (rc != 0 && there)
        fail_msg("lead add, allocation %ld refused: an error, but the lead was stored", run);
    s->leads += (size_t)there;
    assert_int_equal(fixture_lead_count(s->vault), s->leads);
}

static int lead_add_run(state *s, long run)
{
    char email[64], id[LV_ID_STRLEN + 1] = "";
    snprintf(email, sizeof email, "add%ld@example.com", run);
    return add_lead(s->vault, id, email);
}

static int lead_get_run(state *s, long run)
{
    (void)run;
    lv_lead *lead = NULL;
    int rc = lv_lead_get(&lead, s->vault, s->lead_id, FIXTURE_PURPOSE, 0);
    if (rc != 0) {
        if (lead != NULL)
            fail_msg("lead get failed (%d) but returned a lead", rc);
        return rc;
    }
    /* Success, even after a refusal: every value whole. */
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        const char *want = f == LV_FIELD_EMAIL ? "base@example.com" : lead_values[f];
        if (want == NULL) {
            assert_null(lead->value[f]);
            continue;
        }
        assert_non_null(lead->value[f]);
        assert_int_equal(lead->value_len[f], strlen(want));
        assert_memory_equal(lead->value[f], want, strlen(want));
    }
    lv_lead_free(lead);
    return 0;
}

static void lead_get_after(state *s, long run, int rc)
{
    (void)run, (void)rc;
    assert_int_equal(lead_state(s->vault, "base@example.com"), 1);
}

static int stats_run(state *s, long run)
{
    uint64_t total = 0;
    int rc = lv_stats(s->vault, &total, count_nothing, NULL);
    if (rc == 0 && total != s->leads)
        fail_msg("stats, allocation %ld refused: success, but %llu leads, expected %zu", run,
                 (unsigned long long)total, s->leads);
    return rc;
}

static void stats_after(state *s, long run, int rc)
{
    (void)run, (void)rc;
    assert_int_equal(fixture_lead_count(s->vault), s->leads);
}

/* Search and list with fields: on success, every lead with its values. */
static int search_run(state *s, long run)
{
    lv_lead **leads = NULL;
    size_t count = 0;
    int rc = lv_lead_search(&leads, &count, s->vault, "\xc3\x80NN acme", FIXTURE_PURPOSE, 0);
    if (rc == 0 && count != s->leads)
        fail_msg("search, allocation %ld refused: success, but %zu leads, expected %zu", run,
                 count, s->leads);
    for (size_t i = 0; rc == 0 && i < count; i++)
        assert_string_equal(leads[i]->value[LV_FIELD_COMPANY], "ACME");
    if (rc != 0 && (leads != NULL || count != 0))
        fail_msg("search failed (%d) but returned leads", rc);
    lv_lead_list_free(leads, count);
    return rc;
}

static int count_listed(void *ctx, const lv_lead *lead)
{
    assert_string_equal(lead->value[LV_FIELD_NOTES], lead_values[LV_FIELD_NOTES]);
    ++*(size_t *)ctx;
    return 0;
}

static int list_reveal_run(state *s, long run)
{
    size_t count = 0;
    int rc = lv_lead_list_reveal(s->vault, NULL, FIXTURE_PURPOSE, 1u << LV_FIELD_NOTES,
                                 count_listed, &count);
    if (rc == 0 && count != s->leads)
        fail_msg("list with fields, allocation %ld refused: success, but %zu leads, expected %zu",
                 run, count, s->leads);
    return rc;
}

static int consent_run(state *s, long run)
{
    char evidence[64];
    snprintf(evidence, sizeof evidence, "web form, run %ld", run);
    return lv_consent_grant(s->vault, s->lead_id, CONSENT_PURPOSE, evidence, "v1", 0);
}

static void consent_after(state *s, long run, int rc)
{
    lv_consent_record *records = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_consent_history(&records, &count, s->vault, s->lead_id));
    size_t want = s->consents + (rc == 0);
    if (count != want)
        fail_msg("consent grant, allocation %ld refused: rc %d, %zu records, expected %zu", run, rc,
                 count, want);
    if (rc == 0) {
        char evidence[64];
        snprintf(evidence, sizeof evidence, "web form, run %ld", run);
        const lv_consent_record *last = &records[count - 1];
        assert_true(last->granted);
        assert_string_equal(last->purpose, CONSENT_PURPOSE);
        assert_int_equal(last->evidence_len, strlen(evidence));
        assert_memory_equal(last->evidence, evidence, strlen(evidence));
    }
    lv_consent_history_free(records, count);
    s->consents = count;
    lead_get_after(s, run, 0);
}

/* A rejected row is the failure consent_import_run reports: say why. */
static void show_reject(void *ctx, uint64_t line, const char *reason, const char *raw, size_t n)
{
    (void)ctx, (void)raw, (void)n;
    if (reason != NULL)
        print_message("rejected, line %llu: %s\n", (unsigned long long)line, reason);
}

/* consent import: one row for the base lead; its record or none. */
static void consent_import_evidence(char *out, size_t cap, long run)
{
    snprintf(out, cap, "web form, run %ld (consent import of input, line 2)", run);
}

static int consent_import_run(state *s, long run)
{
    char csv[256];
    int n = snprintf(csv, sizeof csv,
                     "email,purpose,action,evidence\r\nbase@example.com,%s,grant,"
                     "\"web form, run %ld\"\r\n",
                     CONSENT_PURPOSE, run);
    fixture_bytes r = {csv, (size_t)n, 0, 0};
    lv_consent_import_options opts = LV_CONSENT_IMPORT_OPTIONS_INIT;
    opts.reject = show_reject;
    lv_consent_import_summary summary;
    int rc = lv_consent_import(s->vault, fixture_bytes_read, &r, &opts, &summary);
    /* A want of memory must stop the import, never pass for a bad row. */
    if (rc == 0 && (summary.rows != 1 || summary.granted != 1))
        fail_msg("consent import, allocation %ld refused: success with %llu rows, %llu granted",
                 run, (unsigned long long)summary.rows, (unsigned long long)summary.granted);
    return rc;
}

static void consent_import_after(state *s, long run, int rc)
{
    lv_consent_record *records = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_consent_history(&records, &count, s->vault, s->lead_id));
    if (count != s->consents + (rc == 0))
        fail_msg("consent import, allocation %ld refused: rc %d, %zu records, expected %zu", run,
                 rc, count, s->consents + (rc == 0));
    if (rc == 0) {
        char evidence[96];
        consent_import_evidence(evidence, sizeof evidence, run);
        assert_int_equal(records[count - 1].evidence_len, strlen(evidence));
        assert_memory_equal(records[count - 1].evidence, evidence, strlen(evidence));
    }
    lv_consent_history_free(records, count);
    s->consents = count;
}

static char erase_id[LV_ID_STRLEN + 1];

static void erase_before(state *s, long run)
{
    char email[64];
    snprintf(email, sizeof email, "erase%ld@example.com", run);
    FIXTURE_OK(add_lead(s->vault, erase_id, email));
    s->leads++;
    s->receipt_len = 0;
}

static int collect_receipt(void *ctx, const char *data, size_t len)
{
    state *s = ctx;
    if (len > sizeof s->receipt - s->receipt_len)
        return -1;
    memcpy(s->receipt + s->receipt_len, data, len);
    s->receipt_len += len;
    return 0;
}

static int erase_run(state *s, long run)
{
    (void)run;
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    opts.request = "REQ-ALLOC";
    s->erased = 99;
    int rc = lv_erase(s->vault, erase_id, 0, NULL, &opts, collect_receipt, s, &s->erased);
    /* After its commit an erasure may still fail (the receipt, the WAL):
     * then it says it erased the lead, and returns the error. */
    if (s->erased > 1 || (rc == 0 && s->erased != 1))
        fail_msg("erase: rc %d with erased %zu", rc, s->erased);
    return rc;
}

/* A receipt that verifies could still miss a member signed without it. */
static void check_receipt_whole(const state *s, long run)
{
    static const char *const members[] = {
        "actor",     "audit_head",   "audit_seq", "erased", "key_fingerprint", "kind",   "request",
        "signature", "skipped_held", "time",      "type",   "vault_id",        "version"};
    static const char *const erased_fields[] = {"first_name", "last_name", "email", "company",
                                                "notes"};
    json_t *doc = json_loadb(s->receipt, s->receipt_len, 0, NULL);
    assert_non_null(doc);
    int whole = json_object_size(doc) == sizeof members / sizeof members[0];
    for (size_t i = 0; whole && i < sizeof members / sizeof members[0]; i++)
        whole = json_object_get(doc, members[i]) != NULL;
    json_t *lead = json_array_get(json_object_get(doc, "erased"), 0);
    json_t *fields = json_object_get(lead, "fields");
    whole = whole && json_array_size(json_object_get(doc, "erased")) == 1 &&
            json_object_size(lead) == 5 &&
            json_array_size(fields) == sizeof erased_fields / sizeof erased_fields[0];
    for (size_t i = 0; whole && i < sizeof erased_fields / sizeof erased_fields[0]; i++)
        whole = strcmp(json_string_value(json_array_get(fields, i)), erased_fields[i]) == 0;
    json_decref(doc);
    if (!whole)
        fail_msg("erase, allocation %ld refused: a receipt with members missing: %.*s", run,
                 (int)s->receipt_len, s->receipt);
}

static void erase_after(state *s, long run, int rc)
{
    char email[64];
    snprintf(email, sizeof email, "erase%ld@example.com", run);
    int there = lead_state(s->vault, email);
    int suppressed = is_suppressed(s->vault, email);
    /* Erased: the lead is gone and its email suppressed, in one commit.
     * Kept: the lead whole, its email not suppressed, no receipt. */
    if (there == suppressed)
        fail_msg("erase, allocation %ld refused: lead %s, email %s", run, there ? "kept" : "gone",
                 suppressed ? "suppressed" : "not suppressed");
    if (rc == 0 && there)
        fail_msg("erase, allocation %ld refused: success, but the lead is still there", run);
    if (there && s->receipt_len != 0)
        fail_msg("erase, allocation %ld refused: a receipt for a lead not erased", run);
    if (there != (s->erased == 0))
        fail_msg("erase, allocation %ld refused: lead %s, but lv_erase said %zu erased", run,
                 there ? "kept" : "gone", s->erased);
    if (!there) {
        s->leads--;
        /* An erasure committed before a later step failed (signing the
         * receipt, truncating the WAL) is reported, and stays done. */
        if (rc == 0 && s->receipt_len == 0)
            fail_msg("erase, allocation %ld refused: success without a receipt", run);
        if (s->receipt_len > 0 &&
            lv_receipt_verify(s->receipt, s->receipt_len, NULL, s->vault) != 0)
            fail_msg("erase, allocation %ld refused: rc %d, a receipt that does not verify (%s): "
                     "%.*s",
                     run, rc, lv_error_last(), (int)s->receipt_len, s->receipt);
        if (s->receipt_len > 0)
            check_receipt_whole(s, run);
    }
    assert_int_equal(fixture_lead_count(s->vault), s->leads);
}

static void import_email(char *out, size_t cap, long run, int row)
{
    snprintf(out, cap, "imp%ld.%d@example.com", run, row);
}

static int import_rows(state *s, long run, lv_on_duplicate on_duplicate, int consent)
{
    char csv[2048];
    int at = snprintf(csv, sizeof csv, "%sFirst Name,Last Name,Email,Company,Notes\r\n",
                      consent ? "Opt In," : "");
    for (int row = 0; row < IMPORT_ROWS; row++) {
        char email[64];
        import_email(email, sizeof email, run, row);
        at += snprintf(csv + at, sizeof csv - (size_t)at,
                       "%s%s,%s,%s,%s,\"called twice, \"\"call back\"\" later\"\r\n",
                       consent ? "opted in," : "", lead_values[LV_FIELD_FIRST_NAME],
                       lead_values[LV_FIELD_LAST_NAME], email, lead_values[LV_FIELD_COMPANY]);
    }
    fixture_bytes r = {csv, (size_t)at, 0, 0};
    static const char *const columns[] = {"Opt In=" CONSENT_PURPOSE};
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    opts.on_duplicate = on_duplicate;
    opts.consent_columns = columns;
    opts.consent_column_count = consent ? 1 : 0;
    lv_import_summary summary;
    int rc = lv_import(s->vault, fixture_bytes_read, &r, &opts, &summary);
    if (rc == 0 && (summary.rows != IMPORT_ROWS || summary.imported != IMPORT_ROWS ||
                    summary.consent_granted != (consent ? IMPORT_ROWS : 0)))
        fail_msg("import: success with %llu rows, %llu imported, %llu consents",
                 (unsigned long long)summary.rows, (unsigned long long)summary.imported,
                 (unsigned long long)summary.consent_granted);
    return rc;
}

static int import_threaded_run(state *s, long run)
{
    return import_rows(s, run, LV_DUPLICATE_SKIP, 0);
}

/* With a consent column: 2 * RUNS_MAX apart from the other two. */
static int import_consent_run(state *s, long run)
{
    return import_rows(s, run + 2 * RUNS_MAX, LV_DUPLICATE_SKIP, 1);
}

static int import_one_thread_run(state *s, long run)
{
    /* On --on-duplicate update both halves of the import run here. */
    return import_rows(s, run + RUNS_MAX, LV_DUPLICATE_UPDATE, 0);
}

static void import_check(state *s, long run, int rc)
{
    int there = 0;
    for (int row = 0; row < IMPORT_ROWS; row++) {
        char email[64];
        import_email(email, sizeof email, run, row);
        there += lead_state(s->vault, email);
    }
    /* One batch: every row or none. */
    if (there != (rc == 0 ? IMPORT_ROWS : 0))
        fail_msg("import, allocation %ld refused: rc %d, %d of %d rows stored", run, rc, there,
                 IMPORT_ROWS);
    s->leads += (size_t)there;
    assert_int_equal(fixture_lead_count(s->vault), s->leads);
}

static void import_threaded_after(state *s, long run, int rc)
{
    import_check(s, run, rc);
}

static void import_one_thread_after(state *s, long run, int rc)
{
    import_check(s, run + RUNS_MAX, rc);
}

/* The leads and their grants: all of them or none. */
static void count_consents(void *ctx, const char *group, const char *key, uint64_t count)
{
    if (strcmp(group, "consent") == 0 && strcmp(key, CONSENT_PURPOSE) == 0)
        *(uint64_t *)ctx = count;
}

static void import_consent_after(state *s, long run, int rc)
{
    import_check(s, run + 2 * RUNS_MAX, rc);
    uint64_t total = 0, consented = 0;
    size_t want = s->consents + (rc == 0 ? IMPORT_ROWS : 0);
    FIXTURE_OK(lv_stats(s->vault, &total, count_consents, &consented));
    if (consented != want)
        fail_msg("import with a consent column, allocation %ld refused: rc %d, %llu leads with "
                 "consent, expected %zu",
                 run, rc, (unsigned long long)consented, want);
    s->consents = (size_t)consented;
}

/* ---- setup -------------------------------------------------------------- */

static int setup(void **st)
{
    state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    fixture_make_dir(&s->f);
    lv_create_options opts = LV_CREATE_OPTIONS_INIT;
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;
    opts.admin_name = "alice";
    opts.passphrase = PASS;
    opts.passphrase_len = strlen(PASS);
    opts.kdf = floor;
    FIXTURE_OK(lv_vault_create(&s->vault, s->f.path, &opts));
    FIXTURE_OK(lv_purpose_add(s->vault, FIXTURE_PURPOSE, LV_BASIS_LEGITIMATE_INTEREST,
                              LV_FIELD_MASK_ALL, 1u << LV_ROLE_ADMIN));
    FIXTURE_OK(add_lead(s->vault, s->lead_id, "base@example.com"));
    s->leads = 1;
    *st = s;
    return 0;
}

static int teardown(void **st)
{
    state *s = *st;
    disarm();
    lv_vault_close(s->vault);
    fixture_remove_dir(&s->f);
    free(s);
    return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_lead_add(void **st)
{
    static const operation op = {"lead add", NULL, lead_add_run, lead_add_after};
    drive(*st, &op);
}

static void test_lead_get(void **st)
{
    static const operation op = {"lead get", NULL, lead_get_run, lead_get_after};
    drive(*st, &op);
}

static void test_stats(void **st)
{
    static const operation op = {"stats", NULL, stats_run, stats_after};
    drive(*st, &op);
}

static void test_search(void **st)
{
    static const operation search = {"lead search", NULL, search_run, stats_after};
    static const operation list = {"lead list with fields", NULL, list_reveal_run, stats_after};
    drive(*st, &search);
    drive(*st, &list);
}

static void test_consent_grant(void **st)
{
    state *s = *st;
    s->consents = consent_count(s->vault, s->lead_id);
    static const operation op = {"consent grant", NULL, consent_run, consent_after};
    drive(s, &op);
}

static void test_consent_import(void **st)
{
    state *s = *st;
    s->consents = consent_count(s->vault, s->lead_id);
    static const operation op = {"consent import", NULL, consent_import_run, consent_import_after};
    drive(s, &op);
}

static void test_import_consent_column(void **st)
{
    state *s = *st;
    s->consents = 0;
    static const operation op = {"import, consent column", NULL, import_consent_run,
                                 import_consent_after};
    drive(s, &op);
}

static void test_erase(void **st)
{
    static const operation op = {"erase", erase_before, erase_run, erase_after};
    drive(*st, &op);
}

static void test_import(void **st)
{
    static const operation threaded = {"import", NULL, import_threaded_run, import_threaded_after};
    static const operation one_thread = {"import, one thread", NULL, import_one_thread_run,
                                         import_one_thread_after};
    drive(*st, &threaded);
    drive(*st, &one_thread);
}

/* libcsv out of memory for good: an error, not a row rejected as
 * malformed (the import goes on), nor a header "malformed". */
static void test_import_csv_out_of_memory(void **st)
{
    state *s = *st;
    atomic_store(&csv_refuse_all, 1);
    int rc = import_rows(s, 3 * RUNS_MAX, LV_DUPLICATE_SKIP, 0);
    atomic_store(&csv_refuse_all, 0);
    if (rc != LV_ERROR || strstr(lv_error_last(), "memory") == NULL)
        fail_msg("import, libcsv out of memory: %d (%s), \"%s\"", rc, lv_strerror(rc),
                 lv_error_last());
    reopen(s);
    import_check(s, 3 * RUNS_MAX, rc);
}

/* Create: a vault each run, at a path of its own; a failed create leaves
 * no file behind. */
static void test_create(void **st)
{
    state *s = *st;
    long run = 1, failed = 0;
    size_t fds = open_fds();
    for (;; run++) {
        assert_true(run < RUNS_MAX);
        snprintf(s->path, sizeof s->path, "%s/create%ld.lv", s->f.dir, run);
        lv_create_options opts = LV_CREATE_OPTIONS_INIT;
        lv_kdf_params floor = FIXTURE_KDF_FLOOR;
        opts.admin_name = "alice";
        opts.passphrase = PASS;
        opts.passphrase_len = strlen(PASS);
        opts.kdf = floor;
        lv_vault *vault = NULL;
        arm(run);
        int rc = lv_vault_create(&vault, s->path, &opts);
        int hit = disarm();
        char side[480];
        if (rc != 0) {
            failed++;
            assert_null(vault);
            if (rc != LV_ERROR || strstr(lv_error_last(), "memory") == NULL)
                fail_msg("create, allocation %ld refused: %d (%s), \"%s\"", run, rc,
                         lv_strerror(rc), lv_error_last());
            assert_int_not_equal(access(s->path, F_OK), 0);
            snprintf(side, sizeof side, "%s-wal", s->path);
            assert_int_not_equal(access(side, F_OK), 0);
            snprintf(side, sizeof side, "%s-shm", s->path);
            assert_int_not_equal(access(side, F_OK), 0);
            continue;
        }
        FIXTURE_OK(lv_vault_close(vault));
        lv_open_options open_opts = LV_OPEN_OPTIONS_INIT;
        open_opts.user = "alice";
        open_opts.passphrase = PASS;
        open_opts.passphrase_len = strlen(PASS);
        FIXTURE_OK(lv_vault_open(&vault, s->path, &open_opts));
        uint64_t checked = 0;
        FIXTURE_OK(lv_vault_check(vault, NULL, NULL, &checked));
        lv_audit_report report;
        FIXTURE_OK(lv_audit_verify(vault, NULL, NULL, &report));
        FIXTURE_OK(lv_vault_close(vault));
        if (!hit)
            break;
    }
    assert_int_equal(open_fds(), fds);
    print_message("create: %ld allocations, each refused once: %ld runs failed cleanly\n", run - 1,
                  failed);
}

/* Unlock: never reported as a wrong passphrase or a damaged vault. */
static void test_unlock(void **st)
{
    state *s = *st;
    FIXTURE_OK(lv_vault_close(s->vault));
    s->vault = NULL;
    long run = 1, failed = 0;
    size_t fds = open_fds();
    for (;; run++) {
        assert_true(run < RUNS_MAX);
        lv_vault *vault = NULL;
        arm(run);
        int rc = fixture_open(&vault, &s->f, "alice", PASS);
        int hit = disarm();
        if (rc != 0) {
            failed++;
            assert_null(vault);
            if (rc != LV_ERROR || strstr(lv_error_last(), "memory") == NULL)
                fail_msg("unlock, allocation %ld refused: %d (%s), \"%s\"", run, rc,
                         lv_strerror(rc), lv_error_last());
        } else {
            FIXTURE_OK(lv_vault_close(vault));
        }
        if (!hit)
            break;
    }
    assert_int_equal(open_fds(), fds);
    s->vault = fixture_open_ok(&s->f, "alice", PASS);
    check_vault(s->vault);
    print_message("unlock: %ld allocations, each refused once: %ld runs failed cleanly\n", run - 1,
                  failed);
}

int main(void)
{
    /* LV_ALLOC_TEST=test_erase runs one test (a cmocka filter pattern). */
    const char *only = getenv("LV_ALLOC_TEST");
    if (only != NULL && only[0] != '\0')
        cmocka_set_test_filter(only);
    /* Every run commits a few times: on a disk, fsync would make this test
     * minutes long. Nothing here depends on the disk. */
    struct stat sb;
    if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0)
        setenv("TMPDIR", "/dev/shm", 1);
    install_allocators();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lead_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lead_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_grant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_consent_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_csv_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
