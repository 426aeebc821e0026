/* lead_ops.h - lead writes in steps, for operations that drive their own
 * transactions (add, update, import). */
#ifndef LV_LEAD_OPS_H
#define LV_LEAD_OPS_H

#include "contact.h"
#include "store.h"
#include "lead_record.h"
#include "session.h"

/* Normalized plaintext of each given field, and the seals made from them. */
typedef struct lead_draft {
    char *text[LV_FIELD_COUNT]; /* NULL when empty, or dropped (lead_draft_drop_text) */
    size_t len[LV_FIELD_COUNT];
    int given[LV_FIELD_COUNT];
    uint32_t present; /* bit per field with a value; kept when the text is dropped */
    unsigned char *sealed;               /* the sealed values, in field order (store_lead.sealed) */
    contact_keys contact[CONTACT_SLOTS]; /* by contact_slot(): email, email2, phone, phone2 */
} lead_draft;

/* A new lead from input (no store access, so it may run on another
 * thread than the store's): defaults, metadata, fields validated and
 * normalized, a fresh data key made in key_scratch (guarded memory of the
 * calling thread; wiped after use), wrapped, fields sealed.
 * LV_EINVAL naming the field (never the value). Free d with lead_draft_free
 * whatever the result. */
int lead_prepare(lv_vault *vault, store_lead *lead, lead_draft *d, const lv_lead_input *in,
                 int64_t now, unsigned char key_scratch[KEY_BYTES]);

/* Inside a transaction: refuse a suppressed person (LV_EDENIED), insert the
 * prepared lead and its blind-index entries. Flags, for a bulk import:
 * LEAD_STORE_NO_SUPPRESSIONS: the caller has seen, in this transaction,
 * that the suppression list is empty, so the per-contact lookups are
 * skipped. LEAD_STORE_INDEX_LATER: the caller inserts the index entries
 * (one per present tag slot of lead) itself before the commit. */
enum { LEAD_STORE_NO_SUPPRESSIONS = 1, LEAD_STORE_INDEX_LATER = 2 };
int lead_store_new(lv_vault *vault, store_lead *lead, const lead_draft *d, unsigned flags);

/* Mask of the fields the draft holds a value for. */
uint32_t lead_draft_fields(const lead_draft *d);

/* Wipe and free the draft's plaintext and seals. */
void lead_draft_free(lead_draft *d);

/* Wipe and free the plaintext of a prepared draft, keeping what storing
 * it needs: presence, seals and contact keys (an import queues drafts). */
void lead_draft_drop_text(lead_draft *d);

/* Ids of the leads whose email / phone has keys: blind-index candidates,
 * each decrypted and compared (inside the caller's transaction). */
int lead_match_keys(lv_vault *vault, const contact_keys *keys, unsigned char **ids,
                    size_t *count);

/* Ids of the leads whose email / phone equals value: blind-index
 * candidates, each decrypted and compared. *ids is malloc'd (count * 16
 * bytes). Inside the caller's transaction. */
int lead_match(lv_vault *vault, lv_lookup by, const char *value, unsigned char **ids,
               size_t *count);

/* Inside a transaction: apply input to an existing lead; *changed receives
 * the mask of fields given. */
int lead_apply_update(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                      const lv_lead_input *in, uint32_t *changed);

/* The store's filter of a listing: stage and channel names resolved (case
 * ignored; an unknown one is LV_EINVAL naming the valid ones). */
int lead_filter_resolve(store_lead_filter *out, const lv_lead_filter *filter);

/* Comma-separated names of the fields in mask, for audit entries. */
void lead_mask_names(char out[128], uint32_t mask);

/* The consent rule for one lead under an authorized purpose: 0, or
 * LV_EDENIED when the purpose rests on consent and the lead holds no
 * active one (the consent chain is verified first: LV_ECORRUPT). */
int lead_consent_allows(lv_vault *vault, const store_purpose *p, const store_lead *lead);

#endif
