/* audit_verify.h - verification of an exported audit log. */
#ifndef LV_AUDIT_VERIFY_H
#define LV_AUDIT_VERIFY_H

#include <stdio.h>

#include "leadvault.h"

/* lv_audit_verify_log on an open stream (the fuzz target reads from
 * memory). pubkey_text must not be NULL. */
int audit_verify_log_stream(FILE *in, const char *pubkey_text, const char *checkpoint_text,
                            lv_audit_report *report);

#endif
