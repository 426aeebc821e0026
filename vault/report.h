/* report.h - compliance reports. Each kind builds one model, a JSON object
 * (docs/reports.md), from the vault and from the verified audit log; the
 * renderers write that same model as HTML, CSV or JSON, so the three
 * formats carry the same figures. Models hold counts, lead ids and names
 * of users, roles, purposes, fields and rules: never a field value.
 *
 * A model: {"report", "title", "vault_id", "generated", "generated_by",
 * "period": {"from", "to"}, "audit": {...}, "sections": [...]}, each
 * section {"id", "title", "text", "columns": [names], "rows": [[cells]],
 * "chart": {...} (optional)}. Cells are strings or integers. */
#ifndef LV_REPORT_H
#define LV_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "session.h"
#include "store.h"

#define REPORT_DAY_MS ((int64_t)86400000)
/* Longest lists a section shows (the counts above them cover all). */
#define REPORT_LIST_MAX 1000

typedef struct report_ctx {
    lv_vault *vault;
    int64_t from, to, now; /* period (inclusive, unix ms) and the time of the report */
    uint64_t verified;     /* figures use audit entries 1..verified only */
    json_t *model;
    json_t *sections;
} report_ctx;

/* A new section appended to the model: columns is NULL-terminated; text
 * may be NULL. Returns the section (borrowed), NULL when out of memory. */
json_t *report_section(report_ctx *r, const char *id, const char *title, const char *text,
                       const char *const *columns);
/* Append a row built by json_pack(fmt, ...) (an array) to section. */
int report_row(json_t *section, const char *fmt, ...);
/* A bar chart of column value_col labelled by column label_col. */
int report_chart_bars(json_t *section, const char *title, int label_col, int value_col);
/* A heat map: rows from row_col, columns from col_col, value value_col. */
int report_chart_heat(json_t *section, const char *title, int row_col, int col_col,
                      int value_col);
/* Set a note under a section's table (when a list was cut, say). */
int report_note(json_t *section, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Walk the verified audit entries (seq <= r->verified), those of the
 * period only when in_period. */
int report_audit_each(report_ctx *r, int in_period, store_audit_fn fn, void *ctx);
/* An entry's time in unix ms (0 when unreadable). */
int64_t report_time_ms(const char *rfc3339);
/* "YYYY-MM-DD" of a unix ms time. */
void report_day(char out[11], int64_t ms);
/* Share n of total in percent with one decimal, as text ("0.0" for 0). */
void report_share(char out[16], uint64_t n, uint64_t total);
/* Lead id as 32 hex characters. */
void report_id(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES]);

/* What several kinds read (report_model.c), each record's MAC checked
 * (LV_ECORRUPT otherwise). Arrays are freed with free(). */
int report_load_purposes(report_ctx *r, store_purpose **out, size_t *count);
int report_load_rules(report_ctx *r, store_rule **out, size_t *count);
/* A rule's conditions in words ("stage lost, created over 365 days ago"). */
void report_rule_text(char out[256], const store_rule *rule);
/* "email,phone" of a field mask. */
void report_fields_text(char out[160], uint32_t fields);
/* Count of leads (one scan of the lead table, no decryption). */
int report_lead_total(report_ctx *r, uint64_t *total);

/* Tallies: a JSON object from a key of parts joined by REPORT_SEP to
 * [count, leads, first seq, last seq]. */
#define REPORT_SEP "\x1f"
int report_tally_add(json_t *tally, const char *key, uint64_t leads, uint64_t seq);
/* One row per key, in key order: the key's parts as strings, then count,
 * leads (when with_leads), first seq, last seq. */
int report_tally_rows(json_t *section, json_t *tally, int with_leads);

/* The keys of a JSON object in byte order (free() the array; the keys
 * stay the object's). NULL when out of memory (message set). */
const char **report_sorted_keys(json_t *object, size_t *n);
/* Sort texts in byte order. */
void report_sort_texts(const char **texts, size_t n);

/* Text of a model cell: a string as is, an integer in decimal, else "". */
const char *report_cell_text(const json_t *cell, char number[32]);
/* Count one more at the day (UTC) of ms in days, an object day -> count. */
int report_day_count(json_t *days, int64_t ms);
/* A section listing the retention rules and their conditions. */
int report_rules_section(report_ctx *r, const char *id, const char *title, const char *text);

/* The kinds. */
int report_processing(report_ctx *r);
int report_access(report_ctx *r);
int report_consent(report_ctx *r);
int report_retention(report_ctx *r);
int report_erasure(report_ctx *r);

/* Renderers of a finished model; they return 0 or LV_ERROR. */
int report_render_html(const json_t *model, lv_write_fn fn, void *ctx);
int report_render_csv(const json_t *model, lv_write_fn fn, void *ctx);

#endif
