/* bench_import_stages.c - where the time of an import goes, and the speed of
 * find and export on a large vault. Run by bench/bench_import.sh; not a test.
 *
 *   bench_import_stages stages CSV [--repeat N] [--dir DIR]
 *       On the same CSV, best of N (default 3):
 *       (a) parse: libcsv alone, with the reader's options and chunk size;
 *       (b) reader: parse, map, validate, normalize and seal every row
 *           (vault/import_read.h reader_run) into a sink that frees each row;
 *       (e) of (b), the sealing alone: for each row (b) read, a new data
 *           key, wrapped, and one seal per non-empty field of the row's
 *           own length, as lead_prepare does;
 *       (c) lv_import on one thread (the --on-duplicate update path, which
 *           runs the reader on the writer's thread; the file has no
 *           duplicates, so the work is that of a plain import);
 *       (d) lv_import as the CLI runs it (reader on a second thread).
 *       Differences: parse = a, validate+seal = b - a, store+index+audit =
 *       c - b; d against c is what the second thread saves. For (d), the
 *       writing thread's wall time split into duplicate check and insert,
 *       index entries, audit entries, commits, and waiting for the reader
 *       (vault/import.h import_timing_last).
 *       Each import goes into a new vault; the KDF of lv_vault_create is
 *       never inside a timing.
 *   bench_import_stages find VAULT USER PASSFILE CSV [--samples N] [--seed S]
 *       lv_lead_find by email (purpose sales_followup) of N (default 1000)
 *       emails drawn at random from the CSV's email column; prints median,
 *       p95 and p99 latency. Each find is audited and committed. Every
 *       answer is checked (exactly one lead, its email equal, ignoring case).
 *   bench_import_stages export VAULT USER PASSFILE [--repeat N]
 *       lv_export (purpose sales_followup, CSV) into a writer that discards
 *       (as to /dev/null); prints leads/s and MiB/s, best of N (default 1).
 *
 * Exit 1 on any failed call or wrong answer. */
#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "import.h"
#include "import_read.h"
#include "keys.h"
#include "leadvault.h"
#include "seal.h"

#define CHUNK 65536 /* the reader's chunk size (vault/import_read.c) */
#define PURPOSE "sales_followup"
static const char passphrase[] = "bench_import passphrase, not a secret";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_import_stages: %s: %s (%s)\n", what, lv_strerror(rc),
            lv_error_last());
    exit(1);
}

static FILE *open_or_die(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "bench_import_stages: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return f;
}

static int read_file(void *ctx, char *buf, size_t cap, size_t *got)
{
    FILE *f = ctx;
    *got = fread(buf, 1, cap, f);
    return *got == 0 && ferror(f) ? -1 : 0;
}

/* ---- (a) libcsv alone ---- */

typedef struct parse_count {
    uint64_t cells, rows, bytes;
} parse_count;

static void count_cell(void *data, size_t len, void *ctx)
{
    parse_count *c = ctx;
    (void)data;
    c->cells++;
    c->bytes += len;
}

static void count_row(int terminator, void *ctx)
{
    parse_count *c = ctx;
    (void)terminator;
    c->rows++;
}

static double time_parse(const char *csv_path)
{
    FILE *f = open_or_die(csv_path);
    char *chunk = malloc(CHUNK);
    struct csv_parser p;
    parse_count c = {0, 0, 0};
    if (chunk == NULL || csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0) {
        fprintf(stderr, "bench_import_stages: out of memory\n");
        exit(1);
    }
    double start = now_s();
    size_t got;
    while ((got = fread(chunk, 1, CHUNK, f)) > 0) {
        if (csv_parse(&p, chunk, got, count_cell, count_row, &c) != got) {
            fprintf(stderr, "bench_import_stages: libcsv: %s\n", csv_strerror(csv_error(&p)));
            exit(1);
        }
    }
    csv_fini(&p, count_cell, count_row, &c);
    double elapsed = now_s() - start;
    csv_free(&p);
    free(chunk);
    fclose(f);
    if (c.cells == 0) {
        fprintf(stderr, "bench_import_stages: %s is empty\n", csv_path);
        exit(1);
    }
    return elapsed;
}

/* ---- vaults ---- */

