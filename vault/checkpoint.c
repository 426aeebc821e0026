/* checkpoint.c - text forms of signed audit checkpoints and public keys. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "error.h"
#include "session.h"
#include "util_id.h"

#define B64 sodium_base64_VARIANT_ORIGINAL

size_t checkpoint_body(char out[CHECKPOINT_BODY_MAX], const unsigned char vault_id[LV_ID_BYTES],
                       uint64_t size, const unsigned char head[32], const char *time,
                       const unsigned char *digest)
{
    char id[LV_ID_STRLEN + 1];
    char head64[sodium_base64_ENCODED_LEN(32, B64)];
    char digest64[sodium_base64_ENCODED_LEN(32, B64)] = "";
    util_id_to_hex(id, vault_id);
    sodium_bin2base64(head64, sizeof head64, head, 32, B64);
    if (digest != NULL)
        sodium_bin2base64(digest64, sizeof digest64, digest, 32, B64);
    int n = snprintf(out, CHECKPOINT_BODY_MAX, "leadvault-audit %s\n%llu\n%s\n%s\n%s%s%s", id,
                     (unsigned long long)size, head64, time, digest != NULL ? "digest " : "",
                     digest64, digest != NULL ? "\n" : "");
    return n > 0 && n < CHECKPOINT_BODY_MAX ? (size_t)n : 0;
}

void checkpoint_from_store(checkpoint_signed *out, const unsigned char vault_id[LV_ID_BYTES],
                           const store_checkpoint *cp)
{
    memcpy(out->vault_id, vault_id, LV_ID_BYTES);
    out->size = cp->size;
    memcpy(out->head, cp->head, 32);
    (void)snprintf(out->time, sizeof out->time, "%s", cp->time);
    memcpy(out->signature, cp->signature, 64);
    out->has_digest = cp->has_digest;
    memcpy(out->digest, cp->digest, 32);
}

void checkpoint_format(char out[LV_AUDIT_TEXT_MAX], const checkpoint_signed *cp)
{
    char body[CHECKPOINT_BODY_MAX];
    char sig64[sodium_base64_ENCODED_LEN(64, B64)];
    checkpoint_body(body, cp->vault_id, cp->size, cp->head, cp->time,
                    cp->has_digest ? cp->digest : NULL);
    sodium_bin2base64(sig64, sizeof sig64, cp->signature, 64, B64);
    (void)snprintf(out, LV_AUDIT_TEXT_MAX, "%s\n- leadvault %s\n", body, sig64);
}

/* Decode base64 of exactly len bytes from [text, text + n). */
static int decode64(unsigned char *out, size_t len, const char *text, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, len, text, n, NULL, &got, &end, B64) != 0 || got != len ||
        end != text + n)
        return -1;
    return 0;
}

static int decode_id(unsigned char out[LV_ID_BYTES], const char *text, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    /* Written in lower case only: any other spelling is a changed text. */
    for (size_t i = 0; i < n; i++) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return -1;
    }
    if (n != LV_ID_STRLEN || sodium_hex2bin(out, LV_ID_BYTES, text, n, NULL, &got, &end) != 0 ||
        got != LV_ID_BYTES)
        return -1;
    return 0;
}

/* Next line of text at *at (without its newline); 0 when none is left. */
static int next_line(const char **at, const char **line, size_t *len)
{
    const char *nl = strchr(*at, '\n');
    if (nl == NULL)
        return 0;
    *line = *at;
    *len = (size_t)(nl - *at);
    *at = nl + 1;
    return 1;
}

