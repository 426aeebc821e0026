/* cmd_policy.c - leadvault purpose add | list | retire, consent grant |
 * withdraw | show (consent import is in cmd_import.c), and stats. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops.h"

static void mask_text(char out[256], uint32_t mask)
{
    size_t at = 0;
    out[0] = '\0';
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (mask & (1u << f))
            at += (size_t)snprintf(out + at, 256 - at, "%s%s", at ? "," : "",
                                   lv_field_name((lv_field)f));
    }
}

static void roles_text(char out[64], uint32_t roles)
{
    size_t at = 0;
    out[0] = '\0';
    for (int r = LV_ROLE_ADMIN; r <= LV_ROLE_AUDITOR; r++) {
        if (roles & (1u << r))
            at += (size_t)snprintf(out + at, 64 - at, "%s%s", at ? "," : "",
                                   lv_role_name((lv_role)r));
    }
}

/* ---- purpose ---- */

static int purpose_add(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"basis", 1}, {"fields", 1}, {"roles", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "purpose NAME");
    if (rc != 0)
        return rc;
    lv_basis basis;
    uint32_t fields = 0, roles = 0;
    if (!args_has(&a, "basis") || lv_basis_parse(&basis, args_get(&a, "basis")) != 0)
        return usage_error(c, "--basis: consent, legitimate_interest, contract or legal_obligation");
    const char *field_list = args_get(&a, "fields");
    if (field_list == NULL)
        return usage_error(c, "--fields f1,f2 is required (the fields the purpose may reveal)");
    if (field_list[0] != '\0' && lv_field_mask_parse(&fields, field_list) != 0)
        return usage_error(c, "--fields: %s", lv_error_last());
    if (!args_has(&a, "roles") || lv_role_mask_parse(&roles, args_get(&a, "roles")) != 0)
        return usage_error(c, "--roles r1,r2 is required (admin, sales, compliance)");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->purpose_add(vault, a.positional[0], basis, fields, roles)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, "added", a.positional[0], "added purpose ");
}

static int retire_purpose(lv_vault *vault, const char *name)
{
    return cli_ops->purpose_retire(vault, name);
}

static int purpose_retire(const cli *c, int argc, char **argv)
{
    return run_one_arg(c, argc, argv, "purpose NAME", retire_purpose, "retired",
                       "retired purpose ");
}

static int purpose_list(const cli *c, int argc, char **argv)
{
    lv_vault *vault = NULL;
    int rc = open_without_args(c, argc, argv, &vault);
    if (rc != 0)
        return rc;
    lv_purpose_info *items = NULL;
    size_t count = 0;
    if ((rc = cli_ops->purpose_list(vault, &items, &count)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    json_t *list = c->json ? json_array() : NULL;
    if (!c->json)
        printf("%-20s %-20s %-8s %-18s %s\n", "PURPOSE", "BASIS", "STATE", "ROLES", "FIELDS");
    for (size_t i = 0; i < count; i++) {
        char fields[256], roles[64], retired[32];
        mask_text(fields, items[i].fields);
        roles_text(roles, items[i].roles);
        lv_time_format(retired, items[i].retired);
        if (list != NULL)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "name", items[i].name, "basis",
                                lv_basis_name(items[i].basis), "fields", fields, "roles", roles,
                                "retired", retired[0] ? retired : NULL));
        else
            printf("%-20s %-20s %-8s %-18s %s\n", items[i].name, lv_basis_name(items[i].basis),
                   items[i].retired ? "retired" : "active", roles, fields[0] ? fields : "-");
    }
    cli_ops->purpose_list_free(items);
    int code = EXIT_OK;
    if (list != NULL)
        code = print_json(json_pack("{s:o}", "purposes", list));
    return cli_close_vault(c, vault, code);
}

