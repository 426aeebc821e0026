/* wire.c - the JSON of the HTTP API, shared by the server and the client. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "wire.h"

/* The error mapping: every LV_E* code and every refusal of the HTTP layer,
 * with its stable name, HTTP status and the CLI's exit code. */
static const wire_error errors[] = {
    {LV_EINVAL, "invalid", 400, 2},
    {LV_EAUTH, "auth", 401, 3},
    {LV_ENOTFOUND, "not_found", 404, 4},
    {LV_EDENIED, "denied", 403, 5},
    {LV_ECORRUPT, "integrity", 500, 6},
    {LV_EBUSY, "busy", 503, 7},
    {LV_EEXISTS, "exists", 409, 1},
    {LV_EFULL, "full", 507, 8},
    {LV_EREADONLY, "readonly", 503, 9},
    {LV_ERROR, "error", 500, 1},
    {WIRE_UNAUTHENTICATED, "unauthenticated", 401, 3},
    {WIRE_BAD_REQUEST, "bad_request", 400, 2},
    {WIRE_NO_ENDPOINT, "no_endpoint", 404, 2},
    {WIRE_TOO_LARGE, "too_large", 413, 2},
    {WIRE_RATE_LIMITED, "rate_limited", 429, 3},
    {WIRE_OVERLOADED, "overloaded", 503, 7},
    {0, NULL, 0, 0},
};

const wire_error *wire_errors(void)
{
    return errors;
}

const wire_error *wire_error_for(int code)
{
    const wire_error *fallback = errors;
    for (const wire_error *e = errors; e->name != NULL; e++) {
        if (e->code == code)
            return e;
        if (e->code == LV_ERROR)
            fallback = e;
    }
    return fallback;
}

const wire_error *wire_error_named(const char *name)
{
    for (const wire_error *e = errors; name != NULL && e->name != NULL; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

json_t *wire_error_body(int code, const char *message)
{
    const wire_error *e = wire_error_for(code);
    /* A message may quote bytes the request carried (never a value). */
    return json_pack("{s:{s:s, s:i, s:o}}", "error", "code", e->name, "exit", e->exit_code,
                     "message",
                     wire_bytes(message != NULL && message[0] ? message : lv_strerror(code)));
}

json_t *wire_meta_json(const lv_lead_meta *m)
{
    char created[32], updated[32], last[32];
    lv_time_format(created, m->created);
    lv_time_format(updated, m->updated);
    lv_time_format(last, m->last_contact);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          m->id, "source", m->source, "source_detail", m->source_detail, "stage",
                          m->stage, "owner", m->owner, "country", m->country, "incentive",
                          lv_signal_name(m->signal[LV_SIGNAL_INCENTIVE]), "verified",
                          lv_signal_name(m->signal[LV_SIGNAL_VERIFIED]), "aware",
                          lv_signal_name(m->signal[LV_SIGNAL_AWARE]), "quality", m->quality,
                          "created", created, "updated", updated);
    if (o != NULL)
        json_object_set_new(o, "last_contact", last[0] ? json_string(last) : json_null());
    return o;
}

json_t *wire_lead_json(const lv_lead *lead)
{
    json_t *o = wire_meta_json(&lead->meta);
    json_t *fields = json_object();
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->value[f] != NULL)
            json_object_set_new(fields, lv_field_name((lv_field)f),
                                json_stringn(lead->value[f], lead->value_len[f]));
    }
    json_object_set_new(o, "fields", fields);
    return o;
}

static int copy_member(char *out, size_t cap, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v) || json_string_length(v) >= cap)
        return LV_EINVAL;
    memcpy(out, json_string_value(v), json_string_length(v) + 1);
    return 0;
}

static int time_member(int64_t *out, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    *out = 0;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return LV_EINVAL;
    return json_string_length(v) == 0 ? 0 : lv_time_parse(out, json_string_value(v));
}

static const char *const signal_keys[LV_SIGNAL_COUNT] = {"incentive", "verified", "aware"};

