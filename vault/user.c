/* user.c - user management: one keyslot per user. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "envelope.h"
#include "keyslot.h"
#include "lead.h"
#include "policy.h"
#include "session.h"
#include "unlock.h"
#include "util_array.h"

static int begin_managed(lv_vault *vault, audit_event *event)
{
    int rc = audit_gate(vault, POLICY_USER_MANAGE, event);
    return rc != 0 ? rc : store_begin(vault->store);
}

int lv_user_add(lv_vault *vault, const char *name, lv_role role, const char *passphrase,
                size_t passphrase_len, const lv_kdf_params *kdf)
{
    return lv_user_add_scoped(vault, name, role, LV_SCOPE_ALL, passphrase, passphrase_len, kdf);
}

int lv_user_add_scoped(lv_vault *vault, const char *name, lv_role role, lv_scope scope,
                       const char *passphrase, size_t passphrase_len, const lv_kdf_params *kdf)
{
    err_clear();
    audit_event event = {.action = "user.add", .subject = name};
    if (name == NULL || !lead_user_name_valid(name))
        return err_set(LV_EINVAL, "user name: 1 to %d characters of A-Z a-z 0-9 . _ -",
                       LV_NAME_MAX);
    if (lv_role_name(role) == NULL)
        return err_set(LV_EINVAL, "role: must be one of admin, sales, compliance, auditor");
    if (scope != LV_SCOPE_ALL && scope != LV_SCOPE_OWN)
        return err_set(LV_EINVAL, "scope: must be own or all");
    if (scope == LV_SCOPE_OWN && role != LV_ROLE_SALES)
        return err_set(LV_EINVAL, "scope: only a sales user can be limited to their own leads");
    store_keyslot slot;
    /* The role is checked before the KDF (no Argon2id run for a refused
     * call), and the KDF runs before the write lock is taken, so other
     * writers are not held up by it. */
    int rc = audit_gate(vault, POLICY_USER_MANAGE, &event);
    if (rc != 0 || (rc = unlock_require_no_rekey(vault)) != 0)
        return rc;
    int stored_role = (int)role | (scope == LV_SCOPE_OWN ? KEYSLOT_SCOPE_OWN : 0);
    if ((rc = keyslot_make(&slot, vault->keys, vault->id, name, stored_role, NULL, NULL,
                           passphrase, passphrase_len, kdf, 0)) != 0)
        return rc;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    rc = store_keyslot_insert(vault->store, &slot);
    if (rc == LV_EEXISTS)
        rc = err_set(LV_EEXISTS, "user '%s' already exists", name);
    /* An envelope left by a user of that name removed earlier is replaced. */
    if (rc == 0)
        rc = unlock_envelope_put(vault, name, stored_role, slot.public_key);
    return audit_commit(vault, rc, &event);
}

typedef struct admin_count {
    const lv_vault *vault;
    int admins;
} admin_count;

static int count_admins(void *ctx, const store_keyslot *slot)
{
    admin_count *count = ctx;
    /* Only authenticated roles count: an edited row is no admin. */
    if (!keyslot_mac_valid(slot, count->vault->keys, count->vault->id))
        return err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check",
                       slot->name);
    if (slot->role == LV_ROLE_ADMIN)
        count->admins++;
    return 0;
}

int lv_user_remove(lv_vault *vault, const char *name)
{
    err_clear();
    audit_event event = {.action = "user.remove", .subject = name};
    if (name == NULL || !lead_user_name_valid(name))
        return err_set(LV_EINVAL, "user name: 1 to %d characters of A-Z a-z 0-9 . _ -",
                       LV_NAME_MAX);
    int rc = begin_managed(vault, &event);
    if (rc != 0)
        return rc;
    store_keyslot slot;
    admin_count count = {vault, 0};
    if (strcmp(name, vault->user) == 0)
        rc = err_set(LV_EDENIED, "denied: a user cannot remove themselves");
    else if ((rc = store_keyslot_get(vault->store, name, &slot)) == LV_ENOTFOUND)
        rc = err_set(LV_ENOTFOUND, "no user '%s'", name);
    else if (rc == 0 && slot.role == LV_ROLE_ADMIN &&
             (rc = store_keyslot_each(vault->store, count_admins, &count)) == 0 &&
             count.admins <= 1)
        rc = err_set(LV_EDENIED, "denied: cannot remove the last admin");
    if (rc == 0 && (rc = store_keyslot_delete(vault->store, name)) == 0)
        rc = store_envelope_delete(vault->store, name, 0);
    return audit_commit(vault, rc, &event);
}

