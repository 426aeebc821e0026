/* cmd_audit.c - leadvault audit show | export | actions | pubkey | checkpoint | verify */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ops.h"

int output_open(const cli *c, FILE **out, const char *path)
{
    if (path == NULL) {
        *out = stdout;
        return 0;
    }
    /* Created here, exclusively: an existing file (or a link) is never
     * overwritten, so removing a half-written output is always safe. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0 || (*out = fdopen(fd, "w")) == NULL) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(path); /* created just now by this process */
        }
        if (saved == EEXIST) {
            (void)fprintf(stderr, "leadvault %s: %s already exists; refusing to overwrite it\n",
                          c->command_name, path);
        } else {
            (void)fprintf(stderr, "leadvault %s: cannot write %s: %s\n", c->command_name, path,
                          strerror(saved));
            output_note_failure(saved);
        }
        return saved == ENOSPC || saved == EDQUOT ? EXIT_FULL : EXIT_ERROR;
    }
    return 0;
}

int output_close(const cli *c, FILE *out, int code)
{
    /* A write that failed earlier may leave only the stream's error flag:
     * fclose succeeds when nothing is left to flush. */
    int is_stdout = out == stdout, failed = ferror(out);
    if (fflush(out) != 0)
        failed = 1, output_note_failure(errno);
    if (!is_stdout && fclose(out) != 0)
        failed = 1, output_note_failure(errno);
    if (!failed || code != EXIT_OK)
        return code;
    int exit_code = EXIT_ERROR;
    const char *cause = "write error";
    (void)output_failed(&exit_code, &cause);
    (void)fprintf(stderr, "leadvault %s: cannot finish writing the %s: %s\n", c->command_name,
                  is_stdout ? "standard output" : "output file", cause);
    return exit_code;
}

/* Read a small text file (public key, checkpoint) into buf. */
static int read_small(const cli *c, const char *path, char buf[LV_AUDIT_TEXT_MAX])
{
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(c, path, &text, &len, LV_AUDIT_TEXT_MAX - 1);
    if (rc == 0) {
        memcpy(buf, text, len + 1);
        free(text);
    }
    return rc;
}

static int write_text(const cli *c, const char *path, const char *text)
{
    FILE *out;
    int rc = output_open(c, &out, path);
    if (rc != 0)
        return rc;
    (void)fputs(text, out);
    rc = output_close(c, out, EXIT_OK);
    if (rc != EXIT_OK && path != NULL)
        (void)remove(path); /* created just now: never half a key or checkpoint */
    return rc;
}

/* ---- show ---- */

typedef struct show_out {
    json_t *array;
} show_out;

static json_t *ids_json(const lv_audit_entry *e)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < e->lead_count; i++) {
        char hex[LV_ID_STRLEN + 1];
        sodium_bin2hex(hex, sizeof hex, e->lead_ids + i * LV_ID_BYTES, LV_ID_BYTES);
        json_array_append_new(ids, json_string(hex));
    }
    return ids;
}

/* Text of the audit log as a terminal may show it: a byte below 0x20,
 * DEL, a byte that is not part of well-formed UTF-8 and a C1 control
 * (U+0080..U+009F) as \xNN, a backslash as \\, every other character as
 * it is; then one newline. An entry's text is checked before it is
 * recorded, but a file writer can put any bytes into the log: none of
 * them reaches the terminal raw (--json keeps the exact text). */
