/* args.c - option parsing shared by every command. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops.h"

static int spec_index(const opt_spec *spec, const char *name, size_t len)
{
    for (int i = 0; i < CLI_MAX_OPTIONS && spec[i].name != NULL; i++) {
        if (strlen(spec[i].name) == len && strncmp(spec[i].name, name, len) == 0)
            return i;
    }
    return -1;
}

int args_parse(cli_args *out, const opt_spec *spec, int argc, char **argv, const char *command)
{
    memset(out, 0, sizeof *out);
    out->spec = spec;
    int only_positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (only_positional || strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (!only_positional && strcmp(arg, "--") == 0) {
                only_positional = 1;
                continue;
            }
            if (out->npositional == CLI_MAX_POSITIONAL) {
                (void)fprintf(stderr, "leadvault %s: too many arguments\n", command);
                return EXIT_USAGE;
            }
            out->positional[out->npositional++] = arg;
            continue;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
        int idx = spec_index(spec, name, len);
        if (idx < 0) {
            (void)fprintf(stderr, "leadvault %s: unknown option --%.*s (see 'leadvault help %s')\n",
                          command, (int)(len > 40 ? 40 : len), name, command);
            return EXIT_USAGE;
        }
        if (spec[idx].takes_value == 2) {
            const char *v = eq != NULL ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
            if (v == NULL || out->nlist == sizeof out->list / sizeof out->list[0]) {
                (void)fprintf(stderr, "leadvault %s: option --%s needs a value (at most %zu)\n",
                              command, spec[idx].name, sizeof out->list / sizeof out->list[0]);
                return EXIT_USAGE;
            }
            out->present[idx] = 1;
            out->value[idx] = v;
            out->list_option[out->nlist] = idx;
            out->list[out->nlist++] = v;
            continue;
        }
        if (out->present[idx]) {
            (void)fprintf(stderr, "leadvault %s: option --%s given twice\n", command,
                          spec[idx].name);
            return EXIT_USAGE;
        }
        out->present[idx] = 1;
        if (!spec[idx].takes_value) {
            if (eq != NULL) {
                (void)fprintf(stderr, "leadvault %s: option --%s takes no value\n", command,
                              spec[idx].name);
                return EXIT_USAGE;
            }
            out->value[idx] = "";
        } else if (eq != NULL) {
            out->value[idx] = eq + 1;
        } else if (i + 1 < argc) {
            out->value[idx] = argv[++i];
        } else {
            (void)fprintf(stderr, "leadvault %s: option --%s needs a value\n", command,
                          spec[idx].name);
            return EXIT_USAGE;
        }
    }
    return 0;
}

const char *args_get(const cli_args *args, const char *name)
{
    int idx = spec_index(args->spec, name, strlen(name));
    return idx >= 0 && args->present[idx] ? args->value[idx] : NULL;
}

int args_has(const cli_args *args, const char *name)
{
    return args_get(args, name) != NULL;
}

size_t args_list(const cli_args *args, const char *name, const char **out, size_t max)
{
    int idx = spec_index(args->spec, name, strlen(name));
    size_t n = 0;
    for (size_t i = 0; idx >= 0 && i < args->nlist && n < max; i++) {
        if (args->list_option[i] == idx)
            out[n++] = args->list[i];
    }
    return n;
}

int dispatch(const cli *c, const char *group, const subcommand *subs, size_t n, int argc,
             char **argv)
{
    for (size_t i = 0; argc >= 1 && i < n; i++) {
        if (strcmp(argv[0], subs[i].name) == 0) {
            cli sub = *c;
            sub.command_name = subs[i].command;
            return subs[i].run(&sub, argc - 1, argv + 1);
        }
    }
    char names[128] = "";
    for (size_t i = 0; i < n; i++) {
        size_t at = strlen(names);
        (void)snprintf(names + at, sizeof names - at, "%s%s", i ? ", " : "", subs[i].name);
    }
    return usage_error(c, "%s: expected one of %s (see 'leadvault help %s')", group, names, group);
}

long long parse_time(const char *text)
{
    int64_t ms = 0;
    return lv_time_parse_input(&ms, text, 0, LV_TIME_RELATIVE) == 0 ? (long long)ms : -1;
}

int args_time(const cli *c, const cli_args *a, const char *name, unsigned flags, long long *out)
{
    const char *text = args_get(a, name);
    int64_t ms = 0;
    if (text == NULL)
        return 0;
    if (lv_time_parse_input(&ms, text, 0, LV_TIME_RELATIVE | flags) != 0)
        return usage_error(c, "--%s: %s", name, lv_error_last());
    *out = (long long)ms;
    return 0;
}

int exit_code_for(int lv_code)
{
    switch (lv_code) {
    case LV_OK: return EXIT_OK;
    case LV_EINVAL: return EXIT_USAGE;
    case LV_EAUTH: return EXIT_AUTH;
    case LV_ENOTFOUND: return EXIT_NOTFOUND;
    case LV_EDENIED: return EXIT_DENIED;
    case LV_ECORRUPT: return EXIT_INTEGRITY;
    case LV_EBUSY: return EXIT_BUSY;
    case LV_EFULL: return EXIT_FULL;
    case LV_EREADONLY: return EXIT_READONLY;
    default: return EXIT_ERROR;
    }
}

static void print_json_error(const cli *c, const char *message, int exit_code)
{
    if (c == NULL || !c->json)
        return;
    json_t *doc = json_pack("{s:{s:s, s:i}}", "error", "message", message, "exit_code", exit_code);
    if (doc != NULL)
        print_json(doc);
}

int fail(const cli *c, int lv_code)
{
    const char *message = cli_ops->error_last();
    if (message[0] == '\0')
        message = lv_strerror(lv_code);
    int code = exit_code_for(lv_code);
    /* A write callback that failed shows in the library as LV_ERROR: the
     * output's own errno tells whether the disk was full. */
    char with_cause[600];
    const char *cause = NULL;
    if (lv_code == LV_ERROR && output_failed(&code, &cause)) {
        (void)snprintf(with_cause, sizeof with_cause, "%s: %s", message, cause);
        message = with_cause;
    }
    (void)fprintf(stderr, "leadvault%s%s: %s\n", c != NULL && c->command_name ? " " : "",
                  c != NULL && c->command_name ? c->command_name : "", message);
    print_json_error(c, message, code);
    return code;
}

