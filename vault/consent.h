/* consent.h - consent records as the reveal policy consults them. */
#ifndef LV_CONSENT_H
#define LV_CONSENT_H

#include "store.h"
#include "session.h"

/* *active = 1 when the latest record of (lead, purpose) is a grant that
 * has not expired at now. LV_ECORRUPT when a record fails its MAC, or
 * when the records say active but the audit log's newest consent entry
 * for the lead and purpose is a withdrawal, or there is none (the lead
 * and its records were rolled back to an older copy). */
int consent_is_active(lv_vault *vault, const store_lead *lead, const char *purpose, int64_t now,
                      int *active);

/* Each of the lead's consent records, oldest first, after checking its MAC
 * and its link to the one before; the newest must be the one the lead's
 * row names. LV_ECORRUPT otherwise. fn may be NULL (check only). */
int consent_each_verified(const lv_vault *vault, const store_lead *lead, store_consent_fn fn,
                          void *ctx);

int consent_mac_valid(const lv_vault *vault, const store_consent *c);

/* Checks of a grant or withdrawal before it is recorded: the purpose
 * exists (for a grant: active and based on consent); the evidence (required
 * for a grant) or reason and notice version are clean bounded text. */
int consent_check_purpose(lv_vault *vault, const char *purpose, int granted);
int consent_check_note(const char *note, const char *notice_version, int granted);

/* Append a consent record for a loaded lead, inside the caller's
 * transaction (no audit entry: the caller writes it); moves the lead's
 * consent head to it and updates the lead's MAC, in *lead and the store.
 * time: when the consent was given or withdrawn (unix ms), 0 for now. */
int consent_append(lv_vault *vault, store_lead *lead, const char *purpose, int granted,
                   const char *note, const char *notice_version, int64_t expires, int64_t time);

/* The one lead whose email / phone is value, inside the caller's
 * transaction: LV_ENOTFOUND when none, LV_EINVAL listing the ids (never a
 * value) when several. *ids / *count receive the matches either way, for
 * the audit entry (malloc'd; the caller frees). */
int consent_lookup_one(lv_vault *vault, lv_lookup by, const char *value,
                       unsigned char id[LV_ID_BYTES], unsigned char **ids, size_t *count);

/* The lead's consent history with evidence opened (no transaction, no
 * audit: the caller provides both). Free with lv_consent_history_free. */
int consent_history_load(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                         lv_consent_record **out, size_t *count);

#endif
