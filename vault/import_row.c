/* import_row.c - what each record of an import becomes: the header's
 * column mapping (CRM names, --map, --consent-column), and each row
 * validated, normalized and sealed into a prepared lead for the writer, or
 * refused with its reason. No store access: runs on the reader's thread. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_map.h"
#include "error.h"
#include "import_reader.h"
#include "lead.h"
#include "util_array.h"
#include "util_time.h"

/* ---- column mapping ---- */

static const struct {
    const char *name;
    int target;
} override_targets[] = {
    {"source", MAP_SOURCE},
    {"source_detail", MAP_SOURCE_DETAIL},
    {"stage", MAP_STAGE},
    {"owner", MAP_OWNER},
    {"country", MAP_COUNTRY},
    {"incentive", MAP_INCENTIVE},
    {"verified", MAP_VERIFIED},
    {"aware", MAP_AWARE},
    {"last_contact", MAP_LAST_CONTACT},
    {"address_part", MAP_ADDRESS_PART},
    {"full_name", MAP_FULL_NAME},
    {"ignore", MAP_IGNORE},
};

static void trim(const char **text, size_t *len)
{
    while (*len > 0 && (**text == ' ' || **text == '\t'))
        (*text)++, (*len)--;
    while (*len > 0 && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t'))
        (*len)--;
}

int import_pair_split(const char *entry, const char *option, const char **name, size_t *name_len,
                      const char **value)
{
    const char *eq = entry != NULL ? strrchr(entry, '=') : NULL;
    if (eq == NULL)
        return err_set(LV_EINVAL, "%s: expected \"NAME=VALUE\"", option);
    *name = entry;
    *name_len = (size_t)(eq - entry);
    trim(name, name_len);
    *value = eq + 1;
    if (*name_len == 0 || eq[1] == '\0')
        return err_set(LV_EINVAL, "%s: expected \"NAME=VALUE\", both non-empty", option);
    return 0;
}

/* The index of the --consent-column naming header, or -1. */
static int consent_column_of(const importer *im, const char *header, size_t len)
{
    for (size_t i = 0; i < im->opts->consent_column_count; i++) {
        const char *name, *purpose;
        size_t name_len;
        if (import_pair_split(im->opts->consent_columns[i], "--consent-column", &name, &name_len,
                              &purpose) == 0 &&
            name_len == len && strncasecmp(name, header, len) == 0)
            return (int)i;
    }
    err_clear();
    return -1;
}

/* The target of a header: a --map override first, else the CRM tables. */
static int header_target(const importer *im, const char *header, size_t len, int *target)
{
    trim(&header, &len);
    for (size_t i = 0; i < im->opts->map_count; i++) {
        const char *eq, *name;
        size_t name_len;
        int rc = import_pair_split(im->opts->map[i], "--map", &name, &name_len, &eq);
        if (rc != 0)
            return rc;
        eq--; /* at the '=' */
        if (name_len != len || strncasecmp(name, header, len) != 0)
            continue;
        lv_field f;
        if (lv_field_parse(&f, eq + 1) == 0) {
            *target = (int)f;
            return 0;
        }
        for (size_t k = 0; k < sizeof override_targets / sizeof override_targets[0]; k++) {
            if (strcmp(eq + 1, override_targets[k].name) == 0) {
                *target = override_targets[k].target;
                return 0;
            }
        }
        return err_set(LV_EINVAL, "--map: unknown field (a lead field, source, source_detail, "
                                  "stage, owner, country, incentive, verified, aware, "
                                  "last_contact, address_part, full_name or ignore)");
    }
    /* leadvault's own field names (as export writes them) map to themselves. */
    char own[32];
    lv_field f;
    if (len < sizeof own) {
        memcpy(own, header, len);
        own[len] = '\0';
        if (lv_field_parse(&f, own) == 0) {
            err_clear();
            *target = (int)f;
            return 0;
        }
        err_clear();
    }
    *target = crm_map_header(header, len);
    return 0;
}

static int target_repeatable(int target)
{
    return target == MAP_UNKNOWN || target == MAP_IGNORE || target == MAP_ADDRESS_PART ||
           target == MAP_CONSENT;
}

static int target_identifies(int target)
{
    return target == LV_FIELD_FIRST_NAME || target == LV_FIELD_LAST_NAME ||
           target == LV_FIELD_EMAIL || target == LV_FIELD_PHONE || target == LV_FIELD_EMAIL2 ||
           target == LV_FIELD_PHONE2 || target == MAP_FULL_NAME;
}

static void note_unknown(lv_import_summary *s, const char *header, size_t len)
{
    size_t at = strlen(s->unknown_columns);
    if (len > 64)
        len = 64; /* a header is not data, but keep the summary small */
    /* JSON Lines bring their keys on every line: list each once. */
    for (const char *p = s->unknown_columns; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (n == len && memcmp(p, header, len) == 0)
            return;
        p = comma != NULL ? comma + 1 : NULL;
    }
    if (at + len + 2 < sizeof s->unknown_columns)
        (void)snprintf(s->unknown_columns + at, sizeof s->unknown_columns - at, "%s%.*s",
                       at ? "," : "", (int)len, header);
}

/* ---- items handed to the writer ---- */

/* An item's allocation: only a rejected row carries its reason. */
static size_t item_size(item_kind kind)
{
    return sizeof(row_item) + (kind == ITEM_REJECT ? ROW_REASON_MAX : 0);
}

void row_item_free(row_item *item)
{
    if (item == NULL)
        return;
    lead_draft_free(&item->d);
    if (item->raw != NULL) {
        sodium_memzero(item->raw, item->raw_len);
        free(item->raw);
    }
    if (item->consent_notes != NULL) {
        sodium_memzero(item->consent_notes, item->consent_notes_len);
        free(item->consent_notes);
    }
    sodium_memzero(item, item_size(item->kind));
    free(item);
}

void row_item_wipe(row_item *item)
{
    for (int i = 0; i < CONTACT_SLOTS; i++) {
        if (item->d.contact[i].form != NULL)
            sodium_memzero(item->d.contact[i].form, item->d.contact[i].form_len);
    }
    if (item->raw != NULL)
        sodium_memzero(item->raw, item->raw_len);
}

static row_item *item_new(importer *im, item_kind kind)
{
    size_t size = item_size(kind);
    row_item *item = calloc(1, size);
    if (item == NULL) {
        im->rc = err_set(LV_ERROR, "out of memory");
        return NULL;
    }
    item->kind = kind;
    item->line = im->line - im->record_lines;
    item->bytes = size;
    return item;
}

static int emit(importer *im, row_item *item)
{
    int rc = im->sink(im->sink_ctx, item);
    if (rc != 0 && im->rc == 0)
        im->rc = rc;
    return rc;
}

/* Copy the current record's raw bytes (without its terminator) into item,
 * for the reject file. */
static int copy_cells(importer *im, row_item *item)
{
    size_t n = im->raw_len;
    while (n > 0 && (im->raw[n - 1] == '\n' || im->raw[n - 1] == '\r'))
        n--;
    item->raw = malloc(n ? n : 1);
    if (item->raw == NULL)
        return im->rc = err_set(LV_ERROR, "out of memory");
    if (n > 0)
        memcpy(item->raw, im->raw, n);
    item->raw_len = n;
    item->bytes += n;
    return 0;
}

/* Append bytes to the raw record (wiped when it grows: it is plaintext). */
/* The header, or a refused row: the reason and a copy of the cells. */
static int emit_cells(importer *im, item_kind kind, const char *reason)
{
    row_item *item = item_new(im, kind);
    if (item == NULL)
        return im->rc;
    if (reason != NULL)
        (void)snprintf(item->reason, ROW_REASON_MAX, "%s", reason);
    if (copy_cells(im, item) != 0) {
        row_item_free(item);
        return im->rc;
    }
    return emit(im, item);
}

void import_reject(importer *im, const char *reason)
{
    if (im->on_record != NULL)
        import_deliver_record(im, reason);
    else
        emit_cells(im, ITEM_REJECT, reason);
}

int import_read_header(importer *im)
{
    im->columns = calloc(im->ncells ? im->ncells : 1, sizeof *im->columns);
    if (im->columns == NULL)
        return err_set(LV_ERROR, "out of memory");
    im->ncolumns = im->ncells;
    int identifying = 0;
    for (size_t i = 0; i < im->ncells; i++) {
        const char *h = im->buf + im->off[i];
        size_t len = im->lens[i];
        const char *th = h;
        size_t tl = len;
        trim(&th, &tl);
        int consent = consent_column_of(im, th, tl);
        int rc = 0;
        if (consent >= 0) {
            im->columns[i].target = MAP_CONSENT;
            im->columns[i].consent = consent;
            (void)snprintf(im->consent_header[consent], sizeof im->consent_header[consent], "%.*s",
                           (int)(tl > CONSENT_VALUE_SHOWN ? CONSENT_VALUE_SHOWN : tl), th);
            im->consent_reading[consent] = crm_consent_convention(th, tl);
        } else {
            rc = header_target(im, h, len, &im->columns[i].target);
        }
        if (rc != 0)
            return rc;
        int t = im->columns[i].target;
        identifying |= target_identifies(t);
        if (t == MAP_UNKNOWN)
            note_unknown(im->summary, th, tl);
        for (size_t k = 0; k < i && !target_repeatable(t); k++) {
            if (im->columns[k].target == t)
                return err_set(LV_EINVAL,
                               "header: columns %zu and %zu hold the same field; "
                               "use --map to choose",
                               k + 1, i + 1);
        }
    }
    /* A CSV header names every consent column (JSON Lines name theirs per line). */
    for (size_t k = 0; im->opts->format != LV_IMPORT_JSONL && k < im->opts->consent_column_count;
         k++) {
        int found = 0;
        for (size_t i = 0; i < im->ncells && !found; i++)
            found = im->columns[i].target == MAP_CONSENT && im->columns[i].consent == (int)k;
        if (!found)
            return err_set(LV_EINVAL, "--consent-column: the header has no column \"%.*s\"",
                           (int)strcspn(im->opts->consent_columns[k], "="),
                           im->opts->consent_columns[k]);
    }
    if (!identifying) {
        const char *h = im->ncells == 1 ? im->buf + im->off[0] : "";
        int other_delim = strchr(h, ';') != NULL || strchr(h, '\t') != NULL;
        return err_set(LV_EINVAL, "header: no column holds a name, email or phone%s",
                       other_delim ? "; the file looks separated by ';' or tabs: use --delimiter"
                                   : "; use --map \"Header=field\"");
    }
    im->header_done = 1;
    if (im->opts->reject != NULL && im->opts->format != LV_IMPORT_JSONL)
        return emit_cells(im, ITEM_HEADER, NULL);
    return 0;
}

/* Split "First Last" at its last space into the two name fields. */
static void split_name(importer *im, lv_lead_input *in, const char *text, size_t len)
{
    const char *space = NULL;
    for (size_t i = 0; i < len; i++)
        if (text[i] == ' ')
            space = text + i;
    size_t first = space != NULL ? (size_t)(space - text) : len;
    if (first >= sizeof im->scratch_name[0] || len - first >= sizeof im->scratch_name[1])
        return; /* over the name limit: left to the name fields' own check */
    memcpy(im->scratch_name[0], text, first);
    im->scratch_name[0][first] = '\0';
    if (in->field[LV_FIELD_FIRST_NAME] == NULL && first > 0)
        in->field[LV_FIELD_FIRST_NAME] = im->scratch_name[0];
    if (space != NULL && in->field[LV_FIELD_LAST_NAME] == NULL) {
        memcpy(im->scratch_name[1], space + 1, len - first - 1);
        im->scratch_name[1][len - first - 1] = '\0';
        in->field[LV_FIELD_LAST_NAME] = im->scratch_name[1];
    }
}

/* Returns 0, or -1 when the parts no longer fit the address limit. */
static int add_address_part(importer *im, size_t *at, const char *text, size_t len)
{
    if (*at + len + 2 >= sizeof im->scratch_address)
        return -1;
    if (*at > 0) {
        memcpy(im->scratch_address + *at, ", ", 2);
        *at += 2;
    }
    memcpy(im->scratch_address + *at, text, len);
    *at += len;
    im->scratch_address[*at] = '\0';
    return 0;
}

/* The vault user an owner value names: a --map-owner entry, else a user
 * of that name; NULL when neither. */
static const char *owner_user(const importer *im, const char *value, size_t len)
{
    for (size_t i = 0; i < im->opts->map_owner_count; i++) {
        const char *name, *user;
        size_t name_len;
        if (import_pair_split(im->opts->map_owner[i], "--map-owner", &name, &name_len, &user) ==
                0 &&
            name_len == len && strncasecmp(name, value, len) == 0)
            return user;
    }
    for (size_t i = 0; i < im->user_count; i++) {
        if (strlen(im->users[i]) == len && memcmp(im->users[i], value, len) == 0)
            return im->users[i];
    }
    return NULL;
}

/* 1 when value is one of the comma-separated list's values. */
static int value_listed(const char *list, const char *value, size_t len)
{
    while (list != NULL && *list != '\0') {
        size_t n = strcspn(list, ",");
        const char *item = list;
        size_t item_len = n;
        trim(&item, &item_len);
        if (item_len > 0 && crm_map_same(item, item_len, value, len))
            return 1;
        list += n + (list[n] == ',');
    }
    return 0;
}

/* What a consent cell says: --consent-granted / --consent-withdrawn
 * values first, then the column's CRM convention. */
static consent_value consent_of(const importer *im, int index, const char *value, size_t len)
{
    if (len == 0)
        return CONSENT_VALUE_NONE;
    if (value_listed(im->opts->consent_granted, value, len))
        return CONSENT_VALUE_GRANTED;
    if (value_listed(im->opts->consent_withdrawn, value, len))
        return CONSENT_VALUE_WITHDRAWN;
    return crm_consent_value(im->consent_reading[index], value, len);
}

/* The evidence of each granted or withdrawn consent column of the row:
 * the input, the line and the column, and the value read. */
static int consent_notes(importer *im, row_item *item)
{
    char note[1024];
    size_t total = 0;
    const char *input = im->opts->input_name != NULL ? im->opts->input_name : "input";
    memcpy(item->consent, im->consent, sizeof item->consent);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < im->opts->consent_column_count; k++) {
            if (im->consent[k] != CONSENT_VALUE_GRANTED &&
                im->consent[k] != CONSENT_VALUE_WITHDRAWN)
                continue;
            size_t vlen = im->consent_cell_len[k];
            int n = snprintf(note, sizeof note, "import of %s, line %llu, column \"%s\": \"%.*s\"",
                             input, (unsigned long long)item->line, im->consent_header[k],
                             (int)(vlen > CONSENT_VALUE_SHOWN ? CONSENT_VALUE_SHOWN : vlen),
                             im->consent_cell[k]);
            size_t len = n < 0 ? 0 : (size_t)n >= sizeof note ? sizeof note - 1 : (size_t)n;
            if (pass == 1)
                memcpy(item->consent_notes + item->consent_notes_len, note, len + 1);
            item->consent_notes_len += pass == 1 ? len + 1 : 0;
            total += len + 1;
        }
        if (pass == 0) {
            if (total == 0)
                return 0;
            if ((item->consent_notes = malloc(total)) == NULL)
                return im->rc = err_set(LV_ERROR, "out of memory");
            item->bytes += total;
        }
    }
    return 0;
}

