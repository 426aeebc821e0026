/* seal.h - field AEAD: seal / open one value bound to its place.
 *
 * A sealed value is: format byte (1) | nonce (24) | ciphertext (n) | tag (16),
 * XChaCha20-Poly1305 under the lead's data key. Its associated data binds it
 * to vault id, lead id, field id and format version (docs/format.md), so a
 * value moved to another lead, field or vault fails to open. */
#ifndef LV_SEAL_H
#define LV_SEAL_H

#include <stddef.h>

#include "keys.h"

#define SEAL_OVERHEAD (1 + NONCE_BYTES + TAG_BYTES)

/* Bytes of a sealed value of len plaintext bytes. */
static inline size_t seal_size(size_t len) { return len + SEAL_OVERHEAD; }

/* Associated data of a sealed field: "lvF" | version | vault id | lead id | field. */
#define SEAL_AD_BYTES (3 + 1 + LV_ID_BYTES + LV_ID_BYTES + 1)

void seal_field(unsigned char *out, const unsigned char *plain, size_t len,
                const unsigned char key[KEY_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                const unsigned char lead_id[LV_ID_BYTES], lv_field field);

/* Open into out (sealed_len - SEAL_OVERHEAD bytes). LV_ECORRUPT when the
 * value is malformed, tampered, or belongs to another place. */
int seal_open_field(unsigned char *out, const unsigned char *sealed, size_t sealed_len,
                    const unsigned char key[KEY_BYTES],
                    const unsigned char vault_id[LV_ID_BYTES],
                    const unsigned char lead_id[LV_ID_BYTES], lv_field field)
    __attribute__((warn_unused_result));

/* Seal / open with caller-built associated data (same byte layout). */
void seal_value(unsigned char *out, const unsigned char *plain, size_t len,
                const unsigned char key[KEY_BYTES], const unsigned char *ad, size_t ad_len);
int seal_open_value(unsigned char *out, const unsigned char *sealed, size_t sealed_len,
                    const unsigned char key[KEY_BYTES], const unsigned char *ad, size_t ad_len)
    __attribute__((warn_unused_result));

/* Associated data of a consent record's sealed evidence (kind 'e') or
 * withdrawal reason (kind 'r'): "lvC" | version | vault id | lead id |
 * consent id | kind. */
#define CONSENT_AD_BYTES (3 + 1 + 3 * LV_ID_BYTES + 1)
void seal_consent_ad(unsigned char ad[CONSENT_AD_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES],
                     const unsigned char consent_id[LV_ID_BYTES], char kind);

/* Associated data of a lead's wrapped data key: "lvK" | version | vault id | lead id. */
#define LEADKEY_AD_BYTES (3 + 1 + LV_ID_BYTES + LV_ID_BYTES)
void seal_leadkey_ad(unsigned char ad[LEADKEY_AD_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES]);

#endif
