/* cli.h - shared pieces of the leadvault command. The CLI uses only the
 * public library header: no crypto, no SQL here. */
#ifndef LV_CLI_H
#define LV_CLI_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "leadvault.h"

/* Exit codes (documented in --help and docs/cli.md). */
enum {
    EXIT_OK = 0,
    EXIT_ERROR = 1,
    EXIT_USAGE = 2,
    EXIT_AUTH = 3,
    EXIT_NOTFOUND = 4,
    EXIT_DENIED = 5,
    EXIT_INTEGRITY = 6,
    EXIT_BUSY = 7,
    EXIT_FULL = 8,
    EXIT_READONLY = 9
};

#define CLI_MAX_OPTIONS 40
#define CLI_MAX_POSITIONAL 8

typedef struct opt_spec {
    const char *name; /* without the leading -- */
    int takes_value;  /* 0: a flag; 1: one value; 2: repeatable, values in list */
} opt_spec;

typedef struct cli_args {
    const opt_spec *spec;
    const char *value[CLI_MAX_OPTIONS];
    int present[CLI_MAX_OPTIONS];
    const char *positional[CLI_MAX_POSITIONAL];
    int npositional;
    const char *list[64]; /* values of the repeatable options, in order */
    int list_option[64];  /* which option (index in spec) gave each */
    size_t nlist;
} cli_args;

typedef struct cli {
    const char *vault_path;
    const char *user;
    const char *passphrase_file;
    int passphrase_fd; /* -1: not given */
    int json;
    const char *command_name; /* e.g. "lead add", for messages */
} cli;

/* Parse command options against spec (terminated by a NULL name).
 * Returns 0, or EXIT_USAGE after printing why. */
int args_parse(cli_args *out, const opt_spec *spec, int argc, char **argv, const char *command);
/* Value of option name, or NULL when absent. Flags give "" when present. */
const char *args_get(const cli_args *args, const char *name);
int args_has(const cli_args *args, const char *name);
/* The values of repeatable option name, in the order given, into out (at
 * most max); returns how many. */
size_t args_list(const cli_args *args, const char *name, const char **out, size_t max);

/* Passphrases live in sodium_malloc memory; free with passphrase_free. */
typedef struct passphrase {
    char *text;
    size_t len;
} passphrase;
/* The current user's passphrase: --passphrase-fd, --passphrase-file,
 * LEADVAULT_PASSPHRASE_FILE, or the terminal with echo off. */
int passphrase_read(passphrase *out, const cli *c, const char *prompt);
/* A new passphrase: from file when given, else asked twice on the
 * terminal. */
int passphrase_read_new(passphrase *out, const char *file, const char *prompt);
void passphrase_free(passphrase *p);

/* A time option's text to unix ms, or -1 when it is none of the forms of
 * LV_TIME_FORMS (a date, a date and time with its zone, now, 24h, 7d, 2w,
 * +7d); lv_error_last() then names them. A date alone is its midnight. */
long long parse_time(const char *text);
/* The time option --name into *out (left alone when absent). flags may
 * add LV_TIME_END_OF_DAY, for an inclusive upper bound. Returns 0, or
 * EXIT_USAGE after naming the accepted forms. */
int args_time(const cli *c, const cli_args *a, const char *name, unsigned flags, long long *out);

