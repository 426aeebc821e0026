/* keyslot.h - LUKS-style keyslots: one user's X25519 secret key wrapped
 * under a key derived from their passphrase (Argon2id), with a MAC under
 * the record-MAC key that authenticates the slot's name, role, parameters
 * and public key. A legacy slot (kept by `upgrade` until its user's next
 * unlock) wraps the format-1 master key instead (docs/format.md). */
#ifndef LV_KEYSLOT_H
#define LV_KEYSLOT_H

#include "keys.h"
#include "store.h"

/* The stored role value is the lv_role, plus this flag for a user limited
 * to the leads they own (LV_SCOPE_OWN). The slot MAC covers the value as
 * one byte, so the flag is authenticated like the role (docs/format.md). */
#define KEYSLOT_SCOPE_OWN 0x40
#define KEYSLOT_ROLE_MASK 0x3f

/* Fill slot for name and stored role value (role and scope flag), created
 * at unix ms `created` (0 = now): a new X25519 key pair whose public key
 * is slot->public_key and whose secret is wrapped under the KEK of
 * passphrase (secret NULL), or the given pair (secret and public, for a
 * passphrase change). kdf is resolved to defaults and checked against the
 * floor. The MAC is under ring's record-MAC key. */
int keyslot_make(store_keyslot *slot, const keyring *ring,
                 const unsigned char vault_id[LV_ID_BYTES], const char *name, int role,
                 const unsigned char *secret, const unsigned char *public_key,
                 const char *passphrase, size_t passphrase_len, const lv_kdf_params *kdf,
                 int64_t created);

/* Turn slot (its name, role, KDF parameters, salt and created kept) into
 * an X25519 slot for the pair (secret, public_key), wrapped under passphrase_key, the
 * key its passphrase derives with that salt (a legacy slot's conversion at
 * unlock costs no second Argon2id). */
void keyslot_rewrap(store_keyslot *slot, const keyring *ring,
                    const unsigned char vault_id[LV_ID_BYTES],
                    const unsigned char passphrase_key[KEY_BYTES],
                    const unsigned char secret[BOX_KEY_BYTES],
                    const unsigned char public_key[BOX_KEY_BYTES]);

/* Derive the KEK and unwrap the slot's secret into secret (KEY_BYTES of
 * guarded memory): the X25519 secret key, checked against the slot's
 * public key, or a legacy slot's master key. kek, when not NULL, receives
 * the KEK (for keyslot_rewrap). LV_EAUTH for a wrong passphrase,
 * LV_ECORRUPT for invalid parameters or a secret that does not match its
 * public key. The MAC is checked by the caller once it holds the keys. */
int keyslot_open(unsigned char secret[KEY_BYTES], unsigned char *kek, const store_keyslot *slot,
                 const unsigned char vault_id[LV_ID_BYTES], const char *passphrase,
                 size_t passphrase_len);

/* 1 when the slot's MAC is valid under ring. */
int keyslot_mac_valid(const store_keyslot *slot, const keyring *ring,
                      const unsigned char vault_id[LV_ID_BYTES]);
/* Recompute the slot's MAC under ring (after a change of its role). */
void keyslot_mac_update(store_keyslot *slot, const keyring *ring,
                        const unsigned char vault_id[LV_ID_BYTES]);

#endif
