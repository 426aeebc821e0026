/* store.h - the storage interface: a table of operations per backend,
 * chosen at run time by the vault's location (as curl's vtls backends or
 * SQLite's VFS); store_location.c picks the backend a location names.
 * store_sqlite.c, for a path, is the embedded default. Only the store_*.c
 * files hold SQL. Values crossing this interface are already sealed or
 * MAC'd: a store never sees a plaintext field or a key.
 *
 * Every operation returns 0 or a negative LV_E* code with an err_set
 * message; a busy database maps to LV_EBUSY, corruption to LV_ECORRUPT.
 * The rest of the library calls the store_* inline functions at the end of
 * this file, each of which calls its backend's operation. */
#ifndef LV_STORE_H
#define LV_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "leadvault.h"

typedef struct store store;
typedef struct store_ops store_ops;

/* Every backend's handle starts with this (its own state follows). */
struct store {
    const store_ops *ops;
    /* Group commit (store_group.h): the group whose writer this handle's
     * write transactions run on, or NULL; while one of them is open, active
     * is that writer and every operation goes to it (store_at). */
    struct lv_group *group;
    store *active;
    int solo; /* holds its group exclusively: writes on its own connection */
};

/* ---- keyslots ---- */
typedef struct store_keyslot {
    char name[LV_NAME_MAX + 1];
    int role;
    lv_kdf_params kdf;
    unsigned char salt[SALT_BYTES];
    unsigned char wrapped[WRAPPED_KEY_BYTES];
    unsigned char mac[MAC_BYTES];
    int64_t created;
    /* KEYSLOT_KIND_X25519: wrapped is the user's X25519 secret key and
     * public_key its public key. KEYSLOT_KIND_LEGACY: a format-1 slot kept
     * by an upgrade until its user's next unlock; wrapped is the format-1
     * master key and public_key zeros. */
    int kind;
    unsigned char public_key[BOX_KEY_BYTES];
} store_keyslot;
#define KEYSLOT_KIND_LEGACY 1
#define KEYSLOT_KIND_X25519 2

/* ---- key generations and envelopes (docs/format.md, "Keys") ---- */
#define KEYGEN_RETIRED 0 /* dropped; its suppression key kept for lookups */
#define KEYGEN_CURRENT 1
#define KEYGEN_PENDING 2 /* a rekey to it is under way */
typedef struct store_keygen {
    uint32_t generation;
    int state;
    unsigned char sign_public[32];
    unsigned char commitments[SUBKEY_COUNT][MAC_BYTES];
    unsigned char mac[MAC_BYTES];
} store_keygen;
typedef int (*store_keygen_fn)(void *ctx, const store_keygen *gen);
/* The largest sealed envelope a store returns. */
#define ENVELOPE_MAX 2048

typedef int (*store_keyslot_fn)(void *ctx, const store_keyslot *slot);

/* ---- leads ---- */
#define INDEX_TAG_BYTES 16
#define CONTACT_SLOTS 4

typedef struct store_lead {
    unsigned char id[LV_ID_BYTES];
    char source[32];
    char source_detail[256];
    char stage[16];
    char owner[LV_NAME_MAX + 1];
    char country[3];
    int signal[LV_SIGNAL_COUNT];
    int64_t created, updated, last_contact;
    unsigned char wrapped_key[WRAPPED_KEY_BYTES];
    uint32_t generation; /* key generation whose wrap key wrapped wrapped_key */
    unsigned char consent_head[MAC_BYTES]; /* MAC of the newest consent record, or zeros */
    /* The blind-index tags of the lead's contacts, one slot per contact
     * field (email, email2, phone, phone2; see contact_slot), so their
     * index entries are found without decrypting anything. */
    unsigned char tags[CONTACT_SLOTS][INDEX_TAG_BYTES];
    unsigned char tag_present;    /* bit per slot */
    unsigned char mac[MAC_BYTES]; /* MAC of the metadata, key and consent head */
    /* Where the row is stored (SQLite: its rowid); set by store_lead_each
     * only, so that a listing in storage order can go on after it. */
    int64_t position;
    /* Sealed values; NULL / 0 when the field is empty. On reads they point
     * into memory owned by the store, valid until the next store call. */
    const unsigned char *sealed[LV_FIELD_COUNT];
    size_t sealed_len[LV_FIELD_COUNT];
} store_lead;

typedef struct store_lead_filter {
    const char *stage, *source, *owner; /* NULL = any */
    /* 0: in id order (so by creation time). 1: in rowid order, the order
     * the leads were added, which reads the table as stored and skips an
     * index lookup per lead. */
    int storage_order;
    uint32_t generation; /* 0 = any; else only leads of this key generation */
    uint32_t limit;      /* 0 = all */
    /* With storage_order: only the leads stored after this position (a
     * store_lead.position of an earlier listing); 0 = from the start. */
    int64_t after;
} store_lead_filter;
/* fn returns non-zero to stop; that value is returned. */
typedef int (*store_lead_fn)(void *ctx, const store_lead *lead);

