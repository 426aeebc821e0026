/* lead_ops.c - lead operations: add, update, reveal (get / find), list.
 * Every operation and its audit entry commit in one transaction; revealed
 * plaintext is handed back only after that commit. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "audit.h"
#include "consent.h"
#include "contact.h"
#include "error.h"
#include "hold.h"
#include "keyslot.h"
#include "lead.h"
#include "lead_country.h"
#include "lead_ops.h"
#include "policy.h"
#include "purpose.h"
#include "seal.h"
#include "secure_block.h"
#include "session.h"
#include "util_array.h"
#include "util_id.h"
#include "util_text.h"
#include "util_time.h"

/* ---- helpers ---- */

/* Comma-separated names of the fields in mask, for audit entries. */
void lead_mask_names(char out[128], uint32_t mask)
{
    size_t at = 0;
    out[0] = '\0';
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (!(mask & (1u << f)))
            continue;
        int n = snprintf(out + at, 128 - at, "%s%s", at ? "," : "", lv_field_name((lv_field)f));
        if (n < 0 || (size_t)n >= 128 - at)
            break;
        at += (size_t)n;
    }
}

/* Apply the metadata members of in onto lead (defaults for a new lead are
 * set by the caller). */
static int apply_metadata(store_lead *lead, const lv_lead_input *in)
{
    int rc;
    const char *name = NULL;
    if (in->source != NULL) {
        if ((rc = lead_source_resolve(&name, in->source)) != 0)
            return rc;
        (void)snprintf(lead->source, sizeof lead->source, "%s", name);
    }
    if (in->stage != NULL) {
        if ((rc = lead_stage_resolve(&name, in->stage)) != 0)
            return rc;
        (void)snprintf(lead->stage, sizeof lead->stage, "%s", name);
    }
    if (in->source_detail != NULL) {
        if ((rc = util_text_check("source_detail", in->source_detail,
                                  sizeof lead->source_detail - 1)) != 0)
            return rc;
        (void)snprintf(lead->source_detail, sizeof lead->source_detail, "%s", in->source_detail);
    }
    if (in->owner != NULL) {
        if (in->owner[0] != '\0' && !lead_user_name_valid(in->owner))
            return err_set(LV_EINVAL, "owner: not a valid user name");
        (void)snprintf(lead->owner, sizeof lead->owner, "%s", in->owner);
    }
    if (in->country != NULL) {
        if (in->country[0] == '\0')
            lead->country[0] = '\0';
        else if ((rc = lead_country_normalize(lead->country, in->country)) != 0)
            return rc;
    }
    for (int i = 0; i < LV_SIGNAL_COUNT; i++) {
        if (in->signal[i] == LV_SIGNAL_UNSET)
            continue;
        if (in->signal[i] < LV_SIGNAL_UNKNOWN || in->signal[i] > LV_SIGNAL_NO)
            return err_set(LV_EINVAL, "signal: must be yes, no or unknown");
        lead->signal[i] = in->signal[i];
    }
    if (in->last_contact < 0)
        return err_set(LV_EINVAL, "last_contact: negative time");
    if (in->last_contact > 0)
        lead->last_contact = in->last_contact;
    return 0;
}

void lead_draft_drop_text(lead_draft *d)
{
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        lead_text_free(d->text[f], d->len[f]);
        d->text[f] = NULL;
        d->len[f] = 0;
    }
}

void lead_draft_free(lead_draft *d)
{
    lead_draft_drop_text(d);
    free(d->sealed);
    for (int i = 0; i < CONTACT_SLOTS; i++)
        contact_keys_free(&d->contact[i]);
    memset(d, 0, sizeof *d);
}

