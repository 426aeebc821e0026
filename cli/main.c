/* main.c - leadvault: global options, dispatch, help, init and check. */
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"

/* ---- help ---- */

typedef struct help_topic {
    const char *topic;
    const char *text;
} help_topic;

static const char overview[] =
    "leadvault - an encrypted vault for sales-lead personal data\n"
    "\n"
    "usage: leadvault [--vault PATH] [--user NAME] [--passphrase-file FILE | --passphrase-fd N]\n"
    "                 [--json] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  init --admin NAME             create a vault and its first (admin) user\n"
    "  user add|list|remove|passwd   manage users (keyslots)\n"
    "  lead add|get|find|list|update store and reveal leads\n"
    "  purpose add|list|retire       purposes: lawful basis, fields, roles\n"
    "  consent grant|withdraw|show   consent records per lead and purpose\n"
    "  stats                         lead counts by stage, source, consent (no PII)\n"
    "  import FILE|-                 bulk import from CSV or JSON Lines\n"
    "  export --purpose P            the leads and fields a purpose allows (CSV / JSONL)\n"
    "  erase (ID | --email E | --phone P) --request REF\n"
    "                                provable erasure (crypto-shredding), signed receipt\n"
    "  suppress check|remove         the suppression list of erased people\n"
    "  receipt verify FILE           verify an erasure receipt\n"
    "  hold set|clear|list           legal holds (held leads are never erased)\n"
    "  retention add|list|remove|plan|run\n"
    "                                retention rules, enforced through erasure\n"
    "  subject export                subject access / portability export\n"
    "  backup --out FILE, restore FILE\n"
    "                                backups; a restore re-applies later erasures\n"
    "  check                         verify every sealed value and the file\n"
    "  audit show|export|pubkey|checkpoint|verify\n"
    "                                read and verify the tamper-evident audit log\n"
    "  help [COMMAND ...]            help for a command, e.g. 'leadvault help lead add'\n"
    "  version                       print the version\n"
    "\n"
    "global options (before or after the command):\n"
    "  --vault PATH            vault file (env LEADVAULT_VAULT)\n"
    "  --user NAME             vault user (env LEADVAULT_USER)\n"
    "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
    "                          (env LEADVAULT_PASSPHRASE_FILE); otherwise it is asked on the\n"
    "                          terminal with echo off. Never given on the command line.\n"
    "  --passphrase-fd N       read the passphrase from file descriptor N\n"
    "  --json                  print one JSON document on stdout\n"
    "\n"
    "exit codes:\n"
    "  0 ok, 1 error, 2 usage or invalid input, 3 wrong passphrase or unknown user,\n"
    "  4 not found, 5 denied by policy, 6 integrity failure (tampered or corrupt data),\n"
    "  7 vault busy (locked by another writer), 8 storage full (disk or file size limit),\n"
    "  9 vault file or folder read-only\n";

