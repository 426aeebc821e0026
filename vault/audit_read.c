/* audit_read.c - read the audit log: show, JSON Lines export, public key,
 * checkpoint text. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "checkpoint.h"
#include "error.h"
#include "policy.h"
#include "util_id.h"
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

/* audit_then_read commits the entry of the reading itself first; the
 * walks below stop before it (at own->seq), so that a show or an export
 * lists the log as it was when the command started. */

/* ---- show ---- */

typedef struct show_ctx {
    store_audit_filter filter;
    lv_audit_fn fn;
    void *ctx;
    const audit_event *own; /* the show's own entry: where the walk stops */
} show_ctx;

static int show_one(void *ctx, const store_audit *e)
{
    show_ctx *c = ctx;
    if (e->seq >= c->own->seq)
        return 1;
    lv_audit_entry entry;
    entry_from_store(&entry, e);
    return c->fn(c->ctx, &entry) != 0 ? 1 : 0;
}

static int show_walk(lv_vault *vault, void *ctx)
{
    int rc = store_audit_each(vault->store, &((show_ctx *)ctx)->filter, show_one, ctx);
    return rc == 1 ? 0 : rc;
}

int lv_audit_show(lv_vault *vault, const lv_audit_filter *filter, lv_audit_fn fn, void *ctx)
{
    err_clear();
    show_ctx c = {.fn = fn, .ctx = ctx};
    unsigned char lead_id[LV_ID_BYTES];
    audit_event event = {.action = "audit.show"};
    if (filter != NULL) {
        if (filter->lead_id != NULL) {
            int rc = util_id_from_hex(lead_id, filter->lead_id);
            if (rc != 0)
                return rc;
            c.filter.lead_id = lead_id;
            event.lead_ids = lead_id;
            event.lead_count = 1;
        }
        c.filter.actor = filter->user;
        c.filter.action = filter->action;
        c.filter.since = filter->since;
        c.filter.until = filter->until;
    }
    c.own = &event;
    return audit_then_read(vault, POLICY_AUDIT_READ, &event, show_walk, &c);
}

/* ---- export ---- */

typedef struct export_ctx {
    lv_write_fn fn;
    void *ctx;
    const lv_vault *vault;
    const audit_event *own; /* the export's own entry: where the walk stops */
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
    /* Only checkpoints of the log as exported (another process may have
     * signed one over this export's own entry since). */
    if (cp->size >= c->own->seq)
        return 0;
    checkpoint_signed text;
    checkpoint_from_store(&text, c->vault->id, cp);
    char formatted[LV_AUDIT_TEXT_MAX];
    checkpoint_format(formatted, &text);
    return write_line(c, json_pack("{s:s, s:s}", "type", "checkpoint", "checkpoint", formatted));
}

static int export_entry(void *ctx, const store_audit *e)
{
    export_ctx *c = ctx;
    if (e->seq >= c->own->seq)
        return 1;
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
    int rc = write_line(c, json_pack("{s:s, s:i, s:s}", "type", "leadvault-audit-export",
                                     "version", 1, "vault_id", id));
    if (rc == 0)
        rc = store_checkpoint_each(vault->store, export_checkpoint, c);
    if (rc == 0)
        rc = store_audit_each(vault->store, NULL, export_entry, c);
    return rc;
}

int lv_audit_export(lv_vault *vault, lv_write_fn fn, void *ctx)
{
    err_clear();
    audit_event event = {.action = "audit.export"};
    export_ctx c = {fn, ctx, NULL, &event};
    return audit_then_read(vault, POLICY_AUDIT_READ, &event, export_walk, &c);
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
