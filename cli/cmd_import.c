/* cmd_import.c - leadvault import and export. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ops.h"

#define REJECTS_SHOWN 20

typedef struct import_io {
    FILE *in;
    uint64_t size; /* 0 when unknown (a pipe) */
    FILE *rejects;
    unsigned long rejects_shown;
    int tty;
    int jsonl;
    struct timespec start;
    int wrote_progress;
} import_io;

static int read_input(void *ctx, char *buf, size_t cap, size_t *got)
{
    import_io *io = ctx;
    *got = fread(buf, 1, cap, io->in);
    return *got == 0 && ferror(io->in) ? -1 : 0;
}

static void on_reject(void *ctx, uint64_t line, const char *reason, const char *raw,
                      size_t raw_len)
{
    import_io *io = ctx;
    /* The rows as read, so that the file imports again once fixed. */
    if (io->rejects != NULL) {
        if (output_write(io->rejects, raw, raw_len) == 0)
            (void)output_write(io->rejects, io->jsonl ? "\n" : "\r\n", io->jsonl ? 1 : 2);
    }
    if (reason == NULL)
        return; /* the header, for the reject file */
    if (io->rejects_shown++ < REJECTS_SHOWN) {
        if (io->wrote_progress)
            fputc('\n', stderr), io->wrote_progress = 0;
        (void)fprintf(stderr, "line %llu: rejected: %s\n", (unsigned long long)line, reason);
    }
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void on_progress(void *ctx, uint64_t rows, uint64_t bytes)
{
    import_io *io = ctx;
    if (!io->tty || bytes == 0)
        return;
    double t = seconds_since(&io->start);
    double rate = t > 0 ? (double)rows / t : 0;
    char eta[32] = "";
    if (io->size > 0 && bytes < io->size)
        (void)snprintf(eta, sizeof eta, ", ETA %.0fs",
                       t * (double)(io->size - bytes) / (double)bytes);
    int width = 30, filled = io->size > 0 ? (int)((double)width * (double)bytes / (double)io->size)
                                          : 0;
    if (filled > width)
        filled = width;
    (void)fprintf(stderr, "\r[%.*s%*s] %llu rows, %.0f rows/s%s   ", filled,
                  "##############################", width - filled, "", (unsigned long long)rows,
                  rate, eta);
    io->wrote_progress = 1;
}

/* --delimiter: one character, or tab (\t). */
static int parse_delimiter(const cli *c, const char *text, char *out)
{
    if (text == NULL)
        return 0;
    if (strcmp(text, "\\t") == 0 || strcmp(text, "tab") == 0)
        *out = '\t';
    else if (strlen(text) == 1)
        *out = text[0];
    else
        return usage_error(c, "--delimiter: one character, or tab");
    return 0;
}

int cmd_import(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"format", 1},
                                    {"map", 2},
                                    {"delimiter", 1},
                                    {"source", 1},
                                    {"consent", 1},
                                    {"evidence", 1},
                                    {"on-duplicate", 1},
                                    {"reject-file", 1},
                                    {"atomic", 0},
                                    {"dry-run", 0},
                                    {"default-country", 1},
                                    {"map-owner", 2},
                                    {"consent-column", 2},
                                    {"consent-granted", 1},
                                    {"consent-withdrawn", 1},
                                    {NULL, 0}};
    const char *map[64], *map_owner[64], *consent_columns[64];
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "input FILE, or - for standard input");
    if (rc != 0)
        return rc;
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    const char *format = args_get(&a, "format");
    const char *path = a.positional[0];
    size_t plen = strlen(path);
    if (format == NULL)
        format = plen > 6 && strcmp(path + plen - 6, ".jsonl") == 0 ? "jsonl" : "csv";
    if (strcmp(format, "csv") == 0)
        opts.format = LV_IMPORT_CSV;
    else if (strcmp(format, "jsonl") == 0)
        opts.format = LV_IMPORT_JSONL;
    else
        return usage_error(c, "--format: csv or jsonl");
    if (parse_delimiter(c, args_get(&a, "delimiter"), &opts.delimiter) != 0)
        return EXIT_USAGE;
    opts.map = map;
    opts.map_count = args_list(&a, "map", map, 64);
    opts.map_owner = map_owner;
    opts.map_owner_count = args_list(&a, "map-owner", map_owner, 64);
    opts.consent_columns = consent_columns;
    opts.consent_column_count = args_list(&a, "consent-column", consent_columns, 64);
    opts.consent_granted = args_get(&a, "consent-granted");
    opts.consent_withdrawn = args_get(&a, "consent-withdrawn");
    opts.default_country = args_get(&a, "default-country");
    opts.input_name = strcmp(path, "-") == 0 ? "standard input" : path;
    opts.source = args_get(&a, "source");
    opts.consent_purpose = args_get(&a, "consent");
    opts.evidence = args_get(&a, "evidence");
    const char *dup = args_get(&a, "on-duplicate");
    if (dup == NULL || strcmp(dup, "skip") == 0)
        opts.on_duplicate = LV_DUPLICATE_SKIP;
    else if (strcmp(dup, "update") == 0)
        opts.on_duplicate = LV_DUPLICATE_UPDATE;
    else if (strcmp(dup, "error") == 0)
        opts.on_duplicate = LV_DUPLICATE_ERROR;
    else
        return usage_error(c, "--on-duplicate: skip, update or error");
    opts.atomic = args_has(&a, "atomic");
    opts.dry_run = args_has(&a, "dry-run");

    import_io io = {.in = stdin, .tty = isatty(2), .jsonl = opts.format == LV_IMPORT_JSONL};
    if (strcmp(path, "-") != 0) {
        struct stat sb;
        if ((io.in = fopen(path, "rbe")) == NULL) {
            (void)fprintf(stderr, "leadvault import: cannot open %s: %s\n", path, strerror(errno));
            return EXIT_NOTFOUND;
        }
        if (fstat(fileno(io.in), &sb) == 0 && S_ISREG(sb.st_mode))
            io.size = (uint64_t)sb.st_size;
    }
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0) {
        if (io.in != stdin)
            (void)fclose(io.in);
        return rc;
    }
    const char *reject_path = args_get(&a, "reject-file");
    if (reject_path != NULL && (rc = output_open(c, &io.rejects, reject_path)) != 0) {
        if (io.in != stdin)
            (void)fclose(io.in);
        return cli_close_vault(c, vault, rc);
    }
    opts.reject = on_reject;
    opts.reject_ctx = &io;
    opts.progress = on_progress;
    opts.progress_ctx = &io;
    clock_gettime(CLOCK_MONOTONIC, &io.start);
    lv_import_summary s;
    rc = cli_ops->import(vault, read_input, &io, &opts, &s);
    double elapsed = seconds_since(&io.start);
    if (io.wrote_progress)
        (void)fputc('\n', stderr);
    if (io.in != stdin)
        (void)fclose(io.in);
    int code = rc != 0 ? fail(c, rc) : EXIT_OK;
    if (rc != 0 && s.imported + s.updated > 0)
        (void)fprintf(
            stderr,
            "leadvault import: %llu leads were stored and %llu updated before the failure, "
            "in whole batches; importing the same input again stores the rest\n",
            (unsigned long long)s.imported, (unsigned long long)s.updated);
    if (io.rejects != NULL)
        code = output_close(c, io.rejects, code);
    if (code == EXIT_OK) {
        if (c->json) {
            json_t *o = json_pack(
                "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:b, s:f}", "rows",
                (json_int_t)s.rows, "imported", (json_int_t)s.imported, "updated",
                (json_int_t)s.updated, "duplicates", (json_int_t)s.duplicates, "suppressed",
                (json_int_t)s.suppressed, "rejected", (json_int_t)s.rejected, "unmapped_sources",
                (json_int_t)s.unmapped_sources, "unmapped_stages", (json_int_t)s.unmapped_stages,
                "unknown_columns", s.unknown_columns, "dry_run", opts.dry_run, "seconds", elapsed);
            if (o != NULL)
                json_object_update_new(
                    o, json_pack("{s:I, s:I, s:I, s:I, s:s}", "owners_dropped",
                                 (json_int_t)s.owners_dropped, "consent_granted",
                                 (json_int_t)s.consent_granted, "consent_withdrawn",
                                 (json_int_t)s.consent_withdrawn, "consent_unknown",
                                 (json_int_t)s.consent_unknown, "consent_unknown_columns",
                                 s.consent_unknown_columns));
            code = print_json(o);
        } else {
            printf("%s%llu rows: %llu imported, %llu updated, %llu duplicates, %llu suppressed, "
                   "%llu rejected (%.1f s)\n",
                   opts.dry_run ? "dry run, nothing stored: " : "", (unsigned long long)s.rows,
                   (unsigned long long)s.imported, (unsigned long long)s.updated,
                   (unsigned long long)s.duplicates, (unsigned long long)s.suppressed,
                   (unsigned long long)s.rejected, elapsed);
            if (s.unmapped_sources || s.unmapped_stages)
                printf("unmapped values: %llu sources stored as other (value kept in "
                       "source_detail), %llu stages stored as new\n",
                       (unsigned long long)s.unmapped_sources,
                       (unsigned long long)s.unmapped_stages);
            if (s.unknown_columns[0])
                printf("columns not imported (use --map \"Header=field\" to keep them): %s\n",
                       s.unknown_columns);
            if (opts.consent_column_count > 0)
                printf("consent from columns: %llu granted, %llu withdrawn\n",
                       (unsigned long long)s.consent_granted,
                       (unsigned long long)s.consent_withdrawn);
        }
        /* Warnings, on stderr also with --json: data was not kept as given. */
        if (s.owners_dropped > 0)
            (void)fprintf(stderr,
                          "leadvault import: warning: %llu rows name an owner who is not a "
                          "leadvault user; those leads are owned by you (map owners with "
                          "--map-owner \"CRM NAME=user\")\n",
                          (unsigned long long)s.owners_dropped);
        if (s.consent_unknown > 0)
            (void)fprintf(stderr,
                          "leadvault import: warning: %llu leads (the first on line %llu) hold a "
                          "value in %s that neither grants nor withdraws consent: no consent "
                          "recorded for them (name it with --consent-granted or "
                          "--consent-withdrawn)\n",
                          (unsigned long long)s.consent_unknown,
                          (unsigned long long)s.consent_unknown_first_line,
                          s.consent_unknown_columns);
    }
    return cli_close_vault(c, vault, code);
}

