/* receipt.c - sign and verify erasure receipts. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "checkpoint.h"
#include "envelope.h"
#include "error.h"
#include "receipt.h"
#include "util_time.h"
#include "util_json.h"

#define RECEIPT_DOMAIN "leadvault-receipt-v1\n"
#define CANONICAL (JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII)

static json_t *hex_json(const unsigned char *bin, size_t len)
{
    char hex[2 * 32 + 1];
    sodium_bin2hex(hex, sizeof hex, bin, len);
    return json_string(hex);
}

json_t *receipt_new(const lv_vault *vault, const char *kind, const char *request)
{
    char time[32];
    lv_time_format(time, util_now_ms());
    return json_pack("{s:s, s:i, s:s, s:o, s:s, s:s, s:s, s:[], s:[]}", "type",
                     "leadvault-erasure-receipt", "version", 1, "kind", kind, "vault_id",
                     hex_json(vault->id, LV_ID_BYTES), "request", request, "time", time, "actor",
                     vault->user, "erased", "skipped_held");
}

int receipt_add(json_t *receipt, const unsigned char lead_id[LV_ID_BYTES], uint32_t fields,
                uint64_t consents, const char *ground, int suppressed)
{
    json_t *names = json_array();
    for (int f = 0; names != NULL && f < LV_FIELD_COUNT; f++) {
        /* A receipt missing a field name would still verify: no receipt. */
        if ((fields & (1u << f)) &&
            json_array_append_new(names, json_string(lv_field_name((lv_field)f))) != 0) {
            json_decref(names);
            names = NULL;
        }
    }
    json_t *item = json_pack("{s:o, s:o, s:I, s:s, s:b}", "lead_id",
                             hex_json(lead_id, LV_ID_BYTES), "fields", names, "consent_records",
                             (json_int_t)consents, "ground", ground != NULL ? ground : "",
                             "suppressed", suppressed);
    if (item == NULL || json_array_append_new(json_object_get(receipt, "erased"), item) != 0)
        return err_set(LV_ERROR, "out of memory");
    return 0;
}

int receipt_add_skipped(json_t *receipt, const unsigned char lead_id[LV_ID_BYTES])
{
    if (json_array_append_new(json_object_get(receipt, "skipped_held"),
                              hex_json(lead_id, LV_ID_BYTES)) != 0)
        return err_set(LV_ERROR, "out of memory");
    return 0;
}

/* Sign the canonical form of receipt (which has no "signature" yet). */
static int signed_message(char **canonical, const json_t *receipt)
{
    *canonical = util_json_dumps(receipt, CANONICAL);
    return *canonical != NULL ? 0 : err_set(LV_ERROR, "out of memory");
}

static void sign(unsigned char sig[64], const char *canonical, const unsigned char *secret)
{
    crypto_sign_state st;
    crypto_sign_init(&st);
    crypto_sign_update(&st, (const unsigned char *)RECEIPT_DOMAIN, strlen(RECEIPT_DOMAIN));
    crypto_sign_update(&st, (const unsigned char *)canonical, strlen(canonical));
    crypto_sign_final_create(&st, sig, NULL, secret);
}

/* An erase.receipt entry in a transaction of its own: the receipt signed
 * over entry audit_seq was handed out. Its subject is that entry's number,
 * its request the request's reference, so a report can count the receipts
 * issued per request; it names no lead (the erasure entry does). */
static int receipt_record(lv_vault *vault, uint64_t audit_seq, const char *request)
{
    char seq[24];
    (void)snprintf(seq, sizeof seq, "%llu", (unsigned long long)audit_seq);
    audit_event event = {.action = "erase.receipt", .subject = seq, .request = request};
    int rc = store_begin(vault->store);
    return rc != 0 ? rc : audit_commit(vault, 0, &event);
}

