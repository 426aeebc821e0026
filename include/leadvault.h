/*
 * leadvault.h - the only public interface of the leadvault library.
 *
 * A vault is one SQLite file holding sales leads whose personal data is
 * sealed field by field (XChaCha20-Poly1305) under a per-lead data key,
 * itself wrapped under the vault master key. The master key is unwrapped
 * from a user's keyslot with a passphrase (Argon2id).
 *
 * Conventions:
 * - Every call that can fail returns 0 or a negative LV_E* code; the
 *   thread-local lv_error_last() then says why. Messages never contain a
 *   field value, a passphrase or a key.
 * - Any call that writes to the vault (every audited call does) may also
 *   fail with LV_EFULL or LV_EREADONLY, or LV_ERROR when out of memory; its
 *   transaction is then rolled back: the vault holds nothing of it.
 * - Constructors take their out-parameter first. Every *_free / close
 *   function accepts NULL as a harmless no-op.
 * - Decrypted values are returned in memory that is wiped when freed.
 */
#ifndef LEADVAULT_H
#define LEADVAULT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define LV_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define LV_WARN_UNUSED
#endif

/* Marks the library's API: the library is built with hidden visibility,
 * so only what is declared LV_EXTERN here is exported from the shared
 * library (tests/symbols checks it with nm -D). */
#if defined(__GNUC__) || defined(__clang__)
#define LV_EXTERN __attribute__((visibility("default")))
#else
#define LV_EXTERN
#endif

/* ---- errors ------------------------------------------------------------ */

#define LV_OK 0
#define LV_ERROR (-1)      /* I/O, out of memory, anything else */
#define LV_EINVAL (-2)     /* invalid argument or input value */
#define LV_EAUTH (-3)      /* wrong passphrase or unknown user */
#define LV_ENOTFOUND (-4)  /* no such lead, user, entry */
#define LV_EDENIED (-5)    /* refused by policy (role, purpose, consent) */
#define LV_ECORRUPT (-6)   /* integrity failure: tampered or corrupt data */
#define LV_EBUSY (-7)      /* vault locked by another writer */
#define LV_EEXISTS (-8)    /* already exists */
#define LV_EFULL (-9)      /* storage full: the disk, or a file size limit, has no room */
#define LV_EREADONLY (-10) /* the vault file or its folder is read-only */

/** Static English description of an LV_E* code. Never NULL. */
LV_EXTERN const char *lv_strerror(int code);

/** Message describing the last failure on this thread ("" if none).
 * Valid until the next lv_* call on this thread. Never holds PII. */
LV_EXTERN const char *lv_error_last(void);

/** Library version string, e.g. "0.1.0". */
LV_EXTERN const char *lv_version(void);

/* ---- sizes ------------------------------------------------------------- */

#define LV_ID_BYTES 16
#define LV_ID_STRLEN 32 /* lowercase hex, without terminating NUL */
#define LV_NAME_MAX 64  /* user names: [A-Za-z0-9._-], 1..64 bytes */

/* ---- KDF parameters ---------------------------------------------------- */

#define LV_KDF_MEMORY_KIB_DEFAULT (64u * 1024u)
#define LV_KDF_ITERATIONS_DEFAULT 3u
#define LV_KDF_PARALLELISM_DEFAULT 4u
#define LV_KDF_MEMORY_KIB_MIN (19u * 1024u) /* floor: weaker is refused */
#define LV_KDF_ITERATIONS_MIN 2u
#define LV_KDF_ITERATIONS_MAX 64u /* a stored count above is tampering, not a wait */
#define LV_KDF_MEMORY_KIB_MAX (4096u * 1024u)
#define LV_KDF_PARALLELISM_MAX 64u

typedef struct lv_kdf_params {
    uint32_t memory_kib;  /* 0 = default */
    uint32_t iterations;  /* 0 = default */
    uint32_t parallelism; /* 0 = default */
} lv_kdf_params;

/* ---- roles ------------------------------------------------------------- */

typedef enum lv_role {
    LV_ROLE_ADMIN = 1,
    LV_ROLE_SALES = 2,
    LV_ROLE_COMPLIANCE = 3,
    LV_ROLE_AUDITOR = 4
} lv_role;

/** "admin", "sales", "compliance", "auditor"; NULL for an invalid role. */
LV_EXTERN const char *lv_role_name(lv_role role);
/** Parse a role name. Returns 0, or LV_EINVAL. */
LV_EXTERN int lv_role_parse(lv_role *out, const char *name);

/* ---- vault ------------------------------------------------------------- */

typedef struct lv_vault lv_vault;

#define LV_CREATE_OPTIONS_VERSION 1
typedef struct lv_create_options {
    unsigned int version;   /* LV_CREATE_OPTIONS_VERSION */
    const char *admin_name; /* first user, role admin */
    const char *passphrase; /* not NUL-terminated necessarily */
    size_t passphrase_len;
    lv_kdf_params kdf;   /* zeros = defaults */
    const char *os_user; /* recorded in the audit log; NULL = unknown */
} lv_create_options;
#define LV_CREATE_OPTIONS_INIT                                                                     \
    {                                                                                              \
        LV_CREATE_OPTIONS_VERSION, NULL, NULL, 0, {0, 0, 0}, NULL                                  \
    }

/** A commit group (see lv_group_open). */
typedef struct lv_group lv_group;

/* Version 2 added flags, version 3 group; older structs are still accepted
 * (flags 0, group NULL). */
#define LV_OPEN_OPTIONS_VERSION 3
/** lv_open_options.flags: accept a vault of format 1 (for lv_vault_upgrade,
 * lv_audit_verify and lv_vault_backup only; every other call on it fails). */
#define LV_OPEN_FORMAT1 1u
typedef struct lv_open_options {
    unsigned int version; /* LV_OPEN_OPTIONS_VERSION */
    const char *user;     /* NULL: open locked (audit verification only) */
    const char *passphrase;
    size_t passphrase_len;
    int busy_timeout_ms; /* wait for another writer; 0 = 5000 ms */
    const char *os_user; /* recorded in the audit log; NULL = unknown */
    unsigned flags;      /* LV_OPEN_* */
    /* NULL: the handle commits alone. Else a group opened on the same vault
     * (lv_group_open) that the handle's writes commit with; needs a user. */
    lv_group *group;
} lv_open_options;
#define LV_OPEN_OPTIONS_INIT                                                                       \
    {                                                                                              \
        LV_OPEN_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, 0, NULL                                   \
    }

/** Create a new vault file at path (mode 0600, created exclusively, never
 * through a symlink) with its first user, an admin.
 * Errors: LV_EEXISTS (path exists), LV_EINVAL (bad name, empty passphrase,
 * KDF parameters below the floor), LV_EFULL (no room: nothing is left
 * behind), LV_EREADONLY (the folder is read-only), LV_ERROR (I/O).
 * On success *out is an unlocked vault owned by the caller (lv_vault_close). */
LV_EXTERN LV_WARN_UNUSED int lv_vault_create(lv_vault **out, const char *path,
                                             const lv_create_options *opts);

/** Open a commit group on the vault at path: the handles opened into it
 * (lv_open_options.group; a server's sessions) share one writer
 * connection, and the writes they make at the same time are committed
 * together, with one commit (one fsync) for all of them. Each operation
 * of a member still returns only once the commit that holds its changes
 * (its audit entry) is durable, and fails closed, as when it commits
 * alone, when that commit fails: every member of it gets the error, no
 * plaintext. The audit entries stay one hash chain. Reads run on each
 * handle's own connection, in parallel. The group holds no key of its
 * own: while it has a member it keeps a copy of the vault's state-digest
 * key in guarded memory, wiped when the last member closes. Thread-safe;
 * each handle still serves one thread at a time.
 * Errors: as lv_vault_open's for the file. On success *out is owned by
 * the caller (lv_group_close). */
LV_EXTERN LV_WARN_UNUSED int lv_group_open(lv_group **out, const char *path);

/** Close a group whose members are all closed (LV_EBUSY otherwise, and
 * nothing is closed). NULL is a harmless no-op. */
