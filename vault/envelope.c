/* envelope.c - key envelopes sealed to users' public keys, and the key
 * commitments that authenticate what an envelope gives. */
#include <sodium.h>
#include <string.h>

#include "envelope.h"
#include "error.h"
#include "keyslot.h"
#include "leadvault.h"

#define ENVELOPE_TAG "lvK2"
#define COMMIT_TAG "lvC2"
#define PLAIN_MAX (ENVELOPE_MAX - crypto_box_SEALBYTES)

unsigned envelope_keyset(int role)
{
    return (role & KEYSLOT_ROLE_MASK) == LV_ROLE_AUDITOR ? KEYSET_AUDITOR : KEYSET_ALL;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int envelope_seal(unsigned char *out, size_t *len, const keyring *ring,
                  const unsigned char vault_id[LV_ID_BYTES], const char *user, int role,
                  const unsigned char public_key[BOX_KEY_BYTES])
{
    unsigned mask = envelope_keyset(role);
    if ((ring->present & mask) != mask)
        return err_set(LV_EDENIED, "denied: this session does not hold the keys of that role");
    size_t name_len = strlen(user);
    unsigned char *plain = sodium_malloc(PLAIN_MAX);
    if (plain == NULL)
        return err_set(LV_ERROR, "out of memory");
    size_t n = 0;
    memcpy(plain, ENVELOPE_TAG, 4);
    memcpy(plain + 4, vault_id, LV_ID_BYTES);
    n = 4 + LV_ID_BYTES;
    put_u32(plain + n, ring->generation);
    n += 4;
    plain[n++] = (unsigned char)role;
    plain[n++] = (unsigned char)(mask >> 8);
    plain[n++] = (unsigned char)mask;
    plain[n++] = (unsigned char)name_len;
    memcpy(plain + n, user, name_len);
    n += name_len;
    for (int i = 0; i < SUBKEY_COUNT; i++) {
        if (mask & KEY_BIT(i)) {
            memcpy(plain + n, ring->subkey[i], KEY_BYTES);
            n += KEY_BYTES;
        }
    }
    memcpy(plain + n, ring->sign_public, 32);
    n += 32;
    unsigned kept = (mask & KEY_BIT(SUBKEY_SUPPRESS)) ? ring->suppress_kept_count : 0;
    plain[n++] = (unsigned char)kept;
    for (unsigned k = 0; k < kept; k++) {
        put_u32(plain + n, ring->suppress_kept_generation[k]);
        memcpy(plain + n + 4, ring->suppress_kept[k], KEY_BYTES);
        n += 4 + KEY_BYTES;
    }
    int rc = crypto_box_seal(out, plain, n, public_key) == 0
                 ? 0
                 : err_set(LV_ERROR, "sealing an envelope failed");
    *len = n + crypto_box_SEALBYTES;
    sodium_free(plain);
    return rc;
}

static int envelope_bad(const char *user, uint32_t generation)
{
    return err_set(LV_ECORRUPT,
                   "integrity failure: the key envelope of user '%s' (key generation %lu) does "
                   "not open or does not match its keyslot",
                   user, (unsigned long)generation);
}

int envelope_open(keyring *ring, const unsigned char *sealed, size_t len,
                  const unsigned char secret[BOX_KEY_BYTES],
                  const unsigned char public_key[BOX_KEY_BYTES],
                  const unsigned char vault_id[LV_ID_BYTES], const char *user, uint32_t generation,
                  int *role)
{
    if (len < crypto_box_SEALBYTES || len > ENVELOPE_MAX)
        return envelope_bad(user, generation);
    size_t plain_len = len - crypto_box_SEALBYTES;
    unsigned char *plain = sodium_malloc(PLAIN_MAX);
    if (plain == NULL)
        return err_set(LV_ERROR, "out of memory");
    int ok = crypto_box_seal_open(plain, sealed, len, public_key, secret) == 0;
    size_t name_len = strlen(user);
    size_t at = 4 + LV_ID_BYTES + 4 + 1 + 2 + 1;
    *role = ok && plain_len >= at ? plain[24] : -1;
    unsigned mask = envelope_keyset(*role);
    ok = ok && plain_len >= at && memcmp(plain, ENVELOPE_TAG, 4) == 0 &&
         sodium_memcmp(plain + 4, vault_id, LV_ID_BYTES) == 0 &&
         get_u32(plain + 4 + LV_ID_BYTES) == generation &&
         ((unsigned)plain[25] << 8 | plain[26]) == mask && plain[27] == name_len &&
         plain_len >= at + name_len && memcmp(plain + at, user, name_len) == 0;
    at += name_len;
    if (ok) {
        ring->generation = generation;
        ring->present = mask;
        for (int i = 0; ok && i < SUBKEY_COUNT; i++) {
            if (!(mask & KEY_BIT(i)))
                continue;
            ok = plain_len >= at + KEY_BYTES;
            if (ok)
                memcpy(ring->subkey[i], plain + at, KEY_BYTES);
            at += KEY_BYTES;
        }
    }
    ok = ok && plain_len >= at + 32 + 1;
    if (ok) {
        memcpy(ring->sign_public, plain + at, 32);
        unsigned kept = plain[at + 32];
        at += 33;
        ok = kept <= SUPPRESS_KEPT_MAX && (kept == 0 || (mask & KEY_BIT(SUBKEY_SUPPRESS))) &&
             plain_len == at + (size_t)kept * (4 + KEY_BYTES);
        for (unsigned k = 0; ok && k < kept; k++) {
            ring->suppress_kept_generation[k] = get_u32(plain + at);
            memcpy(ring->suppress_kept[k], plain + at + 4, KEY_BYTES);
            at += 4 + KEY_BYTES;
        }
        ring->suppress_kept_count = ok ? kept : 0;
    }
    sodium_free(plain);
    return ok ? 0 : envelope_bad(user, generation);
}

static void commitment(unsigned char out[MAC_BYTES], const unsigned char key[KEY_BYTES],
                       const unsigned char vault_id[LV_ID_BYTES], uint32_t generation, int i)
{
    unsigned char msg[4 + LV_ID_BYTES + 4 + 1];
    memcpy(msg, COMMIT_TAG, 4);
    memcpy(msg + 4, vault_id, LV_ID_BYTES);
    put_u32(msg + 4 + LV_ID_BYTES, generation);
    msg[sizeof msg - 1] = (unsigned char)i;
    crypto_generichash(out, MAC_BYTES, msg, sizeof msg, key, KEY_BYTES);
}

static void row_mac(unsigned char out[MAC_BYTES], const store_keygen *row, const keyring *ring,
                    const unsigned char vault_id[LV_ID_BYTES])
{
    record_mac m;
    record_mac_begin(&m, ring, "lvG2", vault_id);
    record_mac_int(&m, row->generation);
    record_mac_int(&m, row->state);
    record_mac_bytes(&m, row->sign_public, sizeof row->sign_public);
    record_mac_bytes(&m, row->commitments, sizeof row->commitments);
    record_mac_end(&m, out);
}

void keygen_make(store_keygen *row, const keyring *ring, const unsigned char vault_id[LV_ID_BYTES],
                 int state)
{
    memset(row, 0, sizeof *row);
    row->generation = ring->generation;
    row->state = state;
    memcpy(row->sign_public, ring->sign_public, sizeof row->sign_public);
    for (int i = 0; i < SUBKEY_COUNT; i++)
        commitment(row->commitments[i], ring->subkey[i], vault_id, ring->generation, i);
    row_mac(row->mac, row, ring, vault_id);
}

void keygen_mac_update(store_keygen *row, const keyring *ring,
                       const unsigned char vault_id[LV_ID_BYTES])
{
    row_mac(row->mac, row, ring, vault_id);
}

int keygen_key_matches(const store_keygen *row, int i, const unsigned char key[KEY_BYTES],
                       const unsigned char vault_id[LV_ID_BYTES])
{
    unsigned char mine[MAC_BYTES];
    commitment(mine, key, vault_id, row->generation, i);
    return key_mac_equal(mine, row->commitments[i]);
}

int keygen_check(const keyring *ring, const store_keygen *row,
                 const unsigned char vault_id[LV_ID_BYTES])
{
    int ok = row->generation == ring->generation &&
             sodium_memcmp(row->sign_public, ring->sign_public, sizeof row->sign_public) == 0;
    for (int i = 0; i < SUBKEY_COUNT; i++) {
        if (ring->present & KEY_BIT(i))
            ok &= keygen_key_matches(row, i, ring->subkey[i], vault_id);
    }
    unsigned char mac[MAC_BYTES];
    row_mac(mac, row, ring, vault_id);
    ok &= key_mac_equal(mac, row->mac);
    if (!ok)
        return err_set(LV_ECORRUPT,
                       "integrity failure: the keys of key generation %lu do not match their "
                       "commitments (a forged or altered envelope or key generation)",
                       (unsigned long)row->generation);
    return 0;
}

static int collect_keygen(void *ctx, const store_keygen *gen)
{
    keygen_set *set = ctx;
    if (gen->state == KEYGEN_CURRENT) {
        if (set->has_current)
            return err_set(LV_ECORRUPT, "integrity failure: two current key generations");
        set->current = *gen;
        set->has_current = 1;
    } else if (gen->state == KEYGEN_PENDING) {
        if (set->has_pending)
            return err_set(LV_ECORRUPT, "integrity failure: two pending key generations");
        set->pending = *gen;
        set->has_pending = 1;
    } else if (gen->state == KEYGEN_RETIRED) {
        if (set->retired_count == SUPPRESS_KEPT_MAX) {
            memmove(set->retired, set->retired + 1,
                    (SUPPRESS_KEPT_MAX - 1) * sizeof set->retired[0]);
            set->retired_count--;
        }
        set->retired[set->retired_count++] = *gen;
    } else {
        return err_set(LV_ECORRUPT, "integrity failure: a key generation of unknown state");
    }
    return 0;
}

int keygen_load(store *st, keygen_set *set)
{
    memset(set, 0, sizeof *set);
    int rc = store_keygen_each(st, collect_keygen, set);
    if (rc != 0)
        return rc;
    if (!set->has_current)
        return err_set(LV_ECORRUPT, "integrity failure: the vault has no current key generation");
    if (set->has_pending && set->pending.generation != set->current.generation + 1)
        return err_set(LV_ECORRUPT, "integrity failure: a pending key generation out of order");
    return 0;
}

typedef struct signer_list {
    const keyring *ring;
    const unsigned char *vault_id;
    unsigned char (*keys)[32];
    int count, max;
} signer_list;

static int collect_signer(void *ctx, const store_keygen *row)
{
    signer_list *list = ctx;
    unsigned char mac[MAC_BYTES];
    row_mac(mac, row, list->ring, list->vault_id);
    if (!key_mac_equal(mac, row->mac))
        return err_set(LV_ECORRUPT, "integrity failure: key generation %lu was altered",
                       (unsigned long)row->generation);
    if (list->count < list->max)
        memcpy(list->keys[list->count++], row->sign_public, 32);
    return 0;
}

int keygen_signers(store *st, const keyring *ring, const unsigned char vault_id[LV_ID_BYTES],
                   unsigned char keys[][32], int max)
{
    signer_list list = {ring, vault_id, keys, 0, max};
    if (store_format(st) == 1) {
        memcpy(keys[0], ring->sign_public, 32);
        return 1;
    }
    int rc = store_keygen_each(st, collect_signer, &list);
    return rc != 0 ? rc : list.count;
}