/* Turn the current cells into a lead input. Returns a rejection reason,
 * or NULL when the row is usable. */
static const char *row_input(importer *im, lv_lead_input *in, char source[32], char stage[16],
                             char country[3])
{
    static const lv_signal_kind signal_of[] = {LV_SIGNAL_INCENTIVE, LV_SIGNAL_VERIFIED,
                                               LV_SIGNAL_AWARE};
    static const char address_too_long[] =
        "address: the address columns together are longer than 4096 bytes";
    memset(in, 0, sizeof *in);
    memset(im->consent, 0, sizeof im->consent);
    in->version = LV_LEAD_INPUT_VERSION;
    size_t address_at = 0, lifecycle_len = 0;
    const char *source_value = NULL, *lifecycle = NULL;
    int stage_given = 0;
    for (size_t i = 0; i < im->ncells; i++) {
        const char *cell = im->buf + im->off[i];
        size_t len = im->lens[i];
        int t = im->columns[i].target;
        if (memchr(cell, '\0', len) != NULL)
            return "a cell contains a NUL byte";
        const char *v = cell;
        size_t vlen = len;
        trim(&v, &vlen);
        if (t == MAP_CONSENT) {
            int k = im->columns[i].consent;
            im->consent[k] = consent_of(im, k, v, vlen);
            im->consent_cell[k] = v;
            im->consent_cell_len[k] = vlen;
            continue;
        }
        if (vlen == 0 || t == MAP_UNKNOWN || t == MAP_IGNORE)
            continue;
        if (t >= 0 && t < LV_FIELD_COUNT) {
            /* The formula guard: one apostrophe before = + - @ (after any
             * number of apostrophes, which the export guards too). */
            size_t quotes = strspn(cell, "'");
            if (quotes > 0 && quotes < len && strchr(FORMULA_STARTS, cell[quotes]) != NULL) {
                cell++;
                len--;
            }
            in->field[t] = cell;
            in->field_len[t] = len;
            continue;
        }
        switch (t) {
        case MAP_SOURCE:
            source_value = v;
            if (crm_map_source(v, vlen, source) && strcmp(source, "other") != 0)
                in->source = source;
            break;
        case MAP_SOURCE_DETAIL:
            in->source_detail = v;
            break;
        case MAP_STAGE:
            stage_given = 1;
            if (crm_map_stage(v, vlen, stage))
                in->stage = stage;
            else
                im->unmapped_stages++;
            break;
        case MAP_LIFECYCLE:
            lifecycle = v;
            lifecycle_len = vlen;
            break;
        case MAP_OWNER:
            if ((in->owner = owner_user(im, v, vlen)) == NULL)
                im->owners_dropped++;
            break;
        case MAP_COUNTRY:
            if (crm_map_country(v, vlen, country))
                in->country = country;
            else if (add_address_part(im, &address_at, v, vlen) != 0) /* kept, not dropped */
                return address_too_long;
            break;
        case MAP_INCENTIVE:
        case MAP_VERIFIED:
        case MAP_AWARE: {
            int s = crm_map_signal(v, vlen);
            if (s < 0)
                return "a signal column (incentive, verified, aware) holds neither yes nor no";
            in->signal[signal_of[t - MAP_INCENTIVE]] = (lv_signal)s;
            break;
        }
        case MAP_LAST_CONTACT: {
            int64_t ms = 0;
            if (lv_time_parse(&ms, v) != 0)
                return "last_contact: not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)";
            in->last_contact = ms;
            break;
        }
        case MAP_ADDRESS_PART:
            if (add_address_part(im, &address_at, v, vlen) != 0)
                return address_too_long;
            break;
        case MAP_FULL_NAME:
            split_name(im, in, v, vlen);
            break;
        default:
            break;
        }
    }
    if (address_at > 0 && in->field[LV_FIELD_ADDRESS] == NULL) {
        in->field[LV_FIELD_ADDRESS] = im->scratch_address;
        in->field_len[LV_FIELD_ADDRESS] = address_at;
    }
    if (source_value != NULL && in->source == NULL) {
        /* An unknown channel (or one that only maps to "other") never
         * rejects a row: "other", with the original label kept. */
        im->unmapped_sources++;
        in->source = "other";
        if (in->source_detail == NULL)
            in->source_detail = source_value;
    }
    if (in->source == NULL && im->opts->source != NULL)
        in->source = im->opts->source;
    if (!stage_given && lifecycle != NULL) { /* a status column, when given, wins */
        if (crm_map_stage(lifecycle, lifecycle_len, stage))
            in->stage = stage;
        else
            im->unmapped_stages++;
    }
    if (in->country == NULL && im->opts->default_country != NULL)
        in->country = im->opts->default_country;
    return NULL;
}

