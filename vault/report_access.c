/* report_access.c - who accessed lead data, when and for what: reveals,
 * finds, searches and exports per user, purpose and day (with a heat map),
 * the most revealed leads, denials, failed unlocks and access outside
 * business hours. Every figure comes from the verified audit log and
 * names the sequence numbers it counts (first and last), so an auditor can
 * trace it with 'leadvault audit show'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "util_array.h"

#define TOP_LEADS 20
/* Business hours: Monday to Friday, 08:00 to 18:00 UTC. */
#define HOURS_START 8
#define HOURS_END 18

typedef struct revealed {
    unsigned char id[LV_ID_BYTES];
    uint64_t seq;
} revealed;

typedef struct access_tally {
    json_t *access, *denied, *unlocks, *after_hours;
    revealed *leads;
    size_t nleads, cap;
} access_tally;

/* The kind of access an action is, or NULL when it reads no lead data. */
static const char *access_kind(const char *action)
{
    if (strcmp(action, "lead.get") == 0)
        return "reveal";
    if (strncmp(action, "lead.find", 9) == 0)
        return "find";
    if (strncmp(action, "lead.search", 11) == 0 || strcmp(action, "lead.list") == 0)
        return "search";
    if (strcmp(action, "lead.export") == 0 || strcmp(action, "subject.export") == 0)
        return "export";
    return NULL;
}

