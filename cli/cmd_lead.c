/* cmd_lead.c - leadvault lead add | get | find | search | list | update | assign */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops.h"
#include "wire.h"

/* Options of lead add and lead update, in lv_field order first. */
static const opt_spec lead_spec[] = {
    {"first-name", 1}, {"last-name", 1}, {"email", 1},         {"phone", 1},
    {"company", 1},    {"title", 1},     {"website", 1},       {"address", 1},
    {"notes", 1},      {"email2", 1},    {"phone2", 1},
    {"source", 1},     {"source-detail", 1}, {"stage", 1},
    {"owner", 1},      {"country", 1},   {"incentive", 1},     {"verified", 1},
    {"aware", 1},      {"last-contact", 1}, {NULL, 0}};

static const char *const signal_options[LV_SIGNAL_COUNT] = {"incentive", "verified", "aware"};

static int lead_input_from_args(const cli *c, const cli_args *a, lv_lead_input *in)
{
    memset(in, 0, sizeof *in);
    in->version = LV_LEAD_INPUT_VERSION;
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        in->field[f] = args_get(a, lead_spec[f].name);
    in->source = args_get(a, "source");
    in->source_detail = args_get(a, "source-detail");
    in->stage = args_get(a, "stage");
    in->owner = args_get(a, "owner");
    in->country = args_get(a, "country");
    for (int i = 0; i < LV_SIGNAL_COUNT; i++) {
        const char *v = args_get(a, signal_options[i]);
        if (v != NULL && lv_signal_parse(&in->signal[i], v) != 0)
            return usage_error(c, "--%s: must be yes, no or unknown", signal_options[i]);
    }
    long long last = 0;
    int rc = args_time(c, a, "last-contact", 0, &last);
    in->last_contact = last;
    return rc;
}

/* The --json shapes of a lead (wire_meta_json, wire_lead_json) are the
 * server's, in server/wire.c: each member is named once for both. */

static void print_meta_text(const lv_lead_meta *m)
{
    char t[32];
    printf("source: %s\n", m->source);
    if (m->source_detail[0])
        printf("source_detail: %s\n", m->source_detail);
    printf("stage: %s\nowner: %s\n", m->stage, m->owner);
    if (m->country[0])
        printf("country: %s\n", m->country);
    printf("incentive: %s\nverified: %s\naware: %s\nquality: %s\n",
           lv_signal_name(m->signal[LV_SIGNAL_INCENTIVE]),
           lv_signal_name(m->signal[LV_SIGNAL_VERIFIED]),
           lv_signal_name(m->signal[LV_SIGNAL_AWARE]), m->quality);
    lv_time_format(t, m->created);
    printf("created: %s\n", t);
    lv_time_format(t, m->updated);
    printf("updated: %s\n", t);
    if (m->last_contact) {
        lv_time_format(t, m->last_contact);
        printf("last_contact: %s\n", t);
    }
}

static void print_lead_text(const lv_lead *lead)
{
    printf("id: %s\n", lead->meta.id);
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->value[f] != NULL)
            print_field(lv_field_name((lv_field)f), lead->value[f], lead->value_len[f]);
    }
    print_meta_text(&lead->meta);
}

static int lead_add(const cli *c, int argc, char **argv)
{
    cli_args a;
    lv_lead_input in;
    int rc = args_parse(&a, lead_spec, argc, argv, c->command_name);
    if (rc != 0 || (rc = lead_input_from_args(c, &a, &in)) != 0)
        return rc;
    if (a.npositional != 0)
        return usage_error(c, "unexpected argument (see 'leadvault help lead add')");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    char id[LV_ID_STRLEN + 1];
    if ((rc = cli_ops->lead_add(vault, id, &in)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, "id", id, "");
}

static int lead_update(const cli *c, int argc, char **argv)
{
    cli_args a;
    lv_lead_input in;
    int rc = args_parse(&a, lead_spec, argc, argv, c->command_name);
    if (rc != 0 || (rc = lead_input_from_args(c, &a, &in)) != 0)
        return rc;
    if (a.npositional != 1)
        return usage_error(c, "expected one lead ID");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->lead_update(vault, a.positional[0], &in)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, "updated", a.positional[0], "updated ");
}

static int parse_fields(const cli *c, const cli_args *a, uint32_t *mask)
{
    *mask = 0;
    const char *list = args_get(a, "fields");
    if (list != NULL && lv_field_mask_parse(mask, list) != 0)
        return usage_error(c, "--fields: %s", lv_error_last());
    return 0;
}

