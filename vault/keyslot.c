/* keyslot.c - make, open and authenticate keyslots. */
#include <sodium.h>
#include <string.h>

#include "error.h"
#include "keyslot.h"
#include "session.h"
#include "util_time.h"

#define SLOT_AD_MAX (3 + 1 + LV_ID_BYTES + LV_NAME_MAX + BOX_KEY_BYTES)

/* Associated data of the wrapped secret: "lvS", the slot kind (1: legacy,
 * as format 1 wrote it; 2: X25519), vault id, name and, for kind 2, the
 * public key, so a slot's secret opens only under its own name and pair. */
static size_t slot_ad(unsigned char ad[SLOT_AD_MAX], const unsigned char vault_id[LV_ID_BYTES],
                      const store_keyslot *slot)
{
    size_t n = strlen(slot->name);
    memcpy(ad, "lvS", 3);
    ad[3] = (unsigned char)(slot->kind == KEYSLOT_KIND_LEGACY ? FORMAT_VERSION : 2);
    memcpy(ad + 4, vault_id, LV_ID_BYTES);
    memcpy(ad + 4 + LV_ID_BYTES, slot->name, n);
    n += 4 + LV_ID_BYTES;
    if (slot->kind != KEYSLOT_KIND_LEGACY) {
        memcpy(ad + n, slot->public_key, BOX_KEY_BYTES);
        n += BOX_KEY_BYTES;
    }
    return n;
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

/* Format 1's MAC message for a legacy slot; an X25519 slot appends its
 * kind byte (the public key is in the associated data part already). */
static void slot_mac(unsigned char out[MAC_BYTES], const store_keyslot *slot, const keyring *ring,
                     const unsigned char vault_id[LV_ID_BYTES])
{
    unsigned char msg[SLOT_AD_MAX + 1 + 12 + SALT_BYTES + WRAPPED_KEY_BYTES + 8 + 1];
    size_t n = slot_ad(msg, vault_id, slot);
    msg[n++] = (unsigned char)slot->role;
    put_be(msg + n, slot->kdf.memory_kib, 4);
    put_be(msg + n + 4, slot->kdf.iterations, 4);
    put_be(msg + n + 8, slot->kdf.parallelism, 4);
    n += 12;
    memcpy(msg + n, slot->salt, SALT_BYTES);
    n += SALT_BYTES;
    memcpy(msg + n, slot->wrapped, WRAPPED_KEY_BYTES);
    n += WRAPPED_KEY_BYTES;
    put_be(msg + n, (uint64_t)slot->created, 8);
    n += 8;
    if (slot->kind != KEYSLOT_KIND_LEGACY)
        msg[n++] = (unsigned char)slot->kind;
    key_mac(out, ring, SUBKEY_RECORD_MAC, msg, n);
}

void keyslot_rewrap(store_keyslot *slot, const keyring *ring,
                    const unsigned char vault_id[LV_ID_BYTES],
                    const unsigned char passphrase_key[KEY_BYTES],
                    const unsigned char secret[BOX_KEY_BYTES],
                    const unsigned char public_key[BOX_KEY_BYTES])
{
    slot->kind = KEYSLOT_KIND_X25519;
    memcpy(slot->public_key, public_key, BOX_KEY_BYTES);
    unsigned char ad[SLOT_AD_MAX];
    key_wrap(slot->wrapped, secret, passphrase_key, ad, slot_ad(ad, vault_id, slot));
    slot_mac(slot->mac, slot, ring, vault_id);
}

int keyslot_make(store_keyslot *slot, const keyring *ring,
                 const unsigned char vault_id[LV_ID_BYTES], const char *name, int role,
                 const unsigned char *secret, const unsigned char *public_key,
                 const char *passphrase, size_t passphrase_len, const lv_kdf_params *kdf,
                 int64_t created)
{
    memset(slot, 0, sizeof *slot);
    if (passphrase == NULL || passphrase_len == 0)
        return err_set(LV_EINVAL, "the passphrase is empty");
    if (kdf != NULL)
        slot->kdf = *kdf;
    int rc = kdf_params_resolve(&slot->kdf);
    if (rc != 0)
        return rc;
    (void)snprintf(slot->name, sizeof slot->name, "%s", name);
    slot->role = role;
    slot->created = created != 0 ? created : util_now_ms();
    randombytes_buf(slot->salt, SALT_BYTES);
    /* KEK, then the X25519 secret key */
    unsigned char *keys = sodium_malloc(KEY_BYTES + BOX_KEY_BYTES);
    if (keys == NULL)
        return err_set(LV_ERROR, "out of memory");
    unsigned char pair_public[BOX_KEY_BYTES];
    if (secret != NULL) {
        memcpy(keys + KEY_BYTES, secret, BOX_KEY_BYTES);
        memcpy(pair_public, public_key, BOX_KEY_BYTES);
    } else {
        crypto_box_keypair(pair_public, keys + KEY_BYTES);
    }
    rc = kdf_derive(keys, passphrase, passphrase_len, slot->salt, &slot->kdf);
    if (rc == 0)
        keyslot_rewrap(slot, ring, vault_id, keys, keys + KEY_BYTES, pair_public);
    sodium_free(keys);
    return rc;
}

int keyslot_mac_valid(const store_keyslot *slot, const keyring *ring,
                      const unsigned char vault_id[LV_ID_BYTES])
{
    unsigned char mac[MAC_BYTES];
    slot_mac(mac, slot, ring, vault_id);
    return key_mac_equal(mac, slot->mac);
}

void keyslot_mac_update(store_keyslot *slot, const keyring *ring,
                        const unsigned char vault_id[LV_ID_BYTES])
{
    slot_mac(slot->mac, slot, ring, vault_id);
}

int keyslot_open(unsigned char secret[KEY_BYTES], unsigned char *kek, const store_keyslot *slot,
                 const unsigned char vault_id[LV_ID_BYTES], const char *passphrase,
                 size_t passphrase_len)
{
    lv_kdf_params kdf = slot->kdf;
    /* Stored parameters are honoured, but a slot edited down to a weak
     * KDF is treated as tampering rather than silently accepted. */
    if (kdf.memory_kib == 0 || kdf.iterations == 0 || kdf.parallelism == 0 ||
        kdf_params_resolve(&kdf) != 0)
        return err_set(LV_ECORRUPT, "keyslot of user '%s' has invalid KDF parameters", slot->name);
    unsigned char *derived = sodium_malloc(KEY_BYTES);
    if (derived == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = kdf_derive(derived, passphrase, passphrase_len, slot->salt, &kdf);
    if (rc == 0) {
        unsigned char ad[SLOT_AD_MAX];
        if (key_unwrap(secret, slot->wrapped, derived, ad, slot_ad(ad, vault_id, slot)) != 0)
            rc = err_set(LV_EAUTH, "wrong passphrase or unknown user");
    }
    if (rc == 0 && slot->kind == KEYSLOT_KIND_X25519) {
        unsigned char public_key[BOX_KEY_BYTES];
        if (crypto_scalarmult_base(public_key, secret) != 0 ||
            sodium_memcmp(public_key, slot->public_key, BOX_KEY_BYTES) != 0) {
            sodium_memzero(secret, KEY_BYTES);
            rc =
                err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check", slot->name);
        }
    }
    if (rc == 0 && kek != NULL)
        memcpy(kek, derived, KEY_BYTES);
    sodium_free(derived);
    return rc;
}
