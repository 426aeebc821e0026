/* setting.c - vault settings: a few named texts an admin sets (who the
 * controller is, how to reach the DPO) that the record of processing
 * prints. Stored in the meta table as "setting.NAME" -> MAC || value, the
 * MAC keyed by the record-MAC subkey over the vault id, the name and the
 * value (docs/format.md), so a value edited with plain SQL, or copied
 * under another name, is an integrity failure when read. */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "keys.h"
#include "setting.h"
#include "util_name.h"
#include "util_text.h"

static const char *const setting_names[] = {"controller", "controller_contact", "dpo_contact",
                                            "representative", NULL};

const char *const *lv_setting_names(void)
{
    return setting_names;
}

static int setting_known(const char *name)
{
    for (size_t i = 0; name != NULL && setting_names[i] != NULL; i++)
        if (strcmp(name, setting_names[i]) == 0)
            return 1;
    return 0;
}

static int setting_name_check(const char *name)
{
    return setting_known(name) ? 0 : util_name_unknown("setting", "name", name, setting_names);
}

static void setting_mac(unsigned char out[MAC_BYTES], const lv_vault *vault, const char *name,
                        const char *value, size_t len)
{
    record_mac m;
    record_mac_begin(&m, vault->keys, "lvS1", vault->id);
    record_mac_text(&m, name);
    record_mac_bytes(&m, value, len);
    record_mac_end(&m, out);
}

static void setting_key(char key[64], const char *name)
{
    (void)snprintf(key, 64, "setting.%s", name);
}

int setting_get(lv_vault *vault, const char *name, char out[LV_SETTING_VALUE_MAX + 1])
{
    out[0] = '\0';
    int rc = setting_name_check(name);
    if (rc != 0)
        return rc;
    char key[64];
    setting_key(key, name);
    unsigned char stored[MAC_BYTES + LV_SETTING_VALUE_MAX];
    size_t len = 0;
    rc = store_meta_get(vault->store, key, stored, sizeof stored, &len);
    if (rc == LV_ENOTFOUND) {
        err_clear();
        return 0;
    }
    if (rc != 0)
        return rc;
    unsigned char mac[MAC_BYTES];
    size_t value_len = len >= MAC_BYTES ? len - MAC_BYTES : 0;
    setting_mac(mac, vault, name, (const char *)stored + MAC_BYTES, value_len);
    if (len < MAC_BYTES || !key_mac_equal(mac, stored) ||
        memchr(stored + MAC_BYTES, '\0', value_len) != NULL)
        return err_set(LV_ECORRUPT, "integrity failure: setting %s was altered", name);
    memcpy(out, stored + MAC_BYTES, value_len);
    out[value_len] = '\0';
    return 0;
}

int lv_setting_set(lv_vault *vault, const char *name, const char *value)
{
    err_clear();
    int rc = setting_name_check(name);
    if (rc != 0)
        return rc;
    if (value == NULL)
        return err_set(LV_EINVAL, "setting %s: a value is required", name);
    if ((rc = util_text_check("setting value", value, LV_SETTING_VALUE_MAX)) != 0)
        return rc;
    audit_event event = {.action = "setting.set", .subject = name};
    if ((rc = audit_gate(vault, POLICY_SETTING, &event)) != 0 ||
        (rc = store_begin(vault->store)) != 0)
        return rc;
    size_t len = strlen(value);
    unsigned char stored[MAC_BYTES + LV_SETTING_VALUE_MAX];
    setting_mac(stored, vault, name, value, len);
    memcpy(stored + MAC_BYTES, value, len);
    char key[64];
    setting_key(key, name);
    return audit_commit(vault, store_meta_put(vault->store, key, stored, MAC_BYTES + len), &event);
}

int lv_setting_list(lv_vault *vault, lv_setting_fn fn, void *ctx)
{
    err_clear();
    audit_event event = {.action = "setting.list"};
    int rc = audit_gate(vault, POLICY_SETTING, &event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    char values[sizeof setting_names / sizeof setting_names[0]][LV_SETTING_VALUE_MAX + 1];
    for (size_t i = 0; rc == 0 && setting_names[i] != NULL; i++)
        rc = setting_get(vault, setting_names[i], values[i]);
    if ((rc = audit_commit(vault, rc, &event)) != 0)
        return rc;
    for (size_t i = 0; setting_names[i] != NULL; i++)
        fn(ctx, setting_names[i], values[i]);
    return 0;
}
