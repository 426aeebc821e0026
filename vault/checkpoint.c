/* checkpoint.c - the text form of a signed audit checkpoint. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "checkpoint.h"
#include "vault_internal.h"

size_t checkpoint_body(char out[CHECKPOINT_BODY_MAX], const unsigned char vault_id[LV_ID_BYTES],
                       uint64_t size, const unsigned char head[32], const char *time)
{
    char id[LV_ID_STRLEN + 1];
    char head64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    vault_id_to_hex(id, vault_id);
    sodium_bin2base64(head64, sizeof head64, head, 32, sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(out, CHECKPOINT_BODY_MAX, "leadvault-audit %s\n%llu\n%s\n%s\n", id,
                     (unsigned long long)size, head64, time);
    return n > 0 ? (size_t)n : 0;
}
