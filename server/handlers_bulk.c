/* handlers_bulk.c - the endpoints whose lv_* call streams through a
 * callback: the server collects what the callback receives (text output,
 * audit entries, rejected rows, due leads) into the one JSON response the
 * client then walks; an import's input comes whole in the request (base64,
 * up to SERVER_IMPORT_BODY_LIMIT). Simple, bounded by the body limits, and
 * documented in docs/server.md. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "server.h"
#include "wire.h"

#define OUTPUT_MAX (64u << 20)

typedef struct text_out {
    char *data;
    size_t len, cap;
} text_out;

static int collect(void *ctx, const char *data, size_t len)
{
    text_out *t = ctx;
    if (len > OUTPUT_MAX - t->len)
        return -1;
    if (t->len + len > t->cap) {
        size_t cap = t->cap ? t->cap : 65536;
        while (cap < t->len + len)
            cap *= 2;
        char *grown = malloc(cap);
        if (grown == NULL)
            return -1;
        if (t->data != NULL) {
            memcpy(grown, t->data, t->len);
            sodium_memzero(t->data, t->cap);
            free(t->data);
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, data, len);
    t->len += len;
    return 0;
}

static void text_free(text_out *t)
{
    if (t->data != NULL) {
        sodium_memzero(t->data, t->cap);
        free(t->data);
    }
    memset(t, 0, sizeof *t);
}

/* The collected bytes as base64 (an output may be any bytes). */
static json_t *text_json(const text_out *t)
{
    size_t cap = sodium_base64_ENCODED_LEN(t->len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    if (b64 == NULL)
        return NULL;
    sodium_bin2base64(b64, cap, (const unsigned char *)(t->data ? t->data : ""), t->len,
                      sodium_base64_VARIANT_ORIGINAL);
    json_t *s = json_string(b64);
    sodium_memzero(b64, cap);
    free(b64);
    return s;
}

int handler_lookup(call *c, const char **id, lv_lookup *by, const char **value)
{
    const char *name = NULL;
    *id = NULL;
    *value = NULL;
    *by = LV_LOOKUP_EMAIL;
    if (wire_string(c->in, "id", 0, id) != 0 || wire_string(c->in, "by", 0, &name) != 0 ||
        wire_string(c->in, "value", 0, value) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "expected \"id\", or \"by\" and \"value\"");
    if (name != NULL && strcmp(name, "phone") == 0)
        *by = LV_LOOKUP_PHONE;
    else if (name != NULL && strcmp(name, "email") != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "\"by\" is email or phone");
    return 0;
}

static int finish_text(call *c, int rc, text_out *t, json_t *extra)
{
    if (rc == 0) {
        json_t *text = text_json(t);
        if (text == NULL) {
            json_decref(extra);
            text_free(t);
            return LV_ERROR;
        }
        c->out = extra != NULL ? extra : json_object();
        json_object_set_new(c->out, "output", text);
    } else {
        json_decref(extra);
    }
    text_free(t);
    return rc;
}

/* A failure after a receipt was written (an erasure committed, then the
 * WAL busy) still hands the receipt over: the reply is 200 with the output
 * and an "error" member, which the client returns after writing it. */
static int finish_partial(call *c, int rc, text_out *t, json_t *extra)
{
    if (rc == 0 || t->len == 0)
        return finish_text(c, rc, t, extra);
    (void)snprintf(c->message, sizeof c->message, "%s", lv_error_last());
    json_object_set_new(extra, "error", json_pack("{s:s, s:s}", "code", wire_error_for(rc)->name,
                                                  "message", c->message));
    return finish_text(c, 0, t, extra);
}

/* ---- outputs ---- */

int h_export(call *c)
{
    lv_export_options opts = LV_EXPORT_OPTIONS_INIT;
    long long format = 0;
    if (wire_string(c->in, "purpose", 0, &opts.purpose) != 0 ||
        wire_int(c->in, "format", 0, &format) != 0 ||
        wire_string(c->in, "stage", 0, &opts.stage) != 0 ||
        wire_string(c->in, "source", 0, &opts.source) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "export: expected purpose, format, stage, source");
    opts.format = (lv_export_format)format;
    text_out t = {NULL, 0, 0};
    uint64_t exported = 0;
    int rc = lv_export(c->session->vault, &opts, collect, &t, &exported);
    return finish_text(c, rc, &t, json_pack("{s:I}", "exported", (json_int_t)exported));
}

int h_report(call *c)
{
    lv_report_options opts = LV_REPORT_OPTIONS_INIT;
    long long kind = 0, format = 0, from = 0, to = 0;
    if (wire_int(c->in, "kind", 1, &kind) != 0 || wire_int(c->in, "format", 0, &format) != 0 ||
        wire_int(c->in, "from", 0, &from) != 0 || wire_int(c->in, "to", 0, &to) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "report: expected kind, format, from, to");
    opts.kind = (lv_report_kind)kind;
    opts.format = (lv_report_format)format;
    opts.from = from;
    opts.to = to;
    text_out t = {NULL, 0, 0};
    int rc = lv_report(c->session->vault, &opts, collect, &t);
    return finish_text(c, rc, &t, NULL);
}

int h_subject_export(call *c)
{
    const char *id, *value, *request = NULL;
    lv_lookup by;
    long long format = 0;
    int rc = handler_lookup(c, &id, &by, &value);
    if (rc != 0)
        return rc;
    if (wire_string(c->in, "request", 0, &request) != 0 ||
        wire_int(c->in, "format", 0, &format) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "subject export: expected request and format");
    text_out t = {NULL, 0, 0};
    rc = lv_subject_export(c->session->vault, id, by, value, request, (lv_export_format)format,
                           collect, &t);
    return finish_text(c, rc, &t, NULL);
}

static int audit_filter(call *c, lv_audit_filter *f)
{
    lv_audit_filter init = LV_AUDIT_FILTER_INIT;
    *f = init;
    long long since = 0, until = 0;
    if (wire_string(c->in, "lead_id", 0, &f->lead_id) != 0 ||
        wire_string(c->in, "user", 0, &f->user) != 0 ||
        wire_string(c->in, "action", 0, &f->action) != 0 ||
        wire_string(c->in, "purpose", 0, &f->purpose) != 0 ||
        wire_string(c->in, "outcome", 0, &f->outcome) != 0 ||
        wire_int(c->in, "since", 0, &since) != 0 || wire_int(c->in, "until", 0, &until) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "audit filter: members are strings and times");
    f->since = since;
    f->until = until;
    return 0;
}

int h_audit_export(call *c)
{
    lv_audit_filter f;
    long long format = 0;
    int all = 0;
    int rc = audit_filter(c, &f);
    if (rc != 0)
        return rc;
    if (wire_int(c->in, "format", 0, &format) != 0 || wire_bool(c->in, "all", &all) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "audit export: format is a number");
    text_out t = {NULL, 0, 0};
    rc = lv_audit_export_entries(c->session->vault, all ? NULL : &f, (lv_export_format)format,
                                 collect, &t);
    return finish_text(c, rc, &t, NULL);
}

static int entry_to_array(void *ctx, const lv_audit_entry *e)
{
    char prev[2 * LV_AUDIT_HASH_BYTES + 1], hash[2 * LV_AUDIT_HASH_BYTES + 1];
    sodium_bin2hex(prev, sizeof prev, e->prev_hash, sizeof e->prev_hash);
    sodium_bin2hex(hash, sizeof hash, e->hash, sizeof e->hash);
    json_t *ids = json_array();
    for (size_t i = 0; i < e->lead_count; i++) {
        char id[LV_ID_STRLEN + 1];
        sodium_bin2hex(id, sizeof id, e->lead_ids + i * LV_ID_BYTES, LV_ID_BYTES);
        json_array_append_new(ids, json_string(id));
    }
    return json_array_append_new(
        ctx, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:s, "
                       "s:s}",
                       "seq", (json_int_t)e->seq, "time", wire_bytes(e->time), "actor",
                       wire_bytes(e->actor), "role", wire_bytes(e->role), "os_user",
                       wire_bytes(e->os_user), "action", wire_bytes(e->action), "subject",
                       wire_bytes(e->subject), "fields", wire_bytes(e->fields), "purpose",
                       wire_bytes(e->purpose), "outcome", wire_bytes(e->outcome), "request",
                       wire_bytes(e->request), "code", e->code, "lead_ids", ids, "prev_hash", prev,
                       "hash", hash));
}

