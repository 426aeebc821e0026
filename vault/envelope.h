/* envelope.h - key envelopes and key commitments (docs/format.md, "Keys").
 *
 * An envelope hands one user the keys of one key generation that their
 * role holds: a libsodium sealed box (X25519, XSalsa20-Poly1305) to the
 * public key of their keyslot, so an admin can grant, change or take away
 * keys without knowing anyone's passphrase. Its plaintext:
 *
 *   "lvK2" | vault id (16) | generation (u32 BE) | role byte | key mask
 *   (u16 BE) | name length (u8) | name | 32 bytes per key of the mask, in
 *   subkey_id order | audit signing public key (32) | count of kept
 *   suppression keys (u8) | per kept key: generation (u32 BE), key (32)
 *
 * Sealed boxes are anonymous: anyone can seal one to a public key. So every
 * key an envelope gives is checked against the generation's commitments
 * (keygen row): commitment_i = BLAKE2b-256(key = K_i, "lvC2" | vault id |
 * generation | i), and the row carries a MAC under the record-MAC key. */
#ifndef LV_ENVELOPE_H
#define LV_ENVELOPE_H

#include "keys.h"
#include "store.h"

/* The keys a stored role value (role and scope flag) holds. */
unsigned envelope_keyset(int role);

/* Seal the keys of role from ring (which must hold all of them, else
 * LV_EDENIED) for user, to public_key, into out (ENVELOPE_MAX bytes). */
int envelope_seal(unsigned char *out, size_t *len, const keyring *ring,
                  const unsigned char vault_id[LV_ID_BYTES], const char *user, int role,
                  const unsigned char public_key[BOX_KEY_BYTES]);

/* Open an envelope with the user's key pair into ring (writable, zeroed
 * beforehand): its keys, generation, present mask, signing public key and
 * kept suppression keys; *role receives the stored role value it was
 * sealed for (the caller compares it with the keyslot's, once the slot's
 * MAC holds). LV_ECORRUPT when it does not open, or names another vault,
 * generation or user than expected, or gives other keys than its role
 * holds. Commitments are checked by keygen_check. */
int envelope_open(keyring *ring, const unsigned char *sealed, size_t len,
                  const unsigned char secret[BOX_KEY_BYTES],
                  const unsigned char public_key[BOX_KEY_BYTES],
                  const unsigned char vault_id[LV_ID_BYTES], const char *user, uint32_t generation,
                  int *role);

/* A keygen row for ring's generation: commitments of the keys ring holds
 * (it must hold all), its signing public key, state, and MAC. */
void keygen_make(store_keygen *row, const keyring *ring, const unsigned char vault_id[LV_ID_BYTES],
                 int state);
/* Recompute the row's MAC after a change of its state. */
void keygen_mac_update(store_keygen *row, const keyring *ring,
                       const unsigned char vault_id[LV_ID_BYTES]);
/* 0 when every key ring holds matches row's commitments, the signing
 * public keys agree and the row's MAC holds; else LV_ECORRUPT. */
int keygen_check(const keyring *ring, const store_keygen *row,
                 const unsigned char vault_id[LV_ID_BYTES]);
/* 1 when key is the committed key i of row (constant time). */
int keygen_key_matches(const store_keygen *row, int i, const unsigned char key[KEY_BYTES],
                       const unsigned char vault_id[LV_ID_BYTES]);

/* The key generations of a vault, as keygen_load reads them. */
typedef struct keygen_set {
    store_keygen current, pending;
    int has_current, has_pending;
    store_keygen retired[SUPPRESS_KEPT_MAX];
    unsigned retired_count; /* the newest ones, oldest first */
} keygen_set;
/* LV_ECORRUPT when there is not exactly one current generation, more than
 * one pending, or a pending one that does not follow the current. */
int keygen_load(store *st, keygen_set *set);

/* The audit signing public keys of every key generation the vault lists
 * (retired ones included; each row's MAC checked under ring), oldest
 * first, at most max. Returns the count, or an LV code below 0. A vault of
 * format 1 has one: ring's. */
int keygen_signers(store *st, const keyring *ring, const unsigned char vault_id[LV_ID_BYTES],
                   unsigned char keys[][32], int max);

#endif