static const help_topic topics[] = {
    {"init",
     "usage: leadvault init --admin NAME [--new-passphrase-file FILE] [--kdf-memory MIB]\n"
     "                      [--kdf-iterations N] [--kdf-parallelism N]\n"
     "Create a new vault file (mode 0600; an existing file is never overwritten) with NAME as\n"
     "its first user, role admin. The passphrase comes from --new-passphrase-file, the global\n"
     "passphrase options, or is asked twice on the terminal.\n"
     "Argon2id defaults: 64 MiB, 3 iterations, parallelism 4; anything below 19 MiB or 2\n"
     "iterations is refused.\n"},
    {"user",
     "usage: leadvault user add NAME --role admin|sales|compliance|auditor [--new-passphrase-file FILE]\n"
     "       leadvault user list\n"
     "       leadvault user remove NAME\n"
     "       leadvault user passwd [--new-passphrase-file FILE]\n"
     "Users are keyslots: each wraps the vault master key under its own passphrase.\n"
     "Only admins add, list and remove users; every user may change their own passphrase.\n"},
    {"user add",
     "usage: leadvault user add NAME --role admin|sales|compliance|auditor\n"
     "                          [--new-passphrase-file FILE] [--kdf-memory MIB]\n"
     "                          [--kdf-iterations N] [--kdf-parallelism N]\n"
     "Add a user with their own passphrase (admin only).\n"},
    {"user list", "usage: leadvault user list\nList users, roles and KDF settings (admin only).\n"},
    {"user remove",
     "usage: leadvault user remove NAME\nDelete a user's keyslot (admin only). The last admin "
     "and yourself cannot be removed.\n"},
    {"user passwd",
     "usage: leadvault user passwd [--new-passphrase-file FILE]\n"
     "Change your own passphrase. Only your keyslot is rewrapped; no data is re-encrypted.\n"},
    {"lead",
     "usage: leadvault lead add|get|find|list|update ...\n"
     "See 'leadvault help lead add' and the others.\n"},
    {"lead add",
     "usage: leadvault lead add [--first-name T] [--last-name T] [--email E] [--phone P]\n"
     "         [--company T] [--title T] [--website U] [--address T] [--notes T]\n"
     "         [--email2 E] [--phone2 P]   (secondary contacts, searchable like the primary)\n"
     "         [--source CH] [--source-detail T] [--stage ST] [--owner USER] [--country CC]\n"
     "         [--incentive yes|no|unknown] [--verified yes|no|unknown] [--aware yes|no|unknown]\n"
     "Store a lead; prints its id. At least one of first name, last name, email, phone,\n"
     "email2 or phone2.\n"
     "Every personal field is sealed on its own; source, source detail, stage, owner, country\n"
     "and the signals are plain metadata (do not put personal data in --source-detail).\n"
     "channels: advertising trade_show direct_mail third_party_list webinar ebook podcast\n"
     "          social_media lead_magnet networking chamber_of_commerce referral local_media\n"
     "          community_event website_form other (default other)\n"
     "stages:   new contacted qualified unqualified nurturing converted lost (default new)\n"
     "signals:  incentive (was an incentive given for the contact data), verified (is the data\n"
     "          verified), aware (did the person know sales would follow); default unknown.\n"
     "quality:  high when verified=yes, aware=yes and incentive is not yes; low when verified=no,\n"
     "          aware=no, or incentive=yes without verified=yes; medium otherwise.\n"},
    {"lead get",
     "usage: leadvault lead get ID --purpose PURPOSE [--fields f1,f2]\n"
     "Reveal a lead's fields for a stated purpose. The access is written to the audit log\n"
     "before anything is printed.\n"
     "fields: first_name last_name email phone company title website address notes email2\n"
     "        phone2\n"},
    {"lead find",
     "usage: leadvault lead find (--email E | --phone P) --purpose PURPOSE [--fields f1,f2]\n"
     "Find leads by exact email (case and surrounding space ignored) or phone (digits with\n"
     "country code), through a blind index; every candidate is decrypted and compared.\n"},
    {"lead list",
     "usage: leadvault lead list [--stage S] [--source S] [--owner U]\n"
     "List lead metadata: id, stage, source, owner, country, quality, times. No personal data.\n"},
    {"lead update",
     "usage: leadvault lead update ID [the options of lead add] [--last-contact TIME]\n"
     "Change the given fields; an empty value (--notes '') clears a field.\n"},
    {"audit",
     "usage: leadvault audit show [--lead ID] [--user U] [--action A] [--since T] [--until T]\n"
     "       leadvault audit export [--format jsonl] [--out FILE]\n"
     "       leadvault audit pubkey [--out FILE]\n"
     "       leadvault audit checkpoint [--out FILE]\n"
     "       leadvault audit verify [--pubkey FILE] [--checkpoint FILE] [--log FILE.jsonl]\n"
     "Every operation appends a hash-chained entry (never a value or secret); each command\n"
     "that appended signs a checkpoint with the vault's Ed25519 audit key.\n"
     "show and export need the compliance or auditor role; pubkey, checkpoint and verify\n"
     "any role. verify with --pubkey needs no passphrase; with --log it needs no vault.\n"},
    {"audit show",
     "usage: leadvault audit show [--lead ID] [--user U] [--action A] [--since T] [--until T]\n"
     "Show audit entries (times are RFC 3339 UTC, e.g. 2026-11-26T00:00:00.000Z).\n"},
    {"audit export",
     "usage: leadvault audit export [--format jsonl] [--out FILE]\n"
     "Export the log as JSON Lines: a header, the signed checkpoints, then one entry per line\n"
     "with seq, hash and prev_hash. The file is created 0600.\n"},
    {"audit pubkey",
     "usage: leadvault audit pubkey [--out FILE]\nPrint the audit public key and its fingerprint.\n"},
    {"audit checkpoint",
     "usage: leadvault audit checkpoint [--out FILE]\n"
     "Print the latest signed checkpoint (signing the current head first if needed). Keep it\n"
     "outside the vault: a later 'audit verify --checkpoint FILE' proves the log still extends it.\n"},
    {"audit verify",
     "usage: leadvault audit verify [--pubkey FILE] [--checkpoint FILE] [--log FILE.jsonl]\n"
     "Recompute the whole hash chain and every checkpoint signature. Exit 0 with a summary, or\n"
     "exit 6 naming the first bad entry. Entries after the last signature are a warning.\n"},
    {"purpose",
     "usage: leadvault purpose add NAME --basis consent|legitimate_interest|contract|legal_obligation\n"
     "                         --fields f1,f2 --roles r1,r2\n"
     "       leadvault purpose list\n"
     "       leadvault purpose retire NAME\n"
     "A purpose says which fields may be revealed, by which roles, on which lawful basis.\n"
     "Where the basis is consent, a lead must hold an active consent for it. Defaults:\n"
     "email_marketing, phone_outreach, direct_mail, profiling (consent), sales_followup\n"
     "(legitimate interest), subject_request (legal obligation; compliance only).\n"
     "Admins add and retire purposes; retiring keeps the consent history readable.\n"},
    {"purpose add",
     "usage: leadvault purpose add NAME --basis BASIS --fields f1,f2 --roles r1,r2\n"},
    {"purpose list", "usage: leadvault purpose list\n"},
    {"purpose retire", "usage: leadvault purpose retire NAME\n"},
    {"consent",
     "usage: leadvault consent grant ID PURPOSE --evidence TEXT [--notice-version V] [--expires DATE]\n"
     "       leadvault consent withdraw ID PURPOSE [--reason TEXT]\n"
     "       leadvault consent show ID\n"
     "Consent history is append-only; evidence and reasons are sealed like personal data.\n"
     "grant and withdraw: admin, sales, compliance. show: admin, compliance.\n"},
    {"consent grant",
     "usage: leadvault consent grant ID PURPOSE --evidence TEXT [--notice-version V] [--expires DATE]\n"},
    {"consent withdraw", "usage: leadvault consent withdraw ID PURPOSE [--reason TEXT]\n"},
    {"consent show", "usage: leadvault consent show ID\n"},
    {"stats",
     "usage: leadvault stats\nCounts of leads by stage, source and active consent per purpose;\n"
     "no personal data. Any role. With --json the number of leads is under \"total\".\n"},
    {"erase",
     "usage: leadvault erase (ID | --email E | --phone P) --request REF [--ground TEXT]\n"
     "                       [--no-suppress] [--receipt FILE]\n"
     "Erase a lead (or every lead with that email or phone): its data key, every sealed field,\n"
     "its index entries and consent records are deleted with secure_delete, the write-ahead\n"
     "log is truncated, and a tombstone (id, time, request, ground) is kept. Unless\n"
     "--no-suppress, the email and phone go on the suppression list so the person cannot be\n"
     "added or imported again. --receipt writes a signed JSON receipt (0600). A lead under\n"
     "legal hold is refused (exit 5). Roles admin, compliance.\n"},
    {"suppress",
     "usage: leadvault suppress check (--email E | --phone P)\n"
     "       leadvault suppress remove (--email E | --phone P)\n"
     "check: admin, sales, compliance. remove (a person who asks to come back): admin.\n"},
    {"suppress check", "usage: leadvault suppress check (--email E | --phone P)\n"},
    {"suppress remove", "usage: leadvault suppress remove (--email E | --phone P)\n"},
    {"receipt",
     "usage: leadvault receipt verify FILE [--pubkey FILE]\n"
     "Check an erasure receipt's signature; any changed byte fails (exit 6).\n"},
    {"receipt verify", "usage: leadvault receipt verify FILE [--pubkey FILE]\n"},
    {"hold",
     "usage: leadvault hold set ID --reason TEXT | hold clear ID | hold list\n"
     "A held lead is skipped by retention and refused by erase. Roles admin, compliance.\n"},
    {"hold set", "usage: leadvault hold set ID --reason TEXT\n"},
    {"hold clear", "usage: leadvault hold clear ID\n"},
    {"hold list", "usage: leadvault hold list\n"},
    {"retention",
     "usage: leadvault retention add NAME [--stage S] [--source S] [--no-consent]\n"
     "                              [--consent-withdrawn] (--older-than AGE | --inactive AGE)\n"
     "       leadvault retention list | remove NAME\n"
     "       leadvault retention plan [--as-of DATE]\n"
     "       leadvault retention run [--request REF] [--receipt FILE]\n"
     "AGE: a number and h, d, w or y (365 days), e.g. 180d. --older-than counts from the\n"
     "lead's creation, --inactive from its last contact (or creation). A lead is due when\n"
     "every condition of a rule holds. plan changes nothing; run erases what is due through\n"
     "the erase path (no suppression), skips held leads, and writes one receipt. Roles admin,\n"
     "compliance.\n"},
    {"retention add", "usage: leadvault retention add NAME [conditions] (--older-than AGE | --inactive AGE)\n"},
    {"retention list", "usage: leadvault retention list\n"},
    {"retention remove", "usage: leadvault retention remove NAME\n"},
    {"retention plan", "usage: leadvault retention plan [--as-of DATE]\n"},
    {"retention run", "usage: leadvault retention run [--request REF] [--receipt FILE]\n"},
    {"subject",
     "usage: leadvault subject export (ID | --email E | --phone P) --request REF --out FILE\n"
     "                                [--format json|csv]\n"
     "Everything held on a person: every field in clear, the metadata, the consent history\n"
     "with evidence, and every access to the lead from the audit log. File created 0600.\n"
     "CSV rows are lead_id,section,item,name,value; cells starting with = + - @ tab or CR\n"
     "get a leading apostrophe. Compliance role.\n"},
    {"subject export", "usage: leadvault subject export (ID | --email E | --phone P) --request REF --out FILE [--format json|csv]\n"},
    {"backup",
     "usage: leadvault backup --out FILE\n"
     "Online, consistent copy of the vault (SQLite backup API), created 0600. Admin.\n"},
    {"restore",
     "usage: leadvault restore FILE\n"
     "Bring back from a backup of this vault every lead the vault lacks and never erased,\n"
     "with its consent records (one transaction). Leads the vault holds keep their newer\n"
     "state; users, purposes, holds, rules, the suppression list and the audit log stay the\n"
     "current ones. Admin.\n"},
    {"import",
     "usage: leadvault import FILE|- [--format csv|jsonl] [--map \"Header=field\" ...]\n"
     "         [--delimiter C] [--source CHANNEL] [--consent PURPOSE --evidence TEXT]\n"
     "         [--on-duplicate skip|update|error] [--reject-file FILE] [--atomic] [--dry-run]\n"
     "Import leads from a CSV (RFC 4180, header row; LF, CRLF or CR; UTF-8 with or without\n"
     "BOM) or JSON Lines file. Headers of HubSpot, Salesforce and similar exports map by\n"
     "themselves; --map \"Header=field\" overrides (field: a lead field, source,\n"
     "source_detail, stage, owner, country, incentive, verified, aware, last_contact,\n"
     "address_part, full_name, or ignore). Unknown columns are reported. An unknown source\n"
     "or status never rejects a row: the channel becomes other (value kept in source_detail,\n"
     "which is plain metadata) and the stage new. Duplicates (email, then phone) of stored\n"
     "leads or earlier rows are skipped by default; people on the suppression list are\n"
     "skipped. Bad rows are rejected with their line number (never their values) and, with\n"
     "--reject-file, written as read (0600; CSV with its header line) for fixing. Rows commit in batches of\n"
     "10000, each audited with its lead ids; --atomic stores all or nothing, --dry-run\n"
     "stores nothing. Roles admin, sales.\n"},
    {"export",
     "usage: leadvault export --purpose P [--format csv|jsonl] [--out FILE] [--stage S]\n"
     "                        [--source S]\n"
     "Export exactly the leads the purpose allows (where its basis is consent: those with an\n"
     "active consent) with only the purpose's fields, as CSV (header: id and the fields) or\n"
     "JSON Lines. CSV cells that a spreadsheet would run as a formula (starting with = + - @,\n"
     "tab or CR) get a leading apostrophe. Every exported lead id is in the audit log before\n"
     "anything is written; --out files are created 0600. Roles as lead get.\n"},
    {"check",
     "usage: leadvault check\n"
     "Run SQLite's integrity check, verify every keyslot, and open every sealed value.\n"
     "Exit 6 naming each bad lead and field (never a value). Any role may run it.\n"},
};

