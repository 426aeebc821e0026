/* retention.c - retention rules, the plan of what is due, and the run
 * that erases it through the erasure path. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "erase.h"
#include "error.h"
#include "hold.h"
#include "lead.h"
#include "lead_ops.h"
#include "purpose.h"
#include "receipt.h"
#include "retention.h"
#include "util_array.h"
#include "util_id.h"
#include "util_time.h"

#define RUN_BATCH 256 /* erasures per transaction in a run */

static void rule_mac(unsigned char out[MAC_BYTES], const lv_vault *vault, const store_rule *r)
{
    record_mac m;
    record_mac_begin(&m, vault->keys, "lvR1", vault->id);
    record_mac_text(&m, r->name);
    record_mac_text(&m, r->stage);
    record_mac_text(&m, r->source);
    record_mac_int(&m, r->no_consent);
    record_mac_int(&m, r->consent_withdrawn);
    record_mac_int(&m, r->older_than_ms);
    record_mac_int(&m, r->inactive_ms);
    record_mac_int(&m, r->created);
    record_mac_end(&m, out);
}

int lv_retention_add(lv_vault *vault, const lv_retention_rule *rule)
{
    err_clear();
    audit_event event = {.action = "retention.add", .subject = rule != NULL ? rule->name : NULL};
    int rc = audit_gate(vault, POLICY_RETENTION, &event);
    if (rc != 0)
        return rc;
    if (rule == NULL || !purpose_name_valid(rule->name))
        return err_set(LV_EINVAL, "rule name: lower-case letters, digits and _ (1 to %d)",
                       LV_PURPOSE_NAME_MAX);
    const char *stage = "", *source = "";
    if ((rule->stage[0] && (rc = lead_stage_resolve(&stage, rule->stage)) != 0) ||
        (rule->source[0] && (rc = lead_source_resolve(&source, rule->source)) != 0))
        return rc;
    if (rule->older_than_ms < 0 || rule->inactive_ms < 0 ||
        (rule->older_than_ms == 0 && rule->inactive_ms == 0))
        return err_set(LV_EINVAL, "a retention rule needs an age: --older-than or --inactive");
    store_rule r;
    memset(&r, 0, sizeof r);
    (void)snprintf(r.name, sizeof r.name, "%s", rule->name);
    (void)snprintf(r.stage, sizeof r.stage, "%s", stage);
    (void)snprintf(r.source, sizeof r.source, "%s", source);
    r.no_consent = rule->no_consent != 0;
    r.consent_withdrawn = rule->consent_withdrawn != 0;
    r.older_than_ms = rule->older_than_ms;
    r.inactive_ms = rule->inactive_ms;
    r.created = util_now_ms();
    rule_mac(r.mac, vault, &r);
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    rc = store_rule_put(vault->store, &r);
    if (rc == LV_EEXISTS)
        rc = err_set(LV_EEXISTS, "retention rule %s already exists", r.name);
    return audit_commit(vault, rc, &event);
}

