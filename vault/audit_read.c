/* audit_read.c - read the audit log: show and export (JSON Lines, CSV)
 * under one filter, public key, checkpoint text. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_action.h"
#include "checkpoint.h"
#include "csv_out.h"
#include "error.h"
#include "policy.h"
#include "util_id.h"
#include "util_name.h"
#include "util_json.h"

static void entry_from_store(lv_audit_entry *out, const store_audit *e)
{
    memset(out, 0, sizeof *out);
    out->seq = e->seq;
    out->time = e->time;
    out->actor = e->actor;
    out->role = e->role;
    out->os_user = e->os_user;
    out->action = e->action;
    out->subject = e->subject;
    out->fields = e->fields;
    out->purpose = e->purpose;
    out->outcome = e->outcome;
    out->request = e->request;
    out->code = e->code;
    out->lead_count = e->lead_count;
    out->lead_ids = e->lead_ids;
    memcpy(out->prev_hash, e->prev_hash, 32);
    memcpy(out->hash, e->hash, 32);
}

/* Open the read, let walk() run inside one transaction, then append the
 * audit entry of the reading itself. */
static int audited_read(lv_vault *vault, policy_action action, audit_event *event,
                        int (*walk)(lv_vault *, void *), void *ctx)
{
    int rc = audit_gate(vault, action, event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    return audit_commit(vault, walk(vault, ctx), event);
}

/* ---- filter ---- */

/* A filter checked and ready: what SQL narrows (lead, actor) in store,
 * the rest compared here, times as times. */
typedef struct entry_filter {
    store_audit_filter store;
    unsigned char lead_id[LV_ID_BYTES];
    const char *action, *purpose, *outcome;
    int64_t since, until;
    int any;             /* some condition is set */
} entry_filter;

typedef struct purpose_names {
    const char *names[33];
    char text[32][LV_PURPOSE_NAME_MAX + 1];
    size_t count;
} purpose_names;

static int collect_purpose_name(void *ctx, const store_purpose *p)
{
    purpose_names *n = ctx;
    if (n->count < 32) {
        (void)snprintf(n->text[n->count], sizeof n->text[0], "%s", p->name);
        n->names[n->count] = n->text[n->count];
        n->count++;
    }
    return 0;
}

static int filter_prepare(entry_filter *f, const lv_audit_filter *filter, audit_event *event)
{
    static const char *const outcomes[] = {"ok", "denied", "error", NULL};
    memset(f, 0, sizeof *f);
    if (filter == NULL)
        return 0;
    if (filter->version != LV_AUDIT_FILTER_VERSION)
        return err_set(LV_EINVAL, "audit filter: wrong version");
    if (filter->lead_id != NULL) {
        int rc = util_id_from_hex(f->lead_id, filter->lead_id);
        if (rc != 0)
            return rc;
        f->store.lead_id = f->lead_id;
        event->lead_ids = f->lead_id;
        event->lead_count = 1;
    }
    if (filter->action != NULL && audit_action_pattern_check(filter->action) != 0)
        return LV_EINVAL;
    if (filter->outcome != NULL &&
        (f->outcome = util_name_lookup(outcomes, filter->outcome)) == NULL)
        return util_name_unknown("outcome", "outcome", filter->outcome, outcomes);
    if (filter->since < 0 || filter->until < 0)
        return err_set(LV_EINVAL, "audit filter: a time before 1970");
    f->store.actor = filter->user;
    f->action = filter->action;
    f->purpose = filter->purpose;
    f->since = filter->since;
    f->until = filter->until;
    f->any = filter->lead_id != NULL || filter->user != NULL || filter->action != NULL ||
             filter->purpose != NULL || filter->outcome != NULL || filter->since != 0 ||
             filter->until != 0;
    return 0;
}

static int names_purpose(void *ctx, const store_audit *e)
{
    return strcmp(e->purpose, ctx) == 0 ? 1 : 0;
}

/* Inside the reading's transaction, before anything is written: a purpose
 * the vault does not have is still one to search for when the log names
 * it (a denied attempt); otherwise it is refused with the vault's names. */
static int filter_check_purpose(lv_vault *vault, const entry_filter *f)
{
    store_purpose p;
    if (f->purpose == NULL)
        return 0;
    int rc = store_purpose_get(vault->store, f->purpose, &p);
    if (rc != LV_ENOTFOUND)
        return rc;
    rc = store_audit_each(vault->store, NULL, names_purpose, (void *)f->purpose);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    purpose_names n = {.count = 0};
    if ((rc = store_purpose_each(vault->store, collect_purpose_name, &n)) != 0)
        return rc;
    n.names[n.count] = NULL;
    return util_name_unknown("purpose", "purpose", f->purpose, n.names);
}

static int filter_match(const entry_filter *f, const store_audit *e)
{
    if (f->purpose != NULL && strcmp(e->purpose, f->purpose) != 0)
        return 0;
    if (f->action != NULL && !audit_action_match(f->action, e->action))
        return 0;
    if (f->outcome != NULL && strcmp(e->outcome, f->outcome) != 0)
        return 0;
    if (f->since != 0 || f->until != 0) {
        /* An entry whose time does not parse (only a damaged log has one)
         * cannot be placed in time: it matches no bound. */
        int64_t t = 0;
        if (lv_time_parse(&t, e->time) != 0 || (f->since != 0 && t < f->since) ||
            (f->until != 0 && t > f->until))
            return 0;
    }
    return 1;
}

/* ---- show ---- */

typedef struct show_ctx {
    entry_filter filter;
    lv_audit_fn fn;
    void *ctx;
} show_ctx;

static int show_one(void *ctx, const store_audit *e)
{
    show_ctx *c = ctx;
    if (!filter_match(&c->filter, e))
        return 0;
    lv_audit_entry entry;
    entry_from_store(&entry, e);
    return c->fn(c->ctx, &entry) != 0 ? 1 : 0;
}

static int show_walk(lv_vault *vault, void *ctx)
{
    show_ctx *c = ctx;
    int rc = filter_check_purpose(vault, &c->filter);
    if (rc == 0)
        rc = store_audit_each(vault->store, &c->filter.store, show_one, ctx);
    return rc == 1 ? 0 : rc;
}

int lv_audit_show(lv_vault *vault, const lv_audit_filter *filter, lv_audit_fn fn, void *ctx)
{
    err_clear();
    show_ctx c = {.fn = fn, .ctx = ctx};
    audit_event event = {.action = "audit.show"};
    int rc = filter_prepare(&c.filter, filter, &event);
    if (rc != 0)
        return rc;
    return audited_read(vault, POLICY_AUDIT_READ, &event, show_walk, &c);
}

/* ---- export ---- */

typedef struct export_ctx {
    lv_write_fn fn;
    void *ctx;
    const lv_vault *vault;
    entry_filter filter;
    int filtered;
    lv_export_format format;
    csv_out csv;
} export_ctx;

static int write_line(export_ctx *c, json_t *o)
{
    if (o == NULL)
        return err_set(LV_ERROR, "out of memory");
    char *text = util_json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text == NULL)
        return err_set(LV_ERROR, "out of memory");
    size_t n = strlen(text);
    int rc = c->fn(c->ctx, text, n) != 0 || c->fn(c->ctx, "\n", 1) != 0;
    util_json_free(text);
    return rc ? err_set(LV_ERROR, "cannot write the export") : 0;
}

