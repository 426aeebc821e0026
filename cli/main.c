/* main.c - leadvault: global options, dispatch, init and check (the help is in help.c). */
#include <curl/curl.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "ops.h"

/* ---- shared ---- */

const char *os_user_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw != NULL ? pw->pw_name : NULL;
}

int cli_open_options(lv_open_options *opts, passphrase *pass, const cli *c)
{
    if (c->vault_path == NULL)
        return usage_error(c, "no vault given (--vault PATH or LEADVAULT_VAULT)");
    if (c->user == NULL)
        return usage_error(c, "no user given (--user NAME or LEADVAULT_USER)");
    int rc = passphrase_read(pass, c, "Vault passphrase: ");
    if (rc != 0)
        return rc;
    *opts = (lv_open_options)LV_OPEN_OPTIONS_INIT;
    opts->user = c->user;
    opts->passphrase = pass->text;
    opts->passphrase_len = pass->len;
    opts->os_user = os_user_name();
    return 0;
}

static int open_vault(lv_vault **out, const cli *c, unsigned flags)
{
    *out = NULL;
    if (c->vault_path == NULL && !cli_ops->remote)
        return usage_error(c, "no vault given (--vault PATH or LEADVAULT_VAULT)");
    if (c->user == NULL)
        return usage_error(c, "no user given (--user NAME or LEADVAULT_USER)");
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = c->user;
    opts.os_user = os_user_name();
    opts.flags = flags; /* a server opens its own vault: not sent */
    /* Through a server, a session token cached by 'leadvault login' stands
     * in for the passphrase. */
    char token[128];
    if (cli_ops->remote && token_cache_read(c->user, token, sizeof token) == 0) {
        sodium_memzero(token, sizeof token);
        int rc = cli_ops->vault_open(out, c->vault_path, &opts);
        return rc != 0 ? fail(c, rc) : 0;
    }
    passphrase pass;
    int rc = passphrase_read(&pass, c, "Vault passphrase: ");
    if (rc != 0)
        return rc;
    opts.passphrase = pass.text;
    opts.passphrase_len = pass.len;
    rc = cli_ops->vault_open(out, c->vault_path, &opts);
    passphrase_free(&pass);
    return rc != 0 ? fail(c, rc) : 0;
}

int cli_open_vault(lv_vault **out, const cli *c)
{
    return open_vault(out, c, 0);
}

int cli_open_vault_any_format(lv_vault **out, const cli *c)
{
    return open_vault(out, c, LV_OPEN_FORMAT1);
}

int cli_local_only(const cli *c, const char *command)
{
    return usage_error(c,
                       "'%s' changes the vault's format: run it on the vault file "
                       "(--vault, on the server's machine), not through --server",
                       command);
}

int cli_close_vault(const cli *c, lv_vault *vault, int exit_code)
{
    int rc = cli_ops->vault_close(vault);
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
        (rc = parse_u32(c, args_get(a, "kdf-parallelism"), "kdf-parallelism", &kdf->parallelism)) !=
            0)
        return rc;
    return 0;
}

/* ---- init / check ---- */

int cmd_init(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"admin", 1},           {"new-passphrase-file", 1},
                                    {"kdf-memory", 1},      {"kdf-iterations", 1},
                                    {"kdf-parallelism", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, "init");
    if (rc != 0)
        return rc;
    if (a.npositional > 0)
        return usage_error(c, "unexpected argument (see 'leadvault help init')");
    if (!args_has(&a, "admin"))
        return usage_error(c, "--admin NAME is required");
    if (cli_ops->remote)
        return usage_error(c, "init creates a vault file: run it without --server");
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
    cli_ops->vault_id(vault, id);
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s, s:s, s:s}", "vault", c->vault_path, "id", id, "admin",
                                    opts.admin_name));
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
        json_array_append_new(r->problems, json_pack("{s:s?, s:s?, s:s}", "lead", lead_id, "field",
                                                     field, "problem", problem));
    if (lead_id != NULL)
        (void)fprintf(stderr, "leadvault check: lead %s, field %s: %s\n", lead_id,
                      field != NULL ? field : "-", problem);
    else
        (void)fprintf(stderr, "leadvault check: %s\n", problem);
}

int cmd_check(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"deep", 0}, {NULL, 0}};
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
    const char *who = NULL;
    lv_role role = LV_ROLE_ADMIN;
    lv_check_options opts = LV_CHECK_OPTIONS_INIT;
    opts.deep = args_has(&a, "deep");
    rc = cli_ops->vault_check(vault, &opts, on_problem, &report, &leads);
    int code;
    if (rc != 0 && rc != LV_ECORRUPT) {
        json_decref(report.problems);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    code = rc == 0 ? EXIT_OK : EXIT_INTEGRITY;
    if (c->json)
        print_json(json_pack("{s:b, s:I, s:o}", "ok", rc == 0, "leads_checked", (json_int_t)leads,
                             "problems", report.problems));
    else if (rc == 0 && opts.deep && cli_ops->vault_whoami(vault, &who, &role) == 0 &&
             role == LV_ROLE_AUDITOR)
        printf("ok: %llu leads, every record MAC holds (an auditor holds no data key to open "
               "sealed values)\n",
               (unsigned long long)leads);
    else if (rc == 0 && opts.deep)
        printf("ok: %llu leads, every sealed value opens\n", (unsigned long long)leads);
    else if (rc == 0)
        printf("ok: %llu leads, every row as the vault wrote it (state digest; --deep opens every "
               "sealed value)\n",
               (unsigned long long)leads);
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
    {"upgrade", cmd_upgrade, "upgrade"},
    {"rekey", cmd_rekey, "rekey"},
    {"audit", cmd_audit, NULL},
    {"setting", cmd_setting, NULL},
    {"report", cmd_report, NULL},
    {"serve", cmd_serve, "serve"},
    {"login", cmd_login, "login"},
    {"logout", cmd_logout, "logout"},
    {"help", cmd_help, "help"},
    {"version", cmd_version, "version"},
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
    const char *server = getenv("LEADVAULT_SERVER"), *ca_file = getenv("LEADVAULT_CA_FILE");

    /* Global options may stand anywhere; the rest is the command. */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (rest == NULL)
        return EXIT_ERROR;
    int nrest = 0, want_help = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *names[] = {"--vault",         "--user",   "--passphrase-file",
                               "--passphrase-fd", "--server", "--ca-file"};
        int matched = -1;
        const char *value = NULL;
        /* After "audit show" or "audit export", --user is that command's
         * filter (the vault user then comes before the command or from
         * LEADVAULT_USER). */
        int audit_show = nrest >= 2 && strcmp(rest[0], "audit") == 0 &&
                         (strcmp(rest[1], "show") == 0 || strcmp(rest[1], "export") == 0);
        for (int n = 0; n < 6; n++) {
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
            else if (matched == 4)
                server = value;
            else if (matched == 5)
                ca_file = value;
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
    if (server != NULL && server[0] != '\0' && !want_help && nrest > 0 &&
        strcmp(rest[0], "serve") != 0) {
        if (client_configure(server, ca_file) != 0) {
            free(rest);
            return usage_error(NULL, "%s", client_error());
        }
        (void)curl_global_init(CURL_GLOBAL_DEFAULT);
        cli_ops = &remote_ops;
    }
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