/* ---- blind index: (kind, tag) -> lead ---- */
/* One blind-index entry, for inserting many at once. */
typedef struct store_index_entry {
    unsigned char kind;
    unsigned char tag[INDEX_TAG_BYTES];
    unsigned char lead_id[LV_ID_BYTES];
} store_index_entry;
typedef int (*store_id_fn)(void *ctx, const unsigned char id[LV_ID_BYTES]);
/* Every (kind, tag) of the index, in no particular order; fn returns
 * non-zero to stop, and that value is returned. */
typedef int (*store_tag_fn)(void *ctx, int kind, const unsigned char tag[INDEX_TAG_BYTES]);

/* ---- audit log ---- */
typedef struct store_audit {
    uint64_t seq;
    const char *time, *actor, *role, *os_user, *action, *subject;
    const char *fields, *purpose, *outcome, *request;
    int code;
    const unsigned char *lead_ids; /* lead_count * LV_ID_BYTES */
    size_t lead_count;
    unsigned char prev_hash[32];
    unsigned char hash[32];
} store_audit;

typedef struct store_audit_filter {
    const unsigned char *lead_id; /* NULL = any */
    const char *actor;            /* NULL = any */
    uint64_t from_seq;            /* 0 = from the first */
} store_audit_filter;
/* In sequence order; strings valid during the call only. */
typedef int (*store_audit_fn)(void *ctx, const store_audit *entry);

typedef struct store_checkpoint {
    uint64_t size;
    unsigned char head[32];
    char time[32];
    unsigned char signature[64];
    /* The state digest's commitment at the head (digest_commitment);
     * has_digest 0 for a checkpoint signed without one (format 1: the
     * column holds an empty blob). */
    int has_digest;
    unsigned char digest[32];
} store_checkpoint;
typedef int (*store_checkpoint_fn)(void *ctx, const store_checkpoint *cp);

/* ---- purposes ---- */
#define PURPOSE_NAME_MAX 64
typedef struct store_purpose {
    char name[PURPOSE_NAME_MAX + 1];
    int basis;
    uint32_t fields;          /* bit per lv_field */
    uint32_t roles;           /* bit per lv_role */
    int64_t created, retired; /* unix ms; retired 0 = active */
    unsigned char mac[MAC_BYTES];
} store_purpose;

typedef int (*store_purpose_fn)(void *ctx, const store_purpose *purpose);

/* ---- consent records (append-only) ---- */
typedef struct store_consent {
    unsigned char id[LV_ID_BYTES];
    unsigned char lead_id[LV_ID_BYTES];
    char purpose[PURPOSE_NAME_MAX + 1];
    int granted;           /* 1 granted, 0 withdrawn */
    int64_t time, expires; /* unix ms; expires 0 = never */
    char actor[LV_NAME_MAX + 1];
    char notice_version[PURPOSE_NAME_MAX + 1];
    /* Sealed evidence / withdrawal reason; NULL when absent. On reads they
     * point into the statement, valid during the callback. */
    const unsigned char *evidence, *reason;
    size_t evidence_len, reason_len;
    unsigned char prev[MAC_BYTES]; /* MAC of the lead's previous record, or zeros */
    unsigned char mac[MAC_BYTES];
} store_consent;

typedef int (*store_consent_fn)(void *ctx, const store_consent *consent);

/* ---- erasure ---- */

typedef struct store_tombstone {
    unsigned char lead_id[LV_ID_BYTES];
    int64_t time;
    const char *request, *ground, *actor;
    uint64_t audit_seq;
} store_tombstone;

/* An erasure record as read back, its texts copied. */
typedef struct store_erasure {
    unsigned char lead_id[LV_ID_BYTES];
    int64_t time;
    char request[129], ground[257], actor[LV_NAME_MAX + 1];
    uint64_t audit_seq;
} store_erasure;

/* Suppression list: keyed hashes of normalized email / phone. */
#define SUPPRESS_HASH_BYTES 32
/* A time (unix ms) of a row; fn returns non-zero to stop, and that value
 * is returned. */
typedef int (*store_time_fn)(void *ctx, int64_t time);

/* ---- legal holds ---- */
typedef struct store_hold {
    unsigned char lead_id[LV_ID_BYTES];
    char reason[512];
    char actor[LV_NAME_MAX + 1];
    int64_t time;
    unsigned char mac[MAC_BYTES];
} store_hold;
typedef int (*store_hold_fn)(void *ctx, const store_hold *hold);