static int draft_normalize(lead_draft *d, const lv_vault *vault, const lv_lead_input *in,
                           const char *country)
{
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (in->field[f] == NULL)
            continue;
        size_t len = in->field_len[f] ? in->field_len[f] : strlen(in->field[f]);
        d->given[f] = 1;
        int rc = lead_field_normalize(&d->text[f], &d->len[f], (lv_field)f, in->field[f], len,
                                      country[0] ? country : NULL);
        d->present |= rc == 0 && d->text[f] != NULL ? 1u << f : 0;
        /* A contact's index form and tag, once, from its normalized value. */
        lv_lookup kind = contact_kind((lv_field)f);
        if (rc == 0 && kind != 0 && d->text[f] != NULL)
            rc = contact_keys_of_normalized(&d->contact[contact_slot((lv_field)f)], vault, kind,
                                            d->text[f], d->len[f]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The given fields' sealed values, one after the other in one block (one
 * allocation per lead, not one per field: an import prepares 100k rows a
 * second). */
static int draft_seal(lead_draft *d, store_lead *lead, const unsigned char key[KEY_BYTES],
                      const unsigned char vault_id[LV_ID_BYTES])
{
    size_t total = 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        total += d->given[f] && d->text[f] != NULL ? seal_size(d->len[f]) : 0;
    if (total > 0 && (d->sealed = malloc(total)) == NULL)
        return err_set(LV_ERROR, "out of memory");
    unsigned char *at = d->sealed;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (!d->given[f])
            continue;
        if (d->text[f] == NULL) { /* cleared */
            lead->sealed[f] = NULL;
            lead->sealed_len[f] = 0;
            continue;
        }
        seal_field(at, (const unsigned char *)d->text[f], d->len[f], key, vault_id, lead->id,
                   (lv_field)f);
        lead->sealed[f] = at;
        lead->sealed_len[f] = seal_size(d->len[f]);
        at += seal_size(d->len[f]);
    }
    return 0;
}

/* The fields an index kind covers: primary and secondary contact. */
static const lv_field index_fields[][2] = {
    [LV_LOOKUP_EMAIL] = {LV_FIELD_EMAIL, LV_FIELD_EMAIL2},
    [LV_LOOKUP_PHONE] = {LV_FIELD_PHONE, LV_FIELD_PHONE2},
};

/* A lead's tag slots before a change, to update its index entries. */
typedef struct tag_state {
    unsigned char tags[CONTACT_SLOTS][INDEX_TAG_BYTES];
    unsigned char present;
} tag_state;

/* Record in the lead row the tags of the contacts the draft gives; keep
 * the old state in *old. */
static void tags_apply(store_lead *lead, const lead_draft *d, tag_state *old)
{
    memcpy(old->tags, lead->tags, sizeof old->tags);
    old->present = lead->tag_present;
    for (int i = 0; i < CONTACT_SLOTS; i++) {
        lv_field f = contact_slot_field[i];
        if (!d->given[f])
            continue;
        if (d->present & (1u << f)) {
            memcpy(lead->tags[i], d->contact[i].tag, INDEX_TAG_BYTES);
            lead->tag_present |= (unsigned char)(1u << i);
        } else {
            memset(lead->tags[i], 0, INDEX_TAG_BYTES);
            lead->tag_present &= (unsigned char)~(1u << i);
        }
    }
}

/* 1 when state (tags, present) holds tag in a slot of the same kind. */
static int holds(const unsigned char tags[][INDEX_TAG_BYTES], unsigned char present, lv_lookup kind,
                 const unsigned char *tag)
{
    for (int j = 0; j < CONTACT_SLOTS; j++) {
        if ((present >> j & 1) && contact_kind(contact_slot_field[j]) == kind &&
            sodium_memcmp(tags[j], tag, INDEX_TAG_BYTES) == 0)
            return 1;
    }
    return 0;
}

/* Bring the blind index from the old tag state to the lead's current one. */
static int index_sync(lv_vault *vault, const store_lead *lead, const tag_state *old)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < CONTACT_SLOTS; i++) {
        lv_lookup kind = contact_kind(contact_slot_field[i]);
        if ((old->present >> i & 1) && !holds(lead->tags, lead->tag_present, kind, old->tags[i]))
            rc = store_index_delete(vault->store, kind, old->tags[i], lead->id);
    }
    for (int i = 0; rc == 0 && i < CONTACT_SLOTS; i++) {
        lv_lookup kind = contact_kind(contact_slot_field[i]);
        if ((lead->tag_present >> i & 1) &&
            !holds((const unsigned char(*)[INDEX_TAG_BYTES])old->tags, old->present, kind,
                   lead->tags[i]))
            rc = store_index_put(vault->store, kind, lead->tags[i], lead->id);
    }
    return rc;
}

