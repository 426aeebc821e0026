/* rekey.c - lv_vault_rekey: a new key generation, every lead's data key
 * re-wrapped (or, with LV_REKEY_REENCRYPT, replaced and every sealed value
 * re-sealed) and its index tags recomputed, in batches that an
 * interruption leaves readable and `rekey` finishes (docs/format.md,
 * "Rekey"). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "contact.h"
#include "digest.h"
#include "envelope.h"
#include "error.h"
#include "keyslot.h"
#include "lead.h"
#include "lead_record.h"
#include "rekey.h"
#include "seal.h"
#include "secure_block.h"
#include "store_group.h"
#include "unlock.h"
#include "util_array.h"

/* Leads per transaction: a crash loses at most one batch of work, and a
 * batch holds the write lock for well under a second. */
#define REKEY_BATCH 5000
/* meta "rekey": the flags of the rekey under way (one byte; 0xff = none). */
#define REKEY_META "rekey"
#define REKEY_IDLE 0xff

typedef struct batch {
    unsigned char *ids;
    size_t count, cap;
    int64_t last; /* storage position of the last lead collected */
} batch;

static int collect_id(void *ctx, const store_lead *lead)
{
    batch *b = ctx;
    unsigned char *slot =
        util_array_append((void **)&b->ids, &b->count, &b->cap, LV_ID_BYTES, REKEY_BATCH);
    if (slot == NULL)
        return LV_ERROR;
    memcpy(slot, lead->id, LV_ID_BYTES);
    b->last = lead->position;
    return 0;
}

typedef struct legacy_check {
    char names[256];
    int found;
} legacy_check;

static int find_legacy(void *ctx, const store_keyslot *slot)
{
    legacy_check *c = ctx;
    if (slot->kind == KEYSLOT_KIND_LEGACY) {
        size_t at = strlen(c->names);
        (void)snprintf(c->names + at, sizeof c->names - at, "%s%s", c->found ? ", " : "",
                       slot->name);
        c->found++;
    }
    return 0;
}

typedef struct sealer {
    lv_vault *vault;
    const keyring *next;
    uint64_t envelopes;
} sealer;

static int seal_for(void *ctx, const store_keyslot *slot)
{
    sealer *s = ctx;
    unsigned char sealed[ENVELOPE_MAX];
    size_t len = 0;
    if (!keyslot_mac_valid(slot, s->vault->keys, s->vault->id))
        return err_set(LV_ECORRUPT, "keyslot of user '%s' failed its integrity check", slot->name);
    int rc = envelope_seal(sealed, &len, s->next, s->vault->id, slot->name, slot->role,
                           slot->public_key);
    if (rc == 0 && (rc = store_envelope_put(s->vault->store, slot->name, s->next->generation,
                                            sealed, len)) == 0)
        s->envelopes++;
    return rc;
}

/* The session's ring for the rekey: the new generation's keys, the old
 * wrap key for the leads not re-wrapped yet. */
static keyring *session_ring(const keyring *next, const keyring *old)
{
    keyring *ring = keyring_copy(next, KEYSET_ALL);
    if (ring == NULL)
        return NULL;
    memcpy(ring->user_secret, old->user_secret, KEY_BYTES);
    memcpy(ring->user_public, old->user_public, KEY_BYTES);
    memcpy(ring->wrap_prev, old->subkey[SUBKEY_DATA_WRAP], KEY_BYTES);
    ring->generation_prev = old->generation;
    ring->present_prev = KEY_BIT(SUBKEY_DATA_WRAP);
    /* The state digest keeps the old key, and checkpoints are signed with
     * the old key, until the last step. */
    memcpy(ring->subkey[SUBKEY_DIGEST], old->subkey[SUBKEY_DIGEST], KEY_BYTES);
    keyring_finish(ring);
    keyring_writable(ring);
    memcpy(ring->sign_public, old->sign_public, sizeof ring->sign_public);
    memcpy(ring->sign_secret, old->sign_secret, sizeof ring->sign_secret);
    keyring_readonly(ring);
    return ring;
}

/* Start: generation g+1 pending, with an envelope for every user. The
 * old keys stay in *old (for the final certification). */