int print_help(const char *topic)
{
    if (topic == NULL || topic[0] == '\0') {
        (void)fputs(overview, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
        if (strcmp(topics[i].topic, topic) == 0) {
            (void)fputs(topics[i].text, stdout);
            return EXIT_OK;
        }
    }
    (void)fprintf(stderr, "leadvault: no help for '%s'\n", topic);
    return EXIT_USAGE;
}

/* ---- shared ---- */

static const char *os_user_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw != NULL ? pw->pw_name : NULL;
}

int cli_open_vault(lv_vault **out, const cli *c)
{
    *out = NULL;
    if (c->vault_path == NULL)
        return usage_error(c, "no vault given (--vault PATH or LEADVAULT_VAULT)");
    if (c->user == NULL)
        return usage_error(c, "no user given (--user NAME or LEADVAULT_USER)");
    passphrase pass;
    int rc = passphrase_read(&pass, c, "Vault passphrase: ");
    if (rc != 0)
        return rc;
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = c->user;
    opts.passphrase = pass.text;
    opts.passphrase_len = pass.len;
    opts.os_user = os_user_name();
    rc = lv_vault_open(out, c->vault_path, &opts);
    passphrase_free(&pass);
    return rc != 0 ? fail(c, rc) : 0;
}

int cli_close_vault(const cli *c, lv_vault *vault, int exit_code)
{
    int rc = lv_vault_close(vault);
    if (rc != 0 && exit_code == EXIT_OK)
        return fail(c, rc);
    return exit_code;
}

