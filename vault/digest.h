/* digest.h - the state digest: a keyed multiset hash over every row that
 * access or evidence depends on (docs/format.md, "State digest").
 *
 * D = sum over the covered rows of PRF(K_digest, encode(table, row)) mod
 * 2^256 (MSet-Add-Hash, Clarke et al. 2003; LtHash's construction with
 * one 256-bit lane). PRF is keyed BLAKE2b-256 under SUBKEY_DIGEST. Adding
 * a row adds its element, removing one subtracts it, so D follows every
 * change at the cost of the rows changed, and `check` recomputes it in one
 * pass. D is never stored in the clear: meta.digest holds it sealed under
 * K_digest, bound to the audit head of the transaction that wrote it.
 *
 * The first part (digest_sum, digest_row, digest_seal) is pure crypto
 * that a store backend calls; the second works on a session. */
#ifndef LV_DIGEST_H
#define LV_DIGEST_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "leadvault.h"

#define DIGEST_BYTES 32
/* meta.digest: u64be seq | head hash (32) | format byte | nonce (24) |
 * sealed D (32) | tag (16). */
#define DIGEST_SEALED_BYTES (8 + 32 + WRAPPED_KEY_BYTES)

/* Column types of the row encoding: SQLite's fundamental type codes. */
enum { DIGEST_INTEGER = 1, DIGEST_FLOAT = 2, DIGEST_TEXT = 3, DIGEST_BLOB = 4, DIGEST_NULL = 5 };

/* A 256-bit number, four 64-bit limbs, least significant first. */
typedef struct digest_sum {
    uint64_t limb[4];
} digest_sum;

/* *d += element / *d -= element mod 2^256; element is read little-endian. */
void digest_sum_add(digest_sum *d, const unsigned char element[DIGEST_BYTES]);
void digest_sum_sub(digest_sum *d, const unsigned char element[DIGEST_BYTES]);
/* 32 bytes, little-endian (the form that is sealed and committed to). */
void digest_sum_bytes(unsigned char out[DIGEST_BYTES], const digest_sum *d);
void digest_sum_from_bytes(digest_sum *d, const unsigned char in[DIGEST_BYTES]);
/* 1 when equal, in constant time. */
int digest_sum_equal(const digest_sum *a, const digest_sum *b);

/* One row's element: begin with the table's name, one call per column in
 * table order, end. prf is the keyed BLAKE2b-256 state under K_digest
 * (the ring's KEYED_DIGEST), copied, never changed. */
/* The encoding is gathered here and hashed in as few calls as possible:
 * a call per value cost more than the hashing of a short row
 * (docs/performance.md, "The state digest"). 1 KiB holds a lead row with
 * the usual field lengths; a longer one is hashed in pieces. */
#define DIGEST_ROW_GATHER 1024
typedef struct digest_row {
    crypto_generichash_blake2b_state state;
    size_t used;
    unsigned char gather[DIGEST_ROW_GATHER];
} digest_row;
void digest_row_begin(digest_row *r, const crypto_generichash_blake2b_state *prf,
                      const char *table);
/* type DIGEST_TEXT / DIGEST_BLOB: bytes; DIGEST_NULL: none. */
void digest_row_bytes(digest_row *r, int type, const void *bytes, size_t len);
void digest_row_int(digest_row *r, int64_t value);
void digest_row_float(digest_row *r, double value);
void digest_row_end(digest_row *r, unsigned char element[DIGEST_BYTES]);

/* Seal D into meta.digest's value, bound to the vault and to the audit
 * head (seq, hash) of the transaction that writes it. */
void digest_seal(unsigned char out[DIGEST_SEALED_BYTES], const digest_sum *d,
                 const unsigned char digest_key[KEY_BYTES],
                 const unsigned char vault_id[LV_ID_BYTES], uint64_t seq,
                 const unsigned char head[32]);
/* Open a meta.digest value: D and the head it is bound to. LV_ECORRUPT
 * (no message) when it does not open. */
int digest_open(digest_sum *d, uint64_t *seq, unsigned char head[32],
                const unsigned char in[DIGEST_SEALED_BYTES],
                const unsigned char digest_key[KEY_BYTES],
                const unsigned char vault_id[LV_ID_BYTES]) __attribute__((warn_unused_result));

/* ---- on a session ---- */

/* Hand the unlocked session's digest key to the store and load the
 * running digest from meta.digest (opened, not compared with the rows:
 * `check` does that). LV_ECORRUPT "the vault's state digest is missing"
 * or "... does not open". Called by lv_vault_open after an unlock; a
 * store without a digest key refuses to commit a change of a covered
 * table. */
int digest_attach(lv_vault *vault);

/* The unlocked vault's digest key as a store takes it (pointers into its
 * keyring: valid while the vault is open). */
struct store_digest;
void digest_store_key(struct store_digest *out, const lv_vault *vault);

/* The creation of a vault: the digest key attached, D = 0 (empty tables). */
int digest_attach_new(lv_vault *vault);

/* Recompute D from every covered table under the ring's current digest
 * key and seal it into meta.digest, inside the caller's write
 * transaction (its commit seals it again, bound to the final audit head).
 * For upgrade (a new file whose rows were copied) and rekey (a new
 * digest key): attach the new key first (digest_attach_new), outside a
 * transaction or followed by this rebuild in the same one. A rebuild
 * makes the rows as they are the ones D covers: verify the old state
 * first (digest_verify under the old key, as check does), or a file
 * writer's edits would pass as leadvault's. LV_EDENIED when locked,
 * LV_ERROR outside a write transaction. */
int digest_rebuild(lv_vault *vault);

/* check's part: recompute D, open meta.digest, compare (constant time),
 * and check its binding to the audit head. *leads (when not NULL): the
 * lead rows the pass read. 0, or LV_ECORRUPT with a message that names
 * what does not match (never a value). */
int digest_verify(lv_vault *vault, uint64_t *leads);

/* BLAKE2b-256 keyed with K_digest of "lvdigest" || D: what a checkpoint
 * signs of the state at its head. */
void digest_commitment(unsigned char out[DIGEST_BYTES], const lv_vault *vault, const digest_sum *d);

#endif
