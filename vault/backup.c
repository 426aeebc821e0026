/* backup.c - online backups, and restores that honour every erasure. */
#include "audit.h"
#include "erase.h"
#include "error.h"

int lv_backup(lv_vault *vault, const char *path)
{
    err_clear();
    audit_event event = {.action = "vault.backup"};
    int rc = audit_gate(vault, POLICY_BACKUP, &event);
    if (rc != 0)
        return rc;
    if (path == NULL || path[0] == '\0')
        return err_set(LV_EINVAL, "backup: a file path is required");
    /* The entry goes in first, so the backup itself records when it was taken. */
    if ((rc = store_begin(vault->store)) != 0 ||
        (rc = audit_commit(vault, 0, &event)) != 0)
        return rc;
    if ((rc = store_backup(vault->store, path)) != 0) {
        event.action = "vault.backup.failed";
        event.code = rc;
        audit_record_failure(vault, &event);
    }
    return rc;
}

int lv_restore(lv_vault *vault, const char *path, uint64_t *restored, uint64_t *skipped)
{
    err_clear();
    *restored = *skipped = 0;
    audit_event event = {.action = "vault.restore"};
    int rc = audit_gate(vault, POLICY_BACKUP, &event);
    if (rc != 0)
        return rc;
    /* The backup is attached to this handle's own connection: a handle in
     * a commit group holds it, and writes there, meanwhile. */
    store_solo(vault->store, 1);
    if ((rc = store_restore_attach(vault->store, path, vault->id)) != 0) {
        store_solo(vault->store, 0);
        return rc;
    }
    if ((rc = store_begin(vault->store)) == 0)
        rc = audit_commit(vault, store_restore_leads(vault->store, restored, skipped), &event);
    store_restore_done(vault->store);
    store_solo(vault->store, 0);
    /* Leads replaced by the restore leave no page images in the WAL. */
    if (rc == 0)
        rc = erase_finish(vault);
    return rc;
}