static void print_escaped(const char *line)
{
    const unsigned char *p = (const unsigned char *)line;
    while (*p != '\0') {
        size_t n = 0;
        if (*p >= 0x20 && *p < 0x7f)
            n = *p == '\\' ? 0 : 1;
        else if (*p >= 0xc2 && *p <= 0xf4) {
            size_t want = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
            uint32_t cp = *p & (want == 2 ? 0x1f : want == 3 ? 0x0f : 0x07);
            size_t i = 1;
            for (; i < want && (p[i] & 0xc0) == 0x80; i++)
                cp = cp << 6 | (p[i] & 0x3f);
            int shortest = (want == 2 && cp > 0x9f) || (want == 3 && cp >= 0x800) ||
                           (want == 4 && cp >= 0x10000 && cp <= 0x10ffff);
            n = i == want && shortest && (cp < 0xd800 || cp > 0xdfff) ? want : 0;
        }
        if (n > 0)
            (void)fwrite(p, 1, n, stdout);
        else if (*p == '\\')
            (void)fputs("\\\\", stdout);
        else
            printf("\\x%02X", *p);
        p += n > 0 ? n : 1;
    }
    (void)putchar('\n');
}

static int show_one(void *ctx, const lv_audit_entry *e)
{
    show_out *out = ctx;
    if (out->array != NULL) {
        char hash[2 * LV_AUDIT_HASH_BYTES + 1];
        sodium_bin2hex(hash, sizeof hash, e->hash, LV_AUDIT_HASH_BYTES);
        json_array_append_new(
            out->array,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:i, s:s, s:s}",
                      "seq", (json_int_t)e->seq, "time", e->time, "actor", e->actor, "role",
                      e->role, "os_user", e->os_user, "action", e->action, "subject", e->subject,
                      "lead_ids", ids_json(e), "fields", e->fields, "purpose", e->purpose,
                      "outcome", e->outcome, "code", e->code, "request", e->request, "hash",
                      hash));
        return 0;
    }
    /* The line is built whole, then printed with print_escaped. */
    char *line = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&line, &len);
    if (mem == NULL)
        return -1;
    (void)fprintf(mem, "%llu %s %s%s%s%s %s %s", (unsigned long long)e->seq, e->time, e->actor,
            e->role[0] ? "(" : "", e->role, e->role[0] ? ")" : "", e->action, e->outcome);
    if (e->code != 0)
        (void)fprintf(mem, " code=%d", e->code);
    if (e->subject[0])
        (void)fprintf(mem, " subject=%s", e->subject);
    if (e->purpose[0])
        (void)fprintf(mem, " purpose=%s", e->purpose);
    if (e->fields[0])
        (void)fprintf(mem, " fields=%s", e->fields);
    if (e->request[0])
        (void)fprintf(mem, " request=%s", e->request);
    for (size_t i = 0; i < e->lead_count; i++) {
        char hex[LV_ID_STRLEN + 1];
        sodium_bin2hex(hex, sizeof hex, e->lead_ids + i * LV_ID_BYTES, LV_ID_BYTES);
        (void)fprintf(mem, "%s%s", i ? "," : " leads=", hex);
    }
    (void)fprintf(mem, " os_user=%s", e->os_user);
    int failed = fclose(mem) != 0;
    if (!failed)
        print_escaped(line);
    free(line);
    return failed ? -1 : 0;
}

/* The filter options of audit show and audit export, first in both specs. */
#define FILTER_OPTIONS                                                                             \
    {"lead", 1}, {"user", 1}, {"action", 1}, {"purpose", 1}, {"outcome", 1}, {"since", 1},        \
        {"until", 1}

/* The filter from the options. A date alone as --until takes in that
 * whole day: --since 2026-12-01 --until 2026-12-01 is the 1st. */
static int filter_from_args(const cli *c, const cli_args *a, lv_audit_filter *filter)
{
    lv_audit_filter init = LV_AUDIT_FILTER_INIT;
    *filter = init;
    filter->lead_id = args_get(a, "lead");
    filter->user = args_get(a, "user");
    filter->action = args_get(a, "action");
    filter->purpose = args_get(a, "purpose");
    filter->outcome = args_get(a, "outcome");
    long long since = 0, until = 0;
    int rc = args_time(c, a, "since", 0, &since);
    if (rc == 0)
        rc = args_time(c, a, "until", LV_TIME_END_OF_DAY, &until);
    filter->since = since;
    filter->until = until;
    if (rc == 0 && until != 0 && since > until)
        rc = usage_error(c, "--since is after --until: no entry can match");
    return rc;
}