static int rekey_start(lv_vault *vault, unsigned flags, const keygen_set *set, keyring **old,
                       lv_rekey_report *report)
{
    legacy_check legacy = {"", 0};
    int rc = store_keyslot_each(vault->store, find_legacy, &legacy);
    if (rc != 0)
        return rc;
    if (legacy.found)
        return err_set(LV_EINVAL,
                       "rekey refused: %d user(s) still have a format-1 keyslot (%s); each "
                       "must unlock once, or be removed, first",
                       legacy.found, legacy.names);
    const keyring *cur = vault->keys;
    if (cur->suppress_kept_count + 1 > SUPPRESS_KEPT_MAX)
        return err_set(LV_EINVAL, "rekey refused: %d older suppression keys are kept already",
                       SUPPRESS_KEPT_MAX);
    keyring *next = keyring_new_generation(cur, set->current.generation + 1);
    if (next == NULL)
        return err_set(LV_ERROR, "out of memory");
    keyring_writable(next);
    next->suppress_kept_count = cur->suppress_kept_count + 1;
    memcpy(next->suppress_kept, cur->suppress_kept, sizeof next->suppress_kept);
    memcpy(next->suppress_kept_generation, cur->suppress_kept_generation,
           sizeof next->suppress_kept_generation);
    memcpy(next->suppress_kept[cur->suppress_kept_count], cur->subkey[SUBKEY_SUPPRESS], KEY_BYTES);
    next->suppress_kept_generation[cur->suppress_kept_count] = cur->generation;
    keyring_readonly(next);
    store_keygen row;
    keygen_make(&row, next, vault->id, KEYGEN_PENDING);
    sealer s = {vault, next, 0};
    unsigned char mode = (unsigned char)flags;
    if ((rc = store_begin(vault->store)) == 0) {
        if ((rc = store_keygen_put(vault->store, &row)) != 0 ||
            (rc = store_keyslot_each(vault->store, seal_for, &s)) != 0 ||
            (rc = store_meta_put(vault->store, REKEY_META, &mode, 1)) != 0 ||
            (rc = store_commit(vault->store)) != 0)
            store_rollback(vault->store);
    }
    keyring *ring = rc == 0 ? session_ring(next, cur) : NULL;
    if (rc == 0 && ring == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    keyring_free(next);
    if (rc != 0)
        return rc;
    report->envelopes = s.envelopes;
    *old = vault->keys;
    vault->keys = ring;
    return digest_attach(vault); /* the same key, now in the session's ring */
}

/* A lead's consent chain re-sealed under its new data key: every evidence
 * and reason, every MAC (each links to the one before), the lead's head. */
typedef struct chain {
    lv_vault *vault;
    const unsigned char *old_key, *new_key;
    unsigned char head[MAC_BYTES];
    uint64_t count;
} chain;

static int reseal_note(unsigned char **out, size_t *out_len, const unsigned char *sealed,
                       size_t len, const chain *c, const store_consent *rec, char kind)
{
    *out = NULL;
    if (sealed == NULL)
        return 0;
    unsigned char ad[CONSENT_AD_BYTES];
    seal_consent_ad(ad, c->vault->id, rec->lead_id, rec->id, kind);
    size_t plain_len = len >= SEAL_OVERHEAD ? len - SEAL_OVERHEAD : 0, cap = 0;
    unsigned char *block = secure_block_get(plain_len + 1, &cap);
    unsigned char *plain = block != NULL ? block + cap - (plain_len + 1) : NULL;
    unsigned char *again = malloc(len);
    int rc = plain == NULL || again == NULL ? err_set(LV_ERROR, "out of memory") : 0;
    if (rc == 0 && (len < SEAL_OVERHEAD ||
                    seal_open_value(plain, sealed, len, c->old_key, ad, sizeof ad) != 0))
        rc = err_set(LV_ECORRUPT, "integrity failure: a consent record's sealed note");
    if (rc == 0) {
        seal_value(again, plain, plain_len, c->new_key, ad, sizeof ad);
        *out = again;
        *out_len = len;
        again = NULL;
    }
    secure_block_put(block, cap);
    free(again);
    return rc;
}

static int reseal_record(void *ctx, const store_consent *rec)
{
    chain *c = ctx;
    store_consent next = *rec;
    unsigned char *evidence = NULL, *reason = NULL;
    int rc =
        reseal_note(&evidence, &next.evidence_len, rec->evidence, rec->evidence_len, c, rec, 'e');
    if (rc == 0)
        rc = reseal_note(&reason, &next.reason_len, rec->reason, rec->reason_len, c, rec, 'r');
    if (rc == 0) {
        next.evidence = evidence;
        next.reason = reason;
        memcpy(next.prev, c->head, MAC_BYTES);
        consent_mac(next.mac, c->vault, &next);
        rc = store_consent_reseal(c->vault->store, &next);
        memcpy(c->head, next.mac, MAC_BYTES);
        c->count++;
    }
    free(evidence);
    free(reason);
    return rc;
}

/* One lead to the new generation. */
static int rekey_lead(lv_vault *vault, const unsigned char id[LV_ID_BYTES], int reencrypt,
                      lv_rekey_report *report)
{
    store_lead lead;
    int rc = lead_load(vault, id, &lead);
    if (rc != 0)
        return rc;
    if (lead.generation == vault->keys->generation)
        return 0;
    uint32_t open_mask = reencrypt ? (1u << LV_FIELD_COUNT) - 1 : CONTACT_FIELD_MASK;
    /* The old data key and the new one, then the opened fields, at the end
     * of a guarded block kept for reuse (a block of its own per lead cost
     * some ten system calls, a third of a plain rekey's time). */
    size_t need = 2 * (size_t)KEY_BYTES + lead_open_size(&lead, open_mask), cap = 0;
    unsigned char *block = secure_block_get(need, &cap);
    unsigned char *keys = block != NULL ? block + cap - need : NULL;
    unsigned char *plain = keys != NULL ? keys + 2 * (size_t)KEY_BYTES : NULL;
    unsigned char *resealed = NULL;
    if (block == NULL) {
        rc = err_set(LV_ERROR, "out of memory");
        goto done;
    }
    char *values[LV_FIELD_COUNT];
    size_t lens[LV_FIELD_COUNT];
    if ((rc = lead_key_unwrap(keys, vault, &lead)) != 0 ||
        (rc = lead_open_fields(vault, &lead, open_mask, plain, values, lens)) != 0)
        goto done;
    memcpy(keys + KEY_BYTES, keys, KEY_BYTES);
    if (reencrypt) {
        key_random(keys + KEY_BYTES, KEY_BYTES);
        size_t total = 0;
        for (int f = 0; f < LV_FIELD_COUNT; f++)
            total += lead.sealed[f] != NULL ? lead.sealed_len[f] : 0;
        if ((resealed = malloc(total + 1)) == NULL) {
            rc = err_set(LV_ERROR, "out of memory");
            goto done;
        }
        size_t at = 0;
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            if (lead.sealed[f] == NULL)
                continue;
            seal_field(resealed + at, (const unsigned char *)values[f], lens[f], keys + KEY_BYTES,
                       vault->id, lead.id, (lv_field)f);
            lead.sealed[f] = resealed + at;
            lead.sealed_len[f] = seal_size(lens[f]);
            at += lead.sealed_len[f];
        }
        chain c = {vault, keys, keys + KEY_BYTES, {0}, 0};
        if ((rc = store_consent_each(vault->store, lead.id, NULL, reseal_record, &c)) != 0)
            goto done;
        memcpy(lead.consent_head, c.head, MAC_BYTES);
        report->consents += c.count;
        report->reencrypted++;
    }
    /* The index tags under the new index keys, from the stored values,
     * into the row's tags column only: lead_index is rebuilt from these
     * columns once, as the rekey finishes (rekey_finish). */
    for (int slot = 0; slot < CONTACT_SLOTS; slot++) {
        lv_field f = contact_slot_field[slot];
        if (!(lead.tag_present & (1u << slot)))
            continue;
        if (values[f] == NULL) {
            rc = err_set(LV_ECORRUPT, "integrity failure: a lead's index tag names an empty field");
            goto done;
        }
        char *form = NULL;
        size_t form_len = 0;
        if ((rc = lead_index_form_of_normalized(&form, &form_len, contact_kind(f), values[f],
                                                lens[f])) != 0)
            goto done;
        crypto_generichash_blake2b_state st;
        key_hash_begin(&st, vault->keys,
                       contact_kind(f) == LV_LOOKUP_EMAIL ? KEYED_INDEX_EMAIL : KEYED_INDEX_PHONE);
        crypto_generichash_blake2b_update(&st, (const unsigned char *)form, form_len);
        crypto_generichash_blake2b_final(&st, lead.tags[slot], INDEX_TAG_BYTES);
        sodium_memzero(&st, sizeof st);
        lead_text_free(form, form_len);
        report->tags++;
    }
    unsigned char ad[LEADKEY_AD_BYTES];
    seal_leadkey_ad(ad, vault->id, lead.id);
    key_wrap(lead.wrapped_key, keys + KEY_BYTES, vault->keys->subkey[SUBKEY_DATA_WRAP], ad,
             sizeof ad);
    lead.generation = vault->keys->generation;
    lead_mac(lead.mac, vault, &lead);
    if ((rc = store_lead_update(vault->store, &lead)) == 0)
        report->leads++;
done:
    secure_block_put(block, cap);
    free(resealed);
    return rc;
}

