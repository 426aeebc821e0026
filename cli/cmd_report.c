/* cmd_report.c - leadvault report KIND, setting set | list */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ops.h"

/* --from / --to: a time parse_time() reads, as unix ms; 0 when absent. */
static int period_bound(const cli *c, const cli_args *a, const char *name, int64_t *out)
{
    *out = 0;
    const char *text = args_get(a, name);
    if (text == NULL)
        return 0;
    long long ms = parse_time(text);
    if (ms < 0)
        return usage_error(c, "--%s: expected a time such as 2026-10-01 or 2026-10-01T08:00:00Z",
                           name);
    *out = ms;
    return 0;
}

static int report_run(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"from", 1}, {"to", 1}, {"format", 1}, {"out", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    lv_report_options opts = LV_REPORT_OPTIONS_INIT;
    /* dispatch() named the command "report KIND". */
    if (lv_report_kind_parse(&opts.kind, c->command_name + strlen("report ")) != 0)
        return usage_error(c, "%s", lv_error_last());
    const char *format = args_has(&a, "format") ? args_get(&a, "format") : "html";
    if (lv_report_format_parse(&opts.format, format) != 0)
        return usage_error(c, "--format: expected html, csv or json");
    if ((rc = period_bound(c, &a, "from", &opts.from)) != 0 ||
        (rc = period_bound(c, &a, "to", &opts.to)) != 0)
        return rc;
    if (opts.to != 0 && opts.from > opts.to)
        return usage_error(c, "--from is after --to");
    const char *path = args_get(&a, "out");
    if (path == NULL || path[0] == '\0')
        return usage_error(c, "--out FILE is required (created 0600)");
    struct stat st;
    if (lstat(path, &st) == 0)
        return usage_error(c, "%s already exists; refusing to overwrite it", path);
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    /* The file is created at the first byte: a refused or unverifiable
     * report leaves none. */
    lazy_output out = {c, path, NULL, 0};
    rc = cli_ops->report(vault, &opts, write_lazy, &out);
    int code = lazy_close(&out, rc != 0 ? fail(c, rc) : EXIT_OK);
    if (code != EXIT_OK)
        ;
    else if (c->json)
        code = print_json(json_pack("{s:s, s:s, s:s}", "report", c->command_name + 7, "format",
                                    format, "out", path));
    else
        printf("wrote %s\n", path);
    return cli_close_vault(c, vault, code);
}

int cmd_report(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"processing", report_run, "report processing"},
                                      {"access", report_run, "report access"},
                                      {"consent", report_run, "report consent"},
                                      {"retention", report_run, "report retention"},
                                      {"erasure", report_run, "report erasure"}};
    return dispatch(c, "report", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ---- settings ---- */

static int setting_set(const cli *c, int argc, char **argv)
{
    static const opt_spec none[] = {{NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, none, argc, argv, c->command_name);
    if (rc != 0)
        return rc;
    if (a.npositional != 2)
        return usage_error(c, "expected a setting NAME and its VALUE");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->setting_set(vault, a.positional[0], a.positional[1])) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, "set", a.positional[0], "set ");
}

static void list_one(void *ctx, const char *name, const char *value)
{
    json_t *doc = ctx;
    if (doc != NULL)
        json_object_set_new(doc, name, json_string(value));
    else
        printf("%s: %s\n", name, value[0] ? value : "(not set)");
}

static int setting_list(const cli *c, int argc, char **argv)
{
    lv_vault *vault = NULL;
    int rc = open_without_args(c, argc, argv, &vault);
    if (rc != 0)
        return rc;
    json_t *doc = c->json ? json_object() : NULL;
    if ((rc = cli_ops->setting_list(vault, list_one, doc)) != 0) {
        json_decref(doc);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    int code = c->json ? print_json(json_pack("{s:o}", "settings", doc)) : EXIT_OK;
    return cli_close_vault(c, vault, code);
}

int cmd_setting(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"set", setting_set, "setting set"},
                                      {"list", setting_list, "setting list"}};
    return dispatch(c, "setting", subs, sizeof subs / sizeof subs[0], argc, argv);
}