static int parse_u32(const cli *c, const char *text, const char *name, uint32_t *out)
{
    char *end = NULL;
    unsigned long v = text != NULL ? strtoul(text, &end, 10) : 0;
    if (text == NULL || text[0] == '\0' || text[0] == '-' || *end != '\0' || v > 0xffffffffUL)
        return usage_error(c, "--%s: expected a whole number", name);
    *out = (uint32_t)v;
    return 0;
}

/* --kdf-memory (MiB), --kdf-iterations, --kdf-parallelism */
int parse_kdf(const cli *c, const cli_args *a, lv_kdf_params *kdf)
{
    memset(kdf, 0, sizeof *kdf);
    uint32_t mib = 0;
    int rc = 0;
    if (args_has(a, "kdf-memory") &&
        ((rc = parse_u32(c, args_get(a, "kdf-memory"), "kdf-memory", &mib)) != 0))
        return rc;
    if (mib > 4096)
        return usage_error(c, "--kdf-memory: at most 4096 MiB");
    kdf->memory_kib = mib * 1024u;
    if (args_has(a, "kdf-memory") && mib == 0)
        kdf->memory_kib = 1; /* explicit 0: below the floor, refused by the library */
    if (args_has(a, "kdf-iterations") &&
        (rc = parse_u32(c, args_get(a, "kdf-iterations"), "kdf-iterations", &kdf->iterations)) != 0)
        return rc;
    if (args_has(a, "kdf-iterations") && kdf->iterations == 0)
        kdf->iterations = 1;
    if (args_has(a, "kdf-parallelism") &&
        (rc = parse_u32(c, args_get(a, "kdf-parallelism"), "kdf-parallelism",
                        &kdf->parallelism)) != 0)
        return rc;
    return 0;
}