int receipt_sign_write(lv_vault *vault, json_t *receipt, uint64_t audit_seq,
                       const unsigned char audit_head[32], lv_write_fn fn, void *ctx)
{
    char text[LV_AUDIT_TEXT_MAX], fingerprint[48];
    pubkey_format(text, fingerprint, vault->id, vault->keys->sign_public);
    /* Signed with a member missing, a receipt would still verify. */
    if (json_object_set_new(receipt, "audit_seq", json_integer((json_int_t)audit_seq)) != 0 ||
        json_object_set_new(receipt, "audit_head", hex_json(audit_head, 32)) != 0 ||
        json_object_set_new(receipt, "key_fingerprint", json_string(fingerprint)) != 0)
        return err_set(LV_ERROR, "out of memory");
    char *canonical = NULL;
    int rc = signed_message(&canonical, receipt);
    if (rc != 0)
        return rc;
    unsigned char sig[64];
    char sig64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    sign(sig, canonical, vault->keys->sign_secret);
    util_json_free(canonical);
    sodium_bin2base64(sig64, sizeof sig64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    if (json_object_set_new(receipt, "signature", json_string(sig64)) != 0)
        return err_set(LV_ERROR, "out of memory");
    char *out = util_json_dumps(receipt, CANONICAL);
    if (out == NULL)
        return err_set(LV_ERROR, "out of memory");
    rc = fn(ctx, out, strlen(out)) != 0 || fn(ctx, "\n", 1) != 0;
    util_json_free(out);
    if (rc)
        return err_set(LV_ERROR, "cannot write the receipt");
    return receipt_record(vault, audit_seq,
                          json_string_value(json_object_get(receipt, "request")));
}

/* Key generations whose signing keys a receipt is checked against. */
#define RECEIPT_SIGNERS_MAX 64

int lv_receipt_verify(const char *receipt, size_t len, const char *pubkey_text, lv_vault *vault)
{
    err_clear();
    /* With the vault's own keys: the signing key of every key generation it
     * lists, so a receipt signed before a rekey still verifies. */
    unsigned char pubkeys[RECEIPT_SIGNERS_MAX][32], key_vault[LV_ID_BYTES], vault_id[LV_ID_BYTES];
    int rc, nkeys = 1;
    if (pubkey_text != NULL) {
        if ((rc = pubkey_parse(pubkeys[0], key_vault, pubkey_text)) != 0)
            return rc;
    } else if (vault != NULL && vault->keys != NULL) {
        nkeys = keygen_signers(vault->store, vault->keys, vault->id, pubkeys, RECEIPT_SIGNERS_MAX);
        if (nkeys < 0)
            return nkeys;
        if (nkeys == 0) {
            memcpy(pubkeys[0], vault->keys->sign_public, 32);
            nkeys = 1;
        }
        memcpy(key_vault, vault->id, LV_ID_BYTES);
    } else {
        return err_set(LV_EINVAL, "verifying a receipt needs a public key or an unlocked vault");
    }
    json_error_t jerr;
    json_t *doc = json_loadb(receipt, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL)
        return err_set(LV_ECORRUPT, "receipt: not valid JSON (line %d)", jerr.line);
    char *canonical = util_json_dumps(doc, CANONICAL);
    size_t clen = canonical != NULL ? strlen(canonical) : 0;
    /* Every byte counts: the file must be exactly the canonical form. */
    int exact = canonical != NULL && (len == clen || (len == clen + 1 && receipt[clen] == '\n')) &&
                memcmp(canonical, receipt, clen) == 0;
    util_json_free(canonical);
    const char *sig64 = json_string_value(json_object_get(doc, "signature"));
    const char *type = json_string_value(json_object_get(doc, "type"));
    const char *vault_hex = json_string_value(json_object_get(doc, "vault_id"));
    unsigned char sig[64];
    size_t sig_len = 0, id_len = 0;
    rc = 0;
    if (!exact || type == NULL || strcmp(type, "leadvault-erasure-receipt") != 0 ||
        sig64 == NULL ||
        sodium_base642bin(sig, sizeof sig, sig64, strlen(sig64), NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        sig_len != sizeof sig || vault_hex == NULL ||
        sodium_hex2bin(vault_id, sizeof vault_id, vault_hex, strlen(vault_hex), NULL, &id_len,
                       NULL) != 0 ||
        id_len != LV_ID_BYTES)
        rc = err_set(LV_ECORRUPT, "receipt: malformed or not in its signed form");
    else if (sodium_memcmp(vault_id, key_vault, LV_ID_BYTES) != 0)
        rc = err_set(LV_ECORRUPT, "receipt: it names another vault than the key");
    if (rc == 0) {
        json_object_del(doc, "signature");
        if ((rc = signed_message(&canonical, doc)) == 0) {
            int verified = 0;
            for (int k = 0; k < nkeys && !verified; k++) {
                crypto_sign_state st;
                crypto_sign_init(&st);
                crypto_sign_update(&st, (const unsigned char *)RECEIPT_DOMAIN,
                                   strlen(RECEIPT_DOMAIN));
                crypto_sign_update(&st, (const unsigned char *)canonical, strlen(canonical));
                verified = crypto_sign_final_verify(&st, sig, pubkeys[k]) == 0;
            }
            if (!verified)
                rc = err_set(LV_ECORRUPT, "receipt: the signature does not verify");
            util_json_free(canonical);
        }
    }
    json_decref(doc);
    return rc;
}
