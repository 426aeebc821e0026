/* lead_record.h - a stored lead as a record: its MAC, its data key, its
 * sealed fields opened, its metadata. The layer under lead operations and
 * consent, which both read leads. */
#ifndef LV_LEAD_RECORD_H
#define LV_LEAD_RECORD_H

#include "session.h"
#include "store.h"

/* MAC of a lead's metadata and consent head (docs/format.md):
 * a plain-SQL edit of stage, dates, owner or the consent history of a lead
 * is an integrity failure. */
void lead_mac(unsigned char out[MAC_BYTES], const lv_vault *vault, const store_lead *lead);
/* 0, or LV_ECORRUPT naming the lead. */
int lead_mac_check(const lv_vault *vault, const store_lead *lead);
/* LV_ENOTFOUND for a lead the vault does not hold: "no such lead", and
 * for an erased one "no such lead: erased on TIME under request REF"
 * (from its tombstone; no personal data). */
int lead_not_found(lv_vault *vault, const unsigned char id[LV_ID_BYTES]);
/* store_lead_get and lead_mac_check; an unknown id as lead_not_found. */
int lead_load(lv_vault *vault, const unsigned char id[LV_ID_BYTES], store_lead *out);

/* Unwrap a lead's data key (LV_ECORRUPT naming the lead). */
int lead_key_unwrap(unsigned char key[KEY_BYTES], const lv_vault *vault, const store_lead *lead);

/* The public metadata of a stored lead (no personal data). */
void lead_meta_from_store(lv_lead_meta *meta, const store_lead *lead);

/* Bytes a buffer for lead_open_fields needs. */
size_t lead_open_size(const store_lead *lead, uint32_t mask);
/* Decrypt the fields of mask into buf (lead_open_size bytes, guarded
 * memory the caller wipes); values[f] point into it, NUL-terminated, NULL
 * for fields not asked or empty. LV_ECORRUPT names lead and field. */
int lead_open_fields(const lv_vault *vault, const store_lead *lead, uint32_t mask,
                     unsigned char *buf, char *values[LV_FIELD_COUNT], size_t lens[LV_FIELD_COUNT]);

/* Decrypt the fields of mask of a stored lead into a new lv_lead (no
 * policy: callers decide). On a failure to open, the error names lead
 * and field, never a value. */
int lead_reveal(lv_lead **out, const lv_vault *vault, const store_lead *lead, uint32_t mask);

#endif