/* ---- retention rules ---- */
typedef struct store_rule {
    char name[PURPOSE_NAME_MAX + 1];
    char stage[16];        /* "" = any */
    char source[32];       /* "" = any */
    int no_consent;        /* lead holds no active consent */
    int consent_withdrawn; /* lead's latest record for some purpose is a withdrawal */
    int64_t older_than_ms; /* 0 = no age condition */
    int64_t inactive_ms;   /* 0 = no inactivity condition */
    int64_t created;
    unsigned char mac[MAC_BYTES];
} store_rule;
typedef int (*store_rule_fn)(void *ctx, const store_rule *rule);

/* ---- backup / restore ---- */

/* ---- counts without PII ---- */
/* Every lead's stage and source, in one scan of the lead table (no sort);
 * fn returns non-zero to stop, and that value is returned. */
typedef int (*store_label_fn)(void *ctx, const char *stage, const char *source);
/* fn(ctx, group "consent", purpose, count): per purpose, the leads whose
 * latest record for it is a grant that has not expired at now_ms, in
 * purpose order. */
typedef void (*store_count_fn)(void *ctx, const char *group, const char *key, uint64_t count);

/* ---- integrity ---- */

/* ---- state digest (digest.h) ---- */
/* The session's digest key, as the store uses it: the keyed BLAKE2b-256
 * state under K_digest (the ring's KEYED_DIGEST, precompressed) for row
 * elements, and K_digest itself to seal meta.digest. The pointers stay
 * valid while the key is attached (the keyring outlives the store). */
typedef struct store_digest {
    const crypto_generichash_blake2b_state *prf;
    const unsigned char *key;
    unsigned char vault_id[LV_ID_BYTES];
} store_digest;

/* ---- the table of operations a backend implements ---- */
struct store_ops {
    const char *name; /* "sqlite", "postgresql" */
    /* Close; NULL is a no-op. */
    void (*close)(store *st);
    /* Write transactions (BEGIN IMMEDIATE: the write lock is taken at once,
     * waiting up to the busy timeout). */
    int (*begin)(store *st);
    int (*commit)(store *st);
    /* A read transaction (one snapshot, no write lock); end it with
     * store_rollback. */
    int (*begin_read)(store *st);
    void (*rollback)(store *st);
    /* Bulk mode (on = 1) lets the WAL grow to 64 MiB between automatic
     * checkpoints (default: 4 MiB), so pages rewritten by many consecutive
     * transactions are copied into the file once, not once per transaction. */
    int (*bulk_mode)(store *st, int on);
    /* Move everything in the WAL into the file and truncate the WAL. */
    int (*checkpoint_wal)(store *st);
    /* A nested transaction inside the open write transaction (group
     * commit, store_group.c): savepoint marks it, savepoint_keep ends it
     * keeping its changes in the outer transaction, savepoint_undo ends it
     * undoing them (the running state digest too). One level only. */
    int (*savepoint)(store *st);
    int (*savepoint_keep)(store *st);
    void (*savepoint_undo)(store *st);

    /* The schema version of the file (1 or 2): a format-1 vault is read
     * only to be upgraded, verified or backed up. */
    int (*format)(store *st);

    /* ---- meta: small named values (vault id, creation time) ---- */
    int (*meta_get)(store *st, const char *key, void *buf, size_t cap, size_t *len);
    int (*meta_put)(store *st, const char *key, const void *value, size_t len);

    /* ---- keyslots ---- */
    int (*keyslot_get)(store *st, const char *name, store_keyslot *out); /* LV_ENOTFOUND */
    int (*keyslot_insert)(store *st, const store_keyslot *slot);         /* LV_EEXISTS */
    /* Update and delete change a slot the caller read in the same
     * transaction: no row changed is LV_ECORRUPT (as for every write of a
     * row that must exist: lead update and erase, consent head). */
    int (*keyslot_update)(store *st, const store_keyslot *slot);
    int (*keyslot_delete)(store *st, const char *name);
    /* Any one keyslot's KDF parameters (to pay the same cost for unknown users). */
    int (*keyslot_any_kdf)(store *st, lv_kdf_params *out);
    int (*keyslot_each)(store *st, store_keyslot_fn fn, void *ctx); /* sorted by name */

    /* ---- key generations and envelopes ---- */
    int (*keygen_put)(store *st, const store_keygen *gen); /* insert or replace */
    int (*keygen_delete)(store *st, uint32_t generation);
    int (*keygen_each)(store *st, store_keygen_fn fn, void *ctx); /* by generation */
    /* Insert or replace the envelope of (user, generation). */
    int (*envelope_put)(store *st, const char *user, uint32_t generation,
                        const unsigned char *sealed, size_t len);
    /* LV_ENOTFOUND (no message) when there is none. */
    int (*envelope_get)(store *st, const char *user, uint32_t generation, unsigned char *buf,
                        size_t cap, size_t *len);
    /* Delete the envelopes of user (every generation), or with user NULL
     * every envelope of generation. */
    int (*envelope_delete)(store *st, const char *user, uint32_t generation);

