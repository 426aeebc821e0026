/* subject.c - subject access and portability exports. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "csv_out.h"
#include "erase.h"
#include "error.h"
#include "hold.h"
#include "lead_ops.h"
#include "purpose.h"
#include "retention.h"
#include "subject_html.h"
#include "util_id.h"
#include "util_json.h"
#include "util_text.h"
#include "util_time.h"

static json_t *time_json(int64_t unix_ms)
{
    char t[32];
    lv_time_format(t, unix_ms);
    return t[0] ? json_string(t) : json_null();
}

static json_t *consent_json(const lv_consent_record *r, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s}", "purpose", r[i].purpose, "state",
                              r[i].granted ? "granted" : "withdrawn", "time",
                              time_json(r[i].time), "by", r[i].actor, "expires",
                              time_json(r[i].expires), "notice_version", r[i].notice_version);
        json_object_set_new(o, "evidence", r[i].evidence != NULL
                                               ? json_stringn(r[i].evidence, r[i].evidence_len)
                                               : json_null());
        json_object_set_new(o, "withdrawal_reason",
                            r[i].reason != NULL ? json_stringn(r[i].reason, r[i].reason_len)
                                                : json_null());
        json_array_append_new(list, o);
    }
    return list;
}

/* Entries naming the lead. Other lead ids of a bulk entry are left out:
 * the export speaks of this person only. */
static int collect_access(void *ctx, const store_audit *e)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
                          (json_int_t)e->seq, "time", e->time, "by", e->actor, "role", e->role,
                          "action", e->action, "purpose", e->purpose, "fields", e->fields,
                          "outcome", e->outcome, "request", e->request);
    return json_array_append_new(ctx, o) == 0 ? 0 : err_set(LV_ERROR, "out of memory");
}

/* ---- GDPR Art. 15 and 14: what the person is told besides the data ---- */

/* The person's rights, as the export states them (Art. 15(1)(e), (f)). */
static const struct {
    const char *right, *article, *text;
} rights[] = {
    {"access", "Art. 15", "You may ask again at any time for a copy of the data we hold on you."},
    {"rectification", "Art. 16",
     "You may have inaccurate data corrected and incomplete data "
     "completed."},
    {"erasure", "Art. 17",
     "You may have your data erased. We then keep only a record that an "
     "erasure took place, and a keyed fingerprint of your email address "
     "and phone number so that we do not contact you again."},
    {"restriction", "Art. 18",
     "You may have the use of your data restricted while a dispute "
     "about it is settled."},
    {"portability", "Art. 20",
     "You may receive the data you gave us in a machine-readable "
     "format (JSON or CSV) and have it sent to another controller."},
    {"objection", "Art. 21",
     "You may object to the use of your data based on legitimate "
     "interest, and at any time to its use for direct marketing."},
    {"withdraw_consent", "Art. 7(3)",
     "Where a use rests on your consent, you may withdraw it "
     "at any time; this does not affect what was done before."},
    {"complaint", "Art. 77",
     "You may lodge a complaint with a data protection supervisory "
     "authority, in particular in the country where you live or work."},
};

static json_t *rights_json(void)
{
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++)
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s}", "right", rights[i].right, "article",
                                        rights[i].article, "text", rights[i].text));
    return list;
}

static json_t *field_names_json(uint32_t mask)
{
    json_t *list = json_array();
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (mask & (1u << f))
            json_array_append_new(list, json_string(lv_field_name((lv_field)f)));
    }
    return list;
}

typedef struct purpose_ctx {
    lv_vault *vault;
    const lv_consent_record *records;
    size_t nrecords;
    json_t *list;
} purpose_ctx;

/* The lead's consent state for a purpose: its latest record decides. */
static const char *consent_state(const purpose_ctx *c, const store_purpose *p)
{
    if (p->basis != LV_BASIS_CONSENT)
        return "not needed";
    for (size_t i = c->nrecords; i-- > 0;) {
        const lv_consent_record *r = &c->records[i];
        if (strcmp(r->purpose, p->name) != 0)
            continue;
        if (!r->granted)
            return "withdrawn";
        return r->expires != 0 && r->expires <= util_now_ms() ? "expired" : "granted";
    }
    return "none";
}