LV_EXTERN int lv_group_close(lv_group *group);

/** Open an existing vault and unlock it as opts->user.
 * Errors: LV_EAUTH (wrong passphrase or unknown user; the full KDF cost is
 * paid either way and the attempt is audited), LV_EINVAL (not a leadvault
 * vault, symlink, not a regular file), LV_ECORRUPT (truncated, damaged, or a
 * keyslot failed its integrity check), LV_EREADONLY (the vault file or its
 * folder cannot be written: checked before anything is created next to it),
 * LV_ERROR (newer format, I/O; a vault of format 1 without LV_OPEN_FORMAT1:
 * "vault format 1: run leadvault upgrade (admin)"), LV_EBUSY. With
 * opts->user NULL the vault is opened locked: only the audit verification
 * calls work. A user whose keyslot is still of format 1 (a vault upgraded
 * since) gets a key-pair slot and an envelope at this unlock. */
LV_EXTERN LV_WARN_UNUSED int lv_vault_open(lv_vault **out, const char *path,
                                           const lv_open_options *opts);

/** Sign an audit checkpoint if this session appended entries, then close
 * and wipe every key. NULL is a harmless no-op. Returns 0 or the error of
 * the final checkpoint (the vault is closed either way). */
LV_EXTERN int lv_vault_close(lv_vault *vault);

/** Record in the audit log of the vault at path that a server refused the
 * token of a session of user after that session had ended (logout, idle
 * or absolute lifetime, revocation): one "vault.session.refused" entry,
 * actor user, os_user as in lv_open_options, code LV_EAUTH, written
 * without keys as a failed unlock is (role ""; the next session's
 * checkpoint covers it). Errors: LV_EINVAL (user is not a user name), and
 * those of lv_vault_open before the unlock (LV_ECORRUPT, LV_EREADONLY,
 * LV_EBUSY, LV_ERROR). */
LV_EXTERN LV_WARN_UNUSED int lv_audit_session_refused(const char *path, const char *user,
                                                      const char *os_user);

/** The vault id as 32 lowercase hex characters plus NUL. */
LV_EXTERN void lv_vault_id(const lv_vault *vault, char out[LV_ID_STRLEN + 1]);

/** Name and role of the unlocked user. Errors: LV_EDENIED when locked. */
LV_EXTERN int lv_vault_whoami(const lv_vault *vault, const char **name, lv_role *role);

/** Problems found by lv_vault_check, one call each. field is NULL when the
 * problem is not about one field. Strings never hold PII. */
typedef void (*lv_check_fn)(void *ctx, const char *lead_id, const char *field, const char *problem);

/** Run SQLite's integrity check, verify the MAC of every keyslot,
 * purpose, hold, retention rule and setting, and recompute the state
 * digest over every row of every covered table: a row deleted, added,
 * rolled back or edited by anyone without the keys (a sealed value's bytes
 * included) makes it differ. When anything fails, every lead is then
 * checked one by one (its MAC, its consent chain and every consent
 * record's MAC, its data key and every sealed value opened), so that the
 * problems are named by lead and field. *leads_checked: the leads in the
 * vault. Any role may call it; nothing is revealed. Returns 0 when all is
 * well, LV_ECORRUPT when any problem was reported through fn. Same as
 * lv_vault_check_with with LV_CHECK_OPTIONS_INIT. */
LV_EXTERN LV_WARN_UNUSED int lv_vault_check(lv_vault *vault, lv_check_fn fn, void *ctx,
                                            uint64_t *leads_checked);

#define LV_CHECK_OPTIONS_VERSION 1
typedef struct lv_check_options {
    unsigned int version; /* LV_CHECK_OPTIONS_VERSION */
    /* 1: check every lead one by one even when the digest matches, which
     * also finds what a holder of the keys wrote wrongly (a value that
     * does not open, a broken consent chain) and the digest accepted. */
    int deep;
} lv_check_options;
#define LV_CHECK_OPTIONS_INIT                                                                      \
    {                                                                                              \
        LV_CHECK_OPTIONS_VERSION, 0                                                                \
    }

/** lv_vault_check with options. Errors as lv_vault_check, and LV_EINVAL
 * for opts NULL or of another version. */
LV_EXTERN LV_WARN_UNUSED int lv_vault_check_with(lv_vault *vault, const lv_check_options *opts,
                                                 lv_check_fn fn, void *ctx,
                                                 uint64_t *leads_checked);

/* ---- users (keyslots) ------------------------------------------------- */

/** Which leads a user may read. LV_SCOPE_OWN (sales users only) limits
 * every reveal - get, find, search, list with fields, export - to the
 * leads whose owner is that user; the library refuses the others
 * (LV_EDENIED, audited) or leaves them out of bulk results. */
typedef enum lv_scope { LV_SCOPE_ALL = 0, LV_SCOPE_OWN = 1 } lv_scope;

typedef struct lv_user_info {
    char name[LV_NAME_MAX + 1];
    lv_role role;
    lv_kdf_params kdf;
    int64_t created; /* unix ms */
    lv_scope scope;
} lv_user_info;

/** Add a user with its own keyslot. Admin only (LV_EDENIED otherwise).
 * Errors: LV_EEXISTS, LV_EINVAL (bad name, empty passphrase, weak KDF). */
LV_EXTERN LV_WARN_UNUSED int lv_user_add(lv_vault *vault, const char *name, lv_role role,
                                         const char *passphrase, size_t passphrase_len,
                                         const lv_kdf_params *kdf);

/** lv_user_add with a scope: LV_SCOPE_OWN is for the sales role only
 * (LV_EINVAL otherwise). The scope is stored with the role in the keyslot,
 * under its MAC (lv_user_set_role keeps it for a sales user). */
LV_EXTERN LV_WARN_UNUSED int lv_user_add_scoped(lv_vault *vault, const char *name, lv_role role,
                                                lv_scope scope, const char *passphrase,
                                                size_t passphrase_len, const lv_kdf_params *kdf);

/** Remove a user's keyslot. Admin only. Removing the last admin, or
 * oneself, is refused (LV_EDENIED). Errors: LV_ENOTFOUND. */
LV_EXTERN LV_WARN_UNUSED int lv_user_remove(lv_vault *vault, const char *name);

/** Rewrap the unlocked user's own keyslot under a new passphrase (with
 * the slot's KDF parameters unless kdf is non-NULL and non-zero).
 * Nothing else in the vault changes. */
LV_EXTERN LV_WARN_UNUSED int lv_user_passwd(lv_vault *vault, const char *new_passphrase,
                                            size_t new_passphrase_len, const lv_kdf_params *kdf);

/** Change a user's role (admin): the stored role changes and the user's
 * key envelope is sealed again with the keys of the new role only (an
 * auditor's holds no key that opens, computes or forges personal data or
 * its index). The own-leads scope is kept when the new role is sales and
 * dropped otherwise. Errors: LV_ENOTFOUND, LV_EINVAL (a user whose keyslot
 * is still of format 1), LV_EDENIED (not admin; the last admin demoted),
 * LV_EBUSY (a rekey half done). Keys the user held before stay known to
 * them: only lv_vault_rekey makes new ones. */
LV_EXTERN LV_WARN_UNUSED int lv_user_set_role(lv_vault *vault, const char *name, lv_role role);

/** Upgrade the vault at path from format 1 to the current format (admin,
 * opts as for lv_vault_open): a new file is built beside it with every
 * row, the admin's keyslot becomes a key-pair slot, the others stay
 * format-1 slots until their user's next unlock; the new file replaces the
 * vault in one rename, made while the old file's write lock is held, so an
 * interruption leaves the old vault or the new one, never a mix. *upgraded
 * is 1 when it did, 0 for a vault already of the current format (nothing
 * to do, 0 returned). Errors: LV_EDENIED (not admin), LV_EAUTH, LV_EBUSY
 * (another process has it open), LV_ECORRUPT. */
LV_EXTERN LV_WARN_UNUSED int lv_vault_upgrade(const char *path, const lv_open_options *opts,
                                              int *upgraded);