int h_audit_show(call *c)
{
    lv_audit_filter f;
    int all = 0;
    int rc = audit_filter(c, &f);
    if (rc != 0 || (rc = wire_bool(c->in, "all", &all)) != 0)
        return rc != 0 ? WIRE_BAD_REQUEST : 0;
    json_t *entries = json_array();
    rc = lv_audit_show(c->session->vault, all ? NULL : &f, entry_to_array, entries);
    if (rc != 0) {
        json_decref(entries);
        return rc;
    }
    c->out = json_pack("{s:o}", "entries", entries);
    return 0;
}

/* ---- erasure, suppression ---- */

int h_erase(call *c)
{
    const char *id, *value;
    lv_lookup by;
    int rc = handler_lookup(c, &id, &by, &value);
    if (rc != 0)
        return rc;
    lv_erase_options opts = LV_ERASE_OPTIONS_INIT;
    int want_receipt = 0;
    if (wire_string(c->in, "request", 0, &opts.request) != 0 ||
        wire_string(c->in, "ground", 0, &opts.ground) != 0 ||
        wire_bool(c->in, "no_suppress", &opts.no_suppress) != 0 ||
        wire_bool(c->in, "receipt", &want_receipt) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "erase: expected request, ground, no_suppress");
    text_out t = {NULL, 0, 0};
    size_t erased = 0;
    rc = lv_erase(c->session->vault, id, by, value, &opts, want_receipt ? collect : NULL, &t,
                  &erased);
    return finish_partial(c, rc, &t, json_pack("{s:I}", "erased", (json_int_t)erased));
}

