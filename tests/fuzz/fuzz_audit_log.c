/* fuzz_audit_log.c - lv_audit_verify_log on the input, written to a
 * scratch file on each run, with a fixed public key; with no checkpoint
 * and, for inputs of odd length, with the seed vault's checkpoint. */
#include <stdint.h>

#include "fuzz_common.h"

static char log_path[512];

/* `leadvault audit checkpoint` of the seed vault. */
static const char checkpoint_text[] =
    "leadvault-audit 0acbb847a8a43f7c8b37e6d558ff2603\n"
    "4\n"
    "4sAe6IekZIiUiRA5fN3IK5phBGqpWioR7FH4fwiSYJg=\n"
    "2026-11-26T19:21:16.591Z\n"
    "\n"
    "- leadvault pnRf8JQlbKbqemq32zqBfwJTSUQS/zBC+AnNYqLldS1rZR5I7pgUpyPolMndloJZRC0pEciKWUpxjKRRZEDzDw==\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(log_path, sizeof log_path, "%s/audit.jsonl", fuzz_dir_make());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(log_path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    lv_audit_report report;
    memset(&report, 0, sizeof report);
    (void)lv_audit_verify_log(log_path, FUZZ_PUBKEY_TEXT, size % 2 ? checkpoint_text : NULL,
                              &report);
    return 0;
}
