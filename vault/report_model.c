/* report_model.c - what every report kind uses: sections and rows of the
 * model, the walk over the verified audit log, tallies, and the records
 * several kinds read, MAC-checked. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "purpose.h"
#include "report.h"
#include "retention.h"
#include "util_array.h"
#include "util_id.h"

typedef struct purpose_list {
    report_ctx *r;
    store_purpose *items;
    size_t count, cap;
} purpose_list;

static int take_purpose(void *ctx, const store_purpose *p)
{
    purpose_list *list = ctx;
    if (!purpose_mac_valid(list->r->vault, p))
        return err_set(LV_ECORRUPT, "integrity failure: purpose %s was altered", p->name);
    store_purpose *slot = util_array_append((void **)&list->items, &list->count, &list->cap,
                                            sizeof *list->items, 8);
    if (slot == NULL)
        return LV_ERROR;
    *slot = *p;
    return 0;
}

int report_load_purposes(report_ctx *r, store_purpose **out, size_t *count)
{
    purpose_list list = {r, NULL, 0, 0};
    int rc = store_purpose_each(r->vault->store, take_purpose, &list);
    if (rc != 0) {
        free(list.items);
        return rc;
    }
    *out = list.items;
    *count = list.count;
    return 0;
}

typedef struct rule_list {
    report_ctx *r;
    store_rule *items;
    size_t count, cap;
} rule_list;

static int take_rule(void *ctx, const store_rule *rule)
{
    rule_list *list = ctx;
    int rc = retention_rule_check(list->r->vault, rule);
    if (rc != 0)
        return rc;
    store_rule *slot = util_array_append((void **)&list->items, &list->count, &list->cap,
                                         sizeof *list->items, 8);
    if (slot == NULL)
        return LV_ERROR;
    *slot = *rule;
    return 0;
}

int report_load_rules(report_ctx *r, store_rule **out, size_t *count)
{
    rule_list list = {r, NULL, 0, 0};
    int rc = store_rule_each(r->vault->store, take_rule, &list);
    if (rc != 0) {
        free(list.items);
        return rc;
    }
    *out = list.items;
    *count = list.count;
    return 0;
}

void report_rule_text(char out[256], const store_rule *rule)
{
    int at = 0;
    out[0] = '\0';
#define PART(...)                                                                                  \
    do {                                                                                           \
        if (at < 256)                                                                              \
            at += snprintf(out + at, 256 - (size_t)at, "%s", at ? ", " : "");                     \
        if (at < 256)                                                                              \
            at += snprintf(out + at, 256 - (size_t)at, __VA_ARGS__);                               \
    } while (0)
    if (rule->stage[0])
        PART("stage %s", rule->stage);
    if (rule->source[0])
        PART("source %s", rule->source);
    if (rule->no_consent)
        PART("no active consent");
    if (rule->consent_withdrawn)
        PART("consent withdrawn");
    if (rule->older_than_ms)
        PART("created over %lld days ago", (long long)(rule->older_than_ms / REPORT_DAY_MS));
    if (rule->inactive_ms)
        PART("no contact for %lld days", (long long)(rule->inactive_ms / REPORT_DAY_MS));
#undef PART
}

void report_fields_text(char out[160], uint32_t fields)
{
    size_t at = 0;
    out[0] = '\0';
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (!(fields >> f & 1))
            continue;
        int n = snprintf(out + at, 160 - at, "%s%s", at ? "," : "", lv_field_name((lv_field)f));
        if (n < 0 || (size_t)n >= 160 - at)
            break;
        at += (size_t)n;
    }
}

static int count_lead(void *ctx, const char *stage, const char *source)
{
    (void)stage;
    (void)source;
    (*(uint64_t *)ctx)++;
    return 0;
}

int report_lead_total(report_ctx *r, uint64_t *total)
{
    *total = 0;
    return store_lead_labels(r->vault->store, count_lead, total);
}

int report_tally_add(json_t *tally, const char *key, uint64_t leads, uint64_t seq)
{
    json_t *row = json_object_get(tally, key);
    if (row == NULL) {
        row = json_pack("[I, I, I, I]", (json_int_t)0, (json_int_t)0, (json_int_t)seq,
                        (json_int_t)seq);
        if (row == NULL || json_object_set_new_nocheck(tally, key, row) != 0)
            return err_set(LV_ERROR, "out of memory");
    }
    json_integer_set(json_array_get(row, 0), json_integer_value(json_array_get(row, 0)) + 1);
    json_integer_set(json_array_get(row, 1),
                     json_integer_value(json_array_get(row, 1)) + (json_int_t)leads);
    json_integer_set(json_array_get(row, 3), (json_int_t)seq);
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **report_sorted_keys(json_t *object, size_t *n)
{
    *n = json_object_size(object);
    const char **keys = calloc(*n ? *n : 1, sizeof *keys);
    if (keys == NULL) {
        err_set(LV_ERROR, "out of memory");
        return NULL;
    }
    size_t i = 0;
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value)
    {
        keys[i++] = key;
    }
    qsort(keys, *n, sizeof *keys, by_text);
    return keys;
}

void report_sort_texts(const char **texts, size_t n)
{
    if (n > 0)
        qsort(texts, n, sizeof *texts, by_text);
}

int report_tally_rows(json_t *section, json_t *tally, int with_leads)
{
    size_t n = 0, i;
    const char **keys = report_sorted_keys(tally, &n);
    if (keys == NULL)
        return LV_ERROR;
    int rc = 0;
    json_t *rows = json_object_get(section, "rows");
    for (i = 0; rc == 0 && i < n; i++) {
        json_t *row = json_array(), *counts = json_object_get(tally, keys[i]);
        for (const char *part = keys[i]; row != NULL && part != NULL;) {
            const char *sep = strchr(part, REPORT_SEP[0]);
            size_t len = sep != NULL ? (size_t)(sep - part) : strlen(part);
            json_array_append_new(row, json_stringn_nocheck(part, len));
            part = sep != NULL ? sep + 1 : NULL;
        }
        for (size_t k = 0; row != NULL && k < 4; k++)
            if (k != 1 || with_leads)
                json_array_append(row, json_array_get(counts, k));
        if (row == NULL || json_array_append_new(rows, row) != 0)
            rc = err_set(LV_ERROR, "out of memory");
    }
    free(keys);
    return rc;
}

/* ---- sections, rows, charts ---- */

