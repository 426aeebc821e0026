/* session.h - the vault handle (lv_vault) as every module sees it: the
 * store, the vault id, the unlocked keys and who the user is. */
#ifndef LV_SESSION_H
#define LV_SESSION_H

#include "keys.h"
#include "leadvault.h"
#include "policy.h"
#include "store.h"

struct lv_vault {
    store *store;
    unsigned char id[LV_ID_BYTES];
    keyring *keys; /* NULL while locked */
    char user[LV_NAME_MAX + 1];
    lv_role role;
    int own_leads_only; /* a scoped user (LV_SCOPE_OWN): reads only leads they own */
    char os_user[LV_NAME_MAX + 1];
    unsigned long appended; /* audit entries this session: sign on close */
    /* Guarded scratch reused by every operation of the session, so hot
     * paths do not pay a guarded allocation (mmap, mlock, mprotect) each. */
    unsigned char *secure;
    size_t secure_cap;
};

/* At least `need` bytes of the session's guarded scratch (wiped by the
 * caller after use; freed with the vault). NULL when out of memory. */
unsigned char *session_scratch(lv_vault *vault, size_t need);

/* 0 when the vault is unlocked, else LV_EDENIED with a message. */
int session_require_unlocked(const lv_vault *vault);

/* 0 when the vault is unlocked and its user's role may do action, else
 * LV_EDENIED with a message (nothing is audited: for the calls that
 * record no entry, or record their own). */
int session_require(const lv_vault *vault, policy_action action);

/* 1 when the unlocked user may read a lead owned by owner: every user
 * but a scoped one (LV_SCOPE_OWN), who reads only the leads they own. */
int session_may_read(const lv_vault *vault, const char *owner);

/* 0 when session_may_read, else LV_EDENIED naming the lead (hex id). */
int session_require_owner(const lv_vault *vault, const char *owner, const char *lead_id);

#endif
