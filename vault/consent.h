/* consent.h - consent records as the reveal policy consults them. */
#ifndef LV_CONSENT_H
#define LV_CONSENT_H

#include "store.h"
#include "vault_internal.h"

/* *active = 1 when the latest record of (lead, purpose) is a grant that
 * has not expired at now. LV_ECORRUPT when a record fails its MAC. */
int consent_is_active(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                      const char *purpose, int64_t now, int *active);

int consent_mac_valid(const lv_vault *vault, const store_consent *c);

/* The lead's consent history with evidence opened (no transaction, no
 * audit: the caller provides both). Free with lv_consent_history_free. */
int consent_history_load(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                         lv_consent_record **out, size_t *count);

#endif