json_t *report_section(report_ctx *r, const char *id, const char *title, const char *text,
                       const char *const *columns)
{
    json_t *cols = json_array();
    for (size_t i = 0; cols != NULL && columns[i] != NULL; i++)
        json_array_append_new(cols, json_string(columns[i]));
    json_t *section = json_pack("{s:s, s:s, s:s, s:o, s:[]}", "id", id, "title", title, "text",
                                text != NULL ? text : "", "columns", cols, "rows");
    if (section == NULL || json_array_append_new(r->sections, section) != 0)
        return NULL;
    return section;
}

int report_row(json_t *section, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *row = json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    if (row == NULL || json_array_append_new(json_object_get(section, "rows"), row) != 0)
        return err_set(LV_ERROR, "out of memory");
    return 0;
}

int report_chart_bars(json_t *section, const char *title, int label_col, int value_col)
{
    json_t *chart = json_pack("{s:s, s:s, s:i, s:i}", "type", "bars", "title", title, "label",
                              label_col, "value", value_col);
    return chart != NULL && json_object_set_new(section, "chart", chart) == 0
               ? 0
               : err_set(LV_ERROR, "out of memory");
}

int report_chart_heat(json_t *section, const char *title, int row_col, int col_col, int value_col)
{
    json_t *chart = json_pack("{s:s, s:s, s:i, s:i, s:i}", "type", "heatmap", "title", title,
                              "row", row_col, "column", col_col, "value", value_col);
    return chart != NULL && json_object_set_new(section, "chart", chart) == 0
               ? 0
               : err_set(LV_ERROR, "out of memory");
}

int report_note(json_t *section, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return json_object_set_new(section, "note", json_string(text)) == 0
               ? 0
               : err_set(LV_ERROR, "out of memory");
}

int64_t report_time_ms(const char *rfc3339)
{
    int64_t ms = 0;
    return lv_time_parse(&ms, rfc3339) == 0 ? ms : 0;
}

void report_day(char out[11], int64_t ms)
{
    char text[32];
    lv_time_format(text, ms);
    memcpy(out, text, 10);
    out[10] = '\0';
}

void report_share(char out[16], uint64_t n, uint64_t total)
{
    /* Rounded half up in integers, so every platform prints the same. */
    uint64_t tenths = total > 0 ? (n * 2000 / total + 1) / 2 : 0;
    (void)snprintf(out, 16, "%u.%u", (unsigned)(tenths / 10 % 10000), (unsigned)(tenths % 10));
}

void report_id(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES])
{
    util_id_to_hex(out, id);
}

typedef struct verified_walk {
    uint64_t last;
    int64_t from, to; /* to 0: no period */
    store_audit_fn fn;
    void *ctx;
} verified_walk;

static int verified_entry(void *ctx, const store_audit *e)
{
    verified_walk *w = ctx;
    if (e->seq > w->last)
        return 2; /* appended after the verification: not a figure */
    if (w->to != 0) {
        int64_t t = report_time_ms(e->time);
        if (t < w->from || t > w->to)
            return 0;
    }
    return w->fn(w->ctx, e);
}

int report_audit_each(report_ctx *r, int in_period, store_audit_fn fn, void *ctx)
{
    store_audit_filter filter = {0};
    verified_walk w = {r->verified, in_period ? r->from : 0, in_period ? r->to : 0, fn, ctx};
    int rc = store_audit_each(r->vault->store, &filter, verified_entry, &w);
    return rc == 2 ? 0 : rc;
}


const char *report_cell_text(const json_t *cell, char number[32])
{
    if (json_is_string(cell))
        return json_string_value(cell);
    if (json_is_integer(cell)) {
        (void)snprintf(number, 32, "%lld", (long long)json_integer_value(cell));
        return number;
    }
    return "";
}

int report_day_count(json_t *days, int64_t ms)
{
    char day[11];
    report_day(day, ms);
    json_t *count = json_object_get(days, day);
    if (count == NULL)
        return json_object_set_new(days, day, json_integer(1)) == 0
                   ? 0
                   : err_set(LV_ERROR, "out of memory");
    return json_integer_set(count, json_integer_value(count) + 1);
}

int report_rules_section(report_ctx *r, const char *id, const char *title, const char *text)
{
    static const char *const columns[] = {"rule", "erases leads with", NULL};
    json_t *s = report_section(r, id, title, text, columns);
    store_rule *rules = NULL;
    size_t n = 0;
    int rc = s != NULL ? report_load_rules(r, &rules, &n) : err_set(LV_ERROR, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char conditions[256];
        report_rule_text(conditions, &rules[i]);
        rc = report_row(s, "[s, s]", rules[i].name, conditions);
    }
    free(rules);
    return rc;
}