/** What lv_vault_rekey did (counts of this run; a resumed rekey counts
 * what it finished). */
typedef struct lv_rekey_report {
    uint32_t generation;   /* the key generation the vault now holds */
    uint32_t dropped;      /* the generation dropped (its suppression key kept) */
    uint64_t leads;        /* lead data keys re-wrapped under the new wrap key */
    uint64_t reencrypted;  /* leads given a new data key, every field re-sealed */
    uint64_t consents;     /* consent records whose evidence or reason was re-sealed */
    uint64_t tags;         /* blind-index tags recomputed under the new index keys */
    uint64_t envelopes;    /* users given an envelope of the new generation */
    int resumed;           /* 1 when it finished a rekey an interruption left half done */
} lv_rekey_report;
/** lv_vault_rekey flags: also give every lead a new data key and re-seal
 * every field and every consent evidence or reason under it. */
#define LV_REKEY_REENCRYPT 1u

/** Renew the vault keys (admin): a new key generation with every key new
 * but the record-MAC key; an envelope of it for every user; every lead's
 * data key re-wrapped under the new wrap key and its blind-index tags
 * recomputed under the new index keys (with LV_REKEY_REENCRYPT, a new data
 * key and every sealed value re-sealed); then the old generation is
 * dropped (its suppression key kept for lookups) and a vault.rekey audit
 * entry, signed with the old signing key, certifies the new one. Leads go
 * in batches, one transaction each, so an interruption leaves every lead
 * readable under its own generation; calling it again finishes the rekey
 * (flags of the first call kept). Refused while a user still has a
 * format-1 keyslot (LV_EINVAL, naming them) or more than seven older
 * suppression keys are kept (LV_EINVAL). Errors: LV_EDENIED, LV_EBUSY,
 * LV_ECORRUPT. */
LV_EXTERN LV_WARN_UNUSED int lv_vault_rekey(lv_vault *vault, unsigned flags,
                                            lv_rekey_report *report);

/** The format (schema version) of an opened vault: 1 or 2. */
LV_EXTERN int lv_vault_format(const lv_vault *vault);

/** All users, sorted by name. *out is owned by the caller; free it with
 * lv_user_list_free. Admin only. */
LV_EXTERN LV_WARN_UNUSED int lv_user_list(lv_vault *vault, lv_user_info **out, size_t *count);
LV_EXTERN void lv_user_list_free(lv_user_info *users);

/* ---- leads ------------------------------------------------------------- */

/** Sealed personal-data fields. */
typedef enum lv_field {
    LV_FIELD_FIRST_NAME = 0,
    LV_FIELD_LAST_NAME = 1,
    LV_FIELD_EMAIL = 2,
    LV_FIELD_PHONE = 3,
    LV_FIELD_COMPANY = 4,
    LV_FIELD_TITLE = 5,
    LV_FIELD_WEBSITE = 6,
    LV_FIELD_ADDRESS = 7,
    LV_FIELD_NOTES = 8,
    LV_FIELD_EMAIL2 = 9,  /* secondary email: searchable like email */
    LV_FIELD_PHONE2 = 10, /* secondary phone: searchable like phone */
    LV_FIELD_COUNT = 11
} lv_field;

/** "first_name", ..., "email2", "phone2"; NULL when out of range. */
LV_EXTERN const char *lv_field_name(lv_field field);
/** Parse a field name. Returns 0 or LV_EINVAL. */
LV_EXTERN int lv_field_parse(lv_field *out, const char *name);
/** Parse "f1,f2,..." into a bit mask (bit i = field i). Returns 0 or LV_EINVAL. */
LV_EXTERN int lv_field_mask_parse(uint32_t *out, const char *list);
#define LV_FIELD_MASK_ALL ((1u << LV_FIELD_COUNT) - 1u)

/** Quality signals: did the person get an incentive, is the data verified,
 * did they know a sales contact would follow. */
typedef enum lv_signal {
    LV_SIGNAL_UNSET = 0, /* in an input: not given */
    LV_SIGNAL_UNKNOWN = 1,
    LV_SIGNAL_YES = 2,
    LV_SIGNAL_NO = 3
} lv_signal;

typedef enum lv_signal_kind {
    LV_SIGNAL_INCENTIVE = 0,
    LV_SIGNAL_VERIFIED = 1,
    LV_SIGNAL_AWARE = 2,
    LV_SIGNAL_COUNT = 3
} lv_signal_kind;

/** Parse "yes" / "no" / "unknown". Returns 0 or LV_EINVAL. */
LV_EXTERN int lv_signal_parse(lv_signal *out, const char *text);
/** "yes", "no", "unknown"; NULL for LV_SIGNAL_UNSET. */
LV_EXTERN const char *lv_signal_name(lv_signal signal);

#define LV_LEAD_INPUT_VERSION 1
/** A lead to add, or the changes of an update. A NULL member is "not
 * given" (on update: unchanged). For a sealed field, field_len[i] == 0
 * means strlen(field[i]); give an explicit length to pass bytes that may
 * hold NUL (which are then refused). On update, "" clears a field. */
typedef struct lv_lead_input {
    unsigned int version; /* LV_LEAD_INPUT_VERSION */
    const char *field[LV_FIELD_COUNT];
    size_t field_len[LV_FIELD_COUNT];
    const char *source;        /* channel name, see lv_source_names */
    const char *source_detail; /* free text, plain metadata: no PII */
    const char *stage;         /* see lv_stage_names */
    const char *owner;         /* vault user name responsible */
    const char *country;       /* ISO 3166-1 alpha-2 */
    lv_signal signal[LV_SIGNAL_COUNT];
    int64_t last_contact; /* unix ms; 0 = not given */
} lv_lead_input;
#define LV_LEAD_INPUT_INIT                                                                         \
    {                                                                                              \
        LV_LEAD_INPUT_VERSION, {0}, {0}, NULL, NULL, NULL, NULL, NULL, {0}, 0                      \
    }

/** NULL-terminated lists of the accepted channel and stage names. */
LV_EXTERN const char *const *lv_source_names(void);
LV_EXTERN const char *const *lv_stage_names(void);

/** Plain metadata of a lead (no PII). */
typedef struct lv_lead_meta {
    char id[LV_ID_STRLEN + 1];
    char source[32];
    char source_detail[256];
    char stage[16];
    char owner[LV_NAME_MAX + 1];
    char country[3];
    lv_signal signal[LV_SIGNAL_COUNT];
    const char *quality;                    /* "high", "medium", "low" (static) */
    int64_t created, updated, last_contact; /* unix ms; 0 = never */
} lv_lead_meta;

/** A revealed lead: metadata plus the requested fields, decrypted into
 * guarded memory that lv_lead_free wipes. value[i] is NULL when field i
 * was not requested or is empty in the vault. */
typedef struct lv_lead {
    lv_lead_meta meta;
    char *value[LV_FIELD_COUNT];
    size_t value_len[LV_FIELD_COUNT];
} lv_lead;

/** Wipe and free a revealed lead. NULL is a no-op. */
LV_EXTERN void lv_lead_free(lv_lead *lead);

/** Validate, normalize and store a new lead; writes its id (32 hex + NUL)
 * to out_id. A lead needs at least one of first name, last name, email or
 * phone. Errors: LV_EINVAL (message names the field, never the value),
 * LV_EDENIED (role). */
LV_EXTERN LV_WARN_UNUSED int lv_lead_add(lv_vault *vault, char out_id[LV_ID_STRLEN + 1],
                                         const lv_lead_input *in);

/** Change the given members of a lead. Errors as lv_lead_add, plus
 * LV_ENOTFOUND, LV_ECORRUPT (a stored value failed to open), LV_EDENIED
 * (the lead is under legal hold). */
LV_EXTERN LV_WARN_UNUSED int lv_lead_update(lv_vault *vault, const char *id,
                                            const lv_lead_input *in);