static lv_vault *new_vault(const char *dir, const char *name, double *create_s)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        fprintf(stderr, "bench_import_stages: path too long\n");
        exit(1);
    }
    lv_create_options o = LV_CREATE_OPTIONS_INIT;
    o.admin_name = "bench";
    o.passphrase = passphrase;
    o.passphrase_len = strlen(passphrase);
    o.kdf.memory_kib = LV_KDF_MEMORY_KIB_MIN;
    o.kdf.iterations = LV_KDF_ITERATIONS_MIN;
    o.kdf.parallelism = 1;
    lv_vault *v = NULL;
    double start = now_s();
    int rc = lv_vault_create(&v, path, &o);
    if (create_s != NULL)
        *create_s = now_s() - start;
    if (rc != 0)
        die("lv_vault_create", rc);
    return v;
}

static void remove_vault(const char *dir, const char *name)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        int n = snprintf(path, sizeof path, "%s/%s%s", dir, name, suffixes[i]);
        if (n > 0 && (size_t)n < sizeof path)
            unlink(path);
    }
}

/* ---- (b) the reader into a sink that frees ---- */

typedef struct sink_count {
    uint64_t rows, rejects;
    /* Each row's plaintext field lengths (+1; 0 = empty), for (e). */
    uint32_t *lens;
    uint64_t lens_cap; /* rows */
} sink_count;

static int free_sink(void *ctx, row_item *item)
{
    sink_count *c = ctx;
    if (item->kind == ITEM_ROW) {
        if (c->rows == c->lens_cap) {
            c->lens_cap = c->lens_cap ? c->lens_cap * 2 : 1024;
            c->lens = realloc(c->lens, c->lens_cap * LV_FIELD_COUNT * sizeof *c->lens);
            if (c->lens == NULL) {
                fprintf(stderr, "bench_import_stages: out of memory\n");
                exit(1);
            }
        }
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            size_t sealed = item->lead.sealed_len[f];
            c->lens[c->rows * LV_FIELD_COUNT + f] =
                sealed != 0 ? (uint32_t)(sealed - SEAL_OVERHEAD + 1) : 0;
        }
        c->rows++;
    } else if (item->kind == ITEM_REJECT) {
        c->rejects++;
    }
    row_item_free(item);
    return 0;
}

/* ---- (e) sealing alone ---- */

/* What the reader's sealing costs for these rows: per row a new data key,
 * wrapped, and one seal per non-empty field of the row's length, as
 * lead_prepare does (vault/leads.c). */
static double time_seal(const sink_count *c)
{
    unsigned char *key = sodium_malloc(KEY_BYTES), *wrapping = sodium_malloc(KEY_BYTES);
    size_t max = 0;
    for (uint64_t i = 0; i < c->rows * LV_FIELD_COUNT; i++)
        max = c->lens[i] > max ? c->lens[i] : max;
    unsigned char *plain = malloc(max + 1), *sealed = malloc(seal_size(max + 1));
    if (key == NULL || wrapping == NULL || plain == NULL || sealed == NULL) {
        fprintf(stderr, "bench_import_stages: out of memory\n");
        exit(1);
    }
    randombytes_buf(wrapping, KEY_BYTES);
    randombytes_buf(plain, max + 1);
    unsigned char vault_id[LV_ID_BYTES] = {1}, lead_id[LV_ID_BYTES] = {2};
    unsigned char ad[LEADKEY_AD_BYTES], wrapped[WRAPPED_KEY_BYTES];
    seal_leadkey_ad(ad, vault_id, lead_id);
    double start = now_s();
    for (uint64_t r = 0; r < c->rows; r++) {
        key_random(key, KEY_BYTES);
        key_wrap(wrapped, key, wrapping, ad, sizeof ad);
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            uint32_t len = c->lens[r * LV_FIELD_COUNT + f];
            if (len != 0)
                seal_field(sealed, plain, len - 1, key, vault_id, lead_id, (lv_field)f);
        }
    }
    double elapsed = now_s() - start;
    sodium_free(key);
    sodium_free(wrapping);
    free(plain);
    free(sealed);
    return elapsed;
}

