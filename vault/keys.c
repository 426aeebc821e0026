/* keys.c - Argon2id key derivation, key wrapping, subkeys, secure memory. */
#include <argon2.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#include "error.h"
#include "keys.h"
#include "util_id.h"

/* crypto_kdf contexts are exactly 8 bytes; one per subkey so that no two
 * uses of the master key can ever collide. */
static const char *const subkey_context[SUBKEY_COUNT] = {
    "lvdatakw", "lvidxeml", "lvidxphn", "lvrecmac", "lvaudsig", "lvsuppr_", "lvdigest",
};

keyring *keyring_new(const unsigned char *master)
{
    keyring *ring = sodium_malloc(sizeof *ring);
    if (ring == NULL)
        return NULL;
    if (master != NULL)
        memcpy(ring->master, master, KEY_BYTES);
    else
        crypto_kdf_keygen(ring->master);
    for (int i = 0; i < SUBKEY_COUNT; i++)
        crypto_kdf_derive_from_key(ring->subkey[i], KEY_BYTES, 1, subkey_context[i], ring->master);
    crypto_sign_seed_keypair(ring->sign_public, ring->sign_secret, ring->subkey[SUBKEY_AUDIT_SEED]);
    static const struct {
        subkey_id subkey;
        size_t out_len;
    } keyed[KEYED_COUNT] = {
        [KEYED_INDEX_EMAIL] = {SUBKEY_INDEX_EMAIL, 16},
        [KEYED_INDEX_PHONE] = {SUBKEY_INDEX_PHONE, 16},
        [KEYED_SUPPRESS] = {SUBKEY_SUPPRESS, 32},
        [KEYED_RECORD_MAC] = {SUBKEY_RECORD_MAC, MAC_BYTES},
        [KEYED_DIGEST] = {SUBKEY_DIGEST, 32},
    };
    for (int i = 0; i < KEYED_COUNT; i++)
        crypto_generichash_blake2b_init(&ring->keyed[i], ring->subkey[keyed[i].subkey], KEY_BYTES,
                                        keyed[i].out_len);
    sodium_mprotect_readonly(ring);
    return ring;
}

void key_hash_begin(crypto_generichash_blake2b_state *st, const keyring *ring, keyed_id which)
{
    memcpy(st, &ring->keyed[which], sizeof *st);
}

void keyring_free(keyring *ring)
{
    /* sodium_free wipes the whole block before unmapping it. */
    if (ring != NULL)
        sodium_free(ring);
}

int kdf_params_resolve(lv_kdf_params *params)
{
    if (params->memory_kib == 0)
        params->memory_kib = LV_KDF_MEMORY_KIB_DEFAULT;
    if (params->iterations == 0)
        params->iterations = LV_KDF_ITERATIONS_DEFAULT;
    if (params->parallelism == 0)
        params->parallelism = LV_KDF_PARALLELISM_DEFAULT;
    if (params->memory_kib < LV_KDF_MEMORY_KIB_MIN)
        return err_set(LV_EINVAL, "KDF memory below the floor of %u MiB",
                       LV_KDF_MEMORY_KIB_MIN / 1024u);
    if (params->iterations < LV_KDF_ITERATIONS_MIN)
        return err_set(LV_EINVAL, "KDF iterations below the floor of %u", LV_KDF_ITERATIONS_MIN);
    if (params->parallelism > LV_KDF_PARALLELISM_MAX)
        return err_set(LV_EINVAL, "KDF parallelism above %u", LV_KDF_PARALLELISM_MAX);
    if (params->iterations > LV_KDF_ITERATIONS_MAX)
        return err_set(LV_EINVAL, "KDF iterations above %u", LV_KDF_ITERATIONS_MAX);
    if (params->memory_kib > LV_KDF_MEMORY_KIB_MAX)
        return err_set(LV_EINVAL, "KDF memory above %u MiB", LV_KDF_MEMORY_KIB_MAX / 1024u);
    /* Argon2id's own rule, memory >= 8 KiB per lane, follows from the
     * bounds above; were they changed so that it did not, this fails. */
    _Static_assert(LV_KDF_MEMORY_KIB_MIN >= 8u * LV_KDF_PARALLELISM_MAX,
                   "the KDF memory floor must cover 8 KiB per lane at the most lanes");
    return 0;
}

int kdf_derive(unsigned char kek[KEY_BYTES], const char *passphrase, size_t len,
               const unsigned char salt[SALT_BYTES], const lv_kdf_params *params)
{
    int rc = argon2id_hash_raw(params->iterations, params->memory_kib, params->parallelism,
                               passphrase, len, salt, SALT_BYTES, kek, KEY_BYTES);
    if (rc != ARGON2_OK) {
        sodium_memzero(kek, KEY_BYTES);
        if (rc == ARGON2_MEMORY_ALLOCATION_ERROR)
            return err_set(LV_ERROR, "key derivation: out of memory");
        return err_set(LV_ERROR, "key derivation failed: %s", argon2_error_message(rc));
    }
    return 0;
}

void key_wrap(unsigned char out[WRAPPED_KEY_BYTES], const unsigned char key[KEY_BYTES],
              const unsigned char wrapping_key[KEY_BYTES], const unsigned char *ad, size_t ad_len)
{
    out[0] = FORMAT_VERSION;
    key_random(out + 1, NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE_BYTES, NULL, key, KEY_BYTES, ad,
                                               ad_len, NULL, out + 1, wrapping_key);
}