/** Reveal fields of one lead for a purpose. fields is a mask (0 = every
 * field the purpose allows). The access is audited and committed before
 * anything is returned. *out is owned by the caller (lv_lead_free).
 * Errors: LV_ENOTFOUND, LV_EINVAL (no purpose, unknown field bits), LV_EDENIED,
 * LV_ECORRUPT (the message names lead and field). */
LV_EXTERN LV_WARN_UNUSED int lv_lead_get(lv_lead **out, lv_vault *vault, const char *id,
                                         const char *purpose, uint32_t fields);

/** Which index a lookup uses. */
typedef enum lv_lookup { LV_LOOKUP_EMAIL = 1, LV_LOOKUP_PHONE = 2 } lv_lookup;

/** Find the leads whose email (trim, NFC, case-fold) or phone (digits with
 * country code) equals value, through the blind index; each candidate is
 * decrypted and compared before it is returned. *out is an array of
 * *count leads (lv_lead_list_free). No match is 0 with *count == 0.
 * Errors as lv_lead_get. */
LV_EXTERN LV_WARN_UNUSED int lv_lead_find(lv_lead ***out, size_t *count, lv_vault *vault,
                                          lv_lookup by, const char *value, const char *purpose,
                                          uint32_t fields);
LV_EXTERN void lv_lead_list_free(lv_lead **leads, size_t count);

typedef struct lv_lead_filter {
    const char *stage;  /* NULL = any */
    const char *source; /* NULL = any */
    const char *owner;  /* NULL = any */
} lv_lead_filter;

/** Called once per lead, in id order; return non-zero to stop early. */
typedef int (*lv_lead_meta_fn)(void *ctx, const lv_lead_meta *meta);

/** List lead metadata (no PII, no purpose needed). The audit entry is
 * committed before fn is first called (fail closed). */
LV_EXTERN LV_WARN_UNUSED int lv_lead_list(lv_vault *vault, const lv_lead_filter *filter,
                                          lv_lead_meta_fn fn, void *ctx);

/** Called per revealed lead of lv_lead_list_reveal; the lead (and its
 * values) is valid during the call only. Non-zero stops early. */
typedef int (*lv_lead_fn)(void *ctx, const lv_lead *lead);

/** lv_lead_list with, for each lead, the fields of mask (0 = every field
 * the purpose allows) revealed for purpose. Lead get's purpose rules
 * apply (a field the purpose does not allow: LV_EDENIED); leads without
 * the consent a consent-based purpose needs, and leads a scoped user does
 * not own, are left out. One audit entry lists every lead shown and the
 * fields, and is committed before fn is first called; a lead erased,
 * reassigned or withdrawn from consent since is left out. Errors as
 * lv_lead_get. */
LV_EXTERN LV_WARN_UNUSED int lv_lead_list_reveal(lv_vault *vault, const lv_lead_filter *filter,
                                                 const char *purpose, uint32_t fields,
                                                 lv_lead_fn fn, void *ctx);

#define LV_SEARCH_LIMIT_DEFAULT 20
#define LV_SEARCH_LIMIT_MAX 1000

/** Find the leads whose first name, last name or company contain every
 * word of text, compared case- and accent-insensitively (NFKD, case fold,
 * combining marks removed), among the leads the caller may read for
 * purpose: it decrypts those fields of each such lead in guarded memory
 * (a scan; email and phone lookups stay with lv_lead_find). Only fields
 * the purpose reveals are compared, and the matches come back with every
 * field the purpose allows, at most limit of them (0 = 20; over 1000 is
 * LV_EINVAL), in id order. One audit entry lists the leads returned and
 * the fields; the search text is not recorded. No match is 0 with *count
 * 0. LV_EDENIED also when the purpose reveals none of the searched fields.
 * Free with lv_lead_list_free. */
LV_EXTERN LV_WARN_UNUSED int lv_lead_search(lv_lead ***out, size_t *count, lv_vault *vault,
                                            const char *text, const char *purpose, size_t limit);

/** Give a lead another owner (admin). user must be an existing user
 * (LV_ENOTFOUND otherwise). Audited with the lead and the new owner. */
LV_EXTERN LV_WARN_UNUSED int lv_lead_assign(lv_vault *vault, const char *lead_id, const char *user);

/** Quality rating from the three signals: "high", "medium" or "low".
 * See docs/cli.md for the rule. */
LV_EXTERN const char *lv_lead_quality(const lv_signal signal[LV_SIGNAL_COUNT]);

/* ---- purposes, consent, counts ------------------------------------------ */

/** Lawful basis of a purpose. Only LV_BASIS_CONSENT needs a consent record
 * per lead before a reveal. */
typedef enum lv_basis {
    LV_BASIS_CONSENT = 1,
    LV_BASIS_LEGITIMATE_INTEREST = 2,
    LV_BASIS_CONTRACT = 3,
    LV_BASIS_LEGAL_OBLIGATION = 4
} lv_basis;

/** "consent", "legitimate_interest", "contract", "legal_obligation". */
LV_EXTERN const char *lv_basis_name(lv_basis basis);
LV_EXTERN int lv_basis_parse(lv_basis *out, const char *name); /* 0 or LV_EINVAL */
/** Parse "sales,admin" into a role mask (bit 1 << role). 0 or LV_EINVAL. */
LV_EXTERN int lv_role_mask_parse(uint32_t *out, const char *list);

#define LV_PURPOSE_NAME_MAX 64 /* [a-z0-9_], 1..64 bytes */

typedef struct lv_purpose_info {
    char name[LV_PURPOSE_NAME_MAX + 1];
    lv_basis basis;
    uint32_t fields; /* fields it may reveal (bit per lv_field) */
    uint32_t roles;  /* roles that may use it (bit 1 << lv_role) */
    int64_t created; /* unix ms */
    int64_t retired; /* unix ms; 0 while active */
} lv_purpose_info;

/** Define a purpose (admin). Errors: LV_EEXISTS, LV_EINVAL, LV_EDENIED. */
LV_EXTERN LV_WARN_UNUSED int lv_purpose_add(lv_vault *vault, const char *name, lv_basis basis,
                                            uint32_t fields, uint32_t roles);
/** Retire a purpose (admin): no new reveals or grants; its consent history
 * stays readable. Errors: LV_ENOTFOUND, LV_EDENIED. */
LV_EXTERN LV_WARN_UNUSED int lv_purpose_retire(lv_vault *vault, const char *name);
/** Every purpose, by name (any unlocked role). Free with lv_purpose_list_free.
 * LV_ECORRUPT when a purpose record fails its integrity check. */
LV_EXTERN LV_WARN_UNUSED int lv_purpose_list(lv_vault *vault, lv_purpose_info **out, size_t *count);
LV_EXTERN void lv_purpose_list_free(lv_purpose_info *purposes);

/** One consent record. evidence and reason are decrypted into guarded
 * memory wiped by lv_consent_history_free; NULL when absent. */
typedef struct lv_consent_record {
    char purpose[LV_PURPOSE_NAME_MAX + 1];
    int granted;     /* 1 granted, 0 withdrawn */
    int64_t time;    /* unix ms */
    int64_t expires; /* unix ms; 0 = never */
    char actor[LV_NAME_MAX + 1];
    char notice_version[LV_PURPOSE_NAME_MAX + 1];
    char *evidence;
    size_t evidence_len;
    char *reason;
    size_t reason_len;
    void *internal; /* library use */
} lv_consent_record;

/** Record that the lead gave consent for purpose (basis consent), with
 * evidence (sealed like PII; required), an optional privacy-notice version,
 * and an optional expiry (unix ms, 0 = none). Roles admin, sales,
 * compliance. Appends; never overwrites. Errors: LV_ENOTFOUND (lead or
 * purpose), LV_EINVAL, LV_EDENIED (retired purpose, role, the lead is
 * under legal hold; the same for lv_consent_withdraw). */
LV_EXTERN LV_WARN_UNUSED int lv_consent_grant(lv_vault *vault, const char *lead_id,
                                              const char *purpose, const char *evidence,
                                              const char *notice_version, int64_t expires);
/** Record a withdrawal (reason optional, sealed). The next reveal for that
 * purpose is denied. Roles admin, sales, compliance. */
