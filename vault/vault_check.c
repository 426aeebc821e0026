/* vault_check.c - lv_vault_check: the file, every keyslot, purpose,
 * consent record, hold, rule and setting, every sealed value of every
 * lead, and the state digest over all of them. */
#include <sodium.h>
#include <stdio.h>

#include "audit.h"
#include "consent.h"
#include "digest.h"
#include "error.h"
#include "hold.h"
#include "keyslot.h"
#include "lead.h"
#include "lead_record.h"
#include "policy.h"
#include "purpose.h"
#include "retention.h"
#include "seal.h"
#include "session.h"
#include "setting.h"
#include "util_id.h"

typedef struct check_ctx {
    lv_vault *vault;
    lv_check_fn fn;
    void *user_ctx;
    uint64_t leads;
    uint64_t problems;
    unsigned char *plain;
    size_t plain_cap;
    /* The lead's data key: one guarded block for the whole pass (a
     * sodium_malloc per lead was an mmap and mprotect each, most of a
     * 1M-lead check's system time). */
    unsigned char *key;
} check_ctx;

static void report(check_ctx *c, const char *lead_id, const char *field, const char *problem)
{
    c->problems++;
    if (c->fn != NULL)
        c->fn(c->user_ctx, lead_id, field, problem);
}

/* A problem of one lead's record, named by the lead's id. */
static void report_lead(check_ctx *c, const unsigned char lead_id[LV_ID_BYTES], const char *field,
                        const char *problem)
{
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, lead_id);
    report(c, id, field, problem);
}

static void report_integrity(void *ctx, const char *problem)
{
    report(ctx, NULL, NULL, problem);
}

static int check_slot(void *ctx, const store_keyslot *slot)
{
    check_ctx *c = ctx;
    if (!keyslot_mac_valid(slot, c->vault->keys, c->vault->id)) {
        char problem[128];
        (void)snprintf(problem, sizeof problem, "keyslot of user '%s' failed its integrity check",
                       slot->name);
        report(c, NULL, NULL, problem);
    }
    return 0;
}

static int check_lead(void *ctx, const store_lead *lead)
{
    check_ctx *c = ctx;
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, lead->id);
    c->leads++;
    if (lead_mac_check(c->vault, lead) != 0)
        report(c, id, "metadata", "metadata or consent head altered (MAC mismatch)");
    else if (consent_each_verified(c->vault, lead, NULL, NULL) != 0)
        report(c, id, "consent", "consent history incomplete, reordered or altered");
    /* A role without the data-key wrap key (auditor) checks MACs only. */
    if (!(c->vault->keys->present & KEY_BIT(SUBKEY_DATA_WRAP)))
        return 0;
    if (c->key == NULL && (c->key = sodium_malloc(KEY_BYTES)) == NULL)
        return err_set(LV_ERROR, "out of memory");
    unsigned char *key = c->key;
    unsigned char ad[LEADKEY_AD_BYTES];
    seal_leadkey_ad(ad, c->vault->id, lead->id);
    const unsigned char *wrap = keyring_wrap_for(c->vault->keys, lead->generation);
    if (wrap == NULL || key_unwrap(key, lead->wrapped_key, wrap, ad, sizeof ad) != 0) {
        report(c, id, "data_key", "the lead's data key fails to unwrap");
        sodium_memzero(key, KEY_BYTES);
        return 0;
    }
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->sealed[f] == NULL)
            continue;
        size_t need =
            lead->sealed_len[f] >= SEAL_OVERHEAD ? lead->sealed_len[f] - SEAL_OVERHEAD : 0;
        /* Not util_array_grow_wiped: a guarded block, and nothing in it to
         * keep; sodium_free wipes the old one. */
        if (need > c->plain_cap) {
            unsigned char *grown = sodium_malloc(need);
            if (grown == NULL) {
                sodium_memzero(key, KEY_BYTES);
                return err_set(LV_ERROR, "out of memory");
            }
            sodium_free(c->plain);
            c->plain = grown;
            c->plain_cap = need;
        }
        if (seal_open_field(c->plain, lead->sealed[f], lead->sealed_len[f], key, c->vault->id,
                            lead->id, (lv_field)f) != 0)
            report(c, id, lv_field_name((lv_field)f),
                   "sealed value fails to open (tampered, "
                   "moved or corrupt)");
        else
            sodium_memzero(c->plain, need);
    }
    sodium_memzero(key, KEY_BYTES);
    return 0;
}

static int check_purpose(void *ctx, const store_purpose *p)
{
    check_ctx *c = ctx;
    if (!purpose_mac_valid(c->vault, p)) {
        char problem[128];
        (void)snprintf(problem, sizeof problem, "purpose %s failed its integrity check", p->name);
        report(c, NULL, NULL, problem);
    }
    return 0;
}

