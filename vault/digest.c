/* digest.c - the state digest: sum arithmetic, row elements, the sealed
 * meta.digest, and its use by a session (attach, rebuild, verify). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "error.h"
#include "session.h"

/* Limb i of an element: bytes 8i..8i+7, little-endian. One load where
 * the machine is little-endian (the byte loop cost a quarter of the
 * hook's own instructions). */
static uint64_t element_limb(const unsigned char element[DIGEST_BYTES], size_t i)
{
    uint64_t e = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&e, element + 8 * i, sizeof e);
#else
    for (size_t b = 8; b-- > 0;)
        e = e << 8 | element[8 * i + b];
#endif
    return e;
}

void digest_sum_add(digest_sum *d, const unsigned char element[DIGEST_BYTES])
{
    uint64_t carry = 0;
    for (size_t i = 0; i < 4; i++) {
        uint64_t e = element_limb(element, i);
        uint64_t s = d->limb[i] + e;
        uint64_t c1 = s < e;
        uint64_t s2 = s + carry;
        uint64_t c2 = s2 < s;
        d->limb[i] = s2;
        carry = c1 | c2;
    }
}

void digest_sum_sub(digest_sum *d, const unsigned char element[DIGEST_BYTES])
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < 4; i++) {
        uint64_t e = element_limb(element, i);
        uint64_t s = d->limb[i] - e;
        uint64_t b1 = d->limb[i] < e;
        uint64_t s2 = s - borrow;
        uint64_t b2 = s < borrow;
        d->limb[i] = s2;
        borrow = b1 | b2;
    }
}

void digest_sum_bytes(unsigned char out[DIGEST_BYTES], const digest_sum *d)
{
    for (int i = 0; i < 4; i++) {
        for (int b = 0; b < 8; b++)
            out[8 * i + b] = (unsigned char)(d->limb[i] >> (8 * b));
    }
}

void digest_sum_from_bytes(digest_sum *d, const unsigned char in[DIGEST_BYTES])
{
    memset(d, 0, sizeof *d);
    digest_sum_add(d, in);
}

int digest_sum_equal(const digest_sum *a, const digest_sum *b)
{
    unsigned char x[DIGEST_BYTES], y[DIGEST_BYTES];
    digest_sum_bytes(x, a);
    digest_sum_bytes(y, b);
    int equal = sodium_memcmp(x, y, DIGEST_BYTES) == 0;
    sodium_memzero(x, sizeof x);
    sodium_memzero(y, sizeof y);
    return equal;
}

static void gather_flush(digest_row *r)
{
    if (r->used > 0)
        crypto_generichash_blake2b_update(&r->state, r->gather, r->used);
    r->used = 0;
}

static void gather(digest_row *r, const void *bytes, size_t len)
{
    if (r->used + len > sizeof r->gather) {
        gather_flush(r);
        if (len > sizeof r->gather) {
            crypto_generichash_blake2b_update(&r->state, bytes, len);
            return;
        }
    }
    memcpy(r->gather + r->used, bytes, len);
    r->used += len;
}

static void gather_len(digest_row *r, size_t len)
{
    unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                           (unsigned char)(len >> 8), (unsigned char)len};
    gather(r, be, sizeof be);
}

void digest_row_begin(digest_row *r, const crypto_generichash_blake2b_state *prf, const char *table)
{
    memcpy(&r->state, prf, sizeof r->state);
    r->used = 0;
    size_t len = strlen(table);
    gather_len(r, len);
    gather(r, table, len);
}