int lv_user_passwd(lv_vault *vault, const char *new_passphrase, size_t new_passphrase_len,
                   const lv_kdf_params *kdf)
{
    err_clear();
    audit_event event = {.action = "user.passwd"};
    int rc = session_require_unlocked(vault);
    if (rc != 0)
        return rc;
    event.subject = vault->user;
    store_keyslot old, slot;
    if ((rc = store_keyslot_get(vault->store, vault->user, &old)) != 0)
        return rc;
    /* The role is re-signed below: it must be the authenticated one. */
    if (!keyslot_mac_valid(&old, vault->keys, vault->id))
        return err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check",
                       vault->user);
    lv_kdf_params params = old.kdf;
    if (kdf != NULL && (kdf->memory_kib || kdf->iterations || kdf->parallelism))
        params = *kdf;
    /* The session converted a legacy slot at unlock: the key pair is the
     * session's (a format-1 vault is refused before this). */
    if (old.kind != KEYSLOT_KIND_X25519)
        return err_set(LV_ECORRUPT, "keyslot of user '%s' is not a key-pair slot", vault->user);
    if ((rc = keyslot_make(&slot, vault->keys, vault->id, vault->user, old.role,
                           vault->keys->user_secret, vault->keys->user_public, new_passphrase,
                           new_passphrase_len, &params, old.created)) != 0)
        return rc;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    rc = store_keyslot_update(vault->store, &slot);
    return audit_commit(vault, rc, &event);
}

int lv_user_set_role(lv_vault *vault, const char *name, lv_role role)
{
    err_clear();
    audit_event event = {.action = "user.role", .subject = name};
    if (name == NULL || !lead_user_name_valid(name))
        return err_set(LV_EINVAL, "user name: 1 to %d characters of A-Z a-z 0-9 . _ -",
                       LV_NAME_MAX);
    if (lv_role_name(role) == NULL)
        return err_set(LV_EINVAL, "role: must be one of admin, sales, compliance, auditor");
    int rc = audit_gate(vault, POLICY_USER_MANAGE, &event);
    if (rc != 0 || (rc = unlock_require_no_rekey(vault)) != 0 ||
        (rc = store_begin(vault->store)) != 0)
        return rc;
    store_keyslot slot;
    admin_count count = {vault, 0};
    if ((rc = store_keyslot_get(vault->store, name, &slot)) == LV_ENOTFOUND)
        rc = err_set(LV_ENOTFOUND, "no user '%s'", name);
    else if (rc == 0 && !keyslot_mac_valid(&slot, vault->keys, vault->id))
        rc = err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check", name);
    else if (rc == 0 && slot.kind != KEYSLOT_KIND_X25519)
        rc = err_set(LV_EINVAL,
                     "user '%s' still has a format-1 keyslot: it becomes a key-pair slot at their "
                     "next unlock (or remove the user and add them again)",
                     name);
    else if (rc == 0 && slot.role == LV_ROLE_ADMIN && role != LV_ROLE_ADMIN &&
             (rc = store_keyslot_each(vault->store, count_admins, &count)) == 0 &&
             count.admins <= 1)
        rc = err_set(LV_EDENIED, "denied: cannot demote the last admin");
    if (rc == 0) {
        /* The own-leads flag means something for sales users only. */
        int scope = role == LV_ROLE_SALES ? (slot.role & KEYSLOT_SCOPE_OWN) : 0;
        slot.role = (int)role | scope;
        keyslot_mac_update(&slot, vault->keys, vault->id);
        if ((rc = store_keyslot_update(vault->store, &slot)) == 0 &&
            (rc = store_envelope_delete(vault->store, name, 0)) == 0)
            rc = unlock_envelope_put(vault, name, slot.role, slot.public_key);
    }
    return audit_commit(vault, rc, &event);
}

typedef struct user_list {
    lv_user_info *items;
    size_t count, cap;
    lv_vault *vault;
} user_list;

static int collect_user(void *ctx, const store_keyslot *slot)
{
    user_list *list = ctx;
    if (!keyslot_mac_valid(slot, list->vault->keys, list->vault->id))
        return err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check",
                       slot->name);
    lv_user_info *u =
        util_array_append((void **)&list->items, &list->count, &list->cap, sizeof *u, 8);
    if (u == NULL)
        return LV_ERROR;
    memcpy(u->name, slot->name, sizeof u->name);
    u->role = (lv_role)(slot->role & KEYSLOT_ROLE_MASK);
    u->scope = slot->role & KEYSLOT_SCOPE_OWN ? LV_SCOPE_OWN : LV_SCOPE_ALL;
    u->kdf = slot->kdf;
    u->created = slot->created;
    return 0;
}

int lv_user_list(lv_vault *vault, lv_user_info **out, size_t *count)
{
    err_clear();
    *out = NULL;
    *count = 0;
    audit_event event = {.action = "user.list"};
    int rc = begin_managed(vault, &event);
    if (rc != 0)
        return rc;
    user_list list = {.vault = vault};
    rc = store_keyslot_each(vault->store, collect_user, &list);
    if ((rc = audit_commit(vault, rc, &event)) != 0) {
        free(list.items);
        return rc;
    }
    *out = list.items;
    *count = list.count;
    return 0;
}

void lv_user_list_free(lv_user_info *users)
{
    free(users);
}