    /* ---- format steps ---- */
    /* Into this (new, empty, format-2) store, outside a transaction (it
     * runs its own): every row of the format-1 vault at v1_path, lead rows
     * with key generation 1 and keyslots as legacy slots. */
    int (*upgrade_copy)(store *st, const char *v1_path);
    /* Fold the write-ahead log into the file and leave WAL mode, so the
     * file stands alone (before it is renamed or its old self replaced).
     * LV_EBUSY when another connection has the file open. */
    int (*journal_standalone)(store *st);

    /* ---- leads ---- */
    int (*lead_insert)(store *st, const store_lead *lead);
    /* Replace metadata and every sealed column of an existing lead. */
    int (*lead_update)(store *st, const store_lead *lead);
    int (*lead_get)(store *st, const unsigned char id[LV_ID_BYTES], store_lead *out);
    /* Set a lead's consent head and metadata MAC (after a consent record). */
    int (*lead_set_head)(store *st, const unsigned char id[LV_ID_BYTES],
                         const unsigned char head[MAC_BYTES], const unsigned char mac[MAC_BYTES]);
    int (*lead_each)(store *st, const store_lead_filter *filter, int with_sealed, store_lead_fn fn,
                     void *ctx);

    /* ---- blind index: (kind, tag) -> lead ---- */
    int (*index_put)(store *st, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                     const unsigned char lead_id[LV_ID_BYTES]);
    /* store_index_put of each entry, several per statement. */
    int (*index_put_many)(store *st, const store_index_entry *entries, size_t count);
    int (*index_delete)(store *st, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                        const unsigned char lead_id[LV_ID_BYTES]);
    int (*index_each)(store *st, store_tag_fn fn, void *ctx);
    /* Delete every row of the index (row by row: the digest follows each),
     * inside the caller's transaction. */
    int (*index_clear)(store *st);
    /* A number that changes whenever another connection commits to the file
     * (PRAGMA data_version): what this connection caches about the data is
     * stale once it differs. */
    int (*data_version)(store *st, int64_t *version);
    int (*index_lookup)(store *st, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                        store_id_fn fn, void *ctx);

    /* ---- audit log ---- */
    int (*audit_append)(store *st, const store_audit *entry);
    /* Highest sequence number and its hash; seq 0 and zero hash when empty. */
    int (*audit_head)(store *st, uint64_t *seq, unsigned char hash[32]);
    int (*audit_each)(store *st, const store_audit_filter *filter, store_audit_fn fn, void *ctx);
    int (*checkpoint_append)(store *st, const store_checkpoint *cp);
    /* Latest checkpoint; LV_ENOTFOUND when none. */
    int (*checkpoint_latest)(store *st, store_checkpoint *out);
    int (*checkpoint_each)(store *st, store_checkpoint_fn fn, void *ctx);

    /* ---- purposes ---- */
    /* Insert, or replace the row of the same name (retiring). */
    int (*purpose_put)(store *st, const store_purpose *purpose);
    int (*purpose_get)(store *st, const char *name, store_purpose *out); /* LV_ENOTFOUND */
    int (*purpose_each)(store *st, store_purpose_fn fn, void *ctx);      /* by name */

    /* ---- consent records (append-only) ---- */
    int (*consent_insert)(store *st, const store_consent *consent);
    /* Records of a lead, for one purpose or all (purpose NULL), oldest first. */
    int (*consent_each)(store *st, const unsigned char lead_id[LV_ID_BYTES], const char *purpose,
                        store_consent_fn fn, void *ctx);
    /* Every record of every lead (for check), in insertion order. */
    int (*consent_all)(store *st, store_consent_fn fn, void *ctx);
    /* Replace a record's sealed evidence and reason, prev and MAC (a
     * rekey --reencrypt re-sealing a chain; nothing else of it changes). */
    int (*consent_reseal)(store *st, const store_consent *consent);

