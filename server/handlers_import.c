/* handlers_import.c - POST /v1/import and /v1/consent/import: the input
 * comes whole in the request as base64 ("input"), the rejected rows go
 * back in the response ("rejects", each with its raw bytes in base64). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "server.h"
#include "wire.h"

typedef struct input {
    unsigned char *data;
    size_t len, at;
} input;

static int read_input(void *ctx, char *buf, size_t cap, size_t *got)
{
    input *in = ctx;
    size_t n = in->len - in->at < cap ? in->len - in->at : cap;
    memcpy(buf, in->data + in->at, n);
    in->at += n;
    *got = n;
    return 0;
}

static int decode_input(call *c, input *in)
{
    const char *b64 = NULL;
    memset(in, 0, sizeof *in);
    if (wire_string(c->in, "input", 1, &b64) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "expected \"input\" (base64)");
    size_t b64_len = json_string_length(json_object_get(c->in, "input"));
    in->data = malloc(b64_len / 4 * 3 + 3);
    if (in->data == NULL)
        return LV_ERROR;
    if (sodium_base642bin(in->data, b64_len / 4 * 3 + 3, b64, b64_len, NULL, &in->len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(in->data);
        in->data = NULL;
        return call_fail(c, WIRE_BAD_REQUEST, "\"input\" is not base64");
    }
    return 0; // NOLINT(clang-analyzer-unix.Malloc): in->data is the caller's; input_free frees it
}

static void input_free(input *in)
{
    if (in->data != NULL) {
        sodium_memzero(in->data, in->len);
        free(in->data);
    }
}

static void on_reject(void *ctx, uint64_t line, const char *reason, const char *raw,
                      size_t raw_len)
{
    size_t cap = sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    if (b64 == NULL)
        return;
    sodium_bin2base64(b64, cap, (const unsigned char *)raw, raw_len,
                      sodium_base64_VARIANT_ORIGINAL);
    json_array_append_new(ctx, json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)line, "reason",
                                         reason, "raw", b64));
    sodium_memzero(b64, cap);
    free(b64);
}

/* A string array member into a NULL-free array of its strings (points into c->in). */
static int strings(call *c, const char *key, const char ***out, size_t *count)
{
    const json_t *a = json_object_get(c->in, key);
    *out = NULL;
    *count = 0;
    if (a == NULL || json_is_null(a))
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 256)
        return call_fail(c, WIRE_BAD_REQUEST, "\"%s\" is an array of strings", key);
    *out = calloc(json_array_size(a) + 1, sizeof **out);
    if (*out == NULL)
        return LV_ERROR;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *s = json_array_get(a, i);
        if (!json_is_string(s)) {
            free(*out);
            *out = NULL;
            return call_fail(c, WIRE_BAD_REQUEST, "\"%s\" is an array of strings", key);
        }
        (*out)[i] = json_string_value(s);
    }
    *count = json_array_size(a);
    return 0;
}

/* The answer of an import that ran: 200 with the summary; on a failure
 * after rows were stored or rejected, 200 with the summary and an "error"
 * member (the client reports those rows, then fails as the library did);
 * on a failure with nothing to report (a refused role, an input refused
 * whole), the error answer alone, with its HTTP status. */
static int finish(call *c, int rc, int has_results)
{
    if (rc == 0)
        return 0;
    if (!has_results) {
        json_decref(c->out);
        c->out = NULL;
        return rc;
    }
    (void)snprintf(c->message, sizeof c->message, "%s", lv_error_last());
    json_object_set_new(c->out, "error", json_pack("{s:s, s:s}", "code", wire_error_for(rc)->name,
                                                   "message", c->message));
    return 0;
}

