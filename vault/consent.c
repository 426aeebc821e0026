/* consent.c - append-only consent records per lead and purpose, with
 * evidence sealed under the lead's data key and every record MAC'd. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "error.h"
#include "lead_record.h"
#include "purpose.h"
#include "seal.h"
#include "util_array.h"
#include "util_id.h"
#include "util_text.h"
#include "util_time.h"

#define EVIDENCE_MAX 4096

static void consent_mac(unsigned char out[MAC_BYTES], const lv_vault *vault,
                        const store_consent *c)
{
    record_mac m;
    record_mac_begin(&m, vault->keys, "lvC1", vault->id);
    record_mac_bytes(&m, c->id, LV_ID_BYTES);
    record_mac_bytes(&m, c->lead_id, LV_ID_BYTES);
    record_mac_bytes(&m, c->prev, MAC_BYTES);
    record_mac_text(&m, c->purpose);
    record_mac_int(&m, c->granted);
    record_mac_int(&m, c->time);
    record_mac_int(&m, c->expires);
    record_mac_text(&m, c->actor);
    record_mac_text(&m, c->notice_version);
    /* Presence is bound too: a removed evidence blob must not verify. */
    record_mac_int(&m, c->evidence != NULL);
    record_mac_bytes(&m, c->evidence, c->evidence != NULL ? c->evidence_len : 0);
    record_mac_int(&m, c->reason != NULL);
    record_mac_bytes(&m, c->reason, c->reason != NULL ? c->reason_len : 0);
    record_mac_end(&m, out);
}

int consent_mac_valid(const lv_vault *vault, const store_consent *c)
{
    unsigned char mac[MAC_BYTES];
    consent_mac(mac, vault, c);
    return key_mac_equal(mac, c->mac);
}

static int corrupt_record(const store_consent *c)
{
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, c->lead_id);
    return err_set(LV_ECORRUPT, "integrity failure: a consent record of lead %s (purpose %s) "
                                "was altered",
                   id, c->purpose);
}

/* A lead's records form a chain: each names the MAC of the one before it,
 * and the lead's (MAC'd) row names the newest. Walking them in order checks
 * every link, so a record deleted, reordered or replayed from elsewhere is
 * an integrity failure, not a silently changed consent state. */
typedef struct chain_ctx {
    const lv_vault *vault;
    unsigned char head[MAC_BYTES];
    store_consent_fn fn;
    void *ctx;
} chain_ctx;

static int chain_step(void *ctx, const store_consent *c)
{
    chain_ctx *chain = ctx;
    if (!consent_mac_valid(chain->vault, c) || sodium_memcmp(c->prev, chain->head, MAC_BYTES) != 0)
        return corrupt_record(c);
    memcpy(chain->head, c->mac, MAC_BYTES);
    return chain->fn != NULL ? chain->fn(chain->ctx, c) : 0;
}

int consent_each_verified(const lv_vault *vault, const store_lead *lead, store_consent_fn fn,
                          void *ctx)
{
    chain_ctx chain = {.vault = vault, .fn = fn, .ctx = ctx};
    int rc = store_consent_each(vault->store, lead->id, NULL, chain_step, &chain);
    if (rc == 0 && sodium_memcmp(chain.head, lead->consent_head, MAC_BYTES) != 0) {
        char id[LV_ID_STRLEN + 1];
        util_id_to_hex(id, lead->id);
        rc = err_set(LV_ECORRUPT, "integrity failure: the consent history of lead %s is "
                                  "incomplete or reordered",
                     id);
    }
    return rc;
}

typedef struct active_ctx {
    const char *purpose;
    int64_t now;
    int active;
} active_ctx;

static int latest_state(void *ctx, const store_consent *c)
{
    active_ctx *a = ctx;
    if (strcmp(c->purpose, a->purpose) == 0)
        a->active = c->granted && (c->expires == 0 || c->expires > a->now);
    return 0;
}

/* A consent the records show as active must be the latest change the
 * audit log records for that lead and purpose. A lead row rolled back
 * together with its consent records (an older copy of the same vault)
 * passes every MAC and its chain; the log's newest consent entry for the
 * lead, a withdrawal, says it is not the latest state. One lookup through
 * the per-lead audit index, paid only when the answer would be "allowed".
 * (An attacker who also deleted that index's rows passes this; `check`
 * finds both, through the state digest.) */
