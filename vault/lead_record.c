/* lead_record.c - a stored lead as a record: MAC, data key, sealed fields
 * opened into guarded memory, metadata. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keys.h"
#include "lead.h"
#include "lead_record.h"
#include "seal.h"
#include "secure_block.h"
#include "util_id.h"

/* A revealed lead and the one guarded block that holds its values. */
typedef struct revealed {
    lv_lead pub; /* first: lv_lead * and revealed * are interchangeable */
    unsigned char *block;
    size_t block_cap;
} revealed;

void lv_lead_free(lv_lead *lead)
{
    if (lead == NULL)
        return;
    revealed *r = (revealed *)lead;
    secure_block_put(r->block, r->block_cap); /* wiped at once */
    sodium_memzero(r, sizeof *r);
    free(r);
}

void lv_lead_list_free(lv_lead **leads, size_t count)
{
    for (size_t i = 0; leads != NULL && i < count; i++)
        lv_lead_free(leads[i]);
    free(leads);
}

void lead_mac(unsigned char out[MAC_BYTES], const lv_vault *vault, const store_lead *lead)
{
    record_mac m;
    record_mac_begin(&m, vault->keys, "lvL1", vault->id);
    record_mac_bytes(&m, lead->id, LV_ID_BYTES);
    record_mac_text(&m, lead->source);
    record_mac_text(&m, lead->source_detail);
    record_mac_text(&m, lead->stage);
    record_mac_text(&m, lead->owner);
    record_mac_text(&m, lead->country);
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        record_mac_int(&m, lead->signal[i]);
    record_mac_int(&m, lead->created);
    record_mac_int(&m, lead->updated);
    record_mac_int(&m, lead->last_contact);
    /* The wrapped data key is authenticated by its own AEAD (bound to vault
     * and lead), so a flipped byte there is reported as data_key. */
    record_mac_bytes(&m, lead->consent_head, MAC_BYTES);
    record_mac_int(&m, lead->tag_present);
    record_mac_bytes(&m, lead->tags, sizeof lead->tags);
    record_mac_end(&m, out);
}

int lead_mac_check(const lv_vault *vault, const store_lead *lead)
{
    unsigned char mac[MAC_BYTES];
    lead_mac(mac, vault, lead);
    return record_mac_require(mac, lead->mac, lead->id, "lead ",
                              ", metadata or consent history altered");
}

int lead_not_found(lv_vault *vault, const unsigned char id[LV_ID_BYTES])
{
    store_erasure e;
    int rc = store_tombstone_get(vault->store, id, 0, &e);
    if (rc == LV_ENOTFOUND)
        return err_set(LV_ENOTFOUND, "no such lead");
    if (rc != 0)
        return rc;
    char when[32];
    lv_time_format(when, e.time);
    return err_set(LV_ENOTFOUND, "no such lead: erased on %s under request %s", when, e.request);
}

int lead_load(lv_vault *vault, const unsigned char id[LV_ID_BYTES], store_lead *out)
{
    int rc = store_lead_get(vault->store, id, out);
    if (rc == LV_ENOTFOUND)
        return lead_not_found(vault, id);
    return rc != 0 ? rc : lead_mac_check(vault, out);
}

int lead_key_unwrap(unsigned char key[KEY_BYTES], const lv_vault *vault, const store_lead *lead)
{
    unsigned char ad[LEADKEY_AD_BYTES];
    seal_leadkey_ad(ad, vault->id, lead->id);
    const unsigned char *wrap = keyring_wrap_for(vault->keys, lead->generation);
    if (wrap == NULL)
        return keyring_wrap_missing(vault->keys, lead->generation);
    if (key_unwrap(key, lead->wrapped_key, wrap, ad, sizeof ad) != 0) {
        char id[LV_ID_STRLEN + 1];
        util_id_to_hex(id, lead->id);
        return err_set(LV_ECORRUPT, "integrity failure: lead %s, field data_key", id);
    }
    return 0;
}

