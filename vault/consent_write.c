/* consent_write.c - recording a grant or withdrawal, for a lead named by
 * its id or found by its email or phone (the lookup needs lead_ops.c,
 * which consults consent.c: so this half lives above both). */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "error.h"
#include "hold.h"
#include "lead_ops.h"
#include "lead_record.h"
#include "purpose.h"
#include "util_id.h"
#include "util_time.h"

int consent_lookup_one(lv_vault *vault, lv_lookup by, const char *value,
                       unsigned char id[LV_ID_BYTES], unsigned char **ids, size_t *count)
{
    const char *kind = by == LV_LOOKUP_PHONE ? "phone" : "email";
    int rc = lead_match(vault, by, value, ids, count);
    if (rc != 0)
        return rc;
    if (*count == 0)
        return err_set(LV_ENOTFOUND, "no lead with that %s", kind);
    if (*count == 1) {
        memcpy(id, *ids, LV_ID_BYTES);
        return 0;
    }
    /* Ids only: they say which leads, never what they hold. */
    char list[5 * (LV_ID_STRLEN + 2)] = "";
    size_t at = 0;
    for (size_t i = 0; i < *count && i < 5; i++) {
        char hex[LV_ID_STRLEN + 1];
        util_id_to_hex(hex, *ids + i * LV_ID_BYTES);
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", hex);
    }
    return err_set(LV_EINVAL, "%zu leads have that %s (%s%s); name one by its id", *count, kind,
                   list, *count > 5 ? ", ..." : "");
}

/* Append one record: grant (evidence) or withdrawal (reason), for the lead
 * lead_id names or, when it is NULL, the one lead whose email / phone is
 * value. */
static int record(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
                  const char *purpose, int granted, const char *note, const char *notice_version,
                  int64_t expires, char *found)
{
    audit_event event = {.action = granted ? "consent.grant" : "consent.withdraw",
                         .purpose = purpose};
    unsigned char id[LV_ID_BYTES], *matches = NULL;
    size_t count = 0;
    int rc = lead_id != NULL ? util_id_from_hex(id, lead_id) : 0;
    if (rc != 0)
        return rc;
    if (lead_id != NULL) {
        event.lead_ids = id;
        event.lead_count = 1;
    }
    /* What the caller supplied is checked before anything is recorded
     * (the gate records a denial with its purpose). */
    if (!purpose_name_valid(purpose))
        return err_set(LV_EINVAL, "purpose: lower-case letters, digits and _ (1 to %d)",
                       LV_PURPOSE_NAME_MAX);
    if ((rc = consent_check_note(note, notice_version, granted)) != 0 ||
        (rc = audit_gate(vault, POLICY_CONSENT_WRITE, &event)) != 0)
        return rc;
    if (expires != 0 && expires <= util_now_ms())
        return err_set(LV_EINVAL, "expires: must be in the future (+30d is 30 days from now; "
                                  "30d was 30 days ago)");
    if (lead_id == NULL && (value == NULL || (by != LV_LOOKUP_EMAIL && by != LV_LOOKUP_PHONE)))
        return err_set(LV_EINVAL, "lookup: an email or a phone is required");
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    store_lead lead;
    rc = consent_check_purpose(vault, purpose, granted);
    if (rc == 0 && lead_id == NULL) {
        rc = consent_lookup_one(vault, by, value, id, &matches, &count);
        event.lead_ids = matches;
        event.lead_count = count;
    }
    if (rc == 0 && (rc = hold_load_changeable(vault, id, &lead)) == 0)
        rc = consent_append(vault, &lead, purpose, granted, note, notice_version, expires, 0);
    rc = audit_commit(vault, rc, &event);
    free(matches);
    if (rc == 0 && found != NULL)
        util_id_to_hex(found, id);
    return rc;
}

int lv_consent_grant(lv_vault *vault, const char *lead_id, const char *purpose,
                     const char *evidence, const char *notice_version, int64_t expires)
{
    err_clear();
    return record(vault, lead_id, 0, NULL, purpose, 1, evidence, notice_version, expires, NULL);
}

int lv_consent_withdraw(lv_vault *vault, const char *lead_id, const char *purpose,
                        const char *reason)
{
    err_clear();
    return record(vault, lead_id, 0, NULL, purpose, 0, reason, NULL, 0, NULL);
}

int lv_consent_grant_by(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1], lv_lookup by,
                        const char *value, const char *purpose, const char *evidence,
                        const char *notice_version, int64_t expires)
{
    err_clear();
    return record(vault, NULL, by, value, purpose, 1, evidence, notice_version, expires, lead_id);
}

int lv_consent_withdraw_by(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1], lv_lookup by,
                           const char *value, const char *purpose, const char *reason)
{
    err_clear();
    return record(vault, NULL, by, value, purpose, 0, reason, NULL, 0, lead_id);
}