    /* ---- erasure ---- */
    /* Delete a lead and everything sealed under its key: the lead row (data
     * key and fields), consent records and hold. (Its index entries are
     * deleted by the caller, by the tags in the lead row.) *consents receives
     * the number of consent records removed. */
    int (*lead_erase)(store *st, const unsigned char lead_id[LV_ID_BYTES], uint64_t *consents);
    int (*tombstone_insert)(store *st, const store_tombstone *t);
    /* 1 in *erased when lead_id has a tombstone. */
    int (*tombstone_exists)(store *st, const unsigned char lead_id[LV_ID_BYTES], int *erased);
    /* The erasure record of lead_id or, with lead_id NULL, the earliest one
     * recorded at or after time. LV_ENOTFOUND (no message) when none. */
    int (*tombstone_get)(store *st, const unsigned char *lead_id, int64_t time, store_erasure *out);
    int (*suppress_put)(store *st, int kind, const unsigned char hash[SUPPRESS_HASH_BYTES],
                        int64_t time);
    /* When (kind, hash) went on the suppression list; LV_ENOTFOUND (no
     * message) when it is not on it. */
    int (*suppress_time)(store *st, int kind, const unsigned char hash[SUPPRESS_HASH_BYTES],
                         int64_t *time);
    /* *any: 1 when the suppression list holds at least one entry. */
    int (*suppress_any)(store *st, int *any);
    int (*suppress_exists)(store *st, int kind, const unsigned char hash[SUPPRESS_HASH_BYTES],
                           int *found);
    int (*suppress_delete)(store *st, int kind, const unsigned char hash[SUPPRESS_HASH_BYTES],
                           int *removed);
    /* The time each entry of the suppression list was added, oldest first
     * (no hash: a count over time reveals nobody). */
    int (*suppress_times)(store *st, store_time_fn fn, void *ctx);

    /* ---- legal holds ---- */
    int (*hold_put)(store *st, const store_hold *hold);
    int (*hold_get)(store *st, const unsigned char lead_id[LV_ID_BYTES], store_hold *out);
    int (*hold_delete)(store *st, const unsigned char lead_id[LV_ID_BYTES]); /* LV_ENOTFOUND */
    int (*hold_each)(store *st, store_hold_fn fn, void *ctx);

    /* ---- retention rules ---- */
    int (*rule_put)(store *st, const store_rule *rule); /* LV_EEXISTS */
    int (*rule_delete)(store *st, const char *name);    /* LV_ENOTFOUND */
    int (*rule_each)(store *st, store_rule_fn fn, void *ctx);

    /* ---- backup / restore ---- */
    /* Online copy of the whole vault to a new file (0600, created exclusively). */
    int (*backup)(store *st, const char *path);
    /* Restore in three steps. attach (outside a transaction): open the
     * backup at path beside the vault; it must be a vault file carrying
     * vault_id. leads (inside the caller's transaction): replace every lead,
     * index entry and consent record with the backup's, leaving out any lead
     * that has a tombstone here; *restored counts the leads copied, *skipped
     * those left out as erased. done: detach, once the transaction ended. */
    int (*restore_attach)(store *st, const char *path, const unsigned char vault_id[LV_ID_BYTES]);
    int (*restore_leads)(store *st, uint64_t *restored, uint64_t *skipped);
    void (*restore_done)(store *st);

    /* ---- counts without PII ---- */
    int (*lead_labels)(store *st, store_label_fn fn, void *ctx);
    int (*consent_counts)(store *st, int64_t now_ms, store_count_fn fn, void *ctx);

    /* ---- integrity ---- */
    /* SQLite's integrity_check; each problem line is passed to fn. */
    int (*integrity)(store *st, void (*fn)(void *ctx, const char *problem), void *ctx);
    /* SQLite's quick_check of one table of the schema and its indexes, or with
     * thorough its integrity_check (which also checks the order of keys, NOT
     * NULL columns and that indexes match the table: for small tables). 0, or
     * LV_ECORRUPT when the table is damaged: cells and free space that do not
     * add up, or keys out of order, hide rows from lookups and scans, which
     * would otherwise read as rows that do not exist. Reads every page of the
     * table. */
    int (*check_table)(store *st, const char *table, int thorough);

    /* ---- state digest (digest.h; docs/format.md, "State digest") ---- */
    /* Attach the digest key (copied; NULL detaches it). With load, the
     * running digest D is read from meta.digest: LV_ENOTFOUND when there
     * is none, LV_ECORRUPT when it does not open (the key stays attached
     * in both cases, D = 0); without, D starts at 0 (a new vault). While
     * attached, every change of a covered table, by whatever statement,
     * updates D, and the commit of every write transaction writes
     * meta.digest: D sealed, bound to the audit head. Without a key, a
     * transaction that changed a covered table is refused at commit
     * (rolled back, LV_ECORRUPT): nothing covered changes without it. */
    int (*digest_set)(store *st, const store_digest *key, int load);
    /* The running D of the current transaction (32 bytes, little-endian). */
    int (*digest_value)(store *st, unsigned char d[32]);
    /* D recomputed from every covered table in one pass, under the
     * attached key (check). */
    int (*digest_recompute)(store *st, unsigned char d[32], uint64_t *leads);
    /* Recompute, make the result the running D and write meta.digest,
     * inside the caller's write transaction (upgrade, rekey). */
    int (*digest_rebuild)(store *st);
    /* meta.digest opened under the attached key: D and the audit head
     * (seq, hash) it is bound to. LV_ENOTFOUND, LV_ECORRUPT as above. */
    int (*digest_stored)(store *st, unsigned char d[32], uint64_t *seq, unsigned char head[32]);
    /* The newest successful consent.grant / consent.withdraw audit entry
     * for lead_id and purpose, or lead.import entry with that purpose
     * (`import --consent`), through the per-lead audit index: *granted 0
     * for a withdrawal, else 1. LV_ENOTFOUND (no message) when none. */
    int (*audit_consent_latest)(store *st, const unsigned char lead_id[LV_ID_BYTES],
                                const char *purpose, int *granted);
};

