/* unlock.c - a session's keys from its user's keyslot and envelopes. */
#include <sodium.h>
#include <string.h>

#include "audit.h"
#include "digest.h"
#include "envelope.h"
#include "error.h"
#include "keyslot.h"
#include "unlock.h"

int unlock_require_no_rekey(const lv_vault *vault)
{
    if (vault->keys != NULL && vault->keys->generation_prev != 0)
        return err_set(LV_EBUSY,
                       "a rekey is half done: run leadvault rekey (admin) to finish it first");
    return 0;
}

int unlock_envelope_put(lv_vault *vault, const char *user, int role,
                        const unsigned char public_key[BOX_KEY_BYTES])
{
    unsigned char sealed[ENVELOPE_MAX];
    size_t len = 0;
    int rc = envelope_seal(sealed, &len, vault->keys, vault->id, user, role, public_key);
    return rc != 0 ? rc
                   : store_envelope_put(vault->store, user, vault->keys->generation, sealed, len);
}

/* Kept suppression keys must be the ones their retired generations
 * committed to. */
static int check_kept(const keyring *ring, const keygen_set *set,
                      const unsigned char vault_id[LV_ID_BYTES])
{
    for (unsigned k = 0; k < ring->suppress_kept_count; k++) {
        int found = 0;
        for (unsigned r = 0; r < set->retired_count && !found; r++) {
            const store_keygen *row = &set->retired[r];
            if (row->generation == ring->suppress_kept_generation[k])
                found = keygen_key_matches(row, SUBKEY_SUPPRESS, ring->suppress_kept[k], vault_id);
        }
        if (!found && set->has_pending &&
            set->current.generation == ring->suppress_kept_generation[k])
            found = keygen_key_matches(&set->current, SUBKEY_SUPPRESS, ring->suppress_kept[k],
                                       vault_id);
        if (!found)
            return err_set(LV_ECORRUPT,
                           "integrity failure: a kept suppression key of generation %lu does not "
                           "match its commitment",
                           (unsigned long)ring->suppress_kept_generation[k]);
    }
    return 0;
}

/* The user's envelope of row's generation, opened and checked, into a new
 * (unfinished) ring; *role is the role value it was sealed for. */
static int open_generation(keyring **out, int *role, lv_vault *vault, const store_keyslot *slot,
                           const unsigned char secret[BOX_KEY_BYTES], const store_keygen *row)
{
    *out = NULL;
    unsigned char sealed[ENVELOPE_MAX];
    size_t len = 0;
    int rc =
        store_envelope_get(vault->store, slot->name, row->generation, sealed, sizeof sealed, &len);
    if (rc == LV_ENOTFOUND)
        return err_set(LV_ECORRUPT,
                       "integrity failure: user '%s' has no key envelope for key generation %lu",
                       slot->name, (unsigned long)row->generation);
    if (rc != 0)
        return rc;
    keyring *ring = keyring_alloc();
    if (ring == NULL)
        return err_set(LV_ERROR, "out of memory");
    rc = envelope_open(ring, sealed, len, secret, slot->public_key, vault->id, slot->name,
                       row->generation, role);
    if (rc == 0) {
        /* keyed states and the signing pair, as keygen_check compares them */
        keyring_finish(ring);
        rc = keygen_check(ring, row, vault->id);
        keyring_writable(ring);
    }
    if (rc != 0) {
        keyring_free(ring);
        return rc;
    }
    *out = ring;
    return 0;
}

int unlock_generation(keyring **out, lv_vault *vault, const store_keygen *row)
{
    store_keyslot slot;
    int rc = store_keyslot_get(vault->store, vault->user, &slot), role = -1;
    if (rc == 0 &&
        (rc = open_generation(out, &role, vault, &slot, vault->keys->user_secret, row)) == 0)
        keyring_finish(*out);
    return rc;
}

