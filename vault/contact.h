/* contact.h - what a lead's email or phone is searched and suppressed by:
 * its index form (lead_index_form) and its blind-index tag, computed once
 * per value, and from the form, when the suppression list is to be
 * consulted, its suppression hash. */
#ifndef LV_CONTACT_H
#define LV_CONTACT_H

#include "session.h"
#include "store.h"

typedef struct contact_keys {
    lv_lookup kind; /* 0 when unset */
    char *form;     /* malloc'd, wiped by contact_keys_free */
    size_t form_len;
    unsigned char tag[INDEX_TAG_BYTES]; /* keyed BLAKE2b-128, index subkey */
} contact_keys;

/* The index kind of a contact field (email, email2, phone, phone2), or 0. */
lv_lookup contact_kind(lv_field field);

/* The field of each tag slot of a lead row (store_lead.tags): email,
 * email2, phone, phone2, the order in which lookups try them. Every loop
 * over a lead's contacts goes through this table and contact_kind. */
extern const lv_field contact_slot_field[CONTACT_SLOTS];
/* The contact fields as a field mask. */
#define CONTACT_FIELD_MASK                                                                         \
    ((1u << LV_FIELD_EMAIL) | (1u << LV_FIELD_EMAIL2) | (1u << LV_FIELD_PHONE) |                   \
     (1u << LV_FIELD_PHONE2))
/* The slot of a contact field (email 0, email2 1, phone 2, phone2 3), or
 * -1 for any other field. */
int contact_slot(lv_field field);

/* Derive the keys of value. LV_EINVAL when it is not a valid contact or
 * is empty, LV_EDENIED when the session holds no index key (auditor),
 * LV_EBUSY while a rekey is half done. Free with contact_keys_free whatever the result. */
int contact_keys_make(contact_keys *out, const lv_vault *vault, lv_lookup kind, const char *value,
                      size_t len, const char *country);
/* The same from a value lead_field_normalize gave (see
 * lead_index_form_of_normalized). */
int contact_keys_of_normalized(contact_keys *out, const lv_vault *vault, lv_lookup kind,
                               const char *value, size_t len);
void contact_keys_free(contact_keys *keys);

/* The suppression hash of the value keys were made from: keyed
 * BLAKE2b-256 under the suppression subkey (docs/format.md). Only a
 * suppression check needs it, so it is not made with the keys: an import
 * into a vault with an empty suppression list never computes one. */
void contact_suppress_hash(unsigned char out[SUPPRESS_HASH_BYTES], const lv_vault *vault,
                           const contact_keys *keys);

/* The suppression entry of keys' value, under the current generation's key
 * or any kept older one (a rekey keeps old suppression keys for lookups:
 * the list's plaintext is gone by design, so its hashes cannot be
 * recomputed). *found 1 and hash the stored one when there is an entry;
 * else *found 0 and hash the current generation's. */
int contact_suppress_find(unsigned char hash[SUPPRESS_HASH_BYTES], int *found, lv_vault *vault,
                          const contact_keys *keys);

#endif