/* A person on the suppression list (erased at their request) must not come
 * back through add or update. */
static int refuse_suppressed(lv_vault *vault, const lead_draft *d)
{
    for (int slot = 0; slot < CONTACT_SLOTS; slot++) {
        lv_field f = contact_slot_field[slot];
        int found = 0;
        if (!(d->present & (1u << f)))
            continue;
        unsigned char hash[SUPPRESS_HASH_BYTES];
        int rc = contact_suppress_find(hash, &found, vault, &d->contact[slot]);
        if (rc != 0)
            return rc;
        if (found)
            return err_set(LV_EDENIED,
                           "denied: this %s is on the suppression list (the person "
                           "asked to be erased); see 'leadvault suppress'",
                           lv_field_name(f));
    }
    return 0;
}

/* Time-ordered ids: 48-bit millisecond time, then 80 random bits, so the
 * id index grows at its end. */
static void new_lead_id(unsigned char id[LV_ID_BYTES], int64_t now_ms)
{
    for (int i = 0; i < 6; i++)
        id[i] = (unsigned char)((uint64_t)now_ms >> (40 - 8 * i));
    key_random(id + 6, LV_ID_BYTES - 6);
}

/* ---- add / update ---- */

int lead_prepare(lv_vault *vault, store_lead *lead, lead_draft *d, const lv_lead_input *in,
                 int64_t now, unsigned char key_scratch[KEY_BYTES])
{
    memset(lead, 0, sizeof *lead);
    memset(d, 0, sizeof *d);
    new_lead_id(lead->id, now);
    (void)snprintf(lead->source, sizeof lead->source, "other");
    (void)snprintf(lead->stage, sizeof lead->stage, "new");
    (void)snprintf(lead->owner, sizeof lead->owner, "%s", vault->user);
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        lead->signal[i] = LV_SIGNAL_UNKNOWN;
    lead->created = lead->updated = now;
    int rc;
    if ((rc = apply_metadata(lead, in)) != 0 ||
        (rc = draft_normalize(d, vault, in, lead->country)) != 0)
        return rc;
    const uint32_t identifying = 1u << LV_FIELD_FIRST_NAME | 1u << LV_FIELD_LAST_NAME |
                                 1u << LV_FIELD_EMAIL | 1u << LV_FIELD_PHONE |
                                 1u << LV_FIELD_EMAIL2 | 1u << LV_FIELD_PHONE2;
    if (!(d->present & identifying))
        return err_set(LV_EINVAL, "a lead needs at least one of first_name, last_name, email, "
                                  "phone");
    if ((rc = keyring_require(vault->keys, SUBKEY_DATA_WRAP)) != 0)
        return rc;
    unsigned char *key = key_scratch;
    key_random(key, KEY_BYTES);
    unsigned char ad[LEADKEY_AD_BYTES];
    seal_leadkey_ad(ad, vault->id, lead->id);
    lead->generation = vault->keys->generation;
    key_wrap(lead->wrapped_key, key, vault->keys->subkey[SUBKEY_DATA_WRAP], ad, sizeof ad);
    rc = draft_seal(d, lead, key, vault->id);
    sodium_memzero(key, KEY_BYTES);
    tag_state none;
    tags_apply(lead, d, &none);
    lead_mac(lead->mac, vault, lead);
    return rc;
}

int lead_store_new(lv_vault *vault, store_lead *lead, const lead_draft *d, unsigned flags)
{
    static const tag_state none;
    int rc = flags & LEAD_STORE_NO_SUPPRESSIONS ? 0 : refuse_suppressed(vault, d);
    if (rc == 0)
        rc = store_lead_insert(vault->store, lead);
    if (rc == 0 && !(flags & LEAD_STORE_INDEX_LATER))
        rc = index_sync(vault, lead, &none);
    return rc;
}

uint32_t lead_draft_fields(const lead_draft *d)
{
    return d->present;
}

