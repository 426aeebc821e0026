/* fuzz_checkpoint.c - checkpoint_parse, checkpoint_signature_valid and
 * pubkey_parse on the input as text. Whatever parses must format back to
 * text that parses to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "fuzz_common.h"

static unsigned char fixed_pubkey[32];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (pubkey_parse(fixed_pubkey, NULL, FUZZ_PUBKEY_TEXT) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    checkpoint_signed cp;
    if (checkpoint_parse(&cp, text) == 0) {
        (void)checkpoint_signature_valid(&cp, fixed_pubkey);
        char again[LV_AUDIT_TEXT_MAX];
        checkpoint_format(again, &cp);
        checkpoint_signed cp2;
        if (checkpoint_parse(&cp2, again) != 0 || cp.size != cp2.size ||
            memcmp(cp.vault_id, cp2.vault_id, sizeof cp.vault_id) != 0 ||
            memcmp(cp.head, cp2.head, sizeof cp.head) != 0 ||
            strcmp(cp.time, cp2.time) != 0 ||
            memcmp(cp.signature, cp2.signature, sizeof cp.signature) != 0)
            abort(); /* a parsed checkpoint does not survive formatting */
    }

    unsigned char pubkey[32], vault_id[LV_ID_BYTES];
    if (pubkey_parse(pubkey, vault_id, text) == 0) {
        char again[LV_AUDIT_TEXT_MAX], fingerprint[48];
        pubkey_format(again, fingerprint, vault_id, pubkey);
        unsigned char pubkey2[32], vault_id2[LV_ID_BYTES];
        if (pubkey_parse(pubkey2, vault_id2, again) != 0 || memcmp(pubkey, pubkey2, 32) != 0 ||
            memcmp(vault_id, vault_id2, LV_ID_BYTES) != 0)
            abort(); /* a parsed key does not survive formatting */
    }
    unsigned char pubkey3[32];
    (void)pubkey_parse(pubkey3, NULL, text);
    free(text);
    return 0;
}
