/* bench_report.c - the compliance reports at scale: N leads (imported, each
 * with an email_marketing consent), N audit entries (a mix of reveals,
 * finds, exports, denials, failed unlocks and consent changes naming real
 * leads), two retention rules and a hold; then every report kind in every
 * format, timed, with the peak memory of the process. Not a test: run it
 * by hand,
 *
 *     build/bench/bench_report            (1,000,000 leads and entries)
 *     build/bench/bench_report 100000 [--dir DIR] [--keep]
 *
 * Each report verifies the whole audit log first, so every figure
 * includes one verification. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "leadvault.h"
#include "session.h"
#include "store.h"

#define BATCH 10000u
static const char passphrase[] = "report benchmark passphrase, not a secret";

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int stop(const char *what, int rc)
{
    fprintf(stderr, "bench_report: %s: %s (%s)\n", what, lv_strerror(rc), lv_error_last());
    return 1;
}

/* ---- leads, as a CSV stream ---- */

typedef struct csv_source {
    uint64_t next, count;
    int header_done;
} csv_source;

static int read_csv(void *ctx, char *buf, size_t cap, size_t *got)
{
    static const char *const sources[] = {"webinar", "trade_show", "referral", "ebook",
                                          "website_form"};
    static const char *const stages[] = {"new", "contacted", "qualified", "lost", "nurturing"};
    csv_source *s = ctx;
    size_t at = 0;
    if (!s->header_done) {
        at = (size_t)snprintf(buf, cap, "first_name,last_name,email,phone,company,source,stage\n");
        s->header_done = 1;
    }
    while (s->next < s->count && cap - at > 256) {
        uint64_t i = s->next++;
        at += (size_t)snprintf(buf + at, cap - at,
                               "Bench%" PRIu64 ",Lead%" PRIu64 ",lead%" PRIu64
                               "@bench.example,+4930%08" PRIu64 ",Company %" PRIu64 ",%s,%s\n",
                               i, i % 977, i, i, i % 5003, sources[i % 5], stages[i % 5]);
    }
    *got = at;
    return 0;
}

typedef struct id_list {
    unsigned char *ids;
    size_t n, cap;
} id_list;

static int collect_id(void *ctx, const lv_lead_meta *meta)
{
    id_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1 << 16;
        unsigned char *grown = realloc(l->ids, cap * LV_ID_BYTES);
        if (grown == NULL)
            return 1;
        l->ids = grown;
        l->cap = cap;
    }
    for (int i = 0; i < LV_ID_BYTES; i++) {
        unsigned byte;
        if (sscanf(meta->id + 2 * i, "%2x", &byte) != 1)
            return 1;
        l->ids[l->n * LV_ID_BYTES + (size_t)i] = (unsigned char)byte;
    }
    l->n++;
    return 0;
}

/* ---- audit entries ---- */

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* One entry of the mix, in the caller's transaction, naming real leads. */
static int append_one(lv_vault *vault, const id_list *leads, uint64_t *rng)
{
    unsigned char ids[100 * LV_ID_BYTES];
    unsigned roll = (unsigned)(xorshift(rng) % 100);
    audit_event e = {.action = "lead.get", .purpose = "sales_followup", .lead_count = 1,
                     .fields = "email,phone"};
    const char *actor = "bob";
    if (roll < 15) {
        e.purpose = "email_marketing";
        actor = "carol";
    } else if (roll < 25) {
        e.action = "lead.find.email";
        e.lead_count = (size_t)(xorshift(rng) % 3);
    } else if (roll < 30) {
        e.code = LV_EDENIED;
        e.purpose = "profiling";
    } else if (roll < 32) {
        e.action = "vault.unlock";
        e.code = LV_EAUTH;
        e.lead_count = 0;
        e.purpose = e.fields = NULL;
        actor = "mallory";
    } else if (roll < 40) {
        e.action = "consent.grant";
        e.purpose = "email_marketing";
        e.fields = NULL;
    } else if (roll < 45) {
        e.action = "lead.list";
        e.lead_count = 0;
        e.purpose = e.fields = NULL;
    } else if (roll < 46) {
        e.action = "lead.export";
        e.lead_count = 100;
    } else if (roll < 50) {
        e.action = "lead.update";
        e.purpose = NULL;
        e.fields = "notes";
    }
    for (size_t i = 0; i < e.lead_count; i++)
        memcpy(ids + i * LV_ID_BYTES, leads->ids + (xorshift(rng) % leads->n) * LV_ID_BYTES,
               LV_ID_BYTES);
    e.lead_ids = ids;
    snprintf(vault->user, sizeof vault->user, "%s", actor);
    return audit_append(vault, &e);
}

static int append_entries(lv_vault *vault, const id_list *leads, uint64_t count)
{
    char own[sizeof vault->user];
    memcpy(own, vault->user, sizeof own);
    uint64_t rng = 0x243F6A8885A308D3ULL;
    int rc = 0;
    for (uint64_t done = 0; rc == 0 && done < count; done += BATCH) {
        if ((rc = store_begin(vault->store)) != 0)
            break;
        for (uint64_t i = 0; rc == 0 && i < BATCH && done + i < count; i++)
            rc = append_one(vault, leads, &rng);
        memcpy(vault->user, own, sizeof own);
        if (rc == 0)
            rc = store_commit(vault->store);
        else
            store_rollback(vault->store);
        if (rc == 0)
            rc = audit_sign_checkpoint(vault);
    }
    return rc;
}