int h_import(call *c)
{
    lv_import_options o = LV_IMPORT_OPTIONS_INIT;
    long long format = 0, delimiter = 0, on_dup = 0;
    const char *const *lists[3] = {NULL, NULL, NULL};
    if (wire_int(c->in, "format", 0, &format) != 0 ||
        wire_int(c->in, "delimiter", 0, &delimiter) != 0 ||
        wire_int(c->in, "on_duplicate", 0, &on_dup) != 0 ||
        wire_string(c->in, "source", 0, &o.source) != 0 ||
        wire_string(c->in, "consent_purpose", 0, &o.consent_purpose) != 0 ||
        wire_string(c->in, "evidence", 0, &o.evidence) != 0 ||
        wire_bool(c->in, "atomic", &o.atomic) != 0 || wire_bool(c->in, "dry_run", &o.dry_run) != 0 ||
        wire_string(c->in, "default_country", 0, &o.default_country) != 0 ||
        wire_string(c->in, "consent_granted", 0, &o.consent_granted) != 0 ||
        wire_string(c->in, "consent_withdrawn", 0, &o.consent_withdrawn) != 0 ||
        wire_string(c->in, "input_name", 0, &o.input_name) != 0 || delimiter < 0 ||
        delimiter > 127)
        return call_fail(c, WIRE_BAD_REQUEST, "import: options of the wrong type");
    int rc;
    if ((rc = strings(c, "map", (const char ***)&lists[0], &o.map_count)) != 0 ||
        (rc = strings(c, "map_owner", (const char ***)&lists[1], &o.map_owner_count)) != 0 ||
        (rc = strings(c, "consent_columns", (const char ***)&lists[2], &o.consent_column_count)) !=
            0) {
        for (int i = 0; i < 3; i++)
            free((void *)lists[i]);
        return rc;
    }
    o.map = lists[0];
    o.map_owner = lists[1];
    o.consent_columns = lists[2];
    o.format = (lv_import_format)format;
    o.delimiter = (char)delimiter;
    o.on_duplicate = (lv_on_duplicate)on_dup;
    input in;
    if ((rc = decode_input(c, &in)) != 0) {
        for (int i = 0; i < 3; i++)
            free((void *)lists[i]);
        return rc;
    }
    json_t *rejects = json_array();
    o.reject = on_reject;
    o.reject_ctx = rejects;
    lv_import_summary s;
    memset(&s, 0, sizeof s);
    rc = lv_import(c->session->vault, read_input, &in, &o, &s);
    input_free(&in);
    for (int i = 0; i < 3; i++)
        free((void *)lists[i]);
    /* The summary and the rejects go back on failure too: the rows before
     * it are stored. */
    c->out = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:o}",
        "rows", (json_int_t)s.rows, "imported", (json_int_t)s.imported, "updated",
        (json_int_t)s.updated, "duplicates", (json_int_t)s.duplicates, "suppressed",
        (json_int_t)s.suppressed, "rejected", (json_int_t)s.rejected, "unmapped_sources",
        (json_int_t)s.unmapped_sources, "unmapped_stages", (json_int_t)s.unmapped_stages,
        "unknown_columns", s.unknown_columns, "owners_dropped", (json_int_t)s.owners_dropped,
        "consent_granted", (json_int_t)s.consent_granted, "consent_withdrawn",
        (json_int_t)s.consent_withdrawn, "consent_unknown", (json_int_t)s.consent_unknown,
        "consent_unknown_columns", s.consent_unknown_columns, "consent_unknown_first_line",
        (json_int_t)s.consent_unknown_first_line, "rejects", rejects);
    return finish(c, rc, s.imported + s.updated > 0 || json_array_size(rejects) > 0);
}

int h_consent_import(call *c)
{
    lv_consent_import_options o = LV_CONSENT_IMPORT_OPTIONS_INIT;
    long long delimiter = 0;
    if (wire_int(c->in, "delimiter", 0, &delimiter) != 0 ||
        wire_string(c->in, "input_name", 0, &o.input_name) != 0 || delimiter < 0 ||
        delimiter > 127)
        return call_fail(c, WIRE_BAD_REQUEST, "consent import: options of the wrong type");
    o.delimiter = (char)delimiter;
    input in;
    int rc = decode_input(c, &in);
    if (rc != 0)
        return rc;
    json_t *rejects = json_array();
    o.reject = on_reject;
    o.reject_ctx = rejects;
    lv_consent_import_summary s;
    memset(&s, 0, sizeof s);
    rc = lv_consent_import(c->session->vault, read_input, &in, &o, &s);
    input_free(&in);
    c->out = json_pack("{s:I, s:I, s:I, s:I, s:o}", "rows", (json_int_t)s.rows, "granted",
                       (json_int_t)s.granted, "withdrawn", (json_int_t)s.withdrawn, "rejected",
                       (json_int_t)s.rejected, "rejects", rejects);
    return finish(c, rc, s.granted + s.withdrawn > 0 || json_array_size(rejects) > 0);
}