/* Map an LV_E* code to an exit code. */
int exit_code_for(int lv_code);
/* Report an LV failure (message never holds PII) and return its exit code. */
int fail(const cli *c, int lv_code);
/* Report a usage error and return EXIT_USAGE. */
int usage_error(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open and unlock the vault named by c. Prints and returns an exit code on
 * failure; 0 on success. */
int cli_open_vault(lv_vault **out, const cli *c);
/* cli_open_vault that also opens a vault of format 1 (audit verify, backup:
 * what works before `upgrade`). */
int cli_open_vault_any_format(lv_vault **out, const cli *c);
/* The usage error of a command that works on a vault file only (upgrade:
 * a server serves a vault of the current format), given --server. */
int cli_local_only(const cli *c, const char *command);
/* The open options of the global options, the passphrase read into *pass
 * (free it with passphrase_free after use). 0 or an exit code. */
int cli_open_options(lv_open_options *opts, passphrase *pass, const cli *c);
/* Close the vault; a failure to sign the checkpoint is reported. */
int cli_close_vault(const cli *c, lv_vault *vault, int exit_code);

/* Print json to stdout (one document, newline-terminated) and free it.
 * Returns EXIT_OK or EXIT_ERROR. */
int print_json(json_t *json);
/* Route jansson's allocations through wiping allocators, since its
 * documents carry revealed values. */
void output_init(void);
/* Print "name: value" where value may span lines (continuations indented). */
void print_field(const char *name, const char *value, size_t len);

/* --kdf-memory MIB, --kdf-iterations N, --kdf-parallelism N into kdf. */
int parse_kdf(const cli *c, const cli_args *a, lv_kdf_params *kdf);

/* A row of a command table: a subcommand of a group ("lead" -> "add"), or
 * a top-level command (main.c). */
typedef struct subcommand {
    const char *name;
    int (*run)(const cli *c, int argc, char **argv);
    const char *command; /* full name for messages, e.g. "lead add"; NULL
                          * at the top level for a group, whose dispatch()
                          * names each subcommand */
} subcommand;
/* Run the subcommand named by argv[0]; usage error when none matches. */
int dispatch(const cli *c, const char *group, const subcommand *subs, size_t n, int argc,
             char **argv);

/* Open path for writing (0600, never through a symlink), or stdout when
 * path is NULL. output_close flushes and returns code or EXIT_ERROR. */
int output_open(const cli *c, FILE **out, const char *path);
int output_close(const cli *c, FILE *out, int code);

/* lv_write_fn that writes to the FILE * in ctx. */
int write_to_file(void *ctx, const char *data, size_t len);
/* fwrite to an output file; on failure remember errno (output_failed)
 * and return -1. */
int output_write(FILE *out, const void *data, size_t len);
/* Remember err as the cause of a failed output, unless one is known. */
void output_note_failure(int err);
/* Whether a write to an output file failed; then *exit_code is EXIT_FULL
 * (no space, or a file size limit) or EXIT_ERROR, and *cause its text. */
int output_failed(int *exit_code, const char **cause);

/* An output file opened (exclusively, 0600) only when the first byte is
 * written: a refused operation leaves no file and touches no existing one.
 * path NULL means stdout. */
typedef struct lazy_output {
    const cli *c;
    const char *path;
    FILE *file;
    int failed;
} lazy_output;
int write_lazy(void *ctx, const char *data, size_t len);
/* Close; when code is not EXIT_OK remove what this process created.
 * Returns code, or EXIT_ERROR when closing failed. */
int lazy_close(lazy_output *out, int code);
/* Read a whole text file of at most max bytes (NUL-terminated, no NUL
 * inside) into *out (free()). Prints and returns an exit code on failure. */
int read_file(const cli *c, const char *path, char **out, size_t *len, size_t max);

/* Parse options against spec (NULL: none) and require exactly n
 * positional arguments; `what` names the one expected ("lead ID"), NULL
 * when none is. Returns 0, or EXIT_USAGE after saying why. */
int args_exact(cli_args *a, const cli *c, const opt_spec *spec, int argc, char **argv, int n,
               const char *what);

/* A command that takes no argument and reads the vault (the list
 * commands, stats): refuse any argument, then open and unlock into *vault.
 * Returns 0, or the exit code already reported. */
int open_without_args(const cli *c, int argc, char **argv, lv_vault **vault);

/* Finish a command that acted on one thing: with --json {key: value},
 * else text_prefix followed by value; then close the vault. */
int cli_report(const cli *c, lv_vault *vault, const char *key, const char *value,
               const char *text_prefix);

/* A command that takes one argument (a name or an id) and no options:
 * open the vault, act(vault, arg), then report: with --json
 * {json_key: arg}, else text_prefix followed by arg. `what` names the argument in
 * usage errors ("lead ID"). */
typedef int (*one_arg_fn)(lv_vault *vault, const char *arg);
int run_one_arg(const cli *c, int argc, char **argv, const char *what, one_arg_fn act,
                const char *json_key, const char *text_prefix);

/* Command groups. */
int cmd_init(const cli *c, int argc, char **argv);
int cmd_user(const cli *c, int argc, char **argv);
int cmd_lead(const cli *c, int argc, char **argv);
int cmd_check(const cli *c, int argc, char **argv);
int cmd_upgrade(const cli *c, int argc, char **argv);
int cmd_rekey(const cli *c, int argc, char **argv);
int cmd_audit(const cli *c, int argc, char **argv);
int cmd_purpose(const cli *c, int argc, char **argv);
int cmd_consent(const cli *c, int argc, char **argv);
int cmd_stats(const cli *c, int argc, char **argv);
int cmd_erase(const cli *c, int argc, char **argv);
int cmd_suppress(const cli *c, int argc, char **argv);
int cmd_receipt(const cli *c, int argc, char **argv);
int cmd_hold(const cli *c, int argc, char **argv);
int cmd_retention(const cli *c, int argc, char **argv);
int cmd_subject(const cli *c, int argc, char **argv);
int cmd_backup(const cli *c, int argc, char **argv);
int cmd_restore(const cli *c, int argc, char **argv);
int cmd_import(const cli *c, int argc, char **argv);
int cmd_export(const cli *c, int argc, char **argv);
/* consent import: in cmd_import.c, with the reject-file handling it shares. */
int cmd_consent_import(const cli *c, int argc, char **argv);
int cmd_setting(const cli *c, int argc, char **argv);
int cmd_report(const cli *c, int argc, char **argv);
/* leadvault serve: server/serve.c. */
int cmd_serve(const cli *c, int argc, char **argv);
/* leadvault login / logout: a session token of the --server, cached
 * (cmd_login.c). */
int cmd_login(const cli *c, int argc, char **argv);
int cmd_logout(const cli *c, int argc, char **argv);
/* The operating-system user, as the audit log records it (NULL: unknown). */
const char *os_user_name(void);

/* Help for a command path ("lead add"), or the overview when NULL or "";
 * EXIT_USAGE when there is no such topic (help.c, the one source of the help). */
int print_help(const char *topic);

#endif
