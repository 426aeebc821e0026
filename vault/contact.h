/* contact.h - what a lead's email or phone is searched and suppressed by:
 * its index form (lead_index_form), its blind-index tag and its
 * suppression hash, computed once per value. */
#ifndef LV_CONTACT_H
#define LV_CONTACT_H

#include "store.h"
#include "vault_internal.h"

typedef struct contact_keys {
    lv_lookup kind;                  /* 0 when unset */
    char *form;                      /* malloc'd, wiped by contact_keys_free */
    size_t form_len;
    unsigned char tag[INDEX_TAG_BYTES];      /* keyed BLAKE2b-128, index subkey */
    unsigned char supp[SUPPRESS_HASH_BYTES]; /* keyed BLAKE2b-256, suppression subkey */
} contact_keys;

/* The index kind of a contact field (email, email2, phone, phone2), or 0. */
lv_lookup contact_kind(lv_field field);

/* The field of each tag slot of a lead row (store_lead.tags). */
extern const lv_field contact_slot_field[CONTACT_SLOTS];
/* The slot of a contact field (email 0, email2 1, phone 2, phone2 3), or
 * -1 for any other field. */
int contact_slot(lv_field field);

/* Derive the keys of value. LV_EINVAL when it is not a valid contact or
 * is empty. Free with contact_keys_free whatever the result. */
int contact_keys_make(contact_keys *out, const lv_vault *vault, lv_lookup kind, const char *value,
                      size_t len, const char *country);
void contact_keys_free(contact_keys *keys);

#endif