static int lead_get(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"purpose", 1}, {"fields", 1}, {NULL, 0}};
    cli_args a;
    uint32_t mask;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0 || (rc = parse_fields(c, &a, &mask)) != 0)
        return rc;
    if (a.npositional != 1)
        return usage_error(c, "expected one lead ID");
    if (!args_has(&a, "purpose"))
        return usage_error(c, "--purpose is required: every reveal states why");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_lead *lead = NULL;
    if ((rc = cli_ops->lead_get(&lead, vault, a.positional[0], args_get(&a, "purpose"), mask)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(wire_lead_json(lead));
    else
        print_lead_text(lead);
    cli_ops->lead_free(lead);
    return cli_close_vault(c, vault, code);
}

static void print_leads(const cli *c, lv_lead **leads, size_t count, int *code);

static int lead_find(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {
        {"email", 1}, {"phone", 1}, {"purpose", 1}, {"fields", 1}, {NULL, 0}};
    cli_args a;
    uint32_t mask;
    int rc = args_parse(&a, spec, argc, argv, c->command_name);
    if (rc != 0 || (rc = parse_fields(c, &a, &mask)) != 0)
        return rc;
    if (a.npositional != 0)
        return usage_error(c, "unexpected argument");
    if (args_has(&a, "email") == args_has(&a, "phone"))
        return usage_error(c, "give exactly one of --email or --phone");
    if (!args_has(&a, "purpose"))
        return usage_error(c, "--purpose is required: every reveal states why");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_lead **leads = NULL;
    size_t count = 0;
    lv_lookup by = args_has(&a, "email") ? LV_LOOKUP_EMAIL : LV_LOOKUP_PHONE;
    rc = cli_ops->lead_find(&leads, &count, vault, by,
                      args_get(&a, by == LV_LOOKUP_EMAIL ? "email" : "phone"),
                      args_get(&a, "purpose"), mask);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    print_leads(c, leads, count, &code);
    cli_ops->lead_list_free(leads, count);
    if (count == 0 && code == EXIT_OK) {
        if (!c->json)
            (void)fprintf(stderr, "leadvault lead find: no matching lead\n");
        code = EXIT_NOTFOUND;
    }
    return cli_close_vault(c, vault, code);
}

/* A revealed value on one line of a table: line breaks and tabs as spaces. */
static void print_cell(const char *value, size_t len)
{
    for (size_t i = 0; i < len; i++)
        putchar(value[i] == '\n' || value[i] == '\r' || value[i] == '\t' ? ' ' : value[i]);
}

typedef struct list_out {
    json_t *array;
    unsigned long count;
    uint32_t shown; /* fields revealed, in columns after the metadata */
} list_out;

static void print_meta_row(const lv_lead_meta *m)
{
    char created[32];
    lv_time_format(created, m->created);
    printf("%-32s  %-11s  %-19s  %-12s  %-2s  %-6s  %s", m->id, m->stage, m->source, m->owner,
           m->country[0] ? m->country : "-", m->quality, created);
}

static void print_list_header(uint32_t shown);

static int list_one(void *ctx, const lv_lead_meta *m)
{
    list_out *out = ctx;
    if (out->array != NULL) {
        out->count++;
        json_array_append_new(out->array, wire_meta_json(m));
        return 0;
    }
    /* The header comes with the first row (or after an empty listing): a
     * listing whose audit entry fails to commit prints nothing. */
    if (out->count++ == 0)
        print_list_header(0);
    print_meta_row(m);
    putchar('\n');
    return 0;
}

/* The header of lead list, with the names of the shown fields. */
static void print_list_header(uint32_t shown)
{
    printf("%-32s  %-11s  %-19s  %-12s  %-2s  %-6s  %-*s", "ID", "STAGE", "SOURCE", "OWNER", "CC",
           "RATING", shown != 0 ? 24 : 0, "CREATED");
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (shown & (1u << f))
            printf("  %s", lv_field_name((lv_field)f));
    }
    putchar('\n');
}

static int list_shown(void *ctx, const lv_lead *lead)
{
    list_out *out = ctx;
    if (out->array != NULL) {
        out->count++;
        json_array_append_new(out->array, wire_lead_json(lead));
        return 0;
    }
    /* Printed with the first row: a refused listing prints nothing. */
    if (out->count++ == 0)
        print_list_header(out->shown);
    print_meta_row(&lead->meta);
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (!(out->shown & (1u << f)))
            continue;
        (void)fputs("  ", stdout);
        if (lead->value[f] != NULL)
            print_cell(lead->value[f], lead->value_len[f]);
        else
            putchar('-');
    }
    putchar('\n');
    return 0;
}

