/* import_read.c - the reading half of an import: CSV through libcsv
 * (strict quoting, resynchronising at the next line after a malformed
 * quote, exact line numbers across embedded and CR/CRLF breaks) or JSON
 * Lines; CRM header mapping; rows validated, normalized and sealed into
 * prepared leads. No store access: this half may run on its own thread. */
#include <csv.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "crm_map.h"
#include "error.h"
#include "import_read.h"
#include "lead.h"
#include "util_array.h"
#include "util_time.h"

#define RECORD_MAX (16u << 20) /* a record larger than this stops the import */
#define CHUNK 65536
/* libcsv grows its field buffer by blk_size bytes at a time: a field of
 * megabytes would be copied over and over. Before each parse call the step
 * is set to the buffer's current size (at least CSV_BLOCK_MIN), so the
 * buffer doubles instead. */
#define CSV_BLOCK_MIN ((size_t)16 * 1024)
#define MAP_IGNORE (-2)        /* --map Header=ignore: dropped on request */
#define MAP_CONSENT (-3)       /* a --consent-column */
/* The formula guard of leadvault's own export (and of spreadsheets): an
 * apostrophe before one of these. */
#define FORMULA_STARTS "=+-@\t\r"
#define CONSENT_VALUE_SHOWN 128 /* of a consent cell, in its evidence */

typedef struct column {
    int target;  /* lv_field, map_target, MAP_UNKNOWN, MAP_IGNORE or MAP_CONSENT */
    int consent; /* MAP_CONSENT: index of its --consent-column */
} column;

struct reader {
    lv_vault *vault;
    const lv_import_options *opts;
    lv_import_summary *summary; /* only unknown_columns is written here */
    int64_t now;
    unsigned char *key; /* guarded scratch for data keys */
    int keep_input;
    row_sink sink;
    void *sink_ctx;

    /* the record's raw bytes as read (for the reject file) */
    char *raw;
    size_t raw_len, raw_cap;
    /* the record being assembled: cells are NUL-terminated in buf */
    char *buf;
    size_t len, cap;
    size_t *off, *lens;
    size_t ncells, cells_cap;
    uint64_t record_bytes;
    uint64_t line;         /* line the parser is on */
    uint64_t record_lines; /* line breaks inside the current record's cells */
    int prev_cr;
    int skip_record;

    column *columns;
    size_t ncolumns;
    int header_done;
    char delimiter; /* 0: ',' */

    const import_user_name *users; /* sorted */
    size_t user_count;
    /* the file's header of each --consent-column, and how its values read */
    char consent_header[LV_IMPORT_CONSENT_COLUMNS_MAX][CONSENT_VALUE_SHOWN + 1];
    consent_convention consent_reading[LV_IMPORT_CONSENT_COLUMNS_MAX];
    /* records mode (reader_new_records) */
    record_fn on_record;
    void *record_ctx;
    const char **cell_ptrs;
    size_t cell_ptrs_cap;

    /* the current row as input (kept for --on-duplicate update) */
    lv_lead_input in;
    char source[32], stage[16], country[3];
    uint32_t unmapped_sources, unmapped_stages, owners_dropped;
    consent_value consent[LV_IMPORT_CONSENT_COLUMNS_MAX];
    const char *consent_cell[LV_IMPORT_CONSENT_COLUMNS_MAX];
    size_t consent_cell_len[LV_IMPORT_CONSENT_COLUMNS_MAX];
    char scratch_name[2][1024];
    char scratch_address[4096 + 1];
    int rc; /* first fatal error */
};

typedef struct reader importer; /* the moved code below calls it im */

/* ---- column mapping ---- */

