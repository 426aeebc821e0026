/* wire.h - the JSON of the leadvault HTTP API, in one place: what the
 * server writes and the client reads (and what the CLI's --json prints)
 * is built and parsed by these functions, so a member is named once.
 * Public API types only (include/leadvault.h). */
#ifndef LV_WIRE_H
#define LV_WIRE_H

#include <jansson.h>

#include "leadvault.h"

/* Codes of the error body that are not LV_E* codes: the request never
 * reached the library. */
#define WIRE_UNAUTHENTICATED 1001 /* no, unknown, expired or revoked token (401) */
#define WIRE_BAD_REQUEST 1002     /* malformed JSON, wrong types, missing members (400) */
#define WIRE_NO_ENDPOINT 1003     /* no such endpoint or method (404 / 405) */
#define WIRE_TOO_LARGE 1004       /* request body over the limit (413) */
#define WIRE_RATE_LIMITED 1005    /* too many failed logins (429, Retry-After) */
#define WIRE_OVERLOADED 1006      /* too many requests or logins at once (503, Retry-After) */

/* One row of the error mapping (docs/server.md lists them all). */
typedef struct wire_error {
    int code;           /* LV_E* or WIRE_* */
    const char *name;   /* stable code string of the error body */
    int http_status;
    int exit_code;      /* the CLI's exit code for it */
} wire_error;

/* The row for code; unknown codes get the row of LV_ERROR. */
const wire_error *wire_error_for(int code);
/* The row named name (an error body's "code"), or NULL. */
const wire_error *wire_error_named(const char *name);
/* Every row, ending with a row whose name is NULL. */
const wire_error *wire_errors(void);

/* {"error":{"code":NAME,"exit":N,"message":MESSAGE}} */
json_t *wire_error_body(int code, const char *message);

/* The CLI's --json shape of a lead's metadata and of a revealed lead. */
json_t *wire_meta_json(const lv_lead_meta *meta);
json_t *wire_lead_json(const lv_lead *lead);
/* Back from that shape. Returns 0 or LV_EINVAL. wire_lead_from_json
 * allocates the values with sodium_malloc (wire_lead_values_free wipes). */
int wire_meta_from_json(lv_lead_meta *out, const json_t *json);
int wire_lead_from_json(lv_lead *out, const json_t *json);
void wire_lead_values_free(lv_lead *lead);

/* Members of a request object: each returns 0, or LV_EINVAL when the
 * member is present with the wrong type (or absent when required). */
int wire_string(const json_t *obj, const char *key, int required, const char **out);
int wire_int(const json_t *obj, const char *key, int required, long long *out);
int wire_bool(const json_t *obj, const char *key, int *out);

/* Byte strings. JSON carries only UTF-8, yet the CLI may be handed any
 * bytes (argv, files) that the library must see in order to refuse them
 * with its own message, and the audit log may hold bytes a file writer
 * planted. Between the two ends a string that is not valid UTF-8 travels
 * as the object {"b64": BASE64} (standard alphabet, padded); inside each
 * end it is a jansson string holding the raw bytes. */

/* A jansson string of exactly these bytes, UTF-8 or not (NULL for NULL:
 * json_pack's "o?" then gives null). */
json_t *wire_bytes(const char *text);
json_t *wire_bytesn(const char *text, size_t len);
/* Before json_dumps: every string below doc (not doc itself) that is not
 * valid UTF-8 becomes {"b64": ...}. Returns 0 or LV_ERROR (memory). */
int wire_encode_bytes(json_t *doc);
/* After json_loadb: every object below doc whose one member is "b64"
 * becomes the string of its bytes. Returns 0, LV_EINVAL (the member is
 * not a string of base64, or its bytes hold a NUL or are valid UTF-8,
 * which travels as a plain string: one form for each value) or LV_ERROR
 * (memory). */
int wire_decode_bytes(json_t *doc);

/* A lead input as the members of a JSON object: "fields" {name: value},
 * and the metadata members as meta_json names them. */
json_t *wire_lead_input_json(const lv_lead_input *in);
int wire_lead_input_from_json(lv_lead_input *out, const json_t *json);

/* What lv_vault_rekey reports, as the CLI's `rekey --json` prints it and
 * POST /v1/rekey answers. from_json returns 0 or LV_EINVAL. */
json_t *wire_rekey_report_json(const lv_rekey_report *report);
int wire_rekey_report_from_json(lv_rekey_report *out, const json_t *json);

#endif
