/* bench_core.c - throughput and latency of the core lead operations, through
 * the public API only.
 *
 * In one process: create a vault in a fresh temporary directory (Argon2id at
 * the floor), add N synthetic leads, close and measure the file, reopen,
 * then time lv_lead_get by random id, lv_lead_find by random existing
 * e-mail in random letter case, and lv_lead_find of absent e-mails. Every
 * result is checked, so a fast wrong answer fails the run (exit 1).
 *
 * Argon2id runs only in lv_vault_create and lv_vault_open; both are timed
 * on their own and left out of every rate and latency.
 *
 * Usage: bench_core [N] [--quick] [--samples K] [--seed S] [--dir DIR] [--keep] */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leadvault.h"
#include "synthetic_leads.h"

#define DEFAULT_LEADS 100000u
#define QUICK_LEADS 5000u
#define MAX_LEADS 100000000u
#define DEFAULT_SAMPLES 2000u
#define QUICK_SAMPLES 500u
#define WARMUP_ROUNDS 10u /* untimed read rounds first: statements get prepared */
#define DEFAULT_SEED 20240611u

#define ADMIN_NAME "bench"
#define PURPOSE "benchmark"
static const char passphrase[] = "benchmark passphrase, not a secret";

typedef char lead_id_text[LV_ID_STRLEN + 1];
typedef char email_text[SYNTH_EMAIL_MAX];

typedef struct options {
    uint64_t leads;
    size_t samples;
    uint64_t seed;
    const char *dir; /* parent of the temporary directory */
    int keep;        /* leave the vault on disk */
} options;

typedef struct latency {
    size_t count;
    double min, median, p95, p99, max, mean; /* microseconds */
} latency;

typedef struct phase {
    const char *what;
    latency lat;
} phase;

/* Everything the run learns, printed at the end. */
typedef struct results {
    double create_s, open_s, close_s;
    double add_call_s, add_wall_s, add_cpu_s;
    latency add;
    phase get, find, missing;
    long long size_after_add, size_after_reads;
    long long add_written; /* bytes sent towards storage by adds and close; -1 unknown */
    uint64_t audited_reads;
} results;

/* ---- time and statistics ---- */

static double clock_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values. */
static double percentile(const double *sorted, size_t n, double q)
{
    size_t rank = (size_t)(q * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

/* Summarise samples in microseconds; sorts them in place. */
static latency latency_of(double *us, size_t n)
{
    latency l = {0};
    if (n == 0)
        return l;
    qsort(us, n, sizeof *us, compare_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += us[i];
    l.count = n;
    l.min = us[0];
    l.median = percentile(us, n, 0.50);
    l.p95 = percentile(us, n, 0.95);
    l.p99 = percentile(us, n, 0.99);
    l.max = us[n - 1];
    l.mean = sum / (double)n;
    return l;
}

static void print_latency(const char *label, const latency *l)
{
    printf("  %-26s median %9.1f  p95 %9.1f  p99 %9.1f   (min %.1f, max %.1f, mean %.1f, "
           "n=%zu)\n",
           label, l->median, l->p95, l->p99, l->min, l->max, l->mean, l->count);
}

/* ---- files ---- */

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* Bytes this process has caused to be written to storage so far (Linux
 * /proc/self/io "write_bytes"); -1 where that is not available. */
static long long storage_write_bytes(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    if (f == NULL)
        return -1;
    char line[128];
    long long value = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "write_bytes: %lld", &value) == 1)
            break;
    }
    fclose(f);
    return value;
}

static void side_path(char *out, size_t cap, const char *path, const char *suffix)
{
    snprintf(out, cap, "%s%s", path, suffix);
}

/* The vault file plus any SQLite side file still on disk. */
static long long vault_bytes(const char *path)
{
    char side[4200];
    long long total = file_size(path);
    side_path(side, sizeof side, path, "-wal");
    total += file_size(side);
    return total;
}

static void remove_vault(const char *dir, const char *path)
{
    char side[4200];
    unlink(path);
    side_path(side, sizeof side, path, "-wal");
    unlink(side);
    side_path(side, sizeof side, path, "-shm");
    unlink(side);
    rmdir(dir);
}

/* ---- errors ---- */

static int api_failure(const char *what, int rc)
{
    fprintf(stderr, "bench_core: %s failed: %s (%s)\n", what, lv_strerror(rc), lv_error_last());
    return -1;
}