LV_EXTERN LV_WARN_UNUSED int lv_consent_withdraw(lv_vault *vault, const char *lead_id,
                                                 const char *purpose, const char *reason);
/** lv_consent_grant / lv_consent_withdraw for the one lead whose email
 * (by LV_LOOKUP_EMAIL) or phone (LV_LOOKUP_PHONE) equals value, found as
 * lv_lead_find finds it (blind index, each candidate decrypted and
 * compared); no purpose is needed for the lookup. On success lead_id (may
 * be NULL) receives the lead's id. The audit entry names the leads that
 * matched. Errors as those two, and LV_ENOTFOUND (no lead has that value),
 * LV_EINVAL (several do: the message lists their ids, never a value;
 * nothing is recorded). */
LV_EXTERN LV_WARN_UNUSED int lv_consent_grant_by(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1],
                                                 lv_lookup by, const char *value,
                                                 const char *purpose, const char *evidence,
                                                 const char *notice_version, int64_t expires);
LV_EXTERN LV_WARN_UNUSED int lv_consent_withdraw_by(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1],
                                                    lv_lookup by, const char *value,
                                                    const char *purpose, const char *reason);
/** The lead's whole consent history, oldest first (admin, compliance).
 * Free with lv_consent_history_free. */
LV_EXTERN LV_WARN_UNUSED int lv_consent_history(lv_consent_record **out, size_t *count,
                                                lv_vault *vault, const char *lead_id);
LV_EXTERN void lv_consent_history_free(lv_consent_record *records, size_t count);

/** Called per count: group "stage", "source" or "consent" (leads with an
 * active consent, keyed by purpose). */
typedef void (*lv_count_fn)(void *ctx, const char *group, const char *key, uint64_t count);
/** Lead counts without PII (any role): fn is called for each stage, then
 * each source, then each purpose, in key order; *total is the number of
 * leads. The audit entry is committed before fn is first called. On an
 * error, fn may already have been called for some counts, and *total is 0. */
LV_EXTERN LV_WARN_UNUSED int lv_stats(lv_vault *vault, uint64_t *total, lv_count_fn fn, void *ctx);

/* ---- erasure, suppression, holds, retention ------------------------------ */

/** Receives output bytes; returns 0, or non-zero to abort (LV_ERROR). */
typedef int (*lv_write_fn)(void *ctx, const char *data, size_t len);

#define LV_ERASE_OPTIONS_VERSION 1
typedef struct lv_erase_options {
    unsigned int version; /* LV_ERASE_OPTIONS_VERSION */
    const char *request;  /* request reference (required; no personal data) */
    const char *ground;   /* ground of the erasure, e.g. "GDPR Art. 17(1)(b)" */
    int no_suppress;      /* 1: do not add the person to the suppression list */
} lv_erase_options;
#define LV_ERASE_OPTIONS_INIT                                                                      \
    {                                                                                              \
        LV_ERASE_OPTIONS_VERSION, NULL, NULL, 0                                                    \
    }

/** Erase a lead by id (lead_id non-NULL), or every lead whose email or
 * phone (by, value) matches: its data key, every sealed field, its index
 * entries and consent records are deleted (secure_delete), a tombstone
 * (id, time, request, ground) is kept, the person's email and phone go on
 * the suppression list unless opts->no_suppress, and the WAL is truncated
 * so nothing survives in the file, WAL or journal. Each lead gets its own
 * audit entry. A signed JSON receipt is written through receipt_fn when it
 * is non-NULL. Roles admin, compliance. Errors: LV_ENOTFOUND, LV_EDENIED
 * (role, or a lead under legal hold: nothing is erased then). */
LV_EXTERN LV_WARN_UNUSED int lv_erase(lv_vault *vault, const char *lead_id, lv_lookup by,
                                      const char *value, const lv_erase_options *opts,
                                      lv_write_fn receipt_fn, void *receipt_ctx, size_t *erased);

/** Whether an email or phone is on the suppression list (admin, sales,
 * compliance). */
LV_EXTERN LV_WARN_UNUSED int lv_suppress_check(lv_vault *vault, lv_lookup by, const char *value,
                                               int *suppressed);
/** What is known of a person's or lead's erasure: no personal data. */
typedef struct lv_erasure_info {
    int64_t suppressed; /* unix ms the person went on the suppression list; 0 = not on it */
    int64_t erased;     /* unix ms of the matching erasure; 0 = no erasure record matches */
    char request[129];  /* its request reference */
    char ground[257];   /* its ground ("" when none was given) */
} lv_erasure_info;

/** lv_suppress_check, telling also when and under which request the
 * person was erased (from the erasure record made with the suppression
 * entry). info->suppressed is 0 when the person is not listed. Audited as
 * a check. */
LV_EXTERN LV_WARN_UNUSED int lv_suppress_info(lv_vault *vault, lv_lookup by, const char *value,
                                              lv_erasure_info *info);

/** Take an email or phone off the suppression list (admin; audited), for a
 * person who asks to come back. LV_ENOTFOUND when it is not listed. */
LV_EXTERN LV_WARN_UNUSED int lv_suppress_remove(lv_vault *vault, lv_lookup by, const char *value);

/** Verify a receipt (the exact bytes written by lv_erase or
 * lv_retention_run) with a public key file's text, or with the key of the
 * unlocked vault when pubkey_text is NULL. Any role. Returns 0, or
 * LV_ECORRUPT when any byte differs from what was signed. */
LV_EXTERN LV_WARN_UNUSED int lv_receipt_verify(const char *receipt, size_t len,
                                               const char *pubkey_text, lv_vault *vault);

typedef struct lv_hold_info {
    char lead_id[LV_ID_STRLEN + 1];
    char reason[512];
    char actor[LV_NAME_MAX + 1];
    int64_t time; /* unix ms */
} lv_hold_info;

/** Put a lead under legal hold (admin, compliance): retention skips it, a
 * manual erasure is refused, and so are updates (lv_lead_update, an import
 * update) and consent grants and withdrawals on it (LV_EDENIED). reason is
 * plain metadata: no personal data. */
LV_EXTERN LV_WARN_UNUSED int lv_hold_set(lv_vault *vault, const char *lead_id, const char *reason);
LV_EXTERN LV_WARN_UNUSED int lv_hold_clear(lv_vault *vault, const char *lead_id);
LV_EXTERN LV_WARN_UNUSED int lv_hold_list(lv_vault *vault, lv_hold_info **out, size_t *count);
LV_EXTERN void lv_hold_list_free(lv_hold_info *holds);

/** A retention rule: a lead is due when every given condition holds. At
 * least one of older_than_ms (since created) or inactive_ms (since last
 * contact, or creation when never contacted) is required. */
typedef struct lv_retention_rule {
    char name[LV_PURPOSE_NAME_MAX + 1];
    char stage[16];        /* "" = any */
    char source[32];       /* "" = any */
    int no_consent;        /* the lead holds no active consent */
    int consent_withdrawn; /* the lead withdrew consent for some purpose */
    int64_t older_than_ms;
    int64_t inactive_ms;
} lv_retention_rule;

/** Rules are managed by admin and compliance; authenticated like purposes. */
LV_EXTERN LV_WARN_UNUSED int lv_retention_add(lv_vault *vault, const lv_retention_rule *rule);
LV_EXTERN LV_WARN_UNUSED int lv_retention_remove(lv_vault *vault, const char *name);
LV_EXTERN LV_WARN_UNUSED int lv_retention_list(lv_vault *vault, lv_retention_rule **out,
                                               size_t *count);
LV_EXTERN void lv_retention_list_free(lv_retention_rule *rules);

/** Called per due lead: the first rule that makes it due, and whether it
 * is held (then a run skips it). Non-zero stops. */
typedef int (*lv_due_fn)(void *ctx, const char *lead_id, const char *rule, int held);

/** List what is due at as_of (unix ms; 0 = now), changing nothing. The
 * audit entry is committed before fn is first called. */
