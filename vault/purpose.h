/* purpose.h - purposes: stored, MAC'd under the master key, consulted by
 * every reveal. */
#ifndef LV_PURPOSE_H
#define LV_PURPOSE_H

#include "policy.h"
#include "store.h"
#include "session.h"

int purpose_name_valid(const char *name);

/* Create the default purposes (inside the caller's transaction). */
int purpose_install_defaults(lv_vault *vault);

/* Load a purpose and check its MAC: LV_ENOTFOUND, LV_ECORRUPT. */
int purpose_load(lv_vault *vault, const char *name, store_purpose *out);
int purpose_mac_valid(const lv_vault *vault, const store_purpose *p);
void purpose_to_policy(policy_purpose *out, const store_purpose *p);

/* Load the purpose of a reveal and apply the role and field rules; an
 * unknown purpose is a denial. On success *mask holds the fields to reveal. */
int purpose_authorize(lv_vault *vault, const char *name, uint32_t requested, store_purpose *out,
                      uint32_t *mask);

#endif