/* ---- calls, each to the handle's backend ---- */

/* NULL is a no-op. */
/* Group commit (store_group.c): begin, commit and rollback of a handle in
 * a group go through it; within a group transaction every other operation
 * goes to the group's writer. */
int store_group_begin(store *st);
int store_group_commit(store *st);
void store_group_rollback(store *st);
void store_group_leave(store *st);
/* on = 1: wait until the group's writer is idle, then keep it so until
 * on = 0; meanwhile this handle's transactions run on its own connection
 * (a restore, whose attached backup only that connection sees). */
void store_group_solo(store *st, int on);

static inline store *store_at(store *st)
{
    return st->active != NULL ? st->active : st;
}

static inline void store_close(store *st)
{
    if (st == NULL)
        return;
    if (st->group != NULL)
        store_group_leave(st);
    st->ops->close(st);
}

static inline int store_begin(store *st)
{
    return st->group != NULL && !st->solo ? store_group_begin(st) : st->ops->begin(st);
}

static inline int store_commit(store *st)
{
    return st->active != NULL ? store_group_commit(st) : st->ops->commit(st);
}

static inline int store_begin_read(store *st)
{
    return st->ops->begin_read(st);
}

static inline void store_rollback(store *st)
{
    if (st->active != NULL)
        store_group_rollback(st);
    else
        st->ops->rollback(st);
}

static inline void store_solo(store *st, int on)
{
    if (st->group != NULL)
        store_group_solo(st, on);
}

static inline int store_bulk_mode(store *st, int on)
{
    st = store_at(st);
    return st->ops->bulk_mode(st, on);
}

static inline int store_checkpoint_wal(store *st)
{
    st = store_at(st);
    return st->ops->checkpoint_wal(st);
}

static inline int store_format(store *st)
{
    st = store_at(st);
    return st->ops->format(st);
}

static inline int store_keygen_put(store *st, const store_keygen *gen)
{
    st = store_at(st);
    return st->ops->keygen_put(st, gen);
}

static inline int store_keygen_delete(store *st, uint32_t generation)
{
    st = store_at(st);
    return st->ops->keygen_delete(st, generation);
}

static inline int store_keygen_each(store *st, store_keygen_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->keygen_each(st, fn, ctx);
}

static inline int store_envelope_put(store *st, const char *user, uint32_t generation,
                                     const unsigned char *sealed, size_t len)
{
    st = store_at(st);
    return st->ops->envelope_put(st, user, generation, sealed, len);
}

static inline int store_envelope_get(store *st, const char *user, uint32_t generation,
                                     unsigned char *buf, size_t cap, size_t *len)
{
    st = store_at(st);
    return st->ops->envelope_get(st, user, generation, buf, cap, len);
}

static inline int store_envelope_delete(store *st, const char *user, uint32_t generation)
{
    st = store_at(st);
    return st->ops->envelope_delete(st, user, generation);
}

static inline int store_consent_reseal(store *st, const store_consent *consent)
{
    st = store_at(st);
    return st->ops->consent_reseal(st, consent);
}

static inline int store_upgrade_copy(store *st, const char *v1_path)
{
    st = store_at(st);
    return st->ops->upgrade_copy(st, v1_path);
}

static inline int store_journal_standalone(store *st)
{
    st = store_at(st);
    return st->ops->journal_standalone(st);
}

static inline int store_meta_get(store *st, const char *key, void *buf, size_t cap, size_t *len)
{
    st = store_at(st);
    return st->ops->meta_get(st, key, buf, cap, len);
}

static inline int store_meta_put(store *st, const char *key, const void *value, size_t len)
{
    st = store_at(st);
    return st->ops->meta_put(st, key, value, len);
}

static inline int store_keyslot_get(store *st, const char *name, store_keyslot *out)
{
    st = store_at(st);
    return st->ops->keyslot_get(st, name, out);
}

static inline int store_keyslot_insert(store *st, const store_keyslot *slot)
{
    st = store_at(st);
    return st->ops->keyslot_insert(st, slot);
}

static inline int store_keyslot_update(store *st, const store_keyslot *slot)
{
    st = store_at(st);
    return st->ops->keyslot_update(st, slot);
}

