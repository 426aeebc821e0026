/* vault.c - create, open (unlock), close and check a vault. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "digest.h"
#include "error.h"
#include "hold.h"
#include "keyslot.h"
#include "lead_ops.h"
#include "lead.h"
#include "policy.h"
#include "purpose.h"
#include "consent.h"
#include "envelope.h"
#include "unlock.h"
#include "seal.h"
#include "session.h"
#include "store_group.h"
#include "store_location.h"
#include "util_time.h"

static int library_init(void)
{
    if (sodium_init() < 0)
        return err_set(LV_ERROR, "libsodium failed to initialize");
    return 0;
}

static lv_vault *vault_new(store *st, const char *os_user)
{
    lv_vault *vault = calloc(1, sizeof *vault);
    if (vault == NULL)
        return NULL;
    vault->store = st;
    (void)snprintf(vault->os_user, sizeof vault->os_user, "%s",
                   os_user != NULL && lead_user_name_valid(os_user) ? os_user : "unknown");
    return vault;
}

static void vault_free(lv_vault *vault)
{
    if (vault == NULL)
        return;
    if (vault->secure != NULL)
        sodium_free(vault->secure);
    store_close(vault->store);
    keyring_free(vault->keys);
    free(vault);
}

int lv_vault_create(lv_vault **out, const char *path, const lv_create_options *opts)
{
    err_clear();
    *out = NULL;
    int rc = library_init();
    if (rc != 0)
        return rc;
    if (opts == NULL || opts->version != LV_CREATE_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "create options: wrong version");
    if (opts->admin_name == NULL || !lead_user_name_valid(opts->admin_name))
        return err_set(LV_EINVAL, "user name: 1 to %d characters of A-Z a-z 0-9 . _ -",
                       LV_NAME_MAX);
    if (opts->passphrase == NULL || opts->passphrase_len == 0)
        return err_set(LV_EINVAL, "the passphrase is empty");
    lv_kdf_params kdf = opts->kdf;
    if ((rc = kdf_params_resolve(&kdf)) != 0)
        return rc;

    store *st = NULL;
    if ((rc = store_location_create(&st, path)) != 0)
        return rc;
    lv_vault *vault = vault_new(st, opts->os_user);
    if (vault == NULL) {
        store_close(st);
        store_location_remove(path);
        return err_set(LV_ERROR, "out of memory");
    }
    randombytes_buf(vault->id, LV_ID_BYTES);
    vault->keys = keyring_new_generation(NULL, 1);
    (void)snprintf(vault->user, sizeof vault->user, "%s", opts->admin_name);
    vault->role = LV_ROLE_ADMIN;

    store_keyslot slot;
    int64_t created = util_now_ms();
    unsigned char created_be[8];
    for (int i = 0; i < 8; i++)
        created_be[i] = (unsigned char)((uint64_t)created >> (56 - 8 * i));
    audit_event event = {.action = "vault.create"};
    store_keygen generation;
    if (vault->keys == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    else if ((rc = keyslot_make(&slot, vault->keys, vault->id, opts->admin_name, LV_ROLE_ADMIN,
                                NULL, NULL, opts->passphrase, opts->passphrase_len, &kdf,
                                created)) == 0 &&
             (rc = digest_attach_new(vault)) == 0 && (rc = store_begin(st)) == 0) {
        keygen_make(&generation, vault->keys, vault->id, KEYGEN_CURRENT);
        if ((rc = store_meta_put(st, "vault_id", vault->id, LV_ID_BYTES)) != 0 ||
            (rc = store_meta_put(st, "created", created_be, sizeof created_be)) != 0 ||
            (rc = store_keygen_put(st, &generation)) != 0 ||
            (rc = store_keyslot_insert(st, &slot)) != 0 ||
            (rc = unlock_envelope_put(vault, slot.name, slot.role, slot.public_key)) != 0 ||
            (rc = purpose_install_defaults(vault)) != 0 || (rc = audit_append(vault, &event)) != 0 ||
            (rc = store_commit(st)) != 0)
            store_rollback(st);
    }
    if (rc != 0) {
        vault_free(vault);
        store_location_remove(path);
        return rc;
    }
    *out = vault;
    return 0;
}

/* Record a failed unlock. Without the master key the entry cannot be
 * signed now; the next successful session's checkpoint covers it. */
static void audit_failed_unlock(lv_vault *vault, const char *user, int code)
{
    (void)snprintf(vault->user, sizeof vault->user, "%s",
                   lead_user_name_valid(user) ? user : "invalid user name");
    audit_event event = {.action = "vault.unlock", .code = code};
    audit_record_failure(vault, &event);
    vault->user[0] = '\0';
    vault->appended = 0;
}

/* The vault at path, opened locked: its store and id, nothing else. */
static int open_locked(lv_vault **out, const char *path, int busy_timeout_ms, const char *os_user)
{
    *out = NULL;
    store *st = NULL;
    int rc = store_location_open(&st, path, busy_timeout_ms);
    if (rc != 0)
        return rc;
    lv_vault *vault = vault_new(st, os_user);
    if (vault == NULL) {
        store_close(st);
        return err_set(LV_ERROR, "out of memory");
    }
    size_t id_len = 0;
    rc = store_meta_get(st, "vault_id", vault->id, LV_ID_BYTES, &id_len);
    if (rc == 0 && id_len != LV_ID_BYTES)
        rc = LV_ECORRUPT;
    if (rc != 0) {
        vault_free(vault);
        /* Busy, out of memory, an I/O error: as the store said it. */
        if (rc == LV_ENOTFOUND || rc == LV_ECORRUPT)
            return err_set(LV_ECORRUPT, "the vault id is missing or malformed");
        return rc;
    }
    *out = vault;
    return 0;
}

