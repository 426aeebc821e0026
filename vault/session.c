/* session.c - the vault handle: its scratch memory, and who is unlocked. */
#include <sodium.h>
#include <string.h>

#include "error.h"
#include "session.h"
#include "util_id.h"

int session_require_unlocked(const lv_vault *vault)
{
    if (vault == NULL || vault->keys == NULL)
        return err_set(LV_EDENIED, "the vault is locked: unlock it as a user first");
    return 0;
}

void lv_vault_id(const lv_vault *vault, char out[LV_ID_STRLEN + 1])
{
    util_id_to_hex(out, vault->id);
}

int lv_vault_whoami(const lv_vault *vault, const char **name, lv_role *role)
{
    int rc = session_require_unlocked(vault);
    if (rc != 0)
        return rc;
    *name = vault->user;
    *role = vault->role;
    return 0;
}

unsigned char *session_scratch(lv_vault *vault, size_t need)
{
    /* Not util_array_grow_wiped: a guarded block whose contents need not
     * survive a grow; sodium_free wipes the old one. */
    if (need > vault->secure_cap) {
        size_t cap = need < 4096 ? 4096 : need;
        unsigned char *grown = sodium_malloc(cap);
        if (grown == NULL)
            return NULL;
        if (vault->secure != NULL)
            sodium_free(vault->secure);
        vault->secure = grown;
        vault->secure_cap = cap;
    }
    return vault->secure;
}

int session_require(const lv_vault *vault, policy_action action)
{
    int rc = session_require_unlocked(vault);
    return rc != 0 ? rc : policy_check(vault->role, action);
}

int session_may_read(const lv_vault *vault, const char *owner)
{
    return !vault->own_leads_only || strcmp(owner, vault->user) == 0;
}

int session_require_owner(const lv_vault *vault, const char *owner, const char *lead_id)
{
    if (session_may_read(vault, owner))
        return 0;
    return err_set(LV_EDENIED, "denied: user %s may only read the leads they own (lead %s)",
                   vault->user, lead_id);
}