int lv_lead_add(lv_vault *vault, char out_id[LV_ID_STRLEN + 1], const lv_lead_input *in)
{
    err_clear();
    out_id[0] = '\0';
    audit_event event = {.action = "lead.add"};
    int rc = audit_gate(vault, POLICY_LEAD_WRITE, &event);
    if (rc != 0)
        return rc;
    if (in == NULL || in->version != LV_LEAD_INPUT_VERSION)
        return err_set(LV_EINVAL, "lead input: wrong version");
    store_lead lead;
    lead_draft d;
    char fields[128];
    unsigned char *key = session_scratch(vault, KEY_BYTES);
    if (key == NULL)
        return err_set(LV_ERROR, "out of memory");
    if ((rc = lead_prepare(vault, &lead, &d, in, util_now_ms(), key)) != 0) {
        if (rc != LV_EBUSY) {
            event.code = rc;
            audit_record_failure(vault, &event);
        }
        lead_draft_free(&d);
        return rc;
    }
    lead_mask_names(fields, lead_draft_fields(&d));
    event.fields = fields;
    event.lead_ids = lead.id;
    event.lead_count = 1;
    if ((rc = store_begin(vault->store)) == 0 &&
        (rc = audit_commit(vault, lead_store_new(vault, &lead, &d, 0u), &event)) == 0)
        util_id_to_hex(out_id, lead.id);
    lead_draft_free(&d);
    return rc;
}

int lead_apply_update(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                      const lv_lead_input *in, uint32_t *changed)
{
    store_lead lead;
    lead_draft d;
    memset(&d, 0, sizeof d);
    *changed = 0;
    unsigned char *key = sodium_malloc(KEY_BYTES);
    if (key == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc;
    if ((rc = hold_load_changeable(vault, lead_id, &lead)) != 0 ||
        (rc = lead_key_unwrap(key, vault, &lead)) != 0 || (rc = apply_metadata(&lead, in)) != 0 ||
        (rc = draft_normalize(&d, vault, in, lead.country)) != 0 ||
        (rc = draft_seal(&d, &lead, key, vault->id)) != 0)
        goto done;
    int identifying = 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        *changed |= d.given[f] ? 1u << f : 0;
        int contact_or_name = f <= LV_FIELD_PHONE || f == LV_FIELD_EMAIL2 || f == LV_FIELD_PHONE2;
        identifying |= contact_or_name && lead.sealed[f] != NULL;
    }
    if (!identifying) {
        rc = err_set(LV_EINVAL, "a lead needs at least one of first_name, last_name, email, "
                                "phone");
        goto done;
    }
    lead.updated = util_now_ms();
    tag_state old;
    tags_apply(&lead, &d, &old);
    lead_mac(lead.mac, vault, &lead);
    if ((rc = refuse_suppressed(vault, &d)) == 0 &&
        (rc = store_lead_update(vault->store, &lead)) == 0)
        rc = index_sync(vault, &lead, &old);
done:
    sodium_free(key);
    lead_draft_free(&d);
    return rc;
}

int lv_lead_update(lv_vault *vault, const char *id, const lv_lead_input *in)
{
    err_clear();
    audit_event event = {.action = "lead.update"};
    unsigned char lead_id[LV_ID_BYTES];
    int rc = audit_gate(vault, POLICY_LEAD_WRITE, &event);
    if (rc != 0)
        return rc;
    if (in == NULL || in->version != LV_LEAD_INPUT_VERSION)
        return err_set(LV_EINVAL, "lead input: wrong version");
    if ((rc = util_id_from_hex(lead_id, id)) != 0)
        return rc;
    event.lead_ids = lead_id;
    event.lead_count = 1;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    uint32_t changed = 0;
    char fields[128];
    rc = lead_apply_update(vault, lead_id, in, &changed);
    lead_mask_names(fields, changed);
    event.fields = fields;
    return audit_commit(vault, rc, &event);
}

/* ---- reveal ---- */

static int reveal_access(lv_vault *vault, audit_event *event, const char *purpose)
{
    if (!purpose_name_valid(purpose))
        return err_set(LV_EINVAL, "purpose: required (lower-case letters, digits and _)");
    return audit_gate(vault, POLICY_LEAD_REVEAL, event);
}

