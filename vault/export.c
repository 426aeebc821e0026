/* export.c - export of the leads a purpose allows, with its fields only. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "csv_out.h"
#include "error.h"
#include "lead.h"
#include "lead_ops.h"
#include "open_pipe.h"
#include "purpose.h"
#include "util_array.h"
#include "util_id.h"
#include "util_json.h"
#include "util_time.h"

/* The writing pass looks listed leads up one by one, instead of reading
 * the whole table again, when they are fewer than one in LOOKUP_RATIO of
 * it (a lookup costs a few rows' worth of scanning). */
#define LOOKUP_RATIO 4

typedef struct export_ctx {
    lv_vault *vault;
    const store_purpose *purpose;
    const char *stage, *source; /* NULL = any */
    unsigned char *ids;
    size_t count, cap;
    size_t scanned; /* leads in the table */
    int lookup;     /* the writing pass looks ids up (in listing order) */
} export_ctx;

/* 0 when the caller's scope and the purpose's consent rule allow the
 * lead, LV_EDENIED when not. */
static int allowed(lv_vault *vault, const store_purpose *p, const store_lead *lead)
{
    int active = 0, rc = lead_mac_check(vault, lead);
    if (rc == 0 && !session_may_read(vault, lead->owner))
        return LV_EDENIED; /* a scoped user exports only the leads they own */
    if (rc == 0 && p->basis == LV_BASIS_CONSENT)
        rc = consent_is_active(vault, lead, p->name, util_now_ms(), &active);
    if (rc != 0)
        return rc;
    return p->basis != LV_BASIS_CONSENT || active ? 0 : LV_EDENIED;
}

static int collect(void *ctx, const store_lead *lead)
{
    export_ctx *c = ctx;
    c->scanned++;
    if ((c->stage != NULL && strcmp(lead->stage, c->stage) != 0) ||
        (c->source != NULL && strcmp(lead->source, c->source) != 0))
        return 0;
    int rc = allowed(c->vault, c->purpose, lead);
    if (rc == LV_EDENIED)
        return 0;
    if (rc != 0)
        return rc;
    if (util_array_grow((void **)&c->ids, &c->cap, c->count + 1, LV_ID_BYTES, 1024) != 0)
        return LV_ERROR;
    memcpy(c->ids + c->count++ * LV_ID_BYTES, lead->id, LV_ID_BYTES);
    return 0;
}

static int write_json_line(lv_write_fn fn, void *ctx, const char *id, uint32_t mask,
                           char *const values[], const size_t lens[])
{
    json_t *o = json_pack("{s:s}", "id", id);
    for (int f = 0; o != NULL && f < LV_FIELD_COUNT; f++) {
        if (!(mask & (1u << f)) || values[f] == NULL)
            continue;
        /* A line without the field would pass for a whole one. */
        json_t *value = json_stringn(values[f], lens[f]);
        if (json_object_set_new(o, lv_field_name((lv_field)f), value) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    char *text = o != NULL ? util_json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (text == NULL)
        return err_set(LV_ERROR, "out of memory");
    int bad = fn(ctx, text, strlen(text)) != 0 || fn(ctx, "\n", 1) != 0;
    util_json_free(text);
    return bad ? err_set(LV_ERROR, "cannot write the export") : 0;
}

/* The writing pass, from a new snapshot: the leads the audit entry lists,
 * each re-checked (one erased, or whose consent was withdrawn, since the
 * entry is left out). It looks the listed ids up one by one, or reads the
 * table again and keeps the leads found in the sorted ids (one added
 * since the entry is not listed); see lv_export. */
typedef struct write_ctx {
    lv_vault *vault;
    const store_purpose *purpose;
    uint32_t mask;
    const lv_export_options *opts;
    const export_ctx *listed;
    csv_out csv;
    open_pipe *pipe;
    uint64_t exported;
} write_ctx;

static int id_cmp(const void *a, const void *b)
{
    return memcmp(a, b, LV_ID_BYTES);
}

/* Checked here, decrypted on the pipe's thread, written by write_opened. */
static int write_lead(void *ctx, const store_lead *lead)
{
    write_ctx *w = ctx;
    if (!w->listed->lookup &&
        bsearch(lead->id, w->listed->ids, w->listed->count, LV_ID_BYTES, id_cmp) == NULL)
        return 0; /* added since the audit entry, or not allowed then */
    int rc = allowed(w->vault, w->purpose, lead);
    if (rc != 0)
        return rc == LV_EDENIED ? 0 : rc;
    return open_pipe_add(w->pipe, lead);
}

static int write_opened(void *ctx, const unsigned char lead_id[LV_ID_BYTES],
                        char *const values[LV_FIELD_COUNT], const size_t vlens[LV_FIELD_COUNT])
{
    write_ctx *w = ctx;
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, lead_id);
    int rc;
    if (w->opts->format == LV_FORMAT_JSON) {
        rc = write_json_line(w->csv.fn, w->csv.ctx, id, w->mask, values, vlens);
    } else {
        const char *cells[LV_FIELD_COUNT + 1];
        size_t lens[LV_FIELD_COUNT + 1];
        size_t n = 0;
        cells[n] = id;
        lens[n++] = LV_ID_STRLEN;
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            if (w->mask & (1u << f)) {
                cells[n] = values[f] != NULL ? values[f] : "";
                lens[n++] = values[f] != NULL ? vlens[f] : 0;
            }
        }
        rc = csv_out_row(&w->csv, cells, lens, n);
    }
    if (rc == 0)
        w->exported++;
    return rc;
}

