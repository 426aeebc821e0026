/* checkpoint.h - text forms of the audit signing artifacts (docs/format.md).
 *
 * A checkpoint:
 *   leadvault-audit <vault id hex>\n
 *   <tree size>\n
 *   <base64 head hash>\n
 *   <time RFC 3339>\n
 *   digest <base64 state digest commitment>\n   (not in format 1 checkpoints)
 *   \n
 *   - leadvault <base64 Ed25519 signature of the body lines>\n
 *
 * A public key:
 *   leadvault-audit-pubkey <vault id hex>\n
 *   <base64 Ed25519 public key>\n
 */
#ifndef LV_CHECKPOINT_H
#define LV_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "leadvault.h"
#include "store.h"

#define CHECKPOINT_BODY_MAX 256

typedef struct checkpoint_signed {
    unsigned char vault_id[LV_ID_BYTES];
    uint64_t size;
    unsigned char head[32];
    char time[32];
    unsigned char signature[64];
    int has_digest; /* 0: a format 1 checkpoint, without the digest line */
    unsigned char digest[32];
} checkpoint_signed;

/* The text form of a checkpoint row of vault_id. */
void checkpoint_from_store(checkpoint_signed *out, const unsigned char vault_id[LV_ID_BYTES],
                           const store_checkpoint *cp);

/* Write the signed body; returns its length. digest (the state digest
 * commitment, digest_commitment) NULL: a format 1 body, without the line. */
size_t checkpoint_body(char out[CHECKPOINT_BODY_MAX], const unsigned char vault_id[LV_ID_BYTES],
                       uint64_t size, const unsigned char head[32], const char *time,
                       const unsigned char *digest);

/* The whole checkpoint text, body and signature line, NUL-terminated. */
void checkpoint_format(char out[LV_AUDIT_TEXT_MAX], const checkpoint_signed *cp);

/* Parse a checkpoint text. LV_EINVAL when malformed (the signature is not
 * checked here: see checkpoint_signature_valid). */
int checkpoint_parse(checkpoint_signed *out, const char *text);

/* 1 when cp's signature verifies under pubkey. */
int checkpoint_signature_valid(const checkpoint_signed *cp, const unsigned char pubkey[32]);

void pubkey_format(char out[LV_AUDIT_TEXT_MAX], char fingerprint[48],
                   const unsigned char vault_id[LV_ID_BYTES], const unsigned char pubkey[32]);
/* Parse a public key text; vault_id may be NULL. LV_EINVAL when malformed. */
int pubkey_parse(unsigned char pubkey[32], unsigned char *vault_id, const char *text);

#endif