static int lead_list(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"stage", 1},   {"source", 1}, {"owner", 1},
                                    {"purpose", 1}, {"show", 1},   {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    uint32_t shown = 0;
    if (args_has(&a, "show") != args_has(&a, "purpose"))
        return usage_error(c, "--show FIELD,... and --purpose P go together: every reveal "
                              "states why");
    if (args_has(&a, "show") && lv_field_mask_parse(&shown, args_get(&a, "show")) != 0)
        return usage_error(c, "--show: %s", lv_error_last());
    if (args_has(&a, "show") && shown == 0)
        return usage_error(c, "--show: name at least one field");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_lead_filter filter = {args_get(&a, "stage"), args_get(&a, "source"), args_get(&a, "owner")};
    list_out out = {c->json ? json_array() : NULL, 0, shown};
    rc = shown != 0
             ? cli_ops->lead_list_reveal(vault, &filter, args_get(&a, "purpose"), shown, list_shown, &out)
             : cli_ops->lead_list(vault, &filter, list_one, &out);
    if (rc != 0) {
        json_decref(out.array);
        return cli_close_vault(c, vault, fail(c, rc));
    }
    if (!c->json && out.count == 0)
        print_list_header(shown);
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:o, s:I}", "leads", out.array, "count",
                                    (json_int_t)out.count));
    return cli_close_vault(c, vault, code);
}

static void print_leads(const cli *c, lv_lead **leads, size_t count, int *code)
{
    if (c->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < count; i++)
            json_array_append_new(list, wire_lead_json(leads[i]));
        *code = print_json(json_pack("{s:o}", "leads", list));
        return;
    }
    for (size_t i = 0; i < count; i++) {
        if (i)
            putchar('\n');
        print_lead_text(leads[i]);
    }
}

static int lead_search(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"purpose", 1}, {"limit", 1}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "search TEXT");
    if (rc != 0)
        return rc;
    if (!args_has(&a, "purpose"))
        return usage_error(c, "--purpose is required: every reveal states why");
    size_t limit = LV_SEARCH_LIMIT_DEFAULT;
    if (args_has(&a, "limit")) {
        char *end = NULL;
        const char *text = args_get(&a, "limit");
        unsigned long n = strtoul(text, &end, 10);
        if (text[0] < '0' || text[0] > '9' || *end != '\0' || n < 1 || n > LV_SEARCH_LIMIT_MAX)
            return usage_error(c, "--limit: a number from 1 to %d", LV_SEARCH_LIMIT_MAX);
        limit = n;
    }
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_lead **leads = NULL;
    size_t count = 0;
    rc = cli_ops->lead_search(&leads, &count, vault, a.positional[0], args_get(&a, "purpose"), limit);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    print_leads(c, leads, count, &code);
    cli_ops->lead_list_free(leads, count);
    if (count == limit && code == EXIT_OK)
        (void)fprintf(stderr,
                      "leadvault lead search: showing the first %zu matches; narrow the "
                      "search or raise --limit\n",
                      count);
    if (count == 0 && code == EXIT_OK) {
        if (!c->json)
            (void)fprintf(stderr, "leadvault lead search: no matching lead\n");
        code = EXIT_NOTFOUND;
    }
    return cli_close_vault(c, vault, code);
}

static int lead_assign(const cli *c, int argc, char **argv)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 2, "lead ID and a USER");
    if (rc != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->lead_assign(vault, a.positional[0], a.positional[1])) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(
            json_pack("{s:s, s:s}", "assigned", a.positional[0], "owner", a.positional[1]));
    else
        printf("assigned %s to %s\n", a.positional[0], a.positional[1]);
    return cli_close_vault(c, vault, code);
}

int cmd_lead(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {
        {"add", lead_add, "lead add"},         {"get", lead_get, "lead get"},
        {"find", lead_find, "lead find"},      {"search", lead_search, "lead search"},
        {"list", lead_list, "lead list"},      {"update", lead_update, "lead update"},
        {"assign", lead_assign, "lead assign"}};
    return dispatch(c, "lead", subs, sizeof subs / sizeof subs[0], argc, argv);
}
