/* keyslot.c - make, unlock and authenticate keyslots. */
#include <sodium.h>
#include <string.h>

#include "error.h"
#include "keyslot.h"
#include "session.h"
#include "util_time.h"

#define SLOT_AD_MAX (3 + 1 + LV_ID_BYTES + LV_NAME_MAX)

static size_t slot_ad(unsigned char ad[SLOT_AD_MAX], const unsigned char vault_id[LV_ID_BYTES],
                      const char *name)
{
    size_t n = strlen(name);
    memcpy(ad, "lvS", 3);
    ad[3] = FORMAT_VERSION;
    memcpy(ad + 4, vault_id, LV_ID_BYTES);
    memcpy(ad + 4 + LV_ID_BYTES, name, n);
    return 4 + LV_ID_BYTES + n;
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static void slot_mac(unsigned char out[MAC_BYTES], const store_keyslot *slot, const keyring *ring,
                     const unsigned char vault_id[LV_ID_BYTES])
{
    unsigned char msg[SLOT_AD_MAX + 1 + 12 + SALT_BYTES + WRAPPED_KEY_BYTES + 8];
    size_t n = slot_ad(msg, vault_id, slot->name);
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
    key_mac(out, ring, SUBKEY_RECORD_MAC, msg, n);
}

int keyslot_make(store_keyslot *slot, const keyring *ring,
                 const unsigned char vault_id[LV_ID_BYTES], const char *name, int role,
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
    unsigned char *kek = sodium_malloc(KEY_BYTES);
    if (kek == NULL)
        return err_set(LV_ERROR, "out of memory");
    rc = kdf_derive(kek, passphrase, passphrase_len, slot->salt, &slot->kdf);
    if (rc == 0) {
        unsigned char ad[SLOT_AD_MAX];
        key_wrap(slot->wrapped, ring->master, kek, ad, slot_ad(ad, vault_id, slot->name));
        slot_mac(slot->mac, slot, ring, vault_id);
    }
    sodium_free(kek);
    return rc;
}

int keyslot_mac_valid(const store_keyslot *slot, const keyring *ring,
                      const unsigned char vault_id[LV_ID_BYTES])
{
    unsigned char mac[MAC_BYTES];
    slot_mac(mac, slot, ring, vault_id);
    return key_mac_equal(mac, slot->mac);
}

int keyslot_unlock(keyring **out, const store_keyslot *slot,
                   const unsigned char vault_id[LV_ID_BYTES], const char *passphrase,
                   size_t passphrase_len)
{
    *out = NULL;
    lv_kdf_params kdf = slot->kdf;
    /* Stored parameters are honoured, but a slot edited down to a weak
     * KDF is treated as tampering rather than silently accepted. */
    if (kdf.memory_kib == 0 || kdf.iterations == 0 || kdf.parallelism == 0 ||
        kdf_params_resolve(&kdf) != 0)
        return err_set(LV_ECORRUPT, "keyslot of user '%s' has invalid KDF parameters",
                       slot->name);
    unsigned char *secret = sodium_malloc(2 * (size_t)KEY_BYTES); /* KEK, then master */
    if (secret == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = kdf_derive(secret, passphrase, passphrase_len, slot->salt, &kdf);
    if (rc == 0) {
        unsigned char ad[SLOT_AD_MAX];
        if (key_unwrap(secret + KEY_BYTES, slot->wrapped, secret, ad,
                       slot_ad(ad, vault_id, slot->name)) != 0)
            rc = err_set(LV_EAUTH, "wrong passphrase or unknown user");
    }
    if (rc == 0) {
        keyring *ring = keyring_new(secret + KEY_BYTES);
        if (ring == NULL)
            rc = err_set(LV_ERROR, "out of memory");
        else if (!keyslot_mac_valid(slot, ring, vault_id)) {
            keyring_free(ring);
            rc = err_set(LV_ECORRUPT,
                         "keyslot of user '%s' failed its integrity check (role or "
                         "parameters altered)",
                         slot->name);
        } else
            *out = ring;
    }
    sodium_free(secret);
    return rc;
}
