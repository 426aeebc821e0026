/* cmd_erase.c - leadvault erase, suppress, receipt, hold, retention. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops.h"

/* Exactly one of ID (positional), --email or --phone. */
static int target(const cli *c, const cli_args *a, const char **id, lv_lookup *by,
                  const char **value)
{
    /* Set even on a usage error: no caller can read an unset target. */
    *id = a->npositional == 1 ? a->positional[0] : NULL;
    *by = args_has(a, "phone") ? LV_LOOKUP_PHONE : LV_LOOKUP_EMAIL;
    *value = args_get(a, *by == LV_LOOKUP_PHONE ? "phone" : "email");
    int given = (a->npositional == 1) + args_has(a, "email") + args_has(a, "phone");
    if (given != 1 || a->npositional > 1)
        return usage_error(c, "give exactly one of a lead ID, --email E or --phone P");
    return 0;
}

/* ---- erase ---- */

int cmd_erase(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"email", 1},       {"phone", 1},   {"request", 1},
                                    {"ground", 1},      {"no-suppress", 0}, {"receipt", 1},
                                    {NULL, 0}};
    cli_args a;
    const char *id, *value;
    lv_lookup by;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0 || (rc = target(c, &a, &id, &by, &value)) != 0)
        return rc;
    if (!args_has(&a, "request"))
        return usage_error(c, "--request REF is required (the erasure request it answers)");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    FILE *receipt = NULL;
    const char *receipt_path = args_get(&a, "receipt");
    if (receipt_path != NULL && (rc = output_open(c, &receipt, receipt_path)) != 0)
        return cli_close_vault(c, vault, rc);
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    opts.request = args_get(&a, "request");
    opts.ground = args_get(&a, "ground");
    opts.no_suppress = args_has(&a, "no-suppress");
    size_t erased = 0;
    rc = cli_ops->erase(vault, id, by, value, &opts, receipt != NULL ? write_to_file : NULL, receipt,
                  &erased);
    int code = rc != 0 ? fail(c, rc) : EXIT_OK;
    if (receipt != NULL && (code = output_close(c, receipt, code)) != EXIT_OK && erased == 0)
        (void)remove(receipt_path); /* nothing was erased: no empty receipt left behind */
    if (code == EXIT_OK) {
        if (c->json)
            code = print_json(json_pack("{s:I, s:b, s:s?}", "erased", (json_int_t)erased,
                                        "suppressed", !opts.no_suppress, "receipt",
                                        receipt_path));
        else
            printf("erased %zu lead%s%s%s\n", erased, erased == 1 ? "" : "s",
                   opts.no_suppress ? "" : "; added to the suppression list",
                   receipt_path != NULL ? "; receipt written" : "");
    }
    return cli_close_vault(c, vault, code);
}

/* ---- suppress ---- */

static int suppress_common(const cli *c, int argc, char **argv, int remove)
{
    static const opt_spec spec[] = {{"email", 1}, {"phone", 1}, {NULL, 0}};
    cli_args a;
    const char *id, *value;
    lv_lookup by;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0 || (rc = target(c, &a, &id, &by, &value)) != 0)
        return rc;
    if (id != NULL)
        return usage_error(c, "give --email E or --phone P");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_erasure_info info;
    memset(&info, 0, sizeof info);
    rc = remove ? cli_ops->suppress_remove(vault, by, value) : cli_ops->suppress_info(vault, by, value, &info);
    int suppressed = info.suppressed != 0;
    char erased[32];
    lv_time_format(erased, info.erased);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (remove) {
        if (c->json)
            code = print_json(json_pack("{s:b}", "removed", 1));
        else
            printf("removed from the suppression list\n");
    } else if (c->json) {
        json_t *o = json_pack("{s:b}", "suppressed", suppressed);
        if (info.erased != 0)
            json_object_update_new(o, json_pack("{s:s, s:s, s:s}", "erased", erased, "request",
                                                info.request, "ground", info.ground));
        code = print_json(o);
    } else if (info.erased != 0) {
        printf("suppressed: erased on %s under request %s\n", erased, info.request);
    } else if (suppressed) {
        char since[32];
        lv_time_format(since, info.suppressed);
        printf("suppressed: on the list since %s (no erasure record matches)\n", since);
    } else {
        printf("not suppressed\n");
    }
    return cli_close_vault(c, vault, code);
}