static int audit_show(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {FILTER_OPTIONS, {NULL, 0}};
    cli_args a;
    lv_audit_filter filter;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0 || (rc = filter_from_args(c, &a, &filter)) != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    show_out out = {c->json ? json_array() : NULL};
    if ((rc = cli_ops->audit_show(vault, &filter, show_one, &out)) != 0) {
        json_decref(out.array);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:o}", "entries", out.array));
    return cli_close_vault(c, vault, code);
}

/* ---- export ---- */

static int audit_export(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {FILTER_OPTIONS, {"format", 1}, {"out", 1}, {NULL, 0}};
    cli_args a;
    lv_audit_filter filter;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0 || (rc = filter_from_args(c, &a, &filter)) != 0)
        return rc;
    const char *format = args_get(&a, "format");
    if (format != NULL && strcmp(format, "jsonl") != 0 && strcmp(format, "csv") != 0)
        return usage_error(c, "--format: expected jsonl or csv");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lazy_output out = {c, args_get(&a, "out"), NULL, 0};
    rc = cli_ops->audit_export_entries(vault, &filter,
                                 format != NULL && strcmp(format, "csv") == 0 ? LV_FORMAT_CSV
                                                                              : LV_FORMAT_JSON,
                                 write_lazy, &out);
    int code = lazy_close(&out, rc != 0 ? fail(c, rc) : EXIT_OK);
    return cli_close_vault(c, vault, code);
}

/* ---- actions ---- */

/* Needs no vault: the table is the library's. */
static int audit_actions(const cli *c, int argc, char **argv)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    const lv_audit_action *actions = lv_audit_actions();
    if (c->json) {
        json_t *list = json_array();
        for (size_t i = 0; actions[i].name != NULL; i++)
            json_array_append_new(list, json_pack("{s:s, s:s}", "action", actions[i].name,
                                                  "meaning", actions[i].meaning));
        return print_json(json_pack("{s:o}", "actions", list));
    }
    for (size_t i = 0; actions[i].name != NULL; i++)
        printf("%-20s %s\n", actions[i].name, actions[i].meaning);
    return EXIT_OK;
}

/* ---- pubkey / checkpoint ---- */

