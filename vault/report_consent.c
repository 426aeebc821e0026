/* report_consent.c - consent coverage per purpose (count and share of
 * leads), grants and withdrawals over time, consents expiring in the next
 * 30 and 90 days, and every use of a lead under a consent purpose without
 * an active consent at that moment (which must be none).
 *
 * Every consent record is read once and its MAC checked; each lead's
 * records must chain (each names the MAC of the one before) up to the
 * head its MAC'd lead row names, so a deleted, reordered or inserted
 * record is an integrity failure, as for a reveal. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "error.h"
#include "lead_record.h"
#include "report.h"
#include "util_array.h"

#define LINK_BYTES 16 /* MACs are checked in full; links compare this much */

typedef struct record {
    unsigned char lead[LV_ID_BYTES];
    uint64_t order;
    int64_t time, expires;
    int purpose; /* index in the consent purposes, -1 for another */
    int granted;
    unsigned char mac[LINK_BYTES], prev[LINK_BYTES];
} record;

typedef struct purpose_stat {
    const char *name;
    uint64_t active, withdrawn, expired, expiring30, expiring90;
} purpose_stat;

typedef struct consent_scan {
    report_ctx *r;
    record *records;
    size_t n, cap;
    purpose_stat *stats;
    size_t npurposes;
    json_t *per_day; /* day -> [grants, withdrawals] */
    size_t matched;  /* records that belong to a lead the walk saw */
    uint64_t leads;
    size_t *latest; /* per purpose: index of the lead's latest record, or SIZE_MAX */
} consent_scan;

