/* upgrade.c - lv_vault_upgrade: a format-1 vault rebuilt as format 2 in a
 * new file beside it, which replaces it in one rename (docs/format.md,
 * "Upgrade from format 1"). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "digest.h"
#include "envelope.h"
#include "error.h"
#include "keyslot.h"
#include "session.h"
#include "store_location.h"
#include "unlock.h"

#define UPGRADE_SUFFIX ".upgrade-"

/* Remove what an interrupted upgrade left: PATH.upgrade-* and their side
 * files. Called while the vault's write lock is held, so no other upgrade
 * is under way. */
static void remove_leftovers(const char *path)
{
    char dir_buf[4096], base_buf[4096];
    if (snprintf(dir_buf, sizeof dir_buf, "%s", path) >= (int)sizeof dir_buf ||
        snprintf(base_buf, sizeof base_buf, "%s", path) >= (int)sizeof base_buf)
        return;
    const char *dir = dirname(dir_buf);
    char prefix[4096];
    if (snprintf(prefix, sizeof prefix, "%s" UPGRADE_SUFFIX, basename(base_buf)) >=
        (int)sizeof prefix)
        return;
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char full[8192];
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
            snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full)
            unlink(full);
    }
    closedir(d);
}

static int fsync_path(const char *path, int directory)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : O_NOFOLLOW));
    if (fd < 0)
        return err_set(LV_ERROR, "cannot open %s to sync it", path);
    int rc = fsync(fd) == 0 ? 0 : err_set(LV_ERROR, "cannot sync %s", path);
    close(fd);
    return rc;
}

/* In the new file (store st, the rows copied): generation 1 = the format-1
 * keys, the admin's key-pair slot and envelope, the upgrade's audit entry
 * and a signed checkpoint. */
static int convert(lv_vault *nv, const lv_open_options *opts)
{
    store_keyslot slot, fresh;
    store_keygen generation;
    keygen_make(&generation, nv->keys, nv->id, KEYGEN_CURRENT);
    int rc = store_keyslot_get(nv->store, nv->user, &slot);
    if (rc == 0)
        rc = keyslot_make(&fresh, nv->keys, nv->id, slot.name, slot.role, NULL, NULL,
                          opts->passphrase, opts->passphrase_len, &slot.kdf, slot.created);
    if (rc != 0 || (rc = store_begin(nv->store)) != 0)
        return rc;
    audit_event event = {.action = "vault.upgrade", .subject = "format 1 to 2"};
    if ((rc = store_keygen_put(nv->store, &generation)) != 0 ||
        (rc = store_keyslot_update(nv->store, &fresh)) != 0 ||
        (rc = unlock_envelope_put(nv, fresh.name, fresh.role, fresh.public_key)) != 0 ||
        (rc = digest_rebuild(nv)) != 0 || (rc = audit_append(nv, &event)) != 0 ||
        (rc = store_commit(nv->store)) != 0) {
        store_rollback(nv->store);
        return rc;
    }
    return audit_sign_checkpoint(nv);
}

int lv_vault_upgrade(const char *path, const lv_open_options *opts, int *upgraded)
{
    err_clear();
    *upgraded = 0;
    if (opts == NULL || opts->version < 1 || opts->version > LV_OPEN_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "open options: wrong version");
    /* Field by field: an older caller's struct is shorter. No group: an
     * upgrade runs on the vault file alone. */
    lv_open_options open = LV_OPEN_OPTIONS_INIT;
    open.user = opts->user;
    open.passphrase = opts->passphrase;
    open.passphrase_len = opts->passphrase_len;
    open.busy_timeout_ms = opts->busy_timeout_ms;
    open.os_user = opts->os_user;
    open.flags = (opts->version >= 2 ? opts->flags : 0) | LV_OPEN_FORMAT1;
    lv_vault *old = NULL;
    int rc = lv_vault_open(&old, path, &open);
    if (rc != 0)
        return rc;
    audit_event denied = {.action = "vault.upgrade"};
    if ((rc = audit_gate(old, POLICY_VAULT_KEYS, &denied)) != 0) {
        lv_vault_close(old);
        return rc;
    }
    if (store_format(old->store) != 1)
        return lv_vault_close(old); /* already current: nothing to do */
    /* The old file leaves WAL mode (which needs the only connection: no
     * other process may have it open), then its write lock is held until
     * the new file has replaced it. */
    if ((rc = store_journal_standalone(old->store)) != 0 || (rc = store_begin(old->store)) != 0) {
        lv_vault_close(old);
        return rc;
    }
    remove_leftovers(path);
    char temp[4096];
    unsigned char nonce[4];
    randombytes_buf(nonce, sizeof nonce);
    store *st = NULL;
    if (snprintf(temp, sizeof temp, "%s" UPGRADE_SUFFIX "%02x%02x%02x%02x", path, nonce[0],
                 nonce[1], nonce[2], nonce[3]) >= (int)sizeof temp) {
        temp[0] = '\0'; /* cut short, it would name another file */
        rc = err_set(LV_EINVAL, "the vault path is too long");
    } else
        rc = store_location_create(&st, temp);
    lv_vault *nv = NULL;
    if (rc == 0 && (nv = calloc(1, sizeof *nv)) == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    if (rc == 0) {
        nv->store = st;
        memcpy(nv->id, old->id, LV_ID_BYTES);
        nv->keys = old->keys; /* generation 1: the format-1 keys */
        memcpy(nv->user, old->user, sizeof nv->user);
        memcpy(nv->os_user, old->os_user, sizeof nv->os_user);
        nv->role = old->role;
        /* The state digest under generation 1's digest key (key 6 of the
         * format-1 master), rebuilt over every copied row by convert(). */
        if ((rc = digest_attach_new(nv)) == 0 && (rc = store_upgrade_copy(st, path)) == 0 &&
            (rc = convert(nv, opts)) == 0)
            rc = store_journal_standalone(st);
    }
    if (nv != NULL)
        free(nv);
    store_close(st);
    if (rc == 0 && (rc = fsync_path(temp, 0)) == 0) {
        if (rename(temp, path) != 0)
            rc = err_set(LV_ERROR, "cannot replace %s with the upgraded vault", path);
        else {
            char dir_buf[4096];
            (void)snprintf(dir_buf, sizeof dir_buf, "%s", path);
            (void)fsync_path(dirname(dir_buf), 1);
        }
    }
    if (rc != 0 && temp[0] != '\0')
        store_location_remove(temp);
    store_rollback(old->store);
    old->appended = 0; /* nothing of this session is signed into the old file */
    lv_vault_close(old);
    *upgraded = rc == 0;
    return rc;
}