/* The leads still under the old generation, in storage order, each batch
 * going on after the last one's position (so no batch reads the leads done
 * before it again), until a batch finds none. */
static int rekey_batches(lv_vault *vault, int reencrypt, lv_rekey_report *report)
{
    batch b = {NULL, 0, 0, 0};
    int rc = 0;
    for (;;) {
        b.count = 0;
        store_lead_filter filter = {.storage_order = 1,
                                    .generation = vault->keys->generation_prev,
                                    .limit = REKEY_BATCH,
                                    .after = b.last};
        if ((rc = store_begin(vault->store)) != 0)
            break;
        rc = store_lead_each(vault->store, &filter, 0, collect_id, &b);
        for (size_t i = 0; rc == 0 && i < b.count; i++)
            rc = rekey_lead(vault, b.ids + i * LV_ID_BYTES, reencrypt, report);
        if (rc == 0 && b.count > 0)
            rc = store_commit(vault->store);
        if (rc != 0 || b.count == 0) {
            store_rollback(vault->store);
            break;
        }
    }
    free(b.ids);
    return rc;
}

/* The index is rebuilt in runs: each run takes the entries of a range of
 * buckets (kind, first byte of the tag) from one pass over the lead
 * table, sorts them and inserts them in key order, so lead_index is
 * written front to back once, and memory holds at most one run. */