static double time_reader(const char *csv_path, const char *dir, uint64_t *rows, double *seal)
{
    lv_vault *v = new_vault(dir, "reader.lv", NULL);
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    lv_import_summary summary;
    memset(&summary, 0, sizeof summary);
    unsigned char *key = sodium_malloc(KEY_BYTES);
    sink_count c = {0};
    reader *r = NULL;
    int rc = key == NULL ? LV_ERROR : reader_new(&r, v, &opts, &summary, key, 0, free_sink, &c);
    if (rc != 0)
        die("reader_new", rc);
    FILE *f = open_or_die(csv_path);
    atomic_ullong bytes = 0;
    double start = now_s();
    rc = reader_run(r, read_file, f, &bytes, NULL);
    double elapsed = now_s() - start;
    if (rc != 0)
        die("reader_run", rc);
    if (c.rejects != 0) {
        fprintf(stderr, "bench_import_stages: the reader rejected %" PRIu64 " rows\n", c.rejects);
        exit(1);
    }
    fclose(f);
    reader_free(r);
    sodium_free(key);
    (void)lv_vault_close(v);
    remove_vault(dir, "reader.lv");
    *rows = c.rows;
    *seal = time_seal(&c);
    free(c.lens);
    return elapsed;
}

/* ---- (c), (d) lv_import ---- */

static double cpu_s(clockid_t which)
{
    struct timespec t;
    clock_gettime(which, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall time; *writer_cpu / *reader_cpu: CPU time of this (the writing)
 * thread and of the rest of the process (the reader) during lv_import;
 * *timing: where the writing thread's wall time went (vault/import.h). */
static double time_import(const char *csv_path, const char *dir, int threaded, uint64_t *rows,
                          double *writer_cpu, double *reader_cpu, import_timing *timing)
{
    lv_vault *v = new_vault(dir, "import.lv", NULL);
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    if (!threaded)
        opts.on_duplicate = LV_DUPLICATE_UPDATE;
    lv_import_summary s;
    FILE *f = open_or_die(csv_path);
    double start = now_s();
    double thread0 = cpu_s(CLOCK_THREAD_CPUTIME_ID), process0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);
    int rc = lv_import(v, read_file, f, &opts, &s);
    double elapsed = now_s() - start;
    *writer_cpu = cpu_s(CLOCK_THREAD_CPUTIME_ID) - thread0;
    *reader_cpu = cpu_s(CLOCK_PROCESS_CPUTIME_ID) - process0 - *writer_cpu;
    import_timing_last(timing);
    if (rc != 0)
        die("lv_import", rc);
    if (s.imported != s.rows) {
        fprintf(stderr, "bench_import_stages: %" PRIu64 " of %" PRIu64 " rows imported\n",
                s.imported, s.rows);
        exit(1);
    }
    fclose(f);
    (void)lv_vault_close(v);
    remove_vault(dir, "import.lv");
    *rows = s.imported;
    return elapsed;
}

static double min_d(double a, double b)
{
    return a < b ? a : b;
}

static int cmd_stages(int argc, char **argv)
{
    const char *csv_path = NULL, *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    int repeat = 3;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else
            csv_path = argv[i];
    }
    if (csv_path == NULL || repeat < 1) {
        fprintf(stderr, "usage: bench_import_stages stages CSV [--repeat N] [--dir DIR]\n");
        return 2;
    }
    char work[4096];
    snprintf(work, sizeof work, "%s/bench-import-stages.XXXXXX", dir);
    if (mkdtemp(work) == NULL) {
        fprintf(stderr, "bench_import_stages: mkdtemp %s: %s\n", work, strerror(errno));
        return 1;
    }
    double parse = 1e30, read = 1e30, seal = 1e30, serial = 1e30, threaded = 1e30, writer_cpu = 0,
           reader_cpu = 0;
    import_timing timing = {0}, t_one;
    uint64_t rows = 0, rows_c = 0, rows_d = 0;
    for (int i = 0; i < repeat; i++) {
        double w, r;
        parse = min_d(parse, time_parse(csv_path));
        double s;
        read = min_d(read, time_reader(csv_path, work, &rows, &s));
        seal = min_d(seal, s);
        serial = min_d(serial, time_import(csv_path, work, 0, &rows_c, &w, &r, &t_one));
        double t = time_import(csv_path, work, 1, &rows_d, &w, &r, &t_one);
        if (t < threaded) { /* the split of the best threaded run */
            threaded = t;
            writer_cpu = w;
            reader_cpu = r;
            timing = t_one;
        }
        fprintf(stderr, "  round %d of %d done\n", i + 1, repeat);
    }
    rmdir(work);
    if (rows_c != rows || rows_d != rows) {
        fprintf(stderr, "bench_import_stages: rows differ: reader %" PRIu64 ", imports %" PRIu64
                        " / %" PRIu64 "\n",
                rows, rows_c, rows_d);
        return 1;
    }
    double n = (double)rows;
    printf("import stages, %" PRIu64 " rows (best of %d):\n", rows, repeat);
    printf("  (a) parse (libcsv alone)                %8.3f s  %10.0f rows/s\n", parse,
           n / parse);
    printf("  (b) reader: parse+map+validate+seal     %8.3f s  %10.0f rows/s\n", read, n / read);
    printf("      of which (e) sealing alone          %8.3f s  (a new data key, wrapped, and "
           "one XChaCha20-Poly1305\n      seal per non-empty field, of the rows' own lengths)\n",
           seal);
    printf("  (c) lv_import, one thread               %8.3f s  %10.0f rows/s"
           "  (the --on-duplicate update path)\n",
           serial, n / serial);
    printf("  (d) lv_import, reader on a 2nd thread   %8.3f s  %10.0f rows/s\n", threaded,
           n / threaded);
    printf("  CPU of (d): writing thread %.3f s, reading thread %.3f s; the slower one sets "
           "the pace\n",
           writer_cpu, reader_cpu);
    printf("  where (d) goes: parse %.3f s, map+validate+normalize+seal %.3f s (reader, alone: "
           "(b) - (a);\n  of it sealing %.3f s, the rest %.3f s), dedup+store+index+audit+commit "
           "%.3f s (the writing\n  thread's CPU)\n",
           parse, read - parse, seal, read - parse - seal, writer_cpu);
    printf("  per row: parse %.1f us, map+validate+normalize+seal %.1f us, "
           "dedup+store+index+audit+commit %.1f us\n",
           1e6 * parse / n, 1e6 * (read - parse) / n, 1e6 * writer_cpu / n);
    printf("  the writing thread of (d), wall %.3f s: duplicate check + lead insert %.3f s, "
           "index entries %.3f s,\n  audit entries %.3f s, commits (with the WAL checkpoints "
           "in them) %.3f s, waiting for the reader %.3f s\n",
           timing.total, timing.rows, timing.index, timing.audit, timing.commit, timing.waiting);
    return 0;
}