static int purpose_one(void *ctx, const store_purpose *p)
{
    purpose_ctx *c = ctx;
    if (!purpose_mac_valid(c->vault, p))
        return err_set(LV_ECORRUPT, "integrity failure: purpose %s was altered", p->name);
    json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o}", "purpose", p->name, "legal_basis",
                          lv_basis_name((lv_basis)p->basis), "fields", field_names_json(p->fields),
                          "your_consent", consent_state(c, p), "retired", time_json(p->retired));
    return json_array_append_new(c->list, o) == 0 ? 0 : err_set(LV_ERROR, "out of memory");
}

typedef struct rule_ctx {
    lv_vault *vault;
    const store_lead *lead;
    json_t *list;
} rule_ctx;

/* A rule applies when its stage and source fit the lead; its consent and
 * time conditions are stated, as they decide when, not whether. */
static int rule_one(void *ctx, const store_rule *r)
{
    rule_ctx *c = ctx;
    int rc = retention_rule_check(c->vault, r);
    if (rc != 0)
        return rc;
    if ((r->stage[0] && strcmp(r->stage, c->lead->stage) != 0) ||
        (r->source[0] && strcmp(r->source, c->lead->source) != 0))
        return 0;
    char when[256];
    int at = 0;
    if (r->older_than_ms > 0)
        at += snprintf(when + at, sizeof when - (size_t)at,
                       "%lld days after the data was "
                       "collected",
                       (long long)(r->older_than_ms / 86400000));
    if (r->inactive_ms > 0)
        at += snprintf(when + at, sizeof when - (size_t)at, "%s%lld days after the last contact",
                       at ? ", or " : "", (long long)(r->inactive_ms / 86400000));
    if (r->no_consent)
        at += snprintf(when + at, sizeof when - (size_t)at, "; when no consent is active");
    if (r->consent_withdrawn)
        (void)snprintf(when + at, sizeof when - (size_t)at, "; when a consent was withdrawn");
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "rule", r->name, "erased", when, "stage",
                          r->stage, "source", r->source);
    return json_array_append_new(c->list, o) == 0 ? 0 : err_set(LV_ERROR, "out of memory");
}

/* Recipients: the exports that included the lead (Art. 15(1)(c)); the
 * audit entries are already collected, oldest first. */
static json_t *recipients_json(const json_t *access)
{
    json_t *list = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(access, i, e)
    {
        const char *action = json_string_value(json_object_get(e, "action"));
        if (action == NULL || strcmp(action, "lead.export") != 0 ||
            strcmp(json_string_value(json_object_get(e, "outcome")), "ok") != 0)
            continue;
        json_array_append_new(
            list, json_pack("{s:s, s:O, s:O, s:O, s:O}", "recipient", "export file", "time",
                            json_object_get(e, "time"), "by", json_object_get(e, "by"), "purpose",
                            json_object_get(e, "purpose"), "fields", json_object_get(e, "fields")));
    }
    return list;
}

/* Where the data came from (Art. 14(2)(f), 15(1)(g)): the channel, and
 * how it entered the vault (the first audit entry naming the lead). */
static json_t *source_json(const lv_lead_meta *m, const json_t *access)
{
    const json_t *first = json_array_get(access, 0);
    const char *action = first != NULL ? json_string_value(json_object_get(first, "action")) : "";
    const char *how = strncmp(action, "lead.import", 11) == 0 ? "imported from a file"
                      : strcmp(action, "lead.add") == 0       ? "entered by hand"
                      : strcmp(action, "vault.restore") == 0  ? "restored from a backup"
                                                              : "unknown";
    return json_pack("{s:s, s:s, s:s, s:o, s:s}", "channel", m->source, "detail", m->source_detail,
                     "entered", how, "collected", time_json(m->created), "by",
                     first != NULL ? json_string_value(json_object_get(first, "by")) : "");
}