static int wrong_result(const char *what, size_t sample)
{
    fprintf(stderr, "bench_core: %s returned a wrong result at sample %zu\n", what, sample);
    return -1;
}

/* ---- phases ---- */

static int open_vault(lv_vault **vault, const char *path, double *seconds)
{
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = ADMIN_NAME;
    opts.passphrase = passphrase;
    opts.passphrase_len = sizeof passphrase - 1;
    opts.os_user = "bench";
    double t0 = now_s();
    int rc = lv_vault_open(vault, path, &opts);
    *seconds = now_s() - t0;
    return rc != 0 ? api_failure("lv_vault_open", rc) : 0;
}

static int create_vault(lv_vault **vault, const char *path, double *seconds)
{
    lv_create_options opts = LV_CREATE_OPTIONS_INIT;
    opts.admin_name = ADMIN_NAME;
    opts.passphrase = passphrase;
    opts.passphrase_len = sizeof passphrase - 1;
    opts.kdf.memory_kib = LV_KDF_MEMORY_KIB_MIN;
    opts.kdf.iterations = LV_KDF_ITERATIONS_MIN;
    opts.kdf.parallelism = 1;
    opts.os_user = "bench";
    double t0 = now_s();
    int rc = lv_vault_create(vault, path, &opts);
    *seconds = now_s() - t0;
    if (rc != 0)
        return api_failure("lv_vault_create", rc);
    /* Reveals need a defined purpose; legitimate interest needs no consent
     * record per lead, so the reads measure the reveal path itself. */
    rc = lv_purpose_add(*vault, PURPOSE, LV_BASIS_LEGITIMATE_INTEREST, LV_FIELD_MASK_ALL,
                        1u << LV_ROLE_ADMIN);
    return rc != 0 ? api_failure("lv_purpose_add", rc) : 0;
}

static int close_vault(lv_vault *vault, double *seconds)
{
    double t0 = now_s();
    int rc = lv_vault_close(vault);
    *seconds = now_s() - t0;
    return rc != 0 ? api_failure("lv_vault_close", rc) : 0;
}

static int add_leads(lv_vault *vault, const options *opt, lead_id_text *ids, email_text *emails,
                     results *res)
{
    double *us = malloc(opt->leads * sizeof *us);
    synth_lead *lead = malloc(sizeof *lead);
    if (us == NULL || lead == NULL) {
        free(us);
        free(lead);
        fprintf(stderr, "bench_core: out of memory\n");
        return -1;
    }
    synth_rng rng;
    synth_rng_seed(&rng, opt->seed);
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    uint64_t progress_every = opt->leads >= 20000 ? opt->leads / 10 : 0;
    double in_calls = 0, wall0 = now_s(), cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    int result = 0;
    for (uint64_t i = 0; i < opt->leads; i++) {
        synth_lead_make(lead, &rng, i, now_ms);
        double t0 = now_s();
        int rc = lv_lead_add(vault, ids[i], &lead->input);
        double t = now_s() - t0;
        if (rc != 0) {
            fprintf(stderr, "bench_core: lead %" PRIu64 " (country %s):\n", i, lead->country);
            result = api_failure("lv_lead_add", rc);
            break;
        }
        in_calls += t;
        us[i] = t * 1e6;
        memcpy(emails[i], lead->email, sizeof emails[i]);
        if (progress_every != 0 && (i + 1) % progress_every == 0)
            fprintf(stderr, "  ... %" PRIu64 " / %" PRIu64 " leads, %.0f leads/s so far\n", i + 1,
                    opt->leads, (double)(i + 1) / in_calls);
    }
    res->add_wall_s = now_s() - wall0;
    res->add_cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    res->add_call_s = in_calls;
    if (result == 0)
        res->add = latency_of(us, (size_t)opt->leads);
    free(us);
    free(lead);
    return result;
}

static int get_one(lv_vault *vault, const char *id, const char *email, size_t sample, double *us)
{
    lv_lead *lead = NULL;
    double t0 = now_s();
    int rc = lv_lead_get(&lead, vault, id, PURPOSE, 0);
    double t = now_s() - t0;
    if (rc != 0)
        return api_failure("lv_lead_get", rc);
    int right = strcmp(lead->meta.id, id) == 0 && lead->value[LV_FIELD_EMAIL] != NULL &&
                strcmp(lead->value[LV_FIELD_EMAIL], email) == 0;
    lv_lead_free(lead);
    if (!right)
        return wrong_result("lv_lead_get", sample);
    if (us != NULL)
        *us = t * 1e6;
    return 0;
}

