/* checkpoint.h - the signed checkpoint text (docs/format.md):
 *
 *   leadvault-audit <vault id hex>\n
 *   <tree size>\n
 *   <base64 head hash>\n
 *   <time RFC 3339>\n
 *   \n
 *   - leadvault <base64 Ed25519 signature of the four lines above>\n
 */
#ifndef LV_CHECKPOINT_H
#define LV_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "leadvault.h"

#define CHECKPOINT_BODY_MAX 256
#define CHECKPOINT_TEXT_MAX 512

/* Write the signed body; returns its length. */
size_t checkpoint_body(char out[CHECKPOINT_BODY_MAX], const unsigned char vault_id[LV_ID_BYTES],
                       uint64_t size, const unsigned char head[32], const char *time);

#endif
