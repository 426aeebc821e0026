/* client_bulk.c - remote stubs of the lv_* calls that stream through a
 * callback: the server's one JSON reply is walked here, calling the
 * caller's callback as the library would (server/handlers_bulk.c). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "client_session.h"
#include "wire.h"

static const char *lookup_name(lv_lookup by)
{
    return by == LV_LOOKUP_PHONE ? "phone" : "email";
}

static json_t *lookup_json(const char *lead_id, lv_lookup by, const char *value)
{
    return lead_id != NULL
               ? json_pack("{s:o}", "id", wire_bytes(lead_id))
               : json_pack("{s:s, s:o?}", "by", lookup_name(by), "value", wire_bytes(value));
}

/* Hand the reply's base64 "output" member to fn; LV_ERROR when fn fails. */
static int write_output(const json_t *reply, lv_write_fn fn, void *ctx)
{
    const json_t *b64 = json_object_get(reply, "output");
    if (!json_is_string(b64))
        return client_stub_malformed();
    size_t len = json_string_length(b64), got = 0;
    unsigned char *bin = malloc(len / 4 * 3 + 3);
    if (bin == NULL)
        return LV_ERROR;
    int rc = sodium_base642bin(bin, len / 4 * 3 + 3, json_string_value(b64), len, NULL, &got,
                               NULL, sodium_base64_VARIANT_ORIGINAL) != 0
                 ? client_stub_malformed()
                 : 0;
    if (rc == 0 && got > 0 && fn(ctx, (const char *)bin, got) != 0) {
        client_stub_fail_local("writing the output failed");
        rc = LV_ERROR;
    }
    sodium_memzero(bin, len / 4 * 3 + 3);
    free(bin);
    return rc;
}

/* The library's failure carried in a 200 reply that also holds results. */
static int reply_error(const json_t *reply)
{
    const json_t *err = json_object_get(reply, "error");
    if (err == NULL)
        return 0;
    const wire_error *e = wire_error_named(json_string_value(json_object_get(err, "code")));
    client_stub_fail_local(json_string_value(json_object_get(err, "message")) ?: "failed");
    return e != NULL ? e->code : LV_ERROR;
}

static int text_call(lv_vault *vault, const char *path, json_t *body, lv_write_fn fn, void *ctx,
                     json_t **reply_out)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, path, body, &reply);
    if (rc == 0 && fn != NULL)
        rc = write_output(reply, fn, ctx);
    if (reply_out != NULL && rc == 0)
        *reply_out = reply;
    else
        json_decref(reply);
    return rc;
}

int r_export(lv_vault *vault, const lv_export_options *opts, lv_write_fn fn, void *ctx,
             uint64_t *exported)
{
    json_t *reply = NULL;
    *exported = 0;
    int rc = text_call(vault, "/v1/export",
                       json_pack("{s:o?, s:i, s:o?, s:o?}", "purpose", wire_bytes(opts->purpose),
                                 "format", (int)opts->format, "stage", wire_bytes(opts->stage),
                                 "source", wire_bytes(opts->source)),
                       fn, ctx, &reply);
    if (rc == 0)
        *exported = (uint64_t)json_integer_value(json_object_get(reply, "exported"));
    json_decref(reply);
    return rc;
}

int r_report(lv_vault *vault, const lv_report_options *opts, lv_write_fn fn, void *ctx)
{
    return text_call(vault, "/v1/report",
                     json_pack("{s:i, s:i, s:I, s:I}", "kind", (int)opts->kind, "format",
                               (int)opts->format, "from", (json_int_t)opts->from, "to",
                               (json_int_t)opts->to),
                     fn, ctx, NULL);
}

int r_subject_export(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
                     const char *request, lv_export_format format, lv_write_fn fn, void *ctx)
{
    json_t *body = lookup_json(lead_id, by, value);
    json_object_set_new(body, "request", request ? wire_bytes(request) : json_null());
    json_object_set_new(body, "format", json_integer(format));
    return text_call(vault, "/v1/subject/export", body, fn, ctx, NULL);
}

static json_t *filter_json(const lv_audit_filter *f)
{
    if (f == NULL)
        return json_pack("{s:b}", "all", 1);
    return json_pack("{s:o?, s:o?, s:o?, s:o?, s:o?, s:I, s:I}", "lead_id", wire_bytes(f->lead_id),
                     "user", wire_bytes(f->user), "action", wire_bytes(f->action), "purpose",
                     wire_bytes(f->purpose), "outcome", wire_bytes(f->outcome), "since",
                     (json_int_t)f->since, "until", (json_int_t)f->until);
}