int wire_meta_from_json(lv_lead_meta *out, const json_t *json)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(json))
        return LV_EINVAL;
    if (copy_member(out->id, sizeof out->id, json, "id") != 0 ||
        copy_member(out->source, sizeof out->source, json, "source") != 0 ||
        copy_member(out->source_detail, sizeof out->source_detail, json, "source_detail") != 0 ||
        copy_member(out->stage, sizeof out->stage, json, "stage") != 0 ||
        copy_member(out->owner, sizeof out->owner, json, "owner") != 0 ||
        copy_member(out->country, sizeof out->country, json, "country") != 0)
        return LV_EINVAL;
    for (int i = 0; i < LV_SIGNAL_COUNT; i++) {
        const char *text = NULL;
        if (wire_string(json, signal_keys[i], 1, &text) != 0 ||
            lv_signal_parse(&out->signal[i], text) != 0)
            return LV_EINVAL;
    }
    out->quality = lv_lead_quality(out->signal);
    if (time_member(&out->created, json, "created") != 0 ||
        time_member(&out->updated, json, "updated") != 0 ||
        time_member(&out->last_contact, json, "last_contact") != 0)
        return LV_EINVAL;
    return 0;
}

void wire_lead_values_free(lv_lead *lead)
{
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->value[f] != NULL)
            sodium_free(lead->value[f]);
        lead->value[f] = NULL;
        lead->value_len[f] = 0;
    }
}

int wire_lead_from_json(lv_lead *out, const json_t *json)
{
    memset(out, 0, sizeof *out);
    if (wire_meta_from_json(&out->meta, json) != 0)
        return LV_EINVAL;
    const json_t *fields = json_object_get(json, "fields");
    if (fields == NULL)
        return 0;
    if (!json_is_object(fields))
        return LV_EINVAL;
    for (void *it = json_object_iter((json_t *)fields); it != NULL;
         it = json_object_iter_next((json_t *)fields, it)) {
        const char *key = json_object_iter_key(it);
        const json_t *value = json_object_iter_value(it);
        lv_field f;
        if (lv_field_parse(&f, key) != 0 || !json_is_string(value) || out->value[f] != NULL) {
            wire_lead_values_free(out);
            return LV_EINVAL;
        }
        size_t len = json_string_length(value);
        out->value[f] = sodium_malloc(len + 1);
        if (out->value[f] == NULL) {
            wire_lead_values_free(out);
            return LV_ERROR;
        }
        memcpy(out->value[f], json_string_value(value), len + 1);
        out->value_len[f] = len;
    }
    return 0;
}

int wire_string(const json_t *obj, const char *key, int required, const char **out)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return required ? LV_EINVAL : 0;
    if (!json_is_string(v))
        return LV_EINVAL;
    *out = json_string_value(v);
    return 0;
}

int wire_int(const json_t *obj, const char *key, int required, long long *out)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v))
        return required ? LV_EINVAL : 0;
    if (!json_is_integer(v))
        return LV_EINVAL;
    *out = (long long)json_integer_value(v);
    return 0;
}

int wire_bool(const json_t *obj, const char *key, int *out)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return LV_EINVAL;
    *out = json_is_true(v);
    return 0;
}

json_t *wire_lead_input_json(const lv_lead_input *in)
{
    json_t *o = json_object();
    json_t *fields = json_object();
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (in->field[f] != NULL) {
            size_t len = in->field_len[f] != 0 ? in->field_len[f] : strlen(in->field[f]);
            json_object_set_new(fields, lv_field_name((lv_field)f), wire_bytesn(in->field[f], len));
        }
    }
    json_object_set_new(o, "fields", fields);
    const char *keys[] = {"source", "source_detail", "stage", "owner", "country"};
    const char *values[] = {in->source, in->source_detail, in->stage, in->owner, in->country};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (values[i] != NULL)
            json_object_set_new(o, keys[i], wire_bytes(values[i]));
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        if (in->signal[i] != LV_SIGNAL_UNSET)
            json_object_set_new(o, signal_keys[i], json_string(lv_signal_name(in->signal[i])));
    if (in->last_contact != 0)
        json_object_set_new(o, "last_contact", json_integer(in->last_contact));
    return o;
}