static inline int store_keyslot_delete(store *st, const char *name)
{
    st = store_at(st);
    return st->ops->keyslot_delete(st, name);
}

static inline int store_keyslot_any_kdf(store *st, lv_kdf_params *out)
{
    st = store_at(st);
    return st->ops->keyslot_any_kdf(st, out);
}

static inline int store_keyslot_each(store *st, store_keyslot_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->keyslot_each(st, fn, ctx);
}

static inline int store_lead_insert(store *st, const store_lead *lead)
{
    st = store_at(st);
    return st->ops->lead_insert(st, lead);
}

static inline int store_lead_update(store *st, const store_lead *lead)
{
    st = store_at(st);
    return st->ops->lead_update(st, lead);
}

static inline int store_lead_get(store *st, const unsigned char id[LV_ID_BYTES], store_lead *out)
{
    st = store_at(st);
    return st->ops->lead_get(st, id, out);
}

static inline int store_lead_set_head(store *st, const unsigned char id[LV_ID_BYTES],
                                      const unsigned char head[MAC_BYTES],
                                      const unsigned char mac[MAC_BYTES])
{
    st = store_at(st);
    return st->ops->lead_set_head(st, id, head, mac);
}

static inline int store_lead_each(store *st, const store_lead_filter *filter, int with_sealed,
                                  store_lead_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->lead_each(st, filter, with_sealed, fn, ctx);
}

static inline int store_index_put(store *st, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                                  const unsigned char lead_id[LV_ID_BYTES])
{
    st = store_at(st);
    return st->ops->index_put(st, kind, tag, lead_id);
}

static inline int store_index_put_many(store *st, const store_index_entry *entries, size_t count)
{
    st = store_at(st);
    return st->ops->index_put_many(st, entries, count);
}

static inline int store_index_delete(store *st, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                                     const unsigned char lead_id[LV_ID_BYTES])
{
    st = store_at(st);
    return st->ops->index_delete(st, kind, tag, lead_id);
}

static inline int store_index_each(store *st, store_tag_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->index_each(st, fn, ctx);
}

static inline int store_index_clear(store *st)
{
    return st->ops->index_clear(st);
}

static inline int store_data_version(store *st, int64_t *version)
{
    st = store_at(st);
    return st->ops->data_version(st, version);
}

static inline int store_index_lookup(store *st, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                                     store_id_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->index_lookup(st, kind, tag, fn, ctx);
}

static inline int store_audit_append(store *st, const store_audit *e)
{
    st = store_at(st);
    return st->ops->audit_append(st, e);
}

static inline int store_audit_head(store *st, uint64_t *seq, unsigned char hash[32])
{
    st = store_at(st);
    return st->ops->audit_head(st, seq, hash);
}

static inline int store_audit_each(store *st, const store_audit_filter *filter, store_audit_fn fn,
                                   void *ctx)
{
    st = store_at(st);
    return st->ops->audit_each(st, filter, fn, ctx);
}

static inline int store_checkpoint_append(store *st, const store_checkpoint *cp)
{
    st = store_at(st);
    return st->ops->checkpoint_append(st, cp);
}

static inline int store_checkpoint_latest(store *st, store_checkpoint *out)
{
    st = store_at(st);
    return st->ops->checkpoint_latest(st, out);
}

static inline int store_checkpoint_each(store *st, store_checkpoint_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->checkpoint_each(st, fn, ctx);
}

static inline int store_purpose_put(store *st, const store_purpose *p)
{
    st = store_at(st);
    return st->ops->purpose_put(st, p);
}

static inline int store_purpose_get(store *st, const char *name, store_purpose *out)
{
    st = store_at(st);
    return st->ops->purpose_get(st, name, out);
}

static inline int store_purpose_each(store *st, store_purpose_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->purpose_each(st, fn, ctx);
}

static inline int store_consent_insert(store *st, const store_consent *c)
{
    st = store_at(st);
    return st->ops->consent_insert(st, c);
}

static inline int store_consent_each(store *st, const unsigned char lead_id[LV_ID_BYTES],
                                     const char *purpose, store_consent_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->consent_each(st, lead_id, purpose, fn, ctx);
}

static inline int store_consent_all(store *st, store_consent_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->consent_all(st, fn, ctx);
}

static inline int store_lead_erase(store *st, const unsigned char lead_id[LV_ID_BYTES],
                                   uint64_t *consents)
{
    st = store_at(st);
    return st->ops->lead_erase(st, lead_id, consents);
}

static inline int store_tombstone_insert(store *st, const store_tombstone *t)
{
    st = store_at(st);
    return st->ops->tombstone_insert(st, t);
}

static inline int store_tombstone_exists(store *st, const unsigned char lead_id[LV_ID_BYTES],
                                         int *erased)
{
    st = store_at(st);
    return st->ops->tombstone_exists(st, lead_id, erased);
}

