/* keys.h - key hierarchy: Argon2id KEK, keyslots, master key, subkeys. */
#ifndef LV_KEYS_H
#define LV_KEYS_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "leadvault.h"

#define KEY_BYTES 32
#define SALT_BYTES 16
#define NONCE_BYTES 24 /* crypto_aead_xchacha20poly1305_ietf_NPUBBYTES */
#define TAG_BYTES 16   /* crypto_aead_xchacha20poly1305_ietf_ABYTES */
#define MAC_BYTES 32
/* A wrapped key: format byte, nonce, 32-byte ciphertext, tag. */
#define WRAPPED_KEY_BYTES (1 + NONCE_BYTES + KEY_BYTES + TAG_BYTES)
#define FORMAT_VERSION 1

/* Subkeys derived from the master key with crypto_kdf, one context each
 * (see docs/format.md). */
typedef enum subkey_id {
    SUBKEY_DATA_WRAP = 0,   /* wraps per-lead data keys */
    SUBKEY_INDEX_EMAIL = 1, /* blind index of email */
    SUBKEY_INDEX_PHONE = 2, /* blind index of phone */
    SUBKEY_RECORD_MAC = 3,  /* MACs of keyslots and policy records */
    SUBKEY_AUDIT_SEED = 4,  /* Ed25519 seed of the audit signing key */
    SUBKEY_SUPPRESS = 5,    /* suppression-list hashes */
    SUBKEY_DIGEST = 6,      /* the state digest: row PRF, meta.digest seal (digest.h) */
    SUBKEY_COUNT = 7
} subkey_id;

/* Keyed BLAKE2b hashes made per lead, whose key block the keyring
 * compresses once: each use copies the state instead of hashing the key
 * again (half the work for a short email or phone). */
typedef enum keyed_id {
    KEYED_INDEX_EMAIL = 0, /* SUBKEY_INDEX_EMAIL, 16-byte output: blind-index tags */
    KEYED_INDEX_PHONE = 1, /* SUBKEY_INDEX_PHONE, 16 bytes */
    KEYED_SUPPRESS = 2,    /* SUBKEY_SUPPRESS, 32 bytes: suppression hashes */
    KEYED_RECORD_MAC = 3,  /* SUBKEY_RECORD_MAC, 32 bytes: record MACs */
    KEYED_DIGEST = 4,      /* SUBKEY_DIGEST, 32 bytes: a row's element of the state digest */
    KEYED_COUNT = 5
} keyed_id;

/* The unlocked key material of a session, in one sodium_malloc block
 * (guard pages, mlock'd, wiped and freed by keyring_free). */
typedef struct keyring {
    /* 64-byte aligned type: the struct's size is a multiple of 64, so the
     * sodium_malloc block (which ends at a page boundary) starts aligned. */
    crypto_generichash_blake2b_state keyed[KEYED_COUNT];
    unsigned char master[KEY_BYTES];
    unsigned char subkey[SUBKEY_COUNT][KEY_BYTES];
    unsigned char sign_public[32];
    unsigned char sign_secret[64];
} keyring;

/* Start a keyed hash: *st is the ring's state for which, ready for
 * crypto_generichash_blake2b_update / _final (with that output length).
 * Identical to crypto_generichash_blake2b_init with the subkey. */
void key_hash_begin(crypto_generichash_blake2b_state *st, const keyring *ring, keyed_id which);

/* Allocate a keyring holding a fresh random master key (create == 1) or
 * the given master key, and derive every subkey. NULL on failure. */
keyring *keyring_new(const unsigned char *master);
void keyring_free(keyring *ring);

/* Resolve zero members to defaults and refuse anything below the floor
 * (LV_EINVAL with a message giving the floor). */
int kdf_params_resolve(lv_kdf_params *params);

/* Argon2id(passphrase, salt, params) -> 32-byte key-encryption key. */
int kdf_derive(unsigned char kek[KEY_BYTES], const char *passphrase, size_t len,
               const unsigned char salt[SALT_BYTES], const lv_kdf_params *params);

/* Wrap / unwrap a 32-byte key under wrapping_key with associated data. */
void key_wrap(unsigned char out[WRAPPED_KEY_BYTES], const unsigned char key[KEY_BYTES],
              const unsigned char wrapping_key[KEY_BYTES], const unsigned char *ad, size_t ad_len);
int key_unwrap(unsigned char key[KEY_BYTES], const unsigned char in[WRAPPED_KEY_BYTES],
               const unsigned char wrapping_key[KEY_BYTES], const unsigned char *ad, size_t ad_len)
    __attribute__((warn_unused_result));

/* Free the calling thread's generator state (threads that end). */
void key_random_release(void);

/* Keyed BLAKE2b-256 of data under one of the ring's subkeys. */
void key_mac(unsigned char out[MAC_BYTES], const keyring *ring, subkey_id which, const void *data,
             size_t len);

/* A MAC over a record built field by field: each item is written as a
 * u32 big-endian length and its bytes, so no two records encode alike. */
typedef struct record_mac {
    crypto_generichash_blake2b_state state;
} record_mac;
void record_mac_begin(record_mac *m, const keyring *ring, const char tag[4],
                      const unsigned char vault_id[LV_ID_BYTES]);
void record_mac_bytes(record_mac *m, const void *data, size_t len);
void record_mac_text(record_mac *m, const char *text);
void record_mac_int(record_mac *m, int64_t value);
void record_mac_end(record_mac *m, unsigned char out[MAC_BYTES]);

/* Constant-time comparison of two MACs: 1 when equal. */
int key_mac_equal(const unsigned char a[MAC_BYTES], const unsigned char b[MAC_BYTES]);

/* The check of a lead's record MAC: 0 when computed equals stored
 * (constant time), else LV_ECORRUPT with the message "integrity failure:
 * <before><the lead id in hex><after>" (never a value). */
int record_mac_require(const unsigned char computed[MAC_BYTES],
                       const unsigned char stored[MAC_BYTES],
                       const unsigned char lead_id[LV_ID_BYTES], const char *before,
                       const char *after);

/* Fill buf with random bytes from the per-thread generator (OS-seeded,
 * fast key erasure, reseeded every MiB and after fork). */
void key_random(void *buf, size_t len);

#endif