int cmd_purpose(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"add", purpose_add, "purpose add"},
                                      {"list", purpose_list, "purpose list"},
                                      {"retire", purpose_retire, "purpose retire"}};
    return dispatch(c, "purpose", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ---- consent ---- */

/* The lead a consent command names: an id, or --email / --phone. Returns
 * 0, or EXIT_USAGE after saying why. */
static int consent_target(const cli *c, const cli_args *a, const char **id, lv_lookup *by,
                          const char **value, const char **purpose)
{
    int email = args_has(a, "email"), phone = args_has(a, "phone");
    *id = NULL;
    *value = NULL;
    if (email + phone > 1)
        return usage_error(c, "--email or --phone, not both");
    if (email + phone == 1) {
        if (a->npositional != 1)
            return usage_error(c, "expected a PURPOSE (the lead is named by --%s)",
                               email ? "email" : "phone");
        *by = email ? LV_LOOKUP_EMAIL : LV_LOOKUP_PHONE;
        *value = args_get(a, email ? "email" : "phone");
        *purpose = a->positional[0];
        return 0;
    }
    if (a->npositional != 2)
        return usage_error(c, "expected a lead ID (or --email E / --phone P) and a PURPOSE");
    *id = a->positional[0];
    *purpose = a->positional[1];
    return 0;
}

static int consent_report(const cli *c, lv_vault *vault, const char *id, const char *purpose,
                          const char *state)
{
    int code = EXIT_OK;
    if (c->json)
        code = print_json(
            json_pack("{s:s, s:s, s:s}", "lead", id, "purpose", purpose, "state", state));
    else
        printf("consent for %s %s on lead %s\n", purpose, state, id);
    return cli_close_vault(c, vault, code);
}

static int consent_grant(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"evidence", 1}, {"notice-version", 1}, {"expires", 1},
                                    {"email", 1},    {"phone", 1},          {NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0)
        return rc;
    const char *id = NULL, *value = NULL, *purpose = NULL;
    lv_lookup by = LV_LOOKUP_EMAIL;
    if ((rc = consent_target(c, &a, &id, &by, &value, &purpose)) != 0)
        return rc;
    if (!args_has(&a, "evidence"))
        return usage_error(c, "--evidence TEXT is required (how and where consent was given)");
    long long expires = 0;
    if ((rc = args_time(c, &a, "expires", 0, &expires)) != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    const char *evidence = args_get(&a, "evidence"), *notice = args_get(&a, "notice-version");
    char found[LV_ID_STRLEN + 1] = "";
    rc = id != NULL
             ? cli_ops->consent_grant(vault, id, purpose, evidence, notice, expires)
             : cli_ops->consent_grant_by(vault, found, by, value, purpose, evidence, notice, expires);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return consent_report(c, vault, id != NULL ? id : found, purpose, "granted");
}

static int consent_withdraw(const cli *c, int argc, char **argv)
{
    /* --evidence (as the contract names it) and --reason are the
     * same note: what the person said, and where. */
    static const opt_spec spec[] = {
        {"reason", 1}, {"evidence", 1}, {"email", 1}, {"phone", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0)
        return rc;
    const char *id = NULL, *value = NULL, *purpose = NULL;
    lv_lookup by = LV_LOOKUP_EMAIL;
    if ((rc = consent_target(c, &a, &id, &by, &value, &purpose)) != 0)
        return rc;
    if (args_has(&a, "reason") && args_has(&a, "evidence"))
        return usage_error(c, "--reason or --evidence, not both (the same note)");
    const char *reason = args_has(&a, "reason") ? args_get(&a, "reason") : args_get(&a, "evidence");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    char found[LV_ID_STRLEN + 1] = "";
    rc = id != NULL ? cli_ops->consent_withdraw(vault, id, purpose, reason)
                    : cli_ops->consent_withdraw_by(vault, found, by, value, purpose, reason);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return consent_report(c, vault, id != NULL ? id : found, purpose, "withdrawn");
}

static int consent_show(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "lead ID");
    if (rc != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_consent_record *records = NULL;
    size_t count = 0;
    if ((rc = cli_ops->consent_history(&records, &count, vault, a.positional[0])) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    json_t *list = c->json ? json_array() : NULL;
    for (size_t i = 0; i < count; i++) {
        const lv_consent_record *r = &records[i];
        char when[32], expires[32];
        lv_time_format(when, r->time);
        lv_time_format(expires, r->expires);
        if (list != NULL) {
            json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "purpose", r->purpose,
                                  "state", r->granted ? "granted" : "withdrawn", "time", when,
                                  "by", r->actor, "expires", expires[0] ? expires : NULL,
                                  "notice_version",
                                  r->notice_version[0] ? r->notice_version : NULL);
            json_object_set_new(o, "evidence", r->evidence != NULL
                                                   ? json_stringn(r->evidence, r->evidence_len)
                                                   : json_null());
            json_object_set_new(o, "reason", r->reason != NULL
                                                 ? json_stringn(r->reason, r->reason_len)
                                                 : json_null());
            json_array_append_new(list, o);
            continue;
        }
        printf("%s  %-20s %-9s by %s", when, r->purpose, r->granted ? "granted" : "withdrawn",
               r->actor);
        if (expires[0])
            printf("  expires %s", expires);
        if (r->notice_version[0])
            printf("  notice %s", r->notice_version);
        putchar('\n');
        if (r->evidence != NULL)
            print_field("  evidence", r->evidence, r->evidence_len);
        if (r->reason != NULL)
            print_field("  reason", r->reason, r->reason_len);
    }
    cli_ops->consent_history_free(records, count);
    int code = EXIT_OK;
    if (list != NULL)
        code = print_json(json_pack("{s:s, s:o}", "lead", a.positional[0], "history", list));
    else if (count == 0)
        printf("no consent records for lead %s\n", a.positional[0]);
    return cli_close_vault(c, vault, code);
}

int cmd_consent(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"grant", consent_grant, "consent grant"},
                                      {"withdraw", consent_withdraw, "consent withdraw"},
                                      {"show", consent_show, "consent show"},
                                      {"import", cmd_consent_import, "consent import"}};
    return dispatch(c, "consent", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ---- stats ---- */

typedef struct stats_out {
    json_t *groups;
} stats_out;

static void on_count(void *ctx, const char *group, const char *key, uint64_t count)
{
    stats_out *out = ctx;
    if (out->groups != NULL) {
        json_t *g = json_object_get(out->groups, group);
        if (g == NULL) {
            g = json_object();
            json_object_set_new(out->groups, group, g);
        }
        json_object_set_new(g, key, json_integer((json_int_t)count));
        return;
    }
    printf("%-8s %-22s %llu\n", group, key, (unsigned long long)count);
}

int cmd_stats(const cli *c, int argc, char **argv)
{
    lv_vault *vault = NULL;
    int rc = open_without_args(c, argc, argv, &vault);
    if (rc != 0)
        return rc;
    stats_out out = {c->json ? json_object() : NULL};
    uint64_t total = 0;
    if ((rc = cli_ops->stats(vault, &total, on_count, &out)) != 0) {
        json_decref(out.groups);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    int code = EXIT_OK;
    if (c->json) {
        json_object_set_new(out.groups, "total", json_integer((json_int_t)total));
        code = print_json(out.groups);
    } else {
        printf("%-8s %-22s %llu\n", "total", "", (unsigned long long)total);
    }
    return cli_close_vault(c, vault, code);
}
