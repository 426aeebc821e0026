/* report_retention.c - the retention rules, the leads coming due in the
 * next 30, 90 and 365 days with their dates, the leads under legal hold
 * and why, and the erasures each rule made in the period.
 *
 * A lead's due date under a rule is the latest of the dates its age and
 * inactivity conditions give; consent conditions are taken as they stand
 * today (a later grant or withdrawal moves the date). Its due date is the
 * earliest over the rules whose stage and source it matches - the rule
 * 'retention run' would apply first is the first by name that is due, the
 * same one when only one rule applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "error.h"
#include "hold.h"
#include "lead_record.h"
#include "report.h"
#include "util_array.h"

typedef struct due_lead {
    unsigned char id[LV_ID_BYTES];
    int64_t due;
    size_t rule;
} due_lead;

typedef struct retention_scan {
    report_ctx *r;
    store_rule *rules;
    size_t nrules;
    due_lead *due;
    size_t ndue, cap;
    uint64_t overdue, within30, within90, within365;
} retention_scan;

typedef struct consent_now {
    int64_t now;
    int any_active, any_withdrawn;
    /* Latest record per purpose, by name: few purposes per lead. */
    char purpose[16][PURPOSE_NAME_MAX + 1];
    int granted[16], active[16];
    size_t n;
} consent_now;

static int track(void *ctx, const store_consent *c)
{
    consent_now *s = ctx;
    size_t i = 0;
    while (i < s->n && strcmp(s->purpose[i], c->purpose) != 0)
        i++;
    if (i == s->n) {
        if (s->n == 16)
            return 0;
        (void)snprintf(s->purpose[s->n++], PURPOSE_NAME_MAX + 1, "%s", c->purpose);
    }
    s->granted[i] = c->granted;
    s->active[i] = c->granted && (c->expires == 0 || c->expires > s->now);
    return 0;
}

static int visit_lead(void *ctx, const store_lead *lead)
{
    retention_scan *s = ctx;
    int rc = lead_mac_check(s->r->vault, lead);
    if (rc != 0)
        return rc;
    int64_t best = 0, last = lead->last_contact > 0 ? lead->last_contact : lead->created;
    size_t best_rule = 0;
    int have_consent = 0;
    consent_now cs;
    for (size_t i = 0; i < s->nrules; i++) {
        const store_rule *rule = &s->rules[i];
        if ((rule->stage[0] && strcmp(rule->stage, lead->stage) != 0) ||
            (rule->source[0] && strcmp(rule->source, lead->source) != 0))
            continue;
        if ((rule->no_consent || rule->consent_withdrawn) && !have_consent) {
            memset(&cs, 0, sizeof cs);
            cs.now = s->r->now;
            if ((rc = consent_each_verified(s->r->vault, lead, track, &cs)) != 0)
                return rc;
            for (size_t k = 0; k < cs.n; k++) {
                cs.any_active |= cs.active[k];
                cs.any_withdrawn |= !cs.granted[k];
            }
            have_consent = 1;
        }
        if ((rule->no_consent && cs.any_active) || (rule->consent_withdrawn && !cs.any_withdrawn))
            continue;
        int64_t due = 0;
        if (rule->older_than_ms)
            due = lead->created + rule->older_than_ms;
        if (rule->inactive_ms && last + rule->inactive_ms > due)
            due = last + rule->inactive_ms;
        if (best == 0 || due < best) {
            best = due;
            best_rule = i;
        }
    }
    if (best == 0 || best > s->r->now + 365 * REPORT_DAY_MS)
        return 0;
    if (best <= s->r->now)
        s->overdue++;
    else {
        s->within30 += best <= s->r->now + 30 * REPORT_DAY_MS;
        s->within90 += best <= s->r->now + 90 * REPORT_DAY_MS;
        s->within365++;
    }
    due_lead *d = util_array_append((void **)&s->due, &s->ndue, &s->cap, sizeof *d, 256);
    if (d == NULL)
        return LV_ERROR;
    memcpy(d->id, lead->id, LV_ID_BYTES);
    d->due = best;
    d->rule = best_rule;
    return 0;
}

static int by_due(const void *a, const void *b)
{
    const due_lead *x = a, *y = b;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    return memcmp(x->id, y->id, LV_ID_BYTES);
}