static int unlock_pair(lv_vault *vault, const store_keyslot *slot,
                       const unsigned char secret[BOX_KEY_BYTES])
{
    keygen_set set;
    int rc = keygen_load(vault->store, &set);
    if (rc != 0)
        return rc;
    keyring *ring = NULL, *prev = NULL;
    int role = -1, prev_role = -1;
    if ((rc = open_generation(&ring, &role, vault, slot, secret,
                              set.has_pending ? &set.pending : &set.current)) != 0)
        return rc;
    /* A rekey half done: the generation being replaced still has the leads
     * not yet re-wrapped (its wrap key), the state digest (its digest key)
     * and the audit signing key, until the rekey's last step. */
    if (set.has_pending &&
        (rc = open_generation(&prev, &prev_role, vault, slot, secret, &set.current)) == 0) {
        keyring_finish(prev);
        if (prev->present & KEY_BIT(SUBKEY_DATA_WRAP)) {
            memcpy(ring->wrap_prev, prev->subkey[SUBKEY_DATA_WRAP], KEY_BYTES);
            ring->generation_prev = prev->generation;
            ring->present_prev = KEY_BIT(SUBKEY_DATA_WRAP);
        }
        memcpy(ring->subkey[SUBKEY_DIGEST], prev->subkey[SUBKEY_DIGEST], KEY_BYTES);
        keyring_finish(ring); /* the keyed digest state of the old key */
        keyring_writable(ring);
        memcpy(ring->sign_public, prev->sign_public, sizeof ring->sign_public);
        memcpy(ring->sign_secret, prev->sign_secret, sizeof ring->sign_secret);
        keyring_free(prev);
    }
    if (rc == 0)
        rc = check_kept(ring, &set, vault->id);
    if (rc == 0) {
        memcpy(ring->user_secret, secret, BOX_KEY_BYTES);
        memcpy(ring->user_public, slot->public_key, BOX_KEY_BYTES);
        keyring_readonly(ring);
        if (!keyslot_mac_valid(slot, ring, vault->id))
            rc = err_set(LV_ECORRUPT,
                         "keyslot of user '%s' failed its integrity check (role or "
                         "parameters altered)",
                         slot->name);
        else if (role != slot->role || (prev_role != -1 && prev_role != slot->role))
            rc = err_set(LV_ECORRUPT,
                         "integrity failure: the key envelope of user '%s' was sealed for "
                         "another role than their keyslot holds",
                         slot->name);
    }
    if (rc != 0) {
        keyring_free(ring);
        return rc;
    }
    vault->keys = ring;
    return 0;
}

/* A legacy slot's first unlock after the upgrade: a key pair, the slot
 * rewrapped under the same KEK, an envelope for the role; then the
 * session holds the role's keys only. */
static int convert_legacy(lv_vault *vault, const store_keyslot *slot, keyring *full,
                          const unsigned char kek[KEY_BYTES])
{
    keyring *ring = keyring_copy(full, envelope_keyset(slot->role));
    if (ring == NULL)
        return err_set(LV_ERROR, "out of memory");
    crypto_box_keypair(ring->user_public, ring->user_secret);
    keyring_finish(ring);
    store_keyslot converted = *slot;
    keyslot_rewrap(&converted, full, vault->id, kek, ring->user_secret, ring->user_public);
    unsigned char sealed[ENVELOPE_MAX];
    size_t len = 0;
    audit_event event = {.action = "user.convert", .subject = slot->name};
    int rc =
        envelope_seal(sealed, &len, full, vault->id, slot->name, slot->role, ring->user_public);
    vault->keys = full; /* the entry is recorded with the keys that opened the slot */
    if (rc == 0 && (rc = digest_attach(vault)) == 0 && (rc = store_begin(vault->store)) == 0) {
        if ((rc = store_keyslot_update(vault->store, &converted)) != 0 ||
            (rc = store_envelope_put(vault->store, slot->name, 1, sealed, len)) != 0 ||
            (rc = audit_append(vault, &event)) != 0 || (rc = store_commit(vault->store)) != 0)
            store_rollback(vault->store);
    }
    vault->keys = NULL;
    if (rc != 0) {
        keyring_free(ring);
        return rc;
    }
    vault->keys = ring;
    return 0;
}

static int unlock_legacy(lv_vault *vault, const store_keyslot *slot,
                         const unsigned char master[KEY_BYTES], const unsigned char kek[KEY_BYTES])
{
    keyring *full = keyring_from_master(master);
    if (full == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = 0;
    if (!keyslot_mac_valid(slot, full, vault->id)) {
        rc = err_set(LV_ECORRUPT,
                     "keyslot of user '%s' failed its integrity check (role or parameters "
                     "altered)",
                     slot->name);
    } else if (store_format(vault->store) == 1) {
        vault->keys = full;
        return 0;
    } else {
        keygen_set set;
        if ((rc = keygen_load(vault->store, &set)) == 0 &&
            (set.current.generation != 1 || set.has_pending))
            rc = err_set(LV_ECORRUPT,
                         "keyslot of user '%s' is of format 1, but the vault keys were renewed "
                         "since: an admin must remove the user and add them again",
                         slot->name);
        if (rc == 0 && (rc = keygen_check(full, &set.current, vault->id)) == 0)
            rc = convert_legacy(vault, slot, full, kek);
    }
    keyring_free(full);
    return rc;
}

int unlock_session(lv_vault *vault, const store_keyslot *slot, const char *passphrase,
                   size_t passphrase_len)
{
    unsigned char *secret = sodium_malloc(2 * (size_t)KEY_BYTES); /* secret, then KEK */
    if (secret == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = keyslot_open(secret, secret + KEY_BYTES, slot, vault->id, passphrase, passphrase_len);
    if (rc == 0 && slot->kind == KEYSLOT_KIND_LEGACY)
        rc = unlock_legacy(vault, slot, secret, secret + KEY_BYTES);
    else if (rc == 0 && store_format(vault->store) == 1)
        rc = err_set(LV_ECORRUPT, "a format-1 vault holds a format-2 keyslot");
    else if (rc == 0)
        rc = unlock_pair(vault, slot, secret);
    sodium_free(secret);
    return rc;
}