static json_t *hex_string(const unsigned char *bin, size_t len)
{
    char hex[2 * 32 + 1];
    sodium_bin2hex(hex, sizeof hex, bin, len);
    return json_string(hex);
}

static int export_checkpoint(void *ctx, const store_checkpoint *cp)
{
    export_ctx *c = ctx;
    checkpoint_signed text;
    checkpoint_from_store(&text, c->vault->id, cp);
    char formatted[LV_AUDIT_TEXT_MAX];
    checkpoint_format(formatted, &text);
    return write_line(c, json_pack("{s:s, s:s}", "type", "checkpoint", "checkpoint", formatted));
}

static const char *const csv_columns[] = {
    "seq",     "time",    "actor",   "role",  "os_user", "action",  "subject",
    "lead_id", "fields",  "purpose", "outcome", "error", "request", "hash",
};
#define CSV_COLUMNS (sizeof csv_columns / sizeof csv_columns[0])

/* One row per lead id (one row with an empty lead_id when there is none).
 * The error column holds lv_strerror's text, not the negative code, which
 * the formula guard would prefix with an apostrophe. */
static int export_csv_entry(export_ctx *c, const store_audit *e)
{
    char seq[24], hash[2 * 32 + 1], lead[LV_ID_STRLEN + 1] = "";
    (void)snprintf(seq, sizeof seq, "%llu", (unsigned long long)e->seq);
    sodium_bin2hex(hash, sizeof hash, e->hash, 32);
    const char *cells[CSV_COLUMNS] = {seq,         e->time,    e->actor,   e->role,    e->os_user,
                                      e->action,   e->subject, lead,       e->fields,  e->purpose,
                                      e->outcome,  e->code != 0 ? lv_strerror(e->code) : "",
                                      e->request,  hash};
    size_t lens[CSV_COLUMNS];
    for (size_t i = 0; i < CSV_COLUMNS; i++)
        lens[i] = strlen(cells[i]);
    size_t rows = e->lead_count > 0 ? e->lead_count : 1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < rows; i++) {
        if (e->lead_count > 0)
            util_id_to_hex(lead, e->lead_ids + i * LV_ID_BYTES);
        lens[7] = strlen(lead);
        rc = csv_out_row(&c->csv, cells, lens, CSV_COLUMNS);
    }
    return rc;
}