static int due_sections(report_ctx *r, retention_scan *s)
{
    static const char *const sum_columns[] = {"due", "leads", NULL};
    static const char *const columns[] = {"lead", "due", "rule", "held", NULL};
    json_t *sum = report_section(r, "due_summary", "Leads coming due",
                                 "Overdue leads are erased by the next 'retention run' unless "
                                 "held; the windows count from the time of the report and "
                                 "include each other.",
                                 sum_columns);
    json_t *list = report_section(r, "due", "Leads due within 365 days",
                                  "Each lead with its due date and the rule that makes it due, "
                                  "earliest first.",
                                  columns);
    if (sum == NULL || list == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = report_row(sum, "[s, I]", "overdue now", (json_int_t)s->overdue);
    if (rc == 0)
        rc = report_row(sum, "[s, I]", "within 30 days", (json_int_t)s->within30);
    if (rc == 0)
        rc = report_row(sum, "[s, I]", "within 90 days", (json_int_t)s->within90);
    if (rc == 0)
        rc = report_row(sum, "[s, I]", "within 365 days", (json_int_t)s->within365);
    if (rc == 0)
        rc = report_chart_bars(sum, "Leads coming due", 0, 1);
    if (s->ndue > 0)
        qsort(s->due, s->ndue, sizeof *s->due, by_due);
    for (size_t i = 0; rc == 0 && i < s->ndue && i < REPORT_LIST_MAX; i++) {
        char id[LV_ID_STRLEN + 1], due[32];
        int held = 0;
        report_id(id, s->due[i].id);
        lv_time_format(due, s->due[i].due);
        if ((rc = hold_is_set(r->vault, s->due[i].id, &held)) == 0)
            rc = report_row(list, "[s, s, s, s]", id, due, s->rules[s->due[i].rule].name,
                            held ? "yes" : "no");
    }
    if (rc == 0 && s->ndue > REPORT_LIST_MAX)
        rc = report_note(list, "The first %d of %zu leads are listed.", REPORT_LIST_MAX, s->ndue);
    return rc;
}

typedef struct hold_rows {
    report_ctx *r;
    json_t *section;
} hold_rows;

static int take_hold(void *ctx, const store_hold *h)
{
    hold_rows *rows = ctx;
    int rc = hold_check(rows->r->vault, h);
    if (rc != 0)
        return rc;
    char id[LV_ID_STRLEN + 1], since[32];
    report_id(id, h->lead_id);
    lv_time_format(since, h->time);
    return report_row(rows->section, "[s, s, s, s]", id, h->reason, h->actor, since);
}

static int holds(report_ctx *r)
{
    static const char *const columns[] = {"lead", "reason", "set by", "since", NULL};
    hold_rows rows = {r, report_section(r, "holds", "Legal holds",
                                        "Held leads are never erased, by a rule or by request.",
                                        columns)};
    return rows.section != NULL ? store_hold_each(r->vault->store, take_hold, &rows)
                                : err_set(LV_ERROR, "out of memory");
}

static int tally_erasure(void *ctx, const store_audit *e)
{
    if (strcmp(e->action, "lead.erase") != 0 || strcmp(e->outcome, "ok") != 0 ||
        e->lead_count == 0)
        return 0;
    static const char prefix[] = "retention rule ";
    const char *rule = strncmp(e->subject, prefix, sizeof prefix - 1) == 0
                           ? e->subject + sizeof prefix - 1
                           : "(erasure requests, not a rule)";
    return report_tally_add(ctx, rule, e->lead_count, e->seq);
}

static int erasures(report_ctx *r)
{
    static const char *const columns[] = {"rule", "erasures", "leads", "first audit seq",
                                          "last audit seq", NULL};
    json_t *sec = report_section(r, "erasures", "Erasures per rule in the period",
                                 "From the verified audit log: each erasure names its ground.",
                                 columns);
    json_t *tally = json_object();
    int rc = sec != NULL && tally != NULL ? report_audit_each(r, 1, tally_erasure, tally)
                                          : err_set(LV_ERROR, "out of memory");
    if (rc == 0)
        rc = report_tally_rows(sec, tally, 1);
    if (rc == 0)
        rc = report_chart_bars(sec, "Leads erased per rule", 0, 2);
    json_decref(tally);
    return rc;
}

int report_retention(report_ctx *r)
{
    retention_scan s = {.r = r};
    int rc = report_load_rules(r, &s.rules, &s.nrules);
    if (rc == 0)
        rc = report_rules_section(r, "rules", "Retention rules",
                                  "A lead is due when every condition of a rule holds.");
    store_lead_filter all = {.storage_order = 1}; /* no index lookup per lead */
    if (rc == 0 && s.nrules > 0)
        rc = store_lead_each(r->vault->store, &all, 0, visit_lead, &s);
    if (rc == 0)
        rc = due_sections(r, &s);
    if (rc == 0)
        rc = holds(r);
    if (rc == 0)
        rc = erasures(r);
    free(s.rules);
    free(s.due);
    return rc;
}