static const struct {
    const char *name;
    int target;
} override_targets[] = {
    {"source", MAP_SOURCE},           {"source_detail", MAP_SOURCE_DETAIL},
    {"stage", MAP_STAGE},             {"owner", MAP_OWNER},
    {"country", MAP_COUNTRY},         {"incentive", MAP_INCENTIVE},
    {"verified", MAP_VERIFIED},       {"aware", MAP_AWARE},
    {"last_contact", MAP_LAST_CONTACT}, {"address_part", MAP_ADDRESS_PART},
    {"full_name", MAP_FULL_NAME},     {"ignore", MAP_IGNORE},
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
static int raw_append(importer *im, const char *data, size_t len)
{
    if (util_array_grow_wiped((void **)&im->raw, &im->raw_cap, im->raw_len, im->raw_len + len, 4096,
                              NULL, NULL) != 0)
        return im->rc = LV_ERROR;
    memcpy(im->raw + im->raw_len, data, len);
    im->raw_len += len;
    return 0;
}

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

static int deliver_record(importer *im, const char *reason);

static void reject(importer *im, const char *reason)
{
    if (im->on_record != NULL)
        deliver_record(im, reason);
    else
        emit_cells(im, ITEM_REJECT, reason);
}

static int read_header(importer *im)
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
                return err_set(LV_EINVAL, "header: columns %zu and %zu hold the same field; "
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
static int prepare_row(importer *im)
{
    if (im->ncells != im->ncolumns) {
        char reason[96];
        (void)snprintf(reason, sizeof reason, "has %zu fields, the header has %zu", im->ncells,
                       im->ncolumns);
        reject(im, reason);
        return im->rc;
    }
    im->unmapped_sources = im->unmapped_stages = im->owners_dropped = 0;
    const char *why = row_input(im, &im->in, im->source, im->stage, im->country);
    if (why != NULL) {
        reject(im, why);
        return im->rc;
    }
    row_item *item = item_new(im, ITEM_ROW);
    if (item == NULL)
        return im->rc;
    int rc = lead_prepare(im->vault, &item->lead, &item->d, &im->in, im->now, im->key);
    if (rc == LV_EINVAL) {
        row_item_free(item);
        reject(im, reason_with_apostrophe(&im->in, lv_error_last()));
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

/* ---- CSV through libcsv ---- */

static void count_breaks(importer *im, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'))) {
            im->line++;
            im->record_lines++;
        }
    }
}

static void on_cell(void *data, size_t len, void *ctx)
{
    importer *im = ctx;
    if (im->rc != 0 || im->skip_record)
        return;
    count_breaks(im, data, len);
    /* off and lens share cells_cap: it moves only once both have grown. */
    size_t off_cap = im->cells_cap, lens_cap = im->cells_cap;
    if (util_array_grow((void **)&im->off, &off_cap, im->ncells + 1, sizeof *im->off, 32) != 0 ||
        util_array_grow((void **)&im->lens, &lens_cap, im->ncells + 1, sizeof *im->lens, 32) != 0) {
        im->rc = LV_ERROR;
        return;
    }
    im->cells_cap = off_cap;
    /* Wiped, not realloc'd: the old block holds row plaintext. */
    if (util_array_grow_wiped((void **)&im->buf, &im->cap, im->len, im->len + len + 1, 4096, NULL,
                              NULL) != 0) {
        im->rc = LV_ERROR;
        return;
    }
    if (len > 0)
        memcpy(im->buf + im->len, data, len);
    im->buf[im->len + len] = '\0';
    im->off[im->ncells] = im->len;
    im->lens[im->ncells++] = len;
    im->len += len + 1;
}

static void end_record(importer *im)
{
    if (im->rc == 0 && im->ncells > 0 && !im->skip_record) {
        if (im->on_record != NULL)
            deliver_record(im, NULL);
        else if (!im->header_done)
            im->rc = read_header(im);
        else
            prepare_row(im);
    }
    /* Cells and raw bytes hold plaintext of the row: wipe before reuse. */
    if (im->len > 0)
        sodium_memzero(im->buf, im->len);
    if (im->raw_len > 0)
        sodium_memzero(im->raw, im->raw_len);
    im->raw_len = 0;
    im->len = 0;
    im->ncells = 0;
    im->record_bytes = 0;
    im->record_lines = 0;
    im->skip_record = 0;
}

static void on_row(int terminator, void *ctx)
{
    importer *im = ctx;
    int empty = im->ncells == 0;
    end_record(im);
    /* CSV_REPALL_NL reports the LF of a CRLF as an empty row of its own. */
    if (terminator == '\r') {
        im->line++;
        im->prev_cr = 1;
    } else if (terminator == '\n') {
        if (!(im->prev_cr && empty))
            im->line++;
        im->prev_cr = 0;
    }
}

/* (Re)start a parser with the import's options. */
static int csv_start(importer *im, struct csv_parser *p)
{
    if (csv_init(p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
        return err_set(LV_ERROR, "out of memory");
    csv_set_delim(p, im->delimiter ? (unsigned char)im->delimiter : ',');
    csv_set_blk_size(p, CSV_BLOCK_MIN);
    return 0;
}

/* Free a parser, wiping the field buffer first: it held row plaintext. */
static void csv_wipe_free(struct csv_parser *p)
{
    if (p->entry_buf != NULL)
        sodium_memzero(p->entry_buf, p->entry_size);
    csv_free(p);
}

/* Feed a chunk one physical line at a time (up to each LF or CR), so the
 * raw bytes of every record are known for the reject file. On a quoting
 * error the record is rejected and parsing resumes at the next line. */
static int feed_csv(importer *im, struct csv_parser *p, const char *data, size_t len,
                    int *skipping)
{
    while (len > 0 && im->rc == 0) {
        size_t seg = 0;
        while (seg < len && data[seg] != '\n' && data[seg] != '\r')
            seg++;
        if (seg < len)
            seg++; /* the terminator belongs to the line */
        if (*skipping) {
            /* the rest of a line whose record was rejected */
            char last = data[seg - 1];
            if (last == '\n' || last == '\r') {
                im->line++;
                im->prev_cr = last == '\r';
                *skipping = 0;
            }
            data += seg;
            len -= seg;
            continue;
        }
        if (raw_append(im, data, seg) != 0)
            return im->rc;
        csv_set_blk_size(p, p->entry_size > CSV_BLOCK_MIN ? p->entry_size : CSV_BLOCK_MIN);
        size_t done = csv_parse(p, data, seg, on_cell, on_row, im);
        if (im->raw_len > RECORD_MAX)
            return err_set(LV_EINVAL, "line %llu: a record is longer than 16 MiB (an unclosed "
                                      "quote?); import stopped",
                           (unsigned long long)(im->line - im->record_lines));
        if (done == seg) {
            data += seg;
            len -= seg;
            continue;
        }
        /* libcsv stops short for want of memory too: not the row's fault. */
        if (csv_error(p) == CSV_ENOMEM)
            return err_set(LV_ERROR, "out of memory while reading line %llu",
                           (unsigned long long)im->line);
        /* A malformed quote: reject the record as read so far. */
        if (im->header_done) {
            reject(im, "malformed quoting (a quote inside an unquoted field, or text after a "
                       "closing quote)");
        } else {
            const char *nl = memchr(im->raw, '\n', im->raw_len);
            size_t first = nl != NULL ? (size_t)(nl - im->raw) : im->raw_len;
            if (im->opts->delimiter == 0 &&
                (memchr(im->raw, ';', first) != NULL || memchr(im->raw, '\t', first) != NULL))
                return err_set(LV_EINVAL, "header: the file looks separated by ';' or tabs: "
                                          "use --delimiter");
            return err_set(LV_EINVAL, "line 1: malformed quoting in the header");
        }
        int ended = data[seg - 1] == '\n' || data[seg - 1] == '\r';
        im->ncells = 0;
        end_record(im);
        if (ended) {
            im->line++;
            im->prev_cr = data[seg - 1] == '\r'; /* a following LF is the same break */
        }
        csv_wipe_free(p);
        if ((im->rc = csv_start(im, p)) != 0)
            return im->rc;
        data += seg;
        len -= seg;
        *skipping = !ended;
    }
    return im->rc;
}

/* ---- JSON Lines ---- */

static int json_line(importer *im, const char *line, size_t len);

/* One line of JSON Lines: its raw bytes kept for the reject file, and the
 * line counted whatever happens to it. */
static int process_json_line(importer *im, const char *line, size_t len)
{
    int rc = 0;
    if (!(len == 0 || (len == 1 && line[0] == '\r'))) {
        im->raw_len = 0;
        if (raw_append(im, line, len) == 0)
            rc = json_line(im, line, len);
        else
            rc = im->rc;
        if (im->raw_len > 0)
            sodium_memzero(im->raw, im->raw_len);
        im->raw_len = 0;
    }
    im->line++;
    return rc;
}

static int json_line(importer *im, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    im->ncells = 0;
    im->len = 0;
    if (!json_is_object(o)) {
        reject(im, "not a JSON object");
        json_decref(o);
        return 0;
    }
    /* Each line brings its own keys: map them as a header, then the values
     * as a row. */
    const char *key;
    json_t *value;
    json_object_foreach(o, key, value) {
        on_cell((void *)key, strlen(key), im);
    }
    free(im->columns);
    im->columns = NULL;
    im->header_done = 0;
    if (im->rc == 0 && read_header(im) != 0) {
        /* A line that names no usable field is a bad row, not a bad file. */
        im->rc = 0;
        reject(im, lv_error_last());
        json_decref(o);
        sodium_memzero(im->buf, im->len);
        return 0;
    }
    sodium_memzero(im->buf, im->len);
    im->ncells = 0;
    im->len = 0;
    json_object_foreach(o, key, value) {
        char number[32];
        const char *text = "";
        size_t n = 0;
        if (json_is_string(value)) {
            text = json_string_value(value);
            n = json_string_length(value);
        } else if (json_is_integer(value)) {
            n = (size_t)snprintf(number, sizeof number, "%lld", (long long)json_integer_value(value));
            text = number;
        } else if (json_is_true(value) || json_is_false(value)) {
            text = json_is_true(value) ? "yes" : "no";
            n = strlen(text);
        }
        on_cell((void *)text, n, im);
    }
    json_decref(o);
    if (im->rc == 0)
        prepare_row(im);
    sodium_memzero(im->buf, im->len);
    im->len = 0;
    im->ncells = 0;
    return im->rc;
}

/* ---- encoding ---- */

/* Refuse input that is not UTF-8, with the conversion to try. The check
 * covers the first chunk; later invalid bytes reject their rows. */
static int check_encoding(const unsigned char *data, size_t len, size_t *bom)
{
    *bom = 0;
    if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
        return err_set(LV_EINVAL, "the input is UTF-16; convert it first: iconv -f UTF-16 -t "
                                  "UTF-8");
    if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
        *bom = 3;
    size_t at = *bom;
    while (at < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(data + at, (utf8proc_ssize_t)(len - at), &cp);
        if (n < 0) {
            if (len - at < 4)
                break; /* a sequence cut by the chunk's end */
            return err_set(LV_EINVAL, "the input is not UTF-8 (invalid byte at offset %zu); "
                                      "convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8",
                           at);
        }
        at += (size_t)n;
    }
    return 0;
}

int reader_run(reader *im, lv_read_fn read, void *read_ctx, atomic_ullong *bytes_read,
               const atomic_int *stop)
{
    char *chunk = malloc(CHUNK);
    if (chunk == NULL)
        return err_set(LV_ERROR, "out of memory");
    struct csv_parser parser;
    int csv = im->opts->format != LV_IMPORT_JSONL, rc = 0, skipping = 0, first = 1;
    if (csv) {
        if ((rc = csv_start(im, &parser)) != 0) {
            free(chunk);
            return rc;
        }
    }
    char *line = NULL; /* JSON Lines: the line being assembled */
    size_t line_len = 0, line_cap = 0;
    uint64_t bytes = 0;
    size_t chunk_used = 0; /* high-water mark: what the wipe at the end covers */
    for (;;) {
        size_t got = 0;
        if (stop != NULL && atomic_load(stop))
            break;
        if (read(read_ctx, chunk, CHUNK, &got) != 0) {
            chunk_used = CHUNK; /* it may have written before failing */
            rc = err_set(LV_ERROR, "cannot read the input");
            break;
        }
        if (got == 0)
            break;
        if (got > chunk_used)
            chunk_used = got;
        size_t skip = 0;
        if (first && (rc = check_encoding((unsigned char *)chunk, got, &skip)) != 0)
            break;
        first = 0;
        bytes += got;
        if (csv) {
            if ((rc = feed_csv(im, &parser, chunk + skip, got - skip, &skipping)) != 0)
                break;
        } else {
            for (size_t at = skip; at < got && rc == 0;) {
                const char *nl = memchr(chunk + at, '\n', got - at);
                size_t n = nl != NULL ? (size_t)(nl - (chunk + at)) : got - at;
                if (line_len + n > RECORD_MAX) {
                    rc = err_set(LV_EINVAL, "line %llu: longer than 16 MiB; import stopped",
                                 (unsigned long long)im->line);
                    break;
                }
                if (util_array_grow_wiped((void **)&line, &line_cap, line_len, line_len + n + 1,
                                          4096, NULL, NULL) != 0) {
                    rc = LV_ERROR;
                    break;
                }
                memcpy(line + line_len, chunk + at, n);
                line_len += n;
                at += n;
                if (nl != NULL) {
                    at++;
                    rc = process_json_line(im, line, line_len);
                    sodium_memzero(line, line_len);
                    line_len = 0;
                }
            }
            if (rc != 0)
                break;
        }
        if (bytes_read != NULL)
            atomic_store(bytes_read, bytes);
    }
    if (rc == 0 && csv) {
        if (csv_fini(&parser, on_cell, on_row, im) != 0 && im->rc == 0 && im->header_done) {
            reject(im, "unclosed quote at the end of the input");
            im->ncells = 0;
            end_record(im);
        }
        rc = im->rc;
    } else if (rc == 0 && line_len > 0) {
        rc = process_json_line(im, line, line_len);
    }
    if (rc == 0 && !im->header_done && csv)
        rc = err_set(LV_EINVAL, "the input is empty: no header row");
    if (csv)
        csv_wipe_free(&parser);
    sodium_memzero(chunk, chunk_used);
    if (line != NULL) {
        sodium_memzero(line, line_cap);
        free(line);
    }
    free(chunk);
    return rc;
}

static int deliver_record(importer *im, const char *reason)
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

/* Records mode needs only the parsing options. */
static const lv_import_options records_options[1] = {LV_IMPORT_OPTIONS_INIT};

static reader *reader_alloc(const lv_import_options *opts, char delimiter)
{
    reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        err_set(LV_ERROR, "out of memory");
        return NULL;
    }
    r->opts = opts;
    r->line = 1;
    r->delimiter = delimiter;
    return r;
}

int reader_new_records(reader **out, char delimiter, record_fn fn, void *ctx)
{
    reader *r = reader_alloc(records_options, delimiter);
    if (r == NULL)
        return LV_ERROR;
    r->on_record = fn;
    r->record_ctx = ctx;
    *out = r;
    return 0;
}

void reader_set_users(reader *r, const import_user_name *users, size_t count)
{
    r->users = users;
    r->user_count = count;
}

int reader_new(reader **out, lv_vault *vault, const lv_import_options *opts,
               lv_import_summary *summary, unsigned char *key_scratch, int keep_input,
               row_sink sink, void *sink_ctx)
{
    reader *r = reader_alloc(opts, opts->delimiter);
    if (r == NULL)
        return LV_ERROR;
    r->vault = vault;
    r->summary = summary;
    r->now = util_now_ms();
    r->key = key_scratch;
    r->keep_input = keep_input;
    r->sink = sink;
    r->sink_ctx = sink_ctx;
    *out = r;
    return 0;
}

void reader_free(reader *r)
{
    if (r == NULL)
        return;
    if (r->buf != NULL) {
        sodium_memzero(r->buf, r->cap);
        free(r->buf);
    }
    if (r->raw != NULL) {
        sodium_memzero(r->raw, r->raw_cap);
        free(r->raw);
    }
    free(r->off);
    free(r->lens);
    free(r->columns);
    free(r->cell_ptrs);
    sodium_memzero(r, sizeof *r);
    free(r);
}