LV_EXTERN LV_WARN_UNUSED int lv_retention_plan(lv_vault *vault, int64_t as_of, lv_due_fn fn,
                                               void *ctx);

/** Erase what is due now through the same path as lv_erase (ground:
 * "retention rule NAME"), skip held leads (reported through fn with held
 * 1), and write one signed receipt for the run through receipt_fn. */
LV_EXTERN LV_WARN_UNUSED int lv_retention_run(lv_vault *vault, const char *request, lv_due_fn fn,
                                              void *ctx, lv_write_fn receipt_fn, void *receipt_ctx,
                                              size_t *erased, size_t *skipped);

/* ---- subject requests and backups --------------------------------------- */

typedef enum lv_export_format {
    LV_FORMAT_JSON = 1,
    LV_FORMAT_CSV = 2,
    LV_FORMAT_HTML = 3 /* lv_subject_export only: a page to send to the person */
} lv_export_format;

/** Subject access and portability (compliance): every field in clear, the
 * metadata, the consent history with evidence, and every audit entry that
 * names the lead, for the lead by id or every lead matching (by, value);
 * with what GDPR Art. 15 and 14 add: the source of the data, each purpose
 * with its legal basis and the person's consent state, the recipients
 * (exports that included the lead), the retention rules that apply and a
 * legal hold, and the person's rights. JSON (UTF-8 text unescaped), CSV
 * (lead_id,section,item,name,value) or HTML (one self-contained page, no
 * script, no external load: docs/cli.md). Audited with the request
 * reference. LV_ENOTFOUND when no lead matches; its message tells when
 * and under which request an erasure took place, if one is known. */
LV_EXTERN LV_WARN_UNUSED int lv_subject_export(lv_vault *vault, const char *lead_id, lv_lookup by,
                                               const char *value, const char *request,
                                               lv_export_format format, lv_write_fn fn, void *ctx);

/** Consistent online copy of the vault to a new file (admin; 0600). */
LV_EXTERN LV_WARN_UNUSED int lv_backup(lv_vault *vault, const char *path);

/** Bring back from a backup of this same vault (admin) every lead this
 * vault lacks and never erased, with its index entries and consent
 * records, in one transaction: erasures recorded since the backup are
 * re-applied before anything is copied. Leads the vault holds keep their
 * newer state; users, purposes, holds, rules, the suppression list and the
 * audit log stay those of the current vault. *restored counts the leads
 * brought back, *skipped those left out as erased. */
LV_EXTERN LV_WARN_UNUSED int lv_restore(lv_vault *vault, const char *path, uint64_t *restored,
                                        uint64_t *skipped);

/* ---- settings and compliance reports ------------------------------------- */

#define LV_SETTING_VALUE_MAX 256 /* bytes of UTF-8, no control characters */

/** NULL-terminated list of the setting names: "controller",
 * "controller_contact", "dpo_contact", "representative". */
LV_EXTERN const char *const *lv_setting_names(void);

/** Set a vault setting (admin; audited with the name, never the value).
 * The value is stored under a MAC keyed by the master key, so an edit of
 * the file is an integrity failure when it is read. "" clears it.
 * Errors: LV_EINVAL (unknown name; value not UTF-8, with a control
 * character or longer than LV_SETTING_VALUE_MAX), LV_EDENIED. */
LV_EXTERN LV_WARN_UNUSED int lv_setting_set(lv_vault *vault, const char *name, const char *value);

/** Called per setting, in the order of lv_setting_names; value is "" when
 * the setting was never set. */
typedef void (*lv_setting_fn)(void *ctx, const char *name, const char *value);

/** Every setting (admin). LV_ECORRUPT when a stored value fails its MAC. */
LV_EXTERN LV_WARN_UNUSED int lv_setting_list(lv_vault *vault, lv_setting_fn fn, void *ctx);

typedef enum lv_report_kind {
    LV_REPORT_PROCESSING = 1, /* record of processing (GDPR Art. 30(1)) */
    LV_REPORT_ACCESS = 2,     /* who accessed lead data, when, for what */
    LV_REPORT_CONSENT = 3,    /* consent coverage, grants, withdrawals, expiry */
    LV_REPORT_RETENTION = 4,  /* rules, leads coming due, holds, erasures by rule */
    LV_REPORT_ERASURE = 5     /* requests, time to erasure, suppression list */
} lv_report_kind;

typedef enum lv_report_format {
    LV_REPORT_HTML = 1, /* one self-contained page: inline CSS and SVG, no script */
    LV_REPORT_CSV = 2,  /* one block per section: its id, header row, rows */
    LV_REPORT_JSON = 3  /* the report model itself (docs/reports.md) */
} lv_report_format;

/** Parse "processing", "access", "consent", "retention", "erasure" /
 * "html", "csv", "json". Return 0 or LV_EINVAL. */
LV_EXTERN int lv_report_kind_parse(lv_report_kind *out, const char *name);
LV_EXTERN int lv_report_format_parse(lv_report_format *out, const char *name);

#define LV_REPORT_OPTIONS_VERSION 1
typedef struct lv_report_options {
    unsigned int version; /* LV_REPORT_OPTIONS_VERSION */
    lv_report_kind kind;
    lv_report_format format; /* 0 = HTML */
    int64_t from;            /* unix ms, inclusive; 0 = the beginning */
    int64_t to;              /* unix ms, inclusive; 0 = now */
} lv_report_options;
#define LV_REPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        LV_REPORT_OPTIONS_VERSION, LV_REPORT_PROCESSING, LV_REPORT_HTML, 0, 0                      \
    }

/** Build a compliance report and write it through fn (compliance and
 * auditor roles). The audit log is verified first (every hash, link and
 * checkpoint signature); the figures come only from the verified entries
 * and the report names the head and checkpoint they were computed from.
 * The report holds counts, lead ids, and names of users, purposes, fields
 * and rules: never a field value. The report is audited, and that entry is
 * committed before the first byte reaches fn. Errors: LV_ECORRUPT (the
 * audit log or a record the report reads fails verification: nothing is
 * written), LV_EINVAL (bad options, from after to), LV_EDENIED. */
LV_EXTERN LV_WARN_UNUSED int lv_report(lv_vault *vault, const lv_report_options *opts,
                                       lv_write_fn fn, void *ctx);

/* ---- bulk import and export --------------------------------------------- */

/** Reads up to cap bytes into buf; *got = 0 at the end. Returns 0, or
 * non-zero on a read error. */
typedef int (*lv_read_fn)(void *ctx, char *buf, size_t cap, size_t *got);

typedef enum lv_import_format {
    LV_IMPORT_CSV = 1,  /* RFC 4180, header row first */
    LV_IMPORT_JSONL = 2 /* one JSON object per line, keys as CSV headers */
} lv_import_format;

typedef enum lv_on_duplicate {
    LV_DUPLICATE_SKIP = 0,   /* count it, keep the stored lead */
    LV_DUPLICATE_UPDATE = 1, /* fill the stored lead with the row's values */
    LV_DUPLICATE_ERROR = 2   /* reject the row */
} lv_on_duplicate;

/** A rejected row: its line, why (never a value), and the row as read
 * (raw bytes of the record without its line terminator). For CSV, called
 * once first with reason NULL and the raw header, so that rejected rows can
 * be written out as a file that imports again once fixed. */
typedef void (*lv_reject_fn)(void *ctx, uint64_t line, const char *reason, const char *raw,
                             size_t raw_len);
/** Progress: rows read and input bytes consumed so far. */
typedef void (*lv_progress_fn)(void *ctx, uint64_t rows, uint64_t bytes);