static int consent_audit_agrees(lv_vault *vault, const store_lead *lead, const char *purpose)
{
    int granted = 0;
    int rc = store_audit_consent_latest(vault->store, lead->id, purpose, &granted);
    if (rc != 0 && rc != LV_ENOTFOUND)
        return rc;
    if (rc == 0 && granted)
        return 0;
    char id[LV_ID_STRLEN + 1];
    util_id_to_hex(id, lead->id);
    return err_set(LV_ECORRUPT,
                   "integrity failure: the consent records of lead %s (purpose %s) are older "
                   "than the audit log, which records %s",
                   id, purpose, rc == 0 ? "a later withdrawal" : "no grant");
}

int consent_is_active(lv_vault *vault, const store_lead *lead, const char *purpose, int64_t now,
                      int *active)
{
    active_ctx a = {purpose, now, 0};
    int rc = consent_each_verified(vault, lead, latest_state, &a);
    if (rc == 0 && a.active)
        rc = consent_audit_agrees(vault, lead, purpose);
    *active = rc == 0 && a.active;
    return rc;
}

/* Seal text under the lead's data key, bound to the consent record. */
static int seal_note(unsigned char **out, size_t *out_len, const char *text,
                     const unsigned char key[KEY_BYTES], const lv_vault *vault,
                     const store_consent *c, char kind)
{
    size_t len = strlen(text);
    unsigned char ad[CONSENT_AD_BYTES];
    *out = malloc(seal_size(len));
    if (*out == NULL)
        return err_set(LV_ERROR, "out of memory");
    seal_consent_ad(ad, vault->id, c->lead_id, c->id, kind);
    seal_value(*out, (const unsigned char *)text, len, key, ad, sizeof ad);
    *out_len = seal_size(len);
    return 0;
}

