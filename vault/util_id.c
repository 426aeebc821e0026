/* util_id.c - ids as hexadecimal text. */
#include <sodium.h>
#include <string.h>

#include "error.h"
#include "util_id.h"

void util_id_to_hex(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES])
{
    sodium_bin2hex(out, LV_ID_STRLEN + 1, id, LV_ID_BYTES);
}

int util_id_from_hex(unsigned char out[LV_ID_BYTES], const char *hex)
{
    size_t bin_len = 0;
    const char *end = NULL;
    if (hex == NULL || strlen(hex) != LV_ID_STRLEN ||
        sodium_hex2bin(out, LV_ID_BYTES, hex, LV_ID_STRLEN, NULL, &bin_len, &end) != 0 ||
        bin_len != LV_ID_BYTES)
        return err_set(LV_EINVAL, "not a lead id (expected 32 hexadecimal characters)");
    return 0;
}