#define LV_IMPORT_OPTIONS_VERSION 2
#define LV_IMPORT_CONSENT_COLUMNS_MAX 8
typedef struct lv_import_options {
    unsigned int version;    /* LV_IMPORT_OPTIONS_VERSION */
    lv_import_format format; /* 0 = CSV */
    char delimiter;          /* CSV; 0 = ',' */
    const char *const *map;  /* "Header=field" overrides; field "ignore" drops a column */
    size_t map_count;
    const char *source;          /* channel of rows that name none */
    const char *consent_purpose; /* grant this consent to every imported lead ... */
    const char *evidence;        /* ... with this evidence (required with it) */
    lv_on_duplicate on_duplicate;
    int atomic;  /* all rows or none */
    int dry_run; /* validate and count, store nothing */
    lv_reject_fn reject;
    void *reject_ctx;
    lv_progress_fn progress;
    void *progress_ctx;
    /* Version 2: */
    const char *default_country;  /* alpha-2 code of rows that name no country
                                     (their national phone numbers), or NULL */
    const char *const *map_owner; /* "CRM NAME=user": owner values onto vault users */
    size_t map_owner_count;
    /* "COLUMN=PURPOSE": each stored lead's value in COLUMN grants or
     * withdraws consent for PURPOSE (at most LV_IMPORT_CONSENT_COLUMNS_MAX).
     * Values are read by the column's CRM convention (docs/cli.md); an
     * opt-out withdraws; the absence of an opt-out never grants. */
    const char *const *consent_columns;
    size_t consent_column_count;
    const char *consent_granted;   /* "V,V,...": values that grant (any column) */
    const char *consent_withdrawn; /* "V,V,...": values that withdraw */
    const char *input_name;        /* the input as consent evidence names it
                                      ("file.csv"); NULL: "input" */
} lv_import_options;
#define LV_IMPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        LV_IMPORT_OPTIONS_VERSION, LV_IMPORT_CSV, 0, NULL, 0, NULL, NULL, NULL, LV_DUPLICATE_SKIP, \
            0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL                 \
    }

typedef struct lv_import_summary {
    uint64_t rows;             /* data rows read */
    uint64_t imported;         /* new leads stored */
    uint64_t updated;          /* duplicates updated (LV_DUPLICATE_UPDATE) */
    uint64_t duplicates;       /* duplicates skipped, of the vault or of earlier rows */
    uint64_t suppressed;       /* people on the suppression list, skipped */
    uint64_t rejected;         /* rows refused (see the reject callback) */
    uint64_t unmapped_sources; /* source values stored as "other" + source_detail */
    uint64_t unmapped_stages;  /* stage values stored as "new" */
    char unknown_columns[512]; /* headers not imported, comma-separated */
    uint64_t owners_dropped;   /* owner values that name no vault user (nor map
                                  onto one): those leads are owned by the importer */
    uint64_t consent_granted;  /* consent records made from consent columns */
    uint64_t consent_withdrawn;
    uint64_t consent_unknown;            /* stored leads whose consent cell held a value that
                                            neither grants nor withdraws: no record made */
    char consent_unknown_columns[256];   /* the columns they were in, comma-separated */
    uint64_t consent_unknown_first_line; /* line of the first of them */
} lv_import_summary;

/** Import leads from a stream (admin, sales). Rows are committed in
 * batches, each with one audit entry listing its lead ids; an interrupted
 * import leaves only whole leads, and running it again imports the rest
 * (rows already stored count as duplicates). Duplicates are found by
 * email, then phone, against the vault and earlier rows. Memory stays
 * bounded whatever the input size; a record over 16 MiB stops the import.
 * Errors: LV_EINVAL (not UTF-8, bad header, duplicate columns, bad
 * options), LV_EDENIED, LV_ERROR (read failure); bad rows are not errors:
 * they are rejected and counted. With LV_DUPLICATE_UPDATE, a row matching a
 * lead under legal hold is rejected, and the import, once the other rows
 * are stored, returns LV_EDENIED. */
LV_EXTERN LV_WARN_UNUSED int lv_import(lv_vault *vault, lv_read_fn read, void *read_ctx,
                                       const lv_import_options *opts, lv_import_summary *summary);

#define LV_CONSENT_IMPORT_OPTIONS_VERSION 1
typedef struct lv_consent_import_options {
    unsigned int version;   /* LV_CONSENT_IMPORT_OPTIONS_VERSION */
    char delimiter;         /* 0 = ',' */
    const char *input_name; /* the input as each record's evidence names it; NULL: "input" */
    lv_reject_fn reject;    /* as lv_import's: the header first, then each refused row */
    void *reject_ctx;
} lv_consent_import_options;
#define LV_CONSENT_IMPORT_OPTIONS_INIT                                                             \
    {                                                                                              \
        LV_CONSENT_IMPORT_OPTIONS_VERSION, 0, NULL, NULL, NULL                                     \
    }

typedef struct lv_consent_import_summary {
    uint64_t rows;      /* data rows read */
    uint64_t granted;   /* grants recorded */
    uint64_t withdrawn; /* withdrawals recorded */
    uint64_t rejected;  /* rows refused (see the reject callback) */
} lv_consent_import_summary;

/** Record consent in bulk (admin, sales, compliance) from CSV with a
 * header naming the columns email or phone (or both: email is used when
 * the row has one), purpose, action (grant or withdraw), and optionally
 * time (when it was given or withdrawn: YYYY-MM-DD or RFC 3339; empty or
 * absent: now) and evidence (required for a grant). Each row's lead is
 * found as lv_consent_grant_by finds it; each row is recorded in its own
 * transaction with its own audit entry, with the evidence (or reason)
 * followed by "(consent import of INPUT, line N)". A row that cannot be
 * recorded (no such lead, several, unknown or non-consent purpose, bad
 * time) is rejected with its line and reason and changes nothing.
 * Errors: LV_EINVAL (not UTF-8, bad header, bad options), LV_EDENIED
 * (role), LV_ECORRUPT, LV_ERROR; rows already recorded stay recorded. */
LV_EXTERN LV_WARN_UNUSED int lv_consent_import(lv_vault *vault, lv_read_fn read, void *read_ctx,
                                               const lv_consent_import_options *opts,
                                               lv_consent_import_summary *summary);

#define LV_EXPORT_OPTIONS_VERSION 1
typedef struct lv_export_options {
    unsigned int version;    /* LV_EXPORT_OPTIONS_VERSION */
    const char *purpose;     /* required: decides leads and fields */
    lv_export_format format; /* LV_FORMAT_CSV (0 too) or LV_FORMAT_JSON (JSON Lines) */
    const char *stage;       /* only leads at this stage; NULL = any */
    const char *source;      /* only leads from this channel; NULL = any */
} lv_export_options;
#define LV_EXPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        LV_EXPORT_OPTIONS_VERSION, NULL, LV_FORMAT_CSV, NULL, NULL                                 \
    }

/** Export, for a purpose, exactly the leads it allows (consent enforced
 * where its basis is consent) with only its fields: CSV (header id and the
 * fields; cells a spreadsheet would run as a formula - starting with = + -
 * @, tab or CR, also after apostrophes - get a leading apostrophe, which
 * lv_import takes off again) or JSON Lines. One audit entry
 * lists every lead id and is committed before anything is written; a lead
 * whose consent is withdrawn meanwhile is left out. Roles as lv_lead_get.
 * *exported counts the leads written. */
LV_EXTERN LV_WARN_UNUSED int lv_export(lv_vault *vault, const lv_export_options *opts,
                                       lv_write_fn fn, void *ctx, uint64_t *exported);

/* ---- audit log ---------------------------------------------------------- */

#define LV_AUDIT_HASH_BYTES 32
#define LV_AUDIT_PUBKEY_BYTES 32
#define LV_AUDIT_TEXT_MAX 512 /* a public key or checkpoint file, with NUL */

/** One audit entry. Strings are valid during the callback only. Entries
 * never hold a field value or a secret. */
typedef struct lv_audit_entry {
    uint64_t seq;
    const char *time;    /* RFC 3339 UTC with milliseconds */
    const char *actor;   /* vault user (for a failed unlock: the name tried) */
    const char *role;    /* "" when the session was not unlocked */
    const char *os_user; /* operating-system user */
    const char *action;  /* e.g. "lead.get" */
    const char *subject; /* other object acted on (a user name), or "" */
    const char *fields;  /* comma-separated field names, or "" */
    const char *purpose; /* or "" */
    const char *outcome; /* "ok", "denied" or "error" */
    const char *request; /* request reference, or "" */
    int code;            /* 0 or the LV_E* code */
    size_t lead_count;
    const unsigned char *lead_ids; /* lead_count * LV_ID_BYTES */
    unsigned char prev_hash[LV_AUDIT_HASH_BYTES];
    unsigned char hash[LV_AUDIT_HASH_BYTES];
} lv_audit_entry;