/* The consent rule for one lead, under an already authorized purpose. */
int lead_consent_allows(lv_vault *vault, const store_purpose *p, const store_lead *lead)
{
    int active = 0;
    if (p->basis == LV_BASIS_CONSENT) {
        int rc = consent_is_active(vault, lead, p->name, util_now_ms(), &active);
        if (rc != 0)
            return rc;
    }
    policy_purpose pp;
    purpose_to_policy(&pp, p);
    return policy_reveal_consent(&pp, active);
}

int lv_lead_get(lv_lead **out, lv_vault *vault, const char *id, const char *purpose,
                uint32_t fields)
{
    err_clear();
    *out = NULL;
    unsigned char lead_id[LV_ID_BYTES];
    char names[128];
    if (fields & ~LV_FIELD_MASK_ALL)
        return err_set(LV_EINVAL, "fields: unknown field bits");
    uint32_t mask = fields;
    lead_mask_names(names, mask);
    audit_event event = {.action = "lead.get", .purpose = purpose, .fields = names};
    int rc = util_id_from_hex(lead_id, id);
    if (rc != 0)
        return rc;
    event.lead_ids = lead_id;
    event.lead_count = 1;
    if ((rc = reveal_access(vault, &event, purpose)) != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    store_lead lead;
    store_purpose p;
    lv_lead *result = NULL;
    if ((rc = purpose_authorize(vault, purpose, mask, &p, &mask)) == 0) {
        lead_mask_names(names, mask);
        if ((rc = lead_load(vault, lead_id, &lead)) == 0 &&
            (rc = session_require_owner(vault, lead.owner, id)) == 0 &&
            (rc = lead_consent_allows(vault, &p, &lead)) == 0)
            rc = lead_reveal(&result, vault, &lead, mask);
    }
    /* Plaintext leaves only after its audit entry is committed. */
    if ((rc = audit_commit(vault, rc, &event)) != 0) {
        lv_lead_free(result);
        return rc;
    }
    *out = result;
    return 0;
}

typedef struct match_ctx {
    lv_vault *vault;
    lv_lookup by;
    const char *form; /* index form of the value searched for */
    size_t form_len;
    unsigned char *ids;
    size_t count, cap;
} match_ctx;

static int match_candidate(void *ctx, const unsigned char id[LV_ID_BYTES])
{
    match_ctx *c = ctx;
    store_lead lead;
    int rc = lead_load(c->vault, id, &lead);
    if (rc == LV_ENOTFOUND)
        return 0; /* a stale index entry is no match */
    if (rc != 0)
        return rc;
    const lv_field *fields = index_fields[c->by];
    /* The index only proposes; the decrypted value decides. Key and value
     * are opened into the session's guarded scratch. */
    size_t need = KEY_BYTES;
    for (int i = 0; i < 2; i++)
        need += lead.sealed[fields[i]] != NULL ? lead.sealed_len[fields[i]] : 0;
    unsigned char *key = session_scratch(c->vault, need);
    if (key == NULL)
        return err_set(LV_ERROR, "out of memory");
    unsigned char *plain = key + KEY_BYTES;
    if ((rc = lead_key_unwrap(key, c->vault, &lead)) != 0)
        return rc;
    int match = 0;
    for (int i = 0; i < 2 && !match && rc == 0; i++) {
        lv_field field = fields[i];
        if (lead.sealed[field] == NULL)
            continue;
        if (lead.sealed_len[field] < SEAL_OVERHEAD ||
            seal_open_field(plain, lead.sealed[field], lead.sealed_len[field], key, c->vault->id,
                            lead.id, field) != 0) {
            char hex[LV_ID_STRLEN + 1];
            util_id_to_hex(hex, lead.id);
            rc = err_set(LV_ECORRUPT, "integrity failure: lead %s, field %s", hex,
                         lv_field_name(field));
            break;
        }
        size_t len = lead.sealed_len[field] - SEAL_OVERHEAD;
        char *form = NULL;
        size_t form_len = 0;
        int form_rc =
            lead_index_form_of_normalized(&form, &form_len, c->by, (const char *)plain, len);
        if (form_rc == 0 && form != NULL)
            match = form_len == c->form_len && sodium_memcmp(form, c->form, form_len) == 0;
        /* Out of memory is an error, not "no such lead". */
        if (form_rc == LV_ERROR)
            rc = form_rc;
        lead_text_free(form, form_len);
        sodium_memzero(plain, len);
    }
    sodium_memzero(key, KEY_BYTES);
    if (rc != 0)
        return rc;
    if (!match)
        return 0;
    if (util_array_grow((void **)&c->ids, &c->cap, c->count + 1, LV_ID_BYTES, 4) != 0)
        return LV_ERROR;
    memcpy(c->ids + c->count++ * LV_ID_BYTES, id, LV_ID_BYTES);
    return 0;
}

int lead_match_keys(lv_vault *vault, const contact_keys *keys, unsigned char **ids, size_t *count)
{
    *ids = NULL;
    *count = 0;
    match_ctx c = {
        .vault = vault, .by = keys->kind, .form = keys->form, .form_len = keys->form_len};
    int rc = store_index_lookup(vault->store, keys->kind, keys->tag, match_candidate, &c);
    if (rc != 0) {
        free(c.ids);
        return rc;
    }
    *ids = c.ids;
    *count = c.count;
    return 0;
}

int lead_match(lv_vault *vault, lv_lookup by, const char *value, unsigned char **ids, size_t *count)
{
    *ids = NULL;
    *count = 0;
    if (by != LV_LOOKUP_EMAIL && by != LV_LOOKUP_PHONE)
        return err_set(LV_EINVAL, "lookup: must be by email or phone");
    if (value == NULL)
        return err_set(LV_EINVAL, "%s: required", by == LV_LOOKUP_EMAIL ? "email" : "phone");
    contact_keys keys;
    int rc = contact_keys_make(&keys, vault, by, value, strlen(value), NULL);
    if (rc == 0)
        rc = lead_match_keys(vault, &keys, ids, count);
    contact_keys_free(&keys);
    return rc;
}

/* Reveal each matched lead the caller's scope and the purpose's consent
 * rule allow. */
static int reveal_matches(lv_vault *vault, const store_purpose *p, uint32_t mask,
                          unsigned char *ids, size_t *count, lv_lead **items)
{
    size_t kept = 0, denied = 0, foreign = 0;
    for (size_t i = 0; i < *count; i++) {
        const unsigned char *id = ids + i * LV_ID_BYTES;
        store_lead lead;
        int rc = lead_load(vault, id, &lead);
        if (rc == 0 && !session_may_read(vault, lead.owner)) {
            foreign++;
            continue;
        }
        if (rc == 0 && (rc = lead_consent_allows(vault, p, &lead)) == LV_EDENIED) {
            denied++;
            continue;
        }
        if (rc == 0)
            rc = lead_reveal(&items[kept], vault, &lead, mask);
        if (rc != 0) {
            *count = kept;
            return rc;
        }
        memmove(ids + kept * LV_ID_BYTES, id, LV_ID_BYTES);
        kept++;
    }
    *count = kept;
    if (kept == 0 && foreign > 0)
        return err_set(LV_EDENIED, "denied: user %s may only read the leads they own", vault->user);
    if (kept == 0 && denied > 0)
        return err_set(LV_EDENIED,
                       "denied: the matching lead has no active consent for "
                       "purpose %s",
                       p->name);
    return 0;
}

int lv_lead_find(lv_lead ***out, size_t *count, lv_vault *vault, lv_lookup by, const char *value,
                 const char *purpose, uint32_t fields)
{
    err_clear();
    *out = NULL;
    *count = 0;
    char names[128];
    if (fields & ~LV_FIELD_MASK_ALL)
        return err_set(LV_EINVAL, "fields: unknown field bits");
    uint32_t mask = fields;
    lead_mask_names(names, mask);
    audit_event event = {.action = by == LV_LOOKUP_PHONE ? "lead.find.phone" : "lead.find.email",
                         .purpose = purpose,
                         .fields = names};
    int rc = reveal_access(vault, &event, purpose);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    store_purpose p;
    unsigned char *ids = NULL;
    size_t n = 0;
    lv_lead **items = NULL;
    if ((rc = purpose_authorize(vault, purpose, mask, &p, &mask)) == 0 &&
        (rc = lead_match(vault, by, value, &ids, &n)) == 0) {
        lead_mask_names(names, mask);
        /* items holds pointers: sizeof *items is a pointer's size.
         * NOLINTNEXTLINE(bugprone-sizeof-expression) */
        items = calloc(n ? n : 1, sizeof *items);
        rc = items == NULL ? err_set(LV_ERROR, "out of memory")
                           : reveal_matches(vault, &p, mask, ids, &n, items);
    }
    event.lead_ids = ids;
    event.lead_count = rc == 0 ? n : 0;
    /* Plaintext leaves only after its audit entry is committed. */
    rc = audit_commit(vault, rc, &event);
    free(ids);
    if (rc != 0) {
        lv_lead_list_free(items, n);
        return rc;
    }
    *out = items;
    *count = n;
    return 0;
}

/* ---- list ---- */

typedef struct list_ctx {
    lv_lead_meta_fn fn;
    void *ctx;
    store_lead_filter filter;
} list_ctx;

static int list_one(void *ctx, const store_lead *lead)
{
    list_ctx *c = ctx;
    lv_lead_meta meta;
    lead_meta_from_store(&meta, lead);
    return c->fn(c->ctx, &meta) != 0 ? 1 : 0;
}

int lead_filter_resolve(store_lead_filter *out, const lv_lead_filter *filter)
{
    memset(out, 0, sizeof *out);
    if (filter == NULL)
        return 0;
    out->owner = filter->owner;
    /* An unknown name would match nothing: refused, not an empty list. */
    int rc = filter->stage != NULL ? lead_stage_resolve(&out->stage, filter->stage) : 0;
    if (rc == 0 && filter->source != NULL)
        rc = lead_source_resolve(&out->source, filter->source);
    return rc;
}

static int list_walk(lv_vault *vault, void *ctx)
{
    list_ctx *c = ctx;
    return store_lead_each(vault->store, &c->filter, 0, list_one, c);
}

int lv_lead_list(lv_vault *vault, const lv_lead_filter *filter, lv_lead_meta_fn fn, void *ctx)
{
    err_clear();
    audit_event event = {.action = "lead.list"};
    list_ctx c = {.fn = fn, .ctx = ctx};
    int rc = lead_filter_resolve(&c.filter, filter);
    if (rc != 0)
        return rc;
    /* The entry is committed before the first lead is handed out. */
    return audit_then_read(vault, POLICY_LEAD_LIST, &event, list_walk, &c);
}

/* ---- owner ---- */

int lv_lead_assign(lv_vault *vault, const char *id, const char *user)
{
    err_clear();
    unsigned char lead_id[LV_ID_BYTES];
    audit_event event = {.action = "lead.assign", .subject = user};
    int rc = util_id_from_hex(lead_id, id);
    if (rc != 0)
        return rc;
    if (user == NULL || !lead_user_name_valid(user))
        return err_set(LV_EINVAL, "user name: 1 to %d characters of A-Z a-z 0-9 . _ -",
                       LV_NAME_MAX);
    event.lead_ids = lead_id;
    event.lead_count = 1;
    if ((rc = audit_gate(vault, POLICY_LEAD_ASSIGN, &event)) != 0 ||
        (rc = store_begin(vault->store)) != 0)
        return rc;
    store_keyslot slot;
    store_lead lead;
    /* The new owner must be a user whose keyslot is authentic. The lead is
     * read last: its sealed values point into the store until the next
     * store call, and the update writes them back unchanged. */
    rc = store_keyslot_get(vault->store, user, &slot);
    if (rc == LV_ENOTFOUND)
        rc = err_set(LV_ENOTFOUND, "no user '%s'", user);
    else if (rc == 0 && !keyslot_mac_valid(&slot, vault->keys, vault->id))
        rc = err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check", user);
    if (rc == 0 && (rc = lead_load(vault, lead_id, &lead)) == 0) {
        (void)snprintf(lead.owner, sizeof lead.owner, "%s", user);
        lead.updated = util_now_ms();
        lead_mac(lead.mac, vault, &lead);
        rc = store_lead_update(vault->store, &lead);
    }
    return audit_commit(vault, rc, &event);
}