static int suppress_check(const cli *c, int argc, char **argv)
{
    return suppress_common(c, argc, argv, 0);
}

static int suppress_remove(const cli *c, int argc, char **argv)
{
    return suppress_common(c, argc, argv, 1);
}

int cmd_suppress(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"check", suppress_check, "suppress check"},
                                      {"remove", suppress_remove, "suppress remove"}};
    return dispatch(c, "suppress", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ---- receipt ---- */

static int receipt_verify(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"pubkey", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "receipt FILE");
    if (rc != 0)
        return rc;
    char *receipt = NULL, *pubkey = NULL;
    size_t len = 0, key_len = 0;
    if ((rc = read_file(c, a.positional[0], &receipt, &len, 16u << 20)) != 0)
        return rc;
    const char *key_path = args_get(&a, "pubkey");
    if (key_path != NULL && (rc = read_file(c, key_path, &pubkey, &key_len, 4096)) != 0) {
        free(receipt);
        return rc;
    }
    lv_vault *vault = NULL;
    if (key_path == NULL && (rc = cli_open_vault(&vault, c)) != 0) {
        free(receipt);
        return rc;
    }
    rc = cli_ops->receipt_verify(receipt, len, pubkey, vault);
    free(receipt);
    free(pubkey);
    int code;
    if (rc != 0) {
        code = fail(c, rc);
    } else if (c->json) {
        code = print_json(json_pack("{s:b}", "ok", 1));
    } else {
        printf("ok: the receipt's signature verifies\n");
        code = EXIT_OK;
    }
    return vault != NULL ? cli_close_vault(c, vault, code) : code;
}

int cmd_receipt(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"verify", receipt_verify, "receipt verify"}};
    return dispatch(c, "receipt", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ---- hold ---- */

static int hold_set(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"reason", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "lead ID");
    if (rc != 0)
        return rc;
    if (!args_has(&a, "reason"))
        return usage_error(c, "--reason TEXT is required (no personal data)");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->hold_set(vault, a.positional[0], args_get(&a, "reason"))) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s}", "held", a.positional[0]));
    else
        printf("lead %s is under legal hold\n", a.positional[0]);
    return cli_close_vault(c, vault, code);
}

static int clear_hold(lv_vault *vault, const char *id)
{
    return cli_ops->hold_clear(vault, id);
}

static int hold_clear(const cli *c, int argc, char **argv)
{
    return run_one_arg(c, argc, argv, "lead ID", clear_hold, "cleared", "hold cleared on lead ");
}

static int hold_list(const cli *c, int argc, char **argv)
{
    lv_vault *vault = NULL;
    int rc = open_without_args(c, argc, argv, &vault);
    if (rc != 0)
        return rc;
    lv_hold_info *holds = NULL;
    size_t count = 0;
    if ((rc = cli_ops->hold_list(vault, &holds, &count)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    json_t *list = c->json ? json_array() : NULL;
    for (size_t i = 0; i < count; i++) {
        char when[32];
        lv_time_format(when, holds[i].time);
        if (list != NULL)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "lead",
                                                  holds[i].lead_id, "reason", holds[i].reason,
                                                  "by", holds[i].actor, "since", when));
        else
            printf("%s  %s  by %s  %s\n", holds[i].lead_id, when, holds[i].actor,
                   holds[i].reason);
    }
    cli_ops->hold_list_free(holds);
    int code = EXIT_OK;
    if (list != NULL)
        code = print_json(json_pack("{s:o}", "holds", list));
    return cli_close_vault(c, vault, code);
}

