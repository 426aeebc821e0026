/* bench_erase.c - retention-driven erasure: throughput, and what is left of
 * the erased leads in the vault's files, through the public API only.
 *
 * In one process: create a vault in a fresh temporary directory (Argon2id at
 * the floor), import N leads (default 10 000) from an in-memory CSV through
 * lv_import, add a retention rule that makes every lead due (inactive for
 * 1 ms), wait 10 ms, time lv_retention_run (with its signed receipt, as
 * `retention run --receipt` does) and print erasures per second. Then scan
 * the raw bytes of the vault file, its -wal and its -shm, once while the
 * vault is still open and once more after it is closed, for the plaintext of
 * every erased lead and for the index forms of their e-mail addresses
 * (lower case) and phone numbers (E.164): it knows them all, since it made
 * them. Every value carries a marker ("Zq7Bench", or the phone prefix
 * "4915170"), so the scan counts every occurrence of a marker in any letter
 * case, in UTF-8 and UTF-16LE, and then matches each occurrence against the
 * exact values. Exit status 1 on any hit, on a wrong count or a failed call.
 *
 * Usage: bench_erase [N] [--dir DIR] [--keep] */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leadvault.h"

#define DEFAULT_LEADS 10000u
#define MAX_LEADS 1000000u /* values carry a 6-digit index */
#define ADMIN_NAME "bench"
#define RULE_NAME "bench_all"
#define LOOKUP_PURPOSE "sales_followup" /* a default purpose: email, legitimate interest */

static const char passphrase[] = "benchmark passphrase, not a secret";

/* ---- the leads' values ---- */

/* One value of lead i is prefix, i in six digits, suffix. The marker sits
 * at offset marker_at. fold: the value is also stored or indexed in lower
 * case. */
typedef struct value_template {
    const char *field; /* CSV header */
    const char *prefix, *suffix;
    size_t marker_at;
    int fold;
} value_template;

#define MARKER "Zq7Bench"
#define PHONE_MARKER "4915170"

static const value_template templates[] = {
    {"First Name", "Zq7BenchFirst", "", 0, 0},
    {"Last Name", "Zq7BenchLast", "", 0, 0},
    {"Email", "Zq7Bench.Mail", "@Example.com", 0, 1},
    {"Email 2", "Zq7Bench.Alt", "@Example.org", 0, 1},
    {"Phone", "+4915170", "", 1, 0}, /* already in E.164: stored as is */
    {"Company", "Zq7BenchCompany", " GmbH", 0, 0},
    {"Job Title", "Zq7BenchTitle", "", 0, 0},
    {"Website", "https://zq7bench", ".example/", 8, 0},
    {"Address", "Zq7BenchStreet", " 1 Berlin", 0, 0},
    {"Notes", "Zq7BenchNote", ": called twice; wants a demo", 0, 0},
};
#define TEMPLATE_COUNT (sizeof templates / sizeof templates[0])

static void value_of(char *out, size_t cap, const value_template *t, unsigned index)
{
    snprintf(out, cap, "%s%06u%s", t->prefix, index, t->suffix);
}

/* The whole import as one CSV text. */
static char *make_csv(unsigned leads, size_t *len)
{
    size_t cap = (size_t)leads * 400 + 1024, at = 0;
    char *csv = malloc(cap);
    if (csv == NULL)
        return NULL;
    for (size_t t = 0; t < TEMPLATE_COUNT; t++)
        at += (size_t)snprintf(csv + at, cap - at, "%s%s", t ? "," : "", templates[t].field);
    at += (size_t)snprintf(csv + at, cap - at, ",Lead Status\r\n");
    for (unsigned i = 0; i < leads; i++) {
        for (size_t t = 0; t < TEMPLATE_COUNT; t++) {
            char value[128];
            value_of(value, sizeof value, &templates[t], i);
            at += (size_t)snprintf(csv + at, cap - at, "%s%s", t ? "," : "", value);
        }
        at += (size_t)snprintf(csv + at, cap - at, ",lost\r\n");
    }
    *len = at;
    return csv;
}

typedef struct memory_reader {
    const char *data;
    size_t len, at;
} memory_reader;

static int read_memory(void *ctx, char *buf, size_t cap, size_t *got)
{
    memory_reader *r = ctx;
    size_t n = r->len - r->at < cap ? r->len - r->at : cap;
    memcpy(buf, r->data + r->at, n);
    r->at += n;
    *got = n;
    return 0;
}

