/* fuzz_audit_log.c - the verifier behind lv_audit_verify_log
 * (audit_verify_log_stream) on the input, read from memory, with a fixed
 * public key; with no checkpoint and, for inputs of odd length, with the
 * seed vault's checkpoint. */
#define _GNU_SOURCE /* fmemopen */
#include <stdint.h>

#include "audit_verify.h"
#include "fuzz_common.h"

/* `leadvault audit checkpoint` of the seed vault. */
static const char checkpoint_text[] =
    "leadvault-audit 0acbb847a8a43f7c8b37e6d558ff2603\n"
    "4\n"
    "4sAe6IekZIiUiRA5fN3IK5phBGqpWioR7FH4fwiSYJg=\n"
    "2026-11-26T19:21:16.591Z\n"
    "\n"
    "- leadvault pnRf8JQlbKbqemq32zqBfwJTSUQS/zBC+AnNYqLldS1rZR5I7pgUpyPolMndloJZRC0pEciKWUpxjKRRZEDzDw==\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char empty[1];
    /* fmemopen wants a buffer of at least one byte: an empty input reads
     * from a one-byte buffer of which zero bytes are used. */
    FILE *in = fmemopen(size ? (void *)data : (void *)empty, size ? size : 1, "rb");
    if (in == NULL)
        abort();
    if (size == 0)
        (void)fgetc(in);
    lv_audit_report report;
    memset(&report, 0, sizeof report);
    (void)audit_verify_log_stream(in, FUZZ_PUBKEY_TEXT, size % 2 ? checkpoint_text : NULL,
                                  &report);
    fclose(in);
    return 0;
}
