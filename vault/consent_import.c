/* consent_import.c - consent records in bulk: CSV rows of (email or phone,
 * purpose, action, time, evidence), each found through the blind index and
 * recorded in a transaction of its own with its audit entry, so that a bad
 * row is rejected alone, with its line, as lv_import rejects rows. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "crm_map.h"
#include "error.h"
#include "hold.h"
#include "import_read.h"
#include "lead_record.h"
#include "purpose.h"
#include "util_time.h"

enum { COL_EMAIL, COL_PHONE, COL_PURPOSE, COL_ACTION, COL_TIME, COL_EVIDENCE, COL_COUNT };

static const char *const column_names[COL_COUNT] = {"email",  "phone", "purpose",
                                                    "action", "time",  "evidence"};

#define NOTE_MAX 4096 /* the evidence limit of a consent record */

typedef struct consent_importer {
    lv_vault *vault;
    const lv_consent_import_options *opts;
    lv_consent_import_summary *summary;
    int column[COL_COUNT]; /* the cell of each column, or -1 */
    size_t columns;
    int64_t now;
    char note[NOTE_MAX + 1];
} consent_importer;

static void trimmed(const char **text, size_t *len)
{
    while (*len > 0 && (**text == ' ' || **text == '\t'))
        (*text)++, (*len)--;
    while (*len > 0 && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t'))
        (*len)--;
}

static int read_header(consent_importer *ci, const csv_record *r)
{
    for (int c = 0; c < COL_COUNT; c++)
        ci->column[c] = -1;
    for (size_t i = 0; i < r->count; i++) {
        int found = -1;
        for (int c = 0; c < COL_COUNT && found < 0; c++) {
            if (crm_map_same(r->cells[i], r->lens[i], column_names[c], strlen(column_names[c])))
                found = c;
        }
        if (found < 0)
            return err_set(LV_EINVAL,
                           "header: column %zu is none of email, phone, purpose, "
                           "action, time, evidence",
                           i + 1);
        if (ci->column[found] >= 0)
            return err_set(LV_EINVAL, "header: two %s columns", column_names[found]);
        ci->column[found] = (int)i;
    }
    if (ci->column[COL_PURPOSE] < 0 || ci->column[COL_ACTION] < 0 ||
        (ci->column[COL_EMAIL] < 0 && ci->column[COL_PHONE] < 0))
        return err_set(LV_EINVAL, "header: needs the columns purpose, action, and email or phone "
                                  "(time and evidence optional)");
    ci->columns = r->count;
    if (ci->opts->reject != NULL)
        ci->opts->reject(ci->opts->reject_ctx, r->line, NULL, r->raw, r->raw_len);
    return 0;
}

/* The trimmed cell of column c ("" when the file has no such column). */
static const char *cell(const consent_importer *ci, const csv_record *r, int c, size_t *len)
{
    const char *text = "";
    *len = 0;
    if (ci->column[c] >= 0) {
        text = r->cells[ci->column[c]];
        *len = r->lens[ci->column[c]];
        trimmed(&text, len);
    }
    return text;
}

/* Record one row. A row's own fault comes back as a reason in *why (0 is
 * returned); other errors stop the import. */
static int record_row(consent_importer *ci, const csv_record *r, const char **why, int *granted)
{
    size_t email_len, phone_len, action_len, time_len, evidence_len, purpose_len;
    const char *email = cell(ci, r, COL_EMAIL, &email_len);
    const char *phone = cell(ci, r, COL_PHONE, &phone_len);
    const char *action = cell(ci, r, COL_ACTION, &action_len);
    const char *when = cell(ci, r, COL_TIME, &time_len);
    const char *evidence = cell(ci, r, COL_EVIDENCE, &evidence_len);
    const char *purpose = cell(ci, r, COL_PURPOSE, &purpose_len);
    static _Thread_local char reason[ROW_REASON_MAX];
    char value[512], purpose_name[LV_PURPOSE_NAME_MAX + 1];
    *why = NULL;
    if (r->count != ci->columns) {
        (void)snprintf(reason, sizeof reason, "has %zu fields, the header has %zu", r->count,
                       ci->columns);
        return *why = reason, 0;
    }
    if (crm_map_same(action, action_len, "grant", 5) ||
        crm_map_same(action, action_len, "granted", 7))
        *granted = 1;
    else if (crm_map_same(action, action_len, "withdraw", 8) ||
             crm_map_same(action, action_len, "withdrawn", 9))
        *granted = 0;
    else
        return *why = "action: grant or withdraw", 0;
    lv_lookup by = email_len > 0 ? LV_LOOKUP_EMAIL : LV_LOOKUP_PHONE;
    const char *contact = email_len > 0 ? email : phone;
    size_t contact_len = email_len > 0 ? email_len : phone_len;
    if (contact_len == 0)
        return *why = "neither an email nor a phone", 0;
    if (contact_len >= sizeof value)
        return *why = by == LV_LOOKUP_EMAIL ? "email: too long" : "phone: too long", 0;
    if (purpose_len == 0 || purpose_len >= sizeof purpose_name)
        return *why = "purpose: missing or too long", 0;
    int64_t time = 0;
    if (time_len > 0) {
        char time_text[64];
        if (time_len >= sizeof time_text)
            return *why = "time: not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", 0;
        memcpy(time_text, when, time_len);
        time_text[time_len] = '\0';
        if (lv_time_parse(&time, time_text) != 0) {
            err_clear();
            return *why = "time: not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", 0;
        }
        if (time > ci->now)
            return *why = "time: in the future", 0;
    }
    if (*granted && evidence_len == 0)
        return *why = "evidence: required for a grant (how and where consent was given)", 0;
    /* The evidence names where the record came from. */
    const char *input = ci->opts->input_name != NULL ? ci->opts->input_name : "input";
    int n = snprintf(ci->note, sizeof ci->note, "%.*s%sconsent import of %s, line %llu%s",
                     (int)evidence_len, evidence, evidence_len ? " (" : "", input,
                     (unsigned long long)r->line, evidence_len ? ")" : "");
    if (n < 0 || (size_t)n >= sizeof ci->note)
        return *why = "evidence: longer than 4096 bytes with the file and line added", 0;
    memcpy(value, contact, contact_len);
    value[contact_len] = '\0';
    memcpy(purpose_name, purpose, purpose_len);
    purpose_name[purpose_len] = '\0';
    /* Checked before anything is recorded: the entry names the purpose. */
    if (!purpose_name_valid(purpose_name)) {
        (void)snprintf(reason, sizeof reason,
                       "purpose: lower-case letters, digits and _ (1 to %d)", LV_PURPOSE_NAME_MAX);
        return *why = reason, 0;
    }

    audit_event event = {.action = *granted ? "consent.grant" : "consent.withdraw",
                         .purpose = purpose_name};
    unsigned char *matches = NULL;
    size_t count = 0;
    int rc = consent_check_note(ci->note, NULL, *granted);
    if (rc == 0 && (rc = store_begin(ci->vault->store)) == 0) {
        unsigned char id[LV_ID_BYTES];
        store_lead lead;
        if ((rc = consent_check_purpose(ci->vault, purpose_name, *granted)) == 0) {
            rc = consent_lookup_one(ci->vault, by, value, id, &matches, &count);
            event.lead_ids = matches;
            event.lead_count = count;
        }
        if (rc == 0 && (rc = hold_load_changeable(ci->vault, id, &lead)) == 0)
            rc = consent_append(ci->vault, &lead, purpose_name, *granted, ci->note, NULL, 0, time);
        rc = audit_commit(ci->vault, rc, &event);
    }
    free(matches);
    sodium_memzero(value, sizeof value);
    if (rc == LV_EINVAL || rc == LV_ENOTFOUND || rc == LV_EDENIED) {
        (void)snprintf(reason, sizeof reason, "%s", lv_error_last());
        err_clear();
        return *why = reason, 0;
    }
    return rc;
}

static int on_record(void *ctx, const csv_record *r)
{
    consent_importer *ci = ctx;
    if (r->header)
        return read_header(ci, r);
    ci->summary->rows++;
    const char *why = r->reason;
    int granted = 0, rc = 0;
    if (why == NULL && (rc = record_row(ci, r, &why, &granted)) != 0)
        return rc;
    if (why != NULL) {
        ci->summary->rejected++;
        if (ci->opts->reject != NULL)
            ci->opts->reject(ci->opts->reject_ctx, r->line, why, r->raw, r->raw_len);
    } else if (granted) {
        ci->summary->granted++;
    } else {
        ci->summary->withdrawn++;
    }
    return 0;
}

int lv_consent_import(lv_vault *vault, lv_read_fn read, void *read_ctx,
                      const lv_consent_import_options *opts, lv_consent_import_summary *summary)
{
    err_clear();
    memset(summary, 0, sizeof *summary);
    if (opts == NULL || opts->version != LV_CONSENT_IMPORT_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "consent import options: wrong version");
    if (opts->delimiter == '"' || opts->delimiter == '\n' || opts->delimiter == '\r')
        return err_set(LV_EINVAL, "delimiter: not a quote or a line break");
    audit_event event = {.action = "consent.grant"};
    int rc = audit_gate(vault, POLICY_CONSENT_WRITE, &event);
    if (rc != 0)
        return rc;
    consent_importer ci = {.vault = vault, .opts = opts, .summary = summary, .now = util_now_ms()};
    reader *r = NULL;
    if ((rc = reader_new_records(&r, opts->delimiter, on_record, &ci)) == 0)
        rc = reader_run(r, read, read_ctx, NULL, NULL);
    reader_free(r);
    sodium_memzero(ci.note, sizeof ci.note);
    return rc;
}
