/* seal.c - field AEAD with XChaCha20-Poly1305 and place-binding AD. */
#include <sodium.h>
#include <string.h>

#include "seal.h"

static void field_ad(unsigned char ad[SEAL_AD_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES], lv_field field)
{
    memcpy(ad, "lvF", 3);
    ad[3] = FORMAT_VERSION;
    memcpy(ad + 4, vault_id, LV_ID_BYTES);
    memcpy(ad + 4 + LV_ID_BYTES, lead_id, LV_ID_BYTES);
    ad[4 + 2 * LV_ID_BYTES] = (unsigned char)field;
}

void seal_value(unsigned char *out, const unsigned char *plain, size_t len,
                const unsigned char key[KEY_BYTES], const unsigned char *ad, size_t ad_len)
{
    out[0] = FORMAT_VERSION;
    key_random(out + 1, NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE_BYTES, NULL, plain, len, ad,
                                               ad_len, NULL, out + 1, key);
}

int seal_open_value(unsigned char *out, const unsigned char *sealed, size_t sealed_len,
                    const unsigned char key[KEY_BYTES], const unsigned char *ad, size_t ad_len)
{
    if (sealed_len < SEAL_OVERHEAD || sealed[0] != FORMAT_VERSION)
        return LV_ECORRUPT;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, sealed + 1 + NONCE_BYTES,
                                                   sealed_len - 1 - NONCE_BYTES, ad, ad_len,
                                                   sealed + 1, key) != 0) {
        sodium_memzero(out, sealed_len - SEAL_OVERHEAD);
        return LV_ECORRUPT;
    }
    return 0;
}

void seal_field(unsigned char *out, const unsigned char *plain, size_t len,
                const unsigned char key[KEY_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                const unsigned char lead_id[LV_ID_BYTES], lv_field field)
{
    unsigned char ad[SEAL_AD_BYTES];
    field_ad(ad, vault_id, lead_id, field);
    seal_value(out, plain, len, key, ad, sizeof ad);
}

int seal_open_field(unsigned char *out, const unsigned char *sealed, size_t sealed_len,
                    const unsigned char key[KEY_BYTES],
                    const unsigned char vault_id[LV_ID_BYTES],
                    const unsigned char lead_id[LV_ID_BYTES], lv_field field)
{
    unsigned char ad[SEAL_AD_BYTES];
    field_ad(ad, vault_id, lead_id, field);
    return seal_open_value(out, sealed, sealed_len, key, ad, sizeof ad);
}

void seal_consent_ad(unsigned char ad[CONSENT_AD_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES],
                     const unsigned char consent_id[LV_ID_BYTES], char kind)
{
    memcpy(ad, "lvC", 3);
    ad[3] = FORMAT_VERSION;
    memcpy(ad + 4, vault_id, LV_ID_BYTES);
    memcpy(ad + 4 + LV_ID_BYTES, lead_id, LV_ID_BYTES);
    memcpy(ad + 4 + 2 * (size_t)LV_ID_BYTES, consent_id, LV_ID_BYTES);
    ad[4 + 3 * LV_ID_BYTES] = (unsigned char)kind;
}

void seal_leadkey_ad(unsigned char ad[LEADKEY_AD_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES])
{
    memcpy(ad, "lvK", 3);
    ad[3] = FORMAT_VERSION;
    memcpy(ad + 4, vault_id, LV_ID_BYTES);
    memcpy(ad + 4 + LV_ID_BYTES, lead_id, LV_ID_BYTES);
}
