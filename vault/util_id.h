/* util_id.h - ids (vault, lead, consent record) as hexadecimal text. */
#ifndef LV_UTIL_ID_H
#define LV_UTIL_ID_H

#include "leadvault.h"

/* Lead ids: 16 bytes, printed as 32 lowercase hex characters. */
void util_id_to_hex(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES]);
int util_id_from_hex(unsigned char out[LV_ID_BYTES], const char *hex); /* LV_EINVAL */

#endif