static int lead_json(json_t *leads, lv_vault *vault, const unsigned char id[LV_ID_BYTES])
{
    store_lead stored;
    lv_lead *lead = NULL;
    lv_consent_record *records = NULL;
    size_t nrecords = 0;
    int held = 0, rc = lead_load(vault, id, &stored); /* an erased id says so */
    /* The rules are read while the lead's row is still current. */
    json_t *retention = json_array();
    rule_ctx rules = {vault, &stored, retention};
    if (rc == 0)
        rc = store_rule_each(vault->store, rule_one, &rules);
    if (rc == 0 && (rc = lead_load(vault, id, &stored)) == 0)
        rc = lead_reveal(&lead, vault, &stored, LV_FIELD_MASK_ALL);
    if (rc == 0)
        rc = consent_history_load(vault, id, &records, &nrecords);
    if (rc == 0)
        rc = hold_is_set(vault, id, &held);
    purpose_ctx purposes = {vault, records, nrecords, json_array()};
    if (rc == 0)
        rc = store_purpose_each(vault->store, purpose_one, &purposes);
    json_t *access = json_array();
    store_audit_filter filter = {.lead_id = id};
    if (rc == 0)
        rc = store_audit_each(vault->store, &filter, collect_access, access);
    if (rc == 0) {
        const lv_lead_meta *m = &lead->meta;
        json_t *fields = json_object();
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            if (lead->value[f] != NULL)
                json_object_set_new(fields, lv_field_name((lv_field)f),
                                    json_stringn(lead->value[f], lead->value_len[f]));
        }
        json_t *meta = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "source", m->source,
            "source_detail", m->source_detail, "stage", m->stage, "owner", m->owner, "country",
            m->country, "incentive", lv_signal_name(m->signal[LV_SIGNAL_INCENTIVE]), "verified",
            lv_signal_name(m->signal[LV_SIGNAL_VERIFIED]), "aware",
            lv_signal_name(m->signal[LV_SIGNAL_AWARE]), "quality", m->quality, "created",
            time_json(m->created), "updated", time_json(m->updated), "last_contact",
            time_json(m->last_contact));
        json_t *keep = json_pack("{s:o, s:b}", "rules", retention, "legal_hold", held);
        retention = NULL;
        json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", m->id,
                              "fields", fields, "metadata", meta, "source", source_json(m, access),
                              "purposes", purposes.list, "recipients", recipients_json(access),
                              "retention", keep, "consent", consent_json(records, nrecords),
                              "access", access, "rights", rights_json());
        purposes.list = NULL;
        access = NULL;
        if (o == NULL || json_array_append_new(leads, o) != 0)
            rc = err_set(LV_ERROR, "out of memory");
    }
    json_decref(retention);
    json_decref(purposes.list);
    json_decref(access);
    lv_consent_history_free(records, nrecords);
    lv_lead_free(lead);
    return rc;
}

/* ---- CSV: one row per value, lead_id,section,item,name,value ---- */

static int csv_row(csv_out *out, const char *id, const char *section, const char *item,
                   const char *name, const json_t *value)
{
    char number[32];
    const char *text = "";
    if (json_is_string(value))
        text = json_string_value(value);
    else if (json_is_integer(value)) {
        (void)snprintf(number, sizeof number, "%lld", (long long)json_integer_value(value));
        text = number;
    } else if (json_is_boolean(value))
        text = json_is_true(value) ? "yes" : "no";
    const char *cells[] = {id, section, item, name, text};
    size_t lens[5];
    for (int i = 0; i < 5; i++)
        lens[i] = strlen(cells[i]);
    return csv_out_row(out, cells, lens, 5);
}

/* One row for a member: a scalar, or a list of names joined with commas. */
static int csv_member(csv_out *out, const char *id, const char *section, const char *item,
                      const char *key, const json_t *value)
{
    if (!json_is_array(value))
        return csv_row(out, id, section, item, key, value);
    char *joined = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&joined, &len);
    size_t k;
    json_t *name;
    json_array_foreach(value, k, name)
    {
        if (mem != NULL)
            (void)fprintf(mem, "%s%s", k ? "," : "", json_string_value(name));
    }
    if (mem == NULL || fclose(mem) != 0)
        return err_set(LV_ERROR, "out of memory");
    json_t *text = json_string(joined);
    free(joined);
    int rc = csv_row(out, id, section, item, key, text);
    json_decref(text);
    return rc;
}