#define INDEX_BUCKETS 512 /* 2 kinds x 256 first bytes */

size_t rekey_index_run = (size_t)1 << 19; /* 33 bytes each: 17 MiB */

typedef struct index_pass {
    uint64_t count[INDEX_BUCKETS]; /* first pass: entries per bucket */
    int left;                      /* a lead still under the old generation */
    uint32_t old_generation;
    unsigned lo, hi; /* a run: buckets lo <= b < hi */
    store_index_entry *run;
    size_t n, cap;
} index_pass;

static unsigned bucket_of(int kind, const unsigned char *tag)
{
    return (unsigned)(kind == LV_LOOKUP_PHONE) * 256u + tag[0];
}

static int count_entries(void *ctx, const store_lead *lead)
{
    index_pass *p = ctx;
    if (lead->generation == p->old_generation)
        p->left = 1;
    for (int slot = 0; slot < CONTACT_SLOTS; slot++) {
        if (lead->tag_present & (1u << slot))
            p->count[bucket_of(contact_kind(contact_slot_field[slot]), lead->tags[slot])]++;
    }
    return 0;
}

static int collect_entries(void *ctx, const store_lead *lead)
{
    index_pass *p = ctx;
    for (int slot = 0; slot < CONTACT_SLOTS; slot++) {
        if (!(lead->tag_present & (1u << slot)))
            continue;
        int kind = contact_kind(contact_slot_field[slot]);
        unsigned b = bucket_of(kind, lead->tags[slot]);
        if (b < p->lo || b >= p->hi)
            continue;
        if (p->n == p->cap) /* the counting pass read the same rows: not reached */
            return err_set(LV_ECORRUPT, "integrity failure: the leads changed while indexing");
        store_index_entry *e = &p->run[p->n++];
        e->kind = (unsigned char)kind;
        memcpy(e->tag, lead->tags[slot], INDEX_TAG_BYTES);
        memcpy(e->lead_id, lead->id, LV_ID_BYTES);
    }
    return 0;
}