int checkpoint_parse(checkpoint_signed *out, const char *text)
{
    memset(out, 0, sizeof *out);
    const char *at = text, *line;
    size_t len;
    static const char origin[] = "leadvault-audit ";
    static const char sig[] = "- leadvault ";
    char size_text[24];
    if (!next_line(&at, &line, &len) || len <= sizeof origin - 1 ||
        memcmp(line, origin, sizeof origin - 1) != 0 ||
        decode_id(out->vault_id, line + sizeof origin - 1, len - (sizeof origin - 1)) != 0)
        return err_set(LV_EINVAL, "checkpoint: bad origin line");
    if (!next_line(&at, &line, &len) || len == 0 || len >= sizeof size_text)
        return err_set(LV_EINVAL, "checkpoint: bad size line");
    memcpy(size_text, line, len);
    size_text[len] = '\0';
    char *end = NULL;
    /* Canonical decimal only: no sign, no leading zero. */
    if (size_text[0] < '1' || size_text[0] > '9')
        return err_set(LV_EINVAL, "checkpoint: bad size line");
    out->size = strtoull(size_text, &end, 10);
    if (*end != '\0')
        return err_set(LV_EINVAL, "checkpoint: bad size line");
    if (!next_line(&at, &line, &len) || decode64(out->head, 32, line, len) != 0)
        return err_set(LV_EINVAL, "checkpoint: bad head hash line");
    if (!next_line(&at, &line, &len) || len == 0 || len >= sizeof out->time)
        return err_set(LV_EINVAL, "checkpoint: bad time line");
    memcpy(out->time, line, len);
    static const char digest[] = "digest ";
    if (!next_line(&at, &line, &len))
        return err_set(LV_EINVAL, "checkpoint: missing blank line before the signature");
    /* The state digest line, absent from format 1 checkpoints. */
    if (len > 0) {
        if (len <= sizeof digest - 1 || memcmp(line, digest, sizeof digest - 1) != 0 ||
            decode64(out->digest, 32, line + sizeof digest - 1, len - (sizeof digest - 1)) != 0)
            return err_set(LV_EINVAL, "checkpoint: bad digest line");
        out->has_digest = 1;
        if (!next_line(&at, &line, &len) || len != 0)
            return err_set(LV_EINVAL, "checkpoint: missing blank line before the signature");
    }
    if (!next_line(&at, &line, &len) || len <= sizeof sig - 1 ||
        memcmp(line, sig, sizeof sig - 1) != 0 ||
        decode64(out->signature, 64, line + sizeof sig - 1, len - (sizeof sig - 1)) != 0)
        return err_set(LV_EINVAL, "checkpoint: bad signature line");
    if (*at != '\0')
        return err_set(LV_EINVAL, "checkpoint: text after the signature line");
    return 0;
}

int checkpoint_signature_valid(const checkpoint_signed *cp, const unsigned char pubkey[32])
{
    char body[CHECKPOINT_BODY_MAX];
    size_t n = checkpoint_body(body, cp->vault_id, cp->size, cp->head, cp->time,
                               cp->has_digest ? cp->digest : NULL);
    return n > 0 &&
           crypto_sign_verify_detached(cp->signature, (const unsigned char *)body, n, pubkey) == 0;
}

void pubkey_format(char out[LV_AUDIT_TEXT_MAX], char fingerprint[48],
                   const unsigned char vault_id[LV_ID_BYTES], const unsigned char pubkey[32])
{
    char id[LV_ID_STRLEN + 1];
    char key64[sodium_base64_ENCODED_LEN(32, B64)];
    unsigned char digest[16];
    util_id_to_hex(id, vault_id);
    sodium_bin2base64(key64, sizeof key64, pubkey, 32, B64);
    (void)snprintf(out, LV_AUDIT_TEXT_MAX, "leadvault-audit-pubkey %s\n%s\n", id, key64);
    crypto_generichash(digest, sizeof digest, pubkey, 32, NULL, 0);
    memcpy(fingerprint, "lv1:", 4);
    sodium_bin2hex(fingerprint + 4, 48 - 4, digest, sizeof digest);
}

int pubkey_parse(unsigned char pubkey[32], unsigned char *vault_id, const char *text)
{
    static const char origin[] = "leadvault-audit-pubkey ";
    const char *at = text, *line;
    size_t len;
    unsigned char id[LV_ID_BYTES];
    if (!next_line(&at, &line, &len) || len <= sizeof origin - 1 ||
        memcmp(line, origin, sizeof origin - 1) != 0 ||
        decode_id(id, line + sizeof origin - 1, len - (sizeof origin - 1)) != 0)
        return err_set(LV_EINVAL, "public key: bad first line");
    if (!next_line(&at, &line, &len) || decode64(pubkey, 32, line, len) != 0)
        return err_set(LV_EINVAL, "public key: bad key line");
    if (vault_id != NULL)
        memcpy(vault_id, id, LV_ID_BYTES);
    return 0;
}
