/* cmd_subject.c - leadvault subject export, backup, restore. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops.h"

static int subject_export(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"email", 1}, {"phone", 1},  {"request", 1},
                                    {"out", 1},   {"format", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0)
        return rc;
    int given = (a.npositional == 1) + args_has(&a, "email") + args_has(&a, "phone");
    if (given != 1 || a.npositional > 1)
        return usage_error(c, "give exactly one of a lead ID, --email E or --phone P");
    if (!args_has(&a, "request"))
        return usage_error(c, "--request REF is required");
    if (!args_has(&a, "out"))
        return usage_error(c, "--out FILE is required (created 0600)");
    const char *format = args_has(&a, "format") ? args_get(&a, "format") : "json";
    lv_export_format fmt;
    if (strcmp(format, "json") == 0)
        fmt = LV_FORMAT_JSON;
    else if (strcmp(format, "csv") == 0)
        fmt = LV_FORMAT_CSV;
    else if (strcmp(format, "html") == 0)
        fmt = LV_FORMAT_HTML;
    else
        return usage_error(c, "--format: json, csv or html");
    lv_lookup by = args_has(&a, "phone") ? LV_LOOKUP_PHONE : LV_LOOKUP_EMAIL;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    const char *path = args_get(&a, "out");
    lazy_output out = {c, path, NULL, 0};
    rc = cli_ops->subject_export(vault, a.npositional ? a.positional[0] : NULL, by,
                           args_get(&a, by == LV_LOOKUP_PHONE ? "phone" : "email"),
                           args_get(&a, "request"), fmt, write_lazy, &out);
    int code = lazy_close(&out, rc != 0 ? fail(c, rc) : EXIT_OK);
    if (code != EXIT_OK)
        ;
    else if (c->json)
        code = print_json(json_pack("{s:s, s:s}", "out", path, "format", format));
    else
        printf("wrote %s\n", path);
    return cli_close_vault(c, vault, code);
}

int cmd_subject(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"export", subject_export, "subject export"}};
    return dispatch(c, "subject", subs, sizeof subs / sizeof subs[0], argc, argv);
}

int cmd_backup(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"out", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, "backup");
    if (rc != 0)
        return rc;
    if (a.npositional != 0 || !args_has(&a, "out"))
        return usage_error(c, "usage: leadvault backup --out FILE");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault_any_format(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->backup(vault, args_get(&a, "out"))) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s}", "backup", args_get(&a, "out")));
    else
        printf("backup written to %s\n", args_get(&a, "out"));
    return cli_close_vault(c, vault, code);
}

int cmd_restore(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, "restore");
    if (rc != 0)
        return rc;
    if (a.npositional != 1)
        return usage_error(c, "usage: leadvault restore FILE");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    uint64_t restored = 0, skipped = 0;
    if ((rc = cli_ops->restore(vault, a.positional[0], &restored, &skipped)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:I, s:I}", "restored", (json_int_t)restored,
                                    "skipped_erased", (json_int_t)skipped));
    else
        printf("restored %llu leads; left out %llu erased since the backup\n",
               (unsigned long long)restored, (unsigned long long)skipped);
    return cli_close_vault(c, vault, code);
}
