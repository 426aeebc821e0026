/* fuzz_receipt.c - lv_receipt_verify on the input with a fixed public key. */
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)lv_receipt_verify((const char *)data, size, FUZZ_PUBKEY_TEXT, NULL);
    return 0;
}
