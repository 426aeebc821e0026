/* stats.c - lead counts without PII. */
#include "audit.h"
#include "error.h"

int lv_stats(lv_vault *vault, uint64_t *total, lv_count_fn fn, void *ctx)
{
    err_clear();
    *total = 0;
    audit_event event = {.action = "stats"};
    int rc = audit_gate(vault, POLICY_STATS, &event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    rc = store_counts(vault->store, vault_now_ms(), fn, ctx, total);
    return audit_commit(vault, rc, &event);
}