int key_unwrap(unsigned char key[KEY_BYTES], const unsigned char in[WRAPPED_KEY_BYTES],
               const unsigned char wrapping_key[KEY_BYTES], const unsigned char *ad, size_t ad_len)
{
    if (in[0] != FORMAT_VERSION)
        return LV_ECORRUPT;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, in + 1 + NONCE_BYTES,
                                                   KEY_BYTES + TAG_BYTES, ad, ad_len, in + 1,
                                                   wrapping_key) != 0) {
        sodium_memzero(key, KEY_BYTES);
        return LV_ECORRUPT;
    }
    return 0;
}

void key_mac(unsigned char out[MAC_BYTES], const keyring *ring, subkey_id which, const void *data,
             size_t len)
{
    crypto_generichash(out, MAC_BYTES, data, len, ring->subkey[which], KEY_BYTES);
}

int key_mac_equal(const unsigned char a[MAC_BYTES], const unsigned char b[MAC_BYTES])
{
    return sodium_memcmp(a, b, MAC_BYTES) == 0;
}

int record_mac_require(const unsigned char computed[MAC_BYTES],
                       const unsigned char stored[MAC_BYTES],
                       const unsigned char lead_id[LV_ID_BYTES], const char *before,
                       const char *after)
{
    if (key_mac_equal(computed, stored))
        return 0;
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, lead_id);
    return err_set(LV_ECORRUPT, "integrity failure: %s%s%s", before, id, after);
}

/* Nonces, data keys and ids come from a per-thread fast-key-erasure
 * generator: ChaCha20 keyed by a seed fills a block, whose first 32 bytes
 * replace the seed at once, so a later memory disclosure cannot recover
 * earlier output. The seed comes from the OS (randombytes_buf) and is
 * drawn again every RESEED_BYTES and after a fork. This replaces one
 * getrandom() system call per nonce on the bulk paths. */
#define RNG_BLOCK 1024
#define RESEED_BYTES (1u << 20)

typedef struct rng_state {
    unsigned char seed[KEY_BYTES];
    unsigned char block[RNG_BLOCK];
    size_t used;  /* bytes of block already served (block starts after the seed) */
    size_t drawn; /* bytes served since the last OS seed */
    unsigned generation;
} rng_state;

static _Thread_local rng_state *rng;

/* A forked child must not replay its parent's stream: every fork bumps the
 * generation, and a state of an older generation reseeds first. */
static atomic_uint fork_generation;
static pthread_once_t fork_hook_once = PTHREAD_ONCE_INIT;

static void on_fork_child(void)
{
    atomic_fetch_add(&fork_generation, 1);
}

static void install_fork_hook(void)
{
    pthread_atfork(NULL, NULL, on_fork_child);
}

static void rng_refill(rng_state *r)
{
    static const unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
    unsigned generation = atomic_load(&fork_generation);
    if (r->drawn >= RESEED_BYTES || r->generation != generation) {
        randombytes_buf(r->seed, KEY_BYTES);
        r->drawn = 0;
        r->generation = generation;
    }
    crypto_stream_chacha20_ietf(r->block, RNG_BLOCK, nonce, r->seed);
    memcpy(r->seed, r->block, KEY_BYTES);
    sodium_memzero(r->block, KEY_BYTES);
    r->used = KEY_BYTES;
}

void key_random(void *buf, size_t len)
{
    if (rng == NULL) {
        pthread_once(&fork_hook_once, install_fork_hook);
        /* Guarded memory for the state, allocated once per thread. */
        rng = sodium_malloc(sizeof *rng);
        if (rng == NULL) {
            randombytes_buf(buf, len);
            return;
        }
        rng->drawn = RESEED_BYTES;
        rng->generation = atomic_load(&fork_generation);
        rng->used = RNG_BLOCK;
    }
    unsigned char *out = buf;
    while (len > 0) {
        if (rng->used == RNG_BLOCK || rng->generation != atomic_load(&fork_generation)) {
            rng->drawn =
                rng->generation != atomic_load(&fork_generation) ? RESEED_BYTES : rng->drawn;
            rng_refill(rng);
        }
        size_t n = RNG_BLOCK - rng->used < len ? RNG_BLOCK - rng->used : len;
        memcpy(out, rng->block + rng->used, n);
        sodium_memzero(rng->block + rng->used, n);
        rng->used += n;
        rng->drawn += n;
        out += n;
        len -= n;
    }
}

void record_mac_begin(record_mac *m, const keyring *ring, const char tag[4],
                      const unsigned char vault_id[LV_ID_BYTES])
{
    key_hash_begin(&m->state, ring, KEYED_RECORD_MAC);
    record_mac_bytes(m, tag, 4);
    record_mac_bytes(m, vault_id, LV_ID_BYTES);
}

void record_mac_bytes(record_mac *m, const void *data, size_t len)
{
    unsigned char prefix[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                               (unsigned char)(len >> 8), (unsigned char)len};
    crypto_generichash_blake2b_update(&m->state, prefix, sizeof prefix);
    if (len > 0)
        crypto_generichash_blake2b_update(&m->state, data, len);
}

void record_mac_text(record_mac *m, const char *text)
{
    record_mac_bytes(m, text, text != NULL ? strlen(text) : 0);
}

void record_mac_int(record_mac *m, int64_t value)
{
    unsigned char be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (unsigned char)((uint64_t)value >> (56 - 8 * i));
    record_mac_bytes(m, be, sizeof be);
}

void record_mac_end(record_mac *m, unsigned char out[MAC_BYTES])
{
    crypto_generichash_blake2b_final(&m->state, out, MAC_BYTES);
    sodium_memzero(&m->state, sizeof m->state); /* a keyed state: as good as the key */
}

void key_random_release(void)
{
    if (rng != NULL) {
        sodium_free(rng); /* wipes the seed and any unserved output */
        rng = NULL;
    }
}