/* expected_id NULL: the address must not be found. */
static int find_one(lv_vault *vault, const char *email, const char *expected_id, size_t sample,
                    double *us)
{
    lv_lead **leads = NULL;
    size_t count = 0;
    double t0 = now_s();
    int rc = lv_lead_find(&leads, &count, vault, LV_LOOKUP_EMAIL, email, PURPOSE, 0);
    double t = now_s() - t0;
    if (rc != 0)
        return api_failure("lv_lead_find", rc);
    int right = expected_id == NULL ? count == 0
                                    : count == 1 && strcmp(leads[0]->meta.id, expected_id) == 0;
    lv_lead_list_free(leads, count);
    if (!right)
        return wrong_result(expected_id != NULL ? "lv_lead_find" : "lv_lead_find (absent)", sample);
    if (us != NULL)
        *us = t * 1e6;
    return 0;
}

/* WARMUP_ROUNDS untimed rounds, then opt->samples timed ones. A round is
 * one get (random lead), one find (random lead's address in random case)
 * and one find of an absent address: interleaved, the three measurements
 * see the same WAL and cache state instead of whichever phase came first. */
static int read_phase(lv_vault *vault, const options *opt, lead_id_text *ids, email_text *emails,
                      synth_rng *rng, results *r)
{
    double *us = malloc(3 * opt->samples * sizeof *us);
    if (us == NULL) {
        fprintf(stderr, "bench_core: out of memory\n");
        return -1;
    }
    double *get_us = us, *find_us = us + opt->samples, *missing_us = us + 2 * opt->samples;
    int rc = 0;
    size_t rounds = WARMUP_ROUNDS + opt->samples;
    for (size_t s = 0; rc == 0 && s < rounds; s++) {
        int timed = s >= WARMUP_ROUNDS;
        size_t t = s - (timed ? WARMUP_ROUNDS : 0);
        size_t i = (size_t)synth_rng_below(rng, opt->leads);
        char email[SYNTH_EMAIL_MAX + 32], absent[SYNTH_EMAIL_MAX + 32];
        rc = get_one(vault, ids[i], emails[i], s, timed ? &get_us[t] : NULL);
        if (rc != 0)
            break;
        i = (size_t)synth_rng_below(rng, opt->leads);
        synth_email_vary_case(email, sizeof email, emails[i], rng);
        rc = find_one(vault, email, ids[i], s, timed ? &find_us[t] : NULL);
        if (rc != 0)
            break;
        /* Same shape as the stored addresses, under a domain none of them uses. */
        snprintf(absent, sizeof absent, "absent.lead.%zu+%" PRIu64 "@no-such-company.example", s,
                 synth_rng_below(rng, 1000000000u));
        synth_email_vary_case(email, sizeof email, absent, rng);
        rc = find_one(vault, email, NULL, s, timed ? &missing_us[t] : NULL);
        r->audited_reads += 3;
    }
    if (rc == 0) {
        r->get.lat = latency_of(get_us, opt->samples);
        r->find.lat = latency_of(find_us, opt->samples);
        r->missing.lat = latency_of(missing_us, opt->samples);
    }
    free(us);
    return rc;
}

/* ---- report ---- */

