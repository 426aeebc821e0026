/* vault_internal.h - the session handle shared by the vault modules. */
#ifndef LV_VAULT_INTERNAL_H
#define LV_VAULT_INTERNAL_H

#include <jansson.h>

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
    /* Guarded scratch reused by every operation of the session, so hot
     * paths do not pay a guarded allocation (mmap, mlock, mprotect) each. */
    unsigned char *secure;
    size_t secure_cap;
};

/* At least `need` bytes of the session's guarded scratch (wiped by the
 * caller after use; freed with the vault). NULL when out of memory. */
unsigned char *vault_scratch(lv_vault *vault, size_t need);

/* 0 when the vault is unlocked, else LV_EDENIED with a message. */
int vault_require_unlocked(const lv_vault *vault);

/* Current time in unix milliseconds (format it with lv_time_format). */
int64_t vault_now_ms(void);

/* Unwrap a lead's data key (LV_ECORRUPT naming the lead). Defined in leads.c. */
struct store_lead;
int lead_key_unwrap(unsigned char key[KEY_BYTES], const lv_vault *vault,
                    const struct store_lead *lead);

/* Decrypt the fields of mask of a stored lead (no policy: callers decide).
 * Defined in leads.c. */
int lead_reveal(lv_lead **out, const lv_vault *vault, const struct store_lead *lead,
                uint32_t mask);

/* Ids of the leads whose email / phone equals value: blind-index
 * candidates, each decrypted and compared. *ids is malloc'd (count * 16
 * bytes). Inside the caller's transaction. Defined in leads.c. */
int lead_match(lv_vault *vault, lv_lookup by, const char *value, unsigned char **ids,
               size_t *count);

/* json_dumps, but NULL whenever any part of the text could not be
 * written: jansson ignores a failure to write an object's key (out of
 * memory), and json_dumps then returns the text without it. Free with
 * vault_json_free. Defined in vault.c. */
char *vault_json_dumps(const json_t *json, size_t flags);

/* Free a text produced by vault_json_dumps (or json_dumps) with the
 * allocator jansson uses, after wiping it. Defined in vault.c. */
void vault_json_free(char *text);

/* Plain-text metadata checks: valid UTF-8, no control characters, at most
 * max bytes; the message names `name`. Defined in leads.c. */
int vault_text_check(const char *name, const char *text, size_t max);

/* Lead ids: 16 bytes, printed as 32 lowercase hex characters. */
void vault_id_to_hex(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES]);
int vault_id_from_hex(unsigned char out[LV_ID_BYTES], const char *hex); /* LV_EINVAL */

#endif
