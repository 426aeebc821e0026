/* bench_audit.c - how fast the whole audit log verifies.
 *
 * Creates a vault in a fresh temporary directory (Argon2id at the floor),
 * appends N audit entries through the library's own audit_append (the code
 * every operation uses), committed 10,000 to a transaction, with a signed
 * checkpoint (audit_sign_checkpoint) after each 10,000, then times
 * lv_audit_verify over the whole log: unlocked (the vault's own key) and
 * locked, with only the public key text. Prints entries verified per second
 * and total seconds of each. Not a test; run it by hand:
 *
 *   build/bench/bench_audit [N] [--dir DIR] [--keep]     (N default 1000000)
 *
 * The entries are a mix of realistic actions: reveals with a purpose and
 * field names, lookups matching 0 to 3 leads, adds and updates, imports of 3
 * leads, consent records, denials (code -5), user and audit operations, from
 * four actors. The lead ids are random: verification does not look them up.
 * Exit 1 when anything fails, including a verification that does not pass
 * or does not count every entry. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "leadvault.h"
#include "store.h"
#include "session.h"

#define DEFAULT_ENTRIES 1000000u
#define MAX_ENTRIES 1000000000u
#define PER_TRANSACTION 10000u /* and one signed checkpoint after each */
#define ADMIN_NAME "bench"

static const char passphrase[] = "audit benchmark passphrase, not a secret";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int failed(const char *what, int rc)
{
    fprintf(stderr, "bench_audit: %s: %s (%s)\n", what, lv_strerror(rc), lv_error_last());
    return 1;
}

/* xorshift64*: the same mix of entries on every run. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

typedef struct kind {
    unsigned weight; /* out of 100 */
    const char *action, *fields, *purpose, *subject, *request;
    int code;
    int min_ids, max_ids;
} kind;

static const kind kinds[] = {
    {34, "lead.get", "email,phone", "sales_followup", NULL, NULL, 0, 1, 1},
    {8, "lead.get", "first_name,last_name,email,phone,company,title,website,address,notes",
     "sales_followup", NULL, NULL, 0, 1, 1},
    {12, "lead.find.email", "first_name,last_name,email,phone,company,title,email2,phone2",
     "sales_followup", NULL, NULL, 0, 0, 3},
    {5, "lead.find.phone", "phone", "phone_outreach", NULL, NULL, 0, 0, 3},
    {12, "lead.add", "first_name,last_name,email,phone,company", NULL, NULL, NULL, 0, 1, 1},
    {8, "lead.update", "notes", NULL, NULL, NULL, 0, 1, 1},
    {6, "lead.list", NULL, NULL, NULL, NULL, 0, 0, 0},
    {4, "lead.import", "first_name,last_name,email,phone", NULL, NULL, NULL, 0, 3, 3},
    {4, "consent.grant", NULL, "email_marketing", NULL, NULL, 0, 1, 1},
    {1, "consent.withdraw", NULL, "email_marketing", NULL, NULL, 0, 1, 1},
    {2, "lead.get", "", "subject_request", NULL, NULL, LV_EDENIED, 1, 1},
    {1, "lead.erase", "first_name,email", NULL, "art. 17(1)(b)", "REQ-2026-0042", 0, 1, 1},
    {1, "subject.export",
     "first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2",
     "subject_request", NULL, "REQ-2026-0043", 0, 1, 1},
    {1, "user.add", NULL, NULL, "dave", NULL, 0, 0, 0},
    {1, "audit.show", NULL, NULL, NULL, NULL, 0, 0, 0},
};

static const kind *pick(uint64_t *state)
{
    unsigned roll = (unsigned)(next_random(state) % 100), sum = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        sum += kinds[i].weight;
        if (roll < sum)
            return &kinds[i];
    }
    return &kinds[0];
}

typedef struct options {
    uint64_t entries;
    const char *dir;
    int keep;
} options;

static int parse(options *o, int argc, char **argv)
{
    o->entries = DEFAULT_ENTRIES;
    o->dir = getenv("TMPDIR") != NULL && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";
    o->keep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0) {
            o->keep = 1;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            o->dir = argv[++i];
        } else if (argv[i][0] >= '1' && argv[i][0] <= '9') {
            char *end = NULL;
            unsigned long long n = strtoull(argv[i], &end, 10);
            if (*end != '\0' || n > MAX_ENTRIES)
                return -1;
            o->entries = n;
        } else {
            return -1;
        }
    }
    return 0;
}

/* Append count entries, PER_TRANSACTION to a transaction, each batch
 * followed by a signed checkpoint. */