static int out_of_hours(int64_t ms)
{
    int64_t days = ms / REPORT_DAY_MS;
    int weekday = (int)((days + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
    int hour = (int)(ms % REPORT_DAY_MS / 3600000);
    return weekday == 0 || weekday == 6 || hour < HOURS_START || hour >= HOURS_END;
}

static int tally_entry(void *ctx, const store_audit *e)
{
    access_tally *t = ctx;
    char key[512];
    if (strcmp(e->action, "vault.unlock") == 0 && strcmp(e->outcome, "ok") != 0)
        return report_tally_add(t->unlocks, e->actor, 0, e->seq);
    const char *kind = access_kind(e->action);
    if (strcmp(e->outcome, "denied") == 0) {
        (void)snprintf(key, sizeof key, "%s" REPORT_SEP "%s" REPORT_SEP "%s", e->actor, e->action,
                       e->purpose[0] ? e->purpose : "(none)");
        return report_tally_add(t->denied, key, e->lead_count, e->seq);
    }
    if (kind == NULL || strcmp(e->outcome, "ok") != 0)
        return 0;
    (void)snprintf(key, sizeof key, "%s" REPORT_SEP "%s" REPORT_SEP "%.10s" REPORT_SEP "%s",
                   e->actor, e->purpose[0] ? e->purpose : "(none)", e->time, kind);
    int rc = report_tally_add(t->access, key, e->lead_count, e->seq);
    if (rc == 0 && out_of_hours(report_time_ms(e->time))) {
        (void)snprintf(key, sizeof key, "%s" REPORT_SEP "%s", e->actor, kind);
        rc = report_tally_add(t->after_hours, key, e->lead_count, e->seq);
    }
    /* Most revealed: one-lead accesses (reveals and finds), not bulk
     * exports, which the recipients of the record of processing count. */
    if (strcmp(kind, "reveal") != 0 && strcmp(kind, "find") != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < e->lead_count; i++) {
        revealed *r = util_array_append((void **)&t->leads, &t->nleads, &t->cap, sizeof *r, 256);
        if (r == NULL)
            return LV_ERROR;
        memcpy(r->id, e->lead_ids + i * LV_ID_BYTES, LV_ID_BYTES);
        r->seq = e->seq;
    }
    return rc;
}

static int by_lead_then_seq(const void *a, const void *b)
{
    const revealed *x = a, *y = b;
    int c = memcmp(x->id, y->id, LV_ID_BYTES);
    return c != 0 ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

typedef struct lead_count {
    size_t first; /* index in the sorted array */
    uint64_t count;
} lead_count;

static int by_count(const void *a, const void *b)
{
    const lead_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return (x->first > y->first) - (x->first < y->first); /* then by lead id */
}

static int top_leads(report_ctx *r, access_tally *t)
{
    static const char *const columns[] = {"lead", "accesses", "first audit seq",
                                          "last audit seq", NULL};
    json_t *s = report_section(r, "top_leads", "Most accessed leads",
                               "The leads revealed or found most often in the period (exports "
                               "not counted), by lead id.",
                               columns);
    if (s == NULL)
        return err_set(LV_ERROR, "out of memory");
    if (t->nleads > 0)
        qsort(t->leads, t->nleads, sizeof *t->leads, by_lead_then_seq);
    lead_count *counts = calloc(t->nleads ? t->nleads : 1, sizeof *counts);
    if (counts == NULL)
        return err_set(LV_ERROR, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < t->nleads; i++) {
        if (i == 0 || memcmp(t->leads[i].id, t->leads[i - 1].id, LV_ID_BYTES) != 0)
            counts[n++].first = i;
        counts[n - 1].count++;
    }
    if (n > 0)
        qsort(counts, n, sizeof *counts, by_count);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n && i < TOP_LEADS; i++) {
        char id[LV_ID_STRLEN + 1];
        const revealed *first = &t->leads[counts[i].first];
        report_id(id, first->id);
        rc = report_row(s, "[s, I, I, I]", id, (json_int_t)counts[i].count,
                        (json_int_t)first->seq,
                        (json_int_t)t->leads[counts[i].first + counts[i].count - 1].seq);
    }
    if (rc == 0 && n > TOP_LEADS)
        rc = report_note(s, "The %d most accessed of %zu leads accessed.", TOP_LEADS, n);
    free(counts);
    return rc;
}

static int tally_section(report_ctx *r, const char *id, const char *title, const char *text,
                         const char *const *columns, json_t *tally, int with_leads)
{
    json_t *s = report_section(r, id, title, text, columns);
    return s != NULL ? report_tally_rows(s, tally, with_leads) : err_set(LV_ERROR, "out of memory");
}

int report_access(report_ctx *r)
{
    static const char *const access_columns[] = {
        "user", "purpose", "day", "access", "operations", "leads", "first audit seq",
        "last audit seq", NULL};
    static const char *const denied_columns[] = {"user", "action", "purpose", "denials",
                                                 "leads", "first audit seq", "last audit seq",
                                                 NULL};
    static const char *const unlock_columns[] = {"user name tried", "failed unlocks",
                                                 "first audit seq", "last audit seq", NULL};
    static const char *const hours_columns[] = {"user", "access", "operations", "leads",
                                                "first audit seq", "last audit seq", NULL};
    access_tally t = {json_object(), json_object(), json_object(), json_object(), NULL, 0, 0};
    int rc = t.access && t.denied && t.unlocks && t.after_hours
                 ? report_audit_each(r, 1, tally_entry, &t)
                 : err_set(LV_ERROR, "out of memory");
    if (rc == 0)
        rc = tally_section(r, "access", "Access per user, purpose and day",
                           "Reveals (lead get), finds (lead find), searches (lead list and "
                           "search) and exports (export, subject export) that succeeded; leads "
                           "counts the lead ids each operation names.",
                           access_columns, t.access, 1);
    if (rc == 0)
        rc = report_chart_heat(json_array_get(r->sections, json_array_size(r->sections) - 1),
                               "Operations per user and day", 0, 2, 4);
    if (rc == 0)
        rc = top_leads(r, &t);
    if (rc == 0)
        rc = tally_section(r, "denials", "Denials",
                           "Every operation the policy refused, by user, action and purpose.",
                           denied_columns, t.denied, 1);
    if (rc == 0)
        rc = tally_section(r, "failed_unlocks", "Failed unlocks",
                           "Wrong passphrases and unknown user names.", unlock_columns,
                           t.unlocks, 0);
    if (rc == 0)
        rc = tally_section(r, "out_of_hours", "Access outside business hours",
                           "Successful accesses outside Monday to Friday, 08:00 to 18:00 UTC.",
                           hours_columns, t.after_hours, 1);
    json_decref(t.access);
    json_decref(t.denied);
    json_decref(t.unlocks);
    json_decref(t.after_hours);
    free(t.leads);
    return rc;
}
