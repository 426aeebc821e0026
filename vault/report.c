/* report.c - lv_report: gate, verify the audit log, build the model of a
 * report kind in one read of the vault, audit it, then render it. The
 * audit entry is committed before the first byte is written (fail closed),
 * and a log that fails verification yields no report at all. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "report.h"
#include "util_id.h"
#include "util_json.h"
#include "util_time.h"

static const char *const kind_names[] = {
    [LV_REPORT_PROCESSING] = "processing", [LV_REPORT_ACCESS] = "access",
    [LV_REPORT_CONSENT] = "consent",       [LV_REPORT_RETENTION] = "retention",
    [LV_REPORT_ERASURE] = "erasure",
};

static const char *const kind_titles[] = {
    [LV_REPORT_PROCESSING] = "Record of processing activities (GDPR Art. 30(1))",
    [LV_REPORT_ACCESS] = "Access to lead data",
    [LV_REPORT_CONSENT] = "Consent",
    [LV_REPORT_RETENTION] = "Retention",
    [LV_REPORT_ERASURE] = "Erasure requests",
};

/* The audit action of each kind's own entry (written out where the
 * action is set, for the test that holds the table of actions to the
 * sources). */
static const char *kind_action(lv_report_kind kind)
{
    const char *action = kind == LV_REPORT_ACCESS      ? "report.access"
                         : kind == LV_REPORT_CONSENT   ? "report.consent"
                         : kind == LV_REPORT_RETENTION ? "report.retention"
                         : kind == LV_REPORT_ERASURE   ? "report.erasure"
                                                       : "report.processing";
    return action;
}

static int (*const kind_builders[])(report_ctx *) = {
    [LV_REPORT_PROCESSING] = report_processing, [LV_REPORT_ACCESS] = report_access,
    [LV_REPORT_CONSENT] = report_consent,       [LV_REPORT_RETENTION] = report_retention,
    [LV_REPORT_ERASURE] = report_erasure,
};

static const char *const format_names[] = {
    [LV_REPORT_HTML] = "html", [LV_REPORT_CSV] = "csv", [LV_REPORT_JSON] = "json"};

int lv_report_kind_parse(lv_report_kind *out, const char *name)
{
    for (int k = LV_REPORT_PROCESSING; name != NULL && k <= LV_REPORT_ERASURE; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (lv_report_kind)k;
            return 0;
        }
    }
    return err_set(LV_EINVAL,
                   "report: expected one of processing, access, consent, retention, erasure");
}

int lv_report_format_parse(lv_report_format *out, const char *name)
{
    for (int f = LV_REPORT_HTML; name != NULL && f <= LV_REPORT_JSON; f++) {
        if (strcmp(name, format_names[f]) == 0) {
            *out = (lv_report_format)f;
            return 0;
        }
    }
    return err_set(LV_EINVAL, "format: expected html, csv or json");
}

/* ---- the audit basis of the figures ---- */

typedef struct head_entry {
    uint64_t seq;
    unsigned char hash[32];
} head_entry;

static int take_head(void *ctx, const store_audit *e)
{
    head_entry *h = ctx;
    h->seq = e->seq;
    memcpy(h->hash, e->hash, 32);
    return 1;
}

static int model_audit(report_ctx *r, const lv_audit_report *verified)
{
    head_entry head = {0};
    store_audit_filter filter = {.from_seq = r->verified};
    int rc = store_audit_each(r->vault->store, &filter, take_head, &head);
    if (rc < 0)
        return rc;
    if (head.seq != r->verified)
        return err_set(LV_ECORRUPT, "integrity failure: the audit log changed while the report "
                                    "was being made");
    char hash[65];
    sodium_bin2hex(hash, sizeof hash, head.hash, 32);
    store_checkpoint cp;
    json_t *checkpoint = json_null();
    rc = store_checkpoint_latest(r->vault->store, &cp);
    if (rc == 0 && cp.size <= r->verified) {
        char cp_hash[65];
        sodium_bin2hex(cp_hash, sizeof cp_hash, cp.head, 32);
        checkpoint = json_pack("{s:I, s:s, s:s}", "size", (json_int_t)cp.size, "time", cp.time,
                               "head", cp_hash);
    } else if (rc != 0 && rc != LV_ENOTFOUND) {
        return rc;
    }
    err_clear();
    json_t *audit = json_pack("{s:b, s:I, s:I, s:s, s:I, s:o}", "verified", 1, "entries_verified",
                              (json_int_t)verified->entries, "head_seq", (json_int_t)head.seq,
                              "head_hash", hash, "checkpoints_verified",
                              (json_int_t)verified->checkpoints, "last_checkpoint", checkpoint);
    return audit != NULL && json_object_set_new(r->model, "audit", audit) == 0
               ? 0
               : err_set(LV_ERROR, "out of memory");
}

