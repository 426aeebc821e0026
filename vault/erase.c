/* erase.c - crypto-shredding erasure, the suppression list, and the
 * erasure path retention shares. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "contact.h"
#include "erase.h"
#include "error.h"
#include "hold.h"
#include "lead.h"
#include "lead_ops.h"
#include "lead_record.h"
#include "receipt.h"
#include "util_id.h"
#include "util_text.h"
#include "util_time.h"

/* The suppression hash of a value given by the user (no country): the
 * stored one, under whichever kept generation's key, or the current one's. */
static int suppress_hash(unsigned char out[SUPPRESS_HASH_BYTES], lv_vault *vault, lv_lookup kind,
                         const char *value)
{
    contact_keys keys;
    int found = 0;
    int rc = contact_keys_make(&keys, vault, kind, value, strlen(value), NULL);
    if (rc == 0)
        rc = contact_suppress_find(out, &found, vault, &keys);
    contact_keys_free(&keys);
    return rc;
}

/* Put the lead's email and phone on the suppression list, at time now:
 * the time of its tombstone, which is how a later lookup by email or
 * phone finds the erasure record (erase_describe). */
static int suppress_lead(lv_vault *vault, const store_lead *lead, int64_t now)
{
    lv_lead *plain = NULL;
    int rc = lead_reveal(&plain, vault, lead, CONTACT_FIELD_MASK);
    if (rc != 0)
        return rc;
    for (int slot = 0; rc == 0 && slot < CONTACT_SLOTS; slot++) {
        lv_field f = contact_slot_field[slot];
        lv_lookup kind = contact_kind(f);
        if (plain->value[f] == NULL)
            continue;
        /* From the value as stored, as add, update and import hash it. */
        contact_keys keys;
        if ((rc = contact_keys_of_normalized(&keys, vault, kind, plain->value[f],
                                             plain->value_len[f])) == 0) {
            unsigned char hash[SUPPRESS_HASH_BYTES];
            contact_suppress_hash(hash, vault, &keys);
            rc = store_suppress_put(vault->store, kind, hash, now);
        }
        contact_keys_free(&keys);
    }
    lv_lead_free(plain);
    return rc;
}

int erase_lead(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES], const char *request,
               const char *ground, int suppress, json_t *receipt, audit_event *event)
{
    /* No MAC check here: a lead whose metadata was tampered with must still
     * be erasable; its sealed values stay authenticated by their AEAD. */
    store_lead lead;
    int held = 0, rc = store_lead_get(vault->store, lead_id, &lead);
    if (rc != 0 || (rc = hold_is_set(vault, lead_id, &held)) != 0)
        return rc;
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, lead_id);
    if (held)
        return err_set(LV_EDENIED, "denied: lead %s is under legal hold", id);
    uint32_t fields = 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        fields |= lead.sealed[f] != NULL ? 1u << f : 0;
    int64_t now = util_now_ms();
    if (suppress && (rc = suppress_lead(vault, &lead, now)) != 0)
        return rc;
    /* Index entries go by the tags the row names (no decryption needed). */
    for (int i = 0; rc == 0 && i < CONTACT_SLOTS; i++) {
        if (lead.tag_present >> i & 1)
            rc = store_index_delete(vault->store, contact_kind(contact_slot_field[i]), lead.tags[i],
                                    lead_id);
    }
    uint64_t consents = 0;
    if (rc != 0 || (rc = store_lead_erase(vault->store, lead_id, &consents)) != 0)
        return rc;
    char names[128] = "";
    for (int f = 0, at = 0; f < LV_FIELD_COUNT; f++) {
        if (fields & (1u << f))
            at += snprintf(names + at, sizeof names - (size_t)at, "%s%s", at ? "," : "",
                           lv_field_name((lv_field)f));
    }
    audit_event entry = {.action = "lead.erase",
                         .lead_ids = lead_id,
                         .lead_count = 1,
                         .fields = names,
                         .request = request,
                         .subject = ground};
    if ((rc = audit_append(vault, &entry)) != 0)
        return rc;
    store_tombstone t = {.time = now,
                         .request = request,
                         .ground = ground != NULL ? ground : "",
                         .actor = vault->user,
                         .audit_seq = entry.seq};
    memcpy(t.lead_id, lead_id, LV_ID_BYTES);
    if ((rc = store_tombstone_insert(vault->store, &t)) != 0)
        return rc;
    event->seq = entry.seq;
    memcpy(event->hash, entry.hash, 32);
    return receipt != NULL ? receipt_add(receipt, lead_id, fields, consents, ground, suppress) : 0;
}