static int append_entries(lv_vault *vault, uint64_t count, uint64_t *checkpoints)
{
    static const char *const actors[] = {ADMIN_NAME, "bob", "carol", "erin"};
    static const lv_role roles[] = {LV_ROLE_ADMIN, LV_ROLE_SALES, LV_ROLE_SALES,
                                    LV_ROLE_COMPLIANCE};
    char own_name[sizeof vault->user];
    memcpy(own_name, vault->user, sizeof own_name);
    lv_role own_role = vault->role;
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    unsigned char ids[3 * LV_ID_BYTES];
    int rc = 0;
    for (uint64_t done = 0; rc == 0 && done < count;) {
        uint64_t batch = count - done < PER_TRANSACTION ? count - done : PER_TRANSACTION;
        if ((rc = store_begin(vault->store)) != 0)
            break;
        for (uint64_t i = 0; rc == 0 && i < batch; i++) {
            const kind *k = pick(&state);
            size_t who = (size_t)(next_random(&state) % 4);
            snprintf(vault->user, sizeof vault->user, "%s", actors[who]);
            vault->role = roles[who];
            int n = k->min_ids;
            if (k->max_ids > k->min_ids)
                n += (int)(next_random(&state) % (uint64_t)(k->max_ids - k->min_ids + 1));
            for (int j = 0; j < n; j++) {
                uint64_t a = next_random(&state), b = next_random(&state);
                memcpy(ids + j * LV_ID_BYTES, &a, 8);
                memcpy(ids + j * LV_ID_BYTES + 8, &b, 8);
            }
            audit_event event = {.action = k->action,
                                 .subject = k->subject,
                                 .lead_ids = ids,
                                 .lead_count = (size_t)n,
                                 .fields = k->fields,
                                 .purpose = k->purpose,
                                 .request = k->request,
                                 .code = k->code};
            rc = audit_append(vault, &event);
        }
        memcpy(vault->user, own_name, sizeof own_name);
        vault->role = own_role;
        if (rc != 0) {
            store_rollback(vault->store);
            break;
        }
        if ((rc = store_commit(vault->store)) != 0) {
            store_rollback(vault->store);
            break;
        }
        if ((rc = audit_sign_checkpoint(vault)) != 0)
            break;
        ++*checkpoints;
        done += batch;
    }
    return rc;
}

static void print_verify(const char *how, const lv_audit_report *r, double seconds)
{
    printf("verify %-9s %" PRIu64 " entries, %" PRIu64 " checkpoint signatures in %.3f s: "
           "%.0f entries/s\n",
           how, r->entries, r->checkpoints, seconds,
           seconds > 0 ? (double)r->entries / seconds : 0.0);
}

int main(int argc, char **argv)
{
    options o;
    if (parse(&o, argc, argv) != 0) {
        fprintf(stderr, "usage: bench_audit [N] [--dir DIR] [--keep]\n");
        return 2;
    }
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/bench-audit.XXXXXX", o.dir);
    if (mkdtemp(dir) == NULL) {
        perror("bench_audit: mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/vault.lv", dir);

    lv_create_options create = LV_CREATE_OPTIONS_INIT;
    create.admin_name = ADMIN_NAME;
    create.passphrase = passphrase;
    create.passphrase_len = strlen(passphrase);
    create.kdf = (lv_kdf_params){LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 0};
    create.os_user = "bench";
    lv_vault *vault = NULL;
    int rc = lv_vault_create(&vault, path, &create);
    if (rc != 0)
        return failed("create", rc);

    uint64_t checkpoints = 0;
    double t0 = now_s();
    rc = append_entries(vault, o.entries, &checkpoints);
    double append_s = now_s() - t0;
    if (rc != 0)
        return failed("append", rc);
    char pubkey[LV_AUDIT_TEXT_MAX], fingerprint[48];
    if ((rc = lv_audit_pubkey(vault, pubkey, fingerprint)) != 0)
        return failed("pubkey", rc);
    uint64_t expected = o.entries + 1; /* and vault.create */
    printf("bench_audit: %" PRIu64 " entries appended in %.3f s (%.0f entries/s), "
           "%" PRIu64 " checkpoints signed\n",
           o.entries, append_s, append_s > 0 ? (double)o.entries / append_s : 0.0, checkpoints);

    /* Unlocked: the vault's own key. It appends its audit.verify entry. */
    lv_audit_report report;
    t0 = now_s();
    rc = lv_audit_verify(vault, NULL, NULL, &report);
    double unlocked_s = now_s() - t0;
    if (rc != 0)
        return failed("verify unlocked", rc);
    if (report.entries != expected) {
        fprintf(stderr,
                "bench_audit: unlocked verify counted %" PRIu64 " entries, not %" PRIu64 "\n",
                report.entries, expected);
        return 1;
    }
    print_verify("unlocked:", &report, unlocked_s);
    if ((rc = lv_vault_close(vault)) != 0)
        return failed("close", rc);

    struct stat sb;
    if (stat(path, &sb) == 0)
        printf("vault file: %.1f MiB (%.0f bytes per entry)\n", (double)sb.st_size / 1048576.0,
               (double)sb.st_size / (double)(expected + 1));

    /* Locked: only the public key text, as an auditor without a passphrase. */
    lv_open_options open_opts = LV_OPEN_OPTIONS_INIT;
    if ((rc = lv_vault_open(&vault, path, &open_opts)) != 0)
        return failed("open locked", rc);
    t0 = now_s();
    rc = lv_audit_verify(vault, pubkey, NULL, &report);
    double locked_s = now_s() - t0;
    if (rc != 0)
        return failed("verify locked", rc);
    if (report.entries != expected + 1) { /* the unlocked run's audit.verify */
        fprintf(stderr, "bench_audit: locked verify counted %" PRIu64 " entries, not %" PRIu64 "\n",
                report.entries, expected + 1);
        return 1;
    }
    print_verify("locked:", &report, locked_s);
    (void)lv_vault_close(vault);

    if (o.keep) {
        printf("kept %s\n", path);
    } else {
        static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            char file[640];
            snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
            unlink(file);
        }
        rmdir(dir);
    }
    return 0;
}