int r_audit_export_entries(lv_vault *vault, const lv_audit_filter *filter,
                           lv_export_format format, lv_write_fn fn, void *ctx)
{
    json_t *body = filter_json(filter);
    json_object_set_new(body, "format", json_integer(format));
    return text_call(vault, "/v1/audit/export", body, fn, ctx, NULL);
}

static int hex_in(unsigned char *out, size_t len, const json_t *v)
{
    const char *hex = json_string_value(v);
    size_t got = 0;
    return hex == NULL || sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL) != 0 ||
                   got != len
               ? -1
               : 0;
}

int r_audit_show(lv_vault *vault, const lv_audit_filter *filter, lv_audit_fn fn, void *ctx)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/audit/show", filter_json(filter), &reply);
    if (rc != 0)
        return rc;
    const json_t *e_list = json_object_get(reply, "entries");
    for (size_t i = 0; i < json_array_size(e_list); i++) {
        json_t *e = json_array_get(e_list, i);
        lv_audit_entry entry;
        memset(&entry, 0, sizeof entry);
        const json_t *ids = json_object_get(e, "lead_ids");
        size_t n = json_array_size(ids);
        unsigned char *lead_ids = calloc(n ? n : 1, LV_ID_BYTES);
        int bad = lead_ids == NULL;
        for (size_t k = 0; !bad && k < n; k++)
            bad = hex_in(lead_ids + k * LV_ID_BYTES, LV_ID_BYTES, json_array_get(ids, k)) != 0;
        bad = bad || hex_in(entry.prev_hash, sizeof entry.prev_hash,
                            json_object_get(e, "prev_hash")) != 0 ||
              hex_in(entry.hash, sizeof entry.hash, json_object_get(e, "hash")) != 0;
        const char **texts[] = {&entry.time,   &entry.actor,  &entry.role,    &entry.os_user,
                                &entry.action, &entry.subject, &entry.fields, &entry.purpose,
                                &entry.outcome, &entry.request};
        const char *keys[] = {"time",   "actor",  "role",    "os_user", "action",
                              "subject", "fields", "purpose", "outcome", "request"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            *texts[k] = json_string_value(json_object_get(e, keys[k]));
            bad = bad || *texts[k] == NULL;
        }
        if (bad) {
            free(lead_ids);
            rc = client_stub_malformed();
            break;
        }
        entry.seq = (uint64_t)json_integer_value(json_object_get(e, "seq"));
        entry.code = (int)json_integer_value(json_object_get(e, "code"));
        entry.lead_count = n;
        entry.lead_ids = lead_ids;
        int stop = fn(ctx, &entry);
        free(lead_ids);
        if (stop)
            break;
    }
    json_decref(reply);
    return rc;
}

int r_erase(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
            const lv_erase_options *opts, lv_write_fn receipt_fn, void *receipt_ctx,
            size_t *erased)
{
    json_t *body = lookup_json(lead_id, by, value);
    json_object_set_new(body, "request",
                        opts && opts->request ? wire_bytes(opts->request) : json_null());
    json_object_set_new(body, "ground",
                        opts && opts->ground ? wire_bytes(opts->ground) : json_null());
    json_object_set_new(body, "no_suppress", json_boolean(opts && opts->no_suppress));
    json_object_set_new(body, "receipt", json_boolean(receipt_fn != NULL));
    json_t *reply = NULL;
    *erased = 0;
    int rc = text_call(vault, "/v1/erase", body, receipt_fn, receipt_ctx, &reply);
    if (rc == 0) {
        *erased = (size_t)json_integer_value(json_object_get(reply, "erased"));
        rc = reply_error(reply);
    }
    json_decref(reply);
    return rc;
}

int r_suppress_info(lv_vault *vault, lv_lookup by, const char *value, lv_erasure_info *info)
{
    memset(info, 0, sizeof *info);
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/suppress/check", lookup_json(NULL, by, value), &reply);
    if (rc == 0) {
        info->suppressed = json_integer_value(json_object_get(reply, "suppressed"));
        info->erased = json_integer_value(json_object_get(reply, "erased"));
        (void)snprintf(info->request, sizeof info->request, "%s",
                       json_string_value(json_object_get(reply, "request")) ?: "");
        (void)snprintf(info->ground, sizeof info->ground, "%s",
                       json_string_value(json_object_get(reply, "ground")) ?: "");
    }
    json_decref(reply);
    return rc;
}

