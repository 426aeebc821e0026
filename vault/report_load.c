/* report_load.c - the records several report kinds read, MAC-checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "purpose.h"
#include "report.h"
#include "retention.h"
#include "util_array.h"

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

int report_tally_rows(json_t *section, json_t *tally, int with_leads)
{
    size_t n = json_object_size(tally), i = 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (keys == NULL)
        return err_set(LV_ERROR, "out of memory");
    const char *key;
    json_t *value;
    json_object_foreach(tally, key, value)
    {
        keys[i++] = key;
    }
    qsort(keys, n, sizeof *keys, by_text);
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