/* ---- find and export on an existing vault ---- */

static lv_vault *open_vault(const char *path, const char *user, const char *passfile,
                            double *open_s)
{
    FILE *f = open_or_die(passfile);
    char pass[1024];
    if (fgets(pass, sizeof pass, f) == NULL) {
        fprintf(stderr, "bench_import_stages: empty %s\n", passfile);
        exit(1);
    }
    fclose(f);
    pass[strcspn(pass, "\r\n")] = '\0';
    lv_open_options o = LV_OPEN_OPTIONS_INIT;
    o.user = user;
    o.passphrase = pass;
    o.passphrase_len = strlen(pass);
    lv_vault *v = NULL;
    double start = now_s();
    int rc = lv_vault_open(&v, path, &o);
    *open_s = now_s() - start;
    sodium_memzero(pass, sizeof pass);
    if (rc != 0)
        die("lv_vault_open", rc);
    return v;
}

/* Reservoir sample of the email column (Email 1 or Email) of a CSV. */
typedef struct sampler {
    int column, header_done;
    size_t cell;
    uint64_t seen;
    size_t want;
    char **picked;
    uint64_t rng;
} sampler;

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void sample_cell(void *data, size_t len, void *ctx)
{
    sampler *s = ctx;
    size_t cell = s->cell++;
    if (!s->header_done) {
        if (s->column < 0 && ((len == 7 && strncasecmp(data, "Email 1", 7) == 0) ||
                              (len == 5 && strncasecmp(data, "Email", 5) == 0)))
            s->column = (int)cell;
        return;
    }
    if ((int)cell != s->column || len == 0)
        return;
    uint64_t slot = s->seen < s->want ? s->seen : next_random(&s->rng) % (s->seen + 1);
    s->seen++;
    if (slot < s->want) {
        free(s->picked[slot]);
        s->picked[slot] = strndup(data, len);
    }
}