/* A field's rejection, with a hint when its value starts with an
 * apostrophe: a spreadsheet's text marker, which no field accepts before
 * digits or an address. The reason names the field first ("phone: ..."). */
static const char *reason_with_apostrophe(const lv_lead_input *in, const char *reason)
{
    static _Thread_local char hinted[ROW_REASON_MAX];
    (void)snprintf(hinted, sizeof hinted, "%s", reason); /* reason is the error buffer */
    size_t name_len = strcspn(hinted, ":");
    char name[32];
    lv_field f;
    if (name_len >= sizeof name)
        return hinted;
    memcpy(name, hinted, name_len);
    name[name_len] = '\0';
    if (lv_field_parse(&f, name) != 0) {
        err_clear();
        return hinted;
    }
    if (in->field[f] == NULL || in->field[f][0] != '\'')
        return hinted;
    size_t at = strlen(hinted);
    (void)snprintf(hinted + at, sizeof hinted - at,
                   " (the value starts with an apostrophe, a spreadsheet's text marker: "
                   "remove it)");
    return hinted;
}

/* Validate, normalize and seal the current row into a prepared lead. */
int import_prepare_row(importer *im)
{
    if (im->ncells != im->ncolumns) {
        char reason[96];
        (void)snprintf(reason, sizeof reason, "has %zu fields, the header has %zu", im->ncells,
                       im->ncolumns);
        import_reject(im, reason);
        return im->rc;
    }
    im->unmapped_sources = im->unmapped_stages = im->owners_dropped = 0;
    const char *why = row_input(im, &im->in, im->source, im->stage, im->country);
    if (why != NULL) {
        import_reject(im, why);
        return im->rc;
    }
    row_item *item = item_new(im, ITEM_ROW);
    if (item == NULL)
        return im->rc;
    int rc = lead_prepare(im->vault, &item->lead, &item->d, &im->in, im->now, im->key);
    if (rc == LV_EINVAL) {
        row_item_free(item);
        import_reject(im, reason_with_apostrophe(&im->in, lv_error_last()));
        return im->rc;
    }
    if (rc != 0) {
        row_item_free(item);
        return im->rc = rc;
    }
    item->unmapped_sources = im->unmapped_sources;
    item->unmapped_stages = im->unmapped_stages;
    item->owners_dropped = im->owners_dropped;
    if (im->opts->consent_column_count > 0 && consent_notes(im, item) != 0) {
        row_item_free(item);
        return im->rc;
    }
    item->in = im->keep_input ? &im->in : NULL;
    if (im->opts->on_duplicate != LV_DUPLICATE_SKIP && im->opts->reject != NULL &&
        copy_cells(im, item) != 0) {
        row_item_free(item);
        return im->rc;
    }
    /* The writer needs presence, seals and contact keys, not the
     * plaintext: it leaves now instead of waiting in the queue. */
    lead_draft_drop_text(&item->d);
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        item->bytes += item->lead.sealed_len[f];
    for (int i = 0; i < CONTACT_SLOTS; i++)
        item->bytes += item->d.contact[i].form_len;
    return emit(im, item);
}

int import_deliver_record(importer *im, const char *reason)
{
    if (im->rc != 0)
        return im->rc;
    size_t cap = im->cell_ptrs_cap;
    if (util_array_grow((void **)&im->cell_ptrs, &cap, im->ncells + 1, sizeof *im->cell_ptrs, 32) !=
        0)
        return im->rc = LV_ERROR;
    im->cell_ptrs_cap = cap;
    for (size_t i = 0; i < im->ncells; i++)
        im->cell_ptrs[i] = im->buf + im->off[i];
    size_t raw_len = im->raw_len;
    while (raw_len > 0 && (im->raw[raw_len - 1] == '\n' || im->raw[raw_len - 1] == '\r'))
        raw_len--;
    csv_record record = {.line = im->line - im->record_lines,
                         .header = !im->header_done,
                         .reason = reason,
                         .count = reason != NULL ? 0 : im->ncells,
                         .cells = im->cell_ptrs,
                         .lens = im->lens,
                         .raw = im->raw != NULL ? im->raw : "",
                         .raw_len = raw_len};
    if (reason == NULL)
        im->header_done = 1;
    int rc = im->on_record(im->record_ctx, &record);
    if (rc != 0)
        im->rc = rc;
    return rc;
}
