/* fuzz_sealed_value.c - seal_open_field on the input with a fixed key,
 * vault id, lead id and field. It must never crash, and it may only
 * succeed on a real seal: then an independent XChaCha20-Poly1305
 * encryption of the plaintext, with the input's nonce and the documented
 * associated data, must give back the input byte for byte.
 *
 * LEADVAULT_FUZZ_WRITE_SEED=FILE writes one real seal to FILE (the seed
 * in corpus/fuzz_sealed_value) and exits. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"

static unsigned char key[KEY_BYTES], vault_id[LV_ID_BYTES], lead_id[LV_ID_BYTES];
static const lv_field field = LV_FIELD_EMAIL;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    for (size_t i = 0; i < KEY_BYTES; i++)
        key[i] = (unsigned char)(0x40 + i);
    for (size_t i = 0; i < LV_ID_BYTES; i++) {
        vault_id[i] = (unsigned char)(0xa0 + i);
        lead_id[i] = (unsigned char)(0x10 + i);
    }
    const char *seed = getenv("LEADVAULT_FUZZ_WRITE_SEED");
    if (seed != NULL) {
        static const char plain[] = "ada.lovelace@example.com";
        unsigned char out[sizeof plain - 1 + SEAL_OVERHEAD];
        seal_field(out, (const unsigned char *)plain, sizeof plain - 1, key, vault_id, lead_id,
                   field);
        FILE *f = fopen(seed, "wb");
        if (f == NULL || fwrite(out, 1, sizeof out, f) != sizeof out || fclose(f) != 0)
            abort();
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t plain_len = size >= SEAL_OVERHEAD ? size - SEAL_OVERHEAD : 0;
    unsigned char *plain = malloc(plain_len + 1);
    if (plain == NULL)
        return 0;
    if (seal_open_field(plain, data, size, key, vault_id, lead_id, field) == 0) {
        /* Only a real seal may open: check it against the format. */
        if (size < SEAL_OVERHEAD || data[0] != FORMAT_VERSION)
            abort();
        unsigned char ad[SEAL_AD_BYTES];
        memcpy(ad, "lvF", 3);
        ad[3] = FORMAT_VERSION;
        memcpy(ad + 4, vault_id, LV_ID_BYTES);
        memcpy(ad + 4 + LV_ID_BYTES, lead_id, LV_ID_BYTES);
        ad[4 + 2 * LV_ID_BYTES] = (unsigned char)field;
        unsigned char *again = malloc(plain_len + TAG_BYTES);
        if (again == NULL)
            abort();
        unsigned long long again_len = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(again, &again_len, plain, plain_len, ad,
                                                   sizeof ad, NULL, data + 1, key);
        if (again_len != plain_len + TAG_BYTES ||
            memcmp(again, data + 1 + NONCE_BYTES, again_len) != 0)
            abort(); /* opened something that is not this key's seal */
        free(again);
    }
    free(plain);
    return 0;
}