int cmd_hold(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"set", hold_set, "hold set"},
                                      {"clear", hold_clear, "hold clear"},
                                      {"list", hold_list, "hold list"}};
    return dispatch(c, "hold", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ---- retention ---- */

/* "180d", "12w", "2y" (365 days), "36h" to milliseconds; -1 if invalid. */
static long long parse_age(const char *text)
{
    char *end = NULL;
    long long n = text != NULL && text[0] >= '0' && text[0] <= '9' ? strtoll(text, &end, 10) : -1;
    if (n <= 0 || end == NULL || end[0] == '\0' || end[1] != '\0' || n > 100000)
        return -1;
    long long hour = 3600000LL;
    switch (end[0]) {
    case 'h': return n * hour;
    case 'd': return n * 24 * hour;
    case 'w': return n * 7 * 24 * hour;
    case 'y': return n * 365 * 24 * hour;
    default: return -1;
    }
}

static void age_text(char out[24], long long ms)
{
    long long day = 86400000LL;
    if (ms == 0)
        (void)snprintf(out, 24, "-");
    else if (ms % day == 0)
        (void)snprintf(out, 24, "%lldd", ms / day);
    else
        (void)snprintf(out, 24, "%lldh", ms / 3600000LL);
}

static int retention_add(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"stage", 1},      {"source", 1},
                                    {"no-consent", 0}, {"consent-withdrawn", 0},
                                    {"older-than", 1}, {"inactive", 1},
                                    {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "rule NAME");
    if (rc != 0)
        return rc;
    lv_retention_rule rule;
    memset(&rule, 0, sizeof rule);
    const char *stage = args_has(&a, "stage") ? args_get(&a, "stage") : "";
    const char *source = args_has(&a, "source") ? args_get(&a, "source") : "";
    /* A value too long for the rule is refused (with the library's words),
     * never cut to fit. */
    if (snprintf(rule.name, sizeof rule.name, "%s", a.positional[0]) >= (int)sizeof rule.name)
        return usage_error(c, "rule name: lower-case letters, digits and _ (1 to %d)",
                           LV_PURPOSE_NAME_MAX);
    if (snprintf(rule.stage, sizeof rule.stage, "%s", stage) >= (int)sizeof rule.stage)
        return usage_error(c, "stage: unknown stage");
    if (snprintf(rule.source, sizeof rule.source, "%s", source) >= (int)sizeof rule.source)
        return usage_error(c, "source: unknown channel");
    rule.no_consent = args_has(&a, "no-consent");
    rule.consent_withdrawn = args_has(&a, "consent-withdrawn");
    if (args_has(&a, "older-than") && (rule.older_than_ms = parse_age(args_get(&a, "older-than"))) < 0)
        return usage_error(c, "--older-than: expected a number and h, d, w or y (e.g. 180d)");
    if (args_has(&a, "inactive") && (rule.inactive_ms = parse_age(args_get(&a, "inactive"))) < 0)
        return usage_error(c, "--inactive: expected a number and h, d, w or y (e.g. 730d)");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->retention_add(vault, &rule)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, "added", rule.name, "added retention rule ");
}

static int remove_rule(lv_vault *vault, const char *name)
{
    return cli_ops->retention_remove(vault, name);
}

static int retention_remove(const cli *c, int argc, char **argv)
{
    return run_one_arg(c, argc, argv, "rule NAME", remove_rule, "removed",
                       "removed retention rule ");
}

