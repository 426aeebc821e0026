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

/* Validate a request reference and ground (plain metadata). */
int erase_check_request(const char *request, const char *ground);

/* After the commit: truncate the WAL so no page image survives there. */
int erase_finish(lv_vault *vault);

#endif
