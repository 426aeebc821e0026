/* receipt.h - signed erasure receipts (docs/format.md).
 *
 * A receipt is one JSON object in canonical form (keys sorted, compact,
 * ASCII) followed by a newline. Its "signature" member is the base64
 * Ed25519 signature, under the audit key, of "leadvault-receipt-v1\n"
 * followed by the canonical form of the object without "signature". */
#ifndef LV_RECEIPT_H
#define LV_RECEIPT_H

#include <jansson.h>

#include "session.h"

/* A new unsigned receipt for a request; kind "erasure" or "retention". */
json_t *receipt_new(const lv_vault *vault, const char *kind, const char *request);

/* Add one erased lead: the fields it held, consent records removed, ground. */
int receipt_add(json_t *receipt, const unsigned char lead_id[LV_ID_BYTES], uint32_t fields,
                uint64_t consents, const char *ground, int suppressed);

/* Add one lead skipped because of a legal hold. */
int receipt_add_skipped(json_t *receipt, const unsigned char lead_id[LV_ID_BYTES]);

/* Stamp the audit position, sign, and write the receipt through fn; then
 * record that it was handed out (an erase.receipt audit entry naming
 * audit_seq and the receipt's request, in a transaction of its own). */
int receipt_sign_write(lv_vault *vault, json_t *receipt, uint64_t audit_seq,
                       const unsigned char audit_head[32], lv_write_fn fn, void *ctx);

#endif