int lv_retention_remove(lv_vault *vault, const char *name)
{
    err_clear();
    audit_event event = {.action = "retention.remove", .subject = name};
    int rc = audit_gate(vault, POLICY_RETENTION, &event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    return audit_commit(vault, store_rule_delete(vault->store, name), &event);
}

typedef struct rule_list {
    lv_vault *vault;
    store_rule *items;
    size_t count, cap;
} rule_list;

int retention_rule_check(const lv_vault *vault, const store_rule *r)
{
    unsigned char mac[MAC_BYTES];
    rule_mac(mac, vault, r);
    if (!key_mac_equal(mac, r->mac))
        return err_set(LV_ECORRUPT, "integrity failure: retention rule %s was altered", r->name);
    return 0;
}

static int collect_rule(void *ctx, const store_rule *r)
{
    rule_list *list = ctx;
    int rc = retention_rule_check(list->vault, r);
    if (rc != 0)
        return rc;
    store_rule *rule =
        util_array_append((void **)&list->items, &list->count, &list->cap, sizeof *rule, 8);
    if (rule == NULL)
        return LV_ERROR;
    *rule = *r;
    return 0;
}

/* Every rule, authenticated, inside the caller's transaction. */
static int load_rules(lv_vault *vault, rule_list *list)
{
    memset(list, 0, sizeof *list);
    list->vault = vault;
    int rc = store_rule_each(vault->store, collect_rule, list);
    if (rc != 0) {
        free(list->items);
        list->items = NULL;
        list->count = 0;
    }
    return rc;
}

int lv_retention_list(lv_vault *vault, lv_retention_rule **out, size_t *count)
{
    err_clear();
    *out = NULL;
    *count = 0;
    audit_event event = {.action = "retention.list"};
    int rc = audit_gate(vault, POLICY_RETENTION, &event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    rule_list list;
    if ((rc = audit_commit(vault, load_rules(vault, &list), &event)) != 0)
        return rc;
    lv_retention_rule *rules = calloc(list.count ? list.count : 1, sizeof *rules);
    if (rules == NULL) {
        free(list.items);
        return err_set(LV_ERROR, "out of memory");
    }
    for (size_t i = 0; i < list.count; i++) {
        memcpy(rules[i].name, list.items[i].name, sizeof rules[i].name);
        memcpy(rules[i].stage, list.items[i].stage, sizeof rules[i].stage);
        memcpy(rules[i].source, list.items[i].source, sizeof rules[i].source);
        rules[i].no_consent = list.items[i].no_consent;
        rules[i].consent_withdrawn = list.items[i].consent_withdrawn;
        rules[i].older_than_ms = list.items[i].older_than_ms;
        rules[i].inactive_ms = list.items[i].inactive_ms;
    }
    free(list.items);
    *out = rules;
    *count = list.count;
    return 0;
}

void lv_retention_list_free(lv_retention_rule *rules)
{
    free(rules);
}

/* ---- plan ---- */

typedef struct consent_state {
    const lv_vault *vault;
    int64_t as_of;
    int any_active, any_withdrawn;
    /* latest state per purpose, in record order */
    char purposes[32][LV_PURPOSE_NAME_MAX + 1];
    int granted[32], active[32];
    size_t n;
} consent_state;

static int track_consent(void *ctx, const store_consent *c)
{
    consent_state *s = ctx;
    size_t i = 0;
    while (i < s->n && strcmp(s->purposes[i], c->purpose) != 0)
        i++;
    if (i == s->n) {
        if (s->n == sizeof s->purposes / sizeof s->purposes[0])
            return 0; /* more purposes than any vault defines: the rest cannot matter */
        (void)snprintf(s->purposes[s->n++], sizeof s->purposes[0], "%s", c->purpose);
    }
    s->granted[i] = c->granted;
    s->active[i] = c->granted && (c->expires == 0 || c->expires > s->as_of);
    return 0;
}

typedef struct plan_ctx {
    lv_vault *vault;
    int64_t as_of;
    const rule_list *rules;
    lv_due_fn fn;
    void *ctx;
    int keep; /* a run keeps what is due; a plan only reports it */
    unsigned char *due;
    const char **due_rule;
    unsigned char *due_held;
    size_t ndue, cap;
} plan_ctx;

/* The first rule (by name) that makes the lead due, or NULL. */
static int due_rule(plan_ctx *p, const store_lead *lead, const store_rule **out)
{
    *out = NULL;
    consent_state cs;
    int have_consent = 0;
    for (size_t i = 0; i < p->rules->count; i++) {
        const store_rule *r = &p->rules->items[i];
        int64_t last = lead->last_contact > 0 ? lead->last_contact : lead->created;
        if ((r->stage[0] && strcmp(r->stage, lead->stage) != 0) ||
            (r->source[0] && strcmp(r->source, lead->source) != 0) ||
            (r->older_than_ms && lead->created > p->as_of - r->older_than_ms) ||
            (r->inactive_ms && last > p->as_of - r->inactive_ms))
            continue;
        if ((r->no_consent || r->consent_withdrawn) && !have_consent) {
            memset(&cs, 0, sizeof cs);
            cs.vault = p->vault;
            cs.as_of = p->as_of;
            int rc = consent_each_verified(p->vault, lead, track_consent, &cs);
            if (rc != 0)
                return rc;
            for (size_t k = 0; k < cs.n; k++) {
                cs.any_active |= cs.active[k];
                cs.any_withdrawn |= !cs.granted[k];
            }
            have_consent = 1;
        }
        if ((r->no_consent && cs.any_active) || (r->consent_withdrawn && !cs.any_withdrawn))
            continue;
        *out = r;
        return 0;
    }
    return 0;
}

/* Room for one more due lead in the three parallel arrays. They share
 * p->cap, which moves only once all three have grown: when one grow
 * fails, those that grew before it keep their larger blocks and p->cap
 * stays a capacity that all three hold. */
static int due_grow(plan_ctx *p)
{
    size_t need = p->ndue + 1;
    size_t cap[3] = {p->cap, p->cap, p->cap}; /* due, due_rule, due_held */
    if (util_array_grow((void **)&p->due, &cap[0], need, LV_ID_BYTES, 64) != 0 ||
        util_array_grow((void **)&p->due_rule, &cap[1], need, sizeof *p->due_rule, 64) != 0 ||
        util_array_grow((void **)&p->due_held, &cap[2], need, 1, 64) != 0)
        return LV_ERROR;
    p->cap = cap[0];
    return 0;
}

static int plan_lead(void *ctx, const store_lead *lead)
{
    plan_ctx *p = ctx;
    const store_rule *rule = NULL;
    int held = 0;
    /* Retention decides on metadata: it must be the vault's own. */
    int rc = lead_mac_check(p->vault, lead);
    if (rc == 0)
        rc = due_rule(p, lead, &rule);
    if (rc != 0 || rule == NULL)
        return rc;
    if ((rc = hold_is_set(p->vault, lead->id, &held)) != 0)
        return rc;
    if (p->fn != NULL) {
        char id[LV_ID_STRLEN + 1];
        util_id_to_hex(id, lead->id);
        if (p->fn(p->ctx, id, rule->name, held) != 0)
            return 1;
    }
    if (!p->keep)
        return 0;
    if ((rc = due_grow(p)) != 0)
        return rc;
    memcpy(p->due + p->ndue * LV_ID_BYTES, lead->id, LV_ID_BYTES);
    p->due_held[p->ndue] = (unsigned char)held; /* skipped, and reported */
    p->due_rule[p->ndue++] = rule->name;
    return 0;
}

int lv_retention_plan(lv_vault *vault, int64_t as_of, lv_due_fn fn, void *ctx)
{
    err_clear();
    audit_event event = {.action = "retention.plan"};
    int rc = audit_gate(vault, POLICY_RETENTION, &event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0)
        return rc;
    rule_list rules;
    if ((rc = load_rules(vault, &rules)) == 0) {
        plan_ctx p = {.vault = vault, .as_of = as_of > 0 ? as_of : util_now_ms(),
                      .rules = &rules, .fn = fn, .ctx = ctx};
        rc = store_lead_each(vault->store, NULL, 0, plan_lead, &p);
        if (rc == 1)
            rc = 0;
        free(rules.items);
    }
    return audit_commit(vault, rc, &event);
}

/* ---- run ---- */

int lv_retention_run(lv_vault *vault, const char *request, lv_due_fn fn, void *ctx,
                     lv_write_fn receipt_fn, void *receipt_ctx, size_t *erased, size_t *skipped)
{
    err_clear();
    *erased = *skipped = 0;
    audit_event event = {.action = "retention.run", .request = request};
    int rc = audit_gate(vault, POLICY_RETENTION, &event);
    if (rc != 0)
        return rc;
    if ((rc = erase_check_request(request, NULL)) != 0)
        return rc;
    rule_list rules = {0};
    plan_ctx p = {.vault = vault, .as_of = util_now_ms(), .rules = &rules, .keep = 1};
    json_t *receipt = receipt_fn != NULL ? receipt_new(vault, "retention", request) : NULL;
    if (receipt_fn != NULL && receipt == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    /* Plan and erase from one snapshot of the rules: load once, keep. */
    if (rc == 0 && (rc = store_begin(vault->store)) == 0) {
        if ((rc = load_rules(vault, &rules)) == 0)
            rc = store_lead_each(vault->store, NULL, 0, plan_lead, &p);
        if (rc == 0)
            rc = store_commit(vault->store);
        if (rc != 0)
            store_rollback(vault->store);
    }
    char ground[LV_PURPOSE_NAME_MAX + 32];
    size_t i = 0;
    while (rc == 0 && i < p.ndue) {
        if ((rc = store_begin(vault->store)) != 0)
            break;
        size_t end = i + RUN_BATCH < p.ndue ? i + RUN_BATCH : p.ndue;
        size_t batch_erased = 0, batch_skipped = 0;
        for (; rc == 0 && i < end; i++) {
            const unsigned char *id = p.due + i * LV_ID_BYTES;
            char hex[LV_ID_STRLEN + 1];
            util_id_to_hex(hex, id);
            if (p.due_held[i]) {
                batch_skipped++;
                if (receipt != NULL)
                    rc = receipt_add_skipped(receipt, id);
                if (rc == 0 && fn != NULL)
                    fn(ctx, hex, p.due_rule[i], 1);
                continue;
            }
            (void)snprintf(ground, sizeof ground, "retention rule %s", p.due_rule[i]);
            rc = erase_lead(vault, id, request, ground, 0, receipt, &event);
            if (rc == 0) {
                batch_erased++;
                if (fn != NULL)
                    fn(ctx, hex, p.due_rule[i], 0);
            }
        }
        if (rc == 0)
            rc = store_commit(vault->store);
        if (rc != 0) {
            store_rollback(vault->store);
            break;
        }
        *erased += batch_erased;
        *skipped += batch_skipped;
    }
    /* Leads erased in committed batches stay erased; the failure is
     * audited and the receipt is only written for a complete run. */
    if (rc != 0) {
        event.code = rc;
        if (rc != LV_EBUSY)
            audit_record_failure(vault, &event);
    } else {
        if ((rc = store_begin(vault->store)) == 0) {
            audit_event done = {.action = "retention.run", .request = request};
            rc = audit_append(vault, &done);
            if (rc == 0)
                rc = store_commit(vault->store);
            if (rc != 0)
                store_rollback(vault->store);
            event.seq = done.seq;
            memcpy(event.hash, done.hash, 32);
        }
        int wal = rc == 0 && *erased > 0 ? erase_finish(vault) : 0;
        char cause[512];
        (void)snprintf(cause, sizeof cause, "%s", lv_error_last());
        if (rc == 0 && receipt != NULL)
            rc = receipt_sign_write(vault, receipt, event.seq, event.hash, receipt_fn,
                                    receipt_ctx);
        if (rc == 0 && wal != 0)
            rc = err_set(wal, "%s", cause);
    }
    json_decref(receipt);
    free(rules.items);
    free(p.due);
    free(p.due_rule);
    free(p.due_held);
    return rc;
}