int h_suppress_info(call *c)
{
    const char *id, *value;
    lv_lookup by;
    int rc = handler_lookup(c, &id, &by, &value);
    if (rc != 0)
        return rc;
    lv_erasure_info info;
    memset(&info, 0, sizeof info);
    rc = lv_suppress_info(c->session->vault, by, value, &info);
    if (rc == 0)
        c->out = json_pack("{s:I, s:I, s:s, s:s}", "suppressed", (json_int_t)info.suppressed,
                           "erased", (json_int_t)info.erased, "request", info.request, "ground",
                           info.ground);
    return rc;
}

int h_suppress_remove(call *c)
{
    const char *id, *value;
    lv_lookup by;
    int rc = handler_lookup(c, &id, &by, &value);
    return rc != 0 ? rc : lv_suppress_remove(c->session->vault, by, value);
}

int h_receipt_verify(call *c)
{
    const char *receipt = NULL;
    if (wire_string(c->in, "receipt", 1, &receipt) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "receipt verify: expected \"receipt\"");
    return lv_receipt_verify(receipt, json_string_length(json_object_get(c->in, "receipt")), NULL,
                             c->session->vault);
}

/* ---- retention ---- */

int h_retention_add(call *c)
{
    lv_retention_rule r;
    memset(&r, 0, sizeof r);
    const char *name = NULL, *stage = NULL, *source = NULL;
    long long older = 0, inactive = 0;
    if (wire_string(c->in, "name", 1, &name) != 0 || wire_string(c->in, "stage", 0, &stage) != 0 ||
        wire_string(c->in, "source", 0, &source) != 0 ||
        wire_bool(c->in, "no_consent", &r.no_consent) != 0 ||
        wire_bool(c->in, "consent_withdrawn", &r.consent_withdrawn) != 0 ||
        wire_int(c->in, "older_than_ms", 0, &older) != 0 ||
        wire_int(c->in, "inactive_ms", 0, &inactive) != 0 || strlen(name) >= sizeof r.name ||
        (stage != NULL && strlen(stage) >= sizeof r.stage) ||
        (source != NULL && strlen(source) >= sizeof r.source))
        return call_fail(c, WIRE_BAD_REQUEST, "retention add: not a rule");
    (void)snprintf(r.name, sizeof r.name, "%s", name);
    (void)snprintf(r.stage, sizeof r.stage, "%s", stage ? stage : "");
    (void)snprintf(r.source, sizeof r.source, "%s", source ? source : "");
    r.older_than_ms = older;
    r.inactive_ms = inactive;
    return lv_retention_add(c->session->vault, &r);
}