static inline int store_tombstone_get(store *st, const unsigned char *lead_id, int64_t time,
                                      store_erasure *out)
{
    st = store_at(st);
    return st->ops->tombstone_get(st, lead_id, time, out);
}

static inline int store_suppress_time(store *st, int kind,
                                      const unsigned char hash[SUPPRESS_HASH_BYTES], int64_t *time)
{
    st = store_at(st);
    return st->ops->suppress_time(st, kind, hash, time);
}

static inline int store_suppress_put(store *st, int kind,
                                     const unsigned char hash[SUPPRESS_HASH_BYTES], int64_t time)
{
    st = store_at(st);
    return st->ops->suppress_put(st, kind, hash, time);
}

static inline int store_suppress_any(store *st, int *any)
{
    st = store_at(st);
    return st->ops->suppress_any(st, any);
}

static inline int store_suppress_exists(store *st, int kind,
                                        const unsigned char hash[SUPPRESS_HASH_BYTES], int *found)
{
    st = store_at(st);
    return st->ops->suppress_exists(st, kind, hash, found);
}

static inline int store_suppress_delete(store *st, int kind,
                                        const unsigned char hash[SUPPRESS_HASH_BYTES], int *removed)
{
    st = store_at(st);
    return st->ops->suppress_delete(st, kind, hash, removed);
}

static inline int store_suppress_times(store *st, store_time_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->suppress_times(st, fn, ctx);
}

static inline int store_hold_put(store *st, const store_hold *h)
{
    st = store_at(st);
    return st->ops->hold_put(st, h);
}

static inline int store_hold_get(store *st, const unsigned char lead_id[LV_ID_BYTES],
                                 store_hold *out)
{
    st = store_at(st);
    return st->ops->hold_get(st, lead_id, out);
}

static inline int store_hold_delete(store *st, const unsigned char lead_id[LV_ID_BYTES])
{
    st = store_at(st);
    return st->ops->hold_delete(st, lead_id);
}

static inline int store_hold_each(store *st, store_hold_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->hold_each(st, fn, ctx);
}

static inline int store_rule_put(store *st, const store_rule *r)
{
    st = store_at(st);
    return st->ops->rule_put(st, r);
}

static inline int store_rule_delete(store *st, const char *name)
{
    st = store_at(st);
    return st->ops->rule_delete(st, name);
}

static inline int store_rule_each(store *st, store_rule_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->rule_each(st, fn, ctx);
}

static inline int store_backup(store *st, const char *path)
{
    st = store_at(st);
    return st->ops->backup(st, path);
}

static inline int store_restore_attach(store *st, const char *path,
                                       const unsigned char vault_id[LV_ID_BYTES])
{
    st = store_at(st);
    return st->ops->restore_attach(st, path, vault_id);
}

static inline int store_restore_leads(store *st, uint64_t *restored, uint64_t *skipped)
{
    st = store_at(st);
    return st->ops->restore_leads(st, restored, skipped);
}

static inline void store_restore_done(store *st)
{
    st = store_at(st);
    st->ops->restore_done(st);
}

static inline int store_lead_labels(store *st, store_label_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->lead_labels(st, fn, ctx);
}

static inline int store_consent_counts(store *st, int64_t now_ms, store_count_fn fn, void *ctx)
{
    st = store_at(st);
    return st->ops->consent_counts(st, now_ms, fn, ctx);
}

static inline int store_integrity(store *st, void (*fn)(void *ctx, const char *problem), void *ctx)
{
    st = store_at(st);
    return st->ops->integrity(st, fn, ctx);
}

static inline int store_check_table(store *st, const char *table, int thorough)
{
    st = store_at(st);
    return st->ops->check_table(st, table, thorough);
}

static inline int store_digest_set(store *st, const store_digest *key, int load)
{
    st = store_at(st);
    return st->ops->digest_set(st, key, load);
}

static inline int store_digest_value(store *st, unsigned char d[32])
{
    st = store_at(st);
    return st->ops->digest_value(st, d);
}

static inline int store_digest_recompute(store *st, unsigned char d[32], uint64_t *leads)
{
    st = store_at(st);
    return st->ops->digest_recompute(st, d, leads);
}

static inline int store_digest_rebuild(store *st)
{
    st = store_at(st);
    return st->ops->digest_rebuild(st);
}

static inline int store_digest_stored(store *st, unsigned char d[32], uint64_t *seq,
                                      unsigned char head[32])
{
    st = store_at(st);
    return st->ops->digest_stored(st, d, seq, head);
}

static inline int store_audit_consent_latest(store *st, const unsigned char lead_id[LV_ID_BYTES],
                                             const char *purpose, int *granted)
{
    st = store_at(st);
    return st->ops->audit_consent_latest(st, lead_id, purpose, granted);
}

#endif
