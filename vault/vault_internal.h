/* vault_internal.h - the session handle shared by the vault modules. */
#ifndef LV_VAULT_INTERNAL_H
#define LV_VAULT_INTERNAL_H

#include "keys.h"
#include "leadvault.h"
#include "store.h"

struct lv_vault {
    store *store;
    unsigned char id[LV_ID_BYTES];
    keyring *keys;        /* NULL while locked */
    char user[LV_NAME_MAX + 1];
    lv_role role;
    char os_user[LV_NAME_MAX + 1];
    unsigned long appended; /* audit entries this session: sign on close */
};

/* 0 when the vault is unlocked, else LV_EDENIED with a message. */
int vault_require_unlocked(const lv_vault *vault);

/* Current time in unix milliseconds (format it with lv_time_format). */
int64_t vault_now_ms(void);

/* Unwrap a lead's data key (LV_ECORRUPT naming the lead). Defined in leads.c. */
struct store_lead;
int lead_key_unwrap(unsigned char key[KEY_BYTES], const lv_vault *vault,
                    const struct store_lead *lead);

/* Plain-text metadata checks: valid UTF-8, no control characters, at most
 * max bytes; the message names `name`. Defined in leads.c. */
int vault_text_check(const char *name, const char *text, size_t max);

/* Lead ids: 16 bytes, printed as 32 lowercase hex characters. */
void vault_id_to_hex(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES]);
int vault_id_from_hex(unsigned char out[LV_ID_BYTES], const char *hex); /* LV_EINVAL */

#endif
