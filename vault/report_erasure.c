/* report_erasure.c - erasure requests: when each was received and erased,
 * against the one-month deadline of GDPR Art. 12(3); the receipt each
 * erasure can be proven by; and the suppression list over time.
 *
 * A request is known by its reference. It counts as received at the first
 * audit entry that names the reference (a subject export, a refused
 * erasure, the erasure itself), so a request logged when it arrives is
 * timed from then. Erasures made by retention rules are in the retention
 * report, not here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "report.h"
#include "util_array.h"

enum { R_FIRST_SEQ, R_RECEIVED, R_LEADS, R_ERASED, R_LAST_SEQ, R_RULE, R_ERASE_ASKED, R_RECEIPTS };

typedef struct erasure_scan {
    report_ctx *r;
    /* reference -> [first seq, received, leads, erased, last seq, by a rule,
     * an erasure was attempted, receipts handed out] */
    json_t *requests;
    json_t *removed;  /* day -> removals from the suppression list */
} erasure_scan;

static int set_int(json_t *row, size_t i, int64_t v)
{
    return json_integer_set(json_array_get(row, i), (json_int_t)v);
}

static int64_t get_int(const json_t *row, size_t i)
{
    return (int64_t)json_integer_value(json_array_get(row, i));
}

static int scan_entry(void *ctx, const store_audit *e)
{
    erasure_scan *s = ctx;
    int64_t t = report_time_ms(e->time);
    if (strcmp(e->action, "suppress.remove") == 0 && strcmp(e->outcome, "ok") == 0 &&
        t >= s->r->from && t <= s->r->to)
        return report_day_count(s->removed, t);
    if (e->request[0] == '\0')
        return 0;
    json_t *row = json_object_get(s->requests, e->request);
    if (row == NULL) {
        row = json_pack("[I, I, I, I, I, I, I, I]", (json_int_t)e->seq, (json_int_t)t,
                        (json_int_t)0, (json_int_t)0, (json_int_t)0, (json_int_t)0, (json_int_t)0,
                        (json_int_t)0);
        if (row == NULL || json_object_set_new(s->requests, e->request, row) != 0)
            return err_set(LV_ERROR, "out of memory");
    }
    if (strcmp(e->action, "erase.receipt") == 0 && strcmp(e->outcome, "ok") == 0) {
        set_int(row, R_RECEIPTS, get_int(row, R_RECEIPTS) + 1);
        return 0;
    }
    if (strcmp(e->action, "lead.erase") != 0)
        return 0;
    set_int(row, R_ERASE_ASKED, 1); /* refused or failed attempts too */
    if (strcmp(e->outcome, "ok") != 0 || e->lead_count == 0)
        return 0;
    set_int(row, R_LEADS, get_int(row, R_LEADS) + (int64_t)e->lead_count);
    set_int(row, R_ERASED, t);
    set_int(row, R_LAST_SEQ, (int64_t)e->seq);
    if (strncmp(e->subject, "retention rule ", 15) == 0)
        set_int(row, R_RULE, 1);
    return 0;
}

/* One calendar month after ms (Art. 12(3)); the 31st of a shorter month
 * becomes its last day. */
static int month_days(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month] + (month == 1 && leap);
}

/* One calendar month after ms (Art. 12(3)); the 31st of a shorter month
 * becomes its last day. */
static int64_t one_month_after(int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&secs, &tm) == NULL)
        return ms;
    int year = tm.tm_year + 1900, next = (tm.tm_mon + 1) % 12;
    int this_len = month_days(year, tm.tm_mon);
    int next_len = month_days(year + (tm.tm_mon == 11), next);
    int day = tm.tm_mday < next_len ? tm.tm_mday : next_len;
    return ms + (int64_t)(this_len - tm.tm_mday + day) * REPORT_DAY_MS;
}

typedef struct request_totals {
    uint64_t handled, on_time, late, open, open_late, leads, receipts, handled_with_receipt;
} request_totals;

static int request_row(erasure_scan *s, json_t *sec, const char *ref, request_totals *tot)
{
    const json_t *row = json_object_get(s->requests, ref);
    int64_t received = get_int(row, R_RECEIVED), erased = get_int(row, R_ERASED);
    int64_t deadline = one_month_after(received);
    int done = get_int(row, R_LEADS) > 0;
    /* References of other requests (a subject access request, say) and
     * of retention runs are not erasure requests. */
    if (get_int(row, R_RULE) || !get_int(row, R_ERASE_ASKED))
        return 0;
    /* Handled in the period, or still open at its end. */
    if (done ? erased < s->r->from || erased > s->r->to : received > s->r->to)
        return 0;
    char received_text[32], erased_text[32] = "", deadline_text[32], days[24] = "";
    lv_time_format(received_text, received);
    lv_time_format(deadline_text, deadline);
    const char *status;
    if (done) {
        lv_time_format(erased_text, erased);
        (void)snprintf(days, sizeof days, "%lld",
                       (long long)((erased - received) / REPORT_DAY_MS));
        status = erased <= deadline ? "yes, within one month" : "NO, late";
        tot->handled++;
        tot->leads += (uint64_t)get_int(row, R_LEADS);
        tot->receipts += (uint64_t)get_int(row, R_RECEIPTS);
        tot->handled_with_receipt += get_int(row, R_RECEIPTS) > 0;
        if (erased <= deadline)
            tot->on_time++;
        else
            tot->late++;
    } else {
        status = s->r->now > deadline ? "OPEN, past the deadline" : "open";
        tot->open++;
        tot->open_late += s->r->now > deadline;
    }
    return report_row(sec, "[s, s, s, s, I, s, s, I, I, I]", ref, received_text,
                      done ? erased_text : "not erased", deadline_text, get_int(row, R_LEADS),
                      days, status, (json_int_t)get_int(row, R_RECEIPTS),
                      (json_int_t)get_int(row, R_FIRST_SEQ), (json_int_t)get_int(row, R_LAST_SEQ));
}