#define LV_AUDIT_FILTER_VERSION 1
/** Which entries to read; the conditions given all hold (AND). */
typedef struct lv_audit_filter {
    unsigned int version; /* LV_AUDIT_FILTER_VERSION */
    const char *lead_id;  /* hex id: entries naming that lead; NULL = any */
    const char *user;     /* vault user (the entry's actor), exactly; NULL = any */
    const char *action;   /* an action, a prefix of whole parts ("lead.find") or a glob with
                             * and ? ("lead.*"); must match an action of lv_audit_actions() */
    const char *purpose;  /* exactly; one neither the vault nor the log knows is LV_EINVAL */
    const char *outcome;  /* "ok", "denied" or "error" (case ignored); NULL = any */
    int64_t since;        /* unix ms, inclusive lower bound of the entry's time; 0 = none */
    int64_t until;        /* unix ms, inclusive upper bound; 0 = none */
} lv_audit_filter;
#define LV_AUDIT_FILTER_INIT                                                                       \
    {                                                                                              \
        LV_AUDIT_FILTER_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0                                \
    }

/** Called per entry in sequence order; non-zero stops the walk. */
typedef int (*lv_audit_fn)(void *ctx, const lv_audit_entry *entry);
/** Walk the audit entries matching filter (NULL: every entry; compliance
 * and auditor roles). The entries' times are compared as times, not text.
 * The reading is itself audited, and its entry committed before fn is
 * first called; the walk ends before that entry. Errors: LV_EDENIED,
 * LV_EINVAL (bad id, wrong filter version, an action pattern, purpose or
 * outcome that names nothing: its message lists the valid names). */
LV_EXTERN LV_WARN_UNUSED int lv_audit_show(lv_vault *vault, const lv_audit_filter *filter,
                                           lv_audit_fn fn, void *ctx);

/** Export the whole log as JSON Lines through fn: a header line (vault id),
 * one line per signed checkpoint, then one line per entry with seq, hash
 * and prev_hash (docs/format.md). Compliance and auditor roles; audited. */
LV_EXTERN LV_WARN_UNUSED int lv_audit_export(lv_vault *vault, lv_write_fn fn, void *ctx);

/** Export the entries matching filter (NULL: all). LV_FORMAT_JSON: as
 * lv_audit_export when filter is NULL; with a filter, a header of type
 * "leadvault-audit-selection" (no checkpoints: a selection has gaps and
 * cannot be verified) and the matching entries. LV_FORMAT_CSV (RFC 4180,
 * CRLF, cells guarded against spreadsheet formulas): a header row, then
 * one row per entry, or per entry and lead id for an entry naming several
 * leads (lead_count rows then share seq and hash). Roles and errors as
 * lv_audit_show; audited as audit.export. */
LV_EXTERN LV_WARN_UNUSED int lv_audit_export_entries(lv_vault *vault, const lv_audit_filter *filter,
                                                     lv_export_format format, lv_write_fn fn,
                                                     void *ctx);

/** One action the audit log records and what an entry of it means. */
typedef struct lv_audit_action {
    const char *name;    /* e.g. "lead.find.email" */
    const char *meaning; /* one line */
} lv_audit_action;
/** Every action, sorted by name, ending with {NULL, NULL}. Static. */
LV_EXTERN const lv_audit_action *lv_audit_actions(void);

/** The audit public key file text (Ed25519, derived from the master key)
 * and its fingerprint ("lv1:" + 32 hex). Any unlocked role. */
LV_EXTERN LV_WARN_UNUSED int lv_audit_pubkey(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX],
                                             char fingerprint[48]);

/** The latest signed checkpoint as text, to keep outside the vault.
 * Any unlocked role. LV_ENOTFOUND when nothing was signed yet. */
LV_EXTERN LV_WARN_UNUSED int lv_audit_checkpoint(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX]);

/** Outcome of a verification. */
typedef struct lv_audit_report {
    uint64_t entries;       /* entries whose hash and link were verified */
    uint64_t checkpoints;   /* checkpoint signatures verified */
    uint64_t signed_size;   /* entries covered by the newest valid checkpoint */
    uint64_t unsigned_tail; /* entries after it: a warning, not a failure */
    int extends_checkpoint; /* 1: the log extends the outside checkpoint given */
    uint64_t first_bad_seq; /* 0 when verification passed */
    char reason[256];       /* why it failed ("" when it passed) */
} lv_audit_report;

/** Recompute the whole chain and every checkpoint signature of the vault.
 * pubkey_text: a public key file's text; NULL uses the key of the
 * unlocked vault (a locked vault needs pubkey_text). checkpoint_text: an
 * earlier checkpoint kept outside the vault, or NULL; when given, the log
 * must still extend it (detects truncation and rollback).
 * Returns 0, or LV_ECORRUPT with report->first_bad_seq and reason set.
 * Any role; works on a locked vault. */
LV_EXTERN LV_WARN_UNUSED int lv_audit_verify(lv_vault *vault, const char *pubkey_text,
                                             const char *checkpoint_text, lv_audit_report *report);

/** Verify an exported JSON Lines log offline, with no vault: same checks
 * and results as lv_audit_verify. */
LV_EXTERN LV_WARN_UNUSED int lv_audit_verify_log(const char *jsonl_path, const char *pubkey_text,
                                                 const char *checkpoint_text,
                                                 lv_audit_report *report);

/** Format unix milliseconds as RFC 3339 UTC with milliseconds ("" for 0). */
LV_EXTERN void lv_time_format(char out[32], int64_t unix_ms);

/** Parse an absolute time into unix ms: a date "YYYY-MM-DD" (its midnight
 * UTC), or a date and time "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z"
 * or an offset "+HH:MM" / "-HH:MM" (ISO 8601 / RFC 3339; 1 to 9 fraction
 * digits, kept to the millisecond), or "YYYY-MM-DD HH:MM[:SS[.fff]]" with
 * an optional zone (none: UTC). Years 1970-9999, real calendar dates.
 * Returns 0 or LV_EINVAL (lv_error_last() names the accepted forms). */
LV_EXTERN int lv_time_parse(int64_t *out, const char *text);

/* The accepted forms, as lv_error_last() words them after a refusal. */
#define LV_TIME_FORMS_ABSOLUTE                                                                     \
    "expected a date (2026-12-01) or a date and time with its zone "                              \
    "(2026-12-01T10:00:00Z, 2026-12-01T10:00:00.250+02:00)"
#define LV_TIME_FORMS                                                                              \
    "expected a date (2026-12-01), a date and time with its zone "                                \
    "(2026-12-01T10:00:00Z, 2026-12-01T10:00:00.250+02:00), now, or an age in hours, "            \
    "days or weeks before now (24h, 7d, 2w; +7d is 7 days after now)"

#define LV_TIME_RELATIVE 1u   /* also "now", "Nh", "Nd", "Nw" (ago) and "+Nh"... (from now) */
#define LV_TIME_END_OF_DAY 2u /* a date alone means its last millisecond (upper bounds) */

/** Parse a time a person typed: every form of lv_time_parse and, with
 * LV_TIME_RELATIVE in flags, "now" and an age of 1 to 6 digits with h, d
 * or w (hours, days of 24 hours, weeks) counted back from now_ms, or
 * forward with a leading "+". now_ms <= 0 uses the clock. With
 * LV_TIME_END_OF_DAY a date alone stands for the end of that day (for an
 * inclusive upper bound such as audit --until). Returns 0 or LV_EINVAL
 * (lv_error_last() is LV_TIME_FORMS or LV_TIME_FORMS_ABSOLUTE). */
LV_EXTERN int lv_time_parse_input(int64_t *out, const char *text, int64_t now_ms, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif /* LEADVAULT_H */