static int audit_pubkey(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"out", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    char text[LV_AUDIT_TEXT_MAX], fingerprint[48];
    if ((rc = cli_ops->audit_pubkey(vault, text, fingerprint)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    const char *path = args_get(&a, "out");
    int code = EXIT_OK;
    if (path != NULL)
        code = write_text(c, path, text);
    if (c->json)
        code = code ? code : print_json(json_pack("{s:s, s:s}", "pubkey", text, "fingerprint",
                                                  fingerprint));
    else if (path == NULL)
        printf("%sfingerprint: %s\n", text, fingerprint);
    else if (code == EXIT_OK)
        printf("wrote %s (fingerprint %s)\n", path, fingerprint);
    return cli_close_vault(c, vault, code);
}

static int audit_checkpoint(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"out", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    char text[LV_AUDIT_TEXT_MAX];
    if ((rc = cli_ops->audit_checkpoint(vault, text)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    const char *path = args_get(&a, "out");
    int code;
    if (path != NULL) {
        code = write_text(c, path, text);
        if (code == EXIT_OK && !c->json)
            printf("wrote %s\n", path);
    } else if (!c->json) {
        (void)fputs(text, stdout);
        code = EXIT_OK;
    } else {
        code = EXIT_OK;
    }
    if (c->json && code == EXIT_OK)
        code = print_json(json_pack("{s:s}", "checkpoint", text));
    return cli_close_vault(c, vault, code);
}

/* ---- verify ---- */

static int report_verify(const cli *c, int rc, const lv_audit_report *r)
{
    if (rc != 0 && rc != LV_ECORRUPT)
        return fail(c, rc);
    if (c->json) {
        json_t *o = json_pack("{s:b, s:I, s:I, s:I, s:I, s:b}", "ok", rc == 0, "entries",
                              (json_int_t)r->entries, "checkpoints", (json_int_t)r->checkpoints,
                              "signed_size", (json_int_t)r->signed_size, "unsigned_tail",
                              (json_int_t)r->unsigned_tail, "extends_checkpoint",
                              r->extends_checkpoint);
        if (rc != 0) {
            json_object_set_new(o, "first_bad_seq", json_integer((json_int_t)r->first_bad_seq));
            json_object_set_new(o, "reason", json_string(r->reason));
        }
        print_json(o);
    }
    if (rc != 0) {
        (void)fprintf(stderr, "leadvault audit verify: FAILED at entry %llu: %s\n",
                      (unsigned long long)r->first_bad_seq, r->reason);
        return EXIT_INTEGRITY;
    }
    if (!c->json) {
        printf("ok: %llu entries, %llu checkpoint signatures verified", (unsigned long long)r->entries,
               (unsigned long long)r->checkpoints);
        if (r->extends_checkpoint)
            printf("; the log extends the given checkpoint");
        printf("\n");
    }
    if (r->unsigned_tail > 0)
        (void)fprintf(
            stderr,
            "leadvault audit verify: warning: %llu entries after the last signed checkpoint "
            "(unsigned tail)\n",
            (unsigned long long)r->unsigned_tail);
    return EXIT_OK;
}

static int audit_verify(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"pubkey", 1}, {"checkpoint", 1}, {"log", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    char pubkey[LV_AUDIT_TEXT_MAX], checkpoint[LV_AUDIT_TEXT_MAX];
    const char *pubkey_path = args_get(&a, "pubkey"), *cp_path = args_get(&a, "checkpoint");
    if (pubkey_path != NULL && (rc = read_small(c, pubkey_path, pubkey)) != 0)
        return rc;
    if (cp_path != NULL && (rc = read_small(c, cp_path, checkpoint)) != 0)
        return rc;
    lv_audit_report report;
    const char *log = args_get(&a, "log");
    if (log != NULL) {
        if (pubkey_path == NULL)
            return usage_error(c, "--log needs --pubkey FILE");
        rc = lv_audit_verify_log(log, pubkey, cp_path ? checkpoint : NULL, &report);
        return report_verify(c, rc, &report);
    }
    lv_vault *vault = NULL;
    if (pubkey_path != NULL) {
        /* With the public key no passphrase is needed: open the file
         * locked, here (also with --server: verification needs no key). */
        lv_open_options opts = LV_OPEN_OPTIONS_INIT;
        if (c->vault_path == NULL)
            return usage_error(c, "no vault given (--vault PATH or LEADVAULT_VAULT)");
        if ((rc = lv_vault_open(&vault, c->vault_path, &opts)) != 0)
            return fail(c, rc);
        rc = lv_audit_verify(vault, pubkey, cp_path ? checkpoint : NULL, &report);
        int code = report_verify(c, rc, &report);
        rc = lv_vault_close(vault);
        return rc != 0 && code == EXIT_OK ? fail(c, rc) : code;
    }
    if ((rc = cli_open_vault_any_format(&vault, c)) != 0)
        return rc;
    rc = cli_ops->audit_verify(vault, NULL, cp_path ? checkpoint : NULL, &report);
    int code = report_verify(c, rc, &report);
    return cli_close_vault(c, vault, code);
}

int cmd_audit(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"show", audit_show, "audit show"},
                {"export", audit_export, "audit export"},
                {"actions", audit_actions, "audit actions"},
                {"pubkey", audit_pubkey, "audit pubkey"},
                {"checkpoint", audit_checkpoint, "audit checkpoint"},
                {"verify", audit_verify, "audit verify"}};
    return dispatch(c, "audit", subs, sizeof subs / sizeof subs[0], argc, argv);
}