static int retention_list(const cli *c, int argc, char **argv)
{
    lv_vault *vault = NULL;
    int rc = open_without_args(c, argc, argv, &vault);
    if (rc != 0)
        return rc;
    lv_retention_rule *rules = NULL;
    size_t count = 0;
    if ((rc = cli_ops->retention_list(vault, &rules, &count)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    json_t *list = c->json ? json_array() : NULL;
    if (list == NULL)
        printf("%-20s %-11s %-19s %-10s %-10s %s\n", "RULE", "STAGE", "SOURCE", "OLDER-THAN",
               "INACTIVE", "CONSENT");
    for (size_t i = 0; i < count; i++) {
        const lv_retention_rule *r = &rules[i];
        char older[24], inactive[24];
        age_text(older, r->older_than_ms);
        age_text(inactive, r->inactive_ms);
        const char *consent = r->no_consent && r->consent_withdrawn ? "none,withdrawn"
                              : r->no_consent                      ? "none"
                              : r->consent_withdrawn               ? "withdrawn"
                                                                   : "-";
        if (list != NULL)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "name", r->name, "stage",
                                r->stage, "source", r->source, "no_consent", r->no_consent,
                                "consent_withdrawn", r->consent_withdrawn, "older_than", older,
                                "inactive", inactive));
        else
            printf("%-20s %-11s %-19s %-10s %-10s %s\n", r->name, r->stage[0] ? r->stage : "-",
                   r->source[0] ? r->source : "-", older, inactive, consent);
    }
    cli_ops->retention_list_free(rules);
    int code = EXIT_OK;
    if (list != NULL)
        code = print_json(json_pack("{s:o}", "rules", list));
    return cli_close_vault(c, vault, code);
}

typedef struct due_out {
    json_t *due, *skipped;
    size_t count;
    int run;
} due_out;

static int on_due(void *ctx, const char *lead_id, const char *rule, int held)
{
    due_out *out = ctx;
    out->count++;
    if (out->due != NULL) {
        json_array_append_new(held ? out->skipped : out->due,
                              json_pack("{s:s, s:s}", "lead", lead_id, "rule", rule));
        return 0;
    }
    if (held)
        printf("%s  %s  held: %s\n", lead_id, rule, out->run ? "skipped" : "will be skipped");
    else
        printf("%s  %s%s\n", lead_id, rule, out->run ? "  erased" : "");
    return 0;
}

static int retention_plan(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"as-of", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    long long as_of = 0;
    if ((rc = args_time(c, &a, "as-of", 0, &as_of)) != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    due_out out = {c->json ? json_array() : NULL, c->json ? json_array() : NULL, 0, 0};
    if ((rc = cli_ops->retention_plan(vault, as_of, on_due, &out)) != 0) {
        json_decref(out.due);
        json_decref(out.skipped);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:o, s:o}", "due", out.due, "held", out.skipped));
    else if (out.count == 0)
        printf("nothing is due\n");
    return cli_close_vault(c, vault, code);
}

static int retention_run(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"request", 1}, {"receipt", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    const char *request = args_has(&a, "request") ? args_get(&a, "request") : "retention run";
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    FILE *receipt = NULL;
    const char *receipt_path = args_get(&a, "receipt");
    if (receipt_path != NULL && (rc = output_open(c, &receipt, receipt_path)) != 0)
        return cli_close_vault(c, vault, rc);
    due_out out = {c->json ? json_array() : NULL, c->json ? json_array() : NULL, 0, 1};
    size_t erased = 0, skipped = 0;
    rc = cli_ops->retention_run(vault, request, on_due, &out, receipt != NULL ? write_to_file : NULL,
                          receipt, &erased, &skipped);
    int code = rc != 0 ? fail(c, rc) : EXIT_OK;
    if (receipt != NULL && (code = output_close(c, receipt, code)) != EXIT_OK && erased == 0)
        (void)remove(receipt_path);
    if (code == EXIT_OK && c->json)
        code = print_json(json_pack("{s:I, s:I, s:o, s:o}", "erased", (json_int_t)erased,
                                    "skipped_held", (json_int_t)skipped, "leads", out.due,
                                    "held", out.skipped));
    else {
        json_decref(out.due);
        json_decref(out.skipped);
        if (code == EXIT_OK)
            printf("erased %zu lead%s, skipped %zu held\n", erased, erased == 1 ? "" : "s",
                   skipped);
    }
    return cli_close_vault(c, vault, code);
}

int cmd_retention(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"add", retention_add, "retention add"},
                                      {"list", retention_list, "retention list"},
                                      {"remove", retention_remove, "retention remove"},
                                      {"plan", retention_plan, "retention plan"},
                                      {"run", retention_run, "retention run"}};
    return dispatch(c, "retention", subs, sizeof subs / sizeof subs[0], argc, argv);
}