/* An erasure record matches a suppression entry when it was made at the
 * same millisecond; vaults written before that rule put the entry a few
 * milliseconds before the record. */
#define SUPPRESS_TO_TOMBSTONE_MS 60000

int erase_lookup(lv_vault *vault, const unsigned char *lead_id, lv_lookup by, const char *value,
                 lv_erasure_info *info)
{
    memset(info, 0, sizeof *info);
    store_erasure e;
    int rc;
    if (lead_id == NULL) {
        unsigned char hash[SUPPRESS_HASH_BYTES];
        if ((rc = suppress_hash(hash, vault, by, value)) != 0)
            return rc;
        if ((rc = store_suppress_time(vault->store, by, hash, &info->suppressed)) != 0)
            return rc == LV_ENOTFOUND ? 0 : rc;
        rc = store_tombstone_get(vault->store, NULL, info->suppressed, &e);
        if (rc == 0 && e.time - info->suppressed > SUPPRESS_TO_TOMBSTONE_MS)
            rc = LV_ENOTFOUND;
    } else {
        rc = store_tombstone_get(vault->store, lead_id, 0, &e);
    }
    if (rc == LV_ENOTFOUND)
        return 0;
    if (rc != 0)
        return rc;
    info->erased = e.time;
    memcpy(info->request, e.request, sizeof info->request);
    memcpy(info->ground, e.ground, sizeof info->ground);
    return 0;
}

int erase_not_found(lv_vault *vault, const unsigned char *lead_id, lv_lookup by, const char *value)
{
    lv_erasure_info info;
    char what[64], when[32];
    if (lead_id != NULL)
        return lead_not_found(vault, lead_id);
    (void)snprintf(what, sizeof what, "no lead with that %s",
                   by == LV_LOOKUP_PHONE ? "phone" : "email");
    int rc = erase_lookup(vault, NULL, by, value, &info);
    if (rc != 0 && rc != LV_EINVAL)
        return rc;
    if (rc == 0 && info.erased != 0) {
        lv_time_format(when, info.erased);
        return err_set(LV_ENOTFOUND, "%s: erased on %s under request %s", what, when, info.request);
    }
    if (rc == 0 && info.suppressed != 0) {
        lv_time_format(when, info.suppressed);
        return err_set(LV_ENOTFOUND,
                       "%s: on the suppression list since %s (no erasure record matches)", what,
                       when);
    }
    return err_set(LV_ENOTFOUND, "%s", what);
}

int erase_check_request(const char *request, const char *ground)
{
    int rc;
    if (request == NULL || request[0] == '\0')
        return err_set(LV_EINVAL, "request: a request reference is required");
    if ((rc = util_text_check("request", request, AUDIT_REQUEST_MAX)) != 0)
        return rc;
    if (ground != NULL && (rc = util_text_check("ground", ground, AUDIT_SUBJECT_MAX)) != 0)
        return rc;
    return 0;
}

int erase_finish(lv_vault *vault)
{
    /* Fold the WAL into the file and truncate it, so no page image of an
     * erased lead stays behind in the -wal file. */
    int rc = store_checkpoint_wal(vault->store);
    if (rc != 0) {
        char cause[256]; /* err_set writes the buffer the cause is in */
        (void)snprintf(cause, sizeof cause, "%s", lv_error_last());
        return err_set(rc,
                       "the erasure is committed, but the write-ahead log could not be "
                       "truncated yet (%s); it is truncated by the next erasure, or when "
                       "the last process closes the vault",
                       cause);
    }
    return 0;
}