/* The key order of lead_index (kind, tag, lead_id): byte order of the
 * entry, whose members are unpadded bytes in that order. */
static int entry_order(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(store_index_entry));
}
_Static_assert(sizeof(store_index_entry) == 1 + INDEX_TAG_BYTES + LV_ID_BYTES,
               "store_index_entry is compared as bytes");

/* lead_index replaced by the entries the leads' tags columns name (every
 * lead is under the new generation by now: *left is set, and nothing
 * written, if one is not), in the caller's transaction. */
static int rekey_index(lv_vault *vault, int *left)
{
    store_lead_filter all = {.storage_order = 1};
    index_pass *p = calloc(1, sizeof *p);
    if (p == NULL)
        return err_set(LV_ERROR, "out of memory");
    p->old_generation = vault->keys->generation_prev;
    int rc = store_lead_each(vault->store, &all, 0, count_entries, p);
    *left = p->left;
    if (rc == 0 && !p->left)
        rc = store_index_clear(vault->store);
    /* Runs of whole buckets, each up to rekey_index_run entries (or one
     * bucket, should a single bucket hold more). */
    for (unsigned lo = 0, hi; rc == 0 && !p->left && lo < INDEX_BUCKETS; lo = hi) {
        uint64_t n = p->count[lo];
        for (hi = lo + 1; hi < INDEX_BUCKETS && n + p->count[hi] <= rekey_index_run; hi++)
            n += p->count[hi];
        if (n == 0)
            continue;
        if (n > p->cap) {
            free(p->run);
            p->cap = (size_t)n;
            if ((p->run = malloc(p->cap * sizeof *p->run)) == NULL) {
                rc = err_set(LV_ERROR, "out of memory");
                break;
            }
        }
        p->lo = lo;
        p->hi = hi;
        p->n = 0;
        if ((rc = store_lead_each(vault->store, &all, 0, collect_entries, p)) == 0 && p->n != n)
            rc = err_set(LV_ECORRUPT, "integrity failure: the leads changed while indexing");
        if (rc == 0) {
            qsort(p->run, p->n, sizeof *p->run, entry_order);
            rc = store_index_put_many(vault->store, p->run, p->n);
        }
    }
    free(p->run);
    free(p);
    return rc;
}

/* The end: the new generation current, the old one retired (its suppress
 * key kept in every envelope of the new), its envelopes gone; the
 * vault.rekey entry names the new signing key and is signed with the old. */
static int rekey_finish(lv_vault *vault, const keygen_set *set, keyring *old,
                        lv_rekey_report *report, int *left)
{
    store_keygen retired = set->current, current = set->pending;
    retired.state = KEYGEN_RETIRED;
    current.state = KEYGEN_CURRENT;
    keygen_mac_update(&retired, vault->keys, vault->id);
    keygen_mac_update(&current, vault->keys, vault->id);
    unsigned char idle = REKEY_IDLE;
    keyring *next = vault->keys;
    /* The new generation's keys as its envelope gives them (the session's
     * ring holds the old digest and signing keys until now). */
    keyring *ring = NULL;
    int rc = unlock_generation(&ring, vault, &set->pending);
    if (rc != 0)
        return rc;
    keyring_writable(ring);
    memcpy(ring->user_secret, next->user_secret, KEY_BYTES);
    memcpy(ring->user_public, next->user_public, KEY_BYTES);
    keyring_readonly(ring);
    char hex[65], subject[128];
    sodium_bin2hex(hex, sizeof hex, ring->sign_public, 32);
    (void)snprintf(subject, sizeof subject, "generation %lu signing key %s",
                   (unsigned long)current.generation, hex);
    audit_event event = {.action = "vault.rekey", .subject = subject};
    /* The rows must be the ones the old digest covers before the new key
     * makes them its own (a file writer's edits are not laundered). */
    rc = store_begin(vault->store);
    if (rc == 0) {
        if ((rc = digest_verify(vault, NULL)) != 0 || (rc = rekey_index(vault, left)) != 0 || *left ||
            (rc = store_keygen_put(vault->store, &retired)) != 0 ||
            (rc = store_keygen_put(vault->store, &current)) != 0 ||
            (rc = store_envelope_delete(vault->store, NULL, retired.generation)) != 0 ||
            (rc = store_meta_put(vault->store, REKEY_META, &idle, 1)) != 0) {
            store_rollback(vault->store);
        } else {
            /* The digest under the new generation's key, then the entry and
             * the checkpoints over the new state. */
            vault->keys = ring;
            if ((rc = digest_attach_new(vault)) != 0 || (rc = digest_rebuild(vault)) != 0 ||
                (rc = audit_append(vault, &event)) != 0 ||
                (rc = audit_certify(vault, old, ring)) != 0 ||
                (rc = store_commit(vault->store)) != 0) {
                store_rollback(vault->store);
                vault->keys = next;
                (void)digest_attach(vault); /* back to the old key and the stored digest */
            }
        }
    }
    if (rc != 0 || *left) {
        keyring_free(ring);
        return rc;
    }
    vault->appended = 0; /* signed: the certification covers this session's entries */
    keyring_free(next);
    report->generation = current.generation;
    report->dropped = retired.generation;
    return 0;
}

