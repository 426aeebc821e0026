/* erase.h - the one erasure path manual erasure and retention share. */
#ifndef LV_ERASE_H
#define LV_ERASE_H

#include <jansson.h>

#include "audit.h"
#include "session.h"

/* Erase one lead inside the caller's transaction: refuse a held lead
 * (LV_EDENIED), suppress its email / phone when asked, delete its row,
 * index entries, consent records, append its audit entry (ground in the
 * subject) and tombstone, and add it to receipt when non-NULL. Sets
 * event->seq / event->hash to the lead's audit entry. */
int erase_lead(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES], const char *request,
               const char *ground, int suppress, json_t *receipt, audit_event *event);

/* The erasure of a lead (lead_id non-NULL) or of a person (by, value:
 * from the suppression list, to the erasure record made at the same time).
 * info is zeros when nothing is known. Inside a transaction. */
int erase_lookup(lv_vault *vault, const unsigned char *lead_id, lv_lookup by, const char *value,
                 lv_erasure_info *info);

/* LV_ENOTFOUND for a lead or person not in the vault, whose message says,
 * when an erasure is known, "erased on TIME under request REF" (never a
 * value). Inside a transaction. */
int erase_not_found(lv_vault *vault, const unsigned char *lead_id, lv_lookup by, const char *value);

/* Validate a request reference and ground (plain metadata). */
int erase_check_request(const char *request, const char *ground);

/* After the commit: truncate the WAL so no page image survives there. */
int erase_finish(lv_vault *vault);

#endif