static int export_entry(void *ctx, const store_audit *e)
{
    export_ctx *c = ctx;
    if (!filter_match(&c->filter, e))
        return 0;
    if (c->format == LV_FORMAT_CSV)
        return export_csv_entry(c, e);
    json_t *ids = json_array();
    for (size_t i = 0; ids != NULL && i < e->lead_count; i++)
        json_array_append_new(ids, hex_string(e->lead_ids + i * LV_ID_BYTES, LV_ID_BYTES));
    return write_line(
        c, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:i, s:s, s:o, s:o}",
                     "seq", (json_int_t)e->seq, "time", e->time, "actor", e->actor, "role",
                     e->role, "os_user", e->os_user, "action", e->action, "subject", e->subject,
                     "lead_ids", ids, "fields", e->fields, "purpose", e->purpose, "outcome",
                     e->outcome, "code", e->code, "request", e->request, "prev_hash",
                     hex_string(e->prev_hash, 32), "hash", hex_string(e->hash, 32)));
}

static int export_walk(lv_vault *vault, void *ctx)
{
    export_ctx *c = ctx;
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, vault->id);
    c->vault = vault;
    int rc = filter_check_purpose(vault, &c->filter);
    if (rc != 0)
        return rc;
    if (c->format == LV_FORMAT_CSV) {
        size_t lens[CSV_COLUMNS];
        for (size_t i = 0; i < CSV_COLUMNS; i++)
            lens[i] = strlen(csv_columns[i]);
        rc = csv_out_row(&c->csv, csv_columns, lens, CSV_COLUMNS);
    } else {
        /* A selection has gaps in its chain: it says so, and carries no
         * checkpoints, so that it is never taken for the verifiable log. */
        rc = write_line(c, json_pack("{s:s, s:i, s:s}", "type",
                                     c->filtered ? "leadvault-audit-selection"
                                                 : "leadvault-audit-export",
                                     "version", 1, "vault_id", id));
        if (rc == 0 && !c->filtered)
            rc = store_checkpoint_each(vault->store, export_checkpoint, c);
    }
    if (rc == 0)
        rc = store_audit_each(vault->store, &c->filter.store, export_entry, c);
    return rc;
}

int lv_audit_export_entries(lv_vault *vault, const lv_audit_filter *filter,
                            lv_export_format format, lv_write_fn fn, void *ctx)
{
    err_clear();
    export_ctx c = {.fn = fn, .ctx = ctx, .format = format};
    c.csv.fn = fn;
    c.csv.ctx = ctx;
    audit_event event = {.action = "audit.export"};
    if (format != LV_FORMAT_JSON && format != LV_FORMAT_CSV)
        return err_set(LV_EINVAL, "format: expected JSON Lines or CSV");
    int rc = filter_prepare(&c.filter, filter, &event);
    if (rc != 0)
        return rc;
    c.filtered = c.filter.any;
    rc = audited_read(vault, POLICY_AUDIT_READ, &event, export_walk, &c);
    csv_out_free(&c.csv);
    return rc;
}

int lv_audit_export(lv_vault *vault, lv_write_fn fn, void *ctx)
{
    return lv_audit_export_entries(vault, NULL, LV_FORMAT_JSON, fn, ctx);
}

/* ---- public key and checkpoint ---- */

int lv_audit_pubkey(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX], char fingerprint[48])
{
    err_clear();
    int rc = session_require(vault, POLICY_AUDIT_VERIFY);
    if (rc != 0)
        return rc;
    pubkey_format(text, fingerprint, vault->id, vault->keys->sign_public);
    return 0;
}

int lv_audit_checkpoint(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX])
{
    err_clear();
    int rc = session_require(vault, POLICY_AUDIT_VERIFY);
    if (rc != 0)
        return rc;
    /* Sign the current head first when entries (failed unlocks, say) came
     * after the last checkpoint, so the text covers the whole log. */
    store_checkpoint cp;
    uint64_t head_seq;
    unsigned char head[32];
    if ((rc = store_audit_head(vault->store, &head_seq, head)) != 0)
        return rc;
    rc = store_checkpoint_latest(vault->store, &cp);
    if (rc == LV_ENOTFOUND || (rc == 0 && cp.size < head_seq)) {
        vault->appended++;
        if ((rc = audit_sign_checkpoint(vault)) != 0 ||
            (rc = store_checkpoint_latest(vault->store, &cp)) != 0)
            return rc;
    } else if (rc != 0) {
        return rc;
    }
    checkpoint_signed out;
    checkpoint_from_store(&out, vault->id, &cp);
    checkpoint_format(text, &out);
    return 0;
}