/* Strings of the result point into json, which must outlive *out. */
int wire_lead_input_from_json(lv_lead_input *out, const json_t *json)
{
    lv_lead_input init = LV_LEAD_INPUT_INIT;
    *out = init;
    if (!json_is_object(json))
        return LV_EINVAL;
    const json_t *fields = json_object_get(json, "fields");
    if (fields != NULL && !json_is_object(fields))
        return LV_EINVAL;
    for (void *it = json_object_iter((json_t *)fields); it != NULL;
         it = json_object_iter_next((json_t *)fields, it)) {
        const char *key = json_object_iter_key(it);
        const json_t *value = json_object_iter_value(it);
        lv_field f;
        if (lv_field_parse(&f, key) != 0 || !json_is_string(value))
            return LV_EINVAL;
        out->field[f] = json_string_value(value);
        out->field_len[f] = json_string_length(value);
        if (out->field_len[f] == 0)
            out->field[f] = ""; /* "" clears on update; strlen("") is 0 */
    }
    if (wire_string(json, "source", 0, &out->source) != 0 ||
        wire_string(json, "source_detail", 0, &out->source_detail) != 0 ||
        wire_string(json, "stage", 0, &out->stage) != 0 ||
        wire_string(json, "owner", 0, &out->owner) != 0 ||
        wire_string(json, "country", 0, &out->country) != 0)
        return LV_EINVAL;
    for (int i = 0; i < LV_SIGNAL_COUNT; i++) {
        const char *text = NULL;
        if (wire_string(json, signal_keys[i], 0, &text) != 0 ||
            (text != NULL && lv_signal_parse(&out->signal[i], text) != 0))
            return LV_EINVAL;
    }
    long long last = 0;
    if (wire_int(json, "last_contact", 0, &last) != 0)
        return LV_EINVAL;
    out->last_contact = last;
    return 0;
}

/* ---- byte strings ---- */

json_t *wire_bytesn(const char *text, size_t len)
{
    return text != NULL ? json_stringn_nocheck(text, len) : NULL;
}

json_t *wire_bytes(const char *text)
{
    return text != NULL ? json_stringn_nocheck(text, strlen(text)) : NULL;
}

/* jansson's own UTF-8 check (json_stringn refuses what its dumper would),
 * after a pass that clears plain ASCII, the common case, without a copy:
 * imports and exports carry tens of MiB of base64. */
static int is_utf8(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (unsigned char)text[i] < 0x80)
        i++;
    if (i == len)
        return 1;
    json_t *check = json_stringn(text, len);
    json_decref(check);
    return check != NULL;
}

static json_t *b64_object(const char *bytes, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    if (b64 == NULL)
        return NULL;
    sodium_bin2base64(b64, cap, (const unsigned char *)bytes, len, sodium_base64_VARIANT_ORIGINAL);
    json_t *o = json_pack("{s:s}", "b64", b64);
    sodium_memzero(b64, cap); /* the bytes may be a value or a passphrase */
    free(b64);
    return o;
}

/* The visitors of walk(): each returns 0 or an LV_E* code, and sets
 * *replacement (a new reference) to put in the value's place. */
typedef int (*visit_fn)(const json_t *value, json_t **replacement);

/* Visit every value below doc, depth first, without recursion (a
 * document may nest as deep as jansson's parser allows): a stack of the
 * objects and arrays still to walk. */