static int model_new(report_ctx *r, lv_report_kind kind, const lv_audit_report *verified)
{
    char vault_id[LV_ID_STRLEN + 1], generated[32], from[32], to[32];
    util_id_to_hex(vault_id, r->vault->id);
    lv_time_format(generated, r->now);
    lv_time_format(from, r->from);
    lv_time_format(to, r->to);
    r->sections = json_array();
    r->model = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:O}", "report",
                         kind_names[kind], "version", 1, "title", kind_titles[kind], "vault_id",
                         vault_id, "generated", generated, "generated_by", r->vault->user,
                         "period", "from", r->from > 0 ? from : "", "to", to, "sections",
                         r->sections);
    if (r->model == NULL || r->sections == NULL)
        return err_set(LV_ERROR, "out of memory");
    json_decref(r->sections); /* the model holds it */
    return model_audit(r, verified);
}

/* ---- rendering ---- */

static int render(const json_t *model, lv_report_format format, lv_write_fn fn, void *ctx)
{
    if (format == LV_REPORT_HTML)
        return report_render_html(model, fn, ctx);
    if (format == LV_REPORT_CSV)
        return report_render_csv(model, fn, ctx);
    char *text = util_json_dumps(model, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = fn(ctx, text, strlen(text)) != 0 || fn(ctx, "\n", 1) != 0;
    util_json_free(text);
    return rc ? err_set(LV_ERROR, "cannot write the report") : 0;
}

static int options_check(const lv_report_options *opts, lv_report_format *format)
{
    if (opts == NULL || opts->version != LV_REPORT_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "report options: wrong version");
    if (opts->kind < LV_REPORT_PROCESSING || opts->kind > LV_REPORT_ERASURE)
        return err_set(LV_EINVAL, "report: unknown kind");
    *format = opts->format == 0 ? LV_REPORT_HTML : opts->format;
    if (*format < LV_REPORT_HTML || *format > LV_REPORT_JSON)
        return err_set(LV_EINVAL, "report: unknown format");
    if (opts->from < 0 || opts->to < 0)
        return err_set(LV_EINVAL, "report: a time before 1970");
    if (opts->to != 0 && opts->from > opts->to)
        return err_set(LV_EINVAL, "report: --from is after --to");
    return 0;
}

int lv_report(lv_vault *vault, const lv_report_options *opts, lv_write_fn fn, void *ctx)
{
    err_clear();
    lv_report_format format = LV_REPORT_HTML;
    int rc = options_check(opts, &format);
    if (rc != 0)
        return rc;
    audit_event event = {.action = kind_action(opts->kind)};
    if ((rc = audit_gate(vault, POLICY_REPORT, &event)) != 0)
        return rc;
    /* Figures come only from a log that verifies: a tampered one gives no
     * report, and the refusal is audited. */
    lv_audit_report verified;
    if ((rc = lv_audit_verify(vault, NULL, NULL, &verified)) != 0) {
        event.code = rc;
        if (rc != LV_EBUSY)
            audit_record_failure(vault, &event);
        return rc;
    }
    report_ctx r = {.vault = vault, .from = opts->from, .now = util_now_ms(),
                    .verified = verified.entries};
    r.to = opts->to != 0 && opts->to < r.now ? opts->to : r.now;
    if (r.from > r.to)
        return err_set(LV_EINVAL, "report: --from is in the future");
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    if ((rc = model_new(&r, opts->kind, &verified)) == 0)
        rc = kind_builders[opts->kind](&r);
    if ((rc = audit_commit(vault, rc, &event)) == 0)
        rc = render(r.model, format, fn, ctx);
    json_decref(r.model);
    return rc;
}