/* ---- reports ---- */

typedef struct byte_count {
    uint64_t bytes;
} byte_count;

static int count_bytes(void *ctx, const char *data, size_t len)
{
    (void)data;
    ((byte_count *)ctx)->bytes += len;
    return 0;
}

/* CPU seconds (user and system) of the process so far: on a shared
 * machine the wall time also counts other processes' turns. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

int main(int argc, char **argv)
{
    uint64_t n = 1000000;
    const char *base = getenv("TMPDIR") != NULL && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            base = argv[++i];
        else if (argv[i][0] >= '1' && argv[i][0] <= '9')
            n = strtoull(argv[i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_report [N] [--dir DIR] [--keep]\n");
            return 2;
        }
    }
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/bench-report.XXXXXX", base);
    if (mkdtemp(dir) == NULL) {
        perror("bench_report: mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/vault.lv", dir);
    lv_create_options create = LV_CREATE_OPTIONS_INIT;
    create.admin_name = "alice";
    create.passphrase = passphrase;
    create.passphrase_len = strlen(passphrase);
    create.kdf = (lv_kdf_params){LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 0};
    lv_vault *vault = NULL;
    int rc = lv_vault_create(&vault, path, &create);
    if (rc != 0)
        return stop("create", rc);

    double t0 = seconds();
    csv_source src = {0, n, 0};
    lv_import_options import = LV_IMPORT_OPTIONS_INIT;
    import.consent_purpose = "email_marketing";
    import.evidence = "bench signup form";
    lv_import_summary summary;
    if ((rc = lv_import(vault, read_csv, &src, &import, &summary)) != 0)
        return stop("import", rc);
    printf("bench_report: %" PRIu64 " leads imported with a consent each in %.1f s\n",
           summary.imported, seconds() - t0);
    id_list leads = {0};
    if ((rc = lv_lead_list(vault, NULL, collect_id, &leads)) != 0 || leads.n == 0)
        return stop("list", rc);
    lv_retention_rule lost = {.name = "lost_2y", .stage = "lost",
                              .older_than_ms = 730LL * 24 * 3600 * 1000};
    lv_retention_rule stale = {.name = "stale_new", .stage = "new",
                               .inactive_ms = 180LL * 24 * 3600 * 1000};
    char first[LV_ID_STRLEN + 1];
    for (int i = 0; i < LV_ID_BYTES; i++)
        snprintf(first + 2 * i, 3, "%02x", leads.ids[i]);
    if ((rc = lv_retention_add(vault, &lost)) != 0 || (rc = lv_retention_add(vault, &stale)) != 0 ||
        (rc = lv_hold_set(vault, first, "case BENCH-1")) != 0 ||
        (rc = lv_setting_set(vault, "controller", "Bench Leads GmbH")) != 0 ||
        (rc = lv_user_add(vault, "cora", LV_ROLE_COMPLIANCE, passphrase, strlen(passphrase),
                          &create.kdf)) != 0)
        return stop("setup", rc);
    t0 = seconds();
    if ((rc = append_entries(vault, &leads, n)) != 0)
        return stop("audit entries", rc);
    printf("bench_report: %" PRIu64 " audit entries appended in %.1f s\n", n, seconds() - t0);
    free(leads.ids);
    if ((rc = lv_vault_close(vault)) != 0)
        return stop("close", rc);

    lv_open_options open = LV_OPEN_OPTIONS_INIT;
    open.user = "cora";
    open.passphrase = passphrase;
    open.passphrase_len = strlen(passphrase);
    if ((rc = lv_vault_open(&vault, path, &open)) != 0)
        return stop("open", rc);
    static const char *const kinds[] = {"processing", "access", "consent", "retention", "erasure"};
    static const char *const formats[] = {"html", "csv", "json"};
    printf("%-11s %-5s %9s %9s %12s\n", "report", "form", "wall s", "cpu s", "bytes");
    for (size_t k = 0; k < 5; k++) {
        for (size_t f = 0; f < 3; f++) {
            lv_report_options opts = LV_REPORT_OPTIONS_INIT;
            if (lv_report_kind_parse(&opts.kind, kinds[k]) != 0 ||
                lv_report_format_parse(&opts.format, formats[f]) != 0)
                return stop("parse", LV_EINVAL);
            byte_count out = {0};
            t0 = seconds();
            double cpu0 = cpu_seconds();
            if ((rc = lv_report(vault, &opts, count_bytes, &out)) != 0)
                return stop(kinds[k], rc);
            printf("%-11s %-5s %9.2f %9.2f %12" PRIu64 "\n", kinds[k], formats[f],
                   seconds() - t0, cpu_seconds() - cpu0, out.bytes);
            fflush(stdout);
        }
    }
    printf("bench_report: peak RSS %ld MiB\n", peak_rss_mib());
    lv_vault_close(vault);
    if (!keep) {
        static const char *const suffixes[] = {"", "-wal", "-shm"};
        for (size_t i = 0; i < 3; i++) {
            char file[640];
            snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
            unlink(file);
        }
        rmdir(dir);
    } else {
        printf("bench_report: kept %s\n", path);
    }
    return 0;
}