void digest_row_bytes(digest_row *r, int type, const void *bytes, size_t len)
{
    if (type == DIGEST_NULL)
        len = 0;
    unsigned char head[5] = {(unsigned char)type, (unsigned char)(len >> 24),
                             (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                             (unsigned char)len};
    gather(r, head, sizeof head);
    if (len > 0)
        gather(r, bytes, len);
}

void digest_row_int(digest_row *r, int64_t value)
{
    unsigned char be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (unsigned char)((uint64_t)value >> (56 - 8 * i));
    digest_row_bytes(r, DIGEST_INTEGER, be, sizeof be);
}

void digest_row_float(digest_row *r, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    unsigned char be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (unsigned char)(bits >> (56 - 8 * i));
    digest_row_bytes(r, DIGEST_FLOAT, be, sizeof be);
}

void digest_row_end(digest_row *r, unsigned char element[DIGEST_BYTES])
{
    gather_flush(r);
    crypto_generichash_blake2b_final(&r->state, element, DIGEST_BYTES);
    sodium_memzero(&r->state, sizeof r->state); /* a keyed state: as good as the key */
}

/* AD = vault_id | u64be seq | head hash. */
#define DIGEST_AD_BYTES (LV_ID_BYTES + 8 + 32)

static void seal_ad(unsigned char ad[DIGEST_AD_BYTES], const unsigned char vault_id[LV_ID_BYTES],
                    uint64_t seq, const unsigned char head[32])
{
    memcpy(ad, vault_id, LV_ID_BYTES);
    for (int i = 0; i < 8; i++)
        ad[LV_ID_BYTES + i] = (unsigned char)(seq >> (56 - 8 * i));
    memcpy(ad + LV_ID_BYTES + 8, head, 32);
}

void digest_seal(unsigned char out[DIGEST_SEALED_BYTES], const digest_sum *d,
                 const unsigned char digest_key[KEY_BYTES],
                 const unsigned char vault_id[LV_ID_BYTES], uint64_t seq,
                 const unsigned char head[32])
{
    unsigned char ad[DIGEST_AD_BYTES], plain[DIGEST_BYTES];
    seal_ad(ad, vault_id, seq, head);
    memcpy(out, ad + LV_ID_BYTES, 8 + 32);
    digest_sum_bytes(plain, d);
    key_wrap(out + 8 + 32, plain, digest_key, ad, sizeof ad);
    sodium_memzero(plain, sizeof plain);
}

int digest_open(digest_sum *d, uint64_t *seq, unsigned char head[32],
                const unsigned char in[DIGEST_SEALED_BYTES],
                const unsigned char digest_key[KEY_BYTES],
                const unsigned char vault_id[LV_ID_BYTES])
{
    uint64_t s = 0;
    for (int i = 0; i < 8; i++)
        s = s << 8 | in[i];
    unsigned char ad[DIGEST_AD_BYTES], plain[DIGEST_BYTES];
    seal_ad(ad, vault_id, s, in + 8);
    if (key_unwrap(plain, in + 8 + 32, digest_key, ad, sizeof ad) != 0)
        return LV_ECORRUPT;
    digest_sum_from_bytes(d, plain);
    sodium_memzero(plain, sizeof plain);
    *seq = s;
    memcpy(head, in + 8, 32);
    return 0;
}

/* ---- on a session ---- */

static void store_key(store_digest *out, const lv_vault *vault)
{
    out->prf = &vault->keys->keyed[KEYED_DIGEST];
    out->key = vault->keys->subkey[SUBKEY_DIGEST];
    memcpy(out->vault_id, vault->id, LV_ID_BYTES);
}

int digest_attach(lv_vault *vault)
{
    store_digest key;
    store_key(&key, vault);
    int rc = store_digest_set(vault->store, &key, 1);
    if (rc == LV_ENOTFOUND)
        rc = err_set(LV_ECORRUPT, "integrity failure: the vault's state digest is missing");
    if (rc != 0)
        store_digest_set(vault->store, NULL, 0);
    return rc;
}

void digest_store_key(struct store_digest *out, const lv_vault *vault)
{
    store_key(out, vault);
}

int digest_attach_new(lv_vault *vault)
{
    store_digest key;
    store_key(&key, vault);
    return store_digest_set(vault->store, &key, 0);
}

int digest_rebuild(lv_vault *vault)
{
    int rc = session_require_unlocked(vault);
    if (rc != 0)
        return rc;
    return store_digest_rebuild(vault->store);
}

void digest_commitment(unsigned char out[DIGEST_BYTES], const lv_vault *vault, const digest_sum *d)
{
    unsigned char bytes[DIGEST_BYTES];
    digest_sum_bytes(bytes, d);
    crypto_generichash_blake2b_state st;
    memcpy(&st, &vault->keys->keyed[KEYED_DIGEST], sizeof st);
    crypto_generichash_blake2b_update(&st, (const unsigned char *)"lvdigest", 8);
    crypto_generichash_blake2b_update(&st, bytes, sizeof bytes);
    crypto_generichash_blake2b_final(&st, out, DIGEST_BYTES);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(bytes, sizeof bytes);
}

/* The walk of the binding check: the entry at the bound seq must hold the
 * bound hash, and every later one must have been written without keys
 * (a failed unlock, or a session token the server refused: no role),
 * since every session that holds the key rewrites meta.digest when it
 * commits. */
typedef struct binding_walk {
    uint64_t bound_seq;
    const unsigned char *bound_hash;
    int found;
    uint64_t keyed_after; /* seq of the first entry after it written with keys; 0 none */
} binding_walk;

static int binding_entry(void *ctx, const store_audit *e)
{
    binding_walk *b = ctx;
    if (e->seq == b->bound_seq) {
        b->found = sodium_memcmp(e->hash, b->bound_hash, 32) == 0;
        return b->found ? 0 : 1;
    }
    if (e->seq > b->bound_seq && !(e->role[0] == '\0' && e->code != 0 &&
                                   (strcmp(e->action, "vault.unlock") == 0 ||
                                    strcmp(e->action, "vault.session.refused") == 0))) {
        b->keyed_after = e->seq;
        return 1;
    }
    return 0;
}

int digest_verify(lv_vault *vault, uint64_t *leads)
{
    int rc = session_require_unlocked(vault);
    if (rc != 0)
        return rc;
    unsigned char stored_bytes[DIGEST_BYTES], actual_bytes[DIGEST_BYTES], bound_hash[32];
    uint64_t bound_seq = 0;
    if ((rc = store_digest_stored(vault->store, stored_bytes, &bound_seq, bound_hash)) != 0) {
        if (rc == LV_ENOTFOUND)
            return err_set(LV_ECORRUPT, "integrity failure: the vault's state digest is missing");
        if (rc == LV_ECORRUPT)
            return err_set(LV_ECORRUPT, "integrity failure: the vault's state digest does not open "
                                        "(altered, or from another vault)");
        return rc;
    }
    binding_walk b = {.bound_seq = bound_seq, .bound_hash = bound_hash};
    store_audit_filter from = {.from_seq = bound_seq};
    rc = store_audit_each(vault->store, &from, binding_entry, &b);
    if (rc < 0)
        return rc;
    if (!b.found && bound_seq != 0)
        return err_set(LV_ECORRUPT,
                       "integrity failure: the vault's state digest is bound to audit entry "
                       "%llu, which the log no longer holds as it was",
                       (unsigned long long)bound_seq);
    if (b.keyed_after != 0)
        return err_set(LV_ECORRUPT,
                       "integrity failure: the vault's state digest is older than audit entry "
                       "%llu (the vault's rows were rolled back)",
                       (unsigned long long)b.keyed_after);
    if ((rc = store_digest_recompute(vault->store, actual_bytes, leads)) != 0)
        return rc;
    digest_sum stored, actual;
    digest_sum_from_bytes(&stored, stored_bytes);
    digest_sum_from_bytes(&actual, actual_bytes);
    int equal = digest_sum_equal(&stored, &actual);
    sodium_memzero(stored_bytes, sizeof stored_bytes);
    sodium_memzero(actual_bytes, sizeof actual_bytes);
    sodium_memzero(&stored, sizeof stored);
    sodium_memzero(&actual, sizeof actual);
    if (!equal)
        return err_set(LV_ECORRUPT,
                       "integrity failure: the vault's state does not match its digest (rows "
                       "were deleted, added, rolled back or edited)");
    return 0;
}