static void sample_row(int terminator, void *ctx)
{
    sampler *s = ctx;
    (void)terminator;
    if (s->cell > 0)
        s->header_done = 1;
    s->cell = 0;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmd_find(int argc, char **argv)
{
    size_t samples = 1000;
    uint64_t seed = 7;
    const char *pos[4];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc)
            samples = (size_t)strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (npos < 4)
            pos[npos++] = argv[i];
    }
    if (npos != 4 || samples == 0) {
        fprintf(stderr, "usage: bench_import_stages find VAULT USER PASSFILE CSV [--samples N] "
                        "[--seed S]\n");
        return 2;
    }
    sampler s = {-1, 0, 0, 0, samples, calloc(samples, sizeof(char *)), seed | 1};
    struct csv_parser p;
    if (s.picked == NULL || csv_init(&p, CSV_REPALL_NL) != 0)
        return 1;
    FILE *f = open_or_die(pos[3]);
    char *chunk = malloc(CHUNK);
    size_t got;
    while (chunk != NULL && (got = fread(chunk, 1, CHUNK, f)) > 0)
        csv_parse(&p, chunk, got, sample_cell, sample_row, &s);
    csv_fini(&p, sample_cell, sample_row, &s);
    csv_free(&p);
    free(chunk);
    fclose(f);
    if (s.seen < samples) {
        fprintf(stderr, "bench_import_stages: only %" PRIu64 " emails in %s\n", s.seen, pos[3]);
        return 1;
    }
    double open_s;
    lv_vault *v = open_vault(pos[0], pos[1], pos[2], &open_s);
    double *lat = calloc(samples, sizeof *lat);
    if (lat == NULL)
        return 1;
    for (size_t i = 0; i < samples; i++) {
        lv_lead **leads = NULL;
        size_t n = 0;
        double start = now_s();
        int rc = lv_lead_find(&leads, &n, v, LV_LOOKUP_EMAIL, s.picked[i], PURPOSE,
                              1u << LV_FIELD_EMAIL);
        lat[i] = (now_s() - start) * 1e6;
        if (rc != 0)
            die("lv_lead_find", rc);
        if (n != 1 || leads[0]->value[LV_FIELD_EMAIL] == NULL ||
            strcasecmp(leads[0]->value[LV_FIELD_EMAIL], s.picked[i]) != 0) {
            fprintf(stderr, "bench_import_stages: find %zu: %zu leads, or the wrong one\n", i, n);
            return 1;
        }
        lv_lead_list_free(leads, n);
        free(s.picked[i]);
    }
    qsort(lat, samples, sizeof *lat, compare_double);
    double sum = 0;
    for (size_t i = 0; i < samples; i++)
        sum += lat[i];
    printf("lead find --email, %zu random emails, purpose %s (open %.2f s, not counted):\n",
           samples, PURPOSE, open_s);
    printf("  median %.0f us, p95 %.0f us, p99 %.0f us, mean %.0f us, max %.0f us\n",
           lat[(samples - 1) / 2], lat[(size_t)(0.95 * (double)(samples - 1))],
           lat[(size_t)(0.99 * (double)(samples - 1))], sum / (double)samples,
           lat[samples - 1]);
    free(lat);
    free(s.picked);
    (void)lv_vault_close(v);
    return 0;
}

typedef struct discard {
    uint64_t bytes;
} discard;

static int write_discard(void *ctx, const char *data, size_t len)
{
    discard *d = ctx;
    (void)data;
    d->bytes += len;
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    int repeat = 1;
    const char *pos[3];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (npos < 3)
            pos[npos++] = argv[i];
    }
    if (npos != 3 || repeat < 1) {
        fprintf(stderr, "usage: bench_import_stages export VAULT USER PASSFILE [--repeat N]\n");
        return 2;
    }
    double open_s, best = 1e30;
    lv_vault *v = open_vault(pos[0], pos[1], pos[2], &open_s);
    uint64_t exported = 0, bytes = 0;
    for (int i = 0; i < repeat; i++) {
        lv_export_options o = LV_EXPORT_OPTIONS_INIT;
        o.purpose = PURPOSE;
        discard d = {0};
        double start = now_s();
        int rc = lv_export(v, &o, write_discard, &d, &exported);
        best = min_d(best, now_s() - start);
        if (rc != 0)
            die("lv_export", rc);
        bytes = d.bytes;
    }
    printf("export --purpose %s --format csv to /dev/null, best of %d (open %.2f s, not "
           "counted):\n",
           PURPOSE, repeat, open_s);
    printf("  %" PRIu64 " leads in %.2f s: %.0f leads/s, %.1f MiB/s (%.1f MiB written)\n",
           exported, best, (double)exported / best, (double)bytes / 1048576.0 / best,
           (double)bytes / 1048576.0);
    (void)lv_vault_close(v);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    if (argc >= 2 && strcmp(argv[1], "stages") == 0)
        return cmd_stages(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "find") == 0)
        return cmd_find(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "export") == 0)
        return cmd_export(argc - 2, argv + 2);
    fprintf(stderr, "usage: bench_import_stages stages|find|export ... (see the source)\n");
    return 2;
}