static int walk(json_t *doc, visit_fn visit)
{
    json_t *stack = json_array();
    if (stack == NULL || json_array_append(stack, doc) != 0) {
        json_decref(stack);
        return LV_ERROR;
    }
    int rc = 0;
    while (rc == 0 && json_array_size(stack) > 0) {
        size_t top = json_array_size(stack) - 1;
        json_t *node = json_incref(json_array_get(stack, top));
        (void)json_array_remove(stack, top);
        void *it = json_is_object(node) ? json_object_iter(node) : NULL;
        size_t count = json_is_array(node) ? json_array_size(node) : 0;
        for (size_t i = 0; rc == 0 && (it != NULL || i < count); i++) {
            json_t *v = it != NULL ? json_object_iter_value(it) : json_array_get(node, i);
            json_t *replacement = NULL;
            rc = visit(v, &replacement);
            if (rc == 0 && replacement != NULL)
                rc = (it != NULL ? json_object_iter_set_new(node, it, replacement)
                                 : json_array_set_new(node, i, replacement)) != 0
                         ? LV_ERROR
                         : 0;
            else if (rc == 0 && (json_is_object(v) || json_is_array(v)))
                rc = json_array_append(stack, v) != 0 ? LV_ERROR : 0;
            if (it != NULL)
                it = json_object_iter_next(node, it);
        }
        json_decref(node);
    }
    json_decref(stack);
    return rc;
}

/* A string that is not UTF-8 becomes its {"b64"} object. */
static int encoded(const json_t *v, json_t **replacement)
{
    if (!json_is_string(v) || is_utf8(json_string_value(v), json_string_length(v)))
        return 0;
    *replacement = b64_object(json_string_value(v), json_string_length(v));
    return *replacement != NULL ? 0 : LV_ERROR;
}

int wire_encode_bytes(json_t *doc)
{
    return walk(doc, encoded);
}

/* The bytes of a {"b64": ...} object as a string in *out; 0 with *out
 * NULL for any other value. */
static int decoded(const json_t *v, json_t **out)
{
    *out = NULL;
    if (!json_is_object(v) || json_object_size(v) != 1)
        return 0;
    const json_t *b64 = json_object_get(v, "b64");
    if (b64 == NULL)
        return 0;
    if (!json_is_string(b64))
        return LV_EINVAL;
    size_t b64_len = json_string_length(b64);
    size_t cap = b64_len / 4 * 3 + 3, len = 0;
    unsigned char *bytes = malloc(cap);
    if (bytes == NULL)
        return LV_ERROR;
    const char *end = NULL;
    int rc = LV_EINVAL;
    if (sodium_base642bin(bytes, cap, json_string_value(b64), b64_len, NULL, &len, &end,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        end == json_string_value(b64) + b64_len && memchr(bytes, '\0', len) == NULL &&
        !is_utf8((const char *)bytes, len)) {
        *out = json_stringn_nocheck((const char *)bytes, len);
        rc = *out != NULL ? 0 : LV_ERROR;
    }
    sodium_memzero(bytes, cap);
    free(bytes);
    return rc;
}

int wire_decode_bytes(json_t *doc)
{
    return walk(doc, decoded);
}

/* The rekey report: members after lv_rekey_report's, the CLI's --json. */
json_t *wire_rekey_report_json(const lv_rekey_report *r)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "generation",
                     (json_int_t)r->generation, "dropped", (json_int_t)r->dropped, "leads",
                     (json_int_t)r->leads, "reencrypted", (json_int_t)r->reencrypted, "consents",
                     (json_int_t)r->consents, "tags", (json_int_t)r->tags, "envelopes",
                     (json_int_t)r->envelopes, "resumed", r->resumed);
}

int wire_rekey_report_from_json(lv_rekey_report *out, const json_t *json)
{
    memset(out, 0, sizeof *out);
    static const char *const keys[] = {"generation", "dropped", "leads", "reencrypted",
                                       "consents", "tags", "envelopes"};
    long long v[7];
    for (size_t i = 0; i < 7; i++)
        if (wire_int(json, keys[i], 1, &v[i]) != 0 || v[i] < 0)
            return LV_EINVAL;
    if (v[0] > 0xffffffffLL || v[1] > 0xffffffffLL)
        return LV_EINVAL;
    int resumed = 0;
    if (wire_bool(json, "resumed", &resumed) != 0)
        return LV_EINVAL;
    out->generation = (uint32_t)v[0];
    out->dropped = (uint32_t)v[1];
    out->leads = (uint64_t)v[2];
    out->reencrypted = (uint64_t)v[3];
    out->consents = (uint64_t)v[4];
    out->tags = (uint64_t)v[5];
    out->envelopes = (uint64_t)v[6];
    out->resumed = resumed;
    return 0;
}