static int purpose_index(const consent_scan *c, const char *name)
{
    for (size_t i = 0; i < c->npurposes; i++)
        if (strcmp(c->stats[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int day_add(json_t *per_day, int64_t time, int granted)
{
    char day[11];
    report_day(day, time);
    json_t *row = json_object_get(per_day, day);
    if (row == NULL) {
        row = json_pack("[I, I]", (json_int_t)0, (json_int_t)0);
        if (row == NULL || json_object_set_new(per_day, day, row) != 0)
            return err_set(LV_ERROR, "out of memory");
    }
    json_t *count = json_array_get(row, granted ? 0 : 1);
    return json_integer_set(count, json_integer_value(count) + 1);
}

static int take_record(void *ctx, const store_consent *c)
{
    consent_scan *s = ctx;
    if (!consent_mac_valid(s->r->vault, c)) {
        char id[LV_ID_STRLEN + 1];
        report_id(id, c->lead_id);
        return err_set(LV_ECORRUPT, "integrity failure: a consent record of lead %s was altered",
                       id);
    }
    record *out = util_array_append((void **)&s->records, &s->n, &s->cap, sizeof *out, 1024);
    if (out == NULL)
        return LV_ERROR;
    memcpy(out->lead, c->lead_id, LV_ID_BYTES);
    out->order = s->n;
    out->time = c->time;
    out->expires = c->expires;
    out->granted = c->granted;
    out->purpose = purpose_index(s, c->purpose);
    memcpy(out->mac, c->mac, LINK_BYTES);
    memcpy(out->prev, c->prev, LINK_BYTES);
    if (c->time >= s->r->from && c->time <= s->r->to)
        return day_add(s->per_day, c->time, c->granted);
    return 0;
}

static int by_lead_then_order(const void *a, const void *b)
{
    const record *x = a, *y = b;
    int c = memcmp(x->lead, y->lead, LV_ID_BYTES);
    return c != 0 ? c : (x->order > y->order) - (x->order < y->order);
}

static int chain_broken(const store_lead *lead)
{
    char id[LV_ID_STRLEN + 1];
    report_id(id, lead->id);
    return err_set(LV_ECORRUPT,
                   "integrity failure: the consent history of lead %s was altered", id);
}

/* Index of the lead's first record in the sorted records, or s->n. */
static size_t first_record(const consent_scan *s, const unsigned char *lead)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(s->records[mid].lead, lead, LV_ID_BYTES) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Per lead (in storage order; its records are found by id): check its
 * chain and count the state of each purpose. */
static int visit_lead(void *ctx, const store_lead *lead)
{
    consent_scan *s = ctx;
    int rc = lead_mac_check(s->r->vault, lead);
    if (rc != 0)
        return rc;
    s->leads++;
    static const unsigned char zeros[MAC_BYTES];
    const unsigned char *prev = zeros;
    for (size_t p = 0; p < s->npurposes; p++)
        s->latest[p] = SIZE_MAX;
    for (size_t i = first_record(s, lead->id);
         i < s->n && memcmp(s->records[i].lead, lead->id, LV_ID_BYTES) == 0; i++) {
        const record *rec = &s->records[i];
        if (sodium_memcmp(rec->prev, prev, LINK_BYTES) != 0)
            return chain_broken(lead);
        prev = rec->mac;
        s->matched++;
        if (rec->purpose >= 0)
            s->latest[rec->purpose] = i;
    }
    if (sodium_memcmp(prev, lead->consent_head, LINK_BYTES) != 0)
        return chain_broken(lead);
    int64_t now = s->r->now;
    for (size_t p = 0; p < s->npurposes; p++) {
        if (s->latest[p] == SIZE_MAX)
            continue;
        const record *rec = &s->records[s->latest[p]];
        purpose_stat *st = &s->stats[p];
        if (!rec->granted)
            st->withdrawn++;
        else if (rec->expires != 0 && rec->expires <= now)
            st->expired++;
        else
            st->active++;
        if (rec->granted && rec->expires > now) {
            st->expiring30 += rec->expires <= now + 30 * REPORT_DAY_MS;
            st->expiring90 += rec->expires <= now + 90 * REPORT_DAY_MS;
        }
    }
    return 0;
}

/* ---- uses without consent ---- */

typedef struct use_check {
    consent_scan *s;
    json_t *section;
    uint64_t checked, missing, erased;
} use_check;

static int is_use(const char *action)
{
    return strcmp(action, "lead.get") == 0 || strncmp(action, "lead.find", 9) == 0 ||
           strcmp(action, "lead.export") == 0;
}

/* Whether the lead held an active consent for purpose p at time t:
 * 1 yes, 0 no, -1 the lead has no records (perhaps erased since). */
static int active_at(const consent_scan *s, const unsigned char *lead, int p, int64_t t)
{
    size_t lo = first_record(s, lead);
    if (lo == s->n || memcmp(s->records[lo].lead, lead, LV_ID_BYTES) != 0)
        return -1;
    const record *last = NULL;
    for (size_t i = lo; i < s->n && memcmp(s->records[i].lead, lead, LV_ID_BYTES) == 0; i++)
        if (s->records[i].purpose == p && s->records[i].time <= t)
            last = &s->records[i];
    return last != NULL && last->granted && (last->expires == 0 || last->expires > t);
}

static int check_use(void *ctx, const store_audit *e)
{
    use_check *u = ctx;
    if (strcmp(e->outcome, "ok") != 0 || !is_use(e->action))
        return 0;
    int p = purpose_index(u->s, e->purpose);
    if (p < 0)
        return 0; /* not a consent purpose */
    int64_t t = report_time_ms(e->time);
    for (size_t i = 0; i < e->lead_count; i++) {
        const unsigned char *lead = e->lead_ids + i * LV_ID_BYTES;
        u->checked++;
        int active = active_at(u->s, lead, p, t);
        int erased = 0;
        if (active == -1) {
            int rc = store_tombstone_exists(u->s->r->vault->store, lead, &erased);
            if (rc != 0)
                return rc;
        }
        if (active == 1)
            continue;
        if (erased) {
            u->erased++;
            continue;
        }
        if (u->missing++ < REPORT_LIST_MAX) {
            char id[LV_ID_STRLEN + 1];
            report_id(id, lead);
            int rc = report_row(u->section, "[s, s, s, I, s]", id, e->purpose, e->action,
                                (json_int_t)e->seq, e->time);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

static int uses(report_ctx *r, consent_scan *s)
{
    static const char *const columns[] = {"lead", "purpose", "action", "audit seq", "time", NULL};
    static const char *const check_columns[] = {"check", "count", NULL};
    use_check u = {s, NULL, 0, 0, 0};
    json_t *checks = report_section(r, "use_checks", "Uses under a consent purpose",
                                    "Each lead revealed, found or exported in the period under a "
                                    "purpose whose basis is consent must have held an active "
                                    "consent for it at that moment. Uses without must be zero.",
                                    check_columns);
    u.section = report_section(r, "without_consent", "Uses without an active consent",
                               "Must be empty: each row is a lead used under a consent purpose "
                               "while it held no active consent for it.",
                               columns);
    if (checks == NULL || u.section == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = report_audit_each(r, 1, check_use, &u);
    if (rc == 0)
        rc = report_row(checks, "[s, I]", "uses checked", (json_int_t)u.checked);
    if (rc == 0)
        rc = report_row(checks, "[s, I]", "uses without an active consent", (json_int_t)u.missing);
    if (rc == 0)
        rc = report_row(checks, "[s, I]", "uses of leads erased since (not checkable)",
                        (json_int_t)u.erased);
    if (rc == 0 && u.missing > REPORT_LIST_MAX)
        rc = report_note(u.section, "The first %d of %llu uses are listed.", REPORT_LIST_MAX,
                         (unsigned long long)u.missing);
    return rc;
}

/* ---- sections ---- */

static int coverage(report_ctx *r, const consent_scan *s)
{
    static const char *const columns[] = {"purpose", "leads with active consent", "share (%)",
                                          "withdrawn", "expired", NULL};
    char text[200];
    (void)snprintf(text, sizeof text,
                   "Per purpose whose basis is consent: the leads whose latest record is an "
                   "unexpired grant, of %llu leads.",
                   (unsigned long long)s->leads);
    json_t *sec = report_section(r, "coverage", "Consent coverage", text, columns);
    int rc = sec != NULL ? 0 : err_set(LV_ERROR, "out of memory");
    for (size_t p = 0; rc == 0 && p < s->npurposes; p++) {
        char share[16];
        report_share(share, s->stats[p].active, s->leads);
        rc = report_row(sec, "[s, I, s, I, I]", s->stats[p].name, (json_int_t)s->stats[p].active,
                        share, (json_int_t)s->stats[p].withdrawn, (json_int_t)s->stats[p].expired);
    }
    return rc == 0 ? report_chart_bars(sec, "Leads with active consent per purpose", 0, 1) : rc;
}

static int over_time(report_ctx *r, consent_scan *s)
{
    static const char *const columns[] = {"day", "grants", "withdrawals", NULL};
    json_t *sec = report_section(r, "over_time", "Grants and withdrawals per day",
                                 "Consent records made in the period, by day (UTC).", columns);
    size_t n = 0, i;
    const char **days = report_sorted_keys(s->per_day, &n);
    int rc = sec != NULL && days != NULL ? 0 : err_set(LV_ERROR, "out of memory");
    for (i = 0; rc == 0 && i < n; i++) {
        const json_t *row = json_object_get(s->per_day, days[i]);
        rc = report_row(sec, "[s, O, O]", days[i], json_array_get(row, 0), json_array_get(row, 1));
    }
    free(days);
    return rc == 0 ? report_chart_bars(sec, "Grants per day", 0, 1) : rc;
}

static int expiring(report_ctx *r, const consent_scan *s)
{
    static const char *const columns[] = {"purpose", "expiring within 30 days",
                                          "expiring within 90 days", NULL};
    json_t *sec = report_section(r, "expiring", "Consents expiring soon",
                                 "Active grants whose expiry falls in the next 30 or 90 days "
                                 "from the time of the report.",
                                 columns);
    int rc = sec != NULL ? 0 : err_set(LV_ERROR, "out of memory");
    for (size_t p = 0; rc == 0 && p < s->npurposes; p++)
        rc = report_row(sec, "[s, I, I]", s->stats[p].name, (json_int_t)s->stats[p].expiring30,
                        (json_int_t)s->stats[p].expiring90);
    return rc;
}

int report_consent(report_ctx *r)
{
    consent_scan s = {.r = r};
    store_purpose *purposes = NULL;
    size_t npurposes = 0;
    int rc = report_load_purposes(r, &purposes, &npurposes);
    if (rc != 0)
        return rc;
    s.stats = calloc(npurposes ? npurposes : 1, sizeof *s.stats);
    s.latest = calloc(npurposes ? npurposes : 1, sizeof *s.latest);
    s.per_day = json_object();
    if (s.stats == NULL || s.latest == NULL || s.per_day == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    for (size_t i = 0; rc == 0 && i < npurposes; i++)
        if (purposes[i].basis == LV_BASIS_CONSENT)
            s.stats[s.npurposes++].name = purposes[i].name;
    if (rc == 0)
        rc = store_consent_all(r->vault->store, take_record, &s);
    if (rc == 0) {
        if (s.n > 0)
            qsort(s.records, s.n, sizeof *s.records, by_lead_then_order);
        /* Storage order reads the table as stored, without an index lookup
         * per lead. */
        store_lead_filter all = {.storage_order = 1};
        rc = store_lead_each(r->vault->store, &all, 0, visit_lead, &s);
    }
    /* Records of erased leads go with them: one that no lead claims was
     * inserted or moved with plain SQL. */
    if (rc == 0 && s.matched != s.n)
        rc = err_set(LV_ECORRUPT, "integrity failure: a consent record names no lead");
    if (rc == 0)
        rc = coverage(r, &s);
    if (rc == 0)
        rc = over_time(r, &s);
    if (rc == 0)
        rc = expiring(r, &s);
    if (rc == 0)
        rc = uses(r, &s);
    json_decref(s.per_day);
    free(s.records);
    free(s.stats);
    free(s.latest);
    free(purposes);
    return rc;
}