static int rekey_run(lv_vault *vault, unsigned flags, lv_rekey_report *report,
                     audit_event *event)
{
    int rc;
    keygen_set set;
    keyring *old = NULL;
    if ((rc = keygen_load(vault->store, &set)) != 0)
        return rc;
    if (!set.has_pending) {
        if ((rc = rekey_start(vault, flags, &set, &old, report)) != 0 ||
            (rc = keygen_load(vault->store, &set)) != 0) {
            keyring_free(old);
            return rc;
        }
    } else {
        /* Finish the rekey an interruption left, with its own flags. */
        unsigned char mode = 0;
        size_t len = 0;
        if ((rc = store_meta_get(vault->store, REKEY_META, &mode, 1, &len)) != 0 ||
            (rc = unlock_generation(&old, vault, &set.current)) != 0)
            return rc;
        flags = mode == REKEY_IDLE ? 0 : mode;
        report->resumed = 1;
    }
    /* The import's bulk mode: an 8 MiB page cache (the batches read the
     * lead table front to back; the index rebuild's sort keeps about as
     * much in memory before it writes sorted runs out) and fewer WAL
     * checkpoints. */
    (void)store_bulk_mode(vault->store, 1);
    int left = 0;
    do {
        rc = rekey_batches(vault, (flags & LV_REKEY_REENCRYPT) != 0, report);
        if (rc == 0)
            rc = rekey_finish(vault, &set, old, report, &left);
    } while (rc == 0 && left);
    (void)store_bulk_mode(vault->store, 0);
    keyring_free(old);
    if (rc != 0 && rc != LV_EBUSY) {
        event->code = rc;
        audit_record_failure(vault, event);
    }
    return rc;
}

int lv_vault_rekey(lv_vault *vault, unsigned flags, lv_rekey_report *report)
{
    err_clear();
    memset(report, 0, sizeof *report);
    audit_event event = {.action = "vault.rekey"};
    int rc = audit_gate(vault, POLICY_VAULT_KEYS, &event);
    if (rc != 0)
        return rc;
    if ((flags & ~LV_REKEY_REENCRYPT) != 0)
        return err_set(LV_EINVAL, "rekey: unknown flags");
    if (vault->store->group == NULL)
        return rekey_run(vault, flags, report, &event);
    /* A handle in a commit group (a server session): the rekey runs on the
     * handle's own connection with the group held, and the group's writer
     * then takes the new generation's state-digest key. Every other
     * session must have ended first: it would write under the old keys. */
    if (store_group_members(vault->store) != 1)
        return err_set(LV_EBUSY, "rekey: other sessions of the vault are open");
    store_group_solo(vault->store, 1);
    rc = rekey_run(vault, flags, report, &event);
    if (rc == 0) {
        store_digest key;
        digest_store_key(&key, vault);
        rc = store_group_rekey(vault->store, &key);
    }
    store_group_solo(vault->store, 0);
    return rc;
}
