/* rekey.c - lv_vault_rekey (filled in below). */
#include "audit.h"
#include <string.h>

#include "error.h"

int lv_vault_rekey(lv_vault *vault, unsigned flags, lv_rekey_report *report)
{
    (void)flags;
    memset(report, 0, sizeof *report);
    audit_event event = {.action = "vault.rekey"};
    int rc = audit_gate(vault, POLICY_VAULT_KEYS, &event);
    return rc != 0 ? rc : err_set(LV_ERROR, "rekey: not built yet");
}