int r_suppress_remove(lv_vault *vault, lv_lookup by, const char *value)
{
    return client_stub_call(vault, "/v1/suppress/remove", lookup_json(NULL, by, value), NULL);
}

int r_retention_add(lv_vault *vault, const lv_retention_rule *r)
{
    return client_stub_call(
        vault, "/v1/retention/add",
        json_pack("{s:o, s:o, s:o, s:b, s:b, s:I, s:I}", "name", wire_bytes(r->name), "stage",
                  wire_bytes(r->stage), "source", wire_bytes(r->source), "no_consent",
                  r->no_consent, "consent_withdrawn", r->consent_withdrawn, "older_than_ms",
                  (json_int_t)r->older_than_ms, "inactive_ms", (json_int_t)r->inactive_ms),
        NULL);
}

int r_retention_remove(lv_vault *vault, const char *name)
{
    return client_stub_call(vault, "/v1/retention/remove",
                            json_pack("{s:o}", "name", wire_bytes(name)), NULL);
}

int r_retention_list(lv_vault *vault, lv_retention_rule **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/retention/list", NULL, &reply);
    if (rc != 0)
        return rc;
    const json_t *list = json_object_get(reply, "rules");
    size_t n = json_array_size(list);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL) {
        json_decref(reply);
        return LV_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *j = json_array_get(list, i);
        lv_retention_rule *r = &(*out)[i];
        (void)snprintf(r->name, sizeof r->name, "%s",
                       json_string_value(json_object_get(j, "name")) ?: "");
        (void)snprintf(r->stage, sizeof r->stage, "%s",
                       json_string_value(json_object_get(j, "stage")) ?: "");
        (void)snprintf(r->source, sizeof r->source, "%s",
                       json_string_value(json_object_get(j, "source")) ?: "");
        r->no_consent = json_is_true(json_object_get(j, "no_consent"));
        r->consent_withdrawn = json_is_true(json_object_get(j, "consent_withdrawn"));
        r->older_than_ms = json_integer_value(json_object_get(j, "older_than_ms"));
        r->inactive_ms = json_integer_value(json_object_get(j, "inactive_ms"));
    }
    *count = n;
    json_decref(reply);
    return 0;
}

static int replay_due(const json_t *reply, lv_due_fn fn, void *ctx)
{
    const json_t *d_list = json_object_get(reply, "due");
    for (size_t i = 0; i < json_array_size(d_list); i++) {
        json_t *d = json_array_get(d_list, i);
        if (fn(ctx, json_string_value(json_object_get(d, "lead_id")) ?: "",
               json_string_value(json_object_get(d, "rule")) ?: "",
               json_is_true(json_object_get(d, "held"))) != 0)
            break;
    }
    return 0;
}

int r_retention_plan(lv_vault *vault, int64_t as_of, lv_due_fn fn, void *ctx)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/retention/plan",
                              json_pack("{s:I}", "as_of", (json_int_t)as_of), &reply);
    if (rc == 0)
        rc = replay_due(reply, fn, ctx);
    json_decref(reply);
    return rc;
}

int r_retention_run(lv_vault *vault, const char *request, lv_due_fn fn, void *ctx,
                    lv_write_fn receipt_fn, void *receipt_ctx, size_t *erased, size_t *skipped)
{
    json_t *reply = NULL;
    *erased = *skipped = 0;
    int rc = client_stub_call(
        vault, "/v1/retention/run",
        json_pack("{s:o?, s:b}", "request", wire_bytes(request), "receipt", receipt_fn != NULL),
        &reply);
    if (rc != 0)
        return rc;
    (void)replay_due(reply, fn, ctx);
    *erased = (size_t)json_integer_value(json_object_get(reply, "erased"));
    *skipped = (size_t)json_integer_value(json_object_get(reply, "skipped"));
    if (receipt_fn != NULL)
        rc = write_output(reply, receipt_fn, receipt_ctx);
    if (rc == 0)
        rc = reply_error(reply);
    json_decref(reply);
    return rc;
}
