/* subject.c - subject access and portability exports. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "csv_out.h"
#include "error.h"
#include "lead_ops.h"
#include "util_time.h"
#include "util_id.h"
#include "util_json.h"
#include "util_text.h"

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

static int lead_json(json_t *leads, lv_vault *vault, const unsigned char id[LV_ID_BYTES])
{
    store_lead stored;
    lv_lead *lead = NULL;
    lv_consent_record *records = NULL;
    size_t nrecords = 0;
    int rc = lead_load(vault, id, &stored);
    if (rc == 0)
        rc = lead_reveal(&lead, vault, &stored, LV_FIELD_MASK_ALL);
    if (rc == 0)
        rc = consent_history_load(vault, id, &records, &nrecords);
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
        json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "id", m->id, "fields", fields,
                              "metadata", meta, "consent", consent_json(records, nrecords),
                              "access", access);
        access = NULL;
        if (o == NULL || json_array_append_new(leads, o) != 0)
            rc = err_set(LV_ERROR, "out of memory");
    }
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
    }
    const char *cells[] = {id, section, item, name, text};
    size_t lens[5];
    for (int i = 0; i < 5; i++)
        lens[i] = strlen(cells[i]);
    return csv_out_row(out, cells, lens, 5);
}

static int csv_object(csv_out *out, const char *id, const char *section, const char *item,
                      const json_t *object)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value) {
        int rc = csv_row(out, id, section, item, key, value);
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
        if (rc == 0)
            rc = csv_object(&out, id, "field", "", json_object_get(lead, "fields"));
        if (rc == 0)
            rc = csv_object(&out, id, "metadata", "", json_object_get(lead, "metadata"));
        static const char *const lists[] = {"consent", "access"};
        for (size_t l = 0; rc == 0 && l < 2; l++) {
            size_t k;
            json_t *entry;
            json_array_foreach(json_object_get(lead, lists[l]), k, entry) {
                char item[24];
                (void)snprintf(item, sizeof item, "%zu", k + 1);
                if (rc == 0)
                    rc = csv_object(&out, id, lists[l], item, entry);
            }
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
    if (format != LV_FORMAT_JSON && format != LV_FORMAT_CSV)
        return err_set(LV_EINVAL, "format: json or csv");
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
        rc = err_set(LV_ENOTFOUND, "no lead with that %s",
                     by == LV_LOOKUP_PHONE ? "phone" : "email");
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
        json_t *doc = json_pack("{s:s, s:i, s:s, s:s, s:O}", "type", "leadvault-subject-export",
                                "version", 1, "request", request, "generated", generated,
                                "leads", leads);
        char *text =
            doc != NULL ? util_json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(doc);
        if (text == NULL)
            rc = err_set(LV_ERROR, "out of memory");
        else if (fn(ctx, text, strlen(text)) != 0 || fn(ctx, "\n", 1) != 0)
            rc = err_set(LV_ERROR, "cannot write the export");
        util_json_free(text);
    }
    json_decref(leads);
    return rc;
}