/* ---- init / check ---- */

int cmd_init(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"admin", 1},          {"new-passphrase-file", 1},
                                    {"kdf-memory", 1},     {"kdf-iterations", 1},
                                    {"kdf-parallelism", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, "init");
    if (rc != 0)
        return rc;
    if (a.npositional > 0)
        return usage_error(c, "unexpected argument (see 'leadvault help init')");
    if (!args_has(&a, "admin"))
        return usage_error(c, "--admin NAME is required");
    if (c->vault_path == NULL)
        return usage_error(c, "no vault given (--vault PATH or LEADVAULT_VAULT)");
    lv_create_options opts = LV_CREATE_OPTIONS_INIT;
    if ((rc = parse_kdf(c, &a, &opts.kdf)) != 0)
        return rc;
    passphrase pass;
    const char *file = args_get(&a, "new-passphrase-file");
    if (file == NULL && (c->passphrase_fd >= 0 || c->passphrase_file != NULL ||
                         getenv("LEADVAULT_PASSPHRASE_FILE") != NULL))
        rc = passphrase_read(&pass, c, "");
    else
        rc = passphrase_read_new(&pass, file, "New vault passphrase: ");
    if (rc != 0)
        return rc;
    opts.admin_name = args_get(&a, "admin");
    opts.passphrase = pass.text;
    opts.passphrase_len = pass.len;
    opts.os_user = os_user_name();
    lv_vault *vault = NULL;
    rc = lv_vault_create(&vault, c->vault_path, &opts);
    passphrase_free(&pass);
    if (rc != 0)
        return fail(c, rc);
    char id[LV_ID_STRLEN + 1];
    lv_vault_id(vault, id);
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s, s:s, s:s}", "vault", c->vault_path, "id", id,
                                    "admin", opts.admin_name));
    else
        printf("created vault %s (id %s) with admin %s\n", c->vault_path, id, opts.admin_name);
    return cli_close_vault(c, vault, code);
}