/* ---- time, files, errors ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static unsigned char *read_whole(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    unsigned char *data = malloc(cap);
    while (data != NULL) {
        if (n == cap) {
            unsigned char *grown = realloc(data, cap * 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return data;
}

static int api_failure(const char *what, int rc)
{
    fprintf(stderr, "bench_erase: %s failed: %s (%s)\n", what, lv_strerror(rc), lv_error_last());
    return -1;
}

/* ---- the residue scan ---- */

typedef struct scan_result {
    unsigned long long marker_hits; /* any marker, any case, UTF-8 or UTF-16LE */
    unsigned long long exact_hits;  /* a whole value of an erased lead, or its index form */
    long long bytes;                /* -1: the file does not exist */
} scan_result;

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* needle (ASCII) at data[at], letters compared without case; step 2 reads
 * it as UTF-16LE (each character followed by a zero byte). */
static int match_at(const unsigned char *data, size_t len, size_t at, const char *needle,
                    size_t step)
{
    size_t n = strlen(needle);
    if (at + n * step > len)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (ascii_lower(data[at + i * step]) != ascii_lower((unsigned char)needle[i]) ||
            (step == 2 && data[at + i * 2 + 1] != 0))
            return 0;
    }
    return 1;
}

/* Is the marker hit at `at` the start of a whole value of one of the leads
 * (as stored, or in its index form)? */
static int exact_value_at(const unsigned char *data, size_t len, size_t at, size_t step,
                          unsigned leads)
{
    for (size_t t = 0; t < TEMPLATE_COUNT; t++) {
        const value_template *tpl = &templates[t];
        if (at < tpl->marker_at * step)
            continue;
        size_t start = at - tpl->marker_at * step;
        size_t digits = start + strlen(tpl->prefix) * step;
        if (digits + 6 * step > len)
            continue;
        unsigned index = 0;
        int ok = 1;
        for (size_t d = 0; ok && d < 6; d++) {
            unsigned char c = data[digits + d * step];
            ok = c >= '0' && c <= '9';
            index = index * 10 + (unsigned)(c - '0');
        }
        if (!ok || index >= leads)
            continue;
        char value[128];
        value_of(value, sizeof value, tpl, index);
        size_t n = strlen(value);
        int same = start + n * step <= len;
        for (size_t i = 0; same && i < n; i++) {
            unsigned char c = data[start + i * step];
            same = (tpl->fold ? ascii_lower(c) == ascii_lower((unsigned char)value[i])
                              : c == (unsigned char)value[i]) &&
                   (step == 1 || data[start + i * 2 + 1] == 0);
        }
        if (same)
            return 1;
    }
    return 0;
}

static void scan_bytes(const unsigned char *data, size_t len, unsigned leads, scan_result *r)
{
    static const char *const markers[] = {MARKER, PHONE_MARKER};
    for (size_t step = 1; step <= 2; step++) {
        for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++) {
            unsigned char first = ascii_lower((unsigned char)markers[m][0]);
            for (size_t at = 0; at < len; at++) {
                if (ascii_lower(data[at]) != first || !match_at(data, len, at, markers[m], step))
                    continue;
                r->marker_hits++;
                r->exact_hits += (unsigned long long)exact_value_at(data, len, at, step, leads);
            }
        }
    }
}