static int requests(report_ctx *r, erasure_scan *s)
{
    static const char *const columns[] = {
        "request", "received", "erased", "deadline (one month)", "leads erased", "days taken",
        "on time", "receipts issued", "first audit seq", "receipt audit seq", NULL};
    static const char *const sum_columns[] = {"figure", "count", NULL};
    json_t *sum = report_section(r, "summary", "Requests in the period",
                                 "Erasure requests handled in the period, and those still open "
                                 "at its end.",
                                 sum_columns);
    json_t *sec = report_section(
        r, "requests", "Erasure requests",
        "Received: the first audit entry naming the reference. Receipts issued: the receipts "
        "handed out (erase --receipt, each recorded as an erase.receipt entry). A receipt of the "
        "erasure is signed over the entry in the last column; verify it with "
        "'leadvault receipt verify'.",
        columns);
    size_t n = 0;
    const char **refs = report_sorted_keys(s->requests, &n);
    if (sum == NULL || sec == NULL || refs == NULL) {
        free(refs);
        return err_set(LV_ERROR, "out of memory");
    }
    request_totals tot = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = request_row(s, sec, refs[i], &tot);
    free(refs);
    struct {
        const char *label;
        uint64_t value;
    } figures[] = {{"requests handled", tot.handled},
                   {"erased within one month", tot.on_time},
                   {"erased late", tot.late},
                   {"still open", tot.open},
                   {"open past the deadline", tot.open_late},
                   {"leads erased", tot.leads},
                   {"receipts issued", tot.receipts},
                   {"requests handled without a receipt issued", tot.handled - tot.handled_with_receipt}};
    for (size_t i = 0; rc == 0 && i < sizeof figures / sizeof figures[0]; i++)
        rc = report_row(sum, "[s, I]", figures[i].label, (json_int_t)figures[i].value);
    return rc;
}

typedef struct suppression_days {
    report_ctx *r;
    json_t *added; /* day -> count */
    uint64_t before, total;
} suppression_days;

static int take_time(void *ctx, int64_t t)
{
    suppression_days *d = ctx;
    d->total++;
    if (t < d->r->from) {
        d->before++;
        return 0;
    }
    return t > d->r->to ? 0 : report_day_count(d->added, t);
}

static int suppression(report_ctx *r, erasure_scan *s)
{
    static const char *const columns[] = {"day", "added", "removed", "listed at end of day",
                                          NULL};
    suppression_days d = {r, json_object(), 0, 0};
    char text[300];
    int rc = d.added != NULL ? store_suppress_times(r->vault->store, take_time, &d)
                             : err_set(LV_ERROR, "out of memory");
    (void)snprintf(text, sizeof text,
                   "Days of the period on which the suppression list changed. The list holds "
                   "%llu entries now; listed counts the entries still on it (a removed entry "
                   "leaves no date behind).",
                   (unsigned long long)d.total);
    json_t *sec = rc == 0 ? report_section(r, "suppression", "Suppression list", text, columns)
                          : NULL;
    if (rc == 0 && sec == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    /* Merge the days of additions and removals. */
    json_t *days = json_object();
    const char *day;
    json_t *v;
    json_object_foreach(d.added, day, v)
    {
        json_object_set(days, day, json_null());
    }
    json_object_foreach(s->removed, day, v)
    {
        json_object_set(days, day, json_null());
    }
    size_t n = 0;
    const char **keys = days != NULL ? report_sorted_keys(days, &n) : NULL;
    if (rc == 0 && keys == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    uint64_t listed = d.before;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_int_t added = json_integer_value(json_object_get(d.added, keys[i]));
        json_int_t removed = json_integer_value(json_object_get(s->removed, keys[i]));
        listed += (uint64_t)added;
        rc = report_row(sec, "[s, I, I, I]", keys[i], added, removed, (json_int_t)listed);
    }
    if (rc == 0)
        rc = report_chart_bars(sec, "Entries listed at the end of each day", 0, 3);
    free(keys);
    json_decref(days);
    json_decref(d.added);
    return rc;
}

int report_erasure(report_ctx *r)
{
    erasure_scan s = {r, json_object(), json_object()};
    int rc = s.requests != NULL && s.removed != NULL ? report_audit_each(r, 0, scan_entry, &s)
                                                     : err_set(LV_ERROR, "out of memory");
    if (rc == 0)
        rc = requests(r, &s);
    if (rc == 0)
        rc = suppression(r, &s);
    json_decref(s.requests);
    json_decref(s.removed);
    return rc;
}