typedef struct check_report {
    json_t *problems;
} check_report;

static void on_problem(void *ctx, const char *lead_id, const char *field, const char *problem)
{
    check_report *r = ctx;
    if (r->problems != NULL)
        json_array_append_new(r->problems,
                              json_pack("{s:s?, s:s?, s:s}", "lead", lead_id, "field", field,
                                        "problem", problem));
    if (lead_id != NULL)
        (void)fprintf(stderr, "leadvault check: lead %s, field %s: %s\n", lead_id,
                      field != NULL ? field : "-", problem);
    else
        (void)fprintf(stderr, "leadvault check: %s\n", problem);
}

int cmd_check(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, "check");
    if (rc != 0)
        return rc;
    if (a.npositional > 0)
        return usage_error(c, "unexpected argument");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    check_report report = {c->json ? json_array() : NULL};
    uint64_t leads = 0;
    rc = lv_vault_check(vault, on_problem, &report, &leads);
    int code;
    if (rc != 0 && rc != LV_ECORRUPT) {
        json_decref(report.problems);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    code = rc == 0 ? EXIT_OK : EXIT_INTEGRITY;
    if (c->json)
        print_json(json_pack("{s:b, s:I, s:o}", "ok", rc == 0, "leads_checked",
                             (json_int_t)leads, "problems", report.problems));
    else if (rc == 0)
        printf("ok: %llu leads, every sealed value opens\n", (unsigned long long)leads);
    else
        (void)fprintf(stderr, "leadvault check: integrity failure (%llu leads checked)\n",
                      (unsigned long long)leads);
    return cli_close_vault(c, vault, code);
}

/* ---- dispatch ---- */

