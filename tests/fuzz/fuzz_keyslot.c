/* fuzz_keyslot.c - keyslot_open on a keyslot built from the input: the
 * part of a vault file that is read and acted on before anything else is
 * authenticated (KDF parameters, salt, wrapped key, public key, kind,
 * name, role).
 *
 * Input layout (short inputs are padded with zero bytes):
 *   role (1) | memory_kib, iterations, parallelism (u32le each) |
 *   created (i64le) | salt | wrapped key | MAC | public key |
 *   kind (1: even = X25519 slot, odd = legacy format-1 slot) |
 *   name length (1, taken mod LV_NAME_MAX + 1) | name | passphrase (the rest)
 *
 * The fuzz targets take Argon2id's calls with a keyed BLAKE2b
 * (tests/common/fast_argon2.c, linked with --wrap), so a run costs
 * microseconds; bounds, unwrap and MAC checks are the library's own.
 * Oracle: an open that succeeds must have in-bounds parameters, and an
 * X25519 slot must give the secret key of its public key (the MAC is
 * checked later, by the caller that holds the record-MAC key).
 *
 * LEADVAULT_FUZZ_WRITE_SEED=FILE writes a real slot (name "fuzz",
 * passphrase "fuzz-passphrase", fixed vault id) to FILE, checks that it
 * unlocks, and exits. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyslot.h"
#include "store.h"

static unsigned char vault_id[LV_ID_BYTES];

#define FIXED_BYTES (1 + 12 + 8 + SALT_BYTES + WRAPPED_KEY_BYTES + MAC_BYTES + BOX_KEY_BYTES + 2)

static uint32_t get_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Decode the input into slot; returns where the passphrase starts. */
static size_t decode(store_keyslot *slot, const uint8_t *data, size_t size)
{
    unsigned char fixed[FIXED_BYTES] = {0};
    memcpy(fixed, data, size < FIXED_BYTES ? size : FIXED_BYTES);
    memset(slot, 0, sizeof *slot);
    const unsigned char *p = fixed;
    slot->role = p[0];
    slot->kdf.memory_kib = get_u32le(p + 1);
    slot->kdf.iterations = get_u32le(p + 5);
    slot->kdf.parallelism = get_u32le(p + 9);
    slot->created = (int64_t)((uint64_t)get_u32le(p + 13) | (uint64_t)get_u32le(p + 17) << 32);
    p += 21;
    memcpy(slot->salt, p, SALT_BYTES);
    p += SALT_BYTES;
    memcpy(slot->wrapped, p, WRAPPED_KEY_BYTES);
    p += WRAPPED_KEY_BYTES;
    memcpy(slot->mac, p, MAC_BYTES);
    p += MAC_BYTES;
    memcpy(slot->public_key, p, BOX_KEY_BYTES);
    p += BOX_KEY_BYTES;
    slot->kind = (*p++ & 1) ? KEYSLOT_KIND_LEGACY : KEYSLOT_KIND_X25519;
    size_t at = FIXED_BYTES, name_len = *p % (LV_NAME_MAX + 1);
    if (at > size)
        return size;
    if (name_len > size - at)
        name_len = size - at;
    memcpy(slot->name, data + at, name_len);
    slot->name[name_len] = '\0';
    return at + name_len;
}

static void put_u32le(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void write_seed(const char *path)
{
    static const char pass[] = "fuzz-passphrase";
    keyring *ring = keyring_new_generation(NULL, 1);
    store_keyslot slot;
    lv_kdf_params kdf = {LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 1};
    if (ring == NULL || keyslot_make(&slot, ring, vault_id, "fuzz", LV_ROLE_ADMIN, NULL, NULL,
                                     pass, sizeof pass - 1, &kdf, 1764000000000) != 0)
        abort();
    unsigned char out[FIXED_BYTES + 4 + sizeof pass - 1], *p = out;
    *p++ = (unsigned char)slot.role;
    put_u32le(p, slot.kdf.memory_kib);
    put_u32le(p + 4, slot.kdf.iterations);
    put_u32le(p + 8, slot.kdf.parallelism);
    put_u32le(p + 12, (uint32_t)((uint64_t)slot.created & 0xffffffffu));
    put_u32le(p + 16, (uint32_t)((uint64_t)slot.created >> 32));
    p += 20;
    memcpy(p, slot.salt, SALT_BYTES);
    p += SALT_BYTES;
    memcpy(p, slot.wrapped, WRAPPED_KEY_BYTES);
    p += WRAPPED_KEY_BYTES;
    memcpy(p, slot.mac, MAC_BYTES);
    p += MAC_BYTES;
    memcpy(p, slot.public_key, BOX_KEY_BYTES);
    p += BOX_KEY_BYTES;
    *p++ = slot.kind == KEYSLOT_KIND_LEGACY ? 1 : 0;
    *p++ = 4;
    memcpy(p, "fuzz", 4);
    memcpy(p + 4, pass, sizeof pass - 1);
    store_keyslot back;
    size_t pass_at = decode(&back, out, sizeof out);
    unsigned char *secret = sodium_malloc(KEY_BYTES);
    if (secret == NULL || keyslot_open(secret, NULL, &back, vault_id, (const char *)out + pass_at,
                                       sizeof out - pass_at) != 0)
        abort(); /* the seed must reach the success path */
    sodium_free(secret);
    keyring_free(ring);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(out, 1, sizeof out, f) != sizeof out || fclose(f) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    for (size_t i = 0; i < LV_ID_BYTES; i++)
        vault_id[i] = (unsigned char)(0xa0 + i);
    const char *seed = getenv("LEADVAULT_FUZZ_WRITE_SEED");
    if (seed != NULL) {
        write_seed(seed);
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    store_keyslot slot;
    size_t pass_at = decode(&slot, data, size);
    static unsigned char *secret;
    if (secret == NULL && (secret = sodium_malloc(KEY_BYTES)) == NULL)
        abort();
    int rc = keyslot_open(secret, NULL, &slot, vault_id, (const char *)data + pass_at,
                          size - pass_at);
    if (rc == 0) {
        lv_kdf_params kdf = slot.kdf;
        unsigned char public_key[BOX_KEY_BYTES];
        if (kdf.memory_kib == 0 || kdf.iterations == 0 || kdf.parallelism == 0 ||
            kdf_params_resolve(&kdf) != 0)
            abort(); /* opened a slot whose parameters should have been refused */
        if (slot.kind == KEYSLOT_KIND_X25519 &&
            (crypto_scalarmult_base(public_key, secret) != 0 ||
             sodium_memcmp(public_key, slot.public_key, BOX_KEY_BYTES) != 0))
            abort(); /* gave a secret that is not the slot's public key's */
    } else if (rc != LV_EAUTH && rc != LV_ECORRUPT) {
        abort(); /* a failure says why */
    }
    sodium_memzero(secret, KEY_BYTES);
    return 0;
}
