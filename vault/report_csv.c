/* report_csv.c - a report model as CSV: first the report's facts as
 * name,value rows, then per section a row "section,ID,TITLE", its header
 * row and its rows, each block followed by an empty line (docs/reports.md).
 * Cells go through csv_out, which neutralizes spreadsheet formulas. */
#include <stdio.h>
#include <string.h>

#include "csv_out.h"
#include "error.h"
#include "report.h"

static int row_of(csv_out *out, const json_t *const *values, size_t n)
{
    const char *cells[64];
    size_t lens[64];
    char numbers[64][32];
    if (n > 64)
        return err_set(LV_ERROR, "report: too many columns");
    for (size_t i = 0; i < n; i++) {
        cells[i] = report_cell_text(values[i], numbers[i]);
        lens[i] = strlen(cells[i]);
    }
    return csv_out_row(out, cells, lens, n);
}

static int fact(csv_out *out, const char *name, const json_t *value)
{
    json_t *label = json_string(name);
    const json_t *pair[2] = {label, value};
    int rc = label != NULL ? row_of(out, pair, 2) : err_set(LV_ERROR, "out of memory");
    json_decref(label);
    return rc;
}

static int blank(csv_out *out)
{
    return out->fn(out->ctx, "\r\n", 2) != 0 ? err_set(LV_ERROR, "cannot write the report") : 0;
}

static int facts(csv_out *out, const json_t *model)
{
    static const char *const top[] = {"report", "title", "vault_id", "generated",
                                      "generated_by"};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof top / sizeof top[0]; i++)
        rc = fact(out, top[i], json_object_get(model, top[i]));
    const json_t *period = json_object_get(model, "period");
    const json_t *audit = json_object_get(model, "audit");
    const json_t *cp = json_object_get(audit, "last_checkpoint");
    if (rc == 0)
        rc = fact(out, "period_from", json_object_get(period, "from"));
    if (rc == 0)
        rc = fact(out, "period_to", json_object_get(period, "to"));
    static const char *const audit_keys[] = {"entries_verified", "head_seq", "head_hash",
                                             "checkpoints_verified"};
    for (size_t i = 0; rc == 0 && i < sizeof audit_keys / sizeof audit_keys[0]; i++) {
        char name[48];
        (void)snprintf(name, sizeof name, "audit_%s", audit_keys[i]);
        rc = fact(out, name, json_object_get(audit, audit_keys[i]));
    }
    if (rc == 0)
        rc = fact(out, "audit_checkpoint_size", json_object_get(cp, "size"));
    if (rc == 0)
        rc = fact(out, "audit_checkpoint_time", json_object_get(cp, "time"));
    return rc == 0 ? blank(out) : rc;
}

static int section_csv(csv_out *out, const json_t *section)
{
    json_t *head = json_string("section");
    const json_t *first[3] = {head, json_object_get(section, "id"),
                              json_object_get(section, "title")};
    int rc = head != NULL ? row_of(out, first, 3) : err_set(LV_ERROR, "out of memory");
    json_decref(head);
    const json_t *columns = json_object_get(section, "columns");
    const json_t *cells[64];
    size_t n = json_array_size(columns);
    for (size_t i = 0; i < n && i < 64; i++)
        cells[i] = json_array_get(columns, i);
    if (rc == 0)
        rc = row_of(out, cells, n);
    const json_t *rows = json_object_get(section, "rows");
    for (size_t r = 0; rc == 0 && r < json_array_size(rows); r++) {
        const json_t *row = json_array_get(rows, r);
        size_t m = json_array_size(row);
        for (size_t i = 0; i < m && i < 64; i++)
            cells[i] = json_array_get(row, i);
        rc = row_of(out, cells, m);
    }
    return rc == 0 ? blank(out) : rc;
}

int report_render_csv(const json_t *model, lv_write_fn fn, void *ctx)
{
    csv_out out = {fn, ctx, NULL, 0};
    int rc = facts(&out, model);
    const json_t *sections = json_object_get(model, "sections");
    for (size_t i = 0; rc == 0 && i < json_array_size(sections); i++)
        rc = section_csv(&out, json_array_get(sections, i));
    csv_out_free(&out);
    return rc;
}