int usage_error(const cli *c, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    (void)fprintf(stderr, "leadvault%s%s: %s\n", c != NULL && c->command_name ? " " : "",
                  c != NULL && c->command_name ? c->command_name : "", message);
    print_json_error(c, message, EXIT_USAGE);
    return EXIT_USAGE;
}

int args_exact(cli_args *a, const cli *c, const opt_spec *spec, int argc, char **argv, int n,
               const char *what)
{
    static const opt_spec none[] = {{NULL, 0}};
    int rc = args_parse(a, spec != NULL ? spec : none, argc, argv,
                        c->command_name != NULL ? c->command_name : "");
    if (rc != 0)
        return rc;
    if (a->npositional != n)
        return what != NULL ? usage_error(c, "expected one %s", what)
                            : usage_error(c, "unexpected argument");
    return 0;
}

int open_without_args(const cli *c, int argc, char **argv, lv_vault **vault)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 0, NULL);
    return rc != 0 ? rc : cli_open_vault(vault, c);
}

int cli_report(const cli *c, lv_vault *vault, const char *key, const char *value,
               const char *text_prefix)
{
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s}", key, value));
    else
        printf("%s%s\n", text_prefix, value);
    return cli_close_vault(c, vault, code);
}

int run_one_arg(const cli *c, int argc, char **argv, const char *what, one_arg_fn act,
                const char *json_key, const char *text_prefix)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 1, what);
    if (rc != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = act(vault, a.positional[0])) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, json_key, a.positional[0], text_prefix);
}
