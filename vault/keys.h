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
/* X25519 (crypto_box) key and sealed-box overhead. */
#define BOX_KEY_BYTES 32

/* The vault keys of one key generation (docs/format.md, "Keys"). Format 1
 * derived them from one master key with crypto_kdf (one context each);
 * format 2 draws each at random per generation and hands every user the
 * ones their role needs in an envelope (envelope.h). The record-MAC key is
 * the one key no rekey changes. */
typedef enum subkey_id {
    SUBKEY_DATA_WRAP = 0,   /* wraps per-lead data keys */
    SUBKEY_INDEX_EMAIL = 1, /* blind index of email */
    SUBKEY_INDEX_PHONE = 2, /* blind index of phone */
    SUBKEY_RECORD_MAC = 3,  /* MACs of keyslots and policy records (never rotated) */
    SUBKEY_AUDIT_SEED = 4,  /* Ed25519 seed of the audit signing key */
    SUBKEY_SUPPRESS = 5,    /* suppression-list hashes (new entries) */
    SUBKEY_DIGEST = 6,      /* the state digest: row PRF, meta.digest seal (digest.h) */
    SUBKEY_COUNT = 7
} subkey_id;

#define KEY_BIT(id) (1u << (id))
#define KEYSET_ALL ((1u << SUBKEY_COUNT) - 1u)
/* What an auditor holds: no key that opens, computes or forges PII or its
 * index (docs/roles.md, "Keys by role"). */
#define KEYSET_AUDITOR (KEY_BIT(SUBKEY_RECORD_MAC) | KEY_BIT(SUBKEY_DIGEST))
/* Suppression keys of retired generations a keyring keeps for lookups. */
#define SUPPRESS_KEPT_MAX 8

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
 * (guard pages, mlock'd, wiped and freed by keyring_free). Keys the role
 * lacks are absent: their bit in `present` is clear and their bytes are
 * zero; code that needs one asks keyring_require first (LV_EDENIED). */
typedef struct keyring {
    /* 64-byte aligned type: the struct's size is a multiple of 64, so the
     * sodium_malloc block (which ends at a page boundary) starts aligned. */
    crypto_generichash_blake2b_state keyed[KEYED_COUNT];
    unsigned char subkey[SUBKEY_COUNT][KEY_BYTES]; /* of `generation` */
    unsigned char sign_public[32];
    unsigned char sign_secret[64]; /* zero without SUBKEY_AUDIT_SEED */
    /* While a rekey is half done (generation_prev != 0): the data-key wrap
     * key of the generation being replaced, for the leads not yet re-wrapped. */
    unsigned char wrap_prev[KEY_BYTES];
    /* Suppression keys of retired generations (lookups only). */
    unsigned char suppress_kept[SUPPRESS_KEPT_MAX][KEY_BYTES];
    uint32_t suppress_kept_generation[SUPPRESS_KEPT_MAX];
    unsigned suppress_kept_count;
    /* The session user's X25519 key pair (format 2 keyslots). */
    unsigned char user_secret[KEY_BYTES];
    unsigned char user_public[KEY_BYTES];
    uint32_t generation, generation_prev;
    unsigned present;      /* KEY_BIT per subkey of `generation` held */
    unsigned present_prev; /* KEY_BIT(SUBKEY_DATA_WRAP) when wrap_prev is held */
} keyring;

/* Start a keyed hash: *st is the ring's state for which, ready for
 * crypto_generichash_blake2b_update / _final (with that output length).
 * Identical to crypto_generichash_blake2b_init with the subkey. The key
 * must be present (keyring_require). */
void key_hash_begin(crypto_generichash_blake2b_state *st, const keyring *ring, keyed_id which);

/* 0 when ring holds subkey which, else LV_EDENIED ("denied: the role of
 * this session holds no <what> key"). Never a zero key in its place. */
int keyring_require(const keyring *ring, subkey_id which);

/* The key that wraps data keys of a lead of key generation `generation`:
 * the ring's own, or during a rekey the previous one. NULL when the ring
 * does not hold it (the caller says why: keyring_wrap_missing). */
const unsigned char *keyring_wrap_for(const keyring *ring, uint32_t generation);
/* LV_EDENIED when the role holds no wrap key, else LV_ECORRUPT naming the
 * generation the vault no longer holds (a lead from an older backup). */
int keyring_wrap_missing(const keyring *ring, uint32_t generation);

/* A zeroed, writable keyring (sodium_malloc); NULL when out of memory.
 * Fill subkey, present, generation and the rest, then keyring_finish. */
keyring *keyring_alloc(void);
/* Derive the signing pair from the seed (if present) and the keyed hash
 * states of the present keys, then make the ring read-only. */
void keyring_finish(keyring *ring);
/* Format 1: every subkey derived from the master key with crypto_kdf
 * (generation 1 of an upgraded vault). Finished. NULL on failure. */
keyring *keyring_from_master(const unsigned char master[KEY_BYTES]);
/* A new generation's keys: every subkey at random, except the record-MAC
 * key, taken from `keep` (NULL: also random, for a new vault). Finished. */
keyring *keyring_new_generation(const keyring *keep, uint32_t generation);
/* A copy of ring limited to the keys of mask (a role's key set), not
 * finished, so the caller may add its own material. */
keyring *keyring_copy(const keyring *ring, unsigned mask);
void keyring_free(keyring *ring);
/* sodium_mprotect_readwrite / readonly around a change of a finished ring. */
void keyring_writable(keyring *ring);
void keyring_readonly(keyring *ring);


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
