/* contact.c - index forms, blind-index tags and suppression hashes. */
#include <sodium.h>
#include <string.h>

#include "contact.h"
#include "error.h"
#include "lead.h"
#include "unlock.h"

_Static_assert(INDEX_TAG_BYTES == 16, "KEYED_INDEX_EMAIL/PHONE states are made for 16 bytes");
_Static_assert(SUPPRESS_HASH_BYTES == 32, "the KEYED_SUPPRESS state is made for 32 bytes");

const lv_field contact_slot_field[CONTACT_SLOTS] = {LV_FIELD_EMAIL, LV_FIELD_EMAIL2,
                                                    LV_FIELD_PHONE, LV_FIELD_PHONE2};

int contact_slot(lv_field field)
{
    for (int i = 0; i < CONTACT_SLOTS; i++) {
        if (contact_slot_field[i] == field)
            return i;
    }
    return -1;
}

lv_lookup contact_kind(lv_field field)
{
    switch (field) {
    case LV_FIELD_EMAIL:
    case LV_FIELD_EMAIL2:
        return LV_LOOKUP_EMAIL;
    case LV_FIELD_PHONE:
    case LV_FIELD_PHONE2:
        return LV_LOOKUP_PHONE;
    default:
        return (lv_lookup)0;
    }
}

/* The tag of the form in out (made by the caller). */
static int keys_finish(contact_keys *out, const lv_vault *vault, lv_lookup kind)
{
    if (out->form == NULL)
        return err_set(LV_EINVAL, "%s: empty", kind == LV_LOOKUP_EMAIL ? "email" : "phone");
    out->kind = kind;
    int rc = keyring_require(vault->keys, kind == LV_LOOKUP_EMAIL ? SUBKEY_INDEX_EMAIL
                                                                   : SUBKEY_INDEX_PHONE);
    if (rc != 0 || (rc = keyring_require(vault->keys, SUBKEY_SUPPRESS)) != 0 ||
        (rc = unlock_require_no_rekey(vault)) != 0)
        return rc;
    crypto_generichash_blake2b_state st;
    key_hash_begin(&st, vault->keys,
                   kind == LV_LOOKUP_EMAIL ? KEYED_INDEX_EMAIL : KEYED_INDEX_PHONE);
    crypto_generichash_blake2b_update(&st, (const unsigned char *)out->form, out->form_len);
    crypto_generichash_blake2b_final(&st, out->tag, INDEX_TAG_BYTES);
    sodium_memzero(&st, sizeof st);
    return 0;
}

int contact_keys_make(contact_keys *out, const lv_vault *vault, lv_lookup kind, const char *value,
                      size_t len, const char *country)
{
    memset(out, 0, sizeof *out);
    int rc = lead_index_form(&out->form, &out->form_len, kind, value, len, country);
    return rc != 0 ? rc : keys_finish(out, vault, kind);
}

int contact_keys_of_normalized(contact_keys *out, const lv_vault *vault, lv_lookup kind,
                               const char *value, size_t len)
{
    memset(out, 0, sizeof *out);
    int rc = lead_index_form_of_normalized(&out->form, &out->form_len, kind, value, len);
    return rc != 0 ? rc : keys_finish(out, vault, kind);
}

void contact_suppress_hash(unsigned char out[SUPPRESS_HASH_BYTES], const lv_vault *vault,
                           const contact_keys *keys)
{
    /* The suppression list has a key of its own, so that no byte of an
     * erased lead's blind-index entries survives in it. */
    unsigned char domain = (unsigned char)keys->kind;
    crypto_generichash_blake2b_state st;
    key_hash_begin(&st, vault->keys, KEYED_SUPPRESS);
    crypto_generichash_blake2b_update(&st, &domain, 1);
    crypto_generichash_blake2b_update(&st, (const unsigned char *)keys->form, keys->form_len);
    crypto_generichash_blake2b_final(&st, out, SUPPRESS_HASH_BYTES);
    sodium_memzero(&st, sizeof st);
}

int contact_suppress_find(unsigned char hash[SUPPRESS_HASH_BYTES], int *found, lv_vault *vault,
                          const contact_keys *keys)
{
    *found = 0;
    contact_suppress_hash(hash, vault, keys);
    int rc = store_suppress_exists(vault->store, keys->kind, hash, found);
    const keyring *ring = vault->keys;
    for (unsigned k = ring->suppress_kept_count; rc == 0 && !*found && k-- > 0;) {
        unsigned char domain = (unsigned char)keys->kind;
        unsigned char old[SUPPRESS_HASH_BYTES];
        crypto_generichash_blake2b_state st;
        crypto_generichash_blake2b_init(&st, ring->suppress_kept[k], KEY_BYTES, sizeof old);
        crypto_generichash_blake2b_update(&st, &domain, 1);
        crypto_generichash_blake2b_update(&st, (const unsigned char *)keys->form, keys->form_len);
        crypto_generichash_blake2b_final(&st, old, sizeof old);
        sodium_memzero(&st, sizeof st);
        if ((rc = store_suppress_exists(vault->store, keys->kind, old, found)) == 0 && *found)
            memcpy(hash, old, sizeof old);
    }
    if (rc == 0 && !*found)
        contact_suppress_hash(hash, vault, keys);
    return rc;
}

void contact_keys_free(contact_keys *keys)
{
    lead_text_free(keys->form, keys->form_len);
    sodium_memzero(keys, sizeof *keys);
}