static void print_results(const options *opt, const results *r)
{
    double n = (double)opt->leads;
    double rate = r->add_call_s > 0 ? n / r->add_call_s : 0;
    printf("\n[add] lv_lead_add, one call (one transaction) per lead\n");
    printf("  %-26s %" PRIu64 "\n", "leads added", opt->leads);
    printf("  %-26s %.2f s in lv_lead_add; %.2f s wall incl. input generation\n", "time",
           r->add_call_s, r->add_wall_s);
    printf("  %-26s %.1f leads/s\n", "throughput", rate);
    printf("  %-26s %.2f s user+sys of %.2f s wall (%.0f%% of the wall time not on CPU)\n",
           "process CPU time", r->add_cpu_s, r->add_wall_s,
           r->add_wall_s > 0 ? 100.0 * (1.0 - r->add_cpu_s / r->add_wall_s) : 0.0);
    print_latency("add latency (us)", &r->add);
    if (r->add_written >= 0)
        printf("  %-26s %.1f MiB, %.1f KiB per lead (/proc/self/io write_bytes, adds and "
               "close)\n",
               "written towards storage", (double)r->add_written / (1024.0 * 1024.0),
               (double)r->add_written / 1024.0 / n);

    printf("\n[size] after closing the vault (%.3f s: signed audit checkpoint, WAL moved into "
           "the file)\n",
           r->close_s);
    printf("  %-26s %lld bytes (%.1f MiB)\n", "vault file", r->size_after_add,
           (double)r->size_after_add / (1024.0 * 1024.0));
    printf("  %-26s %.1f (file / leads: lead row, 2 blind-index rows, audit entry)\n",
           "bytes per lead", (double)r->size_after_add / n);

    printf("\n[read] %zu timed rounds of get, find, find absent (after %u untimed rounds)\n",
           opt->samples, WARMUP_ROUNDS);
    printf("       all fields, purpose \"%s\" (legitimate interest: no consent lookup);\n"
           "       every read is audited and committed before it returns\n",
           PURPOSE);
    print_latency(r->get.what, &r->get.lat);
    print_latency(r->find.what, &r->find.lat);
    print_latency(r->missing.what, &r->missing.lat);
    printf("  %-26s %lld bytes after %" PRIu64 " audited reads (%.1f bytes per read)\n",
           "vault file after reads", r->size_after_reads, r->audited_reads,
           r->audited_reads
               ? (double)(r->size_after_reads - r->size_after_add) / (double)r->audited_reads
               : 0.0);

    printf("\n==== leadvault %s core benchmark: summary ====\n", lv_version());
    printf("%-30s %" PRIu64 " (seed %" PRIu64 ")\n", "leads", opt->leads, opt->seed);
    printf("%-30s %.1f leads/s (%.0f us per lead; KDF excluded)\n", "add throughput", rate,
           rate > 0 ? 1e6 / rate : 0.0);
    printf("%-30s median %.1f  p95 %.1f  p99 %.1f\n", "add latency (us)", r->add.median, r->add.p95,
           r->add.p99);
    printf("%-30s median %.1f  p95 %.1f  p99 %.1f\n", "get by id latency (us)", r->get.lat.median,
           r->get.lat.p95, r->get.lat.p99);
    printf("%-30s median %.1f  p95 %.1f  p99 %.1f\n", "find by email latency (us)",
           r->find.lat.median, r->find.lat.p95, r->find.lat.p99);
    printf("%-30s median %.1f  p95 %.1f  p99 %.1f\n", "find missing email (us)",
           r->missing.lat.median, r->missing.lat.p95, r->missing.lat.p99);
    printf("%-30s %lld bytes (%.1f MiB)\n", "vault file", r->size_after_add,
           (double)r->size_after_add / (1024.0 * 1024.0));
    printf("%-30s %.1f\n", "bytes per lead", (double)r->size_after_add / n);
    if (r->add_written >= 0)
        printf("%-30s %.1f KiB per lead added\n", "written towards storage",
               (double)r->add_written / 1024.0 / n);
    printf("%-30s create %.3f s, open %.3f s (Argon2id 19 MiB, 2 passes, 1 lane)\n",
           "KDF time (excluded)", r->create_s, r->open_s);
}

/* ---- arguments ---- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: bench_core [N] [--quick] [--samples K] [--seed S] [--dir DIR] [--keep]\n"
            "  N            leads to add (default %u; --quick: %u)\n"
            "  --samples K  timed read rounds: get, find, find absent (default %u; --quick: %u)\n"
            "  --seed S     seed of the synthetic leads and of the random picks (default %u)\n"
            "  --dir DIR    where to make the temporary directory (default $TMPDIR or /tmp);\n"
            "               its file system decides what an fsync costs\n"
            "  --keep       leave the vault on disk (passphrase in bench/bench_core.c)\n",
            DEFAULT_LEADS, QUICK_LEADS, DEFAULT_SAMPLES, QUICK_SAMPLES, DEFAULT_SEED);
}

static int parse_count(uint64_t *out, const char *text, uint64_t min, uint64_t max)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_options(options *opt, int argc, char **argv)
{
    int quick = 0;
    uint64_t leads = 0, samples = 0, seed = DEFAULT_SEED;
    opt->dir = NULL;
    opt->keep = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--quick") == 0) {
            quick = 1;
        } else if (strcmp(a, "--keep") == 0) {
            opt->keep = 1;
        } else if (strcmp(a, "--samples") == 0 && has_value) {
            if (parse_count(&samples, argv[++i], 1, 10000000u) != 0) {
                fprintf(stderr, "bench_core: --samples wants a count from 1 to 10000000\n");
                return -1;
            }
        } else if (strcmp(a, "--seed") == 0 && has_value) {
            if (parse_count(&seed, argv[++i], 0, UINT64_MAX) != 0) {
                fprintf(stderr, "bench_core: --seed wants an unsigned integer\n");
                return -1;
            }
        } else if (strcmp(a, "--dir") == 0 && has_value) {
            opt->dir = argv[++i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (parse_count(&leads, a, 1, MAX_LEADS) != 0) {
            fprintf(stderr, "bench_core: unknown argument or bad lead count: %s\n", a);
            return -1;
        }
    }
    opt->leads = leads ? leads : quick ? QUICK_LEADS : DEFAULT_LEADS;
    opt->samples = (size_t)(samples ? samples : quick ? QUICK_SAMPLES : DEFAULT_SAMPLES);
    opt->seed = seed;
    return 0;
}

/* ---- main ---- */