int lv_erase(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
             const lv_erase_options *opts, lv_write_fn receipt_fn, void *receipt_ctx,
             size_t *erased)
{
    err_clear();
    *erased = 0;
    unsigned char one[LV_ID_BYTES];
    audit_event event = {.action = "lead.erase"};
    if (opts == NULL || opts->version != LV_ERASE_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "erase options: wrong version");
    int rc = erase_check_request(opts->request, opts->ground);
    if (rc != 0)
        return rc;
    if (lead_id != NULL && (rc = util_id_from_hex(one, lead_id)) != 0)
        return rc;
    /* A refusal is audited with what it targeted. */
    event.request = opts->request;
    if (lead_id != NULL) {
        event.lead_ids = one;
        event.lead_count = 1;
    }
    if ((rc = audit_gate(vault, POLICY_ERASE, &event)) != 0)
        return rc;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    unsigned char *ids = NULL;
    size_t count = 0;
    json_t *receipt = receipt_fn != NULL ? receipt_new(vault, "erasure", opts->request) : NULL;
    if (receipt_fn != NULL && receipt == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    else if (lead_id != NULL) {
        ids = malloc(LV_ID_BYTES);
        if (ids == NULL)
            rc = err_set(LV_ERROR, "out of memory");
        else {
            memcpy(ids, one, LV_ID_BYTES);
            count = 1;
        }
    } else if ((rc = lead_match(vault, by, value, &ids, &count)) == 0 && count == 0) {
        rc = erase_not_found(vault, NULL, by, value);
    }
    event.lead_ids = ids;
    event.lead_count = count;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        rc = erase_lead(vault, ids + i * LV_ID_BYTES, opts->request, opts->ground,
                        !opts->no_suppress, receipt, &event);
        if (rc == LV_ENOTFOUND && lead_id != NULL)
            rc = erase_not_found(vault, ids, by, NULL);
    }
    if (rc == 0) {
        rc = store_commit(vault->store);
    }
    if (rc != 0) {
        store_rollback(vault->store);
        event.code = rc;
        if (rc != LV_EBUSY)
            audit_record_failure(vault, &event);
    }
    free(ids);
    if (rc == 0) {
        *erased = count;
        /* The erasure is committed: its receipt is due even when the WAL
         * cannot be truncated yet (that error is still returned). */
        int wal = erase_finish(vault);
        char cause[512];
        (void)snprintf(cause, sizeof cause, "%s", lv_error_last());
        if (receipt != NULL)
            rc = receipt_sign_write(vault, receipt, event.seq, event.hash, receipt_fn, receipt_ctx);
        if (rc == 0 && wal != 0)
            rc = err_set(wal, "%s", cause);
    }
    json_decref(receipt);
    return rc;
}

/* ---- suppression list ---- */

static int suppress_access(lv_vault *vault, policy_action action, audit_event *event, lv_lookup by,
                           const char *value, unsigned char hash[32])
{
    int rc = audit_gate(vault, action, event);
    if (rc != 0)
        return rc;
    if (by != LV_LOOKUP_EMAIL && by != LV_LOOKUP_PHONE)
        return err_set(LV_EINVAL, "lookup: must be by email or phone");
    if (value == NULL)
        return err_set(LV_EINVAL, "%s: required", by == LV_LOOKUP_EMAIL ? "email" : "phone");
    return suppress_hash(hash, vault, by, value);
}

int lv_suppress_check(lv_vault *vault, lv_lookup by, const char *value, int *suppressed)
{
    err_clear();
    *suppressed = 0;
    audit_event event = {.action = "suppress.check"};
    unsigned char hash[SUPPRESS_HASH_BYTES];
    int rc = suppress_access(vault, POLICY_SUPPRESS_CHECK, &event, by, value, hash);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    rc = store_suppress_exists(vault->store, by, hash, suppressed);
    return audit_commit(vault, rc, &event);
}

int lv_suppress_info(lv_vault *vault, lv_lookup by, const char *value, lv_erasure_info *info)
{
    err_clear();
    memset(info, 0, sizeof *info);
    audit_event event = {.action = "suppress.check"};
    unsigned char hash[SUPPRESS_HASH_BYTES];
    int rc = suppress_access(vault, POLICY_SUPPRESS_CHECK, &event, by, value, hash);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    rc = erase_lookup(vault, NULL, by, value, info);
    return audit_commit(vault, rc, &event);
}

int lv_suppress_remove(lv_vault *vault, lv_lookup by, const char *value)
{
    err_clear();
    audit_event event = {.action = "suppress.remove"};
    unsigned char hash[SUPPRESS_HASH_BYTES];
    int rc = suppress_access(vault, POLICY_SUPPRESS_REMOVE, &event, by, value, hash);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    int removed = 0;
    rc = store_suppress_delete(vault->store, by, hash, &removed);
    if (rc == 0 && !removed)
        rc = err_set(LV_ENOTFOUND, "that %s is not on the suppression list",
                     by == LV_LOOKUP_EMAIL ? "email" : "phone");
    return audit_commit(vault, rc, &event);
}
