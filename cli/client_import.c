/* client_import.c - remote lv_import and lv_consent_import: the input is
 * read whole (up to CLIENT_IMPORT_MAX) and sent as base64; the rejected
 * rows come back and go to the caller's reject callback, in order. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "client_session.h"
#include "wire.h"

/* Base64 of this much stays under the server's import body limit. */
#define CLIENT_IMPORT_MAX (46u << 20)

static int read_all(lv_read_fn read, void *ctx, json_t **b64_out)
{
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    *b64_out = NULL;
    if (buf == NULL)
        return LV_ERROR;
    for (;;) {
        if (len == cap) {
            if (cap >= CLIENT_IMPORT_MAX) {
                sodium_memzero(buf, cap);
                free(buf);
                client_stub_fail_local("the input is larger than an import through a server "
                                       "takes (46 MiB): split it, or import on the vault file");
                return LV_EINVAL;
            }
            unsigned char *grown = malloc(cap * 2);
            if (grown == NULL) {
                sodium_memzero(buf, cap);
                free(buf);
                return LV_ERROR;
            }
            memcpy(grown, buf, len);
            sodium_memzero(buf, cap);
            free(buf);
            buf = grown;
            cap *= 2;
        }
        size_t got = 0;
        if (read(ctx, (char *)buf + len, cap - len, &got) != 0) {
            sodium_memzero(buf, cap);
            free(buf);
            client_stub_fail_local("reading the input failed");
            return LV_ERROR;
        }
        if (got == 0)
            break;
        len += got;
    }
    size_t b64_cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64_cap);
    if (b64 != NULL) {
        sodium_bin2base64(b64, b64_cap, buf, len, sodium_base64_VARIANT_ORIGINAL);
        *b64_out = json_string(b64);
        sodium_memzero(b64, b64_cap);
        free(b64);
    }
    sodium_memzero(buf, cap);
    free(buf);
    return *b64_out != NULL ? 0 : LV_ERROR;
}

static void replay_rejects(const json_t *reply, lv_reject_fn fn, void *ctx)
{
    const json_t *r_list = json_object_get(reply, "rejects");
    for (size_t i = 0; i < json_array_size(r_list); i++) {
        json_t *r = json_array_get(r_list, i);
        const json_t *raw = json_object_get(r, "raw");
        size_t len = json_string_length(raw), got = 0;
        unsigned char *bin = malloc(len / 4 * 3 + 3);
        if (bin == NULL)
            return;
        if (sodium_base642bin(bin, len / 4 * 3 + 3, json_string_value(raw) ?: "", len, NULL,
                              &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
            fn != NULL)
            fn(ctx, (uint64_t)json_integer_value(json_object_get(r, "line")),
               json_string_value(json_object_get(r, "reason")), (const char *)bin, got);
        sodium_memzero(bin, len / 4 * 3 + 3);
        free(bin);
    }
}

static json_t *string_list(const char *const *list, size_t count)
{
    json_t *a = json_array();
    for (size_t i = 0; list != NULL && i < count; i++)
        json_array_append_new(a, wire_bytes(list[i]));
    return a;
}

/* The library's failure carried in a reply that also holds results. */
static int reply_error(const json_t *reply)
{
    const json_t *err = json_object_get(reply, "error");
    if (err == NULL)
        return 0;
    const wire_error *e = wire_error_named(json_string_value(json_object_get(err, "code")));
    client_stub_fail_local(json_string_value(json_object_get(err, "message")) ?: "failed");
    return e != NULL ? e->code : LV_ERROR;
}

int r_import(lv_vault *vault, lv_read_fn read, void *read_ctx, const lv_import_options *o,
             lv_import_summary *s)
{
    memset(s, 0, sizeof *s);
    json_t *input = NULL;
    int rc = read_all(read, read_ctx, &input);
    if (rc != 0)
        return rc;
    json_t *body = json_pack(
        "{s:o, s:i, s:i, s:i, s:o?, s:o?, s:o?, s:b, s:b, s:o?, s:o?, s:o?, s:o?, s:o, s:o, s:o}",
        "input", input, "format", (int)o->format, "delimiter", (int)o->delimiter, "on_duplicate",
        (int)o->on_duplicate, "source", wire_bytes(o->source), "consent_purpose",
        wire_bytes(o->consent_purpose), "evidence", wire_bytes(o->evidence), "atomic", o->atomic,
        "dry_run", o->dry_run, "default_country", wire_bytes(o->default_country), "consent_granted",
        wire_bytes(o->consent_granted), "consent_withdrawn", wire_bytes(o->consent_withdrawn),
        "input_name", wire_bytes(o->input_name), "map", string_list(o->map, o->map_count),
        "map_owner", string_list(o->map_owner, o->map_owner_count), "consent_columns",
        string_list(o->consent_columns, o->consent_column_count));
    json_t *reply = NULL;
    if ((rc = client_stub_call(vault, "/v1/import", body, &reply)) != 0)
        return rc;
    replay_rejects(reply, o->reject, o->reject_ctx);
    uint64_t *counts[] = {&s->rows,       &s->imported,         &s->updated,
                          &s->duplicates, &s->suppressed,       &s->rejected,
                          &s->unmapped_sources, &s->unmapped_stages, &s->owners_dropped,
                          &s->consent_granted,  &s->consent_withdrawn, &s->consent_unknown,
                          &s->consent_unknown_first_line};
    const char *keys[] = {"rows",       "imported",         "updated",
                          "duplicates", "suppressed",       "rejected",
                          "unmapped_sources", "unmapped_stages", "owners_dropped",
                          "consent_granted",  "consent_withdrawn", "consent_unknown",
                          "consent_unknown_first_line"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        *counts[i] = (uint64_t)json_integer_value(json_object_get(reply, keys[i]));
    (void)snprintf(s->unknown_columns, sizeof s->unknown_columns, "%s",
                   json_string_value(json_object_get(reply, "unknown_columns")) ?: "");
    (void)snprintf(s->consent_unknown_columns, sizeof s->consent_unknown_columns, "%s",
                   json_string_value(json_object_get(reply, "consent_unknown_columns")) ?: "");
    if (o->progress != NULL)
        o->progress(o->progress_ctx, s->rows, 0);
    rc = reply_error(reply);
    json_decref(reply);
    return rc;
}

int r_consent_import(lv_vault *vault, lv_read_fn read, void *read_ctx,
                     const lv_consent_import_options *o, lv_consent_import_summary *s)
{
    memset(s, 0, sizeof *s);
    json_t *input = NULL;
    int rc = read_all(read, read_ctx, &input);
    if (rc != 0)
        return rc;
    json_t *reply = NULL;
    rc = client_stub_call(vault, "/v1/consent/import",
                          json_pack("{s:o, s:i, s:o?}", "input", input, "delimiter",
                                    (int)o->delimiter, "input_name", wire_bytes(o->input_name)),
                          &reply);
    if (rc != 0)
        return rc;
    replay_rejects(reply, o->reject, o->reject_ctx);
    s->rows = (uint64_t)json_integer_value(json_object_get(reply, "rows"));
    s->granted = (uint64_t)json_integer_value(json_object_get(reply, "granted"));
    s->withdrawn = (uint64_t)json_integer_value(json_object_get(reply, "withdrawn"));
    s->rejected = (uint64_t)json_integer_value(json_object_get(reply, "rejected"));
    rc = reply_error(reply);
    json_decref(reply);
    return rc;
}