int cmd_consent_import(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"reject-file", 1}, {"delimiter", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "input FILE, or - for standard input");
    if (rc != 0)
        return rc;
    const char *path = a.positional[0];
    lv_consent_import_options opts = LV_CONSENT_IMPORT_OPTIONS_INIT;
    if (parse_delimiter(c, args_get(&a, "delimiter"), &opts.delimiter) != 0)
        return EXIT_USAGE;
    opts.input_name = strcmp(path, "-") == 0 ? "standard input" : path;
    import_io io = {.in = stdin};
    if (strcmp(path, "-") != 0 && (io.in = fopen(path, "rbe")) == NULL) {
        (void)fprintf(stderr, "leadvault consent import: cannot open %s: %s\n", path,
                      strerror(errno));
        return EXIT_NOTFOUND;
    }
    lv_vault *vault = NULL;
    const char *reject_path = args_get(&a, "reject-file");
    if ((rc = cli_open_vault(&vault, c)) == 0 && reject_path != NULL &&
        (rc = output_open(c, &io.rejects, reject_path)) != 0)
        rc = cli_close_vault(c, vault, rc);
    if (rc != 0) {
        if (io.in != stdin)
            (void)fclose(io.in);
        return rc;
    }
    opts.reject = on_reject;
    opts.reject_ctx = &io;
    lv_consent_import_summary s;
    rc = cli_ops->consent_import(vault, read_input, &io, &opts, &s);
    if (io.in != stdin)
        (void)fclose(io.in);
    int code = rc != 0 ? fail(c, rc) : EXIT_OK;
    if (rc != 0 && s.granted + s.withdrawn > 0)
        (void)fprintf(stderr,
                      "leadvault consent import: %llu grants and %llu withdrawals were recorded "
                      "before the failure (each row on its own)\n",
                      (unsigned long long)s.granted, (unsigned long long)s.withdrawn);
    if (io.rejects != NULL)
        code = output_close(c, io.rejects, code);
    if (code == EXIT_OK) {
        if (c->json)
            code =
                print_json(json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)s.rows, "granted",
                                     (json_int_t)s.granted, "withdrawn", (json_int_t)s.withdrawn,
                                     "rejected", (json_int_t)s.rejected));
        else
            printf("%llu rows: %llu granted, %llu withdrawn, %llu rejected\n",
                   (unsigned long long)s.rows, (unsigned long long)s.granted,
                   (unsigned long long)s.withdrawn, (unsigned long long)s.rejected);
    }
    return cli_close_vault(c, vault, code);
}