/* One row per member of a flat object (scalars and lists of names). */
static int csv_flat(csv_out *out, const char *id, const char *section, const char *item,
                    const json_t *object)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value)
    {
        int rc = csv_member(out, id, section, item, key, value);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* A list of flat objects: item is the 1-based record number. */
static int csv_list(csv_out *out, const char *id, const char *section, const json_t *list)
{
    size_t k;
    json_t *entry;
    json_array_foreach(list, k, entry)
    {
        char item[24];
        (void)snprintf(item, sizeof item, "%zu", k + 1);
        int rc = csv_flat(out, id, section, item, entry);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* An object whose members may be flat objects or lists of them (the
 * export's depth is fixed): those get the section "section.member". */
static int csv_object(csv_out *out, const char *id, const char *section, const json_t *object)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value) {
        char nested[64];
        (void)snprintf(nested, sizeof nested, "%s.%s", section, key);
        int rc;
        if (json_is_object(value))
            rc = csv_flat(out, id, nested, "", value);
        else if (json_is_array(value) && json_is_object(json_array_get(value, 0)))
            rc = csv_list(out, id, nested, value);
        else
            rc = csv_member(out, id, section, "", key, value);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int write_csv(const json_t *leads, lv_write_fn fn, void *ctx)
{
    csv_out out = {fn, ctx, NULL, 0};
    static const char header[] = "lead_id,section,item,name,value\r\n";
    int rc = fn(ctx, header, sizeof header - 1) != 0 ? err_set(LV_ERROR, "cannot write") : 0;
    size_t i;
    json_t *lead;
    json_array_foreach(leads, i, lead) {
        const char *id = json_string_value(json_object_get(lead, "id"));
        const char *key;
        json_t *value;
        json_object_foreach(lead, key, value)
        {
            if (rc != 0 || !strcmp(key, "id"))
                continue;
            if (json_is_array(value))
                rc = csv_list(&out, id, key, value);
            else
                rc = csv_object(&out, id, strcmp(key, "fields") == 0 ? "field" : key, value);
        }
    }
    csv_out_free(&out);
    return rc;
}

int lv_subject_export(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
                      const char *request, lv_export_format format, lv_write_fn fn, void *ctx)
{
    err_clear();
    audit_event event = {.action = "subject.export", .purpose = "subject_request",
                         .request = request};
    /* The request reference is checked before anything is recorded. */
    if (request == NULL || request[0] == '\0')
        return err_set(LV_EINVAL, "request: a request reference is required");
    int rc = util_text_check("request", request, AUDIT_REQUEST_MAX);
    if (rc != 0 || (rc = audit_gate(vault, POLICY_SUBJECT, &event)) != 0)
        return rc;
    if (format != LV_FORMAT_JSON && format != LV_FORMAT_CSV && format != LV_FORMAT_HTML)
        return err_set(LV_EINVAL, "format: json, csv or html");
    unsigned char *ids = NULL;
    size_t count = 0;
    if (lead_id != NULL) {
        if ((ids = malloc(LV_ID_BYTES)) == NULL)
            return err_set(LV_ERROR, "out of memory");
        if ((rc = util_id_from_hex(ids, lead_id)) != 0) {
            free(ids);
            return rc;
        }
        count = 1;
    }
    if ((rc = store_begin(vault->store)) != 0) {
        free(ids);
        return rc;
    }
    if (lead_id == NULL && (rc = lead_match(vault, by, value, &ids, &count)) == 0 && count == 0)
        rc = erase_not_found(vault, NULL, by, value);
    json_t *leads = json_array();
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = lead_json(leads, vault, ids + i * LV_ID_BYTES);
    event.lead_ids = ids;
    event.lead_count = count;
    event.fields = "first_name,last_name,email,phone,company,title,website,address,notes,email2,"
                   "phone2";
    /* Nothing leaves before the export's audit entry is committed. */
    rc = audit_commit(vault, rc, &event);
    free(ids);
    if (rc == 0 && format == LV_FORMAT_CSV) {
        rc = write_csv(leads, fn, ctx);
    } else if (rc == 0) {
        char generated[32];
        lv_time_format(generated, util_now_ms());
        json_t *doc =
            json_pack("{s:s, s:i, s:s, s:s, s:O}", "type", "leadvault-subject-export", "version", 2,
                      "request", request, "generated", generated, "leads", leads);
        if (doc == NULL)
            rc = err_set(LV_ERROR, "out of memory");
        else if (format == LV_FORMAT_HTML)
            rc = subject_html_write(doc, fn, ctx);
        else {
            /* UTF-8 as is (no JSON_ENSURE_ASCII): the person reads their own name. */
            char *text = util_json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (text == NULL)
                rc = err_set(LV_ERROR, "out of memory");
            else if (fn(ctx, text, strlen(text)) != 0 || fn(ctx, "\n", 1) != 0)
                rc = err_set(LV_ERROR, "cannot write the export");
            util_json_free(text);
        }
        json_decref(doc);
    }
    json_decref(leads);
    return rc;
}