int consent_append(lv_vault *vault, store_lead *lead, const char *purpose, int granted,
                   const char *note, const char *notice_version, int64_t expires, int64_t time)
{
    store_consent c;
    memset(&c, 0, sizeof c);
    unsigned char *key = session_scratch(vault, KEY_BYTES), *sealed = NULL;
    size_t sealed_len = 0;
    if (key == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = lead_key_unwrap(key, vault, lead);
    if (rc == 0) {
        key_random(c.id, LV_ID_BYTES);
        memcpy(c.lead_id, lead->id, LV_ID_BYTES);
        memcpy(c.prev, lead->consent_head, MAC_BYTES);
        (void)snprintf(c.purpose, sizeof c.purpose, "%s", purpose);
        c.granted = granted;
        c.time = time != 0 ? time : util_now_ms();
        c.expires = granted ? expires : 0;
        (void)snprintf(c.actor, sizeof c.actor, "%s", vault->user);
        (void)snprintf(c.notice_version, sizeof c.notice_version, "%s",
                       notice_version != NULL ? notice_version : "");
    }
    if (rc == 0 && note != NULL && note[0] != '\0' &&
        (rc = seal_note(&sealed, &sealed_len, note, key, vault, &c, granted ? 'e' : 'r')) == 0) {
        if (granted) {
            c.evidence = sealed;
            c.evidence_len = sealed_len;
        } else {
            c.reason = sealed;
            c.reason_len = sealed_len;
        }
    }
    if (rc == 0) {
        consent_mac(c.mac, vault, &c);
        rc = store_consent_insert(vault->store, &c);
    }
    if (rc == 0) {
        /* The lead's row now names the new head of its chain. */
        memcpy(lead->consent_head, c.mac, MAC_BYTES);
        lead_mac(lead->mac, vault, lead);
        rc = store_lead_set_head(vault->store, lead->id, lead->consent_head, lead->mac);
    }
    sodium_memzero(key, KEY_BYTES);
    free(sealed);
    return rc;
}

int consent_check_purpose(lv_vault *vault, const char *purpose, int granted)
{
    store_purpose p;
    int rc = purpose_load(vault, purpose, &p);
    if (rc != 0)
        return rc;
    if (granted && p.retired != 0)
        return err_set(LV_EDENIED, "denied: purpose %s is retired", purpose);
    /* A withdrawal for a purpose that does not rest on consent would be
     * recorded and change nothing: refuse it like a grant. */
    if (p.basis != LV_BASIS_CONSENT)
        return err_set(LV_EINVAL, "purpose %s rests on %s, not on consent", purpose,
                       lv_basis_name((lv_basis)p.basis));
    return 0;
}

int consent_check_note(const char *note, const char *notice_version, int granted)
{
    int rc;
    if (granted && (note == NULL || note[0] == '\0'))
        return err_set(LV_EINVAL, "evidence: required (how and where consent was given)");
    if (note != NULL && (rc = util_text_check(granted ? "evidence" : "reason", note,
                                               EVIDENCE_MAX)) != 0)
        return rc;
    if (notice_version != NULL &&
        (rc = util_text_check("notice_version", notice_version, LV_PURPOSE_NAME_MAX)) != 0)
        return rc;
    return 0;
}

/* ---- history ---- */

typedef struct history {
    lv_vault *vault;
    const unsigned char *key;
    lv_consent_record *items;
    size_t count, cap;
} history;

static int open_note(char **out, size_t *out_len, unsigned char *block, const unsigned char *sealed,
                     size_t sealed_len, const history *h, const store_consent *c, char kind)
{
    unsigned char ad[CONSENT_AD_BYTES];
    seal_consent_ad(ad, h->vault->id, c->lead_id, c->id, kind);
    size_t len = sealed_len - SEAL_OVERHEAD;
    if (seal_open_value(block, sealed, sealed_len, h->key, ad, sizeof ad) != 0)
        return corrupt_record(c);
    block[len] = '\0';
    *out = (char *)block;
    *out_len = len;
    return 0;
}

static int collect_record(void *ctx, const store_consent *c)
{
    history *h = ctx;
    if ((c->evidence != NULL && c->evidence_len < SEAL_OVERHEAD) ||
        (c->reason != NULL && c->reason_len < SEAL_OVERHEAD))
        return corrupt_record(c);
    lv_consent_record *r = util_array_append((void **)&h->items, &h->count, &h->cap, sizeof *r, 8);
    if (r == NULL)
        return LV_ERROR;
    memcpy(r->purpose, c->purpose, sizeof r->purpose);
    r->granted = c->granted;
    r->time = c->time;
    r->expires = c->expires;
    memcpy(r->actor, c->actor, sizeof r->actor);
    memcpy(r->notice_version, c->notice_version, sizeof r->notice_version);
    size_t e = c->evidence != NULL ? c->evidence_len - SEAL_OVERHEAD + 1 : 0;
    size_t n = c->reason != NULL ? c->reason_len - SEAL_OVERHEAD + 1 : 0;
    if (e + n == 0)
        return 0;
    unsigned char *block = sodium_malloc(e + n);
    if (block == NULL)
        return err_set(LV_ERROR, "out of memory");
    r->internal = block;
    int rc = 0;
    if (c->evidence != NULL)
        rc = open_note(&r->evidence, &r->evidence_len, block, c->evidence, c->evidence_len, h, c,
                       'e');
    if (rc == 0 && c->reason != NULL)
        rc = open_note(&r->reason, &r->reason_len, block + e, c->reason, c->reason_len, h, c,
                       'r');
    return rc;
}

int lv_consent_history(lv_consent_record **out, size_t *count, lv_vault *vault,
                       const char *lead_id)
{
    err_clear();
    *out = NULL;
    *count = 0;
    unsigned char id[LV_ID_BYTES];
    int rc = util_id_from_hex(id, lead_id);
    if (rc != 0)
        return rc;
    audit_event event = {.action = "consent.show", .lead_ids = id, .lead_count = 1};
    if ((rc = audit_gate(vault, POLICY_CONSENT_READ, &event)) != 0)
        return rc;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    return audit_commit(vault, consent_history_load(vault, id, out, count), &event);
}

int consent_history_load(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                         lv_consent_record **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    unsigned char *key = sodium_malloc(KEY_BYTES);
    if (key == NULL)
        return err_set(LV_ERROR, "out of memory");
    history h = {.vault = vault, .key = key};
    store_lead lead;
    char hex[LV_ID_STRLEN + 1];
    util_id_to_hex(hex, lead_id);
    int rc = lead_load(vault, lead_id, &lead);
    if (rc == 0 && (rc = session_require_owner(vault, lead.owner, hex)) == 0 &&
        (rc = lead_key_unwrap(key, vault, &lead)) == 0)
        rc = consent_each_verified(vault, &lead, collect_record, &h);
    sodium_free(key);
    if (rc != 0) {
        lv_consent_history_free(h.items, h.count);
        return rc;
    }
    *out = h.items;
    *count = h.count;
    return 0;
}

void lv_consent_history_free(lv_consent_record *records, size_t count)
{
    for (size_t i = 0; records != NULL && i < count; i++) {
        if (records[i].internal != NULL)
            sodium_free(records[i].internal);
    }
    free(records);
}