static int run(const options *opt, const char *path)
{
    lead_id_text *ids = calloc(opt->leads, sizeof *ids);
    email_text *emails = calloc(opt->leads, sizeof *emails);
    results r;
    memset(&r, 0, sizeof r);
    r.get.what = "get by id (us)";
    r.find.what = "find by email (us)";
    r.missing.what = "find missing email (us)";
    lv_vault *vault = NULL;
    int rc = -1;
    if (ids == NULL || emails == NULL) {
        fprintf(stderr, "bench_core: out of memory\n");
        goto done;
    }
    if (create_vault(&vault, path, &r.create_s) != 0)
        goto done;
    long long written0 = storage_write_bytes();
    if (add_leads(vault, opt, ids, emails, &r) != 0)
        goto done;
    rc = close_vault(vault, &r.close_s);
    vault = NULL;
    if (rc != 0)
        goto done;
    rc = -1;
    long long written1 = storage_write_bytes();
    r.add_written = written0 >= 0 && written1 >= written0 ? written1 - written0 : -1;
    r.size_after_add = vault_bytes(path);

    synth_rng rng;
    synth_rng_seed(&rng, opt->seed ^ 0x5DEECE66Du);
    if (open_vault(&vault, path, &r.open_s) != 0 ||
        read_phase(vault, opt, ids, emails, &rng, &r) != 0)
        goto done;
    double closing;
    rc = close_vault(vault, &closing);
    vault = NULL;
    if (rc != 0)
        goto done;
    r.size_after_reads = vault_bytes(path);
    print_results(opt, &r);
done:
    if (vault != NULL)
        (void)lv_vault_close(vault);
    free(ids);
    free(emails);
    return rc;
}

int main(int argc, char **argv)
{
    options opt;
    if (parse_options(&opt, argc, argv) != 0) {
        usage(stderr);
        return 2;
    }
    const char *parent = opt.dir;
    if (parent == NULL)
        parent = getenv("TMPDIR");
    if (parent == NULL || parent[0] == '\0')
        parent = "/tmp";
    char dir[4096], path[4120];
    if ((size_t)snprintf(dir, sizeof dir, "%s/leadvault-bench.XXXXXX", parent) >= sizeof dir ||
        mkdtemp(dir) == NULL) {
        fprintf(stderr, "bench_core: cannot make a temporary directory under %s: %s\n", parent,
                strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/bench.vault", dir);

    printf("leadvault %s core benchmark\n", lv_version());
    printf("  %-26s %s%s\n", "vault", path, opt.keep ? " (kept)" : " (removed at exit)");
    printf("  %-26s %" PRIu64 ", fields: first/last name, email, phone, company, title,\n"
           "  %-26s notes (~60 B), source, stage, country, signals; %zu samples per read\n",
           "leads", opt.leads, "", opt.samples);
    printf("  %-26s Argon2id %u MiB, %u iterations, 1 lane (the floor); KDF time is excluded\n"
           "  %-26s from every throughput and latency figure\n",
           "KDF", LV_KDF_MEMORY_KIB_MIN / 1024u, LV_KDF_ITERATIONS_MIN, "");
    fflush(stdout);

    int rc = run(&opt, path);
    if (!opt.keep)
        remove_vault(dir, path);
    return rc == 0 ? 0 : 1;
}