int h_retention_remove(call *c)
{
    const char *name = NULL;
    if (wire_string(c->in, "name", 1, &name) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "retention remove: expected \"name\"");
    return lv_retention_remove(c->session->vault, name);
}

int h_retention_list(call *c)
{
    lv_retention_rule *rules = NULL;
    size_t count = 0;
    int rc = lv_retention_list(c->session->vault, &rules, &count);
    if (rc != 0)
        return rc;
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array,
                              json_pack("{s:s, s:s, s:s, s:b, s:b, s:I, s:I}", "name",
                                        rules[i].name, "stage", rules[i].stage, "source",
                                        rules[i].source, "no_consent", rules[i].no_consent,
                                        "consent_withdrawn", rules[i].consent_withdrawn,
                                        "older_than_ms", (json_int_t)rules[i].older_than_ms,
                                        "inactive_ms", (json_int_t)rules[i].inactive_ms));
    lv_retention_list_free(rules);
    c->out = json_pack("{s:o}", "rules", array);
    return 0;
}

static int due_to_array(void *ctx, const char *lead_id, const char *rule, int held)
{
    return json_array_append_new(
        ctx, json_pack("{s:s, s:s, s:b}", "lead_id", lead_id, "rule", rule, "held", held));
}

int h_retention_plan(call *c)
{
    long long as_of = 0;
    if (wire_int(c->in, "as_of", 0, &as_of) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "retention plan: as_of is a time");
    json_t *due = json_array();
    int rc = lv_retention_plan(c->session->vault, as_of, due_to_array, due);
    if (rc != 0) {
        json_decref(due);
        return rc;
    }
    c->out = json_pack("{s:o}", "due", due);
    return 0;
}

int h_retention_run(call *c)
{
    const char *request = NULL;
    int want_receipt = 0;
    if (wire_string(c->in, "request", 0, &request) != 0 ||
        wire_bool(c->in, "receipt", &want_receipt) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "retention run: expected request");
    json_t *due = json_array();
    text_out t = {NULL, 0, 0};
    size_t erased = 0, skipped = 0;
    int rc = lv_retention_run(c->session->vault, request, due_to_array, due,
                              want_receipt ? collect : NULL, &t, &erased, &skipped);
    /* What was reported before a failure is part of the answer too. */
    json_t *extra = json_pack("{s:o, s:I, s:I}", "due", due, "erased", (json_int_t)erased,
                              "skipped", (json_int_t)skipped);
    return finish_partial(c, rc, &t, extra);
}

/* ---- backups: server-side paths, absolute only ---- */

static int path_member(call *c, const char **path)
{
    if (wire_string(c->in, "path", 1, path) != 0 || (*path)[0] != '/')
        return call_fail(c, WIRE_BAD_REQUEST, "expected an absolute \"path\" on the server");
    return 0;
}

int h_backup(call *c)
{
    const char *path;
    int rc = path_member(c, &path);
    return rc != 0 ? rc : lv_backup(c->session->vault, path);
}

int h_restore(call *c)
{
    const char *path;
    int rc = path_member(c, &path);
    if (rc != 0)
        return rc;
    uint64_t restored = 0, skipped = 0;
    rc = lv_restore(c->session->vault, path, &restored, &skipped);
    if (rc == 0)
        c->out = json_pack("{s:I, s:I}", "restored", (json_int_t)restored, "skipped",
                           (json_int_t)skipped);
    return rc;
}