void lead_meta_from_store(lv_lead_meta *meta, const store_lead *lead)
{
    memset(meta, 0, sizeof *meta);
    util_id_to_hex(meta->id, lead->id);
    (void)snprintf(meta->source, sizeof meta->source, "%s", lead->source);
    (void)snprintf(meta->source_detail, sizeof meta->source_detail, "%s", lead->source_detail);
    (void)snprintf(meta->stage, sizeof meta->stage, "%s", lead->stage);
    (void)snprintf(meta->owner, sizeof meta->owner, "%s", lead->owner);
    (void)snprintf(meta->country, sizeof meta->country, "%s", lead->country);
    for (int i = 0; i < LV_SIGNAL_COUNT; i++) {
        int s = lead->signal[i];
        meta->signal[i] =
            s >= LV_SIGNAL_UNKNOWN && s <= LV_SIGNAL_NO ? (lv_signal)s : LV_SIGNAL_UNKNOWN;
    }
    meta->quality = lv_lead_quality(meta->signal);
    meta->created = lead->created;
    meta->updated = lead->updated;
    meta->last_contact = lead->last_contact;
}

size_t lead_open_size(const store_lead *lead, uint32_t mask)
{
    size_t total = KEY_BYTES;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if ((mask & (1u << f)) && lead->sealed[f] != NULL && lead->sealed_len[f] >= SEAL_OVERHEAD)
            total += lead->sealed_len[f] - SEAL_OVERHEAD + 1;
    }
    return total;
}

int lead_open_fields(const lv_vault *vault, const store_lead *lead, uint32_t mask,
                     unsigned char *buf, char *values[LV_FIELD_COUNT], size_t lens[LV_FIELD_COUNT])
{
    char id[LV_ID_STRLEN + 1];
    unsigned char *key = buf; /* the data key sits first and is wiped below */
    int rc = lead_key_unwrap(key, vault, lead);
    size_t at = KEY_BYTES;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        values[f] = NULL;
        lens[f] = 0;
    }
    for (int f = 0; rc == 0 && f < LV_FIELD_COUNT; f++) {
        if (!(mask & (1u << f)) || lead->sealed[f] == NULL)
            continue;
        if (lead->sealed_len[f] < SEAL_OVERHEAD ||
            seal_open_field(buf + at, lead->sealed[f], lead->sealed_len[f], key, vault->id,
                            lead->id, (lv_field)f) != 0) {
            util_id_to_hex(id, lead->id);
            rc = err_set(LV_ECORRUPT, "integrity failure: lead %s, field %s", id,
                         lv_field_name((lv_field)f));
            break;
        }
        size_t len = lead->sealed_len[f] - SEAL_OVERHEAD;
        buf[at + len] = '\0';
        values[f] = (char *)buf + at;
        lens[f] = len;
        at += len + 1;
    }
    sodium_memzero(key, KEY_BYTES);
    return rc;
}

/* Decrypt the fields of mask into a new revealed lead. On a failure to
 * open, the error names lead and field, never a value. */
int lead_reveal(lv_lead **out, const lv_vault *vault, const store_lead *lead, uint32_t mask)
{
    *out = NULL;
    revealed *r = calloc(1, sizeof *r);
    size_t total = lead_open_size(lead, mask);
    if (r == NULL || (r->block = secure_block_get(total, &r->block_cap)) == NULL) {
        free(r);
        return err_set(LV_ERROR, "out of memory");
    }
    lead_meta_from_store(&r->pub.meta, lead);
    /* At the block's end, right before its guard page: an overrun faults. */
    int rc = lead_open_fields(vault, lead, mask, r->block + r->block_cap - total, r->pub.value,
                              r->pub.value_len);
    if (rc != 0) {
        lv_lead_free(&r->pub);
        return rc;
    }
    *out = &r->pub;
    return 0;
}