static int scan_file(const char *path, unsigned leads, scan_result *r)
{
    memset(r, 0, sizeof *r);
    r->bytes = file_size(path);
    if (r->bytes < 0)
        return 0;
    size_t len = 0;
    unsigned char *data = read_whole(path, &len);
    if (data == NULL && r->bytes > 0) {
        fprintf(stderr, "bench_erase: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    scan_bytes(data, len, leads, r);
    free(data);
    return 0;
}

/* The scanner must find what is there: a buffer holding three values, one
 * in upper case and one as UTF-16LE. */
static int scan_self_test(void)
{
    char a[128], b[128], c[128];
    value_of(a, sizeof a, &templates[0], 7);
    value_of(b, sizeof b, &templates[2], 4242);
    value_of(c, sizeof c, &templates[4], 9);
    for (char *p = b; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    unsigned char buf[1024];
    size_t at = 0;
    at += (size_t)snprintf((char *)buf, sizeof buf, "xx%s yy %s zz ", a, b);
    for (const char *p = c; *p; p++) {
        buf[at++] = (unsigned char)*p;
        buf[at++] = 0;
    }
    scan_result r = {0, 0, 0};
    scan_bytes(buf, at, 10000, &r);
    if (r.marker_hits != 3 || r.exact_hits != 3) {
        fprintf(stderr, "bench_erase: the scanner's self-test failed (%llu markers, %llu exact)\n",
                r.marker_hits, r.exact_hits);
        return -1;
    }
    return 0;
}

/* Scan the vault, its -wal and -shm; print one line; add to the totals. */
static int scan_vault(const char *label, const char *path, unsigned leads,
                      unsigned long long *markers, unsigned long long *exact)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    printf("  %-26s", label);
    for (size_t i = 0; i < 3; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        scan_result r;
        if (scan_file(file, leads, &r) != 0)
            return -1;
        if (r.bytes < 0)
            printf("%s vault%s absent", i ? ";" : "", suffixes[i]);
        else
            printf("%s vault%s %lld B: %llu marker, %llu exact", i ? ";" : "", suffixes[i], r.bytes,
                   r.marker_hits, r.exact_hits);
        *markers += r.marker_hits;
        *exact += r.exact_hits;
    }
    printf("\n");
    fflush(stdout);
    return 0;
}

/* ---- the run ---- */

typedef struct run_count {
    size_t erased, held;
} run_count;

static int count_due(void *ctx, const char *lead_id, const char *rule, int held)
{
    run_count *c = ctx;
    (void)lead_id;
    (void)rule;
    if (held)
        c->held++;
    else
        c->erased++;
    return 0;
}

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static int write_buffer(void *ctx, const char *data, size_t len)
{
    buffer *b = ctx;
    if (b->len + len > b->cap) {
        size_t cap = (b->len + len) * 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static int count_lead(void *ctx, const lv_lead_meta *meta)
{
    (void)meta;
    ++*(size_t *)ctx;
    return 0;
}

static int run(unsigned leads, const char *path)
{
    if (scan_self_test() != 0)
        return -1;
    lv_create_options copts = LV_CREATE_OPTIONS_INIT;
    copts.admin_name = ADMIN_NAME;
    copts.passphrase = passphrase;
    copts.passphrase_len = sizeof passphrase - 1;
    copts.kdf.memory_kib = LV_KDF_MEMORY_KIB_MIN;
    copts.kdf.iterations = LV_KDF_ITERATIONS_MIN;
    copts.kdf.parallelism = 1;
    copts.os_user = "bench";
    lv_vault *vault = NULL;
    int rc = lv_vault_create(&vault, path, &copts);
    if (rc != 0)
        return api_failure("lv_vault_create", rc);

    /* Import. */
    size_t csv_len = 0;
    char *csv = make_csv(leads, &csv_len);
    if (csv == NULL) {
        lv_vault_close(vault);
        fprintf(stderr, "bench_erase: out of memory\n");
        return -1;
    }
    memory_reader reader = {csv, csv_len, 0};
    lv_import_options iopts = LV_IMPORT_OPTIONS_INIT;
    lv_import_summary summary;
    double t0 = now_s();
    rc = lv_import(vault, read_memory, &reader, &iopts, &summary);
    double import_s = now_s() - t0;
    free(csv);
    if (rc != 0) {
        lv_vault_close(vault);
        return api_failure("lv_import", rc);
    }
    printf("  %-26s %" PRIu64 " of %u rows in %.2f s (%.0f leads/s; %" PRIu64 " rows read, %" PRIu64
           " rejected, %" PRIu64 " duplicates)\n",
           "import", summary.imported, leads, import_s, (double)summary.imported / import_s,
           summary.rows, summary.rejected, summary.duplicates);
    int result = summary.imported == leads ? 0 : -1;
    if (result != 0)
        fprintf(stderr, "bench_erase: not every row was imported\n");

    /* The data is there and found before the run. */
    lv_lead **found = NULL;
    size_t nfound = 0;
    char probe[128];
    value_of(probe, sizeof probe, &templates[2], leads / 2);
    if (result == 0 && (rc = lv_lead_find(&found, &nfound, vault, LV_LOOKUP_EMAIL, probe,
                                          LOOKUP_PURPOSE, 1u << LV_FIELD_EMAIL)) != 0)
        result = api_failure("lv_lead_find (before)", rc);
    else if (result == 0 && nfound != 1) {
        fprintf(stderr, "bench_erase: lead %u not found before the run\n", leads / 2);
        result = -1;
    }
    lv_lead_list_free(found, nfound);

    /* A rule that makes every lead due: inactive for 1 ms. */
    lv_retention_rule rule;
    memset(&rule, 0, sizeof rule);
    snprintf(rule.name, sizeof rule.name, "%s", RULE_NAME);
    rule.inactive_ms = 1;
    if (result == 0 && (rc = lv_retention_add(vault, &rule)) != 0)
        result = api_failure("lv_retention_add", rc);
    struct timespec pause = {0, 10 * 1000 * 1000};
    nanosleep(&pause, NULL);

    /* The run, timed, with its receipt in memory. */
    run_count count = {0, 0};
    buffer receipt = {NULL, 0, 0};
    size_t erased = 0, skipped = 0;
    double run_s = 0;
    if (result == 0) {
        t0 = now_s();
        rc = lv_retention_run(vault, "bench retention run", count_due, &count, write_buffer,
                              &receipt, &erased, &skipped);
        run_s = now_s() - t0;
        if (rc != 0)
            result = api_failure("lv_retention_run", rc);
    }
    if (result == 0) {
        printf("  %-26s erased %zu, skipped %zu held, in %.3f s: %.0f erasures/s\n",
               "retention run", erased, skipped, run_s, (double)erased / run_s);
        if (erased != leads || skipped != 0 || count.erased != leads) {
            fprintf(stderr, "bench_erase: expected %u erasures, got %zu (%zu reported)\n", leads,
                    erased, count.erased);
            result = -1;
        }
        t0 = now_s();
        rc = lv_receipt_verify(receipt.data, receipt.len, NULL, vault);
        printf("  %-26s %zu bytes, %s (%.3f s)\n", "receipt", receipt.len,
               rc == 0 ? "verifies" : "does NOT verify", now_s() - t0);
        if (rc != 0)
            result = api_failure("lv_receipt_verify", rc);
    }
    free(receipt.data);

    size_t left = 0;
    if (result == 0 && (rc = lv_lead_list(vault, NULL, count_lead, &left)) != 0)
        result = api_failure("lv_lead_list", rc);
    found = NULL;
    nfound = 0;
    if (result == 0 && (rc = lv_lead_find(&found, &nfound, vault, LV_LOOKUP_EMAIL, probe,
                                          LOOKUP_PURPOSE, 1u << LV_FIELD_EMAIL)) != 0)
        result = api_failure("lv_lead_find (after)", rc);
    lv_lead_list_free(found, nfound);
    if (result == 0) {
        printf("  %-26s %zu leads listed, %zu found by a former address\n", "after the run", left,
               nfound);
        if (left != 0 || nfound != 0)
            result = -1;
    }

    /* Residue: with the vault still open (its -wal and -shm exist), then
     * after it is closed. */
    unsigned long long markers = 0, exact = 0;
    if (scan_vault("residue, vault open", path, leads, &markers, &exact) != 0)
        result = -1;
    rc = lv_vault_close(vault);
    if (rc != 0)
        result = api_failure("lv_vault_close", rc);
    if (scan_vault("residue, vault closed", path, leads, &markers, &exact) != 0)
        result = -1;
    printf("  %-26s %llu marker hits, %llu exact values of erased leads: %s\n", "residue", markers,
           exact, markers == 0 && exact == 0 ? "none" : "FOUND");
    if (markers != 0 || exact != 0)
        result = -1;
    return result;
}

/* ---- main ---- */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench_erase [N] [--dir DIR] [--keep]\n"
            "  N      leads to import and erase (default %u, at most %u)\n"
            "  --dir  parent of the temporary directory (default $TMPDIR, else /tmp)\n"
            "  --keep leave the vault on disk\n",
            DEFAULT_LEADS, MAX_LEADS);
}

int main(int argc, char **argv)
{
    unsigned leads = DEFAULT_LEADS;
    const char *parent = NULL;
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            parent = argv[++i];
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] >= '1' && argv[i][0] <= '9' &&
                   (leads = (unsigned)strtoul(argv[i], &end, 10), *end == '\0') &&
                   leads <= MAX_LEADS) {
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (parent == NULL)
        parent = getenv("TMPDIR");
    if (parent == NULL || parent[0] == '\0')
        parent = "/tmp";
    char dir[4096], path[4120];
    if ((size_t)snprintf(dir, sizeof dir, "%s/leadvault-bench-erase.XXXXXX", parent) >=
            sizeof dir ||
        mkdtemp(dir) == NULL) {
        fprintf(stderr, "bench_erase: cannot make a temporary directory under %s: %s\n", parent,
                strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/bench.vault", dir);
    printf("leadvault %s erasure benchmark\n", lv_version());
    printf("  %-26s %s%s\n", "vault", path, keep ? " (kept)" : " (removed at exit)");
    printf("  %-26s %u, each with %zu marked values; Argon2id at the floor\n", "leads", leads,
           TEMPLATE_COUNT);
    fflush(stdout);
    int rc = run(leads, path);
    if (!keep) {
        static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            char file[4200];
            snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
            unlink(file);
        }
        rmdir(dir);
    }
    printf("%s\n", rc == 0 ? "ok" : "FAILED");
    return rc == 0 ? 0 : 1;
}