int cmd_export(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"purpose", 1}, {"format", 1}, {"out", 1},
                                    {"stage", 1},   {"source", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    if (!args_has(&a, "purpose"))
        return usage_error(c, "--purpose is required: an export reveals data for a purpose");
    lv_export_options opts = LV_EXPORT_OPTIONS_INIT;
    opts.purpose = args_get(&a, "purpose");
    opts.stage = args_get(&a, "stage");
    opts.source = args_get(&a, "source");
    const char *format = args_has(&a, "format") ? args_get(&a, "format") : "csv";
    if (strcmp(format, "csv") == 0)
        opts.format = LV_FORMAT_CSV;
    else if (strcmp(format, "jsonl") == 0)
        opts.format = LV_FORMAT_JSON;
    else
        return usage_error(c, "--format: csv or jsonl");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    const char *path = args_get(&a, "out");
    lazy_output out = {c, path, NULL, 0};
    uint64_t exported = 0;
    rc = cli_ops->export(vault, &opts, write_lazy, &out, &exported);
    int code = lazy_close(&out, rc != 0 ? fail(c, rc) : EXIT_OK);
    if (code == EXIT_OK && path != NULL) {
        if (c->json)
            code = print_json(json_pack("{s:I, s:s}", "exported", (json_int_t)exported, "out",
                                        path));
        else
            (void)fprintf(stderr, "exported %llu leads to %s\n", (unsigned long long)exported,
                          path);
    }
    return cli_close_vault(c, vault, code);
}
