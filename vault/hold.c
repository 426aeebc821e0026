/* hold.c - legal holds: a held lead is never erased. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "hold.h"
#include "lead_record.h"
#include "util_array.h"
#include "util_id.h"
#include "util_text.h"
#include "util_time.h"

static void hold_mac(unsigned char out[MAC_BYTES], const lv_vault *vault, const store_hold *h)
{
    record_mac m;
    record_mac_begin(&m, vault->keys, "lvH1", vault->id);
    record_mac_bytes(&m, h->lead_id, LV_ID_BYTES);
    record_mac_text(&m, h->reason);
    record_mac_text(&m, h->actor);
    record_mac_int(&m, h->time);
    record_mac_end(&m, out);
}

int hold_check(const lv_vault *vault, const store_hold *h)
{
    unsigned char mac[MAC_BYTES];
    hold_mac(mac, vault, h);
    return record_mac_require(mac, h->mac, h->lead_id, "the hold on lead ", " was altered");
}

int hold_is_set(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES], int *held)
{
    store_hold h;
    *held = 0;
    int rc = store_hold_get(vault->store, lead_id, &h);
    if (rc == LV_ENOTFOUND)
        return 0;
    if (rc == 0 && (rc = hold_check(vault, &h)) == 0)
        *held = 1;
    return rc;
}

int hold_refuse_change(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES])
{
    int held = 0;
    int rc = hold_is_set(vault, lead_id, &held);
    if (rc == 0 && held) {
        char id[LV_ID_STRLEN + 1];
        util_id_to_hex(id, lead_id);
        rc = err_set(LV_EDENIED,
                     "denied: lead %s is under legal hold; its content cannot change until "
                     "compliance clears the hold",
                     id);
    }
    return rc;
}

int hold_load_changeable(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                         store_lead *lead)
{
    char hex[LV_ID_STRLEN + 1];
    util_id_to_hex(hex, lead_id);
    int rc = lead_load(vault, lead_id, lead);
    if (rc == 0)
        rc = session_require_owner(vault, lead->owner, hex);
    return rc != 0 ? rc : hold_refuse_change(vault, lead_id);
}

int lv_hold_set(lv_vault *vault, const char *lead_id, const char *reason)
{
    err_clear();
    unsigned char id[LV_ID_BYTES];
    int rc = util_id_from_hex(id, lead_id);
    if (rc != 0)
        return rc;
    audit_event event = {.action = "hold.set", .lead_ids = id, .lead_count = 1};
    if ((rc = audit_gate(vault, POLICY_HOLD, &event)) != 0)
        return rc;
    store_hold h;
    memset(&h, 0, sizeof h);
    if (reason == NULL || reason[0] == '\0')
        return err_set(LV_EINVAL, "reason: required (e.g. a case reference)");
    if ((rc = util_text_check("reason", reason, sizeof h.reason - 1)) != 0)
        return rc;
    memcpy(h.lead_id, id, LV_ID_BYTES);
    (void)snprintf(h.reason, sizeof h.reason, "%s", reason);
    (void)snprintf(h.actor, sizeof h.actor, "%s", vault->user);
    h.time = util_now_ms();
    hold_mac(h.mac, vault, &h);
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    store_lead lead;
    if ((rc = lead_load(vault, id, &lead)) == 0)
        rc = store_hold_put(vault->store, &h);
    return audit_commit(vault, rc, &event);
}

int lv_hold_clear(lv_vault *vault, const char *lead_id)
{
    err_clear();
    unsigned char id[LV_ID_BYTES];
    int rc = util_id_from_hex(id, lead_id);
    if (rc != 0)
        return rc;
    audit_event event = {.action = "hold.clear", .lead_ids = id, .lead_count = 1};
    if ((rc = audit_gate(vault, POLICY_HOLD, &event)) != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    return audit_commit(vault, store_hold_delete(vault->store, id), &event);
}

typedef struct hold_list {
    lv_vault *vault;
    lv_hold_info *items;
    size_t count, cap;
} hold_list;

static int collect_hold(void *ctx, const store_hold *h)
{
    hold_list *list = ctx;
    int rc = hold_check(list->vault, h);
    if (rc != 0)
        return rc;
    lv_hold_info *info =
        util_array_append((void **)&list->items, &list->count, &list->cap, sizeof *info, 8);
    if (info == NULL)
        return LV_ERROR;
    util_id_to_hex(info->lead_id, h->lead_id);
    memcpy(info->reason, h->reason, sizeof info->reason);
    memcpy(info->actor, h->actor, sizeof info->actor);
    info->time = h->time;
    return 0;
}

int lv_hold_list(lv_vault *vault, lv_hold_info **out, size_t *count)
{
    err_clear();
    *out = NULL;
    *count = 0;
    audit_event event = {.action = "hold.list"};
    int rc = audit_gate(vault, POLICY_HOLD, &event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    hold_list list = {.vault = vault};
    rc = audit_commit(vault, store_hold_each(vault->store, collect_hold, &list), &event);
    if (rc != 0) {
        free(list.items);
        return rc;
    }
    *out = list.items;
    *count = list.count;
    return 0;
}

void lv_hold_list_free(lv_hold_info *holds)
{
    free(holds);
}
