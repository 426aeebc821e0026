/* import_reader.h - the state of an import's reader, shared by its two
 * files: import_read.c turns bytes into records (CSV through libcsv, JSON
 * Lines, the encoding check) and import_row.c turns each record into what
 * the writer gets (the header's column mapping, a prepared lead, a refused
 * row, or the raw record of records mode). Private to those two files. */
#ifndef LV_IMPORT_READER_H
#define LV_IMPORT_READER_H

#include "import_item.h"

#define MAP_IGNORE (-2)  /* --map Header=ignore: dropped on request */
#define MAP_CONSENT (-3) /* a --consent-column */
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

/* The header record: map its cells to columns (import_row.c). */
int import_read_header(importer *im);
/* Validate, normalize and seal the current record into a prepared lead
 * handed to the sink, or refuse it as a reject item. */
int import_prepare_row(importer *im);
/* Refuse the current record for reason (a reject item, or in records
 * mode the record with its reason). */
void import_reject(importer *im, const char *reason);
/* Records mode: hand the current record (reason NULL) or a refusal to the
 * record callback. */
int import_deliver_record(importer *im, const char *reason);

#endif
