/* unlock.h - from an opened keyslot to a session's keyring: the envelopes
 * of the user's key generations, checked against their commitments, and a
 * legacy (format-1) slot converted at its user's first unlock. */
#ifndef LV_UNLOCK_H
#define LV_UNLOCK_H

#include "session.h"

/* Unlock vault as slot's user (vault->user and role already set from the
 * slot): derive the KEK, open the slot, build vault->keys. On a format-1
 * vault a legacy slot gives every format-1 key (only upgrade, audit verify
 * and backup open such a vault). A legacy slot of a format-2 vault is
 * converted here to a key-pair slot with an envelope for its role (audited
 * as user.convert), and the session keeps only the role's keys.
 * LV_EAUTH for a wrong passphrase, LV_ECORRUPT for an altered slot,
 * envelope or key generation. */
int unlock_session(lv_vault *vault, const store_keyslot *slot, const char *passphrase,
                   size_t passphrase_len);

/* Seal and store the envelope of user (stored role value role, public key
 * public_key) for the session's generation (and not for any other), inside
 * the caller's transaction. */
int unlock_envelope_put(lv_vault *vault, const char *user, int role,
                        const unsigned char public_key[BOX_KEY_BYTES]);

/* The session user's keys of key generation row (their envelope of it,
 * checked against its commitments), as a finished ring of their own. */
int unlock_generation(keyring **out, lv_vault *vault, const store_keygen *row);

/* 0, or LV_EBUSY when a rekey is half done (commands that compute
 * blind-index tags, or change users, wait for `rekey` to finish it). */
int unlock_require_no_rekey(const lv_vault *vault);

#endif