static int check_consent(void *ctx, const store_consent *consent)
{
    check_ctx *c = ctx;
    if (!consent_mac_valid(c->vault, consent))
        report_lead(c, consent->lead_id, "consent", "a consent record failed its integrity check");
    return 0;
}

static int check_hold(void *ctx, const store_hold *h)
{
    check_ctx *c = ctx;
    if (hold_check(c->vault, h) != 0)
        report_lead(c, h->lead_id, "hold", "the legal hold failed its integrity check");
    return 0;
}

static int check_rule(void *ctx, const store_rule *r)
{
    check_ctx *c = ctx;
    if (retention_rule_check(c->vault, r) != 0)
        report(c, NULL, NULL, lv_error_last());
    return 0;
}

static int check_settings(check_ctx *c)
{
    for (const char *const *name = lv_setting_names(); *name != NULL; name++) {
        char value[LV_SETTING_VALUE_MAX + 1];
        int rc = setting_get(c->vault, *name, value);
        if (rc == LV_ECORRUPT)
            report(c, NULL, NULL, lv_error_last());
        else if (rc != 0)
            return rc;
    }
    return 0;
}

/* The per-lead pass: every consent record's MAC, then each lead's MAC,
 * consent chain, data key and sealed values. At 1M leads this is most of
 * a check's time (every value opened, a consent query per lead). */
static int check_each_lead(check_ctx *c)
{
    c->leads = 0;
    int walk = store_consent_all(c->vault->store, check_consent, c);
    if (walk == 0)
        walk = store_lead_each(c->vault->store, NULL, 1, check_lead, c);
    return walk;
}

int lv_vault_check_with(lv_vault *vault, const lv_check_options *opts, lv_check_fn fn, void *ctx,
                        uint64_t *leads_checked)
{
    err_clear();
    if (opts == NULL || opts->version != LV_CHECK_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "check options of an unknown version");
    int rc = session_require(vault, POLICY_CHECK);
    if (rc != 0)
        return rc;
    check_ctx c = {.vault = vault, .fn = fn, .user_ctx = ctx};
    rc = store_integrity(vault->store, report_integrity, &c);
    if (rc == 0 || rc == LV_ECORRUPT) {
        int walk = store_keyslot_each(vault->store, check_slot, &c);
        if (walk == 0)
            walk = store_purpose_each(vault->store, check_purpose, &c);
        if (walk == 0)
            walk = store_hold_each(vault->store, check_hold, &c);
        if (walk == 0)
            walk = store_rule_each(vault->store, check_rule, &c);
        if (walk == 0)
            walk = check_settings(&c);
        /* The whole state at once: rows deleted, added, rolled back or
         * edited, which no row's own MAC shows (one snapshot for every
         * table). Its message waits until the leads were named. */
        char digest_problem[256] = "";
        uint64_t leads = 0;
        int digest = store_begin_read(vault->store);
        if (digest == 0) {
            digest = digest_verify(vault, &leads);
            store_rollback(vault->store);
        }
        if (digest == LV_ECORRUPT)
            (void)snprintf(digest_problem, sizeof digest_problem, "%s", lv_error_last());
        else if (digest != 0 && rc == 0)
            rc = digest;
        c.leads = leads;
        /* A matching digest means every row is as a session holding the
         * keys left it, and every such session writes only rows whose
         * MACs and seals hold: the per-lead pass would find nothing a
         * file writer did (docs/format.md, "What check checks"). It runs
         * when asked (deep), and whenever anything failed, to name the
         * leads and fields. */
        if (walk == 0 && (opts->deep || c.problems > 0 || digest != 0))
            walk = check_each_lead(&c);
        if (walk != 0 && walk != LV_ECORRUPT)
            rc = walk;
        else if (walk == LV_ECORRUPT)
            report(&c, NULL, NULL, lv_error_last());
        if (digest_problem[0] != '\0')
            report(&c, NULL, NULL, digest_problem);
    }
    sodium_free(c.plain);
    sodium_free(c.key);
    if (leads_checked != NULL)
        *leads_checked = c.leads;
    if (rc == 0 && c.problems > 0)
        rc = err_set(LV_ECORRUPT, "integrity check found %llu problem(s)",
                     (unsigned long long)c.problems);
    audit_event event = {.action = "vault.check", .code = rc};
    if (rc == 0) {
        if ((rc = store_begin(vault->store)) == 0) {
            if ((rc = audit_append(vault, &event)) != 0 || (rc = store_commit(vault->store)) != 0)
                store_rollback(vault->store);
        }
    } else if (rc != LV_EBUSY)
        audit_record_failure(vault, &event);
    return rc;
}

int lv_vault_check(lv_vault *vault, lv_check_fn fn, void *ctx, uint64_t *leads_checked)
{
    lv_check_options opts = LV_CHECK_OPTIONS_INIT;
    return lv_vault_check_with(vault, &opts, fn, ctx, leads_checked);
}
