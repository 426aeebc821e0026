/* keyslot.h - LUKS-style keyslots: the master key wrapped under a key
 * derived from one user's passphrase, with a MAC under the master key that
 * authenticates the slot's name, role and parameters. */
#ifndef LV_KEYSLOT_H
#define LV_KEYSLOT_H

#include "keys.h"
#include "store.h"

/* The stored role value is the lv_role, plus this flag for a user limited
 * to the leads they own (LV_SCOPE_OWN). The slot MAC covers the value as
 * one byte, so the flag is authenticated like the role (docs/format.md). */
#define KEYSLOT_SCOPE_OWN 0x40
#define KEYSLOT_ROLE_MASK 0x3f

/* Fill slot (salt, wrapped master key, MAC) for name and stored role
 * value (role and scope flag), created at
 * unix ms `created` (0 = now). kdf is resolved to defaults and checked
 * against the floor. */
int keyslot_make(store_keyslot *slot, const keyring *ring,
                 const unsigned char vault_id[LV_ID_BYTES], const char *name, int role,
                 const char *passphrase, size_t passphrase_len, const lv_kdf_params *kdf,
                 int64_t created);

/* Derive the KEK, unwrap the master key and check the slot MAC.
 * LV_EAUTH for a wrong passphrase, LV_ECORRUPT when the slot was altered. */
int keyslot_unlock(keyring **out, const store_keyslot *slot,
                   const unsigned char vault_id[LV_ID_BYTES], const char *passphrase,
                   size_t passphrase_len);

/* 1 when the slot's MAC is valid under ring. */
int keyslot_mac_valid(const store_keyslot *slot, const keyring *ring,
                      const unsigned char vault_id[LV_ID_BYTES]);

#endif