int lv_audit_session_refused(const char *path, const char *user, const char *os_user)
{
    err_clear();
    int rc = library_init();
    if (rc != 0)
        return rc;
    if (user == NULL || !lead_user_name_valid(user))
        return err_set(LV_EINVAL, "user: not a user name");
    lv_vault *vault = NULL;
    if ((rc = open_locked(&vault, path, 0, os_user)) != 0)
        return rc;
    /* Written without keys, as a failed unlock is: role "", code
     * LV_EAUTH; the next session's checkpoint covers it. */
    (void)snprintf(vault->user, sizeof vault->user, "%s", user);
    audit_event event = {.action = "vault.session.refused", .code = LV_EAUTH};
    if ((rc = store_begin(vault->store)) == 0) {
        if ((rc = audit_append(vault, &event)) == 0)
            rc = store_commit(vault->store);
        else
            store_rollback(vault->store);
    }
    vault_free(vault);
    return rc;
}

int lv_vault_open(lv_vault **out, const char *path, const lv_open_options *opts)
{
    err_clear();
    *out = NULL;
    int rc = library_init();
    if (rc != 0)
        return rc;
    if (opts == NULL || opts->version < 1 || opts->version > LV_OPEN_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "open options: wrong version");
    unsigned flags = opts->version >= 2 ? opts->flags : 0;
    lv_group *group = opts->version >= 3 ? opts->group : NULL;
    if (group != NULL && opts->user == NULL)
        return err_set(LV_EINVAL, "open options: a group needs a user (an unlocked vault)");
    lv_vault *vault = NULL;
    if ((rc = open_locked(&vault, path, opts->busy_timeout_ms, opts->os_user)) != 0)
        return rc;
    store *st = vault->store;
    if (opts->user == NULL) {
        *out = vault;
        return 0;
    }
    if (store_format(st) == 1 && !(flags & LV_OPEN_FORMAT1)) {
        vault_free(vault);
        return err_set(LV_ERROR, "vault format 1: run leadvault upgrade (admin)");
    }

    store_keyslot slot;
    rc = store_keyslot_get(st, opts->user, &slot);
    if (rc == LV_ENOTFOUND) {
        /* Pay the same KDF cost as a real slot, so timing does not tell
         * whether a user exists. */
        lv_kdf_params kdf = {0, 0, 0};
        if (store_keyslot_any_kdf(st, &kdf) != 0 || kdf_params_resolve(&kdf) != 0)
            kdf = (lv_kdf_params){0, 0, 0}, (void)kdf_params_resolve(&kdf);
        unsigned char *scratch = sodium_malloc(KEY_BYTES);
        unsigned char salt[SALT_BYTES];
        randombytes_buf(salt, sizeof salt);
        if (scratch != NULL) {
            (void)kdf_derive(scratch, opts->passphrase != NULL ? opts->passphrase : "",
                             opts->passphrase_len, salt, &kdf);
            sodium_free(scratch);
        }
        rc = err_set(LV_EAUTH, "wrong passphrase or unknown user");
    } else if (rc == 0) {
        (void)snprintf(vault->user, sizeof vault->user, "%s", slot.name);
        vault->role = (lv_role)(slot.role & KEYSLOT_ROLE_MASK);
        vault->own_leads_only = (slot.role & KEYSLOT_SCOPE_OWN) != 0;
        rc = unlock_session(vault, &slot, opts->passphrase != NULL ? opts->passphrase : "",
                            opts->passphrase_len);
    }
    if (rc != 0) {
        if (rc == LV_EAUTH || rc == LV_ECORRUPT)
            audit_failed_unlock(vault, opts->user, rc);
        vault_free(vault);
        return rc;
    }
    if (lv_role_name(vault->role) == NULL ||
        (slot.role & ~(KEYSLOT_ROLE_MASK | KEYSLOT_SCOPE_OWN)) != 0) {
        vault_free(vault);
        return err_set(LV_ECORRUPT, "keyslot of user '%s' holds an unknown role", slot.name);
    }
    /* From here on every change this session commits keeps the state
     * digest, and meta.digest, up to date. */
    if (store_format(st) != 1 && (rc = digest_attach(vault)) != 0) {
        vault_free(vault);
        return rc;
    }
    if (group != NULL) {
        store_digest key;
        digest_store_key(&key, vault);
        rc = store_format(st) == 1 ? err_set(LV_EINVAL, "a vault of format 1 joins no group")
                                   : store_group_join(st, group, &key);
        if (rc != 0) {
            vault_free(vault);
            return rc;
        }
    }
    *out = vault;
    return 0;
}

int lv_vault_format(const lv_vault *vault)
{
    return vault != NULL ? store_format(vault->store) : 0;
}

int lv_vault_close(lv_vault *vault)
{
    if (vault == NULL)
        return 0;
    int rc = audit_sign_checkpoint(vault);
    vault_free(vault);
    return rc;
}