static void harden_process(void)
{
    /* No core dump may carry a passphrase, key or revealed value. */
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static int help_from_args(int argc, char **argv)
{
    char topic[64] = "";
    for (int i = 0; i < argc && i < 2; i++) {
        if (argv[i][0] == '-')
            break;
        size_t at = strlen(topic);
        (void)snprintf(topic + at, sizeof topic - at, "%s%s", at ? " " : "", argv[i]);
    }
    return print_help(topic);
}

static int cmd_help(const cli *c, int argc, char **argv)
{
    (void)c;
    return help_from_args(argc, argv);
}

static int cmd_version(const cli *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    (void)argv;
    printf("leadvault %s\n", lv_version());
    return EXIT_OK;
}

/* The top-level commands, in the order of the overview. A command that
 * is one operation names itself in messages ("leadvault init: ..."); a
 * group leaves the name to dispatch(), which gives each subcommand its
 * own ("leadvault lead add: ..."). Every name here needs a help topic in
 * help.c and a line in the overview (tests/help/check_help.py). */
static const subcommand commands[] = {
    {"init", cmd_init, "init"},
    {"user", cmd_user, NULL},
    {"lead", cmd_lead, NULL},
    {"purpose", cmd_purpose, NULL},
    {"consent", cmd_consent, NULL},
    {"stats", cmd_stats, "stats"},
    {"import", cmd_import, "import"},
    {"export", cmd_export, "export"},
    {"erase", cmd_erase, "erase"},
    {"suppress", cmd_suppress, NULL},
    {"receipt", cmd_receipt, NULL},
    {"hold", cmd_hold, NULL},
    {"retention", cmd_retention, NULL},
    {"subject", cmd_subject, NULL},
    {"backup", cmd_backup, "backup"},
    {"restore", cmd_restore, "restore"},
    {"check", cmd_check, "check"},
    {"audit", cmd_audit, NULL},
    {"help", cmd_help, NULL},
    {"version", cmd_version, NULL},
};

static const subcommand *find_command(const char *name)
{
    /* --version is not a global option: it is the version command under
     * the name other tools answer to, and only as the first word. */
    if (strcmp(name, "--version") == 0)
        name = "version";
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    harden_process();
    if (sodium_init() < 0) {
        (void)fprintf(stderr, "leadvault: libsodium failed to initialize\n");
        return EXIT_ERROR;
    }
    output_init();
    cli c = {.passphrase_fd = -1};
    c.vault_path = getenv("LEADVAULT_VAULT");
    c.user = getenv("LEADVAULT_USER");

    /* Global options may stand anywhere; the rest is the command. */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (rest == NULL)
        return EXIT_ERROR;
    int nrest = 0, want_help = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *names[] = {"--vault", "--user", "--passphrase-file", "--passphrase-fd"};
        int matched = -1;
        const char *value = NULL;
        /* After "audit show", --user is that command's filter (the vault
         * user then comes before the command or from LEADVAULT_USER). */
        int audit_show = nrest >= 2 && strcmp(rest[0], "audit") == 0 && strcmp(rest[1], "show") == 0;
        for (int n = 0; n < 4; n++) {
            if (audit_show && n == 1)
                continue;
            size_t len = strlen(names[n]);
            if (strncmp(arg, names[n], len) == 0 && (arg[len] == '\0' || arg[len] == '=')) {
                matched = n;
                if (arg[len] == '=')
                    value = arg + len + 1;
                else if (i + 1 < argc)
                    value = argv[++i];
                break;
            }
        }
        if (matched >= 0) {
            if (value == NULL) {
                free(rest);
                return usage_error(NULL, "option %s needs a value", names[matched]);
            }
            if (matched == 0)
                c.vault_path = value;
            else if (matched == 1)
                c.user = value;
            else if (matched == 2)
                c.passphrase_file = value;
            else {
                char *end = NULL;
                long fd = strtol(value, &end, 10);
                if (*end != '\0' || fd < 0 || fd > 1 << 20) {
                    free(rest);
                    return usage_error(NULL, "--passphrase-fd: expected a descriptor number");
                }
                c.passphrase_fd = (int)fd;
            }
        } else if (strcmp(arg, "--json") == 0) {
            c.json = 1;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            want_help = 1;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    int code;
    const subcommand *command = NULL;
    if (want_help || nrest == 0) {
        code = help_from_args(nrest, rest);
    } else if ((command = find_command(rest[0])) == NULL) {
        code = usage_error(NULL, "unknown command '%.40s' (see 'leadvault --help')", rest[0]);
    } else {
        c.command_name = command->command;
        code = command->run(&c, nrest - 1, rest + 1);
    }
    free(rest);
    /* Text output is written unchecked and checked once here: a failed
     * write can leave only the error flag (fflush then succeeds). */
    if ((fflush(stdout) != 0 || ferror(stdout)) && code == EXIT_OK)
        code = EXIT_ERROR;
    return code;
}