static int write_rows(lv_vault *vault, const store_purpose *p, uint32_t mask,
                      const lv_export_options *opts, const export_ctx *c, lv_write_fn fn,
                      void *ctx, uint64_t *exported)
{
    write_ctx w = {vault, p, mask, opts, c, {fn, ctx, NULL, 0}, NULL, 0};
    int rc = 0;
    if (opts->format != LV_FORMAT_JSON) {
        const char *cells[LV_FIELD_COUNT + 1];
        size_t lens[LV_FIELD_COUNT + 1];
        size_t n = 0;
        cells[n] = "id";
        lens[n++] = 2;
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            if (mask & (1u << f)) {
                cells[n] = lv_field_name((lv_field)f);
                lens[n] = strlen(cells[n]);
                n++;
            }
        }
        rc = csv_out_row(&w.csv, cells, lens, n);
    }
    /* A second thread pays off once there are a few chunks to open. */
    if (rc == 0 && c->count > 0 &&
        (rc = open_pipe_new(&w.pipe, vault, mask, write_opened, &w, c->count > 1024)) == 0) {
        if (c->lookup) {
            for (size_t i = 0; rc == 0 && i < c->count; i++) {
                store_lead lead;
                rc = store_lead_get(vault->store, c->ids + i * LV_ID_BYTES, &lead);
                if (rc == LV_ENOTFOUND) /* erased since the audit entry */
                    rc = 0;
                else if (rc == 0)
                    rc = write_lead(&w, &lead);
            }
        } else {
            store_lead_filter all = {.storage_order = 1};
            rc = store_lead_each(vault->store, &all, 1, write_lead, &w);
        }
        if (rc == 0)
            rc = open_pipe_finish(w.pipe);
    }
    open_pipe_free(w.pipe);
    csv_out_free(&w.csv);
    *exported = w.exported;
    return rc;
}

int lv_export(lv_vault *vault, const lv_export_options *opts, lv_write_fn fn, void *ctx,
              uint64_t *exported)
{
    err_clear();
    *exported = 0;
    if (opts == NULL || opts->version != LV_EXPORT_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "export options: wrong version");
    audit_event event = {.action = "lead.export", .purpose = opts->purpose};
    if (!purpose_name_valid(opts->purpose))
        return err_set(LV_EINVAL, "purpose: required (lower-case letters, digits and _)");
    int rc = audit_gate(vault, POLICY_LEAD_REVEAL, &event);
    if (rc != 0)
        return rc;
    const char *stage = NULL, *source = NULL;
    if ((opts->stage != NULL && (rc = lead_stage_resolve(&stage, opts->stage)) != 0) ||
        (opts->source != NULL && (rc = lead_source_resolve(&source, opts->source)) != 0))
        return rc;
    store_purpose p;
    uint32_t mask = 0;
    char names[160] = "";
    export_ctx c = {.vault = vault, .purpose = &p, .stage = stage, .source = source};
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    if ((rc = purpose_authorize(vault, opts->purpose, 0, &p, &mask)) == 0) {
        /* Stage and source are compared here, not in SQL, so that the
         * pass also counts the table's leads for the writing pass. */
        store_lead_filter filter = {.storage_order = 1};
        /* A damaged page of the lead table or its id index would leave its
         * leads out of the export silently; checking it costs a few percent
         * of the export. */
        if ((rc = store_check_table(vault->store, "lead", 0)) == 0)
            rc = store_lead_each(vault->store, &filter, 0, collect, &c);
        /* Either the ids are looked up in the order listed (the order the
         * leads were added), or the table is read again and each lead
         * found in the sorted ids. */
        c.lookup = c.count < c.scanned / LOOKUP_RATIO;
        if (rc == 0 && !c.lookup && c.count > 1)
            qsort(c.ids, c.count, LV_ID_BYTES, id_cmp);
        for (int f = 0, at = 0; f < LV_FIELD_COUNT; f++) {
            if (mask & (1u << f))
                at += snprintf(names + at, sizeof names - (size_t)at, "%s%s", at ? "," : "",
                               lv_field_name((lv_field)f));
        }
    }
    event.fields = names;
    event.lead_ids = c.ids;
    event.lead_count = rc == 0 ? c.count : 0;
    /* Every lead is in the audit log before any of it leaves. */
    if ((rc = audit_commit(vault, rc, &event)) == 0 &&
        (rc = store_begin_read(vault->store)) == 0) {
        rc = write_rows(vault, &p, mask, opts, &c, fn, ctx, exported);
        store_rollback(vault->store);
    }
    free(c.ids);
    return rc;
}
